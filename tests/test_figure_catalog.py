"""config/figures.yaml, the figures the workflow builds: read into ``catalog.FIGURES``, checked before
any job runs with one line per error (file, entry, field, rule), each figure drawn by its own module."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from biomedimg import catalog, paths
from biomedimg.outputs import figures
from biomedimg.run import preflight
from conftest import ROOT, copy_project

FILE = str(paths.FIGURES_FILE)
GOOD = """\
figures:
  - name: fig_one
    datasets: [xiangshan_conferences]
    caption:
      zh: 香山科学会议（表1）
      en: "Xiangshan Science Conferences (Table 1)"
"""


@pytest.fixture
def root(tmp_path) -> Path:
    """What the check reads: the schemas (its own and the raw datasets', whose names it accepts), and
    a module with a plot for the figure of GOOD."""
    shutil.copytree(ROOT / paths.SCHEMA_DIR, tmp_path / paths.SCHEMA_DIR)
    module = tmp_path / paths.figure_module_file("fig_one")
    module.parent.mkdir(parents=True)
    module.write_text("def plot(data, lang):\n    return None\n", encoding="utf-8")
    (tmp_path / "config").mkdir()
    (tmp_path / FILE).write_text(GOOD, encoding="utf-8")
    return tmp_path


def errors(root: Path, text: str) -> list[str]:
    (root / FILE).write_text(text, encoding="utf-8")
    return catalog.figure_errors(root)


def test_the_catalog_is_the_file():
    """FIGURES is config/figures.yaml, entry for entry and in its order, and the file has no error."""
    assert catalog.figure_errors(ROOT) == []
    document = catalog.load_yaml((ROOT / FILE).read_text(encoding="utf-8"))
    assert list(catalog.FIGURES) == [f["name"] for f in document["figures"]]
    for entry in document["figures"]:
        spec = catalog.FIGURES[entry["name"]]
        assert (spec.datasets, spec.caption_zh, spec.caption_en) == (
            tuple(entry["datasets"]),
            entry["caption"]["zh"],
            entry["caption"]["en"],
        )
        assert json.loads(spec.entry()) == {k: v for k, v in entry.items() if k != "name"}


def test_a_good_file_has_no_error(root):
    assert catalog.figure_errors(root) == []
    spec = catalog.load_figures(root)["fig_one"]
    assert spec.datasets == ("xiangshan_conferences",) and spec.caption_zh == "香山科学会议（表1）"


def test_every_error_of_the_file_is_one_line_naming_entry_field_and_rule(root):
    text = (
        GOOD
        + """\
  - name: fig_two
    datasets: [xiangshan_conferences, no_such_dataset, xiangshan_conferences]
    caption:
      zh: Xiangshan conferences
      en: "香山科学会议"
    colour: red
  - name: Fig-Three
    datasets: []
    caption: {zh: 香山}
"""
    )
    assert errors(root, text) == [
        f"{FILE}: figure 2 (fig_two) (entry): Additional properties are not allowed ('colour' was unexpected)",
        f"{FILE}: figure 2 (fig_two) caption/en: '香山科学会议' is not a caption in English (no Chinese "
        "character or punctuation, no full-width form)",
        f"{FILE}: figure 2 (fig_two) caption/zh: 'Xiangshan conferences' is not a caption in Chinese (at "
        "least one Han character)",
        f"{FILE}: figure 2 (fig_two) datasets: ['xiangshan_conferences', 'no_such_dataset', "
        "'xiangshan_conferences'] has non-unique elements",
        f"{FILE}: figure 2 (fig_two) datasets/1: 'no_such_dataset' is not one of {paths.raw_names(root)}",
        f"{FILE}: figure 3 (Fig-Three) caption: 'en' is a required property",
        f"{FILE}: figure 3 (Fig-Three) datasets: [] should be non-empty",
        f"{FILE}: figure 3 (Fig-Three) name: 'Fig-Three' is not fig followed by lower-case letters, digits "
        "and underscores (the name of its module, workflow/biomedimg/outputs/figures/<name>.py, and of "
        "its files)",
        f"{FILE}: figure 2 (fig_two) name: no module workflow/biomedimg/outputs/figures/fig_two.py; write "
        'it, with a function plot(data, lang) (CONTRIBUTING.md, "Add a figure")',
    ]


def test_a_name_given_twice_and_a_module_without_plot_are_named(root):
    module = root / paths.figure_module_file("fig_two")
    module.write_text("def draw(data, lang):\n    return None\n", encoding="utf-8")
    second = GOOD.split("figures:\n", 1)[1]
    text = GOOD + second + second.replace("fig_one", "fig_two")
    assert errors(root, text) == [
        f"{FILE}: figure 2 (fig_one) name: 'fig_one' is the name of an earlier figure",
        f"{FILE}: figure 3 (fig_two) name: workflow/biomedimg/outputs/figures/fig_two.py defines no "
        'function plot(data, lang) (CONTRIBUTING.md, "Add a figure")',
    ]


@pytest.mark.parametrize(
    "text, line",
    [
        (
            "figures:\n  - name: fig_one\n    caption: {zh: [\n",
            f"{FILE}, line 4, column 1: is not valid YAML",
        ),
        (
            GOOD.replace("caption:\n", "caption: &c\n"),
            f"{FILE}, line 4, column 14: is not valid YAML: anchor &c is not allowed",
        ),
        ("- fig_one\n", f"{FILE}: (top level): ['fig_one'] is not of type 'object'"),
    ],
    ids=["syntax", "anchor", "not-a-mapping"],
)
def test_a_file_that_is_no_catalog_is_one_line(root, text, line):
    found = errors(root, text)
    assert len(found) == 1 and found[0].startswith(line), found
    with pytest.raises(catalog.CatalogError) as raised:
        catalog.load_figures(root)
    assert str(raised.value) == found[0]


def test_the_preflight_reports_the_file_before_any_job(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace("[nsfc_major_projects]", "[nsfc_majors]", 1),
        encoding="utf-8",
    )
    assert [line for line in preflight.invalid_inputs(project) if line.startswith(FILE)] == [
        f"{FILE}: figure 3 (fig_nsfc_major_projects) datasets/0: 'nsfc_majors' is not one of "
        f"{paths.raw_names(project)}"
    ]


def test_each_figure_is_drawn_by_its_own_module():
    """The module is found from the figure's name; no list of figures is kept in code."""
    for name in catalog.FIGURES:
        module = figures.plot_function(name).__module__
        assert module == paths.figure_module(name) == f"biomedimg.outputs.figures.{name}"
    with pytest.raises(KeyError, match="not a figure of config/figures.yaml"):
        figures.plot_function("common")


def test_the_documents_name_only_figures_of_the_catalog():
    """README and CONTRIBUTING list no figures by hand (a list went stale once): a figure name they
    mention is one of the catalog's, or the recipe's example."""
    for doc in ("README.md", "CONTRIBUTING.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        named = set(re.findall(r"\bfig[0-9]*_[a-z0-9_]+", text)) - {"fig_xiangshan_cities"}
        assert named <= set(catalog.FIGURES), (doc, sorted(named - set(catalog.FIGURES)))
