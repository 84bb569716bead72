"""The claims ledger: every number the review states, recomputed from the raw data and checked.

``data/claims/claims.yaml`` lists the claims; each names the prose statement it checks (its quote,
stated value and unit live in ``data/raw/prose_statements.csv``), how the sentence compares, and the
function below that computes the value from the data.  A claim without a function is only cited by
the review: its status is ``not_derivable``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pandas as pd
import yaml

from biomedimg import paths, rawdata, statements

COMPUTE: dict[str, Callable] = {}
COMPARISONS = ("equals", "more_than", "at_least", "less_than", "at_most", "about", "rank")


def compute(func):
    COMPUTE[func.__name__] = func
    return func


class Data:
    """Raw datasets, loaded once and only when a claim needs them."""

    def __init__(self, root: Path = paths.ROOT):
        self.root = root
        self._cache: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            self._cache[name] = rawdata.load(name, self.root)
        return self._cache[name]

    def statement(self, statement_id: str) -> dict:
        return statements.row(self["prose_statements"], statement_id)

    def stated(self, statement_id: str) -> float:
        return statements.value(self["prose_statements"], statement_id)


# ------------------------------------------------------------------------ counts from the tables


@compute
def row_count(data: Data, dataset: str, **where) -> int:
    frame = data[dataset]
    for col, val in where.items():
        frame = frame[frame[col] == val]
    return len(frame)


@compute
def distinct_count(data: Data, dataset: str, column: str) -> int:
    return int(data[dataset][column].nunique())


@compute
def first_year(data: Data, dataset: str, column: str) -> int:
    values = data[dataset][column]
    return int(min(v.year if hasattr(v, "year") else v for v in values))


@compute
def count_in_years(data: Data, dataset: str, start: int, end: int, column: str = "year") -> int:
    years = data[dataset][column]
    return int(((years >= start) & (years <= end)).sum())


@compute
def funding_sum_100m_cny(data: Data, dataset: str, start: int = 0, end: int = 9999) -> float:
    """Sum of printed funding (万元) of projects approved in [start, end], in 亿元 (100M CNY), exactly."""
    frame = data[dataset]
    frame = frame[(frame["year"] >= start) & (frame["year"] <= end)]
    total = sum(frame["funding_10k_cny"], Decimal(0))
    return float(total / Decimal(10000))


@compute
def funding_of_year(data: Data, dataset: str, year: int) -> float:
    frame = data[dataset]
    return float(sum(frame.loc[frame["year"] == year, "funding_10k_cny"], Decimal(0)))


@compute
def groups_with_awards(data: Data, min_awards: int) -> int:
    counts = data["nsfc_creative_group_awards"].groupby("group_id").size()
    return int((counts >= min_awards).sum())


@compute
def awards_in_plan(data: Data, plan: str) -> int:
    years = data["nsfc_creative_group_awards"]["year"]
    return int(sum(rawdata.five_year_plan(int(y)) == plan for y in years))


@compute
def award_year_span(data: Data) -> int:
    years = data["nsfc_creative_group_awards"]["year"]
    return int(years.max() - years.min() + 1)


# ------------------------------------------------------------------------------- Figure 1 prizes


@compute
def nobel_count(data: Data, imaging_type: str | None = None, category: str | None = None) -> int:
    frame = data["nobel_imaging_prizes"]
    if imaging_type:
        frame = frame[frame["imaging_type"] == imaging_type]
    if category:
        frame = frame[frame["category"] == category]
    return len(frame)


@compute
def nobel_types_with_at_least(data: Data, types: list[str], minimum: int) -> int:
    """How many of the named imaging types won at least `minimum` prizes."""
    counts = data["nobel_imaging_prizes"]["imaging_type"].value_counts()
    return int(sum(counts.get(t, 0) >= minimum for t in types))


@compute
def nobel_min_physics(data: Data, types: list[str]) -> int:
    """The smallest number of physics prizes among the named types ('each at least N')."""
    frame = data["nobel_imaging_prizes"]
    phys = frame[frame["category"] == "Physics"]["imaging_type"].value_counts()
    return int(min(phys.get(t, 0) for t in types))


@compute
def nobel_types_first_in_physics(data: Data) -> float:
    """Share of imaging types whose earliest prize is a physics prize (ties count as physics)."""
    frame = data["nobel_imaging_prizes"]
    firsts = []
    for _, group in frame.groupby("imaging_type"):
        first = group[group["year"] == group["year"].min()]
        firsts.append("Physics" in set(first["category"]))
    return sum(firsts) / len(firsts)


# ---------------------------------------------------------------- consistency of stated numbers


@compute
def statement_ratio(data: Data, numerator: str, denominator: str) -> float:
    return data.stated(numerator) / data.stated(denominator)


@compute
def statement_difference(data: Data, minuend: str, subtrahend: str) -> float:
    return data.stated(minuend) - data.stated(subtrahend)


@compute
def statement_rank(data: Data, subject: str, among: list[str]) -> int:
    """Rank (1 = largest) of one statement's value among a set of comparable statements."""
    values = {s: data.stated(s) for s in among}
    ordered = sorted(values, key=lambda s: -values[s])
    return ordered.index(subject) + 1


@compute
def converted_ratio(data: Data, usd: str, cny: str, year: int) -> float:
    """How many times a USD amount is a CNY amount of the same unit, at the year's average rate."""
    rates = data["exchange_rates"]
    rate = float(rates.loc[(rates["year"] == year) & (rates["base"] == "USD"), "rate"].iloc[0])
    return data.stated(usd) * rate / data.stated(cny)


# ------------------------------------------------------------------------------------ evaluation


def compare(comparison: str, computed: float, stated: float, tolerance: float = 0.0) -> bool:
    if comparison in ("equals", "rank"):
        return math.isclose(computed, stated, rel_tol=1e-12, abs_tol=1e-9)
    if comparison == "more_than":
        return computed > stated
    if comparison == "at_least":
        return computed >= stated
    if comparison == "less_than":
        return computed < stated
    if comparison == "at_most":
        return computed <= stated
    if comparison == "about":
        return abs(computed - stated) <= tolerance * abs(stated)
    raise ValueError(f"unknown comparison {comparison!r}; use one of {', '.join(COMPARISONS)}")


def load_claims(root: Path = paths.ROOT) -> list[dict]:
    with open(root / paths.CLAIMS_FILE, encoding="utf-8") as fh:
        claims = yaml.safe_load(fh)["claims"]
    ids = [c["id"] for c in claims]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"{paths.CLAIMS_FILE}: duplicate claim ids {dupes}")
    for c in claims:
        if c.get("compute") and c["compute"] not in COMPUTE:
            raise ValueError(f"{paths.CLAIMS_FILE}: claim {c['id']}: unknown function {c['compute']!r}")
        if c.get("compute") and c.get("compare") not in COMPARISONS:
            raise ValueError(f"{paths.CLAIMS_FILE}: claim {c['id']}: compare must be one of {COMPARISONS}")
    return claims


def evaluate(claim: dict, data: Data) -> dict:
    st = data.statement(claim["statement"])
    stated = claim.get("stated", st["value"])
    result = {
        "id": claim["id"],
        "statement": claim["statement"],
        "section": st["section"],
        "quote_zh": st["quote_zh"],
        "stated": _number(stated),
        "unit": claim.get("unit", st["unit"]),
        "comparison": claim.get("compare", "cited"),
        "computed": None,
        "status": "not_derivable",
        "note": claim.get("note", "") or "",
        "rests_on": claim.get("rests_on", []),
        "source": st.get("source_url") or "",
    }
    if not claim.get("compute"):
        if not result["note"]:
            where = f" ({st['source_url']})" if st.get("source_url") else ""
            result["note"] = f"Only cited by the review{where}; the project holds no data to recompute it."
        return result
    computed = COMPUTE[claim["compute"]](data, **claim.get("args", {}))
    ok = compare(
        claim["compare"], float(computed), statements.parse(stated), float(claim.get("tolerance", 0))
    )
    result["computed"] = _number(computed)
    result["status"] = "pass" if ok else "fail"
    return result


def _number(value):
    if isinstance(value, str):
        return value if "/" in value else _number(float(Decimal(value)))
    value = float(value)
    if value.is_integer():
        return int(value)
    return round(value, 6)


def evaluate_all(root: Path = paths.ROOT, data: Data | None = None) -> list[dict]:
    data = data or Data(root)
    return [evaluate(c, data) for c in load_claims(root)]


def metrics(results: list[dict], data: Data | None = None) -> dict:
    counts = {"pass": 0, "fail": 0, "not_derivable": 0}
    for r in results:
        counts[r["status"]] += 1
    out = {
        "claims": {
            "total": len(results),
            "passed": counts["pass"],
            "failed": counts["fail"],
            "not_derivable": counts["not_derivable"],
        }
    }
    if data is not None:
        out["rows"] = {name: len(data[name]) for name in paths.raw_names()}
    return out


@compute
def min_funding(data: Data, dataset: str) -> float:
    return float(min(data[dataset]["funding_10k_cny"]))
