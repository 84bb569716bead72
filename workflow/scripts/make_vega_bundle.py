"""Write vega, vega-lite and vega-embed as one script for the interactive figures (from vl-convert,
offline; biomedimg.outputs.interactive)."""

from biomedimg.io import write_text
from biomedimg.outputs import interactive, provenance

write_text(snakemake.output.js, interactive.javascript_bundle())
provenance.record(snakemake)
