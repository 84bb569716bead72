"""Validate one raw dataset and its sidecar (the checks of `python -m biomedimg.validate`); on success
write the stamp the build rules depend on, on failure one line per problem and no stamp."""

import sys

from biomedimg.io import write_text
from biomedimg.provenance import file_hash
from biomedimg.validate import RawDataError, validate_all

name = snakemake.wildcards.name
with open(snakemake.log[0], "w", encoding="utf-8") as log:
    try:
        rows = validate_all(name)
    except RawDataError as exc:
        for problem in exc.problems:
            message = f"INVALID RAW DATA: {problem}"
            print(message, file=log)
            print(message, file=sys.stderr)
        sys.exit(1)
    print(f"ok: {snakemake.input.csv} ({len(rows)} rows)", file=log)
write_text(
    snakemake.output.stamp,
    f"{file_hash(snakemake.input.csv, 'md5')}  {snakemake.input.csv}  {len(rows)} rows\n",
)
