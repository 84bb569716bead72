"""Symbolic links never carry content into the build or out of it.

The build copies ``book/`` (``_static``, ``_templates``, the pages) and its own outputs into
``results/book_src`` and from there into the published site, and it reads ``data/raw``.  Copying
follows links, so a committed ``book/_static/leak.txt`` pointing at ``~/.ssh/id_rsa`` would publish
that file, and a raw CSV replaced by a link would be built from (and offered to ``dvc add`` as an
edit) whatever the link points at.  So every symbolic link in what the build reads or copies is
refused by name, before anything is built (``biomedimg.run.preflight``, ``biomedimg.run.datasync``) and again
where the book is copied (``biomedimg.site.render.render``).  A link to a file inside the project is
refused too: the build publishes files, never links, and a link inside the project may still reach
what is not meant to be published (``.dvc/config.local``, ``.git``).
"""

from __future__ import annotations

import os
from pathlib import Path

from biomedimg import paths

# What the build reads or copies into the site: folders (walked, book/_build excepted: it is the
# build's own output) and single files.
FOLDERS = (paths.BOOK_DIR, paths.RAW_DIR, paths.DATA_DIR, paths.TABLES_DIR, paths.FIGURES_DIR)
FILES = (paths.CITATION, paths.CLAIMS_JSON, paths.CLAIMS_CSV, paths.PROVENANCE, paths.DATAPACKAGE_ZIP)
SKIPPED = {paths.BOOK_HTML.parent}


def describe(root: Path, link: Path) -> str:
    """The one line that refuses ``link`` (a path under ``root``, or relative to it), naming it and
    where it points."""
    rel = (root / link).relative_to(root)
    target = Path(os.path.realpath(root / link))
    root = Path(os.path.realpath(root))
    kind = "folder" if target.is_dir() else "file"
    if not target.is_relative_to(root):
        return f"{rel.as_posix()}: a symbolic link to a {kind} outside the project ({target}); refused"
    return (
        f"{rel.as_posix()}: a symbolic link (to {target.relative_to(root).as_posix()}); refused: the "
        "build copies files, not links (put the file itself there)"
    )


def links_under(root: Path, folder: Path) -> list[Path]:
    """Every symbolic link at or under ``root / folder`` (links to folders are not entered)."""
    start = root / folder
    if start.is_symlink():
        return [start]
    found = []
    for current, subfolders, files in os.walk(start):
        here = Path(current)
        found += [here / name for name in files if (here / name).is_symlink()]
        found += [here / name for name in subfolders if (here / name).is_symlink()]
        subfolders[:] = [
            d
            for d in subfolders
            if not (here / d).is_symlink() and (here / d).relative_to(root) not in SKIPPED
        ]
    return sorted(found)


def refused(root: Path = paths.ROOT, folders=FOLDERS, files=FILES) -> list[str]:
    """One line per symbolic link in what the build reads or copies (empty: none)."""
    root = Path(os.path.realpath(root))
    found = [link for folder in folders for link in links_under(root, Path(folder))]
    found += [root / f for f in files if (root / f).is_symlink()]
    return [describe(root, link) for link in found]
