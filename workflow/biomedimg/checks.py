"""Cross-field and cross-table rules of the raw data, named in each schema's ``x-checks``.

Each check takes the dataset name, its typed rows (from ``validate.validate_table``) and the project
root, and raises ``RawDataError`` naming the line and column of the first row that breaks the rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from biomedimg import paths
from biomedimg.validate import RawDataError, validate_table

DEPARTMENTS_EN = {
    "生命科学部": "Department of Life Sciences",
    "医学科学部": "Department of Health Sciences",
    "数理科学部": "Department of Mathematical and Physical Sciences",
    "化学科学部": "Department of Chemical Sciences",
    "信息科学部": "Department of Information Sciences",
}
DISCIPLINES_ZH = {"science": "理科", "engineering": "工科", "medicine": "医科"}

CHECKS: dict[str, Callable[[str, list[dict], Path], None]] = {}


def check(func):
    CHECKS[func.__name__] = func
    return func


def _fail(name: str, record: dict, column: str, rule: str, value=None) -> None:
    raise RawDataError(
        str(paths.raw_csv(name)), rule, record["_line"], column, None if value is None else str(value)
    )


@check
def dates_ordered(name, rows, root):
    for r in rows:
        if r["end_date"] < r["start_date"]:
            _fail(name, r, "end_date", f"end date is before the start date {r['start_date']}", r["end_date"])


_DATE_ZH = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})~(?:(\d{1,2})月)?(\d{1,2})日")


@check
def date_zh_matches_dates(name, rows, root):
    """The printed date (e.g. 2002年10月30~11月1日) must agree with start_date and end_date."""
    for r in rows:
        m = _DATE_ZH.fullmatch(r["date_zh"])
        if not m:
            _fail(name, r, "date_zh", "printed date is not of the form YYYY年M月D~[M月]D日", r["date_zh"])
        year, month, day, month2, day2 = m.groups()
        start = (int(year), int(month), int(day))
        end = (int(year), int(month2 or month), int(day2))
        if (r["start_date"].year, r["start_date"].month, r["start_date"].day) != start:
            _fail(name, r, "start_date", f"does not match the printed date {r['date_zh']}", r["start_date"])
        if (r["end_date"].year, r["end_date"].month, r["end_date"].day) != end:
            _fail(name, r, "end_date", f"does not match the printed date {r['date_zh']}", r["end_date"])


@check
def discipline_zh_matches(name, rows, root):
    for r in rows:
        if DISCIPLINES_ZH[r["discipline"]] != r["discipline_zh"]:
            _fail(
                name, r, "discipline_zh", f"does not match discipline {r['discipline']}", r["discipline_zh"]
            )


@check
def society_in_one_discipline(name, rows, root):
    """A society stands in one column of Table 2, so it has one discipline."""
    first: dict[str, str] = {}
    for r in rows:
        d = first.setdefault(r["society_zh"], r["discipline"])
        if d != r["discipline"]:
            _fail(
                name,
                r,
                "discipline",
                f"society {r['society_zh']} is already listed under {d}",
                r["discipline"],
            )


@check
def direct_cost_footnote(name, rows, root):
    """Table 3, footnote a): 2015年(含)以后为直接经费."""
    for r in rows:
        if r["direct_cost_only"] != (r["year"] >= 2015):
            _fail(
                name,
                r,
                "direct_cost_only",
                "must be true exactly for projects approved in 2015 or later",
                str(r["direct_cost_only"]).lower(),
            )
    department_en_matches(name, rows, root)


@check
def department_en_matches(name, rows, root):
    for r in rows:
        if DEPARTMENTS_EN[r["department_zh"]] != r["department_en"]:
            _fail(
                name,
                r,
                "department_en",
                f"is not the English name of {r['department_zh']}",
                r["department_en"],
            )


@check
def award_years_match_groups(name, rows, root):
    """The award rows of each group must spell out its printed award years (2006/2009 -> 2006, 2009)."""
    groups = {g["group_id"]: g for g in validate_table("nsfc_creative_groups", root)}
    by_group: dict[int, list[dict]] = {}
    for r in rows:
        by_group.setdefault(r["group_id"], []).append(r)
    for gid, group in groups.items():
        awards = sorted(by_group.get(gid, []), key=lambda r: r["award_no"])
        years = "/".join(str(a["year"]) for a in awards)
        if years != group["award_years_zh"]:
            record = awards[-1] if awards else {"_line": group["_line"]}
            _fail(
                name, record, "year", f"award years of group {gid} must be {group['award_years_zh']}", years
            )
        for k, a in enumerate(awards, 1):
            if a["award_no"] != k:
                _fail(
                    name,
                    a,
                    "award_no",
                    f"awards of group {gid} must be numbered 1, 2, 3 in order",
                    a["award_no"],
                )


@check
def laureates_in_snapshot(name, rows, root):
    """Every curated laureate must be a laureate of that prize in the Nobel snapshot."""
    snapshot = validate_table("nobel_laureates_1901_2023", root)
    names = {(s["year"], s["category"], s["full_name"]) for s in snapshot}
    for r in rows:
        for person in r["laureates"].split("; "):
            if (r["year"], r["category"], person) not in names:
                _fail(
                    name,
                    r,
                    "laureates",
                    f"is not a {r['category']} {r['year']} laureate in the Nobel snapshot",
                    person,
                )


@check
def range_has_upper(name, rows, root):
    for r in rows:
        if (r["qualifier"] == "range") != (r["value_upper"] is not None):
            _fail(name, r, "value_upper", "is required for a range and only for a range", r["value_upper"])


@check
def translations_match_statements(name, rows, root):
    """One English translation per prose statement, in the statements' order, keeping its numbers."""
    from biomedimg.translations import missing_numbers

    statements = validate_table("prose_statements", root)
    source = str(paths.raw_csv("prose_statements"))
    for record, statement in zip(rows, statements, strict=False):
        if record["id"] != statement["id"]:
            _fail(
                name,
                record,
                "id",
                f"must be {statement['id']!r}, the statement on line {statement['_line']} of {source} "
                "(one translation per statement, in the same order)",
                record["id"],
            )
        missing = missing_numbers(statement["quote_zh"], record["quote_en"])
        if missing:
            _fail(
                name,
                record,
                "quote_en",
                f"does not carry the number(s) {', '.join(missing)} of quote_zh "
                "(see biomedimg.translations for the conversions allowed)",
                record["quote_en"],
            )
    if len(statements) > len(rows):
        missing_statement = statements[len(rows)]
        raise RawDataError(
            str(paths.raw_csv(name)),
            f"statement {missing_statement['id']!r} (line {missing_statement['_line']} of {source}) "
            "and any after it have no translation",
            len(rows) + 2,
            "id",
        )
