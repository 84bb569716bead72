"""Validate one raw dataset and its sidecar; on success write the stamp the build rules depend on."""

import sys

from biomedimg.io import write_text
from biomedimg.joblog import get_logger
from biomedimg.provenance import file_hash
from biomedimg.validate import RawDataError, validate_dataset, validate_sidecar

name = snakemake.wildcards.name
try:
    rows = validate_dataset(name)
    validate_sidecar(name)
except RawDataError as exc:
    # One line per error, no traceback: the runner logs it and repeats it on the console.
    sys.exit(f"INVALID RAW DATA: {exc}")
get_logger().info(f"ok: {snakemake.input.csv} ({len(rows)} rows)")
write_text(
    snakemake.output.stamp,
    f"{file_hash(snakemake.input.csv, 'md5')}  {snakemake.input.csv}  {len(rows)} rows\n",
)
