"""Rebuild one of the review's Tables 1-4 as CSV (bilingual headers), .xlsx and, for each edition of the
book, the HTML fragment its page shows and the same cells as data (what the PDF typesets)."""

from biomedimg.io import write_csv, write_json, write_text
from biomedimg.outputs import provenance, tables
from biomedimg.outputs.downloads import write_table_xlsx

frame, fragments, cells = tables.build(snakemake.wildcards.name)
write_csv(snakemake.output.csv, frame)
write_table_xlsx(snakemake.output.xlsx, snakemake.wildcards.name, frame)
for lang, fragment in fragments.items():
    write_text(snakemake.output[f"html_{lang}"], fragment)
    write_json(snakemake.output[f"cells_{lang}"], cells[lang])
provenance.record(snakemake)
