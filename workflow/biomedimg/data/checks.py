"""Cross-field and cross-table rules of the raw data, named in each schema's ``x-checks``.

Each check takes the dataset's typed rows (from ``validate.validate_table``), a function that loads
another dataset's typed rows, and the dataset's schema; it yields one ``(row, column, rule, value)``
for every row that breaks the rule, and ``validate`` turns them into located messages.  This module
imports nothing from ``validate``, so the two do not import each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation

from biomedimg import vocab

DEPARTMENTS_EN = {
    "生命科学部": "Department of Life Sciences",
    "医学科学部": "Department of Health Sciences",
    "数理科学部": "Department of Mathematical and Physical Sciences",
    "化学科学部": "Department of Chemical Sciences",
    "信息科学部": "Department of Information Sciences",
}

Violation = tuple[dict, str, str, object]
Loader = Callable[[str], list[dict]]
CHECKS: dict[str, Callable[[list[dict], Loader, dict], Iterator[Violation]]] = {}


def check(func):
    CHECKS[func.__name__] = func
    return func


@check
def dates_ordered(rows, load, schema):
    for r in rows:
        if r["end_date"] < r["start_date"]:
            yield (r, "end_date", f"end date is before the start date {r['start_date']}", r["end_date"])


_DATE_ZH = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})~(?:(\d{1,2})月)?(\d{1,2})日")


@check
def date_zh_matches_dates(rows, load, schema):
    """The printed date (e.g. 2002年10月30~11月1日) must agree with start_date and end_date."""
    for r in rows:
        m = _DATE_ZH.fullmatch(r["date_zh"])
        if not m:
            yield (r, "date_zh", "printed date is not of the form YYYY年M月D~[M月]D日", r["date_zh"])
            continue
        year, month, day, month2, day2 = m.groups()
        start = (int(year), int(month), int(day))
        end = (int(year), int(month2 or month), int(day2))
        if (r["start_date"].year, r["start_date"].month, r["start_date"].day) != start:
            yield (r, "start_date", f"does not match the printed date {r['date_zh']}", r["start_date"])
        if (r["end_date"].year, r["end_date"].month, r["end_date"].day) != end:
            yield (r, "end_date", f"does not match the printed date {r['date_zh']}", r["end_date"])


@check
def discipline_zh_matches(rows, load, schema):
    for r in rows:
        if vocab.DISCIPLINES[r["discipline"]][0] != r["discipline_zh"]:
            yield (r, "discipline_zh", f"does not match discipline {r['discipline']}", r["discipline_zh"])


@check
def society_in_one_discipline(rows, load, schema):
    """A society stands in one column of Table 2, so it has one discipline."""
    first: dict[str, str] = {}
    for r in rows:
        d = first.setdefault(r["society_zh"], r["discipline"])
        if d != r["discipline"]:
            yield (
                r,
                "discipline",
                f"society {r['society_zh']} is already listed under {d}",
                r["discipline"],
            )


@check
def direct_cost_footnote(rows, load, schema):
    """Table 3, footnote a): 2015年(含)以后为直接经费."""
    for r in rows:
        if r["direct_cost_only"] != (r["year"] >= 2015):
            yield (
                r,
                "direct_cost_only",
                "must be true exactly for projects approved in 2015 or later",
                str(r["direct_cost_only"]).lower(),
            )
    yield from department_en_matches(rows, load, schema)


@check
def department_en_matches(rows, load, schema):
    for r in rows:
        if DEPARTMENTS_EN[r["department_zh"]] != r["department_en"]:
            yield (
                r,
                "department_en",
                f"is not the English name of {r['department_zh']}",
                r["department_en"],
            )


@check
def award_years_match_groups(rows, load, schema):
    """The award rows of each group must spell out its printed award years (2006/2009 -> 2006, 2009)."""
    groups = {g["group_id"]: g for g in load("nsfc_creative_groups")}
    by_group: dict[int, list[dict]] = {}
    for r in rows:
        by_group.setdefault(r["group_id"], []).append(r)
    for gid, group in groups.items():
        awards = sorted(by_group.get(gid, []), key=lambda r: r["award_no"])
        years = "/".join(str(a["year"]) for a in awards)
        if not awards:
            yield (
                {"_line": None},
                "group_id",
                f"group {gid} of nsfc_creative_groups has no award rows",
                None,
            )
        elif years != group["award_years_zh"]:
            record = awards[-1]
            yield (record, "year", f"award years of group {gid} must be {group['award_years_zh']}", years)
        for k, a in enumerate(awards, 1):
            if a["award_no"] != k:
                yield (
                    a,
                    "award_no",
                    f"awards of group {gid} must be numbered 1, 2, 3 in order",
                    a["award_no"],
                )


@check
def laureates_in_snapshot(rows, load, schema):
    """Every curated laureate must be a laureate of that prize in the Nobel snapshot."""
    snapshot = load("nobel_laureates_1901_2023")
    names = {(s["year"], s["category"], s["full_name"]) for s in snapshot}
    for r in rows:
        for person in r["laureates"].split("; "):
            if (r["year"], r["category"], person) not in names:
                yield (
                    r,
                    "laureates",
                    f"is not a {r['category']} {r['year']} laureate in the Nobel snapshot",
                    person,
                )


@check
def range_has_upper(rows, load, schema):
    for r in rows:
        if (r["qualifier"] == "range") != (r["value_upper"] is not None):
            yield (r, "value_upper", "is required for a range and only for a range", r["value_upper"])


@check
def candidates_match_prizes(rows, load, schema):
    """The candidates marked taken are exactly the works of Figure 1 (nobel_imaging_prizes)."""
    key = ("year", "category", "imaging_type", "laureates")
    prizes = {tuple(p[k] for k in key) for p in load("nobel_imaging_prizes")}
    taken = set()
    for r in rows:
        work = tuple(r[k] for k in key)
        if r["decision"] == "taken":
            taken.add(work)
            if work not in prizes:
                yield (r, "decision", "is taken but the work is not a row of nobel_imaging_prizes", work)
        elif work in prizes:
            yield (r, "decision", "is left but the work is a row of nobel_imaging_prizes", work)
    for work in sorted(prizes - taken):
        yield (rows[-1], "decision", "a work of nobel_imaging_prizes is missing from the candidates", work)


@check
def translations_match_statements(rows, load, schema):
    """One English translation per prose statement, in the statements' order, keeping its numbers."""
    from biomedimg.data.translations import missing_numbers

    statements = load("prose_statements")
    source = "data/raw/prose_statements.csv"
    for record, statement in zip(rows, statements, strict=False):
        if record["id"] != statement["id"]:
            yield (
                record,
                "id",
                f"must be {statement['id']!r}, the statement on line {statement['_line']} of {source} "
                "(one translation per statement, in the same order)",
                record["id"],
            )
            continue
        missing = missing_numbers(statement["quote_zh"], record["quote_en"])
        if missing:
            yield (
                record,
                "quote_en",
                f"does not carry the number(s) {', '.join(missing)} of quote_zh "
                "(see biomedimg.data.translations for the conversions allowed)",
                record["quote_en"],
            )
    if len(statements) > len(rows):
        missing_statement = statements[len(rows)]
        yield (
            {"_line": len(rows) + 2},
            "id",
            f"statement {missing_statement['id']!r} (line {missing_statement['_line']} of {source}) "
            "and any after it have no translation",
            None,
        )


@check
def note_zh_translates_note(rows, load, schema):
    """note_zh is the Chinese translation of the English note: given exactly when note is, keeping
    its numbers, the Chinese words it quotes and the names it gives (translations.note_zh_problems)."""
    from biomedimg.data.translations import note_zh_problems

    for r in rows:
        note, note_zh = r["note"], r["note_zh"]
        if note is None and note_zh is not None:
            yield (
                r,
                "note_zh",
                "must be empty when note is empty (it is note's Chinese translation)",
                note_zh,
            )
        elif note is not None and note_zh is None:
            yield (r, "note_zh", "is required when note is given (note's Chinese translation)", None)
        elif note is not None:
            for rule in note_zh_problems(note, note_zh):
                yield (r, "note_zh", rule, note_zh)


@check
def stated_value_plausible(rows, load, schema):
    """A stated value must be a number within the bounds the schema gives for its unit
    (``x-value-bounds``; ``default`` for every other unit), so a lost decimal point or a typed
    extra digit stops the build instead of passing or failing a claim."""
    bounds = schema["x-value-bounds"]
    for r in rows:
        low, high = bounds.get(r["unit"], bounds["default"])
        for column in ("value", "value_upper"):
            text = r[column]
            if text is None:
                continue
            try:
                number = Decimal(str(text).split("/")[0])
            except InvalidOperation:
                continue  # the column's pattern already refused it
            if not low <= number <= high:
                yield (
                    r,
                    column,
                    f"is outside the plausible range {low} to {high} for unit {r['unit']!r}",
                    text,
                )


@check
def evidence_bounds_ordered(rows, load, schema):
    """An external fact's bounds hold its value (external_evidence.csv: lower <= value <= upper)."""
    for r in rows:
        lower, upper, value = r["lower"], r["upper"], r["value"]
        if lower is not None and upper is not None and lower > upper:
            yield (r, "upper", f"is below the lower bound {lower}", upper)
        elif value is not None and lower is not None and value < lower:
            yield (r, "value", f"is below the lower bound {lower}", value)
        elif value is not None and upper is not None and value > upper:
            yield (r, "value", f"is above the upper bound {upper}", value)


@check
def implied_says_how(rows, load, schema):
    """A number read from a quote that does not print it says how it was read, and only then."""
    for r in rows:
        if (r["implied"] is None) != (r["implied_how"] is None):
            yield (r, "implied_how", "is required when implied has a value, and only then", r["implied_how"])


# The evidence's English columns the Chinese edition shows in Chinese, and whether the translation
# must carry the English numbers (a unit's does not: 10k CNY is 万元, 100M CNY is 亿元).
EVIDENCE_ZH_COLUMNS = {"unit": False, "period": True, "implied_how": True}


@check
def evidence_zh_translates(rows, load, schema):
    """unit_zh, period_zh and implied_how_zh are the Chinese translations of unit, period and
    implied_how (external_evidence.csv): each given exactly when its English is, keeping the Chinese
    words and names it quotes (and, but for the unit, its numbers: translations.note_zh_problems)."""
    from biomedimg.data.translations import note_zh_problems

    for r in rows:
        for column, numbers in EVIDENCE_ZH_COLUMNS.items():
            en, zh = r[column], r[f"{column}_zh"]
            if en is None and zh is not None:
                yield (
                    r,
                    f"{column}_zh",
                    f"must be empty when {column} is empty (it is its Chinese translation)",
                    zh,
                )
            elif en is not None and zh is None:
                yield (
                    r,
                    f"{column}_zh",
                    f"is required when {column} is given ({column}'s Chinese translation)",
                    None,
                )
            elif en is not None:
                for rule in note_zh_problems(en, zh, of=column, numbers=numbers):
                    yield (r, f"{column}_zh", rule, zh)
