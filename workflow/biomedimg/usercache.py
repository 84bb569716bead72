"""Files in the user's cache (``paths.cache_dir()``): results that are costly to work out, keyed by
what they are worked out from, so every checkout and every build can reuse them.

Best effort: a missing, unreadable or unwritable cache costs time, never a failed build; entries are
written atomically, so two builds writing at once leave one whole entry.
"""

from __future__ import annotations

import contextlib

from biomedimg import paths
from biomedimg.io import write_bytes

# Path.home() raises RuntimeError where the user has no home directory: then there is no cache.
_NO_CACHE = (OSError, RuntimeError)


def read(name: str) -> bytes | None:
    """The entry's bytes, or None when there is none (or it cannot be read)."""
    try:
        return (paths.cache_dir() / name).read_bytes()
    except _NO_CACHE:
        return None


def write(name: str, data: bytes) -> None:
    with contextlib.suppress(*_NO_CACHE):
        write_bytes(paths.cache_dir() / name, data)
