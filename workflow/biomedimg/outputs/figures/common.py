"""What the figures share: a plot and the values it draws, the values table in one language, and how a
plotted number is written.

Each figure's ``plot(data, lang)`` (its module, named after it) computes the table of the values it
draws first and draws from it, so the table cannot drift from the figure; the figure job publishes
both.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
from matplotlib.figure import Figure

from biomedimg.outputs.style import t


class Plot(NamedTuple):
    figure: Figure
    values: pd.DataFrame


def values_table(lang: str, columns: list[tuple[str, ...]], rows: list[dict]) -> pd.DataFrame:
    """Rows keyed by column key, as a table with headers in ``lang`` (columns: key, zh, en, and
    optionally the one language of the column's text in both editions; see ``cell_langs``)."""
    return pd.DataFrame(
        [[row[key] for key, *_ in columns] for row in rows],
        columns=[t(lang, zh, en) for _, zh, en, *_ in columns],
    )


def number(value: float) -> str:
    """A plotted float as written in a values table: up to six significant digits, no float noise."""
    return f"{value:.6g}"


# The values table of a figure that plots numbers the prose states (fig_patents, fig_infrastructure).
STATED_COLUMNS = [
    ("item", "项目", "Item"),
    ("stated", "综述所述", "As stated"),
    ("plotted", "图中数值", "Plotted value"),
    ("unit", "单位", "Unit"),
    ("statement", "数据编号", "Statement id"),
]
