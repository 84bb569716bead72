"""Render one figure in Chinese and English, as SVG and PNG."""

from biomedimg import figures, provenance, style

style.setup(snakemake.config["figures"]["cjk_font_package"], snakemake.config["figures"]["cjk_font_file"])
name = snakemake.params.figure
for lang, fig in figures.build(name).items():
    style.save(
        fig,
        snakemake.output[f"{lang}_svg"],
        snakemake.output[f"{lang}_png"],
        dpi=snakemake.config["figures"]["dpi"],
    )
provenance.record(snakemake)
