"""Raw-data validation: the real data passes; every kind of bad input is refused with a located message."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from biomedimg import paths
from biomedimg.data.validate import RawDataError, main, validate_dataset, validate_sidecar
from conftest import BIN, ROOT, run


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
    assert err.column == "funding_10k_cny" and err.line == 2 and "ASCII digits" in err.rule


def test_negative_funding(fake_root):
    edit(fake_root, T3, lambda b: b.replace(b",3000,", b",-3000,", 1))
    err = refused(fake_root, T3)
    assert err.column == "funding_10k_cny" and "below the minimum 1" in err.rule


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
    messages = str(refused(fake_root, "nsfc_creative_group_awards")).splitlines()
    assert messages == [
        "data/raw/nsfc_creative_group_awards.csv, column 'group_id': group 10 of nsfc_creative_groups "
        "has no award rows",
        "data/raw/nsfc_creative_group_awards.csv, line 19, column 'group_id': value has no matching "
        "group_id in data/raw/nsfc_creative_groups.csv (found '11')",
    ]


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


def test_cli_reports_and_exits_nonzero(fake_root, capsys):
    edit(fake_root, T1, lambda b: b"\xef\xbb\xbf" + b)
    assert main([T1, T3], root=fake_root) == 1
    out = capsys.readouterr()
    assert "INVALID RAW DATA: data/raw/xiangshan_conferences.csv, line 1:" in out.err
    assert "ok: data/raw/nsfc_instrument_projects.csv (11 rows)" in out.out


def test_cli_runs_the_sidecar_check_as_the_build_does(fake_root, capsys):
    """`python -m biomedimg.data.validate` must refuse what the validate_raw rule refuses (issue 10)."""
    meta = fake_root / "data" / "raw" / "xiangshan_conferences.meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("licence:", "licensing:"), encoding="utf-8")
    assert main([T1], root=fake_root) == 1
    err = capsys.readouterr().err
    assert "data/raw/xiangshan_conferences.meta.yaml: key (top level): 'licence' is a required" in err


def test_validate_and_checks_do_not_import_each_other():
    """checks.py receives a loader instead of importing validate, so there is no import cycle."""
    code = "import sys, biomedimg.data.checks; print('biomedimg.data.validate' in sys.modules)"
    out = run([str(BIN / "python"), "-c", code], ROOT, env={"PYTHONPATH": str(ROOT / "workflow")})
    assert out.stdout.strip() == "False"


# --- Values that look valid but are not (issue 9): each refused with its position ---------------

MAJOR = "nsfc_major_projects"  # line 3 is project 2, funding 1500, PI Wang Kemin


def set_cell(data: bytes, line: int, column: str, value: str) -> bytes:
    """Replace one cell (CSV-aware) and write the file back in the project's conventions."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def duplicate_line_3_disguised(data: bytes) -> bytes:
    """Project 2 again as project 11: an inner space in the Chinese title, the English one upper case."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    copy = list(rows[2])
    copy[0] = "11"
    copy[2] = copy[2][:4] + " " + copy[2][4:]
    copy[3] = copy[3].upper()
    rows.append(copy)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


LOOK_VALID = {
    "no-break space in an English society name": (
        "cast_subcommittees",
        lambda b: set_cell(b, 2, "society_en", "Chinese\u00a0Optical Society"),
        (2, "society_en", "U+00A0 NO-BREAK SPACE at character 8"),
    ),
    "zero-width space in a Chinese name": (
        "cast_subcommittees",
        lambda b: set_cell(b, 2, "society_zh", "中国光学\u200b学会"),
        (2, "society_zh", "U+200B ZERO WIDTH SPACE at character 5"),
    ),
    "full-width digits": (
        MAJOR,
        lambda b: set_cell(b, 3, "funding_10k_cny", "１５００"),
        (3, "funding_10k_cny", "full-width digits"),
    ),
    "underscore separator": (
        MAJOR,
        lambda b: set_cell(b, 3, "funding_10k_cny", "1_500"),
        (3, "funding_10k_cny", "underscores"),
    ),
    "exponent": (
        MAJOR,
        lambda b: set_cell(b, 3, "funding_10k_cny", "1.5e3"),
        (3, "funding_10k_cny", "exponent notation"),
    ),
    "exchange rate without its decimal point": (
        "exchange_rates",
        lambda b: set_cell(b, 2, "rate", "68985"),
        (2, "rate", "above the maximum 20"),
    ),
    "implausible funding": (
        MAJOR,
        lambda b: set_cell(b, 3, "funding_10k_cny", "150000000000"),
        (3, "funding_10k_cny", "above the maximum 100000"),
    ),
    "stated year -2000": (
        "prose_statements",
        lambda b: set_cell(b, 5, "value", "-2000"),
        (5, "value", "outside the plausible range 1800 to 2050 for unit 'year'"),
    ),
    "as-of date 2018-02-30": (
        "prose_statements",
        lambda b: set_cell(b, 114, "as_of", "2018-02-30"),
        (114, "as_of", "must be a real calendar date"),
    ),
    "duplicate row with an inner space and other letter case": (
        MAJOR,
        duplicate_line_3_disguised,
        (12, "title_zh", "must be unique but repeats line 3 (compared ignoring case and spaces)"),
    ),
    "spreadsheet formula": (
        MAJOR,
        lambda b: set_cell(b, 3, "pi_en", '=HYPERLINK("http://example.com/x","Wang Kemin")'),
        (3, "pi_en", "text starts with '=', which a spreadsheet runs as a formula"),
    ),
}


@pytest.mark.parametrize("case", LOOK_VALID, ids=list(LOOK_VALID))
def test_look_valid_but_wrong_is_refused_with_its_position(fake_root, case):
    name, transform, (line, column, rule) = LOOK_VALID[case]
    edit(fake_root, name, transform)
    err = refused(fake_root, name)
    located = [(p.line, p.column) for p in err.problems]
    assert (line, column) in located, str(err)
    problem = err.problems[located.index((line, column))]
    assert rule in problem.rule
    assert str(problem).startswith(f"data/raw/{name}.csv, line {line}, column '{column}': ")


def test_duplicate_english_title_found_too(fake_root):
    edit(fake_root, MAJOR, duplicate_line_3_disguised)
    messages = [str(p) for p in refused(fake_root, MAJOR).problems]
    assert any("line 12, column 'title_en': value must be unique but repeats line 3" in m for m in messages)


def test_formula_prefixes_are_refused_unless_the_schema_allows_them(fake_root):
    for prefix in "=+-@":
        edit(fake_root, MAJOR, lambda b, p=prefix: set_cell(b, 3, "pi_en", f"{p}cmd|' /C calc'!A0"))
        assert "formula" in refused(fake_root, MAJOR).rule
    schema = fake_root / paths.raw_schema(MAJOR)
    text = schema.read_text(encoding="utf-8")
    schema.write_text(
        text.replace(
            "description: Principal investigator in pinyin,", "description: PI, x-allow-formula: true,"
        ),
        encoding="utf-8",
    )
    assert validate_dataset(MAJOR, fake_root)[1]["pi_en"] == "@cmd|' /C calc'!A0"


def test_line_break_in_a_one_line_column_is_refused(fake_root):
    edit(fake_root, MAJOR, lambda b: set_cell(b, 3, "title_en", "Fundamental analytical\n\nchemistry"))
    err = refused(fake_root, MAJOR)
    assert (err.line, err.column) == (3, "title_en") and "line break in a cell (character 23)" in err.rule


def test_full_width_letter_in_a_code_is_refused(fake_root):
    edit(fake_root, T1, lambda b: set_cell(b, 2, "session", "Ｓ49"))
    err = refused(fake_root, T1)
    assert (err.line, err.column) == (2, "session") and "full-width character U+FF33" in err.rule


def test_thousands_separator_and_zero_width_space_in_a_number(fake_root):
    edit(fake_root, MAJOR, lambda b: set_cell(b, 3, "funding_10k_cny", "1,500"))
    assert "thousands separators" in refused(fake_root, MAJOR).rule
    edit(fake_root, MAJOR, lambda b: set_cell(b, 3, "funding_10k_cny", "1500\u200b"))
    assert "U+200B" in refused(fake_root, MAJOR).rule


EXCEL_FUNDING = "7,133.77"


def excel_save(data: bytes) -> bytes:
    """What Excel makes of a file: BOM, CRLF endings, a number with a thousands separator, quoted."""
    data = set_cell(data, 3, "funding_10k_cny", EXCEL_FUNDING)
    return b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")


def test_excel_save_gets_all_its_errors_in_one_run(fake_root, capsys):
    edit(fake_root, MAJOR, excel_save)
    assert main([MAJOR], root=fake_root) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "INVALID RAW DATA: data/raw/nsfc_major_projects.csv, line 1: file starts with a UTF-8 byte-order "
        "mark (BOM); save it as UTF-8 without BOM",
        "INVALID RAW DATA: data/raw/nsfc_major_projects.csv, line 1: file has Windows (\\r\\n) or old Mac "
        "(\\r) line endings (11 of them, the first ending this line); use \\n",
        "INVALID RAW DATA: data/raw/nsfc_major_projects.csv, line 3, column 'funding_10k_cny': number value "
        "has thousands separators; write it plain (make tidy FILE=... fixes this) (found '7,133.77')",
    ]


def test_every_bad_cell_of_a_file_is_reported(fake_root):
    edit(fake_root, MAJOR, lambda b: set_cell(set_cell(b, 3, "year", "20x1"), 5, "pi_en", "=1+1"))
    err = refused(fake_root, MAJOR)
    assert [(p.line, p.column) for p in err.problems] == [(3, "year"), (5, "pi_en")]
    assert len(str(err).splitlines()) == 2


@pytest.mark.parametrize("name", paths.raw_names())
def test_every_numeric_column_has_plausible_bounds(name):
    from biomedimg.data.validate import load_schema

    for field in load_schema(name)["fields"]:
        if field.get("type") in ("integer", "number", "date"):
            constraints = field.get("constraints", {})
            assert "minimum" in constraints and "maximum" in constraints, f"{name}.{field['name']}"


# --- Chinese descriptions: every field of every raw schema, every sidecar ------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")
FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
# The properties a Table Schema field may have, our Chinese description, and the x- extensions; any
# other key is a mistake, usually a plain YAML description cut at ", " (its rest becomes a key).
FIELD_KEYS = {"name", "title", "type", "format", "description", "description_zh", "example", "constraints"}
FIELD_KEYS |= {"rdfType", "missingValues", "trueValues", "falseValues", "bareNumber", "groupChar"}
FIELD_KEYS |= {"decimalChar"}


@pytest.mark.parametrize("name", paths.raw_names())
def test_every_field_of_every_raw_schema_is_described_in_chinese_too(name):
    from biomedimg.data.validate import load_schema

    fields = load_schema(name)["fields"]
    for field in fields:
        where = f"{name}.{field['name']}"
        assert {k for k in field if not k.startswith("x-")} <= FIELD_KEYS, where
        assert field.get("description", "").strip(), where
        zh = field.get("description_zh", "")
        assert zh.strip() and CJK.search(zh), f"{where}: no Chinese description (description_zh)"
        assert not FULL_WIDTH.search(zh), f"{where}: full-width digits or letters in {zh!r}"


@pytest.mark.parametrize("name", paths.raw_names())
def test_every_sidecar_describes_its_file_in_chinese_too(name):
    meta = validate_sidecar(name)
    for key in ("title_zh", "description_zh"):
        assert CJK.search(meta[key]), f"{name}.meta.yaml: {key} is not Chinese"
        assert not FULL_WIDTH.search(meta[key]), f"{name}.meta.yaml: full-width digits or letters in {key}"


def test_a_sidecar_without_a_chinese_description_is_refused(fake_root):
    meta = fake_root / "data" / "raw" / "xiangshan_conferences.meta.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace("description_zh:", "description_cn:"), encoding="utf-8"
    )
    with pytest.raises(RawDataError) as info:
        validate_sidecar("xiangshan_conferences", fake_root)
    assert "'description_zh' is a required property" in str(info.value)
