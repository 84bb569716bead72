"""Render the book's pages with the built outputs, then build the HTML site with Jupyter Book."""

import subprocess
import sys
from pathlib import Path

from biomedimg import book, paths

src = book.render()
jb = Path(sys.executable).with_name("jupyter-book")
with open(snakemake.log[0], "w", encoding="utf-8") as log:
    result = subprocess.run(
        [str(jb), "build", str(src), "--path-output", str(paths.BOOK_DIR), "--builder", "html"],
        stdout=log,
        stderr=subprocess.STDOUT,
        check=False,
    )
if result.returncode != 0:
    sys.exit(f"jupyter-book build failed; see {snakemake.log[0]}")
print(f"Book: {Path(snakemake.output.index).resolve()}")
