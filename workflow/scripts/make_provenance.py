"""Merge the per-job provenance fragments into results/provenance.json."""

from biomedimg.io import write_json
from biomedimg.outputs import provenance

merged = provenance.merge(list(snakemake.input.fragments), {}, snakemake.params.commit)
write_json(snakemake.output[0], merged)
