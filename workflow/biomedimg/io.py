"""Writing outputs atomically: a killed or failed job never leaves a half-written file behind."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import yaml

# libyaml's loader where PyYAML was built with it: the same documents, parsed about ten times faster
# (the Snakefile reads every schema to build its DAG, and the claims ledger is read by several jobs).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def write_bytes(path: Path | str, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def publish(source: Path | str, dest: Path | str) -> bool:
    """Copy a built file over a committed one, atomically and only if its content differs."""
    data = Path(source).read_bytes()
    if Path(dest).exists() and Path(dest).read_bytes() == data:
        return False
    write_bytes(dest, data)
    return True


def write_text(path: Path | str, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_json(path: Path | str, obj) -> None:
    write_text(path, json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def write_csv(path: Path | str, frame) -> None:
    """CSV the same way every time: UTF-8, \\n line endings, no index."""
    write_text(path, frame.to_csv(index=False, lineterminator="\n"))


def load_yaml(source):
    """A YAML document (text or open file) with safe types only, as ``yaml.safe_load`` reads it."""
    return yaml.load(source, Loader=_LOADER)  # noqa: S506 (a safe loader)
