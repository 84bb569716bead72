"""Jinja's compiled templates in the user's cache (``biomedimg.usercache``): the project's own
templates (components, pages) and the Sphinx theme's, which every build compiled afresh."""

from __future__ import annotations

import hashlib

import jinja2
import jinja2.bccache

from biomedimg import usercache


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates (compiling took a third of the book job's page rendering, and a fifth of each
    edition's Sphinx build), by the template's name and source, so any checkout reuses them; ``kind``
    names the environment, whose options (autoescaping, whitespace, sandbox) shape the compiled code.
    Jinja discards an entry compiled by another Jinja or Python version."""

    def __init__(self, kind: str):
        self.kind = kind

    def get_bucket(self, environment, name, filename, source):
        key = hashlib.sha256(f"{self.kind}\0{name}\0{source}".encode()).hexdigest()
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket) -> None:
        data = usercache.read(f"jinja/{bucket.key}")
        if data is not None:
            try:
                bucket.bytecode_from_string(data)
            except Exception:  # a damaged entry is compiled again
                bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        usercache.write(f"jinja/{bucket.key}", bucket.bytecode_to_string())
