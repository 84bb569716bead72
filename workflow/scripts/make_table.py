"""Rebuild one of the review's Tables 1-4 as CSV (bilingual headers), .xlsx and an HTML fragment."""

from biomedimg.io import write_csv, write_text
from biomedimg.outputs import provenance, tables
from biomedimg.outputs.downloads import write_table_xlsx

frame, fragment = tables.build(snakemake.wildcards.name)
write_csv(snakemake.output.csv, frame)
write_table_xlsx(snakemake.output.xlsx, snakemake.wildcards.name, frame)
write_text(snakemake.output.html, fragment)
provenance.record(snakemake)
