# Phase 5: provenance of every output, then the Jupyter Book report (the last rule).


COMMIT = git_commit()


rule provenance:
    input:
        fragments=[prov(name) for name in PROVENANCE_SOURCES],
        code=code("make_provenance"),
    output:
        paths.PROVENANCE,
    log:
        log("provenance"),
    conda:
        "../../envs/workflow.yaml"
    params:
        # The commit is a parameter, so a new commit refreshes provenance (and the book) on the next run:
        # a parameter of its own, since Snakemake compares only parameters that are not functions of
        # the job's inputs or outputs (as `job` is) when it decides what to rerun.
        commit=COMMIT,
        job=job("provenance", commit=COMMIT),
    shell:
        RUN


rule build_book:
    input:
        unpack(book_inputs),
        provenance=paths.PROVENANCE,
        sources=[str(p) for p in paths.book_sources()],
        # Each edition offers its PDF (rule pdf) for download.
        pdf=[str(paths.book_pdf(lang)) for lang in paths.LANGS],
        # The interactive figures' library, served from each edition's vendor/ folder.
        vega=str(paths.VEGA_BUNDLE),
        # The reader's components: their templates, the citation and the configured repository/review.
        templates=[str(p) for p in paths.templates("site")],
        citation=paths.CITATION,
        config=paths.CONFIG,
        # The figures' captions.
        figures_file=paths.FIGURES_FILE,
        code=code("build_book"),
    output:
        index=BOOK_INDEX,
        editions=[str(paths.book_index(lang)) for lang in paths.LANGS],
    log:
        log("build_book"),
    conda:
        "../../envs/book.yaml"
    params:
        job=job("build_book"),
    shell:
        RUN
