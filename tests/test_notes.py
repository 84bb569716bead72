"""The prose statements' notes in both languages: note_zh beside every English note, kept faithful by
validation (check note_zh_translates_note), and each edition showing the note in its own language."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import types
from pathlib import Path

import markupsafe
import pytest
from biomedimg import paths
from biomedimg.anchors import anchor
from biomedimg.data import rawdata
from biomedimg.data.translations import note_zh_problems
from biomedimg.data.validate import RawDataError, validate_dataset
from biomedimg.site import render
from conftest import ROOT

RAW = ROOT / "data" / "raw"
HAN = re.compile("[\u4e00-\u9fff]")
FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


STATEMENTS = read(RAW / "prose_statements.csv")
NOTED = [s for s in STATEMENTS if s["note"]]


# ----------------------------------------------------------------------------------- the data


def test_note_zh_follows_note_in_the_header():
    header = (RAW / "prose_statements.csv").read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    assert header[header.index("note") + 1] == "note_zh"


def test_every_note_has_a_chinese_translation_and_only_a_note_has_one():
    assert len(NOTED) >= 100
    assert [s["id"] for s in STATEMENTS if bool(s["note"]) != bool(s["note_zh"])] == []


@pytest.mark.parametrize("row", NOTED, ids=[s["id"] for s in NOTED])
def test_note_zh_is_a_faithful_chinese_translation(row):
    """Chinese, in ASCII digits and letters, with the note's numbers, quoted Chinese words and names."""
    zh = row["note_zh"]
    assert HAN.search(zh) and zh != row["note"]
    assert not FULL_WIDTH.search(zh), "full-width digits or letters"
    assert zh == zh.strip() and "\n" not in zh
    assert note_zh_problems(row["note"], zh) == []


def test_rows_quoting_one_note_translate_it_the_same_way():
    by_note: dict[str, set[str]] = {}
    for s in NOTED:
        by_note.setdefault(s["note"], set()).add(s["note_zh"])
    assert {n: t for n, t in by_note.items() if len(t) > 1} == {}


@pytest.mark.parametrize(
    ("note", "note_zh"),
    [
        ("Printed 2万多人 (more than 20,000 people) per year.", "原文为每年“2万多人”."),
        ("Search in February 2019.", "检索于2019年2月."),
        (
            "Printed 20世纪70年代中期 (mid-1970s); 1975 is not printed.",
            "原文为“20世纪70年代中期”; 未印出1975年.",
        ),
        (
            "Table 2 (cast_subcommittees.csv) has 65: consistent.",
            "表2 (cast_subcommittees.csv) 中有65个: 一致.",
        ),
        ("Recorded as more_than 80.", "记为 more_than 80."),
    ],
)
def test_conversions_a_translation_may_make(note, note_zh):
    assert note_zh_problems(note, note_zh) == []


@pytest.mark.parametrize(
    ("note", "note_zh", "problem"),
    [
        ("Table 4 has 6: consistent.", "表4中有7个: 一致.", "does not carry the number(s) 6 of note"),
        ("Table 4 has 6: consistent.", "表4中有6个, 共7个: 一致.", "has number(s) 7 that note does not have"),
        ("Search in February 2019.", "检索于2019年3月.", "has number(s) 3 that note does not have"),
        ("Printed 十余次 ('ten-odd').", "原文为十多次.", "does not keep the Chinese word(s) 十余次"),
        ("Recorded as more_than 80.", "记为超过80.", "does not keep the name(s) more_than"),
        ("Table 2 (cast_subcommittees.csv).", "表2.", "does not keep the name(s) cast_subcommittees.csv"),
    ],
)
def test_what_a_translation_must_not_do(note, note_zh, problem):
    assert any(p.startswith(problem) for p in note_zh_problems(note, note_zh)), note_zh_problems(
        note, note_zh
    )


# ------------------------------------------------------------------------------ the validator


@pytest.fixture
def fake_root(tmp_path) -> Path:
    shutil.copytree(ROOT / "workflow" / "schemas", tmp_path / "workflow" / "schemas")
    (tmp_path / "data" / "raw").mkdir(parents=True)
    shutil.copy(RAW / "prose_statements.csv", tmp_path / "data" / "raw" / "prose_statements.csv")
    return tmp_path


def edit_row(root: Path, statement_id: str, **cells) -> int:
    """Set cells of one statement, written as the file is (csv module, LF); its line number."""
    path = root / "data" / "raw" / "prose_statements.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    line = next(i for i, r in enumerate(rows) if r[0] == statement_id) + 1
    for column, value in cells.items():
        rows[line - 1][header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return line


def refused(root: Path) -> RawDataError:
    with pytest.raises(RawDataError) as info:
        validate_dataset("prose_statements", root)
    return info.value


def test_real_statements_validate_with_their_chinese_notes():
    assert len(validate_dataset("prose_statements")) == len(STATEMENTS)


def test_a_note_without_its_chinese_is_refused_with_file_line_and_column(fake_root):
    line = edit_row(fake_root, "nsfc_groups_count", note_zh="")
    err = refused(fake_root)
    assert (err.file, err.line, err.column) == ("data/raw/prose_statements.csv", line, "note_zh")
    assert err.rule == "is required when note is given (note's Chinese translation)"
    assert str(err) == (
        f"data/raw/prose_statements.csv, line {line}, column 'note_zh': "
        "is required when note is given (note's Chinese translation)"
    )


def test_a_chinese_note_without_a_note_is_refused(fake_root):
    line = edit_row(fake_root, "esi_subject_categories", note_zh="无说明.")
    err = refused(fake_root)
    assert (err.line, err.column, err.value) == (line, "note_zh", "无说明.")
    assert "must be empty when note is empty" in err.rule


def test_a_chinese_note_that_changes_a_number_is_refused(fake_root):
    # nsfc_groups_count: Table 4 (nsfc_creative_groups.csv) lists 10 groups: consistent.
    line = edit_row(
        fake_root, "nsfc_groups_count", note_zh="表4 (nsfc_creative_groups.csv) 列出11个群体: 一致."
    )
    err = refused(fake_root)
    assert (err.line, err.column) == (line, "note_zh")
    assert [p.rule for p in err.problems] == [
        "does not carry the number(s) 10 of note",
        "has number(s) 11 that note does not have",
    ]


def test_an_english_or_full_width_chinese_note_is_refused(fake_root):
    edit_row(fake_root, "nsfc_groups_count", note_zh="Table 4 lists 10 groups: consistent.")
    line = edit_row(fake_root, "nsfc_groups_dept_chemistry", note_zh="表４中有4个: 一致.")
    rules = {(p.line, p.rule) for p in refused(fake_root).problems}
    assert any("does not match the pattern" in rule for _, rule in rules)
    assert any(n == line and "full-width character U+FF14" in rule for n, rule in rules)


def test_the_schema_describes_every_field_in_both_languages():
    from biomedimg.data.validate import load_schema

    fields = {f["name"]: f for f in load_schema("prose_statements")["fields"]}
    assert list(fields)[-2:] == ["note", "note_zh"]
    for name, field in fields.items():
        assert field["description"].strip(), name
        assert HAN.search(field.get("description_zh", "")), f"{name}: no description_zh"
        assert set(field) <= {"name", "type", "description", "description_zh", "constraints"} | {
            k for k in field if k.startswith("x-")
        }, name
    assert "note_zh_translates_note" in load_schema("prose_statements")["x-checks"]


# ------------------------------------------------------------------------------- the editions


def esc(text: str) -> str:
    return str(markupsafe.escape(text))


def other_statements(lang: str, statements, out: Path) -> str:
    """The claims page's list of statements that are not claims, as an edition renders it."""
    data = types.SimpleNamespace(root=ROOT, claims=[], statements=statements, quote_en={})
    render.Edition(data, None, lang, out).other_statements()
    return (out / "_fragments" / "other-statements.html").read_text(encoding="utf-8")


def note_cells(fragment: str) -> dict[str, tuple[str, str]]:
    """Each row's last cell by row anchor: (the lang attribute of its note, if any; the cell's text)."""
    # Without the lang="zh-CN" marks around Chinese runs in English text (components.lang_runs).
    fragment = re.sub(r'<span lang="zh-CN">([^<]*)</span>', r"\1", fragment)
    rows = re.findall(r'<tr id="([^"]+)">.*?<td>((?:(?!</td>).)*)</td> </tr>', fragment)
    cells = {}
    for row_id, cell in rows:
        marked = re.search(r'<span lang="([^"]+)">', cell)
        cells[row_id] = (marked.group(1) if marked else "", re.sub(r"<[^>]+>", "", cell))
    return cells


def test_each_edition_shows_the_note_in_its_language(tmp_path):
    statements = rawdata.load("prose_statements")
    zh = note_cells(other_statements("zh", statements, tmp_path / "zh"))
    en = note_cells(other_statements("en", statements, tmp_path / "en"))
    assert len(zh) == len(en) == len(STATEMENTS)
    for s in STATEMENTS:
        zh_lang, zh_text = zh[anchor(s["id"])]
        en_lang, en_text = en[anchor(s["id"])]
        assert zh_lang == en_lang == "", s["id"]  # each note is in its page's language
        assert zh_text.endswith(esc(s["note_zh"])) and en_text.endswith(esc(s["note"])), s["id"]
        if s["note"]:
            assert esc(s["note"]) not in zh_text and esc(s["note_zh"]) not in en_text, s["id"]


def test_an_untranslated_note_left_in_the_chinese_edition_is_marked_english(tmp_path):
    statements = rawdata.load("prose_statements")
    statements.loc[statements["id"] == "nsfc_groups_count", "note_zh"] = None
    zh = note_cells(other_statements("zh", statements, tmp_path))
    note = statements.set_index("id").loc["nsfc_groups_count", "note"]
    assert zh[anchor("nsfc_groups_count")] == ("en", esc(note))


@pytest.mark.parametrize("lang", paths.LANGS)
def test_the_built_claims_page_shows_the_notes_in_its_language(built, lang):
    page = (built / paths.BOOK_HTML / lang / "claims.html").read_text(encoding="utf-8")
    block = page.split('id="other-statements"', 1)[1].split("<!-- /other-statements -->", 1)[0]
    cells = note_cells(block)
    shown = [s for s in NOTED if anchor(s["id"]) in cells]
    # Every noted statement that no claim checks is listed, with its note.
    claims = json.loads((built / paths.CLAIMS_JSON).read_text(encoding="utf-8"))["claims"]
    claimed = {c["statement"] for c in claims}
    assert {s["id"] for s in shown} == {s["id"] for s in NOTED if s["id"] not in claimed} != set()
    for s in shown:
        marked, text = cells[anchor(s["id"])]
        assert marked == "", s["id"]
        mine, other = (s["note_zh"], s["note"]) if lang == "zh" else (s["note"], s["note_zh"])
        assert text.endswith(esc(mine)) and esc(other) not in text, s["id"]
    html_lang = "zh-CN" if lang == "zh" else "en"
    assert f'<html lang="{html_lang}"' in page
