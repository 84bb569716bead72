"""Loading validated raw data as pandas tables (one place that knows how raw files are read)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from biomedimg import paths
from biomedimg.data.validate import validate_table


def load(name: str, root: Path = paths.ROOT) -> pd.DataFrame:
    """A raw dataset with typed columns; exact decimals (e.g. funding) stay ``Decimal``."""
    rows = validate_table(name, root)
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "_line"} for r in rows])
    return frame


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
