"""Raw-data validation: the real data passes; every kind of bad input is refused with a located message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from biomedimg import paths
from biomedimg.validate import RawDataError, main, validate_dataset, validate_sidecar
from conftest import ROOT


@pytest.mark.parametrize("name", paths.raw_names())
def test_real_data_is_valid(name):
    rows = validate_dataset(name)
    assert rows
    validate_sidecar(name)


@pytest.fixture
def fake_root(tmp_path) -> Path:
    """A minimal project root holding copies of the schemas and raw data, safe to break."""
    shutil.copytree(ROOT / "workflow" / "schemas", tmp_path / "workflow" / "schemas")
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    for p in (tmp_path / "data" / "raw").iterdir():
        p.chmod(0o644)
    return tmp_path


def edit(root: Path, name: str, transform) -> None:
    path = root / "data" / "raw" / f"{name}.csv"
    path.write_bytes(transform(path.read_bytes()))


def replace_line(data: bytes, line_no: int, func) -> bytes:
    lines = data.decode("utf-8").split("\n")
    lines[line_no - 1] = func(lines[line_no - 1])
    return "\n".join(lines).encode("utf-8")


def refused(root: Path, name: str) -> RawDataError:
    with pytest.raises(RawDataError) as info:
        validate_dataset(name, root)
    return info.value


T1 = "xiangshan_conferences"
T3 = "nsfc_instrument_projects"


def test_gbk_encoding(fake_root):
    edit(fake_root, T1, lambda b: b.decode("utf-8").encode("gbk"))
    err = refused(fake_root, T1)
    assert err.file == "data/raw/xiangshan_conferences.csv"
    assert "not valid UTF-8" in err.rule and "GBK" in err.rule
    assert err.line == 2  # the first Chinese character is on the first data row


def test_utf8_bom(fake_root):
    edit(fake_root, T1, lambda b: b"\xef\xbb\xbf" + b)
    err = refused(fake_root, T1)
    assert "byte-order mark" in err.rule and err.line == 1


def test_missing_column(fake_root):
    edit(fake_root, T3, lambda b: b.replace(b",pi_en,", b",", 1))
    err = refused(fake_root, T3)
    assert "missing column(s) pi_en" in err.rule and err.line == 1


def test_extra_column(fake_root):
    edit(fake_root, T3, lambda b: replace_line(b, 1, lambda s: s + ",remarks"))
    err = refused(fake_root, T3)
    assert "unexpected column(s) remarks" in err.rule


def test_duplicate_key(fake_root):
    # Row 2 gets row 1's number: the primary key `no` repeats.
    edit(fake_root, T1, lambda b: replace_line(b, 3, lambda s: "1" + s[s.index(",") :]))
    err = refused(fake_root, T1)
    assert err.line == 3 and err.column == "no" and "repeats line 2" in err.rule


def test_unknown_vocabulary_value(fake_root):
    edit(fake_root, T1, lambda b: b.decode().replace(",杭州,", ",广州,", 1).encode())
    err = refused(fake_root, T1)
    assert err.column == "city_zh" and "allowed vocabulary" in err.rule and err.value == "广州"


def test_non_numeric_funding(fake_root):
    edit(fake_root, T3, lambda b: b.replace(b",3000,", b",3000abc,", 1))
    err = refused(fake_root, T3)
    assert err.column == "funding_10k_cny" and err.line == 2 and "must be a number" in err.rule


def test_negative_funding(fake_root):
    edit(fake_root, T3, lambda b: b.replace(b",3000,", b",-3000,", 1))
    err = refused(fake_root, T3)
    assert err.column == "funding_10k_cny" and "below the minimum 0" in err.rule


def test_year_out_of_range(fake_root):
    edit(fake_root, T3, lambda b: replace_line(b, 2, lambda s: s.replace("1,2011,", "1,1899,", 1)))
    err = refused(fake_root, T3)
    assert err.column == "year" and err.line == 2 and "below the minimum 2001" in err.rule


def test_bad_date(fake_root):
    edit(fake_root, T1, lambda b: b.replace(b"1995-12-15", b"1995-02-30", 1))
    err = refused(fake_root, T1)
    assert err.column == "start_date" and err.line == 2 and "real calendar date" in err.rule


def test_date_not_matching_printed_date(fake_root):
    edit(fake_root, T1, lambda b: b.replace(b"1995-12-15", b"1995-12-14", 1))
    err = refused(fake_root, T1)
    assert err.column == "start_date" and "does not match the printed date" in err.rule


def test_empty_file(fake_root):
    edit(fake_root, T1, lambda b: b"")
    err = refused(fake_root, T1)
    assert "file is empty" in err.rule


def test_unbalanced_quote(fake_root):
    edit(fake_root, T1, lambda b: replace_line(b, 5, lambda s: s.replace(",人类脑计划", ',"人类脑计划', 1)))
    err = refused(fake_root, T1)
    assert "unbalanced double quote" in err.rule and err.line == 5


def test_stray_whitespace(fake_root):
    edit(
        fake_root,
        T1,
        lambda b: b.decode().replace(",周前、周如玲、王世真,", ",周前、周如玲、王世真 ,", 1).encode(),
    )
    err = refused(fake_root, T1)
    assert err.column == "chairs_zh" and err.line == 2 and "whitespace" in err.rule


def test_windows_line_endings(fake_root):
    edit(fake_root, T1, lambda b: b.replace(b"\n", b"\r\n"))
    assert "line endings" in refused(fake_root, T1).rule


def test_wrong_cell_count(fake_root):
    edit(fake_root, T1, lambda b: replace_line(b, 4, lambda s: s + ",extra"))
    err = refused(fake_root, T1)
    assert err.line == 4 and "cells but the header has" in err.rule


def test_required_value_missing(fake_root):
    edit(fake_root, T3, lambda b: b.replace(b",\xe5\xbe\x90\xe6\xb6\x9b,", b",,", 1))  # 徐涛
    err = refused(fake_root, T3)
    assert err.column == "pi_zh" and "required" in err.rule


def test_footnote_rule(fake_root):
    # Footnote a) of Table 3: only projects from 2015 on report direct cost only.
    edit(fake_root, T3, lambda b: replace_line(b, 2, lambda s: s.replace(",false,", ",true,", 1)))
    err = refused(fake_root, T3)
    assert err.column == "direct_cost_only" and "2015 or later" in err.rule


def test_cross_table_foreign_key(fake_root):
    edit(fake_root, "nsfc_creative_group_awards", lambda b: b.replace(b"\n10,1,2019", b"\n11,1,2019"))
    err = refused(fake_root, "nsfc_creative_group_awards")
    assert err.column == "group_id" and "no matching group_id" in err.rule and err.value == "11"


def test_award_years_must_match_printed(fake_root):
    edit(fake_root, "nsfc_creative_group_awards", lambda b: b.replace(b"\n2,2,2009", b"\n2,2,2010"))
    err = refused(fake_root, "nsfc_creative_group_awards")
    assert "award years of group 2 must be 2006/2009" in err.rule


def test_society_in_two_disciplines(fake_root):
    edit(
        fake_root,
        "cast_subcommittees",
        lambda b: replace_line(b, 3, lambda s: s.replace("science,理科", "engineering,工科", 1)),
    )
    err = refused(fake_root, "cast_subcommittees")
    assert err.column == "discipline" and "already listed under science" in err.rule


def test_nobel_laureate_must_exist(fake_root):
    edit(fake_root, "nobel_imaging_prizes", lambda b: b.replace("Röntgen".encode(), b"Roentgen", 1))
    err = refused(fake_root, "nobel_imaging_prizes")
    assert err.column == "laureates" and "not a Physics 1901 laureate" in err.rule


def test_sidecar_schema(fake_root):
    meta = fake_root / "data" / "raw" / "xiangshan_conferences.meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("licence:", "licensing:"), encoding="utf-8")
    with pytest.raises(RawDataError) as info:
        validate_sidecar("xiangshan_conferences", fake_root)
    assert "'licence' is a required property" in str(info.value)


def test_cli_reports_and_exits_nonzero(fake_root, monkeypatch, capsys):
    edit(fake_root, T1, lambda b: b"\xef\xbb\xbf" + b)
    monkeypatch.setattr(paths, "ROOT", fake_root)
    import biomedimg.validate as v

    monkeypatch.setattr(v.validate_dataset, "__defaults__", (fake_root,))
    monkeypatch.setattr(v.validate_table, "__defaults__", (fake_root,))
    monkeypatch.setattr(v.load_schema, "__defaults__", (fake_root,))
    assert main([T1, T3]) == 1
    out = capsys.readouterr()
    assert "INVALID RAW DATA: data/raw/xiangshan_conferences.csv, line 1:" in out.err
    assert "ok: data/raw/nsfc_instrument_projects.csv (11 rows)" in out.out
