"""The claims ledger: every number the review states, recomputed from the raw data and checked.

``data/claims/claims.yaml`` lists the claims; each names the prose statement it checks (its quote,
stated value and unit live in ``data/raw/prose_statements.csv``), how the sentence compares, and the
function below that computes the value from the data, and the status the claim is expected to
have (checked by a test).  The file is checked against ``workflow/schemas/claims.schema.yaml``.

Status (the vocabulary is ``biomedimg.vocab.STATUSES``): a claim without a function is only cited by
the review (``not_derivable``); a computed value that decides the comparison gives ``pass`` or
``fail``; a value known only within bounds that straddle the stated number gives ``inconclusive``;
a claim whose data were chosen or inferred to fit the statement (its ``construction`` says how)
gives ``by_construction`` when the data agree, since agreement then proves nothing.

What kind of evidence a computed value rests on is derived, not declared: while a function computes,
``Data`` records every input it reads (``evidence``), and where each is printed.  A table of the review
or an external source is printed apart from every sentence; the review's prose is read statement by
statement (``Data.stated``) or list by list (``Data.listed``), each printed in a section of the review
(``prose_statements.section``, ``prose_enumerations.section``).  A claim that agrees with its data but
whose every input is printed in its own sentence's section (items the sentence lists, arithmetic on
numbers the passage prints) is ``self_consistent``: the review agrees with itself, which is no
independent evidence, so only agreement with an input printed apart is a ``pass``.  The section is the
finest place the data record, so a check is never called independent because its inputs stand a
paragraph apart.

Each result says why it has its status in both languages: ``reason`` and ``note`` in English,
``reason_zh`` and ``note_zh`` in Chinese (the Chinese edition shows these).  The generated sentences
are in ``REASONS`` and the comparison words come from ``biomedimg.vocab.COMPARISONS``; a claim's own
``note``/``construction`` come with their translations ``note_zh``/``construction_zh``.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pandas as pd

from biomedimg import paths, vocab
from biomedimg.data import ledger, rawdata, statements
from biomedimg.data.interval import Interval
from biomedimg.io import load_yaml

COMPUTE: dict[str, Callable] = {}
# The source type (a dataset's meta.yaml, source.type) of the review's own prose: such a dataset is read
# statement by statement or list by list, so that each input says in which section it is printed.
PROSE_SOURCE = "review_prose"
ENUMERATIONS = "prose_enumerations"  # the items the review lists beside a count, with their section
COMPARISONS = tuple(vocab.COMPARISONS)
TRANSLATIONS = "prose_translations"  # data/raw/prose_translations.csv: id, quote_en (optional)
# How a statement's qualifier (prose_statements.csv) compares, for claims that compute nothing.
QUALIFIER_COMPARISON = {"exact": "equals", "year": "equals", "fraction": "equals"}
LANGS = paths.LANGS

# Why a claim has its status, (Chinese, English): {value} is what the data give, {wording} what the
# review states (both said by the functions below), {where} the source the review cites.
REASONS = {
    "pass": ("数据给出{value}，{wording}，与陈述相符。", "The data give {value}, {wording} as stated."),
    "self_consistent": (
        "数据给出{value}，{wording}，但这些数据都出自该句所在的第{section}节：原文自洽，并非独立证据。",
        "The data give {value}, {wording} as stated, but all of it comes from the sentence's own section "
        "({section}) of the review: the review agrees with itself, which is no independent evidence.",
    ),
    "fail": ("数据给出{value}，并非{wording}，与陈述不符。", "The data give {value}, not {wording}."),
    "inconclusive": (
        "数据给出{value}，无法判定是否{wording}。",
        "The data give {value}, which cannot decide whether it is {wording}.",
    ),
    "not_derivable": (
        "综述仅引用了这一数字{where}；本项目没有可以重算它的数据。",
        "Only cited by the review{where}; the project holds no data to recompute it.",
    ),
}
# The same for a claim compared with a source outside the review (data/raw/external_evidence.csv).
EVIDENCE_REASONS = {
    "pass": ("来源给出{value}，{wording}，与陈述相符。", "The source gives {value}, {wording} as stated."),
    "fail": ("来源给出{value}，并非{wording}，与陈述不符。", "The source gives {value}, not {wording}."),
    "inconclusive": (
        "来源给出{value}，无法判定是否{wording}。",
        "The source gives {value}, which cannot decide whether it is {wording}.",
    ),
    # evidence_differs: the source's number is about another period, scope, unit or approval stage.
    "differs": (
        "来源给出的{value}属于另一{what}，无法判定陈述的数值是否{wording}。",
        "The source gives {value} for another {what}, so it cannot decide whether the value is {wording}.",
    ),
}
# What an evidence_differs key names, (Chinese, English).
DIFFERS = vocab.EVIDENCE_DIFFERS
# The words around a number that vocab.COMPARISONS does not hold, (Chinese, English).
WORDS = {
    "equals": ("等于", "equal to"),
    "and": vocab.RANGE_ENDS,  # after vocab's 介于 / between
    "within": ("{}（误差在{}以内）", "{} (within {})"),  # after vocab's 约 / about
    "no_bound": ("无界", "no bound"),
}


def compute(func):
    COMPUTE[func.__name__] = func
    return func


class Data:
    """Raw datasets, loaded once and only when a claim needs them.  Inside ``tracing()`` it records the
    inputs read: ("dataset", name), ("statement", id) or ("list", statement id)."""

    def __init__(self, root: Path = paths.ROOT):
        self.root = root
        self._cache: dict[str, pd.DataFrame] = {}
        self._sources: dict[str, str] = {}
        self._inputs: set[tuple[str, str]] | None = None
        self._quiet = 0

    def __getitem__(self, name: str) -> pd.DataFrame:
        if self._inputs is not None and not self._quiet:
            if self.source(name) == PROSE_SOURCE:
                raise ValueError(
                    f"{name} is the review's prose: read it through Data.stated or Data.listed, so the "
                    "ledger knows which section each input is printed in"
                )
            self._inputs.add(("dataset", name))
        if name not in self._cache:
            self._cache[name] = rawdata.load(name, self.root)
        return self._cache[name]

    def _prose(self, name: str) -> pd.DataFrame:
        """A prose dataset, read for one statement or list (the caller records which)."""
        self._quiet += 1
        try:
            return self[name]
        finally:
            self._quiet -= 1

    def source(self, name: str) -> str:
        """Where a dataset comes from (its meta.yaml source.type): review_table, review_prose, external..."""
        if name not in self._sources:
            with open(self.root / paths.raw_meta(name), encoding="utf-8") as fh:
                self._sources[name] = load_yaml(fh)["source"]["type"]
        return self._sources[name]

    @contextmanager
    def tracing(self) -> Iterator[set[tuple[str, str]]]:
        """The inputs read inside the block."""
        self._inputs = inputs = set()
        try:
            yield inputs
        finally:
            self._inputs = None

    def _note(self, kind: str, name: str) -> None:
        if self._inputs is not None:
            self._inputs.add((kind, name))

    def statement(self, statement_id: str) -> dict:
        return statements.row(self._prose("prose_statements"), statement_id)

    def stated(self, statement_id: str) -> Interval:
        """A stated value used as an input: its bounds ("超过7" is only known to be at least 7)."""
        self._note("statement", statement_id)
        return statements.bounds(self._prose("prose_statements"), statement_id)

    def listed(self, statement_id: str) -> pd.DataFrame:
        """The items the review's text lists for a counted statement (data/raw/prose_enumerations.csv)."""
        self._note("list", statement_id)
        frame = self._prose(ENUMERATIONS)
        return frame[frame["statement"] == statement_id]

    def evidence(self, inputs: set[tuple[str, str]]) -> list[dict]:
        """Each input with its source and the sections of the review it is printed in (none for a
        table or an external source, which stand apart from every sentence)."""
        out = []
        for kind, name in sorted(inputs):
            if kind == "statement":
                source, sections = PROSE_SOURCE, [str(self.statement(name)["section"])]
            elif kind == "list":
                source, sections = PROSE_SOURCE, sorted(set(map(str, self.listed(name)["section"])))
            else:
                source, sections = self.source(name), []
            out.append({"input": f"{kind}:{name}", "source": source, "sections": sections})
        return out

    def quote_en(self, statement_id: str) -> str:
        """The English translation of a statement's quote, once data/raw/prose_translations.csv exists."""
        if not (self.root / paths.raw_schema(TRANSLATIONS)).exists():
            return ""
        match = self[TRANSLATIONS].loc[self[TRANSLATIONS]["id"] == statement_id, "quote_en"]
        return "" if match.empty else str(match.iloc[0])


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


def invested(row) -> Interval:
    """What a Table 3 project received, in 万元: the printed figure, or at least it when the figure is
    direct cost only (footnote a: 2015年(含)以后为直接经费)."""
    printed = Decimal(row["funding_10k_cny"])
    return Interval.at_least(printed) if row["direct_cost_only"] else Interval.exact(printed)


def direct_cost(row) -> Interval:
    """A Table 3 project's direct cost, in 万元: the printed figure from 2015 on; before that the
    printed figure includes indirect cost, so it is only an upper bound."""
    printed = Decimal(row["funding_10k_cny"])
    return Interval.exact(printed) if row["direct_cost_only"] else Interval(Decimal(0), printed)


@compute
def funding_sum_100m_cny(data: Data, dataset: str, start: int = 0, end: int = 9999) -> Interval:
    """What the projects approved in [start, end] received, in 亿元 (100M CNY), exactly or as bounds."""
    frame = data[dataset]
    frame = frame[(frame["year"] >= start) & (frame["year"] <= end)]
    total = sum((invested(r) for _, r in frame.iterrows()), Interval.exact(Decimal(0)))
    return total / Decimal(10000)


@compute
def min_direct_cost(data: Data, dataset: str) -> Interval:
    """The smallest direct cost (万元) among the projects, as bounds."""
    costs = [direct_cost(r) for _, r in data[dataset].iterrows()]
    return Interval(min(c.lo for c in costs), min(c.hi for c in costs))


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


def _exact(data: Data, statement_id: str) -> float:
    value = data.stated(statement_id)
    if not value.is_exact:
        raise ValueError(
            f"statement {statement_id} is only a bound ({value}); this function needs exact values"
        )
    return float(value.lo)


@compute
def statement_ratio(data: Data, numerator: str, denominator: str) -> float:
    return _exact(data, numerator) / _exact(data, denominator)


@compute
def statement_difference(data: Data, minuend: str, subtrahend: str) -> Interval:
    return data.stated(minuend) - data.stated(subtrahend)


@compute
def statement_rank(data: Data, subject: str, among: list[str]) -> int:
    """Rank (1 = largest) of one statement's value among a set of comparable statements."""
    values = {s: _exact(data, s) for s in among}
    ordered = sorted(values, key=lambda s: -values[s])
    return ordered.index(subject) + 1


@compute
def statement_sum(data: Data, terms: list[str]) -> Interval:
    """The sum of stated values, carrying "more than" figures as lower bounds."""
    return sum((data.stated(t) for t in terms), Interval.exact(0))


@compute
def listed_items(data: Data, statement: str) -> int:
    """How many items the review's text lists for a statement (data/raw/prose_enumerations.csv)."""
    return len(data.listed(statement))


@compute
def latest_year_in_window(data: Data, dataset: str, start: int, column: str = "year") -> int:
    """Years from `start` to the latest year in the table, both included (the window the data need)."""
    return int(data[dataset][column].max()) - start + 1


@compute
def min_of(data: Data, dataset: str, column: str) -> int:
    return int(data[dataset][column].min())


@compute
def max_of(data: Data, dataset: str, column: str) -> int:
    return int(data[dataset][column].max())


# --------------------------------------------------------- facts from sources outside the review
# data/raw/external_evidence.csv: a claim names the rows it rests on (``evidence`` in claims.yaml) and
# one of the functions below reads the number it is compared with from them. A claim whose source
# speaks of another period, scope, unit or stage (``evidence_differs``) is inconclusive whatever the
# numbers say; its note says how the two differ.
EVIDENCE = "external_evidence"
EVIDENCE_KIND = "external"
EVIDENCE_ARGS = ("row", "per")  # the arguments of the functions below that name evidence rows
# What the ledger shows of each row (the rest stays in the data package).
EVIDENCE_FIELDS = (
    "id", "value", "lower", "upper", "value_printed", "implied", "implied_how", "implied_how_zh", "unit",
    "unit_zh", "as_of", "period", "period_zh", "publisher", "document_title", "url", "quote", "location", "retrieved", "licence", "kind", "mirror",
)  # fmt: skip


def evidence_row(data: Data, row: str) -> dict:
    frame = data[EVIDENCE]
    match = frame[frame["id"] == row]
    if match.empty:
        raise ValueError(f"{paths.CLAIMS_FILE}: evidence {row!r} is not a row of {paths.raw_csv(EVIDENCE)}")
    return match.iloc[0].to_dict()


def evidence_interval(record: dict) -> Interval:
    """What a source says of a number: its bounds when it gives any (over 20,000 is at least 20000),
    else its printed value, else the value its quote implies, else nothing (no bound)."""

    def num(key):
        v = record.get(key)
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else Decimal(str(v))

    if num("lower") is not None or num("upper") is not None:
        return Interval(num("lower"), num("upper"))
    for key in ("value", "implied"):
        if num(key) is not None:
            return Interval.exact(num(key))
    return Interval(None, None)


@compute
def evidence_value(data: Data, row: str, divide_by: float = 1) -> Interval:
    """The number an external source gives (a row of external_evidence.csv), in the statement's unit:
    ``divide_by`` only changes the unit (377.6 million USD / 100 = 3.776 亿美元)."""
    return evidence_interval(evidence_row(data, row)) / Decimal(str(divide_by))


@compute
def evidence_ratio(data: Data, row: str, per: str) -> float:
    """The ratio of two exact numbers external sources give, ``row`` / ``per`` (China's researchers per
    million / Japan's)."""
    top, bottom = (evidence_interval(evidence_row(data, r)) for r in (row, per))
    if not (top.is_exact and bottom.is_exact):
        raise ValueError(f"evidence {row} / {per}: a ratio needs two exact values")
    return float(top.lo) / float(bottom.lo)


@compute
def evidence_month(data: Data, row: str) -> int:
    """The month of the date an external source gives (its row's ``as_of``, 2013-02-23 -> 2), for a
    statement that prints a month (2013年2月): the claim's ``stated`` is that month, while the year is
    the statement's own claim (evidence_value)."""
    as_of = evidence_row(data, row).get("as_of")
    text = "" if as_of is None or (isinstance(as_of, float) and math.isnan(as_of)) else str(as_of)
    if hasattr(as_of, "isoformat"):
        text = as_of.isoformat()
    if len(text) < 7 or text[4] != "-":
        raise ValueError(f"evidence {row}: as_of {text!r} gives no month")
    return int(text[5:7])


def evidence_of(claim: dict, data: Data) -> dict:
    """A claim's external evidence for the results: its kind, the ids and each row as the ledger shows it."""
    ids = claim.get("evidence") or []
    if not ids:
        return {"evidence_kind": "", "external_evidence": [], "external_evidence_rows": []}
    for key in EVIDENCE_ARGS:
        named = (claim.get("args") or {}).get(key)
        if named is not None and named not in ids:
            raise ValueError(
                f"{paths.CLAIMS_FILE}: claim {claim['id']} computes from {named!r}, not in its evidence"
            )
    rows = []
    for rid in ids:
        record = evidence_row(data, rid)
        rows.append({k: _plain(record.get(k)) for k in EVIDENCE_FIELDS})
    return {"evidence_kind": EVIDENCE_KIND, "external_evidence": list(ids), "external_evidence_rows": rows}


def _plain(value):
    """A cell as JSON: numbers as numbers, dates as ISO text, missing as None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, Decimal):
        return _number(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value


# ------------------------------------------------------------------------------------ evaluation


def own_section_only(section: str, evidence: list[dict]) -> bool:
    """Whether every input is prose printed in the checked sentence's own section (or there is none):
    agreement then only shows that the review agrees with itself."""
    return all(e["source"] == PROSE_SOURCE and e["sections"] == [str(section)] for e in evidence)


def compare(comparison: str, computed, stated, tolerance: float = 0.0, upper=None) -> bool | None:
    """Whether the computed value bears out the statement: True, False, or None when the computed
    value is known only within bounds that straddle the stated number."""
    value = Interval.of(computed)
    s = float(stated)
    if comparison in ("equals", "rank"):
        if value.is_exact:
            return math.isclose(float(value.lo), s, rel_tol=1e-12, abs_tol=1e-9)
        return False if value.within(s, s) is False else None
    if comparison == "more_than":
        return value.gt(s)
    if comparison == "at_least":
        return value.ge(s)
    if comparison == "less_than":
        return value.lt(s)
    if comparison == "at_most":
        return value.le(s)
    if comparison == "about":
        return value.within(s - tolerance * abs(s), s + tolerance * abs(s))
    if comparison == "range":
        return value.within(s, float(upper))
    raise ValueError(f"unknown comparison {comparison!r}; use one of {', '.join(COMPARISONS)}")


def claims_schema(root: Path = paths.ROOT) -> dict:
    """The JSON Schema of claims.yaml, with the vocabularies and the functions below filled in."""
    return ledger.claims_schema(root, sorted(COMPUTE))


def schema_errors(document, root: Path = paths.ROOT) -> list[str]:
    """Every violation of the claims schema, one line each (``biomedimg.data.ledger.schema_errors``)."""
    return ledger.schema_errors(document, root, sorted(COMPUTE))


def load_claims(root: Path = paths.ROOT) -> list[dict]:
    """The claims, or ``ledger.ClaimsError`` (a ValueError) with one line per error: the schema's,
    and every claim whose ``args`` its function cannot take (``args_errors``)."""
    found = ledger.load_claims(root, sorted(COMPUTE))
    datasets, statement_ids = paths.raw_names(root), _statement_ids(root)
    errors = [e for i, claim in enumerate(found, 1) for e in args_errors(i, claim, datasets, statement_ids)]
    errors += [e for i, claim in enumerate(found, 1) for e in evidence_errors(i, claim, _evidence_ids(root))]
    if errors:
        raise ledger.ClaimsError("\n".join(errors))
    return found


def _evidence_ids(root: Path) -> set[str] | None:
    """The ids of data/raw/external_evidence.csv (None if it cannot be read: validation says why)."""
    import csv

    try:
        with open(root / paths.raw_csv(EVIDENCE), encoding="utf-8", newline="") as fh:
            return {row.get("id") or "" for row in csv.DictReader(fh)}
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def evidence_errors(index: int, claim: dict, evidence_ids: set[str] | None) -> list[str]:
    """A claim's evidence ids that are no row of external_evidence.csv, and an evidence row its
    function reads that the claim does not name, one line each."""
    where = f"{paths.CLAIMS_FILE}: claim {index} ({claim['id']})"
    errors = [
        f"{where} evidence: {rid!r} is not a row of {paths.raw_csv(EVIDENCE)}"
        for rid in claim.get("evidence") or []
        if evidence_ids is not None and rid not in evidence_ids
    ]
    for key in EVIDENCE_ARGS if claim.get("compute", "").startswith("evidence_") else ():
        named = (claim.get("args") or {}).get(key)
        if isinstance(named, str) and named not in (claim.get("evidence") or []):
            errors.append(f"{where} args/{key}: {named!r} is not one of the claim's evidence rows")
    return errors


# The annotations of the compute functions' arguments, as the YAML values they accept.
ARG_TYPES = {
    "str": lambda v: isinstance(v, str),
    "str | None": lambda v: v is None or isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "list[str]": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
}


# The arguments of the compute functions that name prose statements (data/raw/prose_statements.csv).
STATEMENT_ARGS = (
    "numerator",
    "denominator",
    "minuend",
    "subtrahend",
    "subject",
    "among",
    "terms",
    "statement",
)


def _statement_ids(root: Path) -> set[str] | None:
    """The ids of data/raw/prose_statements.csv (None if it cannot be read: validation says why)."""
    import csv

    try:
        with open(root / paths.raw_csv("prose_statements"), encoding="utf-8", newline="") as fh:
            return {row.get("id") or "" for row in csv.DictReader(fh)}
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def args_errors(
    index: int, claim: dict, datasets: list[str], statement_ids: set[str] | None = None
) -> list[str]:
    """Why a claim's ``args`` do not fit its function (a name it does not take, one it needs, a value
    of another type, a dataset or prose statement that does not exist), one line each, instead of a
    traceback."""
    unknown = []
    if statement_ids is not None:
        named = [("statement", claim.get("statement"))]
        for name in STATEMENT_ARGS:
            value = claim.get("args", {}).get(name)
            named += [(f"args/{name}", v) for v in (value if isinstance(value, list) else [value])]
        unknown = [
            f"{paths.CLAIMS_FILE}: claim {index} ({claim['id']}) {key}: {value!r} is not a statement of "
            f"{paths.raw_csv('prose_statements')}"
            for key, value in named
            if isinstance(value, str) and value not in statement_ids
        ]
    if not claim.get("compute"):
        return unknown
    func = COMPUTE[claim["compute"]]
    params = list(inspect.signature(func).parameters.values())[1:]  # after data
    takes = ", ".join(f"{p.name}: {p.annotation}" if p.annotation is not p.empty else p.name for p in params)
    where = f"{paths.CLAIMS_FILE}: claim {index} ({claim['id']}) args"
    args = claim.get("args", {})
    try:
        inspect.signature(func).bind(None, **args)
    except TypeError as exc:
        return [*unknown, f"{where}: {exc} ({claim['compute']} takes {takes or 'no arguments'})"]
    errors = unknown
    named = inspect.signature(func).parameters
    for name, value in args.items():
        annotation = named[name].annotation if name in named else None  # None: one of **keywords
        if annotation in ARG_TYPES and not ARG_TYPES[annotation](value):
            errors.append(f"{where}/{name}: {value!r} is not of type {annotation}")
        elif name == "dataset" and value not in datasets:
            errors.append(f"{where}/{name}: {value!r} is not a raw dataset ({', '.join(datasets)})")
    return errors


def evaluate(claim: dict, data: Data) -> dict:
    st = data.statement(claim["statement"])
    stated = claim.get("stated", st["value"])
    comparison = claim.get("compare") or QUALIFIER_COMPARISON.get(st["qualifier"], st["qualifier"])
    result = {
        "id": claim["id"],
        "statement": claim["statement"],
        "section": st["section"],
        "quote_zh": st["quote_zh"],
        "quote_en": data.quote_en(claim["statement"]),
        "comparison": comparison,
        "stated": _number(stated),
        "stated_upper": _number(st["value_upper"]) if comparison == "range" else None,
        "unit": claim.get("unit", st["unit"]),
        "computed": None,
        "computed_bounds": None,
        "status": "not_derivable",
        "reason": "",
        "reason_zh": "",
        "note": "",
        "note_zh": "",
        "rests_on": claim.get("rests_on", []),
        "evidence": [],
        "source": st.get("source_url") or "",
        **evidence_of(claim, data),
    }
    if not claim.get("compute"):
        url = st.get("source_url")
        where = {"en": f" ({url})", "zh": f"（{url}）"} if url else {"en": "", "zh": ""}
        return _with_reasons(result, claim, "not_derivable", where=where)
    with data.tracing() as inputs:
        computed = COMPUTE[claim["compute"]](data, **claim.get("args", {}))
    result["evidence"] = data.evidence(inputs)
    value = Interval.of(computed)
    decided = compare(
        comparison, value, statements.parse(stated), float(claim.get("tolerance", 0)), st["value_upper"]
    )
    result["computed"] = _number(value.lo) if value.is_exact else None
    result["computed_bounds"] = [_bound(value.lo), _bound(value.hi)]
    if decided is None:
        status = "inconclusive"
    elif not decided:
        status = "fail"
    elif claim.get("construction"):
        status = "by_construction"
    elif own_section_only(st["section"], result["evidence"]):
        status = "self_consistent"
    else:
        status = "pass"
    if claim.get("evidence_differs"):  # the source speaks of something else: its number cannot decide
        status = "inconclusive"
    upper, tolerance = result["stated_upper"], claim.get("tolerance")
    wording = {lang: _wording(comparison, stated, upper, tolerance, lang) for lang in LANGS}
    return _with_reasons(result, claim, status, value=value, wording=wording, section=st["section"])


def _own(claim: dict, key: str, lang: str) -> str:
    """A claim's own sentence (note, construction) in a language: ``note`` is English, ``note_zh`` Chinese."""
    return (claim.get(key if lang == "en" else f"{key}_{lang}") or "").strip()


def _with_reasons(
    result: dict,
    claim: dict,
    status: str,
    value=None,
    wording: dict | None = None,
    where: dict | None = None,
    section: str = "",
) -> dict:
    """The status and, in each language, the reason (why the status) and the note (the reason, then
    the claim's own note). A language the claim's sentences are not written in gets no reason (the
    book then shows the English, marked as English) rather than a half-translated one."""
    result["status"] = status
    for lang in LANGS:
        suffix = "" if lang == "en" else f"_{lang}"
        if any(claim.get(key) and not _own(claim, key, lang) for key in ("note", "construction")):
            result[f"reason{suffix}"] = result[f"note{suffix}"] = ""
            continue
        detail = _own(claim, "note", lang)
        if status == "not_derivable":
            reason, detail = (
                detail or _say(REASONS[status], lang).format(where=(where or {}).get(lang, "")),
                "",
            )
        elif status == "by_construction":
            reason = _own(claim, "construction", lang)
        else:
            differs = claim.get("evidence_differs")
            template = REASONS[status]
            if result.get("external_evidence"):  # compared with a source outside the review
                template = EVIDENCE_REASONS.get("differs" if differs else status, template)
            what = _say(DIFFERS[differs], lang) if differs else ""
            reason = _say(template, lang).format(
                value=value_words(value, lang), wording=wording[lang], section=section, what=what
            )
        result[f"reason{suffix}"] = reason
        # Chinese sentences follow each other without a space (after 。), English ones after one.
        result[f"note{suffix}"] = (f"{reason}{detail}" if lang == "zh" else f"{reason} {detail}").strip()
    return result


def _say(pair: tuple[str, str], lang: str) -> str:
    """The Chinese or the English of a (Chinese, English) pair."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return pair[0] if lang == "zh" else pair[1]


def _before(word: str, number: str, lang: str) -> str:
    """A comparison word before a number: 超过7 in Chinese, more than 7 in English."""
    return f"{word}{number}" if lang == "zh" else f"{word} {number}"


def value_words(value: Interval, lang: str) -> str:
    """What the data give, in words: 25; at least 7.083274 (不少于7.083274); between 0 and 3000
    (介于0和3000之间). The English is ``str(value)``; the words come from vocab.COMPARISONS."""
    value = Interval.of(value)
    lo, hi = (None if v is None else f"{float(v):.10g}" for v in (value.lo, value.hi))
    if value.is_exact:
        return lo
    if lo is None and hi is None:
        return _say(WORDS["no_bound"], lang)
    if hi is None:
        return _before(_say(vocab.COMPARISONS["at_least"], lang), lo, lang)
    if lo is None:
        return _before(_say(vocab.COMPARISONS["at_most"], lang), hi, lang)
    return _before(_say(vocab.COMPARISONS["range"], lang), _say(WORDS["and"], lang).format(lo, hi), lang)


def _wording(comparison: str, stated, upper, tolerance, lang: str) -> str:
    """What the review states, in words: equal to 25, more than 7, about 0.333333 (within 5%)."""
    s = f"{statements.parse(stated):g}" if "/" not in str(stated) else str(stated)
    if comparison in ("equals", "rank"):
        return _before(_say(WORDS["equals"], lang), s, lang)
    word = _say(vocab.COMPARISONS[comparison], lang)
    if comparison == "about":
        return _say(WORDS["within"], lang).format(_before(word, s, lang), f"{float(tolerance or 0):.0%}")
    if comparison == "range":
        return _before(word, _say(WORDS["and"], lang).format(s, f"{float(upper):g}"), lang)
    return _before(word, s, lang)


def bounds_text(bounds: list | None) -> str:
    """[lo, hi] of a result as text for CSV, e.g. '1.582803..' (an empty side is unbounded)."""
    if bounds is None:
        return ""
    lo, hi = ("" if b is None else f"{b}" for b in bounds)
    return f"{lo}..{hi}"


def _bound(value):
    return None if value is None else _number(value)


def _number(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
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
    """DVC metrics: the number of claims of each status (every status of the vocabulary, even at 0)."""
    counts = dict.fromkeys(vocab.STATUSES, 0)
    for r in results:
        counts[r["status"]] += 1
    out = {"claims": {"total": len(results), **counts}}
    if data is not None:
        out["rows"] = {name: len(data[name]) for name in paths.raw_names()}
    return out
