"""NSFC's department-recommended major instrument projects in imaging (Table 3)."""

from __future__ import annotations

from biomedimg.outputs.figures.nsfc_projects import plot_projects


def plot(data, lang):
    return plot_projects(
        data["nsfc_instrument_projects"],
        lang,
        (
            "国家重大科研仪器研制专项（部门推荐类）",
            # NSFC's own English name of the programme (data/raw/nsfc_instrument_projects.meta.yaml).
            "NSFC Special Fund for Research on National Major Research Instruments\n(by recommendation)",
        ),
    )
