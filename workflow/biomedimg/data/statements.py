"""Reading stated numbers out of the prose statements (data/raw/prose_statements.csv)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pandas as pd

from biomedimg.data.interval import Interval


def row(statements: pd.DataFrame, statement_id: str) -> dict:
    match = statements[statements["id"] == statement_id]
    if match.empty:
        raise KeyError(f"prose statement {statement_id!r} is missing from data/raw/prose_statements.csv")
    return match.iloc[0].to_dict()


def parse(text) -> float:
    """A stated value as printed in the data: a decimal, or a/b for a fraction."""
    text = str(text)
    return float(Fraction(text)) if "/" in text else float(Decimal(text))


def value(statements: pd.DataFrame, statement_id: str) -> float:
    return parse(row(statements, statement_id)["value"])


def bounds(statements: pd.DataFrame, statement_id: str) -> Interval:
    """What a stated value says about the quantity: exact, or only a bound (超过7 -> at least 7)."""
    r = row(statements, statement_id)
    v = Fraction(str(r["value"]))
    qualifier = r["qualifier"]
    if qualifier in ("more_than", "at_least"):
        return Interval.at_least(v)
    if qualifier in ("less_than", "at_most"):
        return Interval.at_most(v)
    if qualifier == "range":
        return Interval(v, Fraction(str(r["value_upper"])))
    return Interval.exact(v)  # exact, year, rank, fraction; "about" is taken at its word


QUALIFIER_MARK = {"more_than": ">", "at_least": "≥", "about": "≈", "less_than": "<", "at_most": "≤"}


def label(statements: pd.DataFrame, statement_id: str, fmt: str = "{:g}") -> str:
    """The stated value with its qualifier, e.g. '>17' for 超过17亿."""
    r = row(statements, statement_id)
    mark = QUALIFIER_MARK.get(r["qualifier"], "")
    return mark + fmt.format(value(statements, statement_id))
