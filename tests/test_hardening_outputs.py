"""What is published is what was built (issue 18, case 7): an output edited or deleted by hand is
rebuilt by the next `make` and said so in one line, never published as it is."""

from __future__ import annotations

import json
import os
from pathlib import Path

from biomedimg import paths
from biomedimg.outputs import outputcheck
from conftest import output_hashes, run, sha256

TABLE = Path("results/tables/table1_xiangshan_conferences.csv")
FIGURE = Path("results/figures/fig_patents.en.png")
SITE_FILE = Path("book/_build/html/en/_static/companion.css")


def make(root: Path):
    env = dict(os.environ, PYTHONPATH=str(root / "workflow"))  # this copy's package
    return run(["make"], root, env=env, timeout=1800)


def site_download(root: Path, rel: Path) -> Path:
    matches = sorted((root / paths.BOOK_HTML / "en").rglob(rel.name))
    assert matches, f"{rel.name} is not in the English edition"
    return matches[0]


def provenance_hash(root: Path, rel: Path) -> str:
    entries = json.loads((root / paths.PROVENANCE).read_text(encoding="utf-8"))["outputs"]
    return next(e["sha256"] for e in entries if e["path"] == rel.as_posix())


def test_an_output_edited_by_hand_is_rebuilt_and_said_so(fresh_clone, built_copy):
    table = built_copy / TABLE
    built = table.read_bytes()
    table.write_bytes(built + b"edited,by,hand\n")
    outside = sorted(built_copy.parent.iterdir())

    result = make(built_copy)

    assert f"{TABLE.as_posix()}: changed since its job built it (edited by hand?); rebuilding it" in (
        result.stderr.splitlines()
    )
    assert table.read_bytes() == built
    assert site_download(built_copy, TABLE).read_bytes() == built, "the site offers the built table"
    assert provenance_hash(built_copy, TABLE) == sha256(table)
    assert output_hashes(built_copy) == output_hashes(fresh_clone)
    assert sorted(built_copy.parent.iterdir()) == outside, "nothing written beside the checkout"


def test_an_output_deleted_by_hand_is_rebuilt_and_said_so(fresh_clone, built_copy):
    figure = built_copy / FIGURE
    built = figure.read_bytes()
    figure.unlink()

    result = make(built_copy)

    assert f"{FIGURE.as_posix()}: deleted since its job built it; rebuilding it" in result.stderr.splitlines()
    assert figure.read_bytes() == built
    assert output_hashes(built_copy) == output_hashes(fresh_clone)


def test_a_site_file_edited_by_hand_rebuilds_the_site(fresh_clone, built_copy):
    page = built_copy / SITE_FILE
    built = page.read_bytes()
    page.write_bytes(built + b"/* edited by hand */\n")

    result = make(built_copy)

    lines = [line for line in result.stderr.splitlines() if "since the last complete build" in line]
    assert lines == [
        f"{SITE_FILE.as_posix()}: changed since the last complete build (edited, added or deleted by hand, "
        "or left by a build that stopped); rebuilding the provenance and the site"
    ]
    assert page.read_bytes() == built
    site = built_copy / paths.BOOK_HTML
    fresh_site = fresh_clone / paths.BOOK_HTML
    assert {p.relative_to(site): sha256(p) for p in site.rglob("*") if p.is_file()} == {
        p.relative_to(fresh_site): sha256(p) for p in fresh_site.rglob("*") if p.is_file()
    }
    assert output_hashes(built_copy) == output_hashes(fresh_clone)


def test_a_second_make_finds_nothing_to_rebuild(built_copy):
    result = make(built_copy)
    assert "rebuilding" not in result.stdout + result.stderr
    assert "Nothing to be done" in result.stdout + result.stderr


def test_without_records_nothing_is_removed(tmp_path):
    (tmp_path / TABLE).parent.mkdir(parents=True)
    (tmp_path / TABLE).write_text("a,b\n", encoding="utf-8")
    assert outputcheck.before_build(tmp_path) == ([], [])
    assert (tmp_path / TABLE).exists()


def test_a_damaged_record_is_ignored_not_a_crash(tmp_path):
    fragments = tmp_path / paths.PROVENANCE_DIR
    fragments.mkdir(parents=True)
    (fragments / "a.json").write_text("{not json", encoding="utf-8")
    (fragments / "b.json").write_text('{"sha256": ["a list"]}', encoding="utf-8")
    (fragments / "c.json").write_text('{"sha256": {"results/x.csv": 3}}', encoding="utf-8")
    (tmp_path / "book" / "_build").mkdir(parents=True)
    (tmp_path / outputcheck.PUBLISHED).write_text('"a string"', encoding="utf-8")
    assert outputcheck.before_build(tmp_path) == ([], [])


def test_a_file_put_into_results_by_hand_is_never_published(built_copy):
    stray = built_copy / "results" / "tables" / "added_by_hand.csv"
    stray.write_text("a,b\n1,2\n", encoding="utf-8")
    (built_copy / TABLE).unlink()  # the book is rebuilt: it copies the tables again

    make(built_copy)

    site = built_copy / paths.BOOK_HTML
    assert (site / "en").is_dir()
    assert not list(site.rglob(stray.name)), "a file no job wrote is not offered for download"
    assert stray.exists(), "a user's file is left where it is"
