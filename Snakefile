# Rebuilds every figure, table and checked claim of the review
# 《生物医学影像的发展与展望》 from the DVC-tracked raw data, then the Jupyter Book report.
from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config/config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"


wildcard_constraints:
    name="[a-z0-9_]+",


include: "workflow/rules/validate.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/report.smk"


onsuccess:
    from biomedimg.io import publish
    from biomedimg.locks import release_scheduler_timers

    if paths.CLAIMS_METRICS.exists():
        publish(paths.CLAIMS_METRICS, paths.METRICS)
    release_scheduler_timers()


onerror:
    from biomedimg.locks import release_scheduler_timers

    release_scheduler_timers()


rule all:
    input:
        BOOK_INDEX,
