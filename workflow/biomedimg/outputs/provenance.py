"""Provenance of every built output: which rule and script made it, from which inputs, at which commit.

Each script ends with ``record(snakemake)``, which writes a small fragment next to its outputs; the
``provenance`` rule merges the fragments into ``results/provenance.json`` with the outputs' sha256
and the inputs' md5 (the hash DVC uses, so an input can be matched to ``data/raw.dvc``).
"""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

from biomedimg import paths
from biomedimg.io import file_hash, write_json


def git_commit(root: Path = paths.ROOT) -> str:
    """The commit this checkout is at, or "no commit" for a download without git history (a zip or
    ``git archive``), including one unpacked inside some other repository."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()

    try:
        if Path(git("rev-parse", "--show-toplevel")).resolve() != Path(root).resolve():
            return "no commit"
        return git("rev-parse", "HEAD")
    except (OSError, subprocess.SubprocessError):
        return "no commit"


def record(smk) -> None:
    """Write the provenance fragment of the running job (its ``prov`` output): every other output."""
    outputs = sorted(str(p) for p in smk.output if str(p) != str(smk.output.prov))
    inputs = sorted({str(p) for p in smk.input})
    # The outputs' hashes as this job wrote them: ``biomedimg.outputs.outputcheck`` finds one edited by hand.
    sha256 = {out: file_hash(out, "sha256") for out in outputs}
    fragment = {"rule": smk.rule, "outputs": outputs, "inputs": inputs, "sha256": sha256}
    if getattr(smk, "script", None):
        fragment["script"] = smk.script
    write_json(smk.output.prov, fragment)


def merge(fragments: list[str], scripts: dict[str, str], commit: str) -> dict:
    """One entry per output, sorted by path."""
    entries = []
    for fragment in fragments:
        with open(fragment, encoding="utf-8") as fh:
            frag = json.load(fh)
        inputs = [{"path": p, "md5": file_hash(p, "md5")} for p in frag["inputs"]]
        for out in frag["outputs"]:
            entries.append(
                {
                    "path": out,
                    "sha256": file_hash(out, "sha256"),
                    "rule": frag["rule"],
                    "script": frag.get("script") or scripts.get(frag["rule"], ""),
                    "inputs": inputs,
                    "commit": commit,
                }
            )
    entries.sort(key=lambda e: e["path"])
    return {"commit": commit, "outputs": entries}


SNAKEMAKE = ".venv/bin/snakemake"


def rebuild_command(*targets: str) -> str:
    """The command that rebuilds these outputs, as typed from the repository root.

    ``--force`` reruns the jobs that make the targets even when they are up to date (and builds
    whatever they need that is missing). Targets come before any option that takes a list, since
    ``--forcerun rule targets...`` would read the targets as more rules to force and build everything.
    """
    if not targets:
        raise ValueError("rebuild_command needs at least one target")
    return shlex.join([SNAKEMAKE, "--cores", "1", "--force", *targets])


def commit_date(commit: str, root: Path = paths.ROOT) -> str:
    """The commit's date (YYYY-MM-DD): the build date the site shows, so a rebuild gives the same bytes."""
    try:
        out = subprocess.run(
            ["git", "show", "-s", "--format=%cs", commit],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"
