"""NSFC's department-recommended major instrument projects in imaging (Table 3)."""

from __future__ import annotations

from biomedimg.outputs.figures.nsfc_projects import plot_projects


def plot(data, lang):
    return plot_projects(
        data["nsfc_instrument_projects"],
        lang,
        ("国家重大科研仪器研制专项（部门推荐类）", "NSFC major research instruments"),
    )
