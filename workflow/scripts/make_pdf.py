"""Typeset the book's PDF edition in each language (biomedimg.site.pdf)."""

from biomedimg import paths
from biomedimg.outputs import provenance
from biomedimg.site import pdf

font = pdf.font_file(snakemake.params.cjk_font_package, snakemake.params.cjk_font_file)
pdf.build({lang: snakemake.output[lang] for lang in paths.LANGS}, font)
provenance.record(snakemake)
