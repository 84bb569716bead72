"""Rebuild one of the review's Tables 1-4 as CSV (bilingual headers), .xlsx and an HTML fragment."""

from biomedimg import provenance, tables
from biomedimg.downloads import write_table_xlsx
from biomedimg.io import write_csv, write_text

frame, fragment = tables.build(snakemake.wildcards.name)
write_csv(snakemake.output.csv, frame)
write_table_xlsx(snakemake.output.xlsx, snakemake.wildcards.name, frame)
write_text(snakemake.output.html, fragment)
provenance.record(snakemake)
