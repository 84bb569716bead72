"""Issue 18 (6, 8): text is what it looks like, and every refusal of an analyst-edited file is one
line naming the file, the item and the rule, before any output is written.

Each case below was found by a probe on a fresh clone: a Cyrillic О split a society in two, a Kangxi
radical flipped a claim, a 2 kB alias bomb in a sidecar ate 4 GB, a broken schema was silently
skipped ("Nothing to be done"), and broken ledgers, schemas and configs ended in tracebacks.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from biomedimg import paths
from biomedimg.data import ledger
from biomedimg.data.validate import RawDataError, main, validate_sidecar, validate_table
from biomedimg.run import preflight
from conftest import ROOT, output_hashes, run

CAST = "cast_subcommittees"  # line 2: 中国光学学会, Chinese Optical Society; line 4: 中国生物物理学会
PRIZES = "nobel_imaging_prizes"  # line 2: Wilhelm Conrad Röntgen
STATEMENTS = "prose_statements"
SIDECAR = Path("data/raw/xiangshan_conferences.meta.yaml")
SCHEMA = Path("workflow/schemas/raw/xiangshan_conferences.schema.yaml")

# "Billion laughs": nine levels of nine aliases, 9**9 strings once expanded, from under 1 kB.
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.fixture
def fake_root(tmp_path) -> Path:
    """A project root with copies of every file an analyst edits (raw data, sidecars, schemas, the
    claims ledger, the config and the figures with their modules), safe to break."""
    shutil.copytree(ROOT / "workflow" / "schemas", tmp_path / "workflow" / "schemas")
    modules = paths.figure_module_file("x").parent
    shutil.copytree(ROOT / modules, tmp_path / modules)
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    shutil.copytree(ROOT / "data" / "claims", tmp_path / "data" / "claims")
    shutil.copytree(ROOT / "config", tmp_path / "config")
    for p in (tmp_path / "data" / "raw").iterdir():
        p.chmod(0o644)
    return tmp_path


def set_cell(root: Path, name: str, line: int, column: str, value: str) -> None:
    path = root / paths.raw_csv(name)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def problems(root: Path, name: str) -> list[str]:
    with pytest.raises(RawDataError) as info:
        validate_table(name, root)
    return [str(p) for p in info.value.problems]


def edit(root: Path, rel: Path | str, func) -> None:
    path = root / rel
    path.write_text(func(path.read_text(encoding="utf-8")), encoding="utf-8")


# --- 6. Text is what it looks like ------------------------------------------------------------


def test_cyrillic_o_in_an_english_name_is_refused(fake_root):
    set_cell(fake_root, CAST, 2, "society_en", "Chinese \u041eptical Society")
    assert problems(fake_root, CAST) == [
        "data/raw/cast_subcommittees.csv, line 2, column 'society_en': U+041E CYRILLIC CAPITAL LETTER O "
        "at character 9 in a Latin word (\u041eptical), looks like O; type the Latin letter "
        "(found 'Chinese \u041eptical Society')"
    ]


def test_kangxi_radical_in_a_chinese_name_is_refused(fake_root):
    set_cell(fake_root, CAST, 4, "society_zh", "中国\u2f63物物理学会")
    assert problems(fake_root, CAST) == [
        "data/raw/cast_subcommittees.csv, line 4, column 'society_zh': look-alike character U+2F63 "
        "KANGXI RADICAL LIFE \u2f63 at character 3, looks like U+751F 生; type 生 (found '中国\u2f63物物理学会')"
    ]


def test_cjk_compatibility_ideograph_is_refused(fake_root):
    set_cell(fake_root, CAST, 4, "society_zh", "中国生物物\uf9e4学会")
    assert problems(fake_root, CAST) == [
        "data/raw/cast_subcommittees.csv, line 4, column 'society_zh': look-alike character U+F9E4 "
        "CJK COMPATIBILITY IDEOGRAPH-F9E4 \uf9e4 at character 6, looks like U+7406 理; type 理 "
        "(found '中国生物物\uf9e4学会')"
    ]


def test_a_name_in_decomposed_form_is_named_as_such(fake_root):
    set_cell(fake_root, PRIZES, 2, "laureates", "Wilhelm Conrad Ro\u0308ntgen")
    [line] = problems(fake_root, PRIZES)
    assert line.startswith(
        "data/raw/nobel_imaging_prizes.csv, line 2, column 'laureates': text is in decomposed form (NFD) "
        "at character 17: o + U+0308 COMBINING DIAERESIS; write ö (U+00F6)"
    )


def test_full_width_letters_in_english_text_are_refused(fake_root):
    set_cell(fake_root, CAST, 2, "society_en", "Chinese Optical Ｓociety")
    [line] = problems(fake_root, CAST)
    assert (
        "full-width character U+FF33 FULLWIDTH LATIN CAPITAL LETTER S Ｓ at character 17, looks like " in line
    )


def test_chinese_typography_and_distinct_compatibility_characters_are_kept(fake_root):
    """The rule is narrowed where the character does not pass for its NFKC form: full-width
    punctuation in Chinese text, the ellipsis (the real notes use it), a raised figure, a fraction, a
    circled number, a spacing accent (the Nobel snapshot's Il´ja), and Greek letters in scientific
    words (Aβ); each cell below is valid."""
    kept = "对照（见表1）……m² ½ ① Il´ja Aβ42"
    set_cell(fake_root, STATEMENTS, 2, "note_zh", kept)
    rows = validate_table(STATEMENTS, fake_root)
    assert rows[0]["note_zh"] == kept


def test_a_greek_omicron_in_a_latin_word_is_refused(fake_root):
    set_cell(fake_root, CAST, 2, "society_en", "Chinese \u039fptical Society")
    [line] = problems(fake_root, CAST)
    assert (
        "U+039F GREEK CAPITAL LETTER OMICRON at character 9 in a Latin word (\u039fptical), looks like O"
        in line
    )


def test_what_an_xlsx_cell_cannot_hold_is_refused(fake_root):
    set_cell(fake_root, STATEMENTS, 2, "note", "x" * 32768)
    set_cell(fake_root, STATEMENTS, 3, "note", "a\uffffb")
    found = problems(fake_root, STATEMENTS)
    assert any(
        "line 2, column 'note': cell has 32,768 characters; an xlsx cell holds at most 32,767" in p
        for p in found
    )
    assert any(
        "line 3, column 'note': code point U+FFFF at character 2 is unassigned or a noncharacter" in p
        for p in found
    )


# --- 8. One line per refusal, for every file an analyst edits -----------------------------------


def test_yaml_alias_bomb_in_a_sidecar_is_refused_without_expanding(fake_root):
    (fake_root / SIDECAR).write_text(ALIAS_BOMB, encoding="utf-8")
    with pytest.raises(RawDataError) as info:
        validate_sidecar("xiangshan_conferences", fake_root)
    assert [str(p) for p in info.value.problems] == [
        "data/raw/xiangshan_conferences.meta.yaml, line 1, column 4: is not valid YAML: anchor &a is not "
        "allowed (no anchors or aliases); write the value out"
    ]


def test_alias_in_the_claims_ledger_is_refused(fake_root):
    edit(
        fake_root,
        paths.CLAIMS_FILE,
        lambda t: t.replace("    subject: pubs_2019_us\n", "    subject: pubs_2019_us\n    x: *s\n", 1),
    )
    with pytest.raises(ledger.ClaimsError) as info:
        ledger.load_claims(fake_root)
    [line] = str(info.value).splitlines()
    assert line.startswith("data/claims/claims.yaml, line ")
    assert line.endswith(
        ": is not valid YAML: alias *s is not allowed (no anchors or aliases); write the value out"
    )


def test_alias_in_the_config_is_refused(fake_root):
    edit(fake_root, paths.CONFIG, lambda t: t.replace("  dpi: 300\n", "  dpi: &d 300\n  x: *d\n"))
    assert preflight.invalid_inputs(fake_root) == [
        "config/config.yaml, line 3, column 8: is not valid YAML: anchor &d is not allowed (no anchors or "
        "aliases); write the value out"
    ]


# Each was a traceback (or, for a schema, silently skipped work) before issue 18.
BROKEN = {
    "sidecar with a YAML syntax error": (
        SIDECAR,
        lambda t: t + "title_en: [unclosed\n",
        "data/raw/xiangshan_conferences.meta.yaml, line 26, column 1: is not valid YAML: while parsing a "
        "flow sequence; did not find expected ',' or ']'",
    ),
    "sidecar with an unknown key": (
        SIDECAR,
        lambda t: t + "licnce: x\n",
        "data/raw/xiangshan_conferences.meta.yaml: key (top level): Additional properties are not allowed "
        "('licnce' was unexpected)",
    ),
    "schema that is not a mapping": (
        SCHEMA,
        lambda t: "- a\n",
        "workflow/schemas/raw/xiangshan_conferences.schema.yaml: must be a mapping with the key fields (a "
        "Table Schema), not a list",
    ),
    "schema with a YAML syntax error": (
        SCHEMA,
        lambda t: t + "fields: [unclosed\n",
        "workflow/schemas/raw/xiangshan_conferences.schema.yaml, line 17, column 1: is not valid YAML: "
        "while parsing a flow sequence; did not find expected ',' or ']'",
    ),
    "schema with an unknown field type": (
        SCHEMA,
        lambda t: t.replace("type: integer", "type: integr", 1),
        "workflow/schemas/raw/xiangshan_conferences.schema.yaml: key fields[no].type: 'integr' is not one "
        "of ['string', 'integer', 'number', 'date', 'boolean']",
    ),
    "schema with a broken pattern": (
        SCHEMA,
        lambda t: t.replace('pattern: "S?[0-9]+"', 'pattern: "S?[0-9+"'),
        "workflow/schemas/raw/xiangshan_conferences.schema.yaml: key fields[session].constraints.pattern: "
        "not a regular expression (unterminated character set at position 2)",
    ),
    "schema naming an unknown check": (
        SCHEMA,
        lambda t: t.replace("dates_ordered,", "dates_orderd,"),
        "workflow/schemas/raw/xiangshan_conferences.schema.yaml: key x-checks[0]: 'dates_orderd' is not "
        "one of ",
    ),
    "schema referring to an unknown dataset": (
        SCHEMA,
        lambda t: t + 'foreignKeys: [{fields: ["no"], reference: {resource: nothere, fields: [id]}}]\n',
        "workflow/schemas/raw/xiangshan_conferences.schema.yaml: key foreignKeys[0].reference.resource: "
        "nothere is not a raw dataset (no workflow/schemas/raw/nothere.schema.yaml)",
    ),
    "claims entry with a wrong type": (
        paths.CLAIMS_FILE,
        lambda t: t.replace("  compute: row_count\n", "  compute: 5\n", 1),
        "data/claims/claims.yaml: claim 1 (xiangshan_imaging_conferences) compute: 5 is not of type 'string'",
    ),
    "claims ledger that is not a mapping": (
        paths.CLAIMS_FILE,
        lambda t: "- a\n",
        "data/claims/claims.yaml: (top level): ['a'] is not of type 'object'",
    ),
    "figure naming an unknown dataset": (
        paths.FIGURES_FILE,
        lambda t: t.replace("[nsfc_major_projects]", "[nsfc_majors]", 1),
        "config/figures.yaml: figure 3 (fig_nsfc_major_projects) datasets/0: 'nsfc_majors' is not one of ",
    ),
    "config with an unknown key": (
        paths.CONFIG,
        lambda t: t + "colour: red\n",
        "config/config.yaml: key (top level): Additional properties are not allowed ('colour' was unexpected)",
    ),
    "config with a wrong type": (
        paths.CONFIG,
        lambda t: t.replace("  dpi: 300\n", "  dpi: high\n"),
        "config/config.yaml: key figures.dpi: 'high' is not of type 'integer'",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_yaml_file_is_one_line_naming_file_item_and_rule(fake_root, case):
    rel, func, expected = BROKEN[case]
    edit(fake_root, rel, func)
    [line] = preflight.invalid_inputs(fake_root)
    assert line.startswith(expected), line


def test_claim_arguments_its_function_cannot_take_are_one_line_each(fake_root):
    """Arguments are checked against the compute function's signature (the ledger's schema cannot
    know them): each was a TypeError or KeyError traceback from inside the claims job."""
    from biomedimg.outputs import claims

    edit(
        fake_root,
        paths.CLAIMS_FILE,
        lambda t: t.replace(
            "  compute: funding_sum_100m_cny\n  compare: more_than\n  args:\n    dataset: nsfc_instrument_projects\n",
            "  compute: funding_sum_100m_cny\n  compare: more_than\n  args:\n    dataset: nsfc_projects\n"
            '    start: "2015"\n',
            1,
        ),
    )
    with pytest.raises(ledger.ClaimsError) as info:
        claims.load_claims(fake_root)
    assert str(info.value).splitlines() == [
        "data/claims/claims.yaml: claim 7 (nsfc_instrument_funding) args/dataset: 'nsfc_projects' "
        f"is not a raw dataset ({', '.join(paths.raw_names())})",
        "data/claims/claims.yaml: claim 7 (nsfc_instrument_funding) args/start: '2015' is not of type int",
    ]


def test_the_real_inputs_are_valid():
    assert preflight.invalid_inputs(ROOT) == []


def test_cli_names_the_alias_in_one_line(fake_root, capsys):
    (fake_root / SIDECAR).write_text(ALIAS_BOMB, encoding="utf-8")
    assert main(["xiangshan_conferences"], root=fake_root) == 1
    assert capsys.readouterr().err.splitlines() == [
        "INVALID RAW DATA: data/raw/xiangshan_conferences.meta.yaml, line 1, column 4: is not valid YAML: "
        "anchor &a is not allowed (no anchors or aliases); write the value out"
    ]


# --- The same refusals from `make` in a built copy: one line, no traceback, no output changed --------

MAKE_CASES = {
    "kangxi radical (it flipped claim cast_societies)": (
        paths.raw_csv(CAST),
        lambda t: t.replace("3,science,理科,中国生物物理学会", "3,science,理科,中国\u2f63物物理学会", 1),
        "INVALID RAW DATA: data/raw/cast_subcommittees.csv, line 4, column 'society_zh': look-alike character "
        "U+2F63 KANGXI RADICAL LIFE \u2f63 at character 3, looks like U+751F 生; type 生",
    ),
    "alias bomb in a sidecar": (
        SIDECAR,
        lambda t: ALIAS_BOMB,
        "INVALID INPUT: data/raw/xiangshan_conferences.meta.yaml, line 1, column 4: is not valid YAML: "
        "anchor &a is not allowed (no anchors or aliases); write the value out",
    ),
    "schema that is not a mapping (was skipped silently)": (
        SCHEMA,
        lambda t: "- a\n",
        "INVALID INPUT: workflow/schemas/raw/xiangshan_conferences.schema.yaml: must be a mapping with the "
        "key fields (a Table Schema), not a list",
    ),
    "claims entry with a wrong type (was a traceback)": (
        paths.CLAIMS_FILE,
        lambda t: t.replace("  compute: row_count\n", "  compute: 5\n", 1),
        "INVALID INPUT: data/claims/claims.yaml: claim 1 (xiangshan_imaging_conferences) compute: 5 is not "
        "of type 'string'",
    ),
}


@pytest.mark.parametrize("case", MAKE_CASES, ids=list(MAKE_CASES))
def test_make_refuses_in_one_line_and_changes_no_output(built_copy, case):
    rel, func, expected = MAKE_CASES[case]
    before = output_hashes(built_copy)
    edit(built_copy, rel, func)
    result = run(["make"], built_copy, check=False)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert expected in out.splitlines() or any(line.startswith(expected) for line in out.splitlines()), out
    assert "Traceback" not in out
    assert output_hashes(built_copy) == before


def test_claim_arguments_naming_unknown_statements_are_one_line_each(fake_root):
    """A statement id that prose_statements.csv does not hold was a KeyError traceback in the claims job."""
    from biomedimg.outputs import claims

    edit(
        fake_root,
        paths.CLAIMS_FILE,
        lambda t: t.replace(
            "    numerator: pubs_2019_china\n", "    numerator: pubs_2019_chnia\n", 1
        ).replace(
            "    subject: pubs_2019_us\n    among:\n    - pubs_2019_us\n",
            "    subject: pubs_2019_us\n    among:\n    - pubs_2019_usa\n",
            1,
        ),
    )
    with pytest.raises(ledger.ClaimsError) as info:
        claims.load_claims(fake_root)
    lines = str(info.value).splitlines()
    assert [re.sub(r"claim \d+ ", "claim N ", line) for line in lines] == [
        "data/claims/claims.yaml: claim N (pubs_2019_china_vs_us) args/numerator: 'pubs_2019_chnia' is not a statement of "
        "data/raw/prose_statements.csv",
        "data/claims/claims.yaml: claim N (pubs_2019_us_rank) args/among: 'pubs_2019_usa' is not a statement of "
        "data/raw/prose_statements.csv",
    ], lines
