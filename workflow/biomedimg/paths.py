"""Every path the project reads or writes, spelled out once.

Paths are relative to the project root so that outputs (provenance, book pages) never carry the
absolute location of a checkout: a clone in another directory builds byte-identical results.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CONFIG = Path("config/config.yaml")
CONFIG_SCHEMA = Path("workflow/schemas/config.schema.yaml")
# The figures the workflow builds (biomedimg.catalog.FIGURES), and the package with one module per
# figure, each defining plot(data, lang).
FIGURES_FILE = Path("config/figures.yaml")
FIGURES_SCHEMA = Path("workflow/schemas/figures.schema.yaml")
FIGURE_PACKAGE = "biomedimg.outputs.figures"
CITATION = Path("CITATION.cff")

RAW_DIR = Path("data/raw")
SCHEMA_DIR = Path("workflow/schemas")
RAW_SCHEMA_DIR = SCHEMA_DIR / "raw"
CLAIMS_FILE = Path("data/claims/claims.yaml")
CLAIMS_SCHEMA = SCHEMA_DIR / "claims.schema.yaml"
RESULTS = Path("results")
VALIDATED_DIR = RESULTS / "validated"
TABLES_DIR = RESULTS / "tables"
FIGURES_DIR = RESULTS / "figures"
DATA_DIR = RESULTS / "data"
BOOK_DIR = Path("book")
BOOK_SRC = RESULTS / "book_src"
BOOK_HTML = BOOK_DIR / "_build" / "html"
# vega, vega-lite and vega-embed as one script (biomedimg.outputs.interactive.javascript_bundle): the
# interactive figures' library, served from each edition's vendor/ and loaded on the first "Explore".
VEGA_BUNDLE = RESULTS / "site" / "vega-embed.js"

LANGS = ("zh", "en")


def other_lang(lang: str) -> str:
    """The other edition's language."""
    return next(other for other in LANGS if other != lang)


FIGURE_FORMATS = ("svg", "png")


def figure_module(name: str) -> str:
    """The module that draws a figure: biomedimg.outputs.figures.<name>."""
    return f"{FIGURE_PACKAGE}.{name}"


def figure_module_file(name: str) -> Path:
    """That module's source file, relative to the project root."""
    return Path("workflow", *figure_module(name).split(".")).with_suffix(".py")


def raw_csv(name: str) -> Path:
    return RAW_DIR / f"{name}.csv"


def raw_meta(name: str) -> Path:
    return RAW_DIR / f"{name}.meta.yaml"


def raw_schema(name: str) -> Path:
    return RAW_SCHEMA_DIR / f"{name}.schema.yaml"


def validated_stamp(name: str) -> Path:
    return VALIDATED_DIR / f"{name}.ok"


def table_csv(name: str) -> Path:
    return TABLES_DIR / f"{name}.csv"


def table_html(name: str, lang: str) -> Path:
    """The table as the edition in that language shows it: the HTML its page includes."""
    return TABLES_DIR / f"{name}.{lang}.html"


def figure(name: str, lang: str, fmt: str) -> Path:
    return FIGURES_DIR / f"{name}.{lang}.{fmt}"


def figure_values(name: str, lang: str) -> Path:
    """The values a figure plots, as a CSV with headers and labels in that language."""
    return FIGURES_DIR / f"{name}.values.{lang}.csv"


def figure_values_xlsx(name: str, lang: str) -> Path:
    """The same values as an Excel workbook: Excel and WPS on a Chinese Windows open a UTF-8 CSV
    without a byte-order mark as GBK (garbled headers); a workbook holds its text as Unicode."""
    return FIGURES_DIR / f"{name}.values.{lang}.xlsx"


def data_csv(resource: str) -> Path:
    """One CSV resource of the published data package."""
    return DATA_DIR / f"{resource}.csv"


def table_xlsx(name: str) -> Path:
    return TABLES_DIR / f"{name}.xlsx"


def table_cells(name: str, lang: str) -> Path:
    """The table's headers and cells as the edition in that language shows them, as data (JSON): what
    the PDF typesets, beside the HTML the site shows (``table_html``), both from one table job."""
    return TABLES_DIR / f"{name}.{lang}.json"


PDF_DIR = RESULTS / "pdf"


def book_pdf(lang: str) -> Path:
    """The book's PDF edition in one language (biomedimg.site.pdf)."""
    return PDF_DIR / f"companion.{lang}.pdf"


def book_index(lang: str) -> Path:
    """The entry page of one language edition of the site."""
    return BOOK_HTML / lang / "index.html"


def raw_names(root: Path = ROOT) -> list[str]:
    """Every raw dataset, as named by its schema file."""
    return sorted(p.name.removesuffix(".schema.yaml") for p in (root / RAW_SCHEMA_DIR).glob("*.schema.yaml"))


SIDECAR_SCHEMA = SCHEMA_DIR / "sidecar.schema.yaml"
PROVENANCE_DIR = RESULTS / "provenance"
PROVENANCE = RESULTS / "provenance.json"
CLAIMS_JSON = RESULTS / "claims.json"
CLAIMS_CSV = RESULTS / "claims.csv"
# The DVC metrics are committed, so no job writes them: Snakemake deletes a job's outputs before it
# runs and after it fails.  The claims job writes CLAIMS_METRICS; only a build that succeeded copies
# it to METRICS (the Snakefile's onsuccess).
METRICS = RESULTS / "metrics.json"
CLAIMS_METRICS = RESULTS / "claims_metrics.json"
DATAPACKAGE = DATA_DIR / "datapackage.json"
DATAPACKAGE_ZIP = RESULTS / "datapackage.zip"


def provenance_fragment(rule: str) -> Path:
    return PROVENANCE_DIR / f"{rule}.json"


def book_sources(root: Path = ROOT) -> list[Path]:
    """The book's own files (pages, static files, its configuration), relative to root and
    sorted; its build (book/_build, thousands of files) is not walked."""
    found = []
    for folder, subfolders, files in os.walk(root / BOOK_DIR):
        subfolders[:] = [d for d in subfolders if d != "_build"]
        found += [(Path(folder) / f).relative_to(root) for f in files]
    return sorted(found)


# Every template, by the floor that renders it: site/ (the pages' components, the entry page), pdf/
# (the Typst layout), outputs/ (the tables' HTML fragments), tools/ (make diff's page).
TEMPLATES = Path("workflow/templates")


def templates(floor: str, root: Path = ROOT) -> list[Path]:
    """A floor's templates, relative to root and sorted (the rules that render them list them)."""
    return sorted(p.relative_to(root) for p in (root / TEMPLATES / floor).iterdir() if p.is_file())


def cache_dir() -> Path:
    """The user's cache for this project (outside any checkout; safe to delete): $BIOMEDIMG_CACHE, else
    the platform's user cache folder for biomedimg (platformdirs: $XDG_CACHE_HOME/biomedimg or
    ~/.cache/biomedimg on Linux). It holds what is costly to work out and the same for every checkout:
    builds of other revisions for ``make diff`` and the code dependencies of each version of a module
    (biomedimg.usercache: data only, and only in a folder no one else can write to)."""
    if os.environ.get("BIOMEDIMG_CACHE"):
        return Path(os.environ["BIOMEDIMG_CACHE"])
    import platformdirs  # only where a cache is used

    return platformdirs.user_cache_path("biomedimg", appauthor=False)


def use_this_checkout() -> None:
    """Put this checkout's package first on PYTHONPATH, which every Snakemake job inherits.

    The locked environment may have the package installed from another checkout; a clone built
    elsewhere must run its own code.
    """
    package_dir = str(ROOT / "workflow")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [package_dir, os.environ.get("PYTHONPATH")]))
