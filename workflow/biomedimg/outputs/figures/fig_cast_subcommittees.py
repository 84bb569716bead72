"""Imaging-related sub-committees per CAST society (Table 2)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D

from biomedimg.outputs.figures.common import Plot, values_table
from biomedimg.outputs.style import (
    BAR_EDGE,
    DISCIPLINES,
    SMALL_PT,
    WIDTH_IN,
    t,
)

CAST_COLUMNS = [
    ("discipline", "大类", "Discipline"),
    ("society", "学会", "Society"),
    ("n", "分会/专委会数", "Sub-committees"),
]


def plot(data: dict[str, pd.DataFrame], lang: str) -> Plot:
    cast = data["cast_subcommittees"]
    counts = cast.groupby(["discipline", "society_zh", "society_en"], sort=False).size().reset_index(name="n")
    values = values_table(
        lang,
        CAST_COLUMNS,
        [
            {
                "discipline": t(lang, *DISCIPLINES[r["discipline"]][:2]),
                "society": r["society_zh"] if lang == "zh" else r["society_en"],
                "n": int(r["n"]),
            }
            for r in counts.to_dict("records")
        ],
    )
    counts = counts.iloc[::-1]
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 10.5))
    colours = [DISCIPLINES[d][2] for d in counts["discipline"]]
    labels = counts["society_zh"] if lang == "zh" else counts["society_en"]
    ax.barh(range(len(counts)), counts["n"], color=colours, edgecolor=BAR_EDGE)
    ax.set_yticks(range(len(counts)))
    ax.set_yticklabels(labels, fontsize=SMALL_PT)
    for i, n in enumerate(counts["n"]):
        ax.text(n + 0.1, i, str(n), va="center", fontsize=SMALL_PT)
    ax.set_xlabel(t(lang, "分会/专委会数", "Sub-committees"))
    handles = [
        Line2D(
            [],
            [],
            color=c,
            marker="s",
            markeredgecolor=BAR_EDGE,
            linestyle="",
            markersize=10,
            label=f"{t(lang, zh, en)} ({int((cast['discipline'] == k).sum())})",
        )
        for k, (zh, en, c) in DISCIPLINES.items()
    ]
    ax.legend(handles=handles, frameon=False, loc="lower right")
    n_soc = cast["society_zh"].nunique()
    ax.set_title(
        t(
            lang,
            f"中国科协{n_soc}个学会/协会的{len(cast)}个生物医学影像相关分会/专委会",
            f"{len(cast)} imaging-related sub-committees of {n_soc} CAST societies",
        )
    )
    ax.margins(y=0.01)
    return Plot(fig, values)
