"""Validate one raw dataset and its sidecar; on success write the stamp the build rules depend on."""

import sys

from biomedimg.io import write_text
from biomedimg.provenance import file_hash
from biomedimg.validate import RawDataError, validate_dataset, validate_sidecar

name = snakemake.wildcards.name
with open(snakemake.log[0], "w", encoding="utf-8") as log:
    try:
        rows = validate_dataset(name)
        validate_sidecar(name)
    except RawDataError as exc:
        message = f"INVALID RAW DATA: {exc}"
        print(message, file=log)
        print(message, file=sys.stderr)
        sys.exit(1)
    print(f"ok: {snakemake.input.csv} ({len(rows)} rows)", file=log)
write_text(
    snakemake.output.stamp,
    f"{file_hash(snakemake.input.csv, 'md5')}  {snakemake.input.csv}  {len(rows)} rows\n",
)
