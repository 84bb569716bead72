"""Tables 1-4 of the review, rebuilt from the raw data, as CSV and as an HTML fragment for the book.

Headers are bilingual ("中文 / English"); every cell of the HTML fragment is escaped, so whatever the
data holds is shown as text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from biomedimg import rawdata


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
            Column("theme_en", "会议主题(英文)", "Theme (English)"),
            Column("city_zh", "地点", "City"),
            Column("city_en", "地点(英文)", "City (English)"),
            Column("chairs_zh", "执行主席", "Executive chairs"),
            Column("chairs_en", "执行主席(拼音)", "Executive chairs (pinyin)"),
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
            Column("society_en", "一级学会(英文)", "Society (English)"),
            Column("subcommittee_zh", "二级专委会/分会", "Sub-committee"),
            Column("subcommittee_en", "二级专委会/分会(英文)", "Sub-committee (English)"),
        ),
    ),
    "table3_nsfc_projects": TableSpec(
        "table3_nsfc_projects",
        3,
        "国家自然科学基金资助的生物医学影像领域的国家重大科研仪器设备研制专项(部门推荐类)项目和重大项目",
        "NSFC projects in biomedical imaging: National Major Research Instruments (department-recommended) "
        "and Major Projects",
        ("nsfc_instrument_projects", "nsfc_major_projects"),
        (
            Column("programme_zh", "类别", "Programme"),
            Column("year", "立项年度", "Year"),
            Column("title_zh", "项目名称", "Title"),
            Column("title_en", "项目名称(英文)", "Title (English)"),
            Column("discipline_zh", "学科", "Discipline"),
            Column("department_zh", "所属科学部", "Department"),
            Column("funding_10k_cny", "经费(万元)", "Funding (10k CNY)"),
            Column("pi_zh", "负责人", "PI"),
            Column("pi_en", "负责人(拼音)", "PI (pinyin)"),
            Column("institution_zh", "依托单位", "Institution"),
        ),
        footnote_zh="a) 2015年(含)以后为直接经费",
        footnote_en="a) From 2015 (inclusive) on, funding is direct cost only",
    ),
    "table4_nsfc_creative_groups": TableSpec(
        "table4_nsfc_creative_groups",
        4,
        "国家自然科学基金资助的生物医学影像领域的创新研究群体",
        "NSFC Creative Research Groups in the biomedical imaging field",
        ("nsfc_creative_groups", "nsfc_creative_group_awards"),
        (
            Column("award_years_zh", "立项年度", "Award years"),
            Column("n_awards", "资助次数", "Awards"),
            Column("group_title_zh", "群体项目名称", "Group title"),
            Column("group_title_en", "群体项目名称(英文)", "Group title (English)"),
            Column("discipline_zh", "学科", "Discipline"),
            Column("department_zh", "所属科学部", "Department"),
            Column("pi_zh", "负责人", "Leader"),
            Column("pi_en", "负责人(拼音)", "Leader (pinyin)"),
            Column("institution_zh", "依托单位", "Institution"),
        ),
    ),
}

PROGRAMMES = {
    "nsfc_instrument_projects": (
        "国家重大科研仪器设备研制专项(部门推荐类)",
        "National Major Research Instruments",
    ),
    "nsfc_major_projects": ("重大项目", "Major Projects"),
}


def table_data(spec: TableSpec, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of a table, in print order, with the columns its spec names."""
    if spec.number == 3:
        parts = []
        for name in spec.datasets:
            part = frames[name].copy()
            part["programme_zh"] = PROGRAMMES[name][0]
            parts.append(part)
        frame = pd.concat(parts, ignore_index=True)
        frame["funding_10k_cny"] = frame["funding_10k_cny"].map(str)
    elif spec.number == 4:
        frame = frames["nsfc_creative_groups"].copy()
        counts = frames["nsfc_creative_group_awards"].groupby("group_id").size()
        frame["n_awards"] = frame["group_id"].map(counts).astype(int)
    else:
        frame = frames[spec.datasets[0]].copy()
    return frame[[c.source for c in spec.columns]]


def to_csv_frame(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns={c.source: c.header for c in spec.columns})


def to_html(spec: TableSpec, frame: pd.DataFrame) -> str:
    """A self-contained, escaped <table>; no blank lines, so Markdown passes it through untouched."""
    esc = html.escape
    lines = [f'<table class="data-table sortable" id="{spec.name}" data-rows="{len(frame)}">']
    lines.append("<thead><tr>")
    for c in spec.columns:
        lines.append(
            f'<th scope="col"><span lang="zh">{esc(c.zh)}</span><br><span lang="en">{esc(c.en)}</span></th>'
        )
    lines.append("</tr></thead>")
    lines.append("<tbody>")
    for row in frame.itertuples(index=False):
        cells = "".join(f"<td>{esc(str(v))}</td>" for v in row)
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</tbody>")
    if spec.footnote_zh:
        span = len(spec.columns)
        lines.append(
            f'<tfoot><tr><td colspan="{span}">{esc(spec.footnote_zh)}<br>{esc(spec.footnote_en)}</td></tr></tfoot>'
        )
    lines.append("</table>")
    return "\n".join(lines) + "\n"


def build(name: str) -> tuple[pd.DataFrame, str]:
    """Load the table's raw data; return its CSV frame (bilingual headers) and HTML fragment."""
    spec = TABLES[name]
    frames = {d: rawdata.load(d) for d in spec.datasets}
    frame = table_data(spec, frames)
    return to_csv_frame(spec, frame), to_html(spec, frame)
