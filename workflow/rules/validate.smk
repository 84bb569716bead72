# Phase 1: every raw file is checked against its schema and sidecar before anything is built from it.


rule validate_raw:
    input:
        csv=paths.raw_csv("{name}"),
        meta=paths.raw_meta("{name}"),
        schema=paths.raw_schema("{name}"),
        sidecar_schema=paths.SIDECAR_SCHEMA,
        # The datasets its checks read, validated first by their own jobs (their stamps), so each
        # raw file is validated once.
        depends=lambda w: raw(*dataset_dependencies(w.name)),
        code=code("validate_raw"),
    output:
        stamp=paths.validated_stamp("{name}"),
    log:
        log("validate", "{name}"),
    priority: 100
    conda:
        "../../envs/workflow.yaml"
    params:
        job=job("validate_raw"),
    shell:
        RUN
