# Phase 2: the review's Tables 1-4 and the published data package.


rule table1_xiangshan_conferences:
    input:
        raw("xiangshan_conferences"),
        code("tables", "catalog", "rawdata", "downloads"),
    output:
        csv=paths.table_csv("table1_xiangshan_conferences"),
        xlsx=paths.table_xlsx("table1_xiangshan_conferences"),
        html=paths.table_html("table1_xiangshan_conferences"),
        prov=prov("table1_xiangshan_conferences"),
    log:
        log("table1_xiangshan_conferences"),
    conda:
        "../../envs/workflow.yaml"
    params:
        table="table1_xiangshan_conferences",
    script:
        "../scripts/make_table.py"


rule table2_cast_subcommittees:
    input:
        raw("cast_subcommittees"),
        code("tables", "catalog", "rawdata", "downloads"),
    output:
        csv=paths.table_csv("table2_cast_subcommittees"),
        xlsx=paths.table_xlsx("table2_cast_subcommittees"),
        html=paths.table_html("table2_cast_subcommittees"),
        prov=prov("table2_cast_subcommittees"),
    log:
        log("table2_cast_subcommittees"),
    conda:
        "../../envs/workflow.yaml"
    params:
        table="table2_cast_subcommittees",
    script:
        "../scripts/make_table.py"


rule table3_nsfc_projects:
    input:
        raw("nsfc_instrument_projects", "nsfc_major_projects"),
        code("tables", "catalog", "rawdata", "downloads"),
    output:
        csv=paths.table_csv("table3_nsfc_projects"),
        xlsx=paths.table_xlsx("table3_nsfc_projects"),
        html=paths.table_html("table3_nsfc_projects"),
        prov=prov("table3_nsfc_projects"),
    log:
        log("table3_nsfc_projects"),
    conda:
        "../../envs/workflow.yaml"
    params:
        table="table3_nsfc_projects",
    script:
        "../scripts/make_table.py"


rule table4_nsfc_creative_groups:
    input:
        raw("nsfc_creative_groups", "nsfc_creative_group_awards"),
        code("tables", "catalog", "rawdata", "downloads"),
    output:
        csv=paths.table_csv("table4_nsfc_creative_groups"),
        xlsx=paths.table_xlsx("table4_nsfc_creative_groups"),
        html=paths.table_html("table4_nsfc_creative_groups"),
        prov=prov("table4_nsfc_creative_groups"),
    log:
        log("table4_nsfc_creative_groups"),
    conda:
        "../../envs/workflow.yaml"
    params:
        table="table4_nsfc_creative_groups",
    script:
        "../scripts/make_table.py"


rule datapackage:
    input:
        raw(*RAW_DATASETS),
        [str(paths.raw_meta(n)) for n in RAW_DATASETS],
        code("datapackage", "nobel", "rawdata", "downloads"),
    output:
        package=paths.DATAPACKAGE,
        zip=paths.DATAPACKAGE_ZIP,
        prov=prov("datapackage"),
    log:
        log("datapackage"),
    conda:
        "../../envs/workflow.yaml"
    script:
        "../scripts/make_datapackage.py"
