"""The review's figures and the comparisons its prose states, in Chinese and English.

Each ``plot_*`` function takes the loaded data and a language and returns a matplotlib figure;
``FIGURES`` says which raw datasets each figure is built from (the Snakemake rules read it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from biomedimg import nobel, rawdata
from biomedimg.style import DEPARTMENTS, DISCIPLINES, IMAGING_TYPES, t


# ---------------------------------------------------------------------------------------- Figure 1


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


def plot_nobel_timeline(data: dict[str, pd.DataFrame], lang: str):
    prizes = nobel.join_prizes(data["nobel_imaging_prizes"], data["nobel_laureates_1901_2023"])
    columns = list(nobel.FIELD_LABELS)
    fig, ax = plt.subplots(figsize=(9, 12))
    x_of = {f: i for i, f in enumerate(columns)}
    for kind, group in prizes.groupby("imaging_type", sort=False):
        zh, en, colour, marker, style = IMAGING_TYPES[kind]
        group = group.sort_values(["year", "field"])
        xs = [x_of[f] for f in group["field"]]
        ax.plot(xs, group["year"], linestyle=style, color=colour, linewidth=1.2, alpha=0.6, zorder=1)
        ax.scatter(xs, group["year"], marker=marker, s=70, color=colour, edgecolor="black", linewidth=0.5,
                   zorder=3, label=t(lang, zh, en))
    for field in columns:
        sub = prizes[prizes["field"] == field].sort_values("year")
        ys = label_positions(sub["year"].tolist(), min_gap=2.6)
        for (row, y_label) in zip(sub.itertuples(index=False), ys, strict=True):
            x = x_of[field]
            ax.annotate(
                f"{row.year} {nobel.short_label(row.laureates)}",
                xy=(x, row.year), xytext=(x + 0.12, y_label), fontsize=7.5, va="center", ha="left",
                arrowprops={"arrowstyle": "-", "color": "0.6", "linewidth": 0.5, "shrinkA": 0, "shrinkB": 3},
                gid=f"label-{field}-{row.year}",
            )
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels([t(lang, *nobel.FIELD_LABELS[f]) for f in columns])
    ax.set_xlim(-0.3, len(columns) - 0.05)
    ax.set_ylim(2022, 1896)
    ax.set_ylabel(t(lang, "获奖年份", "Year of the prize"))
    ax.grid(axis="y", color="0.9")
    ax.set_title(t(lang, f"生物医学影像相关工作获得的诺贝尔奖(1901年以来共{len(prizes)}项)",
                   f"Imaging-related Nobel Prizes since 1901 ({len(prizes)} prizes)"))
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.04), ncol=3, frameon=False,
              title=t(lang, "成像类型(同类按时间顺序连线)", "Imaging type (joined in time order)"))
    return fig


# ------------------------------------------------------------------------------ Tables 3 and 4


def plot_nsfc_projects(frame: pd.DataFrame, lang: str, title: tuple[str, str]):
    frame = frame.copy()
    frame["funding"] = rawdata.as_float(frame["funding_10k_cny"]) / 1e4  # 10k CNY -> 100M CNY
    years = list(range(int(frame["year"].min()), int(frame["year"].max()) + 1))
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 7), sharex=True, height_ratios=[1, 1.3])
    bottom_n = np.zeros(len(years))
    bottom_f = np.zeros(len(years))
    for dept, (en, colour) in DEPARTMENTS.items():
        sub = frame[frame["department_zh"] == dept]
        if sub.empty:
            continue
        n = np.array([(sub["year"] == y).sum() for y in years])
        f = np.array([sub.loc[sub["year"] == y, "funding"].sum() for y in years])
        label = t(lang, dept, en)
        ax1.bar(years, n, bottom=bottom_n, color=colour, label=label, edgecolor="white")
        ax2.bar(years, f, bottom=bottom_f, color=colour, label=label, edgecolor="white")
        bottom_n += n
        bottom_f += f
    for y, total in zip(years, bottom_f, strict=True):
        if total:
            ax2.text(y, total, f"{total:.2f}", ha="center", va="bottom", fontsize=8)
    ax1.set_ylabel(t(lang, "项目数", "Projects"))
    ax1.yaxis.get_major_locator().set_params(integer=True)
    ax2.set_ylabel(t(lang, "经费(亿元)", "Funding (100M CNY)"))
    ax2.set_xlabel(t(lang, "立项年度(2015年起为直接经费)", "Year approved (direct cost only from 2015)"))
    ax2.set_xticks(years)
    ax2.set_xticklabels([str(y) for y in years], rotation=0)
    ax1.legend(ncol=3, fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(0, 1.25))
    total_n, total_f = len(frame), frame["funding"].sum()
    fig.suptitle(t(lang, f"{title[0]}: 共{total_n}项, 合计{total_f:.2f}亿元",
                   f"{title[1]}: {total_n} projects, {total_f:.2f} × 100M CNY in total"), y=1.0)
    return fig


def plot_instrument_projects(data, lang):
    return plot_nsfc_projects(data["nsfc_instrument_projects"], lang,
                              ("国家重大科研仪器研制专项(部门推荐类)", "NSFC major research instruments"))


def plot_major_projects(data, lang):
    return plot_nsfc_projects(data["nsfc_major_projects"], lang, ("国家自然科学基金重大项目", "NSFC Major Projects"))


def plot_creative_groups(data: dict[str, pd.DataFrame], lang: str):
    groups = data["nsfc_creative_groups"]
    awards = data["nsfc_creative_group_awards"].merge(groups, on="group_id")
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 5.5), width_ratios=[3, 1])
    for i, (zh, en, start, end) in enumerate(rawdata.FIVE_YEAR_PLANS):
        ax.axvspan(start - 0.5, end + 0.5, color="0.93" if i % 2 else "0.97", zorder=0)
        ax.text((start + end) / 2, -0.9, t(lang, zh, en), ha="center", va="center", fontsize=9, color="0.3")
    for g in groups.itertuples(index=False):
        sub = awards[awards["group_id"] == g.group_id].sort_values("award_no")
        colour = DEPARTMENTS[g.department_zh][1]
        y = g.group_id - 1
        ax.plot([sub["year"].min(), sub["year"].max() + 3], [y, y], color=colour, linewidth=3, alpha=0.35)
        ax.scatter(sub["year"], [y] * len(sub), color=colour, s=60, zorder=3, edgecolor="black", linewidth=0.5)
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels([f"{r.pi_zh if lang == 'zh' else r.pi_en}" for r in groups.itertuples(index=False)])
    ax.set_ylim(len(groups) - 0.5, -1.4)
    ax.set_xlim(2000, 2022.5)
    ax.set_xticks(range(2001, 2022, 2))
    ax.set_xlabel(t(lang, "立项年度(点: 每次资助; 条: 三年资助期)", "Award year (dot: award; bar: 3-year term)"))
    handles = [Line2D([], [], color=c, marker="o", linestyle="", label=t(lang, zh, en))
               for zh, (en, c) in DEPARTMENTS.items() if zh in set(groups["department_zh"])]
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="lower left")
    awards["plan"] = awards["year"].map(lambda y: rawdata.five_year_plan(int(y), lang))
    plans = [t(lang, zh, en) for zh, en, *_ in rawdata.FIVE_YEAR_PLANS]
    counts = [int((awards["plan"] == p).sum()) for p in plans]
    ax2.bar(plans, counts, color="#1f77b4")
    for i, c in enumerate(counts):
        ax2.text(i, c, str(c), ha="center", va="bottom")
    ax2.set_ylabel(t(lang, "资助项数", "Awards"))
    ax2.set_title(t(lang, f"各五年计划资助(共{len(awards)}项)", f"Awards per five-year plan ({len(awards)})"),
                  fontsize=10)
    fig.suptitle(t(lang, "国家自然科学基金创新研究群体及其滚动支持", "NSFC Creative Research Groups and their renewals"))
    fig.tight_layout()
    return fig


# ------------------------------------------------------------------------------ Tables 1 and 2


def plot_xiangshan_timeline(data: dict[str, pd.DataFrame], lang: str):
    conf = data["xiangshan_conferences"]
    years = conf["start_date"].map(lambda d: d.year)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    span = list(range(1995, 2019))
    counts = [int((years == y).sum()) for y in span]
    ax.bar(span, counts, color="#1f77b4", alpha=0.8)
    ax.set_xticks(span)
    ax.set_xticklabels([str(y) for y in span], rotation=90)
    ax.set_ylabel(t(lang, "会议次数", "Conferences"))
    ax.yaxis.get_major_locator().set_params(integer=True)
    cities = conf["city_zh"].value_counts()
    city_text = ", ".join(
        f"{c if lang == 'zh' else conf.loc[conf['city_zh'] == c, 'city_en'].iloc[0]} {n}" for c, n in cities.items()
    )
    ax.set_title(t(lang, f"香山科学会议生物医学影像相关主题(1995–2018年共{len(conf)}次; {city_text})",
                   f"Xiangshan Science Conferences on imaging themes (1995–2018: {len(conf)}; {city_text})"),
                 fontsize=10)
    return fig


def plot_cast_subcommittees(data: dict[str, pd.DataFrame], lang: str):
    cast = data["cast_subcommittees"]
    counts = cast.groupby(["discipline", "society_zh", "society_en"], sort=False).size().reset_index(name="n")
    counts = counts.iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 10))
    colours = [DISCIPLINES[d][2] for d in counts["discipline"]]
    labels = counts["society_zh"] if lang == "zh" else counts["society_en"]
    ax.barh(range(len(counts)), counts["n"], color=colours)
    ax.set_yticks(range(len(counts)))
    ax.set_yticklabels(labels, fontsize=8)
    for i, n in enumerate(counts["n"]):
        ax.text(n + 0.1, i, str(n), va="center", fontsize=8)
    ax.set_xlabel(t(lang, "分会/专委会数", "Sub-committees"))
    handles = [Line2D([], [], color=c, marker="s", linestyle="", markersize=10,
                      label=f"{t(lang, zh, en)} ({int((cast['discipline'] == k).sum())})")
               for k, (zh, en, c) in DISCIPLINES.items()]
    ax.legend(handles=handles, frameon=False, loc="lower right")
    n_soc = cast["society_zh"].nunique()
    ax.set_title(t(lang, f"中国科协{n_soc}个学会/协会的{len(cast)}个生物医学影像相关分会/专委会",
                   f"{len(cast)} imaging-related sub-committees of {n_soc} CAST societies"))
    ax.margins(y=0.01)
    return fig


@dataclass(frozen=True)
class FigureSpec:
    name: str
    plot: Callable
    datasets: tuple[str, ...]
    caption_zh: str
    caption_en: str


FIGURES: dict[str, FigureSpec] = {}


def register(name, plot, datasets, caption_zh, caption_en):
    FIGURES[name] = FigureSpec(name, plot, tuple(datasets), caption_zh, caption_en)


register("fig1_nobel_timeline", plot_nobel_timeline, ["nobel_imaging_prizes", "nobel_laureates_1901_2023"],
         "主要的生物医学影像相关工作多次获得诺贝尔奖(重建的图1): 纵轴为获奖年份, 横轴按物理学奖、化学奖、生理学或医学奖分列, "
         "同一成像类型按获奖时间顺序连线",
         "Imaging-related research won Nobel Prizes many times (Figure 1, reconstructed): year on the vertical axis, "
         "one column per prize field, prizes of one imaging type joined in time order")
register("fig_nsfc_instrument_projects", plot_instrument_projects, ["nsfc_instrument_projects"],
         "国家重大科研仪器研制专项(部门推荐类)生物医学影像项目: 按年度和科学部的项目数与经费(表3)",
         "NSFC department-recommended major instrument projects in imaging by year and department: "
         "projects and funding (Table 3)")
register("fig_nsfc_major_projects", plot_major_projects, ["nsfc_major_projects"],
         "国家自然科学基金生物医学影像相关重大项目: 按年度和科学部的项目数与经费(表3)",
         "NSFC Major Projects related to imaging by year and department: projects and funding (Table 3)")
register("fig_creative_groups", plot_creative_groups, ["nsfc_creative_groups", "nsfc_creative_group_awards"],
         "创新研究群体及其在各五年计划中的滚动支持(表4)",
         "Creative Research Groups and their renewals across five-year plans (Table 4)")
register("fig_xiangshan_timeline", plot_xiangshan_timeline, ["xiangshan_conferences"],
         "香山科学会议生物医学影像相关主题会议的年度分布(表1)",
         "Xiangshan Science Conferences on imaging themes per year (Table 1)")
register("fig_cast_subcommittees", plot_cast_subcommittees, ["cast_subcommittees"],
         "中国科协各学会的生物医学影像相关分会/专委会数, 按大类着色(表2)",
         "Imaging-related sub-committees per CAST society, coloured by discipline (Table 2)")


def build(name: str) -> dict:
    """Load a figure's raw data; return {lang: figure}."""
    spec = FIGURES[name]
    data = {d: rawdata.load(d) for d in spec.datasets}
    return {lang: spec.plot(data, lang) for lang in ("zh", "en")}
