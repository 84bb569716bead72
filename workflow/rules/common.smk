# Helpers shared by the *.smk files: every path comes from biomedimg.paths, every figure and table
# from biomedimg.catalog (which reads the figures from config/figures.yaml), every rule's code
# dependencies from biomedimg.run.codedeps (its imports).
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "workflow"))

from biomedimg.paths import use_this_checkout

# The package in this checkout, not whichever copy is installed, serves every job's script.
use_this_checkout()

from biomedimg import catalog, paths

from biomedimg.run import preflight
from biomedimg.run.codedeps import job_code
from biomedimg.outputs.provenance import git_commit
from biomedimg.run.job import command_args
from biomedimg.data.validate import dataset_dependencies

# Once, before planning: a cluster job's own Snakemake (a remote or subprocess run of the same
# workflow) reads the Snakefile again, and the main run has already checked the inputs.
if workflow.is_main_process:
    preflight.stop_on_missing_inputs()
RAW_DATASETS = paths.raw_names()
FIGURES = list(catalog.FIGURES)
TABLES = list(catalog.TABLES)
BOOK_INDEX = str(paths.BOOK_HTML / "index.html")


# -- running scripts ------------------------------------------------------------------------------
# Jobs run their script through biomedimg.run.job with the Python that runs Snakemake, named by an
# environment variable the shell expands inside double quotes, so a path with spaces stays one word
# (Snakemake's `script:` puts it unquoted into the command: snakemake/snakemake#2645). Under
# --software-deployment-method conda, the job's activated environment provides `python`.
def _uses_conda():
    methods = getattr(workflow.deployment_settings, "deployment_method", ()) or ()
    return any(str(m).lower().endswith("conda") for m in methods)


os.environ.update(BIOMEDIMG_PYTHON="python" if _uses_conda() else sys.executable)

RUN = '"$BIOMEDIMG_PYTHON" -m biomedimg.run.job {params.job:q} --log {log:q}'


def job(rule_name, **params):
    """A rule's ``params.job``: the runner's arguments, naming the script (``input.code[0]``), every
    input and output, the params given here (values or functions of the wildcards) and the wildcards.
    """

    def arguments(wildcards, input, output):
        values = {k: v(wildcards) if callable(v) else v for k, v in params.items()}
        return command_args(input.code[0], rule_name, input, output, values, wildcards)

    return arguments


def code(script, module=None):
    """A rule's code: its script and the package modules the script (and the runner) import; with
    ``module`` (a function of the wildcards naming a module the script imports by a name it works out,
    e.g. a figure's own module), a function of the wildcards adding that module and what it imports.
    """
    if module is None:
        return job_code(f"workflow/scripts/{script}.py")
    return lambda wildcards: job_code(
        f"workflow/scripts/{script}.py", modules=(module(wildcards),)
    )


# -- inputs and outputs ---------------------------------------------------------------------------
def raw(*names):
    """A rule's raw inputs: each CSV together with the stamp proving it passed validation."""
    files = []
    for name in names:
        files += [str(paths.raw_csv(name)), str(paths.validated_stamp(name))]
    return files


def prov(name):
    """The provenance fragment a job writes next to its outputs."""
    return str(paths.provenance_fragment(name))


def log(*parts):
    return os.path.join("logs", *parts) + ".log"


def figure_outputs(name):
    """One figure's files, by key (``zh_svg``, ``en_png``, ...), and the values it plots (``values_zh``)."""
    files = {
        f"{lang}_{fmt}": str(paths.figure(name, lang, fmt))
        for lang in paths.LANGS
        for fmt in paths.FIGURE_FORMATS
    }
    files.update(
        {f"values_{lang}": str(paths.figure_values(name, lang)) for lang in paths.LANGS}
    )
    files.update(
        {
            f"values_{lang}_xlsx": str(paths.figure_values_xlsx(name, lang))
            for lang in paths.LANGS
        }
    )
    return files


def table_outputs(name):
    """One table's files, by key (``html_zh``: the table as the Chinese edition's page shows it;
    ``cells_zh``: its headers and cells as data, which the PDF typesets)."""
    files = {"csv": str(paths.table_csv(name)), "xlsx": str(paths.table_xlsx(name))}
    for lang in paths.LANGS:
        files[f"html_{lang}"] = str(paths.table_html(name, lang))
        files[f"cells_{lang}"] = str(paths.table_cells(name, lang))
    return files


def data_outputs():
    """Every file the data package writes under results/data/."""
    return {
        "package": str(paths.DATAPACKAGE),
        "zip": str(paths.DATAPACKAGE_ZIP),
        "resources": [str(paths.data_csv(r)) for r in catalog.data_resources()],
    }


def figure_inputs(wildcards):
    """The raw datasets a figure plots, from its entry of config/figures.yaml."""
    return {"raw": raw(*catalog.FIGURES[wildcards.name].datasets)}


def figure_module(wildcards):
    """The module that draws a figure, which make_figure imports by the figure's name: part of that
    figure's code only, so editing one figure's module reruns that figure alone."""
    return paths.figure_module(wildcards.name)


def figure_entry(wildcards):
    """A figure's entry of config/figures.yaml (datasets, captions), a parameter of its job: Snakemake
    reruns a job whose parameters changed (rerun trigger "params", on by default), so editing one
    entry reruns that figure, while the file itself is no input of the figure jobs (editing it would
    rerun them all)."""
    return catalog.FIGURES[wildcards.name].entry()


def table_inputs(wildcards):
    """The raw datasets a table shows, from its catalog entry, and the template of its HTML."""
    return {
        "raw": raw(*catalog.TABLES[wildcards.name].datasets),
        "templates": [str(p) for p in paths.templates("outputs")],
    }


def _files(outputs):
    """The paths of an output dict, whose values are paths or lists of paths."""
    files = []
    for value in outputs.values():
        files += value if isinstance(value, list) else [value]
    return files


def book_inputs(wildcards):
    """Every declared output the book shows or links, by kind: the book depends on each file, and on
    nothing in data/raw (it reads the data through these outputs: the tables' HTML, the data package).
    """
    return {
        "figures": [f for name in FIGURES for f in _files(figure_outputs(name))],
        "tables": [f for name in TABLES for f in _files(table_outputs(name))],
        "data": _files(data_outputs()),
        "claims": [str(paths.CLAIMS_JSON), str(paths.CLAIMS_CSV)],
    }


def pdf_inputs(wildcards):
    """What the PDF editions show: the figures' SVGs, the tables' cells (as data from their table jobs:
    Typst typesets data, not the site's HTML), the claims, the data package, the pages' text (the
    book's sources, rendered as for the site, the tables' fragments included) and the citation.
    """
    return {
        "figures": [
            str(paths.figure(name, lang, "svg"))
            for name in FIGURES
            for lang in paths.LANGS
        ],
        "claims": str(paths.CLAIMS_JSON),
        "tables": [
            str(path(name, lang))
            for name in TABLES
            for lang in paths.LANGS
            for path in (paths.table_html, paths.table_cells)
        ],
        "data": _files(data_outputs()),
        # The commit the pages name, and the outputs their cards describe (biomedimg.site.render.Data).
        "provenance": str(paths.PROVENANCE),
        "sources": [str(p) for p in paths.book_sources()],
        "templates": [str(p) for p in paths.templates("site") + paths.templates("pdf")],
        "citation": str(paths.CITATION),
        "config": str(paths.CONFIG),
        # The figures' captions.
        "figures_file": str(paths.FIGURES_FILE),
    }


# The jobs whose provenance fragments are merged into provenance.json: one per figure, per table, the
# data package, the claims and the interactive figures' library.
PROVENANCE_SOURCES = FIGURES + TABLES + ["datapackage", "claims", "vega_bundle"]
