"""The interactive version of each figure: Vega-Lite specs drawn from the figure's values CSV.

The matplotlib SVG and PNG stay the figure the page shows (print, no JavaScript, the PDF); the
reader's "Explore" button swaps in these charts. They are built from the values CSV the figure job
writes (``paths.figure_values``), never from the plotting code, so the chart and the downloadable
values are one source: every row of the CSV is one row of the chart's data, each cell kept as the
text the CSV prints (what the tooltip shows) and, for a plotted column, also as a number.

A figure is drawn as one or more panels, each a single Vega-Lite view whose width is its container's
(``width: "container"`` works only for single and layered views, so two measures are two panels,
not a concatenation). Columns are named by their position in the CSV, so the headers can change
wording without touching this module; the headers are the axis, legend and tooltip titles, in the
edition's language.

``javascript_bundle`` is vega, vega-lite and vega-embed as one classic script (vl-convert bundles the
versions it ships; no npm, no network), loaded by the page only when the reader asks for a chart.
"""

from __future__ import annotations

import csv
import json
import re
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from biomedimg import paths

# Smallest text in a chart, in CSS px: readable on a 390 px phone screen.
FONT_SIZE = 12
# Room for a category label before the bars (longer labels are cut with "…"; the tooltip has them whole).
LABEL_LIMIT = 130
BAR_STEP = 24
# A Chinese category label longer than a line of that room wraps, up to WRAP_LINES lines (the
# tooltip has it whole); a line holds about LABEL_LIMIT / FONT_SIZE characters of Han script.
WRAP_CHARS = LABEL_LIMIT // FONT_SIZE
# Latin letters are about half as wide as Han characters.
WRAP_CHARS_LATIN = 2 * WRAP_CHARS
WRAP_LINES = 3
LINE_HEIGHT = FONT_SIZE + 3
# Counts up to this get a tick at each whole number.
SMALL_COUNT = 10


@dataclass(frozen=True)
class Chart:
    """How one figure is drawn, by column position in its values CSV.

    ``kind``: ``hbar`` (a bar per row, categories on the y axis), ``vbar`` (stacked bars over an
    ordinal x, such as years), ``span`` (a bar from ``x`` to ``x2`` per row), ``points`` (a point per
    row, rows of one colour joined in ``x``-then-``y`` order).
    ``measures``: the plotted column(s), one panel each; ``panel_by``: a column whose values split the
    rows into panels instead (a panel per distinct value, in CSV order); ``statement``: the column
    naming the statement a row plots (its claim, when the ledger checks it on this figure).
    """

    kind: str
    category: int
    measures: tuple[int, ...]
    color: int | None = None
    x2: int | None = None
    panel_by: int | None = None
    statement: int | None = None
    year_axis: bool = False
    extra: dict = field(default_factory=dict)


CHARTS: dict[str, Chart] = {
    # Year, Prize, Laureates, Motivation, Imaging type, Why, Label, Source
    "fig1_nobel_timeline": Chart("points", category=1, measures=(0,), color=4, year_axis=True),
    # Year approved, Department, Projects, Funding
    "fig_nsfc_instrument_projects": Chart("vbar", category=0, measures=(2, 3), color=1),
    "fig_nsfc_major_projects": Chart("vbar", category=0, measures=(2, 3), color=1),
    # Leader, Department, Award no., Award year, Term until, Five-year plan
    "fig_creative_groups": Chart("span", category=0, measures=(3,), x2=4, color=1, year_axis=True),
    # Year, Conferences
    "fig_xiangshan_timeline": Chart("vbar", category=0, measures=(1,)),
    # Discipline, Society, Sub-committees
    "fig_cast_subcommittees": Chart("hbar", category=1, measures=(2,), color=0),
    # Panel, Country or institution, Papers, Rank, Statement id
    "fig_publications_by_country": Chart("hbar", category=1, measures=(2,), color=0, statement=4),
    # Item, As stated, Plotted value, Unit, Statement id: the share and the ranks apart (other units)
    "fig_patents": Chart("hbar", category=0, measures=(2,), panel_by=3, statement=4),
    # Funder, Budget, Projects, Per project, Rate
    "fig_nibib_vs_nsfc": Chart("hbar", category=0, measures=(1, 2, 3)),
    # Item, As stated, Plotted value, Unit, Statement id
    "fig_infrastructure": Chart("hbar", category=0, measures=(2,), statement=4),
}

# A number as the CSV prints it, with a bound or an approximation before it (">700", "< 384", "约20").
_NUMBER = re.compile(r"^\s*(?:[<>≤≥~≈]|约|不少于|超过)?\s*([-+]?\d+(?:\.\d+)?)\s*$")


def number(cell: str) -> float | None:
    """The number a cell prints (a bound's bound), or None when the cell is not one number."""
    match = _NUMBER.match(cell.replace(",", ""))
    if not match:
        return None
    try:
        return float(Decimal(match.group(1)))
    except InvalidOperation:
        return None


def read_values(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a values CSV, as text (a byte-order mark, if any, is not part of the header)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def chart_rows(header: list[str], rows: list[list[str]], chart: Chart) -> list[dict]:
    """The chart's data: each CSV row as ``c0…cN`` (its cells as printed) and ``n<i>`` (the number of
    each plotted column's cell, when it prints one)."""
    plotted = set(chart.measures) | ({chart.x2} if chart.x2 is not None else set())
    out = []
    for row in rows:
        item = {f"c{i}": cell for i, cell in enumerate(row)}
        for i in sorted(plotted):
            item[f"n{i}"] = number(row[i])
        out.append(item)
    return out


def _config(lang: str) -> dict:
    font = (
        '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", sans-serif'
        if lang == "zh"
        else "sans-serif"
    )
    text = {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE}
    return {
        "font": font,
        "axis": {**text, "labelLimit": LABEL_LIMIT, "titleFontWeight": "normal"},
        "legend": {**text, "orient": "bottom", "direction": "horizontal", "columns": 2, "labelLimit": 160},
        "title": {"fontSize": FONT_SIZE + 1, "anchor": "start", "fontWeight": "bold"},
        "view": {"stroke": None},
    }


# The tooltip's line of the claims a row's value feeds.
CLAIMS_TITLE = {"zh": "据此核对的论断", "en": "Claims resting on this row"}


def row_claims(name: str, rows: list[list[str]], chart: Chart, claims: list[dict]) -> list[list[str]]:
    """For each row, the ids of the claims of the ledger (results/claims.json) that rest on this figure
    (``rests_on``) and state the row's own value (its ``statement`` column names them)."""
    resting = {c["id"] for c in claims if name in (c.get("rests_on") or [])}
    if chart.statement is None:
        return [[] for _ in rows]
    return [[row[chart.statement]] if row[chart.statement] in resting else [] for row in rows]


def _tooltip(header: list[str], lang: str, with_claims: bool) -> list[dict]:
    cells = [{"field": f"c{i}", "type": "nominal", "title": title} for i, title in enumerate(header)]
    return cells + (
        [{"field": "claims", "type": "nominal", "title": CLAIMS_TITLE[lang]}] if with_claims else []
    )


def _category_axis(categories: set[str], lang: str) -> tuple[dict, int]:
    """The axis of categories beside the bars, and the height of one category. A label too long for
    a line is wrapped rather than cut at 390 px (Chinese every WRAP_CHARS characters, having no spaces
    to wrap at; other text at its spaces, about WRAP_CHARS_LATIN characters a line); the bars get the
    height of the lines."""
    if lang == "zh":
        longest = max(len(c) for c in categories)
        if longest <= WRAP_CHARS:
            return {"title": None}, BAR_STEP
        lines = min(WRAP_LINES, -(-longest // WRAP_CHARS))

        def part(i: int) -> str:
            return f"substring(datum.label, {i * WRAP_CHARS}, {(i + 1) * WRAP_CHARS})"

        # One line, or as many as the label needs (up to WRAP_LINES, the last cut by labelLimit).
        expr = "datum.label"
        for n in range(2, lines + 1):  # the longest first, outermost
            expr = (
                f"length(datum.label) > {(n - 1) * WRAP_CHARS} ? [{', '.join(part(i) for i in range(n - 1))}, "
                f"substring(datum.label, {(n - 1) * WRAP_CHARS})] : {expr}"
            )
        return {"title": None, "labelExpr": expr, "labelLineHeight": LINE_HEIGHT}, max(
            BAR_STEP, LINE_HEIGHT * lines + 6
        )
    wrapped = {c: _wrap_words(c) for c in sorted(categories)}
    wrapped = {c: w for c, w in wrapped.items() if len(w) > 1}
    if not wrapped:
        return {"title": None}, BAR_STEP
    # Each long label's lines, by name (json.dumps writes each as a string literal of Vega's
    # expression language, which reads JavaScript's): label == "…" ? ["…", "…"] : … : datum.label.
    expr = "datum.label"
    for label, lines in reversed(wrapped.items()):
        expr = f"datum.label === {json.dumps(label)} ? {json.dumps(lines)} : {expr}"
    lines = max(len(w) for w in wrapped.values())
    return {"title": None, "labelExpr": expr, "labelLineHeight": LINE_HEIGHT}, max(
        BAR_STEP, LINE_HEIGHT * lines + 6
    )


def _wrap_words(label: str) -> list[str]:
    """A label's lines, broken at spaces, at most WRAP_LINES (the last keeps the rest: labelLimit
    cuts it with "…", and the tooltip has the label whole)."""
    lines = textwrap.wrap(label, WRAP_CHARS_LATIN, break_long_words=False) or [label]
    return lines[: WRAP_LINES - 1] + [" ".join(lines[WRAP_LINES - 1 :])] if len(lines) > WRAP_LINES else lines


def _panel(chart: Chart, header, rows, measure: int, lang: str, title: str) -> dict:
    """One single-view Vega-Lite spec."""
    cat = {"field": f"c{chart.category}", "type": "nominal", "title": header[chart.category], "sort": None}
    value = {"field": f"n{measure}", "type": "quantitative", "title": header[measure]}
    numbers = [r[f"n{measure}"] for r in rows if r.get(f"n{measure}") is not None]
    if chart.year_axis:
        value["axis"] = {"format": "d"}
        value["scale"] = {"zero": False}
    elif numbers and all(float(n).is_integer() for n in numbers):  # counts: no tick at 0.5
        value["axis"] = {"format": "d", "tickMinStep": 1}
        if 0 <= min(numbers) and max(numbers) <= SMALL_COUNT:
            # A few units (ranks 1-2): Vega still puts ticks at 0.5 steps there, labelled "0 1 1 2 2"
            # by the integer format; the ticks are given instead.
            value["axis"]["values"] = list(range(0, int(max(numbers)) + 1))
    color = (
        {"color": {"field": f"c{chart.color}", "type": "nominal", "title": header[chart.color], "sort": None}}
        if chart.color is not None
        else {}
    )
    valid = {"filter": f"isValid(datum.n{measure})"}
    spec: dict = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": title,
        "data": {"values": rows},
        "transform": [valid],
        # The container's width, labels included (Vega-Lite fits the x axis to it).
        "width": "container",
        "config": _config(lang),
    }
    tooltip = {"tooltip": _tooltip(header, lang, any("claims" in r for r in rows))}
    # A fixed height per category, not a "step" height, which Vega-Lite drops (with a console warning)
    # when the width is the container's.
    drawn = [r for r in rows if r.get(f"n{measure}") is not None]
    categories = set(r[f"c{chart.category}"] for r in drawn) or {""}
    y_axis, step = _category_axis(categories, lang)
    if chart.kind == "hbar":
        spec.update(
            mark={"type": "bar", "cornerRadiusEnd": 2},
            height=step * len(categories),
            encoding={"y": {**cat, "axis": y_axis}, "x": value, **color, **tooltip},
        )
    elif chart.kind == "vbar":
        spec.update(
            mark={"type": "bar"},
            height=220,
            # Years (or other ordered categories) in their order, whatever the CSV's row order.
            encoding={
                "x": {**cat, "sort": "ascending", "axis": {"labelAngle": -90}},
                "y": value,
                **color,
                **tooltip,
            },
        )
    elif chart.kind == "span":
        spec.update(
            mark={"type": "bar", "cornerRadius": 2},
            height=step * len(categories),
            encoding={
                "y": {**cat, "axis": y_axis},
                "x": value,
                "x2": {"field": f"n{chart.x2}"},
                **color,
                **tooltip,
            },
        )
    elif chart.kind == "points":
        order = {"field": f"n{measure}", "type": "quantitative"}
        spec.pop("transform")
        spec.update(
            height=520,
            transform=[valid],
            # The categories across, long ones wrapped as beside the bars (the axis keeps its title).
            encoding={
                "x": {**cat, "axis": {"labelAngle": 0, **{k: v for k, v in y_axis.items() if k != "title"}}},
                "y": value,
                **color,
            },
            layer=[
                {"mark": {"type": "line", "opacity": 0.45, "strokeWidth": 1.5}, "encoding": {"order": order}},
                {"mark": {"type": "point", "filled": True, "size": 90, "opacity": 0.9}, "encoding": tooltip},
            ],
        )
    else:  # pragma: no cover - CHARTS names only the kinds above
        raise ValueError(f"unknown chart kind {chart.kind!r}")
    return spec


def panels(name: str, lang: str, root: Path = paths.ROOT, claims: list[dict] | None = None) -> list[dict]:
    """The figure's chart, as the Vega-Lite specs of its panels, from its values CSV in ``lang``; each
    row's tooltip also names the ledger's claims (``claims``, results/claims.json) resting on it."""
    chart = CHARTS[name]
    header, rows = read_values(root / paths.figure_values(name, lang))
    data = chart_rows(header, rows, chart)
    for item, ids in zip(data, row_claims(name, rows, chart, claims or []), strict=True):
        if ids:  # a row without one has no such line (vega-tooltip shows no empty entry)
            item["claims"] = ", ".join(ids)
    if chart.panel_by is not None:
        groups = list(dict.fromkeys(r[chart.panel_by] for r in rows))
        return [
            _panel(
                chart,
                header,
                [d for d in data if d[f"c{chart.panel_by}"] == group],
                chart.measures[0],
                lang,
                f"{header[chart.measures[0]]} ({group})"
                if lang == "en"
                else f"{header[chart.measures[0]]}（{group}）",
            )
            for group in groups
        ]
    # One panel needs no title (the figure's caption is beside it); several are told apart by theirs.
    titles = [header[m] if len(chart.measures) > 1 else "" for m in chart.measures]
    return [_panel(chart, header, data, m, lang, t) for m, t in zip(chart.measures, titles, strict=True)]


def javascript_bundle() -> str:
    """vega, vega-lite and vega-embed as one classic script that defines ``window.vegaEmbed``.

    vl-convert writes an ES module; with this snippet it has no import or export left, so a plain
    ``<script src>`` runs it (also from a page opened as a file, where modules are refused). Its
    top-level names (``_``, ``Ti``…) are wrapped in a function: in a classic script they would be
    globals, and ``_`` is already Sphinx's.
    """
    import vl_convert

    bundle = vl_convert.javascript_bundle("window.vegaEmbed = vegaEmbed;")
    return f"(function () {{\n{bundle}\n}})();\n"
