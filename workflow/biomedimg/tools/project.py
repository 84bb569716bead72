"""Throw-away copies of the project, for the benchmark and the end-to-end tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from biomedimg import paths


def tracked_files(root: Path = paths.ROOT) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\0") if p]


def copy_project(dest: Path, root: Path = paths.ROOT) -> Path:
    """The project's tracked files plus the DVC-restored raw data (writable), without build outputs."""
    for rel in tracked_files(root):
        src = root / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    shutil.copytree(root / paths.RAW_DIR, dest / paths.RAW_DIR, dirs_exist_ok=True)
    for p in (dest / paths.RAW_DIR).iterdir():
        p.chmod(0o644)
    return dest
