"""The review's figures and the comparisons its prose states, in Chinese and English.

Each ``plot_*`` function takes the loaded data and a language and returns a ``Plot``: the matplotlib
figure and a table of exactly the values it draws (headers and labels in that language), which the
figure job publishes beside the figure.  Each function computes that table first and draws from it,
so the table cannot drift from the figure.  ``PLOTS`` maps figure names to the functions, and
``biomedimg.catalog.FIGURES`` gives each figure's raw inputs and captions.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from biomedimg.catalog import FIGURES, NOBEL_COLUMNS
from biomedimg.data import nobel, rawdata
from biomedimg.data import statements as st
from biomedimg.outputs.style import (
    BAR_EDGE,
    DEPARTMENTS,
    DISCIPLINES,
    HIGHLIGHT,
    IMAGING_TYPES,
    MUTED,
    OTHER,
    SMALL_PT,
    WIDTH_IN,
    t,
)
from biomedimg.vocab import ordinal


class Plot(NamedTuple):
    figure: Figure
    values: pd.DataFrame


def values_table(lang: str, columns: list[tuple[str, ...]], rows: list[dict]) -> pd.DataFrame:
    """Rows keyed by column key, as a table with headers in ``lang`` (columns: key, zh, en, and
    optionally the one language of the column's text in both editions; see ``cell_langs``)."""
    return pd.DataFrame(
        [[row[key] for key, *_ in columns] for row in rows],
        columns=[t(lang, zh, en) for _, zh, en, *_ in columns],
    )


def number(value: float) -> str:
    """A plotted float as written in a values table: up to six significant digits, no float noise."""
    return f"{value:.6g}"


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


def plot_nobel_timeline(data: dict[str, pd.DataFrame], lang: str) -> Plot:
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
        ax.plot(xs, group["year"], linestyle=style, color=colour, linewidth=1.2, alpha=0.7, zorder=1)
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
                arrowprops={"arrowstyle": "-", "color": "0.6", "linewidth": 0.5, "shrinkA": 0, "shrinkB": 3},
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
        title=t(lang, "成像类型（同类按时间顺序连线）", "Imaging type (joined in time order)"),
    )
    return Plot(fig, values)


# ------------------------------------------------------------------------------ Tables 3 and 4

NSFC_COLUMNS = [
    ("year", "立项年度", "Year approved"),
    ("department", "科学部", "Department"),
    ("projects", "项目数", "Projects"),
    ("funding", "经费（亿元）", "Funding (¥100 million)"),
]


def plot_nsfc_projects(frame: pd.DataFrame, lang: str, title: tuple[str, str]) -> Plot:
    years = list(range(int(frame["year"].min()), int(frame["year"].max()) + 1))
    rows = []
    for dept in DEPARTMENTS:
        for year in years:
            sub = frame[(frame["department_zh"] == dept) & (frame["year"] == year)]
            if len(sub):
                # 10k CNY -> 100M CNY, exactly (the raw funding is a Decimal).
                funding = sum(sub["funding_10k_cny"], Decimal(0)) / Decimal(10_000)
                rows.append({"year": year, "dept": dept, "projects": len(sub), "funding": funding})
    unknown = set(frame["department_zh"]) - set(DEPARTMENTS)
    if unknown:
        raise ValueError(f"no colour for NSFC department(s) {sorted(unknown)}: add them to style.DEPARTMENTS")
    values = values_table(
        lang,
        NSFC_COLUMNS,
        [
            {**r, "department": t(lang, r["dept"], DEPARTMENTS[r["dept"]][0]), "funding": str(r["funding"])}
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
        ax1.bar(xs, n, bottom=[bottom_n[x] for x in xs], color=colour, label=label, edgecolor=BAR_EDGE)
        ax2.bar(xs, f, bottom=[bottom_f[x] for x in xs], color=colour, label=label, edgecolor=BAR_EDGE)
        for x, ni, fi in zip(xs, n, f, strict=True):
            bottom_n[x] += ni
            bottom_f[x] += fi
    for y, total in bottom_f.items():
        if total:
            ax2.text(y, total, f"{total:.2f}", ha="center", va="bottom", fontsize=SMALL_PT)
    ax1.set_ylabel(t(lang, "项目数", "Projects"))
    ax1.yaxis.get_major_locator().set_params(integer=True)
    ax2.set_ylabel(t(lang, "经费（亿元）", "Funding (¥100 million)"))
    ax2.set_xlabel(t(lang, "立项年度（2015年起为直接经费）", "Year approved (direct cost only from 2015)"))
    ax2.set_xticks(years)
    ax2.set_xticklabels([str(y) for y in years], rotation=0)
    ax1.legend(ncol=3, fontsize=SMALL_PT, frameon=False, loc="upper left", bbox_to_anchor=(0, 1.3))
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


def plot_instrument_projects(data, lang):
    return plot_nsfc_projects(
        data["nsfc_instrument_projects"],
        lang,
        (
            "国家重大科研仪器研制专项（部门推荐类）",
            # NSFC's own English name of the programme (data/raw/nsfc_instrument_projects.meta.yaml).
            "NSFC Special Fund for Research on National Major Research Instruments\n(by recommendation)",
        ),
    )


def plot_major_projects(data, lang):
    return plot_nsfc_projects(
        data["nsfc_major_projects"], lang, ("国家自然科学基金重大项目", "NSFC Major Program")
    )


CREATIVE_COLUMNS = [
    ("leader", "负责人", "Leader"),
    ("department", "科学部", "Department"),
    ("award_no", "第几次资助", "Award no."),
    ("year", "立项年度", "Award year"),
    ("term_end", "资助期至", "Term until"),
    ("plan", "五年计划", "Five-year plan"),
]


def plot_creative_groups(data: dict[str, pd.DataFrame], lang: str) -> Plot:
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
        ax.text((start + end) / 2, -0.9, t(lang, zh, en), ha="center", va="center", color="0.25")
    for g in groups.itertuples(index=False):
        sub = awards[awards["group_id"] == g.group_id]
        colour = DEPARTMENTS[g.department_zh][1]
        y = g.group_id - 1
        ax.plot([sub["year"].min(), sub["year"].max() + 3], [y, y], color=colour, linewidth=3, alpha=0.45)
        ax.scatter(
            sub["year"], [y] * len(sub), color=colour, s=60, zorder=3, edgecolor="black", linewidth=0.5
        )
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels([r.pi_zh if lang == "zh" else r.pi_en for r in groups.itertuples(index=False)])
    ax.set_ylim(len(groups) - 0.5, -1.4)
    ax.set_xlim(2000, 2022.5)
    ax.set_xticks(range(2001, 2022, 2))
    ax.set_xlabel(
        t(lang, "立项年度（点：每次资助；条：三年资助期）", "Award year (dot: award; bar: 3-year term)")
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
        t(lang, f"各五年计划资助（共{len(awards)}项）", f"Awards per five-year plan ({len(awards)})"),
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


# ------------------------------------------------------------------------------ Tables 1 and 2


def plot_xiangshan_timeline(data: dict[str, pd.DataFrame], lang: str) -> Plot:
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


CAST_COLUMNS = [
    ("discipline", "大类", "Discipline"),
    ("society", "学会", "Society"),
    ("n", "分会/专委会数", "Sub-committees"),
]


def plot_cast_subcommittees(data: dict[str, pd.DataFrame], lang: str) -> Plot:
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


# ------------------------------------------------------------------- comparisons stated in prose


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


def plot_publications(data: dict[str, pd.DataFrame], lang: str) -> Plot:
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
                t(lang, f"{r['papers']:g}万篇\n第{r['rank']}", f"{r['papers'] * 10:g}k\n#{r['rank']}"),
                ha="center",
                va="bottom",
            )
        axis.set_ylim(0, max(heights) * 1.3)
        axis.tick_params(axis="x", labelsize=SMALL_PT)
    ratio = st.value(s, "pubs_2019_china") / st.value(s, "pubs_2019_us")
    ax.set_ylabel(t(lang, "发文量（万篇）", "Papers (10,000s)"))
    ax.set_title(
        t(lang, f"按国家（中国/美国 = {ratio:.2f} ≈ 1/3）", f"By country (China / US = {ratio:.2f} ≈ 1/3)"),
        fontsize=10,
    )
    ax2.set_title(t(lang, "发文量前20名机构中的两家", "Two of the top-20\ninstitutions"), fontsize=10)
    fig.suptitle(
        t(
            lang,
            "生物医学影像相关论文发文量（2019年2月检索）",
            "Biomedical imaging publications (search of February 2019)",
        )
    )
    fig.tight_layout()
    return Plot(fig, values)


MODALITIES = [
    ("nuclide", "核素成像", "Nuclide"),
    ("mass_spec", "质谱成像", "Mass\nspectrometry"),
    ("optical", "光学成像", "Optical"),
    ("mri", "磁共振成像", "MRI"),
    ("ultrasound", "超声成像", "Ultrasound"),
    ("em", "电镜", "Electron\nmicroscopy"),
]
STATED_COLUMNS = [
    ("item", "项目", "Item"),
    ("stated", "综述所述", "As stated"),
    ("plotted", "图中数值", "Plotted value"),
    ("unit", "单位", "Unit"),
    ("statement", "数据编号", "Statement id"),
]


def plot_patents(data: dict[str, pd.DataFrame], lang: str) -> Plot:
    s = data["prose_statements"]
    share = st.value(s, "patents_share_us_cn_jp")
    ranks = [int(st.value(s, f"patents_china_rank_{k}")) for k, _, _ in MODALITIES]
    rows = [
        {
            "item": t(
                lang, "美国、中国、日本合计占全球专利申请量", "US + China + Japan share of applications"
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
    ax.barh([0], [100 - share], left=[share], color=MUTED, height=0.5, hatch="//", edgecolor="white")
    ax.text(share / 2, 0, rows[0]["stated"] + "%", ha="center", va="center", color="white", fontsize=12)
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
        ax2.text(i, 4 - r, t(lang, f"第{r}", ordinal(r)), ha="center", va="bottom", fontsize=11)
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


def plot_nibib_vs_nsfc(data: dict[str, pd.DataFrame], lang: str) -> Plot:
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
        zip(per, [nibib_cny, nsfc_cny], ["nibib_fy2019_projects", "nsfc_h18_2019_projects"], strict=True)
    ):
        words = per_project_words(total * 1e4, s, key)
        axes[2].text(i, v, words if words.startswith("<") else f"{v:.0f}", ha="center", va="bottom")
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
    ("hust_facility_investment", "华中科技大学\n生物医学成像设施", "HUST biomedical\nimaging facility"),
    ("suzhou_brainsmatics_funding", "苏州脑空间信息研究院", "Suzhou Brainsmatics\ninstitute"),
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


def plot_infrastructure(data: dict[str, pd.DataFrame], lang: str) -> Plot:
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
        t(lang, "投入（亿元人民币；>表示“超过”）", "Investment (¥100 million; > means 'more than')")
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


# Which function draws which figure (captions and inputs are in biomedimg.catalog).
PLOTS = {
    "fig1_nobel_timeline": plot_nobel_timeline,
    "fig_nsfc_instrument_projects": plot_instrument_projects,
    "fig_nsfc_major_projects": plot_major_projects,
    "fig_creative_groups": plot_creative_groups,
    "fig_xiangshan_timeline": plot_xiangshan_timeline,
    "fig_cast_subcommittees": plot_cast_subcommittees,
    "fig_publications_by_country": plot_publications,
    "fig_patents": plot_patents,
    "fig_nibib_vs_nsfc": plot_nibib_vs_nsfc,
    "fig_infrastructure": plot_infrastructure,
}


def build(name: str, data: dict[str, pd.DataFrame] | None = None) -> dict[str, Plot]:
    """A figure in each language with the values it plots: {lang: Plot(figure, values)}.

    ``data`` (raw dataset name -> frame) defaults to the validated raw data; tests pass their own.
    """
    spec = FIGURES[name]
    if data is None:
        data = {d: rawdata.load(d) for d in spec.datasets}
    return {lang: PLOTS[name](data, lang) for lang in ("zh", "en")}
