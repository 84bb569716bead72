"""Render the book's pages with the built outputs, then build the HTML site with Jupyter Book."""

from biomedimg import book, paths
from jupyter_book.cli.main import build

# Jupyter Book runs in this process (no second interpreter to start); the runner sends its output to the
# job's log. It raises RuntimeError (or exits) when Sphinx fails, which fails the job with the error logged.
src = book.render()
build.main([str(src), "--path-output", str(paths.BOOK_DIR), "--builder", "html"], standalone_mode=False)
