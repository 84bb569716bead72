"""Data flows one way (issue 22): each raw file is validated once, by rule validate_raw; jobs read it
through the one reader (biomedimg.data.rawdata), which trusts the stamp; the book reads only declared
outputs, never data/raw, and a table on a page is the table job's fragment, byte for byte."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from biomedimg import catalog, paths
from biomedimg.data import rawdata, validate
from biomedimg.site.render import Layout
from conftest import ROOT, snakemake
from test_workflow import dry_run

RATES = "exchange_rates"  # a dataset whose checks read no other dataset


def one_dataset(root: Path, name: str) -> Path:
    """A project holding just one raw dataset: its CSV and its schema."""
    for rel in (paths.raw_csv(name), paths.raw_schema(name)):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, root / rel)
    return root


def stamp(root: Path, name: str) -> None:
    """What rule validate_raw leaves once the file passed."""
    rows = validate.validate_table(name, root)
    (root / paths.VALIDATED_DIR).mkdir(parents=True, exist_ok=True)
    (root / paths.validated_stamp(name)).write_text(validate.stamp_text(name, len(rows), root))


# -- the one reader -----------------------------------------------------------------------------------
def test_a_stamped_file_is_read_without_validating_it_again(tmp_path, monkeypatch):
    root = one_dataset(tmp_path, RATES)
    checked = rawdata.load(RATES, root)  # no stamp: validated first
    stamp(root, RATES)

    def no_second_pass(*args):
        raise AssertionError("validated again")

    monkeypatch.setattr(validate, "validate_table", no_second_pass)
    read = rawdata.load(RATES, root)
    pd.testing.assert_frame_equal(read, checked)
    # The same types as validation gives: exact decimals stay Decimal, years int.
    assert [type(v).__name__ for v in read.iloc[0]] == [type(v).__name__ for v in checked.iloc[0]]
    assert "Decimal" in {type(v).__name__ for v in read.iloc[0]}


def test_a_file_edited_after_its_stamp_is_validated_before_it_is_read(tmp_path):
    root = one_dataset(tmp_path, RATES)
    stamp(root, RATES)
    csv = root / paths.raw_csv(RATES)
    text = csv.read_text(encoding="utf-8")
    assert text.count(",6.8985,") == 1
    # A spreadsheet's thousands separator in the rate (line 2): invalid.
    csv.write_text(text.replace(",6.8985,", ',"1,234.5",'), encoding="utf-8")
    assert validate.stamped_md5(RATES, root) != hashlib.md5(csv.read_bytes()).hexdigest()
    with pytest.raises(validate.RawDataError) as err:
        rawdata.load(RATES, root)
    assert "line 2" in str(err.value) and "thousands separators" in str(err.value)


def test_a_datasets_checks_read_the_other_datasets_without_validating_them_again(tmp_path, monkeypatch):
    parent, child = "nsfc_creative_groups", "nsfc_creative_group_awards"  # a foreign key and a check
    root = one_dataset(one_dataset(tmp_path, parent), child)
    stamp(root, parent)
    checked = []
    validate_table = validate.validate_table
    monkeypatch.setattr(
        validate, "validate_table", lambda name, root: checked.append(name) or validate_table(name, root)
    )
    assert validate.validate_dataset(child, root) == validate_table(child, root)
    assert checked == [child], "the parent, stamped by its own job, is read, not validated again"
    # The checks still hold: a group the parent lacks is refused.
    csv = root / paths.raw_csv(parent)
    header, first, *rest = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    csv.write_text(header + "".join(rest), encoding="utf-8")
    stamp(root, parent)
    with pytest.raises(validate.RawDataError, match="has no matching group_id"):
        validate.validate_dataset(child, root)


# -- the book reads declared outputs only ---------------------------------------------------------------
@pytest.fixture(scope="module")
def inputs_of_rule() -> dict[str, set[str]]:
    """Rule -> every input file of its jobs, from the DAG Snakemake builds (`--detailed-summary`)."""
    out = snakemake(ROOT, "--detailed-summary").stdout
    header, *lines = out.splitlines()
    columns = header.split("\t")
    rule, inputs = columns.index("rule"), columns.index("input-file(s)")
    found: dict[str, set[str]] = {}
    for line in lines:
        cells = line.split("\t")
        if len(cells) == len(columns):
            found.setdefault(cells[rule], set()).update(f for f in cells[inputs].split(",") if f != "-")
    return found


@pytest.mark.parametrize(
    ("rule", "table_file"), [("build_book", paths.table_html), ("pdf", paths.table_cells)]
)
def test_the_editions_read_no_raw_data_only_declared_outputs(inputs_of_rule, rule, table_file):
    book = inputs_of_rule[rule]
    raw_dir = str(paths.RAW_DIR) + "/"
    assert not [f for f in book if f.startswith(raw_dir) or f.startswith(str(paths.VALIDATED_DIR))]
    # What they show instead: each edition's tables as their table jobs wrote them (the site its
    # fragments, the PDF the same cells as data), the data package, claims, provenance.
    for name in catalog.TABLES:
        assert {str(table_file(name, lang)) for lang in paths.LANGS} <= book
    assert {str(paths.data_csv(r)) for r in catalog.data_resources()} <= book
    assert {str(paths.DATAPACKAGE), str(paths.CLAIMS_JSON), str(paths.PROVENANCE)} <= book
    # The jobs that do read raw data have each file's validation stamp beside it.
    for rule, files in inputs_of_rule.items():
        for name in paths.raw_names():
            if str(paths.raw_csv(name)) in files and rule != "validate_raw":
                assert str(paths.validated_stamp(name)) in files, (rule, name)


def test_a_raw_edit_reaches_the_book_through_the_table_job(built_copy):
    csv = built_copy / paths.raw_csv("cast_subcommittees")
    csv.write_text(
        csv.read_text(encoding="utf-8").replace("Chinese Optical Society", "Chinese Optical Soc."),
        encoding="utf-8",
    )
    jobs = dict(dry_run(built_copy))
    assert {"validate_raw", "table", "build_book"} <= set(jobs)
    book_reason = jobs["build_book"]
    assert book_reason.startswith("Input files updated by another job: ")
    updated = set(book_reason.removeprefix("Input files updated by another job: ").split(", "))
    fragments = {str(paths.table_html("table2_cast_subcommittees", lang)) for lang in paths.LANGS}
    assert fragments <= updated
    assert not [f for f in updated if f.startswith(str(paths.RAW_DIR))]


def test_a_page_shows_the_table_jobs_fragment_byte_for_byte(built):
    layout = Layout.scan(built)
    for name in catalog.TABLES:
        for lang in paths.LANGS:
            fragment = (built / paths.table_html(name, lang)).read_text(encoding="utf-8")
            page = built / paths.BOOK_HTML / lang / f"{layout.page_of[name]}.html"
            html = page.read_text(encoding="utf-8")
            assert html.count(fragment) == 1, (name, lang)
            assert html.count(f'<table class="data-table sortable" id="{name}"') == 1
