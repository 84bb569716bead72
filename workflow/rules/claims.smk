# Phase 4: every number the review states, recomputed from the raw data and checked.


rule claims:
    input:
        raw(*RAW_DATASETS),
        claims=paths.CLAIMS_FILE,
        claims_schema=paths.CLAIMS_SCHEMA,
        code=code("check_claims"),
    output:
        json=paths.CLAIMS_JSON,
        csv=paths.CLAIMS_CSV,
        metrics=paths.CLAIMS_METRICS,
        prov=prov("claims"),
    log:
        log("claims"),
    conda:
        "../../envs/workflow.yaml"
    params:
        job=job("claims"),
    shell:
        RUN
