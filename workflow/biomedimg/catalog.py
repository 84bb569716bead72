"""What the workflow builds: every table and figure, its inputs and its bilingual caption.

The figures are declared in config/figures.yaml (``FIGURES``), each drawn by its own module
(``biomedimg.outputs.figures.<name>``); the tables are declared here (``TABLES``), built by
``biomedimg.outputs.tables``. Kept free of heavy imports (no pandas, no matplotlib, no jsonschema) so
that the book and the Snakefile can read it quickly.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from biomedimg import paths
from biomedimg.io import load_yaml, yaml_problem


@dataclass(frozen=True)
class Column:
    source: str
    zh: str
    en: str

    @property
    def header(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass(frozen=True)
class TableSpec:
    name: str
    number: int
    caption_zh: str
    caption_en: str
    datasets: tuple[str, ...]
    columns: tuple[Column, ...]
    footnote_zh: str = ""
    footnote_en: str = ""


TABLES = {
    "table1_xiangshan_conferences": TableSpec(
        "table1_xiangshan_conferences",
        1,
        "香山科学会议多次组织生物医学影像相关主题研讨",
        "Biomedical imaging related themes discussed at Xiangshan Science Conferences",
        ("xiangshan_conferences",),
        (
            Column("no", "编号", "No."),
            Column("date_zh", "会议日期", "Dates"),
            Column("session", "会次", "Session"),
            Column("theme_zh", "会议主题", "Theme"),
            Column("theme_en", "会议主题（英文）", "Theme (English)"),
            Column("city_zh", "地点", "City"),
            Column("city_en", "地点（英文）", "City (English)"),
            Column("chairs_zh", "执行主席", "Executive chairs"),
            Column("chairs_en", "执行主席（拼音）", "Executive chairs (pinyin)"),
        ),
    ),
    "table2_cast_subcommittees": TableSpec(
        "table2_cast_subcommittees",
        2,
        "中国科学技术协会批准成立的与生物医学影像相关的分会/专委会",
        "Sub-committees and their societies approved by the China Association for Science and Technology",
        ("cast_subcommittees",),
        (
            Column("discipline_zh", "大类", "Discipline"),
            Column("society_zh", "一级学会", "Society"),
            Column("society_en", "一级学会（英文）", "Society (English)"),
            Column("subcommittee_zh", "二级专委会/分会", "Sub-committee"),
            Column("subcommittee_en", "二级专委会/分会（英文）", "Sub-committee (English)"),
        ),
    ),
    "table3_nsfc_projects": TableSpec(
        "table3_nsfc_projects",
        3,
        "国家自然科学基金资助的生物医学影像领域的国家重大科研仪器设备研制专项(部门推荐类)项目和重大项目",
        "NSFC projects in biomedical imaging: Special Fund for Research on National Major Research Instruments "
        "(by recommendation) and Major Program",
        ("nsfc_instrument_projects", "nsfc_major_projects"),
        (
            Column("programme_zh", "类别", "Programme"),
            Column("year", "立项年度", "Year"),
            Column("title_zh", "项目名称", "Title"),
            Column("title_en", "项目名称（英文）", "Title (English)"),
            Column("discipline_zh", "学科", "Discipline"),
            Column("department_zh", "所属科学部", "Department"),
            Column("funding_10k_cny", "经费(万元)", "Funding (¥10,000s)"),
            Column("pi_zh", "负责人", "PI"),
            Column("pi_en", "负责人（拼音）", "PI (pinyin)"),
            Column("institution_zh", "依托单位", "Institution"),
        ),
        footnote_zh="a) 2015年(含)以后为直接经费",
        footnote_en="a) From 2015 (inclusive) on, funding is direct cost only",
    ),
    "table4_nsfc_creative_groups": TableSpec(
        "table4_nsfc_creative_groups",
        4,
        "国家自然科学基金资助的生物医学影像领域的创新研究群体",
        "Groups of the NSFC Science Fund for Creative Research Groups in the biomedical imaging field",
        ("nsfc_creative_groups", "nsfc_creative_group_awards"),
        (
            Column("award_years_zh", "立项年度", "Award years"),
            Column("n_awards", "资助次数", "Awards"),
            Column("group_title_zh", "群体项目名称", "Group title"),
            Column("group_title_en", "群体项目名称（英文）", "Group title (English)"),
            Column("discipline_zh", "学科", "Discipline"),
            Column("department_zh", "所属科学部", "Department"),
            Column("pi_zh", "负责人", "Leader"),
            Column("pi_en", "负责人（拼音）", "Leader (pinyin)"),
            Column("institution_zh", "依托单位", "Institution"),
        ),
    ),
}

PROGRAMMES = {
    "nsfc_instrument_projects": (
        "国家重大科研仪器设备研制专项(部门推荐类)",
        "Special Fund for Research on National Major Research Instruments (by recommendation)",
    ),
    "nsfc_major_projects": ("重大项目", "Major Program"),
}


@dataclass(frozen=True)
class FigureSpec:
    name: str
    datasets: tuple[str, ...]
    caption_zh: str
    caption_en: str

    def entry(self) -> str:
        """The figure's entry of config/figures.yaml as one line of JSON: a parameter of its job, so
        that Snakemake reruns that job, and no other, when the entry changes."""
        entry = {"datasets": list(self.datasets), "caption": {"zh": self.caption_zh, "en": self.caption_en}}
        return json.dumps(entry, ensure_ascii=False, sort_keys=True)


class CatalogError(ValueError):
    """config/figures.yaml cannot be read or breaks its schema; ``str()`` is one line per error."""


def _figures_document(root: Path):
    """The parsed config/figures.yaml, or CatalogError naming the line and column of a YAML error."""
    try:
        with open(root / paths.FIGURES_FILE, encoding="utf-8") as fh:
            return load_yaml(fh)
    except OSError as exc:
        raise CatalogError(f"{paths.FIGURES_FILE}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"{paths.FIGURES_FILE}: is not valid UTF-8 ({exc.reason} at byte {exc.start})"
        ) from None
    except yaml.YAMLError as exc:
        line, column, text = yaml_problem(exc)
        raise CatalogError(
            f"{paths.FIGURES_FILE}, line {line}, column {column}: is not valid YAML: {text}"
        ) from None


def figures_schema(root: Path = paths.ROOT) -> dict:
    """The JSON Schema of config/figures.yaml, with the raw datasets filled in."""
    with open(root / paths.FIGURES_SCHEMA, encoding="utf-8") as fh:
        schema = load_yaml(fh)
    schema["$defs"]["dataset"] = {"enum": paths.raw_names(root)}
    return schema


def _entry_label(document, index: int) -> str:
    entries = document["figures"]
    name = entries[index].get("name") if isinstance(entries[index], dict) else None
    return f"figure {index + 1}" + (f" ({name})" if isinstance(name, str) else "")


def figure_errors(root: Path = paths.ROOT) -> list[str]:
    """Every error of config/figures.yaml, one line each naming the file, the entry, the field and
    the rule: YAML syntax (or an anchor), the schema, a name given twice, a figure without its module
    (``paths.figure_module_file``) or whose module defines no ``plot``. jsonschema is imported here,
    not with the catalog: the book and every job read the catalog, only the preflight checks it."""
    import jsonschema

    try:
        document = _figures_document(root)
    except CatalogError as exc:
        return [str(exc)]
    validator = jsonschema.Draft202012Validator(figures_schema(root))
    errors, bad_names = [], set()
    for e in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        where = list(e.absolute_path)
        entry = ""
        if len(where) >= 2 and where[0] == "figures" and isinstance(where[1], int):
            entry = f" {_entry_label(document, where[1])}"
            if where[2:3] == ["name"]:
                bad_names.add(where[1])
            where = where[2:]
        field = "/".join(map(str, where)) or ("(entry)" if entry else "(top level)")
        rule = e.message
        if e.validator == "pattern" and "description" in e.schema:
            rule = f"{e.instance!r} is not {e.schema['description']}"
        errors.append(f"{paths.FIGURES_FILE}:{entry} {field}: {rule}")
    entries = document.get("figures") if isinstance(document, dict) else None
    seen: set[str] = set()
    for i, figure in enumerate(entries if isinstance(entries, list) else []):
        name = figure.get("name") if isinstance(figure, dict) else None
        if not isinstance(name, str) or i in bad_names:
            continue  # the schema named what is wrong
        where = f"{paths.FIGURES_FILE}: {_entry_label(document, i)} name"
        if name in seen:
            errors.append(f"{where}: {name!r} is the name of an earlier figure")
        seen.add(name)
        module = paths.figure_module_file(name)
        if not (root / module).is_file():
            errors.append(f"{where}: no module {module}; write it, with a function plot(data, lang) {RECIPE}")
        elif not _defines_plot(root / module):
            errors.append(f"{where}: {module} defines no function plot(data, lang) {RECIPE}")
    return errors


RECIPE = '(CONTRIBUTING.md, "Add a figure")'


def _defines_plot(module: Path) -> bool:
    """Whether the module's source defines ``plot`` at its top level (read, not imported: importing
    would load matplotlib; a module that does not parse is the figure job's error to report)."""
    import ast

    try:
        tree = ast.parse(module.read_bytes(), filename=str(module))
    except SyntaxError:
        return True
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "plot":
            return True
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "plot" for t in node.targets
        ):
            return True
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == "plot" for a in node.names):
            return True
    return False


def load_figures(root: Path = paths.ROOT) -> dict[str, FigureSpec]:
    """The figures of config/figures.yaml by name, in the file's order; CatalogError (every error, one
    line each) if it breaks its schema. The preflight reports the same errors before any job runs."""
    document = _figures_document(root)
    try:
        return {
            f["name"]: FigureSpec(f["name"], tuple(f["datasets"]), f["caption"]["zh"], f["caption"]["en"])
            for f in document["figures"]
        }
    except (KeyError, TypeError, AttributeError):
        raise CatalogError("\n".join(figure_errors(root))) from None


@functools.cache
def _figures() -> dict[str, FigureSpec]:
    return load_figures(paths.ROOT)


def __getattr__(name: str):
    """``FIGURES``, the figures by name, read from config/figures.yaml when first asked for, not when
    the catalog is imported: the Snakefile imports the catalog before its preflight has checked the
    file (a broken file is reported there, one line per error, not as a traceback here), and the
    jobs that build no figure (tables, data package) never read it."""
    if name == "FIGURES":
        return _figures()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# The data package (results/data/): raw datasets published byte for byte under their own name ...
COPIED_RESOURCES = (
    "xiangshan_conferences",
    "cast_subcommittees",
    "nsfc_instrument_projects",
    "nsfc_major_projects",
    "nsfc_creative_groups",
    "prose_statements",
    "prose_enumerations",
    "prose_translations",
    "exchange_rates",
    "nobel_imaging_candidates",
    "external_evidence",
)
# ... and raw datasets published (joined) in a derived resource under another name.
PUBLISHED_AS = {
    "nobel_imaging_prizes": "nobel_prizes",
    "nobel_laureates_1901_2023": "nobel_prizes",
}
DERIVED_RESOURCES = ("nobel_prizes", "nsfc_creative_group_awards")


def data_resources() -> list[str]:
    """Every CSV resource of the data package, sorted (each is a declared output of the datapackage rule)."""
    return sorted(COPIED_RESOURCES + DERIVED_RESOURCES)


def published_resources(datasets) -> list[str]:
    """The data package resources that publish these raw datasets, in order, without repeats."""
    resources: list[str] = []
    for dataset in datasets:
        resource = PUBLISHED_AS.get(dataset, dataset)
        if resource in data_resources() and resource not in resources:
            resources.append(resource)
    return resources


# The columns of Figure 1's values table: (key, Chinese header, English header[, language of the
# text in both editions]). Here, not in figures, so the book reads it without importing matplotlib.
NOBEL_COLUMNS = [
    ("year", "获奖年份", "Year"),
    ("field", "奖项", "Prize"),
    ("laureates", "获奖者", "Laureates"),
    # nobelprize.org publishes the motivations in English only: both editions show them as published.
    ("motivation", "授奖理由（诺贝尔奖官网英文原文）", "Motivation (official)", "en"),
    ("imaging_type", "成像类型", "Imaging type"),
    ("rationale", "归为该类型的理由", "Why this imaging type"),
    ("label", "图中标注", "Label in the figure"),
    ("url", "来源", "Source"),
]

# Values tables with a column whose text has one language in both editions (a column's fourth item),
# by figure, so that the book can mark that text with its language.
VALUE_COLUMNS = {"fig1_nobel_timeline": NOBEL_COLUMNS}


def cell_langs(name: str, lang: str) -> dict[str, str]:
    """The columns of a figure's values table (by their header in ``lang``) whose text is in another
    language than ``lang``, with that language: in the Chinese edition, Figure 1's official English
    motivations ({"授奖理由（诺贝尔奖官网英文原文）": "en"})."""
    return {
        (zh if lang == "zh" else en): fixed[0]
        for _, zh, en, *fixed in VALUE_COLUMNS.get(name, ())
        if fixed and fixed[0] != lang
    }
