# Rebuilds every figure, table and checked claim of the review
# 《生物医学影像的发展与展望》 from the DVC-tracked raw data, then the Jupyter Book report.
from snakemake.utils import min_version, validate

min_version("9.0")


# First, so that its checks (biomedimg.run.preflight) read config/config.yaml, refusing YAML aliases and
# giving one line per error, before Snakemake's own reader and validator do.
include: "workflow/rules/common.smk"


configfile: "config/config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


wildcard_constraints:
    name="[a-z0-9_]+",


include: "workflow/rules/validate.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/interactive.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/pdf.smk"
include: "workflow/rules/report.smk"


onsuccess:
    from biomedimg.run import finish
    from biomedimg.io import publish

    if paths.CLAIMS_METRICS.exists():
        publish(paths.CLAIMS_METRICS, paths.METRICS)
    finish.finish()


onerror:
    from biomedimg.run import finish

    finish.finish()


rule all:
    input:
        BOOK_INDEX,
