"""The review's figures and the comparisons its prose states, in Chinese and English.

Each ``plot_*`` function takes the loaded data and a language and returns a matplotlib figure;
``PLOTS`` maps figure names to them, and ``biomedimg.catalog.FIGURES`` gives each figure's raw inputs
and captions.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from biomedimg import nobel, rawdata
from biomedimg import statements as st
from biomedimg.catalog import FIGURES
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
        ys = label_positions(sub["year"].tolist(), min_gap=2.6)
        for row, y_label in zip(sub.itertuples(index=False), ys, strict=True):
            x = x_of[field]
            ax.annotate(
                f"{row.year} {nobel.short_label(row.laureates)}",
                xy=(x, row.year),
                xytext=(x + 0.12, y_label),
                fontsize=7.5,
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
            f"获得诺贝尔奖的生物医学影像相关工作(1901年以来共{len(prizes)}项)",
            f"Imaging-related Nobel Prize-winning works since 1901 ({len(prizes)} works)",
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
        title=t(lang, "成像类型(同类按时间顺序连线)", "Imaging type (joined in time order)"),
    )
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
    fig.suptitle(
        t(
            lang,
            f"{title[0]}: 共{total_n}项, 合计{total_f:.2f}亿元",
            f"{title[1]}: {total_n} projects, {total_f:.2f} × 100M CNY in total",
        ),
        y=1.0,
    )
    return fig


def plot_instrument_projects(data, lang):
    return plot_nsfc_projects(
        data["nsfc_instrument_projects"],
        lang,
        ("国家重大科研仪器研制专项(部门推荐类)", "NSFC major research instruments"),
    )


def plot_major_projects(data, lang):
    return plot_nsfc_projects(
        data["nsfc_major_projects"], lang, ("国家自然科学基金重大项目", "NSFC Major Projects")
    )


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
        ax.scatter(
            sub["year"], [y] * len(sub), color=colour, s=60, zorder=3, edgecolor="black", linewidth=0.5
        )
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels([f"{r.pi_zh if lang == 'zh' else r.pi_en}" for r in groups.itertuples(index=False)])
    ax.set_ylim(len(groups) - 0.5, -1.4)
    ax.set_xlim(2000, 2022.5)
    ax.set_xticks(range(2001, 2022, 2))
    ax.set_xlabel(
        t(lang, "立项年度(点: 每次资助; 条: 三年资助期)", "Award year (dot: award; bar: 3-year term)")
    )
    handles = [
        Line2D([], [], color=c, marker="o", linestyle="", label=t(lang, zh, en))
        for zh, (en, c) in DEPARTMENTS.items()
        if zh in set(groups["department_zh"])
    ]
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="lower left")
    awards["plan"] = awards["year"].map(lambda y: rawdata.five_year_plan(int(y), lang))
    plans = [t(lang, zh, en) for zh, en, *_ in rawdata.FIVE_YEAR_PLANS]
    counts = [int((awards["plan"] == p).sum()) for p in plans]
    ax2.bar(plans, counts, color="#1f77b4")
    for i, c in enumerate(counts):
        ax2.text(i, c, str(c), ha="center", va="bottom")
    ax2.set_ylabel(t(lang, "资助项数", "Awards"))
    ax2.set_title(
        t(lang, f"各五年计划资助(共{len(awards)}项)", f"Awards per five-year plan ({len(awards)})"),
        fontsize=10,
    )
    fig.suptitle(
        t(
            lang,
            "国家自然科学基金创新研究群体及其滚动支持",
            "NSFC Creative Research Groups and their renewals",
        )
    )
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
        f"{c if lang == 'zh' else conf.loc[conf['city_zh'] == c, 'city_en'].iloc[0]} {n}"
        for c, n in cities.items()
    )
    ax.set_title(
        t(
            lang,
            f"香山科学会议生物医学影像相关主题(1995–2018年共{len(conf)}次; {city_text})",
            f"Xiangshan Science Conferences on imaging themes (1995–2018: {len(conf)}; {city_text})",
        ),
        fontsize=10,
    )
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
    handles = [
        Line2D(
            [],
            [],
            color=c,
            marker="s",
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
    return fig


# ------------------------------------------------------------------- comparisons stated in prose


COUNTRIES = [
    ("us", "美国", "United States"),
    ("china", "中国", "China"),
    ("germany", "德国", "Germany"),
    ("japan", "日本", "Japan"),
    ("uk", "英国", "United Kingdom"),
]


def plot_publications(data: dict[str, pd.DataFrame], lang: str):
    s = data["prose_statements"]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.8), width_ratios=[2, 1])
    names = [t(lang, zh, en) for _, zh, en in COUNTRIES]
    values = [st.value(s, f"pubs_2019_{k}") for k, _, _ in COUNTRIES]
    colours = ["#d62728" if k == "china" else "#1f77b4" for k, _, _ in COUNTRIES]
    ax.bar(names, values, color=colours)
    for i, (k, _, _) in enumerate(COUNTRIES):
        rank = int(st.value(s, f"pubs_2019_{k}_rank"))
        ax.text(
            i,
            values[i],
            t(lang, f"{values[i]:g}万篇\n第{rank}", f"{values[i] * 10:g}k\n#{rank}"),
            ha="center",
            va="bottom",
            fontsize=9,
        )
    ratio = st.value(s, "pubs_2019_china") / st.value(s, "pubs_2019_us")
    ax.set_ylabel(t(lang, "发文量(万篇)", "Papers (10,000)"))
    ax.set_ylim(0, max(values) * 1.25)
    ax.set_title(
        t(lang, f"按国家(中国/美国 = {ratio:.2f} ≈ 1/3)", f"By country (China / US = {ratio:.2f} ≈ 1/3)"),
        fontsize=10,
    )
    inst = [
        ("uc", "美国加州大学", "University of California"),
        ("cas", "中国科学院", "Chinese Academy of Sciences"),
    ]
    ivals = [st.value(s, f"pubs_2019_{k}") for k, _, _ in inst]
    ax2.bar([t(lang, zh, en) for _, zh, en in inst], ivals, color=["#1f77b4", "#d62728"])
    for i, (k, _, _) in enumerate(inst):
        rank = int(st.value(s, f"pubs_2019_{k}_rank"))
        ax2.text(
            i,
            ivals[i],
            t(lang, f"{ivals[i]:g}万篇\n第{rank}", f"{ivals[i] * 10:g}k\n#{rank}"),
            ha="center",
            va="bottom",
            fontsize=9,
        )
    ax2.set_ylim(0, max(ivals) * 1.3)
    ax2.set_title(t(lang, "发文量前20名机构中的两家", "Two of the top-20 institutions"), fontsize=10)
    ax2.tick_params(axis="x", labelsize=8)
    fig.suptitle(
        t(
            lang,
            "生物医学影像相关论文发文量(2019年2月检索)",
            "Biomedical imaging publications (search of February 2019)",
        )
    )
    fig.tight_layout()
    return fig


MODALITIES = [
    ("nuclide", "核素成像", "Nuclide"),
    ("mass_spec", "质谱成像", "Mass spectrometry"),
    ("optical", "光学成像", "Optical"),
    ("mri", "磁共振成像", "MRI"),
    ("ultrasound", "超声成像", "Ultrasound"),
    ("em", "电镜", "Electron microscopy"),
]


def plot_patents(data: dict[str, pd.DataFrame], lang: str):
    s = data["prose_statements"]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.5), width_ratios=[1, 2])
    share = st.value(s, "patents_share_us_cn_jp")
    ax.barh([0], [share], color="#d62728", height=0.5)
    ax.barh([0], [100 - share], left=[share], color="0.85", height=0.5, hatch="//", edgecolor="white")
    ax.text(
        share / 2,
        0,
        st.label(s, "patents_share_us_cn_jp") + "%",
        ha="center",
        va="center",
        color="white",
        fontsize=12,
    )
    ax.text(
        share + (100 - share) / 2,
        0,
        t(lang, "其余国家\n(<40%)", "Rest of world\n(<40%)"),
        ha="center",
        va="center",
        fontsize=9,
    )
    ax.set_xlim(0, 100)
    ax.set_yticks([])
    ax.set_xlabel(t(lang, "占全球专利申请量(%)", "Share of patent applications worldwide (%)"))
    ax.set_title(t(lang, "美国、中国、日本合计", "United States + China + Japan"), fontsize=10)
    names = [t(lang, zh, en) for _, zh, en in MODALITIES]
    ranks = [int(st.value(s, f"patents_china_rank_{k}")) for k, _, _ in MODALITIES]
    ax2.bar(names, [4 - r for r in ranks], color=["#d62728" if r == 1 else "#ff9896" for r in ranks])
    for i, r in enumerate(ranks):
        ax2.text(i, 4 - r, t(lang, f"第{r}", f"#{r}"), ha="center", va="bottom", fontsize=11)
    ax2.set_yticks([1, 2, 3])
    ax2.set_yticklabels([t(lang, "第3", "#3"), t(lang, "第2", "#2"), t(lang, "第1", "#1")])
    ax2.set_ylim(0, 3.6)
    ax2.tick_params(axis="x", labelsize=8)
    ax2.set_title(
        t(
            lang,
            "中国专利申请量的全球排名(X射线和生物电磁成像未给出)",
            "China's rank in patent applications (X-ray and bioelectromagnetic not stated)",
        ),
        fontsize=10,
    )
    start = int(st.value(s, "patents_global_growth_year"))
    burst = int(st.value(s, "patents_china_burst_year"))
    fig.suptitle(
        t(
            lang,
            f"生物医学影像专利(2019年2月Incopat检索; 全球{start}年起高速增长, 中国{burst}年起迸发)",
            f"Imaging patents (Incopat, Feb 2019; global growth from {start}, China's boom from {burst})",
        )
    )
    fig.tight_layout()
    return fig


def plot_nibib_vs_nsfc(data: dict[str, pd.DataFrame], lang: str):
    s = data["prose_statements"]
    rates = data["exchange_rates"]
    rate = float(rates.loc[(rates["year"] == 2019) & (rates["base"] == "USD"), "rate"].iloc[0])
    nibib_cny = st.value(s, "nibib_fy2019_budget") * rate  # 100M USD -> 100M CNY
    nsfc_cny = st.value(s, "nsfc_h18_2019_funding")
    n_nibib = st.value(s, "nibib_fy2019_projects")
    n_nsfc = st.value(s, "nsfc_h18_2019_projects")
    names = [
        t(lang, "美国NIBIB\n2019财年", "US NIBIB\nFY2019"),
        t(lang, "国家自然科学基金\nH18 2019年", "NSFC H18\n2019"),
    ]
    colours = ["#1f77b4", "#d62728"]
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.5))
    axes[0].bar(names, [nibib_cny, nsfc_cny], color=colours)
    axes[0].text(
        0,
        nibib_cny,
        t(lang, f"{nibib_cny:.1f}亿元\n(3.90亿美元)", f"{nibib_cny:.1f}\n(USD 390M)"),
        ha="center",
        va="bottom",
        fontsize=9,
    )
    axes[0].text(1, nsfc_cny, f"{nsfc_cny:g}", ha="center", va="bottom", fontsize=9)
    axes[0].set_ylabel(t(lang, "经费(亿元人民币)", "Budget (100M CNY)"))
    axes[0].set_ylim(0, nibib_cny * 1.25)
    axes[0].set_title(
        t(
            lang,
            f"经费(NIBIB约为H18的{nibib_cny / nsfc_cny:.1f}倍)",
            f"Budget (NIBIB ≈ {nibib_cny / nsfc_cny:.1f}× H18)",
        ),
        fontsize=10,
    )
    axes[1].bar(names, [n_nibib, n_nsfc], color=colours)
    axes[1].text(0, n_nibib, st.label(s, "nibib_fy2019_projects"), ha="center", va="bottom")
    axes[1].text(1, n_nsfc, st.label(s, "nsfc_h18_2019_projects"), ha="center", va="bottom")
    axes[1].set_ylim(0, n_nibib * 1.25)
    axes[1].set_title(t(lang, "项目数", "Projects"), fontsize=10)
    per = [nibib_cny * 1e4 / n_nibib, nsfc_cny * 1e4 / n_nsfc]  # 10k CNY per project
    axes[2].bar(names, per, color=colours)
    for i, v in enumerate(per):
        axes[2].text(i, v, f"{v:.0f}", ha="center", va="bottom")
    axes[2].set_ylim(0, max(per) * 1.25)
    axes[2].set_title(
        t(
            lang,
            "每个项目(万元; NIBIB按700个计, 为上限)",
            "Per project (10k CNY; NIBIB at 700, an upper bound)",
        ),
        fontsize=10,
    )
    fig.suptitle(
        t(
            lang,
            f"基础研究经费对比(按2019年平均汇率 1美元 = {rate:g}元人民币换算)",
            f"Basic research funding (converted at the 2019 average rate, 1 USD = {rate:g} CNY)",
        )
    )
    fig.tight_layout()
    return fig


INVESTMENTS = [
    (
        "digital_dx_funding",
        "数字诊疗装备研发专项\n(国拨, 三年)",
        "Digital diagnosis equipment\nprogramme (3 years)",
    ),
    (
        "pku_facility_investment",
        "北京大学多模态跨尺度\n成像设施(总投资)",
        "PKU multimodal cross-scale\nimaging facility",
    ),
    ("hust_facility_investment", "华中科技大学\n生物医学成像设施", "HUST biomedical\nimaging facility"),
    ("suzhou_brainsmatics_funding", "苏州脑空间信息研究院", "Suzhou Brainsmatics\ninstitute"),
    (
        "cas_instrument_funding",
        "中国科学院院级仪器项目\n(2010年以来)",
        "CAS instrument projects\n(since 2010)",
    ),
    (
        "cas_major_instrument_funding_13th_fyp",
        "中国科学院重大仪器项目\n(十三五以来)",
        "CAS major instrument\nprojects (13th FYP on)",
    ),
]


def plot_infrastructure(data: dict[str, pd.DataFrame], lang: str):
    s = data["prose_statements"]
    fig, ax = plt.subplots(figsize=(9, 5.5))
    items = INVESTMENTS[::-1]
    values = [st.value(s, k) for k, _, _ in items]
    ax.barh(range(len(items)), values, color="#2b8cbe")
    ax.set_yticks(range(len(items)))
    ax.set_yticklabels([t(lang, zh, en) for _, zh, en in items], fontsize=9)
    for i, (k, _, _) in enumerate(items):
        r = st.row(s, k)
        when = f" ({r['as_of']})" if r["as_of"] else ""
        ax.text(values[i], i, " " + st.label(s, k) + when, va="center", fontsize=9)
    ax.set_xlim(0, max(values) * 1.3)
    ax.set_xlabel(t(lang, "投入(亿元人民币; >表示“超过”)", "Investment (100M CNY; > means 'more than')"))
    ax.set_title(
        t(
            lang,
            "综述列举的基础设施与专项投入",
            "Infrastructure and programme investments stated in the review",
        )
    )
    fig.tight_layout()
    return fig


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


def build(name: str) -> dict:
    """Load a figure's raw data; return {lang: figure}."""
    spec = FIGURES[name]
    data = {d: rawdata.load(d) for d in spec.datasets}
    return {lang: PLOTS[name](data, lang) for lang in ("zh", "en")}
