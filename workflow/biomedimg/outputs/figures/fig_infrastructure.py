"""Infrastructure and programme investments stated in the review."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from biomedimg.data import statements as st
from biomedimg.outputs.figures.common import STATED_COLUMNS, Plot, number, values_table
from biomedimg.outputs.style import (
    BAR_EDGE,
    OTHER,
    WIDTH_IN,
    t,
)

INVESTMENTS = [
    (
        "digital_dx_funding",
        "数字诊疗装备研发专项\n（国拨，三年）",
        "Digital diagnosis equipment\nprogramme (3 years)",
    ),
    (
        "pku_facility_investment",
        "北京大学多模态跨尺度\n成像设施（总投资）",
        "PKU multimodal cross-scale\nimaging facility",
    ),
    (
        "hust_facility_investment",
        "华中科技大学\n生物医学成像设施",
        "HUST biomedical\nimaging facility",
    ),
    (
        "suzhou_brainsmatics_funding",
        "苏州脑空间信息研究院",
        "Suzhou Brainsmatics\ninstitute",
    ),
    (
        "cas_instrument_funding",
        "中国科学院院级仪器项目\n（2010年以来）",
        "CAS instrument projects\n(since 2010)",
    ),
    (
        "cas_major_instrument_funding_13th_fyp",
        "中国科学院重大仪器项目\n（十三五以来）",
        "CAS major instrument\nprojects (13th FYP on)",
    ),
]


def plot(data: dict[str, pd.DataFrame], lang: str) -> Plot:
    s = data["prose_statements"]
    rows = [
        {
            "item": t(lang, zh.replace("\n", ""), " ".join(en.split())),
            "stated": st.label(s, k) + (f" ({st.row(s, k)['as_of']})" if st.row(s, k)["as_of"] else ""),
            "plotted": st.value(s, k),
            "unit": t(lang, "亿元", "¥100 million"),
            "statement": k,
        }
        for k, zh, en in INVESTMENTS
    ]
    values = values_table(lang, STATED_COLUMNS, [{**r, "plotted": number(r["plotted"])} for r in rows])
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 6))
    items = INVESTMENTS[::-1]
    shown = rows[::-1]
    heights = [r["plotted"] for r in shown]
    ax.barh(range(len(items)), heights, color=OTHER, edgecolor=BAR_EDGE)
    ax.set_yticks(range(len(items)))
    ax.set_yticklabels([t(lang, zh, en) for _, zh, en in items])
    for i, r in enumerate(shown):
        ax.text(r["plotted"], i, " " + r["stated"], va="center")
    ax.set_xlim(0, max(heights) * 1.45)
    ax.set_xlabel(
        t(
            lang,
            "投入（亿元人民币；>表示“超过”）",
            "Investment (¥100 million; > means 'more than')",
        )
    )
    ax.set_title(
        t(
            lang,
            "综述列举的基础设施与专项投入",
            "Infrastructure and programme investments stated in the review",
        )
    )
    fig.tight_layout()
    return Plot(fig, values)
