"""Imaging patents: the US + China + Japan share and China's rank per modality, as the prose states them."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from biomedimg.data import statements as st
from biomedimg.outputs.figures.common import STATED_COLUMNS, Plot, number, values_table
from biomedimg.outputs.style import (
    BAR_EDGE,
    HIGHLIGHT,
    MUTED,
    OTHER,
    WIDTH_IN,
    t,
)
from biomedimg.vocab import ordinal

MODALITIES = [
    ("nuclide", "核素成像", "Nuclide"),
    ("mass_spec", "质谱成像", "Mass\nspectrometry"),
    ("optical", "光学成像", "Optical"),
    ("mri", "磁共振成像", "MRI"),
    ("ultrasound", "超声成像", "Ultrasound"),
    ("em", "电镜", "Electron\nmicroscopy"),
]


def plot(data: dict[str, pd.DataFrame], lang: str) -> Plot:
    s = data["prose_statements"]
    share = st.value(s, "patents_share_us_cn_jp")
    ranks = [int(st.value(s, f"patents_china_rank_{k}")) for k, _, _ in MODALITIES]
    rows = [
        {
            "item": t(
                lang,
                "美国、中国、日本合计占全球专利申请量",
                "US + China + Japan share of applications",
            ),
            "stated": st.label(s, "patents_share_us_cn_jp"),
            "plotted": number(share),
            "unit": "%",
            "statement": "patents_share_us_cn_jp",
        }
    ]
    rows += [
        {
            "item": t(lang, f"中国排名：{zh}", f"China's rank: {' '.join(en.split())}"),
            "stated": st.label(s, f"patents_china_rank_{k}"),
            "plotted": rank,
            "unit": t(lang, "名次", "rank"),
            "statement": f"patents_china_rank_{k}",
        }
        for (k, zh, en), rank in zip(MODALITIES, ranks, strict=True)
    ]
    values = values_table(lang, STATED_COLUMNS, rows)
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(WIDTH_IN, 7), height_ratios=[1, 2.4])
    ax.barh([0], [share], color=HIGHLIGHT, height=0.5, edgecolor=BAR_EDGE)
    ax.barh(
        [0],
        [100 - share],
        left=[share],
        color=MUTED,
        height=0.5,
        hatch="//",
        edgecolor="white",
    )
    ax.text(
        share / 2,
        0,
        rows[0]["stated"] + "%",
        ha="center",
        va="center",
        color="white",
        fontsize=12,
    )
    ax.text(
        share + (100 - share) / 2,
        0,
        t(lang, "其余国家（<40%）", "Rest of world (<40%)"),
        ha="center",
        va="center",
    )
    ax.set_xlim(0, 100)
    ax.set_yticks([])
    ax.set_xlabel(t(lang, "占全球专利申请量（%）", "Share of patent applications worldwide (%)"))
    ax.set_title(t(lang, "美国、中国、日本合计", "United States + China + Japan"), fontsize=10)
    names = [t(lang, zh, en) for _, zh, en in MODALITIES]
    ax2.bar(
        names,
        [4 - r for r in ranks],
        color=[HIGHLIGHT if r == 1 else OTHER for r in ranks],
        edgecolor=BAR_EDGE,
    )
    for i, r in enumerate(ranks):
        ax2.text(
            i,
            4 - r,
            t(lang, f"第{r}", ordinal(r)),
            ha="center",
            va="bottom",
            fontsize=11,
        )
    ax2.set_yticks([1, 2, 3])
    ax2.set_yticklabels([t(lang, f"第{r}", ordinal(r)) for r in (3, 2, 1)])
    ax2.set_ylim(0, 3.6)
    ax2.set_title(
        t(
            lang,
            "中国专利申请量的全球排名（X射线和生物电磁成像未给出）",
            "China's rank in patent applications (X-ray and bioelectromagnetic not stated)",
        ),
        fontsize=10,
    )
    start = int(st.value(s, "patents_global_growth_year"))
    burst = int(st.value(s, "patents_china_burst_year"))
    fig.suptitle(
        t(
            lang,
            f"生物医学影像专利（2019年2月Incopat检索；\n全球{start}年起高速增长，中国{burst}年起迸发）",
            f"Imaging patents (Incopat, Feb 2019;\nglobal growth from {start}, China's boom from {burst})",
        )
    )
    fig.tight_layout()
    return Plot(fig, values)
