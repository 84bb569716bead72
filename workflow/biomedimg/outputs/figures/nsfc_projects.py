"""NSFC projects by year and department, counted and funded: the plot of two figures
(fig_nsfc_instrument_projects and fig_nsfc_major_projects, Table 3's two programmes).
"""

from __future__ import annotations

from decimal import Decimal

import matplotlib.pyplot as plt
import pandas as pd

from biomedimg.outputs.figures.common import Plot, values_table
from biomedimg.outputs.style import (
    BAR_EDGE,
    DEPARTMENTS,
    SMALL_PT,
    WIDTH_IN,
    t,
)

NSFC_COLUMNS = [
    ("year", "立项年度", "Year approved"),
    ("department", "科学部", "Department"),
    ("projects", "项目数", "Projects"),
    ("funding", "经费（亿元）", "Funding (¥100 million)"),
]


def plot_projects(frame: pd.DataFrame, lang: str, title: tuple[str, str]) -> Plot:
    years = list(range(int(frame["year"].min()), int(frame["year"].max()) + 1))
    rows = []
    for dept in DEPARTMENTS:
        for year in years:
            sub = frame[(frame["department_zh"] == dept) & (frame["year"] == year)]
            if len(sub):
                # 10k CNY -> 100M CNY, exactly (the raw funding is a Decimal).
                funding = sum(sub["funding_10k_cny"], Decimal(0)) / Decimal(10_000)
                rows.append(
                    {
                        "year": year,
                        "dept": dept,
                        "projects": len(sub),
                        "funding": funding,
                    }
                )
    unknown = set(frame["department_zh"]) - set(DEPARTMENTS)
    if unknown:
        raise ValueError(f"no colour for NSFC department(s) {sorted(unknown)}: add them to style.DEPARTMENTS")
    values = values_table(
        lang,
        NSFC_COLUMNS,
        [
            {
                **r,
                "department": t(lang, r["dept"], DEPARTMENTS[r["dept"]][0]),
                "funding": str(r["funding"]),
            }
            for r in rows
        ],
    )
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(WIDTH_IN, 7.5), sharex=True, height_ratios=[1, 1.3])
    bottom_n = dict.fromkeys(years, 0.0)
    bottom_f = dict.fromkeys(years, 0.0)
    for dept, (en, colour) in DEPARTMENTS.items():
        mine = [r for r in rows if r["dept"] == dept]
        if not mine:
            continue
        xs = [r["year"] for r in mine]
        n = [r["projects"] for r in mine]
        f = [float(r["funding"]) for r in mine]
        label = t(lang, dept, en)
        ax1.bar(
            xs,
            n,
            bottom=[bottom_n[x] for x in xs],
            color=colour,
            label=label,
            edgecolor=BAR_EDGE,
        )
        ax2.bar(
            xs,
            f,
            bottom=[bottom_f[x] for x in xs],
            color=colour,
            label=label,
            edgecolor=BAR_EDGE,
        )
        for x, ni, fi in zip(xs, n, f, strict=True):
            bottom_n[x] += ni
            bottom_f[x] += fi
    for y, total in bottom_f.items():
        if total:
            ax2.text(y, total, f"{total:.2f}", ha="center", va="bottom", fontsize=SMALL_PT)
    ax1.set_ylabel(t(lang, "项目数", "Projects"))
    ax1.yaxis.get_major_locator().set_params(integer=True)
    ax2.set_ylabel(t(lang, "经费（亿元）", "Funding (¥100 million)"))
    ax2.set_xlabel(
        t(
            lang,
            "立项年度（2015年起为直接经费）",
            "Year approved (direct cost only from 2015)",
        )
    )
    ax2.set_xticks(years)
    ax2.set_xticklabels([str(y) for y in years], rotation=0)
    ax1.legend(
        ncol=3,
        fontsize=SMALL_PT,
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(0, 1.3),
    )
    total_n = len(frame)
    total_f = sum(frame["funding_10k_cny"], Decimal(0)) / Decimal(10_000)
    fig.suptitle(
        t(
            lang,
            f"{title[0]}：共{total_n}项，合计{total_f:.2f}亿元",
            f"{title[1]}: {total_n} projects, ¥{total_f * 100:,.0f} million in total",
        ),
        # A title of two lines (the English programme name) is raised by one line, clear of the legend.
        y=1.0 + 0.03 * t(lang, title[0], title[1]).count("\n"),
    )
    return Plot(fig, values)
