# Phase 2: the review's Tables 1-4 (every table of the catalog) and the published data package.


rule table:
    input:
        unpack(table_inputs),
        template="workflow/templates/table.html.j2",
        code=code("make_table"),
    output:
        **table_outputs("{name}"),
        prov=prov("{name}"),
    log:
        log("table", "{name}"),
    wildcard_constraints:
        name="|".join(TABLES),
    conda:
        "../../envs/workflow.yaml"
    params:
        job=job("table"),
    shell:
        RUN


rule datapackage:
    input:
        raw(*RAW_DATASETS),
        [str(paths.raw_meta(n)) for n in RAW_DATASETS],
        code=code("make_datapackage"),
    output:
        **data_outputs(),
        prov=prov("datapackage"),
    log:
        log("datapackage"),
    conda:
        "../../envs/workflow.yaml"
    params:
        job=job("datapackage"),
    shell:
        RUN
