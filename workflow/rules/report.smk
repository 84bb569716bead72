# Phase 5: provenance of every output, then the Jupyter Book report (the last rule).

TABLE_NAMES = [
    "table1_xiangshan_conferences",
    "table2_cast_subcommittees",
    "table3_nsfc_projects",
    "table4_nsfc_creative_groups",
]
FIGURE_RULES = [
    "fig1_nobel_timeline",
    "fig_xiangshan_timeline",
    "fig_cast_subcommittees",
    "fig_nsfc_instrument_projects",
    "fig_nsfc_major_projects",
    "fig_creative_groups",
    "fig_publications_by_country",
    "fig_patents",
    "fig_nibib_vs_nsfc",
    "fig_infrastructure",
]
BUILD_RULES = TABLE_NAMES + FIGURE_RULES + ["datapackage", "claims"]


rule provenance:
    input:
        fragments=[prov(r) for r in BUILD_RULES],
        code=code("provenance"),
    output:
        paths.PROVENANCE,
    log:
        log("provenance"),
    conda:
        "../../envs/workflow.yaml"
    params:
        # The commit is a parameter, so a new commit refreshes provenance (and the book) on the next run.
        commit=git_commit(),
        scripts={r: script_of(r) for r in BUILD_RULES},
    script:
        "../scripts/make_provenance.py"


rule build_book:
    input:
        provenance=paths.PROVENANCE,
        sources=sorted(
            str(p)
            for p in Path("book").rglob("*")
            if p.is_file() and "_build" not in p.parts
        ),
        code=code("book", "catalog", "components", "provenance", "vocab"),
        # The reader's components: their templates, the citation and the configured repository/review.
        templates=sorted(str(p) for p in Path("workflow/templates").glob("*.j2")),
        citation=paths.CITATION,
        config=paths.CONFIG,
    output:
        index=BOOK_INDEX,
    log:
        log("build_book"),
    conda:
        "../../envs/book.yaml"
    script:
        "../scripts/build_book.py"
