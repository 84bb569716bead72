"""The curated data reproduces the review's tables cell for cell, and Figure 1's stated constraints."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from biomedimg import rawdata
from biomedimg.nobel import join_prizes
from conftest import SEED


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        message = f"the review's text is not beside the repository ({SEED})"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI runs with shared/ beside the clone")
        pytest.skip(message)
    # The extraction wraps long cells over lines; joined, every printed cell is a substring.
    return SEED.read_text(encoding="utf-8").replace("\n", "")


ZH_COLUMNS = {
    "xiangshan_conferences": ["date_zh", "session", "theme_zh", "city_zh"],
    "cast_subcommittees": ["society_zh", "subcommittee_zh"],
    "nsfc_instrument_projects": ["title_zh", "discipline_zh", "department_zh", "pi_zh", "institution_zh"],
    "nsfc_major_projects": ["title_zh", "discipline_zh", "department_zh", "pi_zh", "institution_zh"],
    "nsfc_creative_groups": [
        "award_years_zh",
        "group_title_zh",
        "discipline_zh",
        "department_zh",
        "pi_zh",
        "institution_zh",
    ],
}


@pytest.mark.parametrize("name", sorted(ZH_COLUMNS))
def test_every_chinese_cell_is_printed_in_the_review(name, seed_text):
    frame = rawdata.load(name)
    for col in ZH_COLUMNS[name]:
        for value in frame[col]:
            assert str(value) in seed_text, f"{name}.{col}: {value!r} is not in the review's text"


def test_table1_rows_and_chairs(seed_text):
    t1 = rawdata.load("xiangshan_conferences")
    assert list(t1["no"]) == list(range(1, 26))
    assert list(t1["session"])[:3] == ["49", "55", "152"] and t1.loc[21, "session"] == "S40"
    # Every executive chair as printed: the chair cell of each row, with the row's other cells.
    for row in t1.itertuples(index=False):
        line = f"{row.no} {row.date_zh} {row.session} {row.theme_zh}"
        assert line in seed_text or f"{row.no} {row.date_zh} {row.session}" in seed_text
        for chair in row.chairs_zh.split("、"):
            assert chair in seed_text
        assert len(row.chairs_zh.split("、")) == len(row.chairs_en.split("; "))
    assert t1["start_date"].min().year == 1995 and t1["end_date"].max().year == 2018
    assert dict(t1["city_zh"].value_counts()) == {"北京": 20, "杭州": 2, "武汉": 1, "苏州": 1, "上海": 1}


def test_table2_societies_and_counts():
    t2 = rawdata.load("cast_subcommittees")
    assert len(t2) == 65 and t2["society_zh"].nunique() == 29
    per_discipline = t2.groupby("discipline")["society_zh"].nunique().to_dict()
    assert per_discipline == {"science": 11, "engineering": 8, "medicine": 10}
    assert t2.groupby("discipline").size().to_dict() == {"science": 20, "engineering": 12, "medicine": 33}
    per_society = t2.groupby("society_zh").size()
    assert per_society["中国生物医学工程学会"] == 9
    assert per_society["中国研究型医院学会"] == 8
    assert per_society["中华医学会"] == 6
    assert per_society["中国生物物理学会"] == 5


def test_table3_cells_and_totals():
    inst = rawdata.load("nsfc_instrument_projects")
    major = rawdata.load("nsfc_major_projects")
    assert len(inst) == 11 and len(major) == 10
    assert [str(v) for v in inst["funding_10k_cny"]] == [
        "3000",
        "6000",
        "5600",
        "8500",
        "4400",
        "6400",
        "7200",
        "8000",
        "7366.5",
        "7133.77",
        "7232.47",
    ]
    assert sum(inst["funding_10k_cny"], Decimal(0)) == Decimal("70832.74")
    assert sum(major["funding_10k_cny"], Decimal(0)) == Decimal("16828.03")
    assert list(inst["pi_zh"]) == [
        "徐涛",
        "王智彪",
        "杜江峰",
        "田捷",
        "周欣",
        "陈洪渊",
        "程和平",
        "戴琼海",
        "郑海荣",
        "申宝忠",
        "骆清铭",
    ]
    assert list(major["pi_zh"]) == [
        "吴开春",
        "王柯敏",
        "段树民",
        "张新荣",
        "毛兰群",
        "罗毅",
        "高家红",
        "张学记",
        "李鹏程",
        "刘买利",
    ]
    assert inst["department_zh"].value_counts().to_dict() == {
        "医学科学部": 6,
        "生命科学部": 2,
        "数理科学部": 1,
        "化学科学部": 1,
        "信息科学部": 1,
    }
    assert list(inst["direct_cost_only"]) == [y >= 2015 for y in inst["year"]]


def test_table4_groups_and_awards():
    groups = rawdata.load("nsfc_creative_groups")
    awards = rawdata.load("nsfc_creative_group_awards")
    assert len(groups) == 10 and len(awards) == 18
    assert list(groups["award_years_zh"]) == [
        "2001",
        "2006/2009",
        "2006/2009",
        "2009/2012",
        "2011/2014/2017",
        "2012/2015",
        "2012/2015/2018",
        "2014",
        "2016",
        "2019",
    ]
    plans = awards["year"].map(rawdata.five_year_plan).value_counts().to_dict()
    assert plans == {"十五": 1, "十一五": 5, "十二五": 8, "十三五": 4}
    n_awards = awards.groupby("group_id").size()
    assert (n_awards >= 2).sum() == 6 and (n_awards >= 3).sum() == 2


def test_figure1_nobel_constraints():
    curated = rawdata.load("nobel_imaging_prizes")
    prizes = join_prizes(curated, rawdata.load("nobel_laureates_1901_2023"))
    assert len(prizes) == 32 and prizes["year"].min() >= 1901
    counts = prizes.groupby(["imaging_type", "field"]).size()
    assert (counts["nmr", "physics"], counts["nmr", "chemistry"], counts["nmr", "medicine"]) == (3, 2, 1)
    for kind in ("optical", "nmr", "ct"):
        assert counts[kind, "physics"] >= 3
    for kind in ("ct", "optical", "spectroscopy", "nuclide", "electron_microscopy", "nmr"):
        assert prizes["imaging_type"].eq(kind).sum() >= 2, kind
    assert prizes["motivation"].str.len().min() > 10
    assert (
        prizes["url"]
        .str.match(r"https://www\.nobelprize\.org/prizes/(physics|chemistry|medicine)/\d{4}/summary/")
        .all()
    )
    nmr = prizes[prizes["imaging_type"] == "nmr"]
    assert list(nmr["year"]) == [1943, 1944, 1952, 1991, 2002, 2003]


def test_prose_quotes_are_exact(seed_text):
    statements = rawdata.load("prose_statements")
    assert len(statements) >= 50
    for row in statements.itertuples(index=False):
        assert row.quote_zh in seed_text, f"{row.id}: quote is not verbatim"
        if row.source_url:
            assert row.source_url in seed_text, f"{row.id}: source URL is not the one the review prints"


def test_listed_items_are_verbatim(seed_text):
    """Each item of a counted list is printed in the review; an item split by a table is printed in two parts."""
    items = rawdata.load("prose_enumerations")
    for row in items.itertuples(index=False):
        note = row.note or ""
        if note.startswith("Split in the extraction by"):
            head = note.split(" after ")[1].rstrip(".")
            assert row.item_zh.startswith(head) and head in seed_text, row
            assert row.item_zh.removeprefix(head) in seed_text, row
        else:
            assert row.item_zh in seed_text, (
                f"{row.statement} {row.position}: {row.item_zh!r} is not verbatim"
            )


def test_exchange_rate_is_sourced():
    rates = rawdata.load("exchange_rates")
    row = rates.iloc[0]
    assert (row["year"], row["base"], row["quote"], str(row["rate"])) == (2019, "USD", "CNY", "6.8985")
    assert row["source_url"].startswith("http://www.stats.gov.cn/")
