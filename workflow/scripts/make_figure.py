"""Render one figure in Chinese and English, as SVG and PNG, with the values it plots as CSV."""

from biomedimg import figures, io, provenance, style

style.setup(snakemake.params.cjk_font_package, snakemake.params.cjk_font_file)
name = snakemake.wildcards.name
for lang, plot in figures.build(name).items():
    style.save(
        plot.figure,
        snakemake.output[f"{lang}_svg"],
        snakemake.output[f"{lang}_png"],
        dpi=snakemake.params.dpi,
        name=name,
    )
    io.write_csv(snakemake.output[f"values_{lang}"], plot.values)
provenance.record(snakemake)
