"""Render the book's two editions with the built outputs, build them with Jupyter Book (Sphinx) and
check the site (same pages and elements in both editions, every link and anchor resolving)."""

import sys

from biomedimg.site import build

# Sphinx runs in this process (no second interpreter to start); the runner sends stdout and stderr to
# the job's log, and a failure (Sphinx raises or exits) fails the job with the error logged.
build.build(log=sys.stdout)
