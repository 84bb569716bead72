"""Snakemake's lock, and the jobs that may still hold it.

A run killed with SIGKILL cannot release Snakemake's lock folder (``.snakemake/locks``, an internal of
Snakemake's: biomedimg.patches); the next run would refuse to start
and suggest ``--unlock``, which is unsafe while a job of the killed run still writes outputs (its
Python script outlives Snakemake).  So the lock is removed only when no process of a build of
this checkout runs any more: neither a Snakemake nor one of its jobs (a workflow script, the book
build).  If one still runs, the message names it instead of suggesting ``--unlock``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from biomedimg import patches

# What the command line of a build process of this checkout contains: Snakemake itself, the copies
# of workflow scripts Snakemake runs (.snakemake/scripts/), the scripts, the book builder.
BUILD_MARKERS = (b"snakemake", b"/.snakemake/", b"workflow/scripts/", b"jupyter-book", b"sphinx")


def _ancestors() -> set[int]:
    """This process and its parents (make, the shell): never a leftover job."""
    pids, pid = set(), os.getpid()
    while pid > 1 and pid not in pids:
        pids.add(pid)
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        pid = int(stat.rsplit(")", 1)[1].split()[1])
    return pids


def build_processes(directory: Path) -> list[tuple[int, str]]:
    """(pid, command line) of every running process of a build in this checkout."""
    directory = directory.resolve()
    mine = _ancestors()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) in mine:
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().rstrip(b"\0").split(b"\0")
            cwd = Path(os.readlink(proc / "cwd"))
        except OSError:
            continue
        if (cwd == directory or directory in cwd.parents) and any(
            marker in part for part in cmdline for marker in BUILD_MARKERS
        ):
            found.append((int(proc.name), b" ".join(cmdline).decode(errors="replace")))
    return sorted(found)


def snakemake_running_in(directory: Path) -> bool:
    return bool(build_processes(directory))


def clear_stale_locks(directory: Path | None = None) -> tuple[bool, list[tuple[int, str]]]:
    """Remove the lock if it exists and no build process of this checkout runs.

    Returns (whether a lock was removed, the build processes still running)."""
    directory = directory or Path.cwd()
    locks = directory / patches.SNAKEMAKE_LOCKS
    if not locks.exists() or not any(locks.iterdir()):
        return False, []
    running = build_processes(directory)
    if running:
        return False, running
    patches.remove_snakemake_locks(directory)
    return True, []


def main() -> int:
    removed, running = clear_stale_locks()
    if removed:
        print(
            "Removed the lock of an interrupted build (no job of this checkout is still running); "
            "its unfinished outputs will be redone.",
            file=sys.stderr,
        )
    if running:
        pid, cmd = running[0]
        print(
            f"Another build of this checkout is still running ({len(running)} process(es), e.g. pid {pid}: "
            f"{cmd[:120]}); wait for it to finish or stop it (kill {' '.join(str(p) for p, _ in running)}), "
            "then run make again.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
