"""Remove Snakemake's lock left behind by a killed run, but only when no Snakemake runs here.

A run killed with SIGKILL cannot release ``.snakemake/locks``; the next run would refuse to start.
``make`` calls ``python -m biomedimg.locks`` first: if no live process is a Snakemake working in this
directory, the locks are stale and are removed (the killed jobs' outputs are then redone, because the
default profile sets ``rerun-incomplete``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def snakemake_running_in(directory: Path) -> bool:
    directory = directory.resolve()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            cwd = Path(os.readlink(proc / "cwd"))
        except OSError:
            continue
        if cwd == directory and any(part.endswith(b"snakemake") for part in cmdline[:3]):
            return True
    return False


def clear_stale_locks(directory: Path | None = None) -> bool:
    """Remove the lock folder if it exists and no Snakemake is running here; return whether it did."""
    directory = directory or Path.cwd()
    locks = directory / ".snakemake" / "locks"
    if not locks.exists() or not any(locks.iterdir()) or snakemake_running_in(directory):
        return False
    shutil.rmtree(locks)
    return True


if __name__ == "__main__":
    if clear_stale_locks():
        print("Removed a stale Snakemake lock left by an interrupted run.", file=sys.stderr)
