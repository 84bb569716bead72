"""Writing outputs atomically (a killed or failed job never leaves a half-written file behind), and
reading YAML the one way every file of the project is read."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.resolver import Resolver


class YAMLAliasError(yaml.MarkedYAMLError):
    """An anchor or alias in a YAML file: refused, so that a few bytes cannot expand into gigabytes
    ("billion laughs") and every value is written where it is used."""


class _NoAliases(Composer):
    """PyYAML's composer, refusing anchors (``&a``) and aliases (``*a``) where they occur."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise YAMLAliasError(
                problem=f"alias *{event.anchor} is not allowed (no anchors or aliases); write the value out",
                problem_mark=event.start_mark,
            )
        if getattr(event, "anchor", None) is not None:
            raise YAMLAliasError(
                problem=f"anchor &{event.anchor} is not allowed (no anchors or aliases); write the value out",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


# libyaml scans and parses where PyYAML was built with it (the Snakefile reads every schema to plan
# its jobs, and the claims ledger is read by several jobs); only composing, which the alias check
# needs, runs in Python: about 1.3 times libyaml's own loader and 5 times faster than pure Python.
if getattr(yaml, "__with_libyaml__", False):
    from yaml._yaml import CParser

    class _Loader(_NoAliases, CParser, SafeConstructor, Resolver):
        def __init__(self, stream):
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)

else:  # pragma: no cover (PyYAML without libyaml)
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(_NoAliases, Reader, Scanner, Parser, SafeConstructor, Resolver):
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


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
    """A YAML document (text or open file) with safe types only, as ``yaml.safe_load`` reads it, but
    refusing anchors and aliases (``YAMLAliasError``, a ``yaml.YAMLError`` located at the alias)."""
    loader = _Loader(source)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def yaml_problem(exc: yaml.YAMLError) -> tuple[int | None, int | None, str]:
    """(line, column, what is wrong) of a YAML error, on one line; line and column count from 1."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    words = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = "; ".join(" ".join(str(w).split()) for w in words if w) or " ".join(str(exc).split())
    if mark is None:
        return None, None, text
    return mark.line + 1, mark.column + 1, text


def file_hash(path: Path | str, algorithm: str) -> str:
    """The hex digest of a file's bytes (``md5`` as DVC records them, ``sha256`` for provenance)."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
