"""Render one figure in Chinese and English, as SVG and PNG."""

from biomedimg import figures, provenance, style

style.setup(snakemake.params.cjk_font_package, snakemake.params.cjk_font_file)
for lang, fig in figures.build(snakemake.wildcards.name).items():
    style.save(
        fig,
        snakemake.output[f"{lang}_svg"],
        snakemake.output[f"{lang}_png"],
        dpi=snakemake.params.dpi,
    )
provenance.record(snakemake)
