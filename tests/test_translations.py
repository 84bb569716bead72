"""The English translations of the quoted sentences: one per statement, in order, clean, keeping the numbers."""

from __future__ import annotations

import csv
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from biomedimg import paths
from biomedimg.data.translations import missing_numbers
from biomedimg.data.validate import RawDataError, validate_dataset
from conftest import ROOT

RAW = ROOT / "data" / "raw"
TRANSLATIONS = RAW / "prose_translations.csv"


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


STATEMENTS = read(RAW / "prose_statements.csv")
ROWS = read(TRANSLATIONS)


def test_one_translation_per_statement_in_the_same_order():
    assert [r["id"] for r in ROWS] == [s["id"] for s in STATEMENTS]


def test_file_is_plain_utf8_csv_with_lf_endings():
    data = TRANSLATIONS.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data
    assert data.endswith(b"\n") and not data.endswith(b"\n\n")
    assert data.decode("utf-8").split("\n", 1)[0] == "id,quote_en"


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_quote_en_is_a_clean_single_line(row):
    text = row["quote_en"]
    assert text and text == text.strip()
    assert "\n" not in text and "\r" not in text
    assert text[0] not in "=+-@"  # a spreadsheet would read the cell as a formula
    odd = [f"U+{ord(c):04X}" for c in text if (unicodedata.category(c) in ("Zs", "Cf", "Cc") and c != " ")]
    assert not odd, f"invisible or non-ASCII space characters {odd}"
    assert not any("\u4e00" <= c <= "\u9fff" for c in text), "untranslated Chinese left in quote_en"


def test_every_translation_carries_the_numbers_of_its_quote():
    zh = {s["id"]: s["quote_zh"] for s in STATEMENTS}
    missing = {r["id"]: missing_numbers(zh[r["id"]], r["quote_en"]) for r in ROWS}
    assert {k: v for k, v in missing.items() if v} == {}


def test_same_quote_same_translation():
    """Rows that quote one sentence (one row per number) read the same in English."""
    by_quote: dict[str, set[str]] = {}
    zh = {s["id"]: s["quote_zh"] for s in STATEMENTS}
    for r in ROWS:
        by_quote.setdefault(zh[r["id"]], set()).add(r["quote_en"])
    assert {q: t for q, t in by_quote.items() if len(t) > 1} == {}


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("投入经费超过1.6亿", "funding of more than 160 million yuan"),
        ("投入经费超过1.6亿", "funding of more than 1.6 × 10^8 yuan"),
        ("经费超过22亿元", "funding of more than 2.2 billion yuan"),
        ("估算总投资11.3亿元", "an estimated total investment of 1.13 billion yuan"),
        ("我国的发文量(14万篇)", "China's output (140,000 papers)"),
        ("我国的发文量(14万篇)", "China's output (140 thousand papers)"),
        ("达到6000~8000亿", "reach 600–800 billion yuan"),
        ("直接经费1000万以下", "direct costs below 10 million yuan"),
        ("信号增强大于57000的", "a signal enhancement of more than 57,000"),
        ("2018年4月正式批准", "formally approved in April 2018"),
        ("源自20世纪70年代中期的", "originating in the mid-1970s"),
        ("99mTc-3PRGD2与18F-FDG/PET", "99mTc-3PRGD2 with 18F-FDG/PET"),
        ("排名第3~5的德国", "Germany, ranked 3rd to 5th"),
    ],
)
def test_allowed_renderings_of_numbers(zh, en):
    assert missing_numbers(zh, en) == []


@pytest.mark.parametrize(
    ("zh", "en", "missing"),
    [
        ("投入经费超过1.6亿", "funding of more than 16 million yuan", ["1.6"]),
        ("经费超过22亿元", "funding of more than 22 million yuan", ["22"]),  # 22亿 is 2.2 billion
        ("有9个项目", "nine projects", ["9"]),
        ("2018年4月正式批准", "formally approved in 2018", ["4"]),
        ("2018年4月正式批准", "formally approved in March 2018", ["4"]),
        ("在2001~2019年19年间", "in the 19 years 2001–2018", ["2019"]),
        ("占总立项数的1/5", "a fifth of all projects", ["1", "5"]),
        ("源自20世纪70年代中期的", "originating in the 1960s", ["20", "70"]),
    ],
)
def test_dropped_or_changed_numbers_are_found(zh, en, missing):
    assert missing_numbers(zh, en) == missing


@pytest.fixture
def fake_root(tmp_path) -> Path:
    shutil.copytree(ROOT / "workflow" / "schemas", tmp_path / "workflow" / "schemas")
    (tmp_path / "data" / "raw").mkdir(parents=True)
    for name in ("prose_statements", "prose_translations"):
        shutil.copy(RAW / f"{name}.csv", tmp_path / "data" / "raw" / f"{name}.csv")
    return tmp_path


def rewrite(root: Path, transform) -> None:
    path = root / "data" / "raw" / "prose_translations.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(transform(lines)), encoding="utf-8")


def refused(root: Path) -> RawDataError:
    with pytest.raises(RawDataError) as info:
        validate_dataset("prose_translations", root)
    return info.value


def test_real_translations_validate():
    assert len(validate_dataset("prose_translations")) == len(STATEMENTS)


def test_rows_out_of_order_are_refused(fake_root):
    rewrite(fake_root, lambda lines: [lines[0], lines[2], lines[1], *lines[3:]])
    err = refused(fake_root)
    assert (err.file, err.line, err.column) == ("data/raw/prose_translations.csv", 2, "id")
    assert err.value == STATEMENTS[1]["id"]
    assert (
        f"must be {STATEMENTS[0]['id']!r}" in err.rule
        and "line 2 of data/raw/prose_statements.csv" in err.rule
    )


def test_a_missing_last_translation_is_refused(fake_root):
    rewrite(fake_root, lambda lines: [*lines[:-2], ""])
    err = refused(fake_root)
    assert err.line == len(STATEMENTS) + 1 and err.column == "id"
    assert f"statement {STATEMENTS[-1]['id']!r}" in err.rule and "no translation" in err.rule


def test_a_translation_of_an_unknown_statement_is_refused(fake_root):
    rewrite(fake_root, lambda lines: [lines[0], "not_a_statement,Some text", *lines[2:]])
    err = refused(fake_root)
    assert (err.line, err.column, err.value) == (2, "id", "not_a_statement")
    assert "no matching id in data/raw/prose_statements.csv" in err.rule


def test_a_dropped_number_is_refused(fake_root):
    # esi_subject_categories: 它不是基本科学指数(...)的22个分类学科之一
    rewrite(fake_root, lambda lines: [lines[0], lines[1].replace("22", "twenty-two"), *lines[2:]])
    err = refused(fake_root)
    assert (err.line, err.column) == (2, "quote_en")
    assert "does not carry the number(s) 22 of quote_zh" in err.rule


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_cell_read_as_a_formula_is_refused(fake_root, start):
    rewrite(fake_root, lambda lines: [lines[0], lines[1].replace(",", f",{start}", 1), *lines[2:]])
    err = refused(fake_root)
    assert (err.line, err.column) == (2, "quote_en")
    assert "formula" in err.rule


def test_translations_are_published_in_the_data_package(built):
    package = json.loads((built / paths.DATAPACKAGE).read_text(encoding="utf-8"))
    resource = {r["name"]: r for r in package["resources"]}["prose_translations"]
    assert [f["name"] for f in resource["schema"]["fields"]] == ["id", "quote_en"]
    assert resource["schema"]["foreignKeys"] == [
        {"fields": ["id"], "reference": {"resource": "prose_statements", "fields": ["id"]}}
    ]
    assert "written for this companion" in resource["description"]
    assert (built / paths.DATA_DIR / "prose_translations.csv").read_bytes() == TRANSLATIONS.read_bytes()
