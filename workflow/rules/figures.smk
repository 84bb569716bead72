# Phase 3: every figure of config/figures.yaml, in Chinese and English, SVG and 300-dpi PNG, each
# drawn by its own module (biomedimg.outputs.figures.<name>).
# Figures are the slowest jobs, so they are scheduled first (priority) to shorten the critical path.


rule figure:
    input:
        unpack(figure_inputs),
        code=code("make_figure", figure_module),
    output:
        **figure_outputs("{name}"),
        prov=prov("{name}"),
    log:
        log("figure", "{name}"),
    wildcard_constraints:
        name="|".join(FIGURES),
    priority: 10
    conda:
        "../../envs/figures.yaml"
    params:
        entry=figure_entry,
        job=job(
            "figure",
            dpi=config["figures"]["dpi"],
            cjk_font_package=config["figures"]["cjk_font_package"],
            cjk_font_file=config["figures"]["cjk_font_file"],
        ),
    shell:
        RUN
