"""``make bench``: the workflow's cold build, no-op run and one-file rebuild against baselines.

Baselines: a single Python process that renders the same outputs (validation, tables, figures, data
package, claims, provenance, book) one after the other, and Snakemake's own start-up on an empty
workflow. Each measurement runs in a fresh copy of the project; results go to results/bench.json and
results/bench.md (copied to docs/benchmark.md).

The user's cache (``paths.cache_dir``: each module's imports) is shared by every copy, as on a machine that has built the project once; one more cold build, with
an empty cache of its own, says what a first build on a new machine costs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from biomedimg import catalog, paths
from biomedimg.tools import testbench
from biomedimg.tools.project import copy_project

BIN = Path(sys.executable).parent
TARGETS = {
    "cold_over_baseline": 1.5,
    "noop_over_empty_startup": 1.3,
    "incremental_over_cold": 0.35,
    "diff_over_incremental": 2.0,
}


def _timed(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd,
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(cwd / "workflow"), **(env or {})},
    )
    return time.perf_counter() - start


def measure_diff(tmp: Path, repeats: int = 3) -> tuple[list[float], list[float]]:
    """After a one-file edit: the incremental rebuild, and ``make diff`` against a cached HEAD.

    In a git clone of the committed project (the diff needs git), built once; HEAD's build for the
    diff is made once before timing (the cached case). Each round edits the same file twice, timing
    the rebuild after the first edit and the diff (which brings the build up to date too) after the
    second.
    """
    snakemake = str(BIN / "snakemake")
    work = tmp / "diff clone 对比"
    subprocess.run(["git", "clone", "--quiet", str(paths.ROOT), str(work)], check=True)
    subprocess.run([str(BIN / "dvc"), "pull", "--quiet"], cwd=work, check=True)
    env = {"BIOMEDIMG_CACHE": str(tmp / "diff cache")}
    diff = [sys.executable, "-m", "biomedimg.tools.diff"]
    _timed([snakemake, "--cores", "2"], work, env)
    _timed(diff, work, env)  # builds HEAD in a worktree and caches it
    raw = work / paths.raw_csv("cast_subcommittees")
    raw.chmod(0o644)
    original = raw.read_text(encoding="utf-8")
    incremental, diffs = [], []
    for i in range(repeats):
        raw.write_text(
            original.replace("Chinese Optical Society", f"Chinese Optical Soc. {i}a"), encoding="utf-8"
        )
        incremental.append(_timed([snakemake, "--cores", "2"], work, env))
        raw.write_text(
            original.replace("Chinese Optical Society", f"Chinese Optical Soc. {i}b"), encoding="utf-8"
        )
        diffs.append(_timed(diff, work, env))
    return incremental, diffs


BASELINE = r"""
import json, sys
from biomedimg.site import render
from biomedimg.outputs import claims, datapackage, figures, provenance, style, tables
from biomedimg import catalog, paths
from biomedimg.data import validate
from biomedimg.outputs.downloads import write_datapackage_zip, write_table_xlsx
from biomedimg.io import write_csv, write_json, write_text
for name in paths.raw_names():
    validate.validate_dataset(name); validate.validate_sidecar(name)
for name in tables.TABLES:
    frame, fragments, cells = tables.build(name)
    write_csv(paths.table_csv(name), frame)
    for lang, fragment in fragments.items():
        write_text(paths.table_html(name, lang), fragment)
        write_json(paths.table_cells(name, lang), cells[lang])
    write_table_xlsx(paths.table_xlsx(name), name, frame)
style.setup()
for name in catalog.FIGURES:
    for lang, plot in figures.build(name).items():
        style.save(plot.figure, paths.figure(name, lang, "svg"), paths.figure(name, lang, "png"), 300)
        write_csv(paths.figure_values(name, lang), plot.values)
write_datapackage_zip(paths.DATAPACKAGE_ZIP, datapackage.build())
data = claims.Data()
results = claims.evaluate_all(data=data)
write_json(paths.CLAIMS_JSON, {"claims": results})
import pandas as pd
write_csv(paths.CLAIMS_CSV, pd.DataFrame(results))
write_json(paths.METRICS, claims.metrics(results, data))
frags = []
def frag(rule, outputs, datasets):
    path = paths.provenance_fragment(rule)
    write_json(path, {"rule": rule, "outputs": [str(o) for o in outputs],
                      "inputs": sorted(str(paths.raw_csv(d)) for d in datasets)})
    frags.append(str(path))
for name, spec in tables.TABLES.items():
    frag(name, [paths.table_csv(name), paths.table_xlsx(name)]
         + [f(name, l) for l in paths.LANGS for f in (paths.table_html, paths.table_cells)], spec.datasets)
for name, spec in catalog.FIGURES.items():
    frag(name, [paths.figure(name, l, f) for l in paths.LANGS for f in paths.FIGURE_FORMATS]
         + [paths.figure_values(name, l) for l in paths.LANGS], spec.datasets)
frag("datapackage", [paths.DATAPACKAGE, paths.DATAPACKAGE_ZIP], paths.raw_names())
frag("claims", [paths.CLAIMS_JSON, paths.CLAIMS_CSV, paths.METRICS], paths.raw_names())
write_json(paths.PROVENANCE, provenance.merge(frags, {}, "baseline"))
from biomedimg.site import build
build.build()  # both editions, as the build_book rule does
"""


def measure(repeats: int = 5) -> dict:
    load_before = os.getloadavg()[0]
    snakemake = str(BIN / "snakemake")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cold, noop, incremental, baseline, empty = [], [], [], [], []
        for i in range(repeats):
            work = copy_project(tmp / f"workflow{i}")
            cold.append(_timed([snakemake, "--cores", "2"], work))
            noop.append(_timed([snakemake, "--cores", "2"], work))
            raw = work / paths.raw_csv("cast_subcommittees")
            raw.write_text(
                raw.read_text(encoding="utf-8").replace("Chinese Optical Society", "Chinese Optical Soc."),
                encoding="utf-8",
            )
            incremental.append(_timed([snakemake, "--cores", "2"], work))
            base = copy_project(tmp / f"baseline{i}")
            # Provenance/claims read the outputs of the same process; the book needs provenance.json.
            script = base / "baseline.py"
            script.write_text(BASELINE, encoding="utf-8")
            baseline.append(_timed([sys.executable, str(script)], base))
            assert (base / paths.BOOK_HTML / "index.html").exists(), "the baseline did not build the book"
            empty_dir = tmp / f"empty{i}"
            empty_dir.mkdir()
            (empty_dir / "Snakefile").write_text("rule all:\n    input: []\n", encoding="utf-8")
            empty.append(statistics.median(_timed([snakemake, "--cores", "1"], empty_dir) for _ in range(3)))
        first = copy_project(tmp / "first build")
        cold_empty_cache = _timed(
            [snakemake, "--cores", "2"], first, {"BIOMEDIMG_CACHE": str(tmp / "empty user cache")}
        )
        incremental_in_clone, diff = measure_diff(tmp, repeats)
    runs = {
        "cold": cold,
        "cold_empty_user_cache": [cold_empty_cache],
        "noop": noop,
        "incremental": incremental,
        "single_process_baseline": baseline,
        "empty_workflow_startup": empty,
        "incremental_before_diff": incremental_in_clone,
        "diff_after_one_file_edit": diff,
    }
    seconds = {k: statistics.median(v) for k, v in runs.items()}
    ratios = {
        "cold_over_baseline": seconds["cold"] / seconds["single_process_baseline"],
        "noop_over_empty_startup": seconds["noop"] / seconds["empty_workflow_startup"],
        "incremental_over_cold": seconds["incremental"] / seconds["cold"],
        "diff_over_incremental": seconds["diff_after_one_file_edit"] / seconds["incremental_before_diff"],
    }
    return {
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        # Every repeat, in order: the spread says how far a median can be trusted on this machine.
        "runs": {k: [round(x, 2) for x in v] for k, v in runs.items()},
        "incremental_over_cold_each_repeat": [
            round(i / c, 3) for i, c in zip(incremental, cold, strict=True)
        ],
        "ratios": {k: round(v, 3) for k, v in ratios.items()},
        "targets": TARGETS,
        "met": {k: ratios[k] <= TARGETS[k] for k in TARGETS},
        # A measurement is only comparable on an otherwise idle machine: the one-minute load average
        # before and after says whether it was.
        "machine": {
            "cores": os.cpu_count(),
            "load_average_before": round(load_before, 2),
            "load_average_after": round(os.getloadavg()[0], 2),
        },
    }


# -- per item: what each speed-up buys -----------------------------------------------------------
# Each is timed in fresh processes, `repeats` times, and reported as the median with its range; on a
# machine shared with other work the CPU time of the step (time.process_time, what the step itself
# costs) is steadier than its wall time, so both are given.

_STEP = """
import json, sys, time
{setup}
wall, cpu = time.perf_counter(), time.process_time()
{step}
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""


def _step(setup: str, step: str, cwd: Path, env: dict | None = None) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", _STEP.format(setup=setup, step=step)],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(cwd / "workflow"), **(env or {})},
    ).stdout
    wall, cpu = json.loads(out.splitlines()[-1])
    return wall, cpu


CODEDEPS_SETUP = "from pathlib import Path\nfrom biomedimg.run import codedeps"
CODEDEPS_STEP = "for s in sorted(Path('workflow/scripts').glob('*.py')): codedeps.job_code(s)"

# The end of a run that ran a job: biomedimg.run.finish replaced, in a copy, by one that does some of
# what finish does and then writes the time; the process's exit follows.
# Cancelling the one-second timers Snakemake's scheduler starts each round was a speed-up once (the
# interpreter waits for them); measured here against its absence, it bought nothing and was removed.
FINISH_VARIANT = """import gc, json, os, threading, time


def finish():
    if {cancel}:
        for timer in threading.enumerate():
            if isinstance(timer, threading.Timer):
                timer.cancel()
    if {freeze}:
        gc.freeze()
    with open(os.environ["BIOMEDIMG_BENCH_FINISHED"], "w") as out:
        json.dump(time.time(), out)
"""
FINISH_VARIANTS = {
    "gc.freeze (as built)": (False, True),
    "gc.freeze and cancelling the timers": (True, True),
    "cancelling the timers": (True, False),
    "neither": (False, False),
}

ITEMS_HEADING = "## What each speed-up buys"


def _spread(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def measure_items(repeats: int = 7) -> dict:
    """What each speed-up saves, measured against its absence."""
    load_before = os.getloadavg()[0]
    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        work = copy_project(tmp / "items 项目")
        cache = {"BIOMEDIMG_CACHE": str(tmp / "user cache")}
        _step(CODEDEPS_SETUP, CODEDEPS_STEP, work, cache)  # fills the cache
        runs: dict[str, list[tuple[float, float]]] = {
            "codedeps: parse every module": [],
            "codedeps: from the user cache": [],
        }
        for i in range(repeats):
            empty = {"BIOMEDIMG_CACHE": str(tmp / f"empty cache {i}")}
            runs["codedeps: parse every module"].append(_step(CODEDEPS_SETUP, CODEDEPS_STEP, work, empty))
            runs["codedeps: from the user cache"].append(_step(CODEDEPS_SETUP, CODEDEPS_STEP, work, cache))
        for name, values in runs.items():
            result[name] = {"wall": _spread([w for w, _ in values]), "cpu": _spread([c for _, c in values])}

        # The exit after a run of one job (one table, forced).
        snakemake = str(BIN / "snakemake")
        env = {**os.environ, "PYTHONPATH": str(work / "workflow"), **cache}
        subprocess.run([snakemake, "--cores", "2"], cwd=work, check=True, capture_output=True, env=env)
        target = str(paths.table_csv(next(iter(catalog.TABLES))))
        stamp = tmp / "finished.json"
        finish = work / "workflow" / "biomedimg" / "run" / "finish.py"
        exits: dict[str, list[float]] = {name: [] for name in FINISH_VARIANTS}
        for _ in range(repeats):
            for name, (cancel, freeze) in FINISH_VARIANTS.items():
                finish.write_text(FINISH_VARIANT.format(cancel=cancel, freeze=freeze), encoding="utf-8")
                subprocess.run(
                    [snakemake, "--cores", "2", "--forcerun", "table", "--", target],
                    cwd=work,
                    check=True,
                    capture_output=True,
                    env={**env, "BIOMEDIMG_BENCH_FINISHED": str(stamp)},
                )
                exits[name].append(time.time() - json.loads(stamp.read_text(encoding="utf-8")))
        for name, values in exits.items():
            result[f"exit after onsuccess: {name}"] = {"wall": _spread(values)}
    result["machine"] = {
        "cores": os.cpu_count(),
        "repeats": repeats,
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }
    return result


def items_markdown(result: dict) -> str:
    m = result["machine"]
    lines = [
        ITEMS_HEADING,
        "",
        "Written by `make bench` (`python -m biomedimg.tools.bench --items` for this part alone): each "
        f"step timed in {m['repeats']} fresh processes, median and range in seconds; CPU time is the "
        "step's own cost, steadier than wall time on a shared machine. "
        f"Machine: {m['cores']} cores, shared with other work (one-minute load average "
        f"{m['load_average_before']} before and {m['load_average_after']} after): compare the rows "
        "with each other, not with another day's.",
        "",
        "| step | wall | wall range | CPU | CPU range |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, value in result.items():
        if name == "machine":
            continue
        w, c = value["wall"], value.get("cpu")
        cpu = f" {c['median']} | {c['min']}–{c['max']} |" if c else "  |  |"
        lines.append(f"| {name} | {w['median']} | {w['min']}–{w['max']} |{cpu}")
    lines += ["", f"What the numbers decide (a speed-up is kept when it {KEEP_RULE}):", ""]
    for label, without, with_it, clock in SPEED_UPS:
        if without in result and with_it in result:
            saving, kept = verdict(result[without][clock], result[with_it][clock])
            lines.append(f"- {label}: saves {saving} s ({clock}): {'kept' if kept else 'removed'}")
    return "\n".join(lines) + "\n"


# Each speed-up: the step without it, the step with it, and the clock that measures it.
SPEED_UPS = (
    (
        "each module's imports kept in the user cache",
        "codedeps: parse every module",
        "codedeps: from the user cache",
        "cpu",
    ),
    (
        "gc.freeze at exit",
        "exit after onsuccess: neither",
        "exit after onsuccess: gc.freeze (as built)",
        "wall",
    ),
    (
        "cancelling the scheduler's timers at exit",
        "exit after onsuccess: gc.freeze (as built)",
        "exit after onsuccess: gc.freeze and cancelling the timers",
        "wall",
    ),
)
KEEP_SECONDS = 0.1
KEEP_RULE = (
    f"saves at least {KEEP_SECONDS} s (median) and its slowest repeat is faster than the median without it"
)


def verdict(without: dict, with_it: dict) -> tuple[float, bool]:
    """The median saving, and whether it is worth keeping (KEEP_RULE)."""
    saving = round(without["median"] - with_it["median"], 3)
    return saving, saving >= KEEP_SECONDS and with_it["max"] < without["median"]


def markdown(result: dict) -> str:
    rows = [
        ("cold build / single-process baseline", "cold_over_baseline"),
        ("no-op run / Snakemake start-up on an empty workflow", "noop_over_empty_startup"),
        ("one-file rebuild / cold build", "incremental_over_cold"),
        (
            "make diff against a cached HEAD after a one-file edit / the one-file rebuild",
            "diff_over_incremental",
        ),
    ]
    s, m = result["seconds"], result["machine"]
    lines = [
        "# Benchmark",
        "",
        "Written by `make bench` (times in seconds: the median of the repeats, and their range).",
        "",
        "Every measurement but `cold empty user cache` shares the user's cache (each module's "
        "imports), as on a machine that has built the project once; that one "
        "is a first build on a new machine.",
        "",
        f"Machine: {m['cores']} cores; one-minute load average {m['load_average_before']} before the "
        f"measurements and {m['load_average_after']} after (other work on the machine slows the "
        "parallel builds more than the single-process baseline).",
        "",
        "| measurement | seconds | range |",
        "| --- | --- | --- |",
    ]
    runs = result.get("runs", {})
    for k, v in s.items():
        spread = f"{min(runs[k])}–{max(runs[k])}" if len(runs.get(k, ())) > 1 else ""
        lines.append(f"| {k.replace('_', ' ')} | {v} | {spread} |")
    lines += ["", "| ratio | value | target | met |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {label} | {result['ratios'][key]} | ≤ {result['targets'][key]} | {'yes' if result['met'][key] else 'no'} |"
        for label, key in rows
    ]
    each = result.get("incremental_over_cold_each_repeat")
    if each:
        lines += ["", f"One-file rebuild / cold build in each repeat: {', '.join(str(r) for r in each)}."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``make bench``: everything; ``--items``: only what each speed-up buys (its section of
    docs/benchmark.md is replaced, the rest kept)."""
    argv = sys.argv[1:] if argv is None else argv
    out = paths.ROOT / paths.RESULTS
    out.mkdir(exist_ok=True)
    doc = paths.ROOT / "docs" / "benchmark.md"
    doc.parent.mkdir(exist_ok=True)
    if argv[:1] == ["--report-items"]:  # the section again from a saved measurement
        items = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    else:
        items = measure_items()
        (out / "bench-items.json").write_text(json.dumps(items, indent=2) + "\n", encoding="utf-8")
    if argv[:1] in (["--items"], ["--report-items"]):
        before = doc.read_text(encoding="utf-8").split(ITEMS_HEADING, 1)[0] if doc.exists() else ""
        md = before.rstrip("\n") + "\n\n" + items_markdown(items)
    else:
        result = measure()
        (out / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        md = markdown(result) + "\n" + items_markdown(items)
    (out / "bench.md").write_text(md, encoding="utf-8")
    (paths.ROOT / "docs").mkdir(exist_ok=True)
    doc = paths.ROOT / "docs" / "benchmark.md"
    # The tests' section is `make bench-tests`'s (biomedimg.tools.testbench): kept as it was.
    tests = testbench.section_of(doc.read_text(encoding="utf-8")) if doc.exists() else ""
    doc.write_text(md + ("\n" + tests if tests else ""), encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
