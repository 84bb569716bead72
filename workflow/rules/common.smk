# Helpers shared by the *.smk files: every path comes from biomedimg.paths, every figure and table
# from biomedimg.catalog, every rule's code dependencies from biomedimg.run.codedeps (its imports).
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


def code(script):
    """A rule's code: its script and the package modules the script (and the runner) import."""
    return job_code(f"workflow/scripts/{script}.py")


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
    """One table's files, by key."""
    return {
        "csv": str(paths.table_csv(name)),
        "xlsx": str(paths.table_xlsx(name)),
        "html": str(paths.table_html(name)),
    }


def data_outputs():
    """Every file the data package writes under results/data/."""
    return {
        "package": str(paths.DATAPACKAGE),
        "zip": str(paths.DATAPACKAGE_ZIP),
        "resources": [str(paths.data_csv(r)) for r in catalog.data_resources()],
    }


def figure_inputs(wildcards):
    """The raw datasets a figure plots, from its catalog entry."""
    return {"raw": raw(*catalog.FIGURES[wildcards.name].datasets)}


def table_inputs(wildcards):
    """The raw datasets a table shows, from its catalog entry."""
    return {"raw": raw(*catalog.TABLES[wildcards.name].datasets)}


def _files(outputs):
    """The paths of an output dict, whose values are paths or lists of paths."""
    files = []
    for value in outputs.values():
        files += value if isinstance(value, list) else [value]
    return files


def book_inputs(wildcards):
    """Every declared output the book shows or links, by kind: the book depends on each file."""
    return {
        "figures": [f for name in FIGURES for f in _files(figure_outputs(name))],
        "tables": [f for name in TABLES for f in _files(table_outputs(name))],
        "data": _files(data_outputs()),
        "claims": [str(paths.CLAIMS_JSON), str(paths.CLAIMS_CSV)],
    }


def pdf_inputs(wildcards):
    """What the PDF editions show: the figures' SVGs, the tables' rows (from the raw data), the claims,
    the pages' text (the book's sources, rendered as for the site) and the citation."""
    return {
        "figures": [
            str(paths.figure(name, lang, "svg"))
            for name in FIGURES
            for lang in paths.LANGS
        ],
        "claims": str(paths.CLAIMS_JSON),
        "package": str(paths.DATAPACKAGE),
        # The commit the pages name, and the outputs their cards describe (biomedimg.site.render.Data).
        "provenance": str(paths.PROVENANCE),
        "raw": raw(*RAW_DATASETS),
        "sources": [str(p) for p in paths.book_sources()],
        "templates": sorted(str(p) for p in Path("workflow/templates").glob("*.j2")),
        "typst": "workflow/templates/companion.typ",
        "citation": str(paths.CITATION),
        "config": str(paths.CONFIG),
    }


# The jobs whose provenance fragments are merged into provenance.json: one per figure, per table, the
# data package, the claims and the interactive figures' library.
PROVENANCE_SOURCES = FIGURES + TABLES + ["datapackage", "claims", "vega_bundle"]
