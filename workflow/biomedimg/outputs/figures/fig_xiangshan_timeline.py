"""Xiangshan Science Conferences on imaging themes per year (Table 1)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from biomedimg.outputs.figures.common import Plot, values_table
from biomedimg.outputs.style import (
    BAR_EDGE,
    OTHER,
    WIDTH_IN,
    t,
)


def plot(data: dict[str, pd.DataFrame], lang: str) -> Plot:
    conf = data["xiangshan_conferences"]
    years = conf["start_date"].map(lambda d: d.year)
    span = list(range(1995, 2019))
    counts = [int((years == y).sum()) for y in span]
    values = values_table(
        lang,
        [("year", "年份", "Year"), ("n", "会议次数", "Conferences")],
        [{"year": y, "n": n} for y, n in zip(span, counts, strict=True)],
    )
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 4.5))
    ax.bar(span, counts, color=OTHER, edgecolor=BAR_EDGE)
    ax.set_xticks(span)
    ax.set_xticklabels([str(y) for y in span], rotation=90)
    ax.set_ylabel(t(lang, "会议次数", "Conferences"))
    ax.yaxis.get_major_locator().set_params(integer=True)
    cities = conf["city_zh"].value_counts()
    city_text = ", ".join(
        f"{c if lang == 'zh' else conf.loc[conf['city_zh'] == c, 'city_en'].iloc[0]} {n}"
        for c, n in cities.items()
    )
    ax.set_title(
        t(
            lang,
            f"香山科学会议生物医学影像相关主题\n（1995–2018年共{len(conf)}次；{city_text}）",
            f"Xiangshan Science Conferences on imaging themes\n(1995–2018: {len(conf)}; {city_text})",
        ),
        fontsize=10,
    )
    return Plot(fig, values)
