"""The one reader of validated data: a raw dataset, or a resource of the published data package, as a
pandas table with typed columns.

Rule validate_raw checks each raw file once and writes its stamp (``results/validated/<name>.ok``,
the md5 of the version it passed); every job that reads a raw file has that stamp among its inputs.
So a job reads the file without checking it again: when the stamp names the file's current bytes, the
cells are only typed by the schema. Read any other way (a file edited since, a test's copy, a tool
run by hand), the file is validated first, so invalid data never reaches a job either way.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pandas as pd

from biomedimg import paths
from biomedimg.data.validate import parse_value, read_yaml, stamped_md5, validate_table
from biomedimg.io import file_hash


def load(name: str, root: Path = paths.ROOT) -> pd.DataFrame:
    """A raw dataset with typed columns; exact decimals (e.g. funding) stay ``Decimal``."""
    if validated(name, root):
        schema = read_yaml(root / paths.raw_schema(name), str(paths.raw_schema(name)))
        text = (root / paths.raw_csv(name)).read_text(encoding="utf-8")
        return read(text, schema["fields"], schema.get("x-missing", ()))
    rows = validate_table(name, root)
    return pd.DataFrame([{k: v for k, v in r.items() if k != "_line"} for r in rows])


def validated(name: str, root: Path = paths.ROOT) -> bool:
    """Whether rule validate_raw passed the raw file as it is now (its stamp names these bytes)."""
    recorded = stamped_md5(name, root)
    return recorded is not None and recorded == file_hash(root / paths.raw_csv(name), "md5")


def read(text: str, fields: list[dict], missing=()) -> pd.DataFrame:
    """CSV text that passed validation, typed by its Table Schema ``fields`` (the types validation
    checked: integers, ``Decimal`` numbers, dates, booleans, text); an empty or missing cell is None."""
    rows = list(csv.reader(io.StringIO(text)))[1:]
    missing = set(missing)
    return pd.DataFrame(
        [
            {
                f["name"]: None if value == "" or value in missing else parse_value(f, value)
                for f, value in zip(fields, row, strict=True)
            }
            for row in rows
        ]
    )


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
