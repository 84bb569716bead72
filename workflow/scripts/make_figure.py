"""Render one figure in Chinese and English, as SVG and PNG, with the values it plots as CSV and .xlsx."""

from biomedimg import io
from biomedimg.outputs import figures, provenance, style
from biomedimg.outputs.downloads import write_values_xlsx

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
    write_values_xlsx(snakemake.output[f"values_{lang}_xlsx"], name, lang, plot.values)
provenance.record(snakemake)
