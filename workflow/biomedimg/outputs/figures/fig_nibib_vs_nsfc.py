"""US NIBIB against NSFC code H18 in 2019: budgets, projects and funding per project."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd

from biomedimg.data import statements as st
from biomedimg.outputs.figures.common import Plot, number, values_table
from biomedimg.outputs.style import (
    BAR_EDGE,
    HIGHLIGHT,
    OTHER,
    SMALL_PT,
    WIDTH_IN,
    t,
)

FUNDING_COLUMNS = [
    ("funder", "资助方", "Funder"),
    ("budget", "经费（亿元人民币）", "Budget (¥100 million)"),
    ("projects", "项目数", "Projects"),
    ("per_project", "每个项目（万元）", "Per project (¥10,000s)"),
    ("rate", "汇率（元/美元）", "Rate (CNY per USD)"),
]


def per_project_words(total: float, statements: pd.DataFrame, count_id: str) -> str:
    """A total shared among a stated number of projects, in words. "超过700个" means at least 701
    projects, so each gets at most total / 701: shown as an upper bound (< 384), never as total / 700."""
    count = st.value(statements, count_id)
    if st.row(statements, count_id)["qualifier"] == "more_than":
        return f"< {math.floor(total / (count + 1)) + 1}"
    return number(total / count)


def plot(data: dict[str, pd.DataFrame], lang: str) -> Plot:
    s = data["prose_statements"]
    rates = data["exchange_rates"]
    rate = float(rates.loc[(rates["year"] == 2019) & (rates["base"] == "USD"), "rate"].iloc[0])
    nibib_cny = st.value(s, "nibib_fy2019_budget") * rate  # 100M USD -> 100M CNY
    nsfc_cny = st.value(s, "nsfc_h18_2019_funding")
    n_nibib = st.value(s, "nibib_fy2019_projects")
    n_nsfc = st.value(s, "nsfc_h18_2019_projects")
    per = [nibib_cny * 1e4 / n_nibib, nsfc_cny * 1e4 / n_nsfc]  # 10k CNY per project
    names = [
        t(lang, "美国NIBIB\n2019财年", "US NIBIB\nFY2019"),
        t(lang, "国家自然科学基金\nH18 2019年", "NSFC H18\n2019"),
    ]
    values = values_table(
        lang,
        FUNDING_COLUMNS,
        [
            {
                "funder": " ".join(name.split()),
                "budget": number(budget),
                "projects": st.label(s, key),
                "per_project": per_project_words(budget * 1e4, s, key),
                "rate": number(rate) if i == 0 else "",
            }
            for i, (name, budget, key, p) in enumerate(
                zip(
                    names,
                    [nibib_cny, nsfc_cny],
                    ["nibib_fy2019_projects", "nsfc_h18_2019_projects"],
                    per,
                    strict=True,
                )
            )
        ],
    )
    colours = [OTHER, HIGHLIGHT]
    fig, axes = plt.subplots(1, 3, figsize=(WIDTH_IN, 5))
    axes[0].bar(names, [nibib_cny, nsfc_cny], color=colours, edgecolor=BAR_EDGE)
    axes[0].text(
        0,
        nibib_cny,
        t(lang, f"{nibib_cny:.1f}亿元\n（3.90亿美元）", f"{nibib_cny:.1f}\n(USD 390M)"),
        ha="center",
        va="bottom",
    )
    axes[0].text(1, nsfc_cny, f"{nsfc_cny:g}", ha="center", va="bottom")
    axes[0].set_ylabel(t(lang, "经费（亿元人民币）", "Budget (¥100 million)"))
    axes[0].set_ylim(0, nibib_cny * 1.3)
    axes[0].set_title(
        t(
            lang,
            f"经费\n（NIBIB约为H18的{nibib_cny / nsfc_cny:.1f}倍）",
            f"Budget\n(NIBIB ≈ {nibib_cny / nsfc_cny:.1f}× H18)",
        ),
        fontsize=10,
    )
    axes[1].bar(names, [n_nibib, n_nsfc], color=colours, edgecolor=BAR_EDGE)
    axes[1].text(0, n_nibib, st.label(s, "nibib_fy2019_projects"), ha="center", va="bottom")
    axes[1].text(1, n_nsfc, st.label(s, "nsfc_h18_2019_projects"), ha="center", va="bottom")
    axes[1].set_ylim(0, n_nibib * 1.3)
    axes[1].set_title(t(lang, "项目数", "Projects"), fontsize=10)
    axes[2].bar(names, per, color=colours, edgecolor=BAR_EDGE)
    for i, (v, total, key) in enumerate(
        zip(
            per,
            [nibib_cny, nsfc_cny],
            ["nibib_fy2019_projects", "nsfc_h18_2019_projects"],
            strict=True,
        )
    ):
        words = per_project_words(total * 1e4, s, key)
        axes[2].text(
            i,
            v,
            words if words.startswith("<") else f"{v:.0f}",
            ha="center",
            va="bottom",
        )
    axes[2].set_ylim(0, max(per) * 1.3)
    axes[2].set_title(
        t(
            lang,
            "每个项目（万元；\nNIBIB按700个计，为上限）",
            "Per project (¥10,000s;\nNIBIB at 700: upper bound)",
        ),
        fontsize=10,
    )
    for axis in axes:
        axis.tick_params(axis="x", labelsize=SMALL_PT)
    fig.suptitle(
        t(
            lang,
            f"基础研究经费对比\n（按2019年平均汇率 1美元 = {rate:g}元人民币换算）",
            f"Basic research funding\n(converted at the 2019 average rate, 1 USD = {rate:g} CNY)",
        )
    )
    fig.tight_layout()
    return Plot(fig, values)
