# Phase 5b: the book's PDF edition in each language, typeset by Typst from what the site shows (the
# figures' SVGs, the tables, the claims ledger, the pages' text); the book links and publishes it.


rule pdf:
    input:
        unpack(pdf_inputs),
        code=code("make_pdf"),
    output:
        **{lang: str(paths.book_pdf(lang)) for lang in paths.LANGS},
        prov=prov("pdf"),
    log:
        log("pdf"),
    conda:
        "../../envs/pdf.yaml"
    params:
        job=job(
            "pdf",
            cjk_font_package=config["figures"]["cjk_font_package"],
            cjk_font_file=config["figures"]["cjk_font_file"],
        ),
    shell:
        RUN
