"""Write the published Frictionless Data Package (results/data/) and the same files as one zip."""

from biomedimg.outputs import datapackage, provenance
from biomedimg.outputs.downloads import write_datapackage_zip

package = datapackage.build()
write_datapackage_zip(snakemake.output.zip, package)
provenance.record(snakemake)
