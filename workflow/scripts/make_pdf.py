"""Typeset the book's PDF edition in each language (biomedimg.pdfbook)."""

from biomedimg import paths, pdfbook, provenance

font = pdfbook.font_file(snakemake.params.cjk_font_package, snakemake.params.cjk_font_file)
pdfbook.build({lang: snakemake.output[lang] for lang in paths.LANGS}, font)
provenance.record(snakemake)
