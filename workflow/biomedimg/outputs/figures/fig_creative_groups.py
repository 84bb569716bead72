"""NSFC Creative Research Groups and their renewals across five-year plans (Table 4)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D

from biomedimg.data import rawdata
from biomedimg.outputs.figures.common import Plot, values_table
from biomedimg.outputs.style import (
    BAR_EDGE,
    DEPARTMENTS,
    OTHER,
    SMALL_PT,
    WIDTH_IN,
    t,
)

CREATIVE_COLUMNS = [
    ("leader", "负责人", "Leader"),
    ("department", "科学部", "Department"),
    ("award_no", "第几次资助", "Award no."),
    ("year", "立项年度", "Award year"),
    ("term_end", "资助期至", "Term until"),
    ("plan", "五年计划", "Five-year plan"),
]


def plot(data: dict[str, pd.DataFrame], lang: str) -> Plot:
    groups = data["nsfc_creative_groups"]
    awards = data["nsfc_creative_group_awards"].merge(groups, on="group_id")
    awards = awards.sort_values(["group_id", "award_no"], kind="stable")
    awards["plan"] = awards["year"].map(lambda y: rawdata.five_year_plan(int(y), lang))
    leader = "pi_zh" if lang == "zh" else "pi_en"
    values = values_table(
        lang,
        CREATIVE_COLUMNS,
        [
            {
                "leader": a[leader],
                "department": t(lang, a["department_zh"], DEPARTMENTS[a["department_zh"]][0]),
                "award_no": int(a["award_no"]),
                "year": int(a["year"]),
                "term_end": int(a["year"]) + 3,
                "plan": a["plan"],
            }
            for a in awards.to_dict("records")
        ],
    )
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(WIDTH_IN, 9), height_ratios=[3, 1.2])
    for i, (zh, en, start, end) in enumerate(rawdata.FIVE_YEAR_PLANS):
        ax.axvspan(start - 0.5, end + 0.5, color="0.93" if i % 2 else "0.97", zorder=0)
        ax.text(
            (start + end) / 2,
            -0.9,
            t(lang, zh, en),
            ha="center",
            va="center",
            color="0.25",
        )
    for g in groups.itertuples(index=False):
        sub = awards[awards["group_id"] == g.group_id]
        colour = DEPARTMENTS[g.department_zh][1]
        y = g.group_id - 1
        ax.plot(
            [sub["year"].min(), sub["year"].max() + 3],
            [y, y],
            color=colour,
            linewidth=3,
            alpha=0.45,
        )
        ax.scatter(
            sub["year"],
            [y] * len(sub),
            color=colour,
            s=60,
            zorder=3,
            edgecolor="black",
            linewidth=0.5,
        )
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels([r.pi_zh if lang == "zh" else r.pi_en for r in groups.itertuples(index=False)])
    ax.set_ylim(len(groups) - 0.5, -1.4)
    ax.set_xlim(2000, 2022.5)
    ax.set_xticks(range(2001, 2022, 2))
    ax.set_xlabel(
        t(
            lang,
            "立项年度（点：每次资助；条：三年资助期）",
            "Award year (dot: award; bar: 3-year term)",
        )
    )
    handles = [
        Line2D([], [], color=c, marker="o", linestyle="", label=t(lang, zh, en))
        for zh, (en, c) in DEPARTMENTS.items()
        if zh in set(groups["department_zh"])
    ]
    ax.legend(handles=handles, fontsize=SMALL_PT, frameon=False, loc="lower left")
    plans = [t(lang, zh, en) for zh, en, *_ in rawdata.FIVE_YEAR_PLANS]
    counts = [int((awards["plan"] == p).sum()) for p in plans]
    ax2.bar(plans, counts, color=OTHER, edgecolor=BAR_EDGE)
    for i, c in enumerate(counts):
        ax2.text(i, c, str(c), ha="center", va="bottom")
    ax2.set_ylim(0, max(counts) * 1.3)
    ax2.set_ylabel(t(lang, "资助项数", "Awards"))
    ax2.set_title(
        t(
            lang,
            f"各五年计划资助（共{len(awards)}项）",
            f"Awards per five-year plan ({len(awards)})",
        ),
        fontsize=10,
    )
    fig.suptitle(
        t(
            lang,
            "国家自然科学基金创新研究群体及其滚动支持",
            "Groups of the NSFC Science Fund for Creative Research Groups and their renewals",
        )
    )
    fig.tight_layout()
    return Plot(fig, values)
