"""Files in the user's cache (``paths.cache_dir()``): results that are costly to work out, keyed by
what they are worked out from, so every checkout and every build can reuse them.

The cache holds data, never code: every entry is JSON (or a build ``make diff`` checks against its
manifest), and a reader treats an entry that does not parse, or has the wrong shape, as missing.
Anyone who can write to the folder could plant entries, so a folder owned by another user, or
writable by group or others, is not used at all (one line on stderr says so).

Best effort: a missing, unreadable or unwritable cache costs time, never a failed build; entries are
written atomically, so two builds writing at once leave one whole entry.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from pathlib import Path

from biomedimg import paths
from biomedimg.io import write_bytes

# Path.home() raises RuntimeError where the user has no home directory: then there is no cache.
_NO_CACHE = (OSError, RuntimeError)
# Set once the unsafe folder has been reported, and inherited by every process the build starts
# (Snakemake's jobs), so a build says it once, not once per job.
REPORTED = "BIOMEDIMG_CACHE_REPORTED"


def unsafe_reason(folder: Path) -> str | None:
    """Why another user could plant entries in ``folder``, or None if only its owner (this user) can."""
    info = folder.stat()
    if info.st_uid != os.getuid():
        return f"it is owned by another user (uid {info.st_uid})"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"it is writable by group or others (chmod go-w '{folder}' to use it)"
    return None


def directory() -> Path | None:
    """The cache folder (made, private to the user, if missing), or None if there is none to use."""
    try:
        folder = paths.cache_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not folder.is_dir():
            return None
        reason = unsafe_reason(folder)
    except _NO_CACHE:
        return None
    if reason is None:
        return folder
    if not os.environ.get(REPORTED):
        print(f"user cache: not using {folder}: {reason}", file=sys.stderr)
        os.environ[REPORTED] = "1"
    return None


def read(name: str) -> bytes | None:
    """The entry's bytes, or None when there is none (or it cannot be read)."""
    folder = directory()
    if folder is None:
        return None
    try:
        return (folder / name).read_bytes()
    except _NO_CACHE:
        return None


def read_json(name: str):
    """The entry as parsed JSON, or None when there is none or it is not JSON (the caller checks its
    shape: a wrong one is no entry either)."""
    data = read(name)
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:  # not UTF-8 or not JSON: a damaged entry is no entry
        return None


def write(name: str, data: bytes) -> None:
    folder = directory()
    if folder is not None:
        with contextlib.suppress(*_NO_CACHE):
            write_bytes(folder / name, data)


def write_json(name: str, obj) -> None:
    write(name, json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8"))
