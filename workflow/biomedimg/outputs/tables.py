"""Tables 1-4 of the review, rebuilt from the raw data, as CSV and as the HTML each edition of the book
shows.

The CSV's headers are bilingual ("中文 / English"). The HTML fragment of an edition is the whole
``<table>`` its page shows, caption included; the book includes it as it is (never rebuilding the
table), so what this job writes is what the reader sees. Its template is autoescaped, so whatever the
data holds is shown as text.
"""

from __future__ import annotations

import functools

import jinja2
import pandas as pd

from biomedimg import paths, vocab
from biomedimg.anchors import anchor
from biomedimg.catalog import PROGRAMMES, TABLES, TableSpec
from biomedimg.data import rawdata

TEMPLATE = paths.ROOT / paths.TEMPLATES / "outputs" / "table.html.j2"


def table_data(spec: TableSpec, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of a table, in print order, with the columns its spec names."""
    return full_table_data(spec, frames)[[c.source for c in spec.columns]]


def full_table_data(spec: TableSpec, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of a table, in print order, with every column of its data (English ones included)."""
    if spec.number == 3:
        parts = []
        for name in spec.datasets:
            part = frames[name].copy()
            part["programme_zh"], part["programme_en"] = PROGRAMMES[name]
            parts.append(part)
        frame = pd.concat(parts, ignore_index=True)
        frame["funding_10k_cny"] = frame["funding_10k_cny"].map(str)
    elif spec.number == 4:
        frame = frames["nsfc_creative_groups"].copy()
        counts = frames["nsfc_creative_group_awards"].groupby("group_id").size()
        frame["n_awards"] = frame["group_id"].map(counts).astype(int)
    else:
        frame = frames[spec.datasets[0]].copy()
    return frame


# Columns that hold a code rather than words: the English edition shows the code's English label.
CODE_LABELS_EN = {"discipline": {code: en for code, (_, en) in vocab.DISCIPLINES.items()}}


def english_source(source: str, frame: pd.DataFrame) -> str | None:
    """The column holding the English of a Chinese column (``x_zh`` -> ``x_en``), if the data has one."""
    if not source.endswith("_zh"):
        return None
    stem = source.removesuffix("_zh")
    for candidate in (f"{stem}_en", stem):  # Table 2's English discipline is the plain ``discipline``
        if candidate in frame.columns:
            return candidate
    return None


def edition(spec: TableSpec, frame: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    """Headers and cells of a table for one language edition.

    The Chinese edition shows the Chinese columns as the review prints them; the English edition shows
    each Chinese column's English counterpart (and ISO dates for Table 1) under the English header, so
    no column is left in the other language when the data holds a translation.
    """
    headers, getters = [], []
    english_shown = set()
    for column in spec.columns:
        if lang == "zh":
            if column.source.endswith("_en"):
                continue
            headers.append(column.zh)
            getters.append(lambda row, s=column.source: row[s])
            continue
        if column.source.endswith("_en") and column.source in english_shown:
            continue
        if column.source == "date_zh" and {"start_date", "end_date"} <= set(frame.columns):
            headers.append(column.en)
            getters.append(lambda row: f"{row['start_date']}–{row['end_date']}")
            continue
        english = english_source(column.source, frame)
        if english:
            english_shown.add(english)
        headers.append(column.en)
        source = english or column.source
        labels = CODE_LABELS_EN.get(source, {})
        getters.append(lambda row, s=source, labels=labels: labels.get(row[s], row[s]))
    rows = [[str(get(row)) for get in getters] for _, row in frame.iterrows()]
    return headers, rows


def to_csv_frame(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns={c.source: c.header for c in spec.columns})


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE.parent)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(TEMPLATE.name)


def to_html(spec: TableSpec, frame: pd.DataFrame, lang: str) -> str:
    """The table as the edition in ``lang`` shows it (``edition``): an escaped ``<table>`` with its
    numbered caption; ``frame`` holds every column of the table's data (``full_table_data``)."""
    headers, rows = edition(spec, frame, lang)
    return render_html(spec, lang, headers, rows)


def render_html(spec: TableSpec, lang: str, headers: list[str], rows: list[list[str]]) -> str:
    return _template().render(
        id=anchor(spec.name),
        name=spec.name,
        label=vocab.TABLE_LABEL[lang].format(n=spec.number),
        caption=getattr(spec, f"caption_{lang}"),
        headers=headers,
        rows=rows,
        footnote=getattr(spec, f"footnote_{lang}"),
    )


def build(name: str) -> tuple[pd.DataFrame, dict[str, str], dict[str, dict]]:
    """Load the table's raw data; return its CSV frame (bilingual headers), its HTML fragment in each
    language and, in each language, the same headers and cells as data (for the PDF)."""
    spec = TABLES[name]
    frames = {d: rawdata.load(d) for d in spec.datasets}
    full = full_table_data(spec, frames)
    frame = full[[c.source for c in spec.columns]]
    cells = {}
    for lang in paths.LANGS:
        headers, rows = edition(spec, full, lang)
        cells[lang] = {"headers": headers, "rows": rows}
    fragments = {lang: render_html(spec, lang, **cells[lang]) for lang in paths.LANGS}
    return to_csv_frame(spec, frame), fragments, cells
