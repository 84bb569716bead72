"""What is published is what was built: before ``make`` builds, outputs changed by hand are found
and rebuilt, never published as they are.

Snakemake decides what to rerun from timestamps and its own records, so a built file edited by hand
(say ``results/tables/table1_xiangshan_conferences.csv`` opened and saved in Excel) is newer than its
inputs and looks up to date: it would be copied into the site, offered for download, and its
provenance hash would be false.  Two records say what was built:

- each job's provenance fragment (``results/provenance/<job>.json``, written by
  ``biomedimg.outputs.provenance.record`` after the job's outputs) holds the sha256 of every output of that
  job.  An output whose bytes differ is removed, and it and any output deleted by hand are named as
  targets, so Snakemake reruns the jobs that make them and what depends on them.  Each is said in
  one line.
- the last jobs' outputs, ``results/provenance.json`` and the site (``book/_build/html``), are
  recorded after every successful ``make`` in ``book/_build/published.json``.  If any of them differs
  (edited, deleted or added by hand, or left by a build that stopped half-way), the provenance is
  rebuilt and the site is built afresh.

``make`` runs :func:`before_build` before Snakemake and :func:`after_build` after a successful run
(``biomedimg.run.build``).  The check reads hashes only; it never writes into ``data/``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from biomedimg import paths
from biomedimg.io import file_hash, write_json

PUBLISHED = paths.BOOK_DIR / "_build" / "published.json"


def _fragments(root: Path) -> list[Path]:
    folder = root / paths.PROVENANCE_DIR
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def _recorded_outputs(root: Path) -> dict[str, str]:
    """path -> sha256 of every job output, as the job that wrote it recorded it."""
    recorded: dict[str, str] = {}
    for fragment in _fragments(root):
        try:
            hashes = json.loads(fragment.read_text(encoding="utf-8")).get("sha256", {})
        except (OSError, ValueError, AttributeError):
            continue  # an unreadable fragment: Snakemake reruns its job, which writes it anew
        if isinstance(hashes, dict):
            recorded.update({p: h for p, h in hashes.items() if isinstance(p, str) and isinstance(h, str)})
    return recorded


def _published_files(root: Path) -> dict[str, str]:
    """path -> sha256 of the provenance and every file of the site, as they are now."""
    files = {}
    provenance = root / paths.PROVENANCE
    if provenance.is_file():
        files[str(paths.PROVENANCE)] = file_hash(provenance, "sha256")
    site = root / paths.BOOK_HTML
    if site.is_dir():
        for path in sorted(site.rglob("*")):
            if path.is_file() or path.is_symlink():
                rel = path.relative_to(root).as_posix()
                files[rel] = file_hash(path, "sha256") if path.is_file() else "symlink"
    return files


def _summary(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def before_build(root: Path = paths.ROOT) -> tuple[list[str], list[str]]:
    """Remove outputs that differ from what their job wrote; return one line per finding, and the
    outputs to name as targets besides ``all`` (Snakemake does not rebuild a missing intermediate file
    when what depends on it is up to date)."""
    lines = []
    edited, deleted = [], []
    for rel, expected in sorted(_recorded_outputs(root).items()):
        path = root / rel
        if not path.exists():
            deleted.append(rel)
        elif file_hash(path, "sha256") != expected:
            edited.append(rel)
            path.unlink()
    for rel in edited:
        lines.append(f"{rel}: changed since its job built it (edited by hand?); rebuilding it")
    for rel in deleted:
        lines.append(f"{rel}: deleted since its job built it; rebuilding it")

    published = root / PUBLISHED
    try:
        before = json.loads(published.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = None
    if isinstance(before, dict):
        now = _published_files(root)
        differing = sorted(p for p in before.keys() | now.keys() if before.get(p) != now.get(p))
        if differing:
            lines.append(
                f"{_summary(differing)}: changed since the last complete build (edited, added or deleted "
                "by hand, or left by a build that stopped); rebuilding the provenance and the site"
            )
            (root / paths.PROVENANCE).unlink(missing_ok=True)
            shutil.rmtree(root / paths.BOOK_DIR / "_build", ignore_errors=True)
    return lines, edited + deleted


def after_build(root: Path = paths.ROOT) -> None:
    """Record the provenance and the site as this successful build left them."""
    if (root / paths.BOOK_HTML).is_dir():
        write_json(root / PUBLISHED, _published_files(root))
