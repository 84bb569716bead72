# Phase 3: figures, one rule each, in Chinese and English, SVG and 300-dpi PNG.
# Figures are the slowest jobs, so they are scheduled first (priority) to shorten the critical path.


rule fig1_nobel_timeline:
    input:
        raw("nobel_imaging_prizes", "nobel_laureates_1901_2023"),
        code("figures", "catalog", "nobel", "style", "rawdata", "io"),
    output:
        **figure_outputs("fig1_nobel_timeline"),
        prov=prov("fig1_nobel_timeline"),
    log:
        log("fig1_nobel_timeline"),
    priority: 10
    conda:
        "../../envs/figures.yaml"
    params:
        figure="fig1_nobel_timeline",
    script:
        "../scripts/make_figure.py"


rule fig_xiangshan_timeline:
    input:
        raw("xiangshan_conferences"),
        code("figures", "catalog", "style", "rawdata", "io"),
    output:
        **figure_outputs("fig_xiangshan_timeline"),
        prov=prov("fig_xiangshan_timeline"),
    log:
        log("fig_xiangshan_timeline"),
    priority: 10
    conda:
        "../../envs/figures.yaml"
    params:
        figure="fig_xiangshan_timeline",
    script:
        "../scripts/make_figure.py"


rule fig_cast_subcommittees:
    input:
        raw("cast_subcommittees"),
        code("figures", "catalog", "style", "rawdata", "io"),
    output:
        **figure_outputs("fig_cast_subcommittees"),
        prov=prov("fig_cast_subcommittees"),
    log:
        log("fig_cast_subcommittees"),
    priority: 10
    conda:
        "../../envs/figures.yaml"
    params:
        figure="fig_cast_subcommittees",
    script:
        "../scripts/make_figure.py"


rule fig_nsfc_instrument_projects:
    input:
        raw("nsfc_instrument_projects"),
        code("figures", "catalog", "style", "rawdata", "io"),
    output:
        **figure_outputs("fig_nsfc_instrument_projects"),
        prov=prov("fig_nsfc_instrument_projects"),
    log:
        log("fig_nsfc_instrument_projects"),
    priority: 10
    conda:
        "../../envs/figures.yaml"
    params:
        figure="fig_nsfc_instrument_projects",
    script:
        "../scripts/make_figure.py"


rule fig_nsfc_major_projects:
    input:
        raw("nsfc_major_projects"),
        code("figures", "catalog", "style", "rawdata", "io"),
    output:
        **figure_outputs("fig_nsfc_major_projects"),
        prov=prov("fig_nsfc_major_projects"),
    log:
        log("fig_nsfc_major_projects"),
    priority: 10
    conda:
        "../../envs/figures.yaml"
    params:
        figure="fig_nsfc_major_projects",
    script:
        "../scripts/make_figure.py"


rule fig_creative_groups:
    input:
        raw("nsfc_creative_groups", "nsfc_creative_group_awards"),
        code("figures", "catalog", "style", "rawdata", "io"),
    output:
        **figure_outputs("fig_creative_groups"),
        prov=prov("fig_creative_groups"),
    log:
        log("fig_creative_groups"),
    priority: 10
    conda:
        "../../envs/figures.yaml"
    params:
        figure="fig_creative_groups",
    script:
        "../scripts/make_figure.py"


rule fig_publications_by_country:
    input:
        raw("prose_statements"),
        code("figures", "catalog", "style", "rawdata", "statements", "io"),
    output:
        **figure_outputs("fig_publications_by_country"),
        prov=prov("fig_publications_by_country"),
    log:
        log("fig_publications_by_country"),
    priority: 10
    conda:
        "../../envs/figures.yaml"
    params:
        figure="fig_publications_by_country",
    script:
        "../scripts/make_figure.py"


rule fig_patents:
    input:
        raw("prose_statements"),
        code("figures", "catalog", "style", "rawdata", "statements", "io"),
    output:
        **figure_outputs("fig_patents"),
        prov=prov("fig_patents"),
    log:
        log("fig_patents"),
    priority: 10
    conda:
        "../../envs/figures.yaml"
    params:
        figure="fig_patents",
    script:
        "../scripts/make_figure.py"


rule fig_nibib_vs_nsfc:
    input:
        raw("prose_statements", "exchange_rates"),
        code("figures", "catalog", "style", "rawdata", "statements", "io"),
    output:
        **figure_outputs("fig_nibib_vs_nsfc"),
        prov=prov("fig_nibib_vs_nsfc"),
    log:
        log("fig_nibib_vs_nsfc"),
    priority: 10
    conda:
        "../../envs/figures.yaml"
    params:
        figure="fig_nibib_vs_nsfc",
    script:
        "../scripts/make_figure.py"


rule fig_infrastructure:
    input:
        raw("prose_statements"),
        code("figures", "catalog", "style", "rawdata", "statements", "io"),
    output:
        **figure_outputs("fig_infrastructure"),
        prov=prov("fig_infrastructure"),
    log:
        log("fig_infrastructure"),
    priority: 10
    conda:
        "../../envs/figures.yaml"
    params:
        figure="fig_infrastructure",
    script:
        "../scripts/make_figure.py"
