"""The PDF edition (rule pdf, biomedimg.site.pdf): the pages' MyST read into blocks, data shown as text
(never as Typst markup), fonts embedded and only from the font given, both PDFs holding the figures,
Tables 1–4 and the ledger, byte-identical across builds, and linked from every page of the site."""

from __future__ import annotations

import html.parser
import io
import json
import re
from pathlib import Path

import pypdf
import pytest
from biomedimg import paths
from biomedimg.catalog import TABLES
from biomedimg.outputs import tables
from biomedimg.site import build, pdf

FONT = pdf.font_file("noto_cjk_sans_otc", "NotoSansCJK-Regular.ttc")
HOSTILE = "#let x = 1 *bold* _em_ $x^2$ ] [ <lbl> @cite \\ // ` = heading"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def fonts_of(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use, and whether its program is embedded."""
    found = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            found[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return found


# ------------------------------------------------------------------------------ MyST to blocks


def test_pages_myst_becomes_blocks():
    page = """
# 1 Title with `code`

:::{admonition} Summary
:class: summary

Line one with **43** and *emphasis*,
continued; see the {doc}`claims ledger <claims>` and <a class="reference internal" href="x.html#table1_xiangshan_conferences">Table 1</a>.

```bash
make   # a comment
```
:::

- {doc}`significance` — first
  continued item
- second

1. one
2. two

```{raw} html
:file: _fragments/figure-fig1_nobel_timeline.html
```
"""
    found = pdf.blocks(page.splitlines())
    assert [b["t"] for b in found] == ["heading", "box", "list", "list", "fragment"]
    assert found[0]["inl"] == [{"s": "1 Title with "}, {"s": "code", "c": True}]
    box = found[1]
    assert [b["t"] for b in box["blocks"]] == ["par", "code"]
    assert box["blocks"][1]["text"] == "make   # a comment"
    runs = box["blocks"][0]["inl"]
    assert {"s": "43", "b": True} in runs and {"s": "emphasis", "i": True} in runs
    assert {"s": "claims ledger", "doc": "claims"} in runs
    assert {"s": "Table 1", "link": "table1_xiangshan_conferences"} in runs
    assert "".join(r["s"] for r in runs).startswith("Line one with 43 and emphasis, continued; see")
    assert found[2]["ordered"] is False and len(found[2]["items"]) == 2
    assert found[2]["items"][0][-1]["s"] == " — first continued item"
    assert found[3]["ordered"] is True
    assert found[4] == {"t": "fragment", "key": "figure-fig1_nobel_timeline"}


def test_chinese_lines_join_without_a_space():
    assert pdf.join_lines(["数据给出", "等于25", "as stated"]) == "数据给出等于25 as stated"


def test_an_unknown_raw_block_stops_the_build():
    with pytest.raises(ValueError, match="cannot place"):
        pdf.blocks(["```{raw} html", "<b>inline html</b>", "```"])


def test_narrow_columns_keep_their_width_and_long_ones_share_the_rest():
    widths = pdf.column_widths(["年度", "Title"], [["2011", "a long title " * 10], ["2012", "short"]])
    assert "em" in widths[0] and widths[1] == {"fr": 50}


# ------------------------------------------------------------------------------ data is text


def test_cells_titles_and_text_are_shown_as_written_never_as_markup():
    doc = {
        "lang": "en",
        "title": HOSTILE,
        "build": HOSTILE,
        "contents": "Contents",
        "chapters": [
            {
                "page": "p",
                "blocks": [
                    {"t": "heading", "level": 1, "inl": [{"s": HOSTILE}], "label": "p"},
                    {
                        "t": "par",
                        "inl": [{"s": HOSTILE}, {"s": HOSTILE, "b": True}, {"s": HOSTILE, "c": True}],
                    },
                    {
                        "t": "table",
                        "name": "t",
                        "label": "Table 9",
                        "caption": HOSTILE,
                        "headers": [HOSTILE, "中文"],
                        "rows": [[HOSTILE, "数据给出25"]],
                        "widths": [{"fr": 1}, {"em": 5}],
                        "footnote": HOSTILE,
                    },
                    {
                        "t": "ledger",
                        "headers": ["Id", "Stated", "Computed", "Status"],
                        "rows": [[HOSTILE] * 4],
                    },
                    {"t": "code", "text": HOSTILE},
                ],
            }
        ],
    }
    text = re.sub(r"\s+", " ", text_of(pdf.typeset(doc, {}, FONT)))
    # Every place shows the whole string (nothing swallowed as code, emphasis, math, label or reference).
    assert text.count(re.sub(r"\s+", " ", HOSTILE)) >= 10
    assert "数据给出25" in text.replace(" ", "")


def test_fonts_come_embedded_and_only_from_the_font_given():
    doc = {
        "lang": "zh",
        "title": "标题",
        "build": "提交",
        "contents": "目录",
        "chapters": [{"page": "p", "blocks": [{"t": "par", "inl": [{"s": "中文 and Latin"}]}]}],
    }
    fonts = fonts_of(pdf.typeset(doc, {}, FONT))
    assert fonts and all(fonts.values()), fonts
    # The CJK font given and Typst's built-in ones; a system font would show up by another name.
    assert {re.sub(r"^/[A-Z]{6}\+", "", f).split("-")[0] for f in fonts} <= {
        "NotoSansCJKsc",
        "LibertinusSerif",
        "DejaVuSansMono",
    }


# ------------------------------------------------------------------------------ the built PDFs


def pdf_text(root: Path, lang: str) -> str:
    return text_of((root / paths.book_pdf(lang)).read_bytes())


@pytest.mark.parametrize("lang", paths.LANGS)
def test_each_pdf_embeds_its_fonts(built, lang):
    fonts = fonts_of((built / paths.book_pdf(lang)).read_bytes())
    assert any("NotoSansCJK" in f for f in fonts)
    assert all(fonts.values()), [f for f, embedded in fonts.items() if not embedded]


@pytest.mark.parametrize("lang", paths.LANGS)
def test_each_pdf_has_figure1_tables_the_ledger_and_how_to_cite(built, lang):
    text = pdf_text(built, lang)
    flat = re.sub(r"\s+", "", text)
    assert ("图1:" if lang == "zh" else "Figure1:") in flat
    claims = json.loads((built / paths.CLAIMS_JSON).read_text(encoding="utf-8"))["claims"]
    from biomedimg.data import rawdata

    for number, (name, spec) in enumerate(sorted(TABLES.items(), key=lambda kv: kv[1].number), start=1):
        assert spec.number == number
        assert re.sub(r"\s+", "", (f"表{number}." if lang == "zh" else f"Table {number}.")) in flat
        frame = tables.full_table_data(spec, {d: rawdata.load(d, built) for d in spec.datasets})
        headers, rows = tables.edition(spec, frame, lang)
        # A cell of the first and of the last row, in this edition's language.
        for cell in (rows[0][-1], rows[-1][1]):
            assert re.sub(r"\s+", "", cell) in flat, (name, cell)
    missing = [c["id"] for c in claims if c["id"] not in flat]
    assert not missing, missing
    assert "CITATION.cff" in flat and "@misc{biomedimg_companion" in flat and "MIT" in flat


def test_the_pdfs_are_byte_identical_across_builds(built, tmp_path):
    """A second build, here, gives the bytes of the workflow's."""
    again = {lang: str(tmp_path / f"{lang}.pdf") for lang in paths.LANGS}
    pdf.build(again, FONT, built)
    for lang in paths.LANGS:
        assert Path(again[lang]).read_bytes() == (built / paths.book_pdf(lang)).read_bytes()


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.pdf: list[tuple[str, str]] = []
        self.printing = False
        self.sources = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "pdf-download" in (attrs.get("class") or ""):
            self._in = [attrs["href"], ""]
        if "window.print" in (attrs.get("onclick") or ""):
            self.printing = True
        if tag == "a" and (attrs.get("href") or "").startswith("_sources/"):
            self.sources.append(attrs["href"])

    def handle_data(self, data):
        if self._in is not None:
            self._in[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._in is not None:
            self.pdf.append((self._in[0], self._in[1].strip()))
            self._in = None


@pytest.mark.parametrize("lang", paths.LANGS)
def test_every_page_links_its_editions_pdf(built, lang):
    edition = built / paths.BOOK_HTML / lang
    published = edition / paths.book_pdf(lang).name
    assert published.read_bytes() == (built / paths.book_pdf(lang)).read_bytes()
    label = "下载PDF" if lang == "zh" else "Download PDF"
    pages = build.pages(edition)
    assert len(pages) >= 10
    for page in pages:
        links = _Links()
        links.feed((edition / page).read_text(encoding="utf-8"))
        assert len(links.pdf) == 1, page
        href, text = links.pdf[0]
        assert text == label
        assert (edition / page).parent.joinpath(href).resolve() == published.resolve(), (page, href)
        assert not links.printing and not links.sources, page  # the theme's ".pdf" print and ".md" source
