"""Validated data as pandas tables: a raw dataset, or a resource of the published data package, with
typed columns.

Raw files are read through ``biomedimg.data.validate.load_rows``, the one reader of validated data:
rule validate_raw checks each raw file once and writes its stamp, every job reading the file has that
stamp among its inputs, and the reader trusts a stamp that names the file's current bytes (a file
without one, such as a test's copy, is validated first), so invalid data never reaches a job.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from biomedimg import paths
from biomedimg.data import validate


def load(name: str, root: Path = paths.ROOT) -> pd.DataFrame:
    """A raw dataset with typed columns; exact decimals (e.g. funding) stay ``Decimal``."""
    return _frame(validate.load_rows(name, root))


def read(text: str, fields: list[dict]) -> pd.DataFrame:
    """CSV text that passed validation (a resource of the published data package), typed by its Table
    Schema ``fields``."""
    return _frame(validate.typed_rows(text, fields))


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{k: v for k, v in r.items() if k != "_line"} for r in rows])


def as_float(series: pd.Series) -> pd.Series:
    return series.map(lambda v: float(v) if isinstance(v, Decimal) else v).astype(float)


FIVE_YEAR_PLANS = [
    ("十五", "10th FYP", 2001, 2005),
    ("十一五", "11th FYP", 2006, 2010),
    ("十二五", "12th FYP", 2011, 2015),
    ("十三五", "13th FYP", 2016, 2020),
]


def five_year_plan(year: int, lang: str = "zh") -> str:
    """The five-year plan (五年计划) a year falls in, e.g. 2013 -> 十二五."""
    for zh, en, start, end in FIVE_YEAR_PLANS:
        if start <= year <= end:
            return zh if lang == "zh" else en
    raise ValueError(f"year {year} is outside the five-year plans 2001-2020")
