"""Write the published Frictionless Data Package (results/data/) and the same files as one zip."""

from biomedimg import datapackage, provenance
from biomedimg.downloads import write_datapackage_zip

package = datapackage.build()
write_datapackage_zip(snakemake.output.zip, package)
provenance.record(snakemake)
