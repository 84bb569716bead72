"""Chinese typography and one language per edition.

The project's own Chinese (notes, descriptions, the interface) uses full-width ，；：。（） and quotation
marks that open and close (“…”); the review's sentences stay exactly as printed (ASCII ", " and all,
tests/test_data_fidelity.py). The English edition says amounts in English (¥700 million, not 7 亿),
and each edition's interface speaks its own language.
"""

from __future__ import annotations

import csv
import html.parser
import json
import re
from pathlib import Path

import pytest
import yaml
from biomedimg import catalog, paths, vocab
from biomedimg.outputs.claims import EVIDENCE_REASONS, REASONS, WORDS
from biomedimg.site import components
from biomedimg.site.render import UI
from conftest import ROOT, review_text
from typography import zh_punctuation

HAN = "\u4e00-\u9fff"
# ASCII , ; : right after a Chinese character (the review's style, not the companion's).
ASCII_AFTER_HAN = re.compile(f"[{HAN}][,;:]")
SITE = ROOT / paths.BOOK_HTML


@pytest.fixture(scope="module")
def seed() -> str:
    return review_text()


# --------------------------------------------------------------------------- the rule itself


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("综述没有列出, 因此一致并不能证明什么.", "综述没有列出，因此一致并不能证明什么。"),
        ("未检索: 见表3 (脚注a); 其余从略.", "未检索：见表3（脚注a）；其余从略。"),
        ('标为"来源给出"的值', "标为“来源给出”的值"),
        ("标为”来源给出”的值", "标为“来源给出”的值"),  # a closing mark used to open
        # Numbers, file names, ids and URLs keep their ASCII marks.
        (
            "合计1.58亿, 见 claims.yaml 和 http://a.org/x?id=1.",
            "合计1.58亿，见 claims.yaml 和 http://a.org/x?id=1。",
        ),
        ("约1,000篇 (FY2019 一栏)", "约1,000篇（FY2019 一栏）"),
        ("按 a, b 排序", "按 a, b 排序"),  # two ASCII words: no Chinese touches the comma
        ("English only, untouched.", "English only, untouched."),
    ],
)
def test_zh_punctuation(text, expected):
    assert zh_punctuation(text) == expected
    assert zh_punctuation(expected) == expected  # already right: nothing changes


# --------------------------------------------------------------------------- the sources


def _project_chinese(seed: str) -> dict[str, str]:
    """Every Chinese text the project writes, by where it is written (the review's own words, which
    some captions and headers reproduce as printed, are left out: they are the review's typography)."""
    texts: dict[str, str] = {}
    claims = yaml.safe_load((ROOT / paths.CLAIMS_FILE).read_text(encoding="utf-8"))["claims"]
    for c in claims:
        for key in ("note_zh", "construction_zh"):
            if c.get(key):
                texts[f"claims.yaml {c['id']} {key}"] = c[key]
    for name, key in (
        ("prose_statements", "note_zh"),
        ("nobel_imaging_prizes", "rationale_zh"),
        *(("external_evidence", f"{column}_zh") for column in ("unit", "period", "implied_how")),
    ):
        with open(ROOT / paths.raw_csv(name), encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                if row[key]:
                    texts[f"{name}.csv row {i + 2} {key}"] = row[key]
    for meta in sorted((ROOT / "data" / "raw").glob("*.meta.yaml")):
        doc = yaml.safe_load(meta.read_text(encoding="utf-8"))
        for key in ("title_zh", "description_zh", "licence_zh"):
            texts[f"{meta.name} {key}"] = doc[key]
    for schema in sorted((ROOT / "workflow" / "schemas" / "raw").glob("*.yaml")):
        for f in yaml.safe_load(schema.read_text(encoding="utf-8"))["fields"]:
            texts[f"{schema.name} {f['name']}"] = f["description_zh"]
    for name, pair in {**REASONS, **{f"evidence {k}": v for k, v in EVIDENCE_REASONS.items()}}.items():
        texts[f"claims.REASONS {name}"] = pair[0]
    for name, pair in WORDS.items():
        texts[f"claims.WORDS {name}"] = pair[0]
    for table in (vocab.STATUSES, vocab.NOT_A_CLAIM_REASONS, vocab.EVIDENCE_DIFFERS, components.TEXT):
        for name, pair in table.items():
            texts[f"{name}"] = pair[0]
    for name, value in UI["zh"].items():
        parts = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else (value,)
        for i, v in enumerate(parts):
            texts[f"book.UI {name} {i}"] = v
    for spec in (*catalog.FIGURES.values(), *catalog.TABLES.values()):
        texts[f"catalog {spec.name}"] = spec.caption_zh
    editions = yaml.safe_load((ROOT / "book" / "_editions.yml").read_text(encoding="utf-8"))
    texts.update({f"_editions.yml {k}": v for k, v in editions["zh"].items() if isinstance(v, str)})
    return {k: v for k, v in texts.items() if re.search(f"[{HAN}]", v) and v not in seed}


def test_the_projects_chinese_has_chinese_punctuation(seed):
    texts = _project_chinese(seed)
    assert len(texts) > 300  # the notes, descriptions and interface words were all read
    wrong = {where: text for where, text in texts.items() if zh_punctuation(text) != text}
    assert wrong == {}


def test_generated_reasons_and_notes_have_chinese_punctuation(seed):
    results = json.loads((ROOT / "results" / "claims.json").read_text(encoding="utf-8"))["claims"]
    wrong = {
        r["id"]: r[key]
        for r in results
        for key in ("reason_zh", "note_zh")
        if r[key] and zh_punctuation(r[key]) != r[key]
    }
    assert wrong == {}
    # Sentences follow each other without a space after 。 (the English joins its with one).
    assert not [r["id"] for r in results if "。 " in r["note_zh"]]


# --------------------------------------------------------------------------- the built pages


class Text(html.parser.HTMLParser):
    """The text of a page a reader sees, without the review's quotes (<q>, <blockquote>, the
    ledger's quote column) and without scripts and styles; each text node apart."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    # The review's quotes in the ledger, and a source's quote, name and title as the source prints them.
    QUOTE_CLASSES = {"col-quote", "evidence-quote", "evidence-link"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool, str]] = []  # (tag, skipped, lang)
        self.nodes: list[tuple[str, str]] = []  # (text, lang)

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        parent_skip, parent_lang = (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, "")
        skip = (
            parent_skip
            or tag in ("q", "blockquote", "script", "style", "pre", "code")
            or bool(self.QUOTE_CLASSES & set((a.get("class") or "").split()))
        )
        self.stack.append((tag, skip, a.get("lang") or parent_lang))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and not self.stack[-1][1]:
            self.nodes.append((data, self.stack[-1][2]))


def page_nodes(page: Path) -> list[tuple[str, str]]:
    parser = Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.nodes


def typography_problems(nodes: list[tuple[str, str]], seed: str) -> list[str]:
    """ASCII , ; : after a Chinese character, and quotation marks that do not open before they close,
    in the project's Chinese text (a text node the review prints verbatim, e.g. a cell of its tables,
    keeps the review's typography)."""
    found = []
    depth = 0
    for text, lang in nodes:
        if lang.startswith("en"):
            continue
        own = text.strip() not in seed or len(text.strip()) < 2
        if own and (m := ASCII_AFTER_HAN.search(text)):
            found.append(f"ASCII mark after Chinese: …{text[max(0, m.start() - 20) : m.end() + 20]}…")
        for m in re.finditer("[\u201c\u201d]", text):
            if m.group() == "\u201c":
                depth += 1
            elif depth == 0:
                found.append(f"closing ” used to open: …{text[max(0, m.start() - 20) : m.end() + 20]}…")
            else:
                depth -= 1
    return found


def test_chinese_pages_use_chinese_punctuation(built, seed):
    pages = sorted((SITE / "zh").glob("*.html"))
    assert len(pages) >= 10
    found = {p.name: typography_problems(page_nodes(p), seed) for p in pages}
    assert {name: f for name, f in found.items() if f} == {}


def test_the_typography_check_finds_what_it_is_for(seed):
    assert typography_problems([("综述没有列出, 因此", "zh-CN")], seed)
    assert typography_problems([("标为”来源给出”的值", "zh-CN")], seed)
    assert not typography_problems([("标为“来源给出”的值，", "zh-CN")], seed)
    # The review's printed words keep theirs; English text is not Chinese text.
    printed = "放射医学及相关学科: 现状与对策"
    assert printed in seed and not typography_problems([(printed, "zh-CN")], seed)
    assert not typography_problems([("see 表3, then", "en")], seed)
    # Quotes and the ledger's quote column are the review's: left out of the text.
    parser = Text()
    parser.feed('<p>正文：<q lang="zh">原句, 照印</q><td class="col-quote">原句, 照印</td></p>')
    assert parser.nodes == [("正文：", "")]


# --------------------------------------------------------------------------- one language per edition


def test_the_chinese_ledger_says_its_stated_values_in_chinese(built):
    page = (SITE / "zh" / "claims.html").read_text(encoding="utf-8")
    table = page.split('id="other-statements"', 1)[1].split("<!-- /other-statements -->", 1)[0]
    rows = re.findall(r"<tr id=.*?</tr>", table, re.S)
    claimed = {
        c["statement"] for c in json.loads((ROOT / paths.CLAIMS_JSON).read_text(encoding="utf-8"))["claims"]
    }
    with (ROOT / paths.raw_csv("prose_statements")).open(encoding="utf-8", newline="") as f:
        unclaimed = [r["id"] for r in csv.DictReader(f) if r["id"] not in claimed]
    assert sorted(re.findall(r'<tr id="([^"]+)"', table)) == sorted(unclaimed) and unclaimed
    # No qualifier code (exact, year) and no English unit or quantity in the Chinese columns.
    english = re.compile(r"\b(exact|year|years|about|more_than|range|count|founded|since)\b")
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        stated, quantity = cells[3], cells[4]
        assert not english.search(stated) and re.search(f"[{HAN}]|^[0-9.–]+$", stated), stated
        assert re.search(f"[{HAN}]", quantity) and 'lang="en"' not in row.split("</td>")[4], quantity
    assert re.search(r"<td>[0-9]{4}年</td>", table)  # a year, as Chinese prints it


def test_the_chinese_about_page_names_licences_in_chinese(built):
    page = (SITE / "zh" / "about.html").read_text(encoding="utf-8")
    table = page.split('class="sources"', 1)[1].split("</table>", 1)[0]
    licences = [
        re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[0]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    ]
    assert len(licences) >= 10 and all(re.search(f"[{HAN}]", t) for t in licences), licences
    assert '<td lang="en">' not in table
    en = (SITE / "en" / "about.html").read_text(encoding="utf-8").split('class="sources"', 1)[1]
    assert "CC-BY-4.0 for this transcription" in en


def test_the_chinese_prose_names_statuses_as_the_badges_do(built):
    for name in ("claims.html", "significance.html", "swot.html"):
        nodes = " ".join(t for t, _ in page_nodes(SITE / "zh" / name))
        assert not re.search(r"\b(by_construction|not_derivable|self_consistent|inconclusive)\b", nodes), name
    swot = " ".join(t for t, _ in page_nodes(SITE / "zh" / "swot.html"))
    assert f"“{vocab.STATUSES['not_derivable'][0]}”" in swot


def test_each_edition_filters_in_its_own_language():
    script = (ROOT / "book" / "_static" / "tables.js").read_text(encoding="utf-8")
    assert "筛选 / Filter" not in script and "排序 / Sort" not in script
    assert '? "筛选" : "Filter"' in script


# English amounts: a Chinese multiplier may follow a number only where the review's printed words are
# quoted, i.e. in brackets or quotation marks after the English, or after "Printed".
CHINESE_AMOUNT = re.compile(r"[0-9][0-9.,]*\s*[万亿]")


def english_amount_problems(note: str) -> list[str]:
    found = []
    for m in CHINESE_AMOUNT.finditer(note):
        before = note[: m.start()]
        quoted = before.count("(") > before.count(")") or before.count("“") > before.count("”")
        printed = re.search(
            r"(Printed|prints|printed as|as printed|says|search(ed)? [^.]*for)\s*[^\s]*$", before
        )
        if not quoted and not printed:
            found.append(note[max(0, m.start() - 30) : m.end() + 10])
    return found


def test_english_notes_say_amounts_in_english():
    claims = yaml.safe_load((ROOT / paths.CLAIMS_FILE).read_text(encoding="utf-8"))["claims"]
    notes = {c["id"]: c.get("note") or c.get("construction") or "" for c in claims}
    with open(ROOT / paths.raw_csv("prose_statements"), encoding="utf-8", newline="") as fh:
        notes.update({f"statement {r['id']}": r["note"] for r in csv.DictReader(fh)})
    found = {k: p for k, v in notes.items() if (p := english_amount_problems(v))}
    assert found == {}
    assert english_amount_problems("so the sum already exceeds 7亿.")
    assert not english_amount_problems("exceeds ¥700 million (7亿 as the review writes it).")
    # The units of the English figures and tables are English: no "100M CNY" calque left.
    assert "100M CNY" not in json.dumps([s.caption_en for s in catalog.FIGURES.values()])


def test_every_unit_of_the_statements_is_said_in_each_language():
    """A stated value shows no unit code (papers/year, 10k m2) in either edition."""
    with open(ROOT / paths.raw_csv("prose_statements"), encoding="utf-8", newline="") as fh:
        units = {r["unit"] for r in csv.DictReader(fh)} - {"rank"}
    assert units <= set(components.UNITS), units - set(components.UNITS)
    for unit in units:
        zh, en = (components.amount(2, unit, lang) for lang in ("zh", "en"))
        assert unit not in zh and (re.search(f"[{HAN}]", zh) or re.fullmatch(r"[0-9.%]+", zh)), unit
        assert not re.search(f"[{HAN}]", en), unit


def test_the_chinese_data_page_names_field_types_in_chinese(built):
    page = (SITE / "zh" / "data.html").read_text(encoding="utf-8")
    types = re.findall(r"</code></td> <td>([^<]*)</td>", page)
    assert len(types) > 100 and set(types) <= {"文本", "整数", "数值", "布尔值", "日期"}, set(types)
    en = (SITE / "en" / "data.html").read_text(encoding="utf-8")
    assert "</code></td> <td>integer</td>" in en
