"""NSFC Major Projects related to imaging (Table 3)."""

from __future__ import annotations

from biomedimg.outputs.figures.nsfc_projects import plot_projects


def plot(data, lang):
    return plot_projects(
        data["nsfc_major_projects"],
        lang,
        ("国家自然科学基金重大项目", "NSFC Major Program"),
    )
