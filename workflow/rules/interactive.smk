# Phase 3b: the charting library of the interactive figures (vega, vega-lite, vega-embed), bundled by
# vl-convert from the versions it ships: built offline, the same bytes for the same locked version.
# The book copies it into each edition's vendor/; the specs themselves come from the values CSVs.


rule vega_bundle:
    input:
        code=code("make_vega_bundle"),
    output:
        js=str(paths.VEGA_BUNDLE),
        prov=prov("vega_bundle"),
    log:
        log("vega_bundle"),
    conda:
        "../../envs/book.yaml"
    params:
        job=job("vega_bundle"),
    shell:
        RUN
