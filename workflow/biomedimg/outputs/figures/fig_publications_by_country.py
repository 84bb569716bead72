"""Imaging publications by country and two institutions, as the review's prose states them."""

from __future__ import annotations

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

COUNTRIES = [
    ("us", "美国", "United States"),
    ("china", "中国", "China"),
    ("germany", "德国", "Germany"),
    ("japan", "日本", "Japan"),
    ("uk", "英国", "United Kingdom"),
]


INSTITUTIONS = [
    ("uc", "美国加州大学", "University of\nCalifornia"),
    ("cas", "中国科学院", "Chinese Academy\nof Sciences"),
]


PUBLICATION_COLUMNS = [
    ("panel", "分图", "Panel"),
    ("name", "国家或机构", "Country or institution"),
    ("papers", "发文量（万篇）", "Papers (10,000s)"),
    ("rank", "排名", "Rank"),
    ("statement", "数据编号", "Statement id"),
]


def plot(data: dict[str, pd.DataFrame], lang: str) -> Plot:
    s = data["prose_statements"]
    panels = [
        (t(lang, "按国家", "By country"), COUNTRIES),
        (t(lang, "机构", "Institutions"), INSTITUTIONS),
    ]
    rows = [
        {
            "panel": panel,
            "key": k,
            "name": t(lang, zh, " ".join(en.split())),
            "papers": st.value(s, f"pubs_2019_{k}"),
            "rank": int(st.value(s, f"pubs_2019_{k}_rank")),
            "statement": f"pubs_2019_{k}",
        }
        for panel, entities in panels
        for k, zh, en in entities
    ]
    values = values_table(lang, PUBLICATION_COLUMNS, [{**r, "papers": number(r["papers"])} for r in rows])
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(WIDTH_IN, 5), width_ratios=[2, 1])
    for axis, (panel, entities) in zip((ax, ax2), panels, strict=True):
        mine = [r for r in rows if r["panel"] == panel]
        names = [t(lang, zh, en) for _, zh, en in entities]
        heights = [r["papers"] for r in mine]
        colours = [HIGHLIGHT if r["key"] in ("china", "cas") else OTHER for r in mine]
        axis.bar(names, heights, color=colours, edgecolor=BAR_EDGE)
        for i, r in enumerate(mine):
            axis.text(
                i,
                r["papers"],
                t(
                    lang,
                    f"{r['papers']:g}万篇\n第{r['rank']}",
                    f"{r['papers'] * 10:g}k\n#{r['rank']}",
                ),
                ha="center",
                va="bottom",
            )
        axis.set_ylim(0, max(heights) * 1.3)
        axis.tick_params(axis="x", labelsize=SMALL_PT)
    ratio = st.value(s, "pubs_2019_china") / st.value(s, "pubs_2019_us")
    ax.set_ylabel(t(lang, "发文量（万篇）", "Papers (10,000s)"))
    ax.set_title(
        t(
            lang,
            f"按国家（中国/美国 = {ratio:.2f} ≈ 1/3）",
            f"By country (China / US = {ratio:.2f} ≈ 1/3)",
        ),
        fontsize=10,
    )
    ax2.set_title(
        t(lang, "发文量前20名机构中的两家", "Two of the top-20\ninstitutions"),
        fontsize=10,
    )
    fig.suptitle(
        t(
            lang,
            "生物医学影像相关论文发文量（2019年2月检索）",
            "Biomedical imaging publications (search of February 2019)",
        )
    )
    fig.tight_layout()
    return Plot(fig, values)
