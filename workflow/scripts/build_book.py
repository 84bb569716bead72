"""Render the book's two editions with the built outputs, build them with Jupyter Book (Sphinx) and
check the site (same pages and elements in both editions, every link and anchor resolving)."""

import sys
import traceback
from pathlib import Path

from biomedimg import booksite

# Sphinx runs in this process (no second interpreter to start); all its output goes to the log.
with open(snakemake.log[0], "w", encoding="utf-8") as log:
    try:
        booksite.build(log=log)
        failed = None
    except BaseException as exc:  # Sphinx raises (or exits) when a page fails
        traceback.print_exc(file=log)
        failed = exc
if failed is not None:
    sys.exit(f"building the book failed ({failed.__class__.__name__}: {failed}); see {snakemake.log[0]}")
for index in snakemake.output:
    print(f"Book: {Path(index).resolve()}")
