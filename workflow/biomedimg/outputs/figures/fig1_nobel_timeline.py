"""Figure 1 of the review, reconstructed: the imaging-related Nobel Prizes by year and field."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from biomedimg.catalog import NOBEL_COLUMNS
from biomedimg.data import nobel
from biomedimg.outputs.figures.common import Plot, values_table
from biomedimg.outputs.style import (
    IMAGING_TYPES,
    SMALL_PT,
    WIDTH_IN,
    t,
)


def label_positions(years: list[float], min_gap: float) -> list[float]:
    """Vertical label positions near each year, pushed apart so no two are closer than min_gap."""
    order = np.argsort(years, kind="stable")
    placed = np.array(years, dtype=float)
    for _ in range(200):
        moved = False
        ys = placed[order]
        for i in range(1, len(ys)):
            if ys[i] - ys[i - 1] < min_gap - 1e-9:
                push = (min_gap - (ys[i] - ys[i - 1])) / 2
                ys[i - 1] -= push
                ys[i] += push
                moved = True
        placed[order] = ys
        if not moved:
            break
    return placed.tolist()


def plot(data: dict[str, pd.DataFrame], lang: str) -> Plot:
    prizes = nobel.join_prizes(data["nobel_imaging_prizes"], data["nobel_laureates_1901_2023"])
    prizes["label"] = [
        f"{y} {nobel.short_label(p)}" for y, p in zip(prizes["year"], prizes["laureates"], strict=True)
    ]
    values = values_table(
        lang,
        NOBEL_COLUMNS,
        [
            {
                **row,
                "field": t(lang, *nobel.FIELD_LABELS[row["field"]]),
                "imaging_type": t(lang, *IMAGING_TYPES[row["imaging_type"]][:2]),
                "rationale": t(lang, row["rationale_zh"], row["rationale_en"]),
            }
            for row in prizes.to_dict("records")
        ],
    )
    columns = list(nobel.FIELD_LABELS)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 13))
    x_of = {f: i for i, f in enumerate(columns)}
    for kind, group in prizes.groupby("imaging_type", sort=False):
        zh, en, colour, marker, style = IMAGING_TYPES[kind]
        group = group.sort_values(["year", "field"])
        xs = [x_of[f] for f in group["field"]]
        ax.plot(
            xs,
            group["year"],
            linestyle=style,
            color=colour,
            linewidth=1.2,
            alpha=0.7,
            zorder=1,
        )
        ax.scatter(
            xs,
            group["year"],
            marker=marker,
            s=70,
            color=colour,
            edgecolor="black",
            linewidth=0.5,
            zorder=3,
            label=t(lang, zh, en),
        )
    for field in columns:
        sub = prizes[prizes["field"] == field].sort_values("year")
        ys = label_positions(sub["year"].tolist(), min_gap=2.8)
        for row, y_label in zip(sub.itertuples(index=False), ys, strict=True):
            x = x_of[field]
            ax.annotate(
                row.label,
                xy=(x, row.year),
                xytext=(x + 0.12, y_label),
                fontsize=SMALL_PT,
                va="center",
                ha="left",
                arrowprops={
                    "arrowstyle": "-",
                    "color": "0.6",
                    "linewidth": 0.5,
                    "shrinkA": 0,
                    "shrinkB": 3,
                },
                gid=f"label-{field}-{row.year}",
            )
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels([t(lang, *nobel.FIELD_LABELS[f]) for f in columns])
    ax.set_xlim(-0.3, len(columns) - 0.05)
    ax.set_ylim(2022, 1896)
    ax.set_ylabel(t(lang, "获奖年份", "Year of the prize"))
    ax.grid(axis="y", color="0.9")
    ax.set_title(
        t(
            lang,
            f"获得诺贝尔奖的生物医学影像相关工作（1901年以来共{len(prizes)}项）",
            f"Imaging-related Nobel Prize-winning works since 1901: {len(prizes)} works "
            f"({nobel.distinct_prizes(data['nobel_imaging_prizes'])} prizes)",
        )
    )
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.04),
        ncol=3,
        frameon=False,
        title=t(
            lang,
            "成像类型（同类按时间顺序连线）",
            "Imaging type (joined in time order)",
        ),
    )
    return Plot(fig, values)
