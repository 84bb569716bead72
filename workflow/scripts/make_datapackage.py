"""Write the published Frictionless Data Package (results/data/)."""

from biomedimg import datapackage, provenance

datapackage.build()
provenance.record(snakemake)
