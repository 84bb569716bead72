"""What the workflow builds: every table and figure, its inputs and its bilingual caption.

Kept free of heavy imports (no pandas, no matplotlib) so that the book and the Snakefile can read it
quickly; ``tables`` and ``figures`` hold the code that builds each entry.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    source: str
    zh: str
    en: str

    @property
    def header(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass(frozen=True)
class TableSpec:
    name: str
    number: int
    caption_zh: str
    caption_en: str
    datasets: tuple[str, ...]
    columns: tuple[Column, ...]
    footnote_zh: str = ""
    footnote_en: str = ""


TABLES = {
    "table1_xiangshan_conferences": TableSpec(
        "table1_xiangshan_conferences",
        1,
        "香山科学会议多次组织生物医学影像相关主题研讨",
        "Biomedical imaging related themes discussed at Xiangshan Science Conferences",
        ("xiangshan_conferences",),
        (
            Column("no", "编号", "No."),
            Column("date_zh", "会议日期", "Dates"),
            Column("session", "会次", "Session"),
            Column("theme_zh", "会议主题", "Theme"),
            Column("theme_en", "会议主题（英文）", "Theme (English)"),
            Column("city_zh", "地点", "City"),
            Column("city_en", "地点（英文）", "City (English)"),
            Column("chairs_zh", "执行主席", "Executive chairs"),
            Column("chairs_en", "执行主席（拼音）", "Executive chairs (pinyin)"),
        ),
    ),
    "table2_cast_subcommittees": TableSpec(
        "table2_cast_subcommittees",
        2,
        "中国科学技术协会批准成立的与生物医学影像相关的分会/专委会",
        "Sub-committees and their societies approved by the China Association for Science and Technology",
        ("cast_subcommittees",),
        (
            Column("discipline_zh", "大类", "Discipline"),
            Column("society_zh", "一级学会", "Society"),
            Column("society_en", "一级学会（英文）", "Society (English)"),
            Column("subcommittee_zh", "二级专委会/分会", "Sub-committee"),
            Column("subcommittee_en", "二级专委会/分会（英文）", "Sub-committee (English)"),
        ),
    ),
    "table3_nsfc_projects": TableSpec(
        "table3_nsfc_projects",
        3,
        "国家自然科学基金资助的生物医学影像领域的国家重大科研仪器设备研制专项(部门推荐类)项目和重大项目",
        "NSFC projects in biomedical imaging: Special Fund for Research on National Major Research Instruments "
        "(by recommendation) and Major Program",
        ("nsfc_instrument_projects", "nsfc_major_projects"),
        (
            Column("programme_zh", "类别", "Programme"),
            Column("year", "立项年度", "Year"),
            Column("title_zh", "项目名称", "Title"),
            Column("title_en", "项目名称（英文）", "Title (English)"),
            Column("discipline_zh", "学科", "Discipline"),
            Column("department_zh", "所属科学部", "Department"),
            Column("funding_10k_cny", "经费(万元)", "Funding (¥10,000s)"),
            Column("pi_zh", "负责人", "PI"),
            Column("pi_en", "负责人（拼音）", "PI (pinyin)"),
            Column("institution_zh", "依托单位", "Institution"),
        ),
        footnote_zh="a) 2015年(含)以后为直接经费",
        footnote_en="a) From 2015 (inclusive) on, funding is direct cost only",
    ),
    "table4_nsfc_creative_groups": TableSpec(
        "table4_nsfc_creative_groups",
        4,
        "国家自然科学基金资助的生物医学影像领域的创新研究群体",
        "Groups of the NSFC Science Fund for Creative Research Groups in the biomedical imaging field",
        ("nsfc_creative_groups", "nsfc_creative_group_awards"),
        (
            Column("award_years_zh", "立项年度", "Award years"),
            Column("n_awards", "资助次数", "Awards"),
            Column("group_title_zh", "群体项目名称", "Group title"),
            Column("group_title_en", "群体项目名称（英文）", "Group title (English)"),
            Column("discipline_zh", "学科", "Discipline"),
            Column("department_zh", "所属科学部", "Department"),
            Column("pi_zh", "负责人", "Leader"),
            Column("pi_en", "负责人（拼音）", "Leader (pinyin)"),
            Column("institution_zh", "依托单位", "Institution"),
        ),
    ),
}

PROGRAMMES = {
    "nsfc_instrument_projects": (
        "国家重大科研仪器设备研制专项(部门推荐类)",
        "Special Fund for Research on National Major Research Instruments (by recommendation)",
    ),
    "nsfc_major_projects": ("重大项目", "Major Program"),
}


@dataclass(frozen=True)
class FigureSpec:
    name: str
    datasets: tuple[str, ...]
    caption_zh: str
    caption_en: str


FIGURES: dict[str, FigureSpec] = {
    "fig1_nobel_timeline": FigureSpec(
        "fig1_nobel_timeline",
        ("nobel_imaging_prizes", "nobel_laureates_1901_2023"),
        "主要的生物医学影像相关工作多次获得诺贝尔奖（重建的图1）：纵轴为获奖年份，横轴按物理学奖、化学奖、生理学或医学奖分列，同一成像类型按获奖时间顺序连线",
        "Imaging-related research won Nobel Prizes many times (Figure 1, reconstructed): year on the vertical axis, one column per prize field, prizes of one imaging type joined in time order",
    ),
    "fig_nsfc_instrument_projects": FigureSpec(
        "fig_nsfc_instrument_projects",
        ("nsfc_instrument_projects",),
        "国家重大科研仪器研制专项（部门推荐类）生物医学影像项目：按年度和科学部的项目数与经费（表3）",
        "NSFC Special Fund for Research on National Major Research Instruments (by recommendation), imaging projects by year and department: projects and funding (Table 3)",
    ),
    "fig_nsfc_major_projects": FigureSpec(
        "fig_nsfc_major_projects",
        ("nsfc_major_projects",),
        "国家自然科学基金生物医学影像相关重大项目：按年度和科学部的项目数与经费（表3）",
        "NSFC Major Program projects related to imaging by year and department: projects and funding (Table 3)",
    ),
    "fig_creative_groups": FigureSpec(
        "fig_creative_groups",
        ("nsfc_creative_groups", "nsfc_creative_group_awards"),
        "创新研究群体及其在各五年计划中的滚动支持（表4）",
        "Groups of the Science Fund for Creative Research Groups and their renewals across five-year plans (Table 4)",
    ),
    "fig_xiangshan_timeline": FigureSpec(
        "fig_xiangshan_timeline",
        ("xiangshan_conferences",),
        "香山科学会议生物医学影像相关主题会议的年度分布（表1）",
        "Xiangshan Science Conferences on imaging themes per year (Table 1)",
    ),
    "fig_cast_subcommittees": FigureSpec(
        "fig_cast_subcommittees",
        ("cast_subcommittees",),
        "中国科协各学会的生物医学影像相关分会/专委会数，按大类着色（表2）",
        "Imaging-related sub-committees per CAST society, coloured by discipline (Table 2)",
    ),
    "fig_publications_by_country": FigureSpec(
        "fig_publications_by_country",
        ("prose_statements",),
        "生物医学影像相关论文发文量：按国家，及综述提到的两家机构（2019年2月检索）",
        "Imaging publications by country and the two institutions the review names (search of February 2019)",
    ),
    "fig_patents": FigureSpec(
        "fig_patents",
        ("prose_statements",),
        "专利：美中日三国合计占比，及中国在各成像模态的专利申请量排名",
        "Patents: the US + China + Japan share, and China's rank per imaging modality",
    ),
    "fig_nibib_vs_nsfc": FigureSpec(
        "fig_nibib_vs_nsfc",
        ("prose_statements", "exchange_rates"),
        "美国NIBIB 2019财年与国家自然科学基金H18代码2019年的经费和项目数（按2019年平均汇率换算）",
        "US NIBIB FY2019 vs NSFC code H18 in 2019: budgets and project counts, converted at the 2019 average rate",
    ),
    "fig_infrastructure": FigureSpec(
        "fig_infrastructure",
        ("prose_statements",),
        "综述列举的基础设施与专项投入（亿元）",
        "Infrastructure and programme investments stated in the review (¥100 million)",
    ),
}


# The data package (results/data/): raw datasets published byte for byte under their own name ...
COPIED_RESOURCES = (
    "xiangshan_conferences",
    "cast_subcommittees",
    "nsfc_instrument_projects",
    "nsfc_major_projects",
    "nsfc_creative_groups",
    "prose_statements",
    "prose_enumerations",
    "prose_translations",
    "exchange_rates",
    "nobel_imaging_candidates",
    "external_evidence",
)
# ... and raw datasets published (joined) in a derived resource under another name.
PUBLISHED_AS = {
    "nobel_imaging_prizes": "nobel_prizes",
    "nobel_laureates_1901_2023": "nobel_prizes",
}
DERIVED_RESOURCES = ("nobel_prizes", "nsfc_creative_group_awards")


def data_resources() -> list[str]:
    """Every CSV resource of the data package, sorted (each is a declared output of the datapackage rule)."""
    return sorted(COPIED_RESOURCES + DERIVED_RESOURCES)


def published_resources(datasets) -> list[str]:
    """The data package resources that publish these raw datasets, in order, without repeats."""
    resources: list[str] = []
    for dataset in datasets:
        resource = PUBLISHED_AS.get(dataset, dataset)
        if resource in data_resources() and resource not in resources:
            resources.append(resource)
    return resources


# The columns of Figure 1's values table: (key, Chinese header, English header[, language of the
# text in both editions]). Here, not in figures, so the book reads it without importing matplotlib.
NOBEL_COLUMNS = [
    ("year", "获奖年份", "Year"),
    ("field", "奖项", "Prize"),
    ("laureates", "获奖者", "Laureates"),
    # nobelprize.org publishes the motivations in English only: both editions show them as published.
    ("motivation", "授奖理由（诺贝尔奖官网英文原文）", "Motivation (official)", "en"),
    ("imaging_type", "成像类型", "Imaging type"),
    ("rationale", "归为该类型的理由", "Why this imaging type"),
    ("label", "图中标注", "Label in the figure"),
    ("url", "来源", "Source"),
]

# Values tables with a column whose text has one language in both editions (a column's fourth item),
# by figure, so that the book can mark that text with its language.
VALUE_COLUMNS = {"fig1_nobel_timeline": NOBEL_COLUMNS}


def cell_langs(name: str, lang: str) -> dict[str, str]:
    """The columns of a figure's values table (by their header in ``lang``) whose text is in another
    language than ``lang``, with that language: in the Chinese edition, Figure 1's official English
    motivations ({"授奖理由（诺贝尔奖官网英文原文）": "en"})."""
    return {
        (zh if lang == "zh" else en): fixed[0]
        for _, zh, en, *fixed in VALUE_COLUMNS.get(name, ())
        if fixed and fixed[0] != lang
    }
