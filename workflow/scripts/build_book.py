"""Render the book's pages with the built outputs, then build the HTML site with Jupyter Book."""

import contextlib
import sys
from pathlib import Path

from biomedimg import book, paths
from jupyter_book.cli.main import build

src = book.render()
# Jupyter Book runs in this process (no second interpreter to start); its output goes to the log.
with (
    open(snakemake.log[0], "w", encoding="utf-8") as log,
    contextlib.redirect_stdout(log),
    contextlib.redirect_stderr(log),
):
    try:
        build.main(
            [str(src), "--path-output", str(paths.BOOK_DIR), "--builder", "html"], standalone_mode=False
        )
        failed = None
    except BaseException as exc:  # Jupyter Book raises RuntimeError (or exits) when Sphinx fails
        failed = exc
if failed is not None:
    sys.exit(f"jupyter-book build failed ({failed.__class__.__name__}); see {snakemake.log[0]}")
print(f"Book: {Path(snakemake.output.index).resolve()}")
