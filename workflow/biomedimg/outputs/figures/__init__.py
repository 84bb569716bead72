"""The figures: one module per figure of config/figures.yaml (``biomedimg.catalog.FIGURES``), named
after it (``fig_patents.py`` draws ``fig_patents``), each defining ``plot(data, lang)``, which takes
the figure's datasets (loaded and validated, by name) and a language (``"zh"`` or ``"en"``) and
returns a ``common.Plot``: the Matplotlib figure and the table of exactly the values it draws. The
modules without ``fig`` in front hold what several figures share (``common``, ``nsfc_projects``).

A figure's job imports only its own module (and what that imports), so editing one figure's code
reruns that figure alone (``biomedimg.run.codedeps``); no list of figures is kept in code.
"""

from __future__ import annotations

import importlib

from biomedimg import catalog, paths


def plot_function(name: str):
    """The ``plot`` of a figure's module, found from the figure's name."""
    if name not in catalog.FIGURES:
        raise KeyError(f"{name!r} is not a figure of {paths.FIGURES_FILE}")
    return importlib.import_module(paths.figure_module(name)).plot


def build(name: str, data=None) -> dict:
    """A figure in each language with the values it plots: {lang: Plot(figure, values)}.

    ``data`` (raw dataset name -> frame) defaults to the validated raw data; tests pass their own.
    """
    plot = plot_function(name)
    if data is None:
        from biomedimg.data import rawdata

        data = {d: rawdata.load(d) for d in catalog.FIGURES[name].datasets}
    return {lang: plot(data, lang) for lang in paths.LANGS}
