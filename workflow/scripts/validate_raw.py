"""Validate one raw dataset and its sidecar (the checks of `python -m biomedimg.data.validate`); on success
write the stamp the build rules depend on, on failure one line per problem and no stamp."""

import sys

from biomedimg.data.validate import RawDataError, stamp_text, validate_all
from biomedimg.io import write_text
from biomedimg.run.joblog import get_logger

name = snakemake.wildcards.name
try:
    rows = validate_all(name)
except RawDataError as exc:
    # One line per error, no traceback: the runner logs them and repeats them on the console.
    sys.exit("\n".join(f"INVALID RAW DATA: {problem}" for problem in exc.problems))
get_logger().info(f"ok: {snakemake.input.csv} ({len(rows)} rows)")
write_text(snakemake.output.stamp, stamp_text(name, len(rows)))
