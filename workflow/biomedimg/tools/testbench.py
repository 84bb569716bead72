"""``make bench-tests``: how long a maintainer waits for ``make check`` and ``make test``.

Each is run once, as a maintainer runs it, in this (built) checkout, and timed on the wall clock; pytest
reports each test's time (setup, call and teardown: the first test to use a shared build pays for it)
in a JUnit XML file, from which the slowest are listed. The result goes to results/bench-tests.json and
to its section of docs/benchmark.md (above it is `make bench`'s, which keeps this section and the notes
written by hand below it).
Targets (issue 22): ``make check`` at most a minute, ``make test`` at most six, on 2 cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from biomedimg import paths

TARGETS = {"make check": 60, "make test": 360}
SLOWEST = 15
BEGIN = "<!-- make bench-tests: from here to its end mark -->"
END = "<!-- end of make bench-tests -->"
BENCHMARK_MD = Path("docs") / "benchmark.md"


def timed_make(target: str, junit: Path) -> tuple[float, int]:
    env = {**os.environ, "PYTEST_ADDOPTS": f"--junitxml={junit}"}
    start = time.perf_counter()
    code = subprocess.run(["make", target], cwd=paths.ROOT, env=env, check=False).returncode
    return time.perf_counter() - start, code


def test_times(junit: Path) -> list[tuple[str, float]]:
    """(test id, seconds) of every test in a JUnit XML report, slowest first."""
    if not junit.exists():
        return []
    times = [
        (f"{case.get('classname', '')}::{case.get('name', '')}", float(case.get("time") or 0))
        for case in ET.parse(junit).getroot().iter("testcase")
    ]
    return sorted(times, key=lambda t: -t[1])


def measure() -> dict:
    load_before = os.getloadavg()[0]
    result: dict = {"seconds": {}, "exit": {}, "pytest_seconds": {}, "slowest": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for target in ("check", "test"):
            junit = Path(tmp) / f"{target}.xml"
            seconds, code = timed_make(target, junit)
            name = f"make {target}"
            times = test_times(junit)
            result["seconds"][name] = round(seconds, 1)
            result["exit"][name] = code
            result["pytest_seconds"][name] = round(sum(t for _, t in times), 1)
            result["slowest"][name] = [[test, round(t, 1)] for test, t in times[:SLOWEST]]
    result["targets"] = TARGETS
    result["met"] = {k: result["seconds"][k] <= TARGETS[k] and result["exit"][k] == 0 for k in TARGETS}
    result["machine"] = {
        "cores": os.cpu_count(),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }
    return result


def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [
        BEGIN,
        "## Tests",
        "",
        "Written by `make bench-tests` (wall-clock seconds, one run each in a built checkout).",
        "",
        f"Machine: {m['cores']} cores; one-minute load average {m['load_average_before']} before and "
        f"{m['load_average_after']} after.",
        "",
        "| command | seconds | of which pytest | target | passed | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, target in result["targets"].items():
        passed = "yes" if result["exit"][name] == 0 else "no"
        met = "yes" if result["met"][name] else "no"
        lines.append(
            f"| `{name}` | {result['seconds'][name]} | {result['pytest_seconds'][name]} | ≤ {target} | "
            f"{passed} | {met} |"
        )
    for name, slowest in result["slowest"].items():
        lines += ["", f"Slowest tests of `{name}` (seconds, set-up of shared builds included):", ""]
        lines += [f"- {seconds} `{test}`" for test, seconds in slowest]
    lines.append(END)
    return "\n".join(lines) + "\n"


def with_section(document: str, section: str) -> str:
    """``document`` with its bench-tests section replaced by ``section`` (appended if it has none)."""
    if BEGIN in document and END in document:
        head, rest = document.split(BEGIN, 1)
        return head + section.rstrip("\n") + rest.split(END, 1)[1]
    return document.rstrip("\n") + "\n\n" + section


def section_of(document: str) -> str:
    """What `make bench` keeps of ``document``: the bench-tests section and the notes written by hand
    after it (the history of the tests' speed), "" if it has none."""
    return BEGIN + document.split(BEGIN, 1)[1] if BEGIN in document else ""


def main() -> int:
    result = measure()
    out = paths.ROOT / paths.RESULTS
    out.mkdir(exist_ok=True)
    (out / "bench-tests.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    md = markdown(result)
    doc = paths.ROOT / BENCHMARK_MD
    doc.write_text(
        with_section(doc.read_text(encoding="utf-8") if doc.exists() else "", md), encoding="utf-8"
    )
    print(md)
    return 1 if any(result["exit"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
