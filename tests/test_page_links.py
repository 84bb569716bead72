"""Where a reader is and what a page says about itself: the language switch keeps the #anchor and the
?query; the theme follows the system's colour scheme until the reader chooses; provenance cards are
collapsed (open in print); every page carries the companion's citation and Open Graph metadata; each
figure and table says how to cite it; a figure's values come as .xlsx beside their CSV."""

from __future__ import annotations

import csv
import html
import html.parser
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from biomedimg import paths
from biomedimg.catalog import FIGURES
from biomedimg.outputs.provenance import commit_date
from biomedimg.site import build, components
from conftest import serve

CFF_HOSTILE = '<script>alert(1)</script> "quoted" & <b>bold</b>'


def site_of(root: Path) -> Path:
    return root / paths.BOOK_HTML


class Head(html.parser.HTMLParser):
    """The <meta> tags (name or property -> list of contents) and the <title> of a page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("name") or attrs.get("property")):
            self.meta.setdefault(attrs.get("name") or attrs["property"], []).append(
                attrs.get("content") or ""
            )
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def one_line(text: str) -> str:
    return " ".join(str(text).split())


# ------------------------------------------------------------------------------ page metadata


def test_page_meta_escapes_what_citation_cff_holds():
    citation = {"title": CFF_HOSTILE, "authors": [{"name": CFF_HOSTILE}], "version": '1"2'}
    out = components.page_meta(
        "zh", citation=citation, date="2026-01-02", site_name=CFF_HOSTILE, description=CFF_HOSTILE
    )
    assert "<script>" not in out and "<b>" not in out
    head = Head(out)
    assert head.meta["citation_title"] == [one_line(CFF_HOSTILE)]
    assert head.meta["citation_author"] == [one_line(CFF_HOSTILE)]
    assert head.meta["og:description"] == [one_line(CFF_HOSTILE)]
    assert head.meta["citation_version"] == ['1"2']
    assert head.meta["og:locale"] == ["zh_CN"] and head.meta["og:locale:alternate"] == ["en_US"]
    assert head.meta["citation_publication_date"] == ["2026-01-02"]


def test_every_page_of_both_editions_carries_the_companions_metadata(built):
    citation = components.load_citation(built)
    editions = booksite_editions(built)
    prov = json.loads((built / paths.PROVENANCE).read_text(encoding="utf-8"))
    date = commit_date(prov["commit"], built)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
    locales = {"zh": "zh_CN", "en": "en_US"}
    seen = 0
    for lang in paths.LANGS:
        edition = site_of(built) / lang
        for page in build.pages(edition):
            raw = (edition / page).read_text(encoding="utf-8")
            # Every attribute of every <meta> tag is escaped: no raw <, > or & inside a tag.
            for tag in re.findall(r"<meta\b[^>]*>", raw):
                for value in re.findall(r'="([^"]*)"', tag):
                    assert "<" not in value and ">" not in value, (page, tag)
                    assert not re.search(r"&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)", value), (page, tag)
            head = Head(raw)
            where = f"{lang}/{page}"
            assert head.meta.get("citation_title") == [one_line(citation["title"])], where
            assert head.meta.get("citation_author") == [a["name"] for a in citation["authors"]], where
            assert head.meta.get("citation_publication_date") == [date], where
            assert head.meta.get("citation_language") == [lang], where
            assert head.meta.get("og:type") == ["website"], where
            assert head.meta.get("og:locale") == [locales[lang]], where
            assert head.meta.get("og:site_name") == [editions[lang]["title"]], where
            assert head.meta.get("og:description") == [one_line(editions[lang]["description"])], where
            (og_title,) = head.meta.get("og:title", [""])
            assert og_title and head.title.startswith(og_title), (where, og_title, head.title)
            # Nothing of the review's own record (journal, DOI) is claimed for the companion.
            assert not {"citation_journal_title", "citation_doi"} & set(head.meta), where
            seen += 1
    assert seen >= 2 * 9


def booksite_editions(root: Path) -> dict:
    from biomedimg.site import render

    return render.editions_config(root)


# ------------------------------------------------------------------------------ cite this


def test_each_figure_and_table_says_how_to_cite_it_in_both_editions(built):
    citation = components.load_citation(built)
    editions = booksite_editions(built)
    for lang in paths.LANGS:
        edition = site_of(built) / lang
        cited = {}
        for page in build.pages(edition):
            raw = (edition / page).read_text(encoding="utf-8")
            for name, body in re.findall(r'<p class="cite-this" data-cite="(\w+)">(.*?)</p>', raw, re.S):
                text = html.unescape(re.sub(r"<[^>]+>", "", body))
                href = html.unescape(re.search(r'class="cite-url" href="([^"]+)"', body)[1])
                assert href == f"{page}#{name}", (lang, page, href)
                assert f'id="{name}"' in raw, "the address points at the figure or table on this page"
                assert editions[lang]["title"] in text and str(citation["version"]) in text, text
                assert ("引用本" in text) == (lang == "zh") and ("Cite this" in text) == (lang == "en")
                cited[name] = text
        elements = {name for kind, name in booksite_elements(edition) if kind in ("figure", "table")}
        assert elements and set(cited) == elements, (lang, elements ^ set(cited))


def booksite_elements(edition: Path) -> set[tuple[str, str]]:
    found = set()
    for page in build.pages(edition):
        found |= build.parse(edition / page).elements
    return found


# ------------------------------------------------------------------------ provenance cards


def test_provenance_card_is_a_closed_details_with_the_output_and_its_hash_in_the_summary():
    download = components.Download("SVG", "figures/x.zh.svg", "results/figures/x.zh.svg", "ab" * 32)
    out = components.provenance_card(
        {"rule": "figure", "script": "s.py", "inputs": [], "commit": "c" * 40},
        [download],
        "zh",
        rebuild="make x",
    )
    assert out.startswith('<details class="provenance-card"') and out.endswith("</details>")
    assert " open" not in out.split(">", 1)[0]
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", out, re.S)[1]
    text = re.sub(r"<[^>]+>", "", summary)
    assert "x.zh.svg" in text and "sha256" in text and "ab" * 6 in text and "ab" * 7 not in text
    assert "make x" not in summary and "make x" in out.split("</summary>", 1)[1]


def test_every_card_on_the_site_is_collapsed_and_names_its_output(built):
    for lang in paths.LANGS:
        raw = (site_of(built) / lang / "status_investment.html").read_text(encoding="utf-8")
        cards = re.findall(r'<details class="provenance-card"[^>]*>(.*?)</details>', raw, re.S)
        assert len(cards) >= 10
        for card in cards:
            summary, body = card.split("</summary>", 1)
            short = re.search(r'<code class="hash-short">([0-9a-f]{12})</code>', summary)[1]
            output = html.unescape(re.search(r'<code class="provenance-output">([^<]+)</code>', summary)[1])
            # The summary's hash is the first download's (the output the card is about).
            first = re.search(
                r'<li><a href="([^"]+)">.*?<code class="hash">([0-9a-f]{64})</code>', body, re.S
            )
            assert first[1].endswith(output) and first[2].startswith(short)
            assert 'class="rebuild-command"' in body
        assert '<details class="provenance-card" lang="' in raw and 'provenance-card" open' not in raw


# ------------------------------------------------------------------------------ values as .xlsx


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_values_come_as_xlsx_with_the_csvs_cells_and_are_linked(built, name):
    for lang in paths.LANGS:
        data = (built / paths.figure_values(name, lang)).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), "the CSV stays plain UTF-8 (its bytes are a contract)"
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        book = openpyxl.load_workbook(built / paths.figure_values_xlsx(name, lang), read_only=True)
        sheet = book.worksheets[0]
        cells = [
            ["" if v is None else _as_written(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        assert cells == rows, (name, lang)
        site = site_of(built) / lang
        href = str(paths.figure_values_xlsx(name, lang).relative_to(paths.RESULTS))
        pages = [p for p in build.pages(site) if f'href="{href}"' in (site / p).read_text(encoding="utf-8")]
        assert pages, f"no page of the {lang} edition links {href}"
        assert (site / href).read_bytes() == (built / paths.figure_values_xlsx(name, lang)).read_bytes()


def _as_written(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------------------- in the browser


@pytest.fixture(scope="module")
def site(built):
    server, base = serve(site_of(built))
    yield base
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "other"), [("zh", "en"), ("en", "zh")])
def test_the_language_switch_keeps_the_anchor_and_the_query(site, browser, lang, other):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + f"{lang}/claims.html#nsfc_instrument_count", wait_until="networkidle")
    switch = page.locator("a.lang-switch")
    page.wait_for_function(
        "document.querySelector('a.lang-switch').getAttribute('href').endsWith('#nsfc_instrument_count')"
    )
    assert switch.get_attribute("href") == f"../{other}/claims.html#nsfc_instrument_count"
    # A hash change on the page (an in-page link) moves the switch's target along.
    page.evaluate("location.hash = '#claims-ledger'")
    page.wait_for_function(
        "document.querySelector('a.lang-switch').getAttribute('href').endsWith('#claims-ledger')"
    )
    page.evaluate("location.hash = '#nsfc_instrument_count'")
    page.wait_for_function(
        "document.querySelector('a.lang-switch').getAttribute('href').endsWith('#nsfc_instrument_count')"
    )
    switch.click()
    page.wait_for_url(f"**/{other}/claims.html#nsfc_instrument_count")
    assert page.locator("tr[id='nsfc_instrument_count']").count() == 1
    # Search terms go along too.
    query = "香山" if lang == "zh" else "Xiangshan"
    page.goto(site + f"{lang}/search.html?q={query}", wait_until="networkidle")
    switch.click()
    page.wait_for_url(f"**/{other}/search.html?q=*")
    assert page.evaluate("new URLSearchParams(location.search).get('q')") == query
    context.close()
    # Without JavaScript the plain link still opens the same page.
    plain = browser.new_context(java_script_enabled=False)
    page = plain.new_page()
    page.goto(site + f"{lang}/claims.html#nsfc_instrument_count")
    assert page.locator("a.lang-switch").get_attribute("href") == f"../{other}/claims.html"
    plain.close()


BACKGROUND_JS = """
() => {
  const c = getComputedStyle(document.body).backgroundColor.match(/\\d+(\\.\\d+)?/g).map(Number);
  return (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255;
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", paths.LANGS)
def test_the_theme_follows_the_system_until_the_reader_chooses(site, browser, lang):
    url = site + f"{lang}/index.html"
    for scheme in ("dark", "light"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        assert page.evaluate("localStorage.getItem('mode')") in (None, "auto")
        page.wait_for_function(f"document.documentElement.dataset.theme === '{scheme}'")
        brightness = page.evaluate(BACKGROUND_JS)
        assert (brightness < 0.25) if scheme == "dark" else (brightness > 0.75), (scheme, brightness)
        context.close()
    # A reader on a dark system who chose light with the theme's toggle gets light, on every page.
    context = browser.new_context(color_scheme="dark")
    context.add_init_script("localStorage.setItem('mode', 'light'); localStorage.setItem('theme', 'light');")
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("document.documentElement.dataset.theme === 'light'")
    assert page.evaluate(BACKGROUND_JS) > 0.75
    context.close()
    # The toggle itself: from "auto" on a dark system, a click stores a choice the next page keeps.
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    button = page.locator(".theme-switch-button").first
    for _ in range(3):
        button.click()
        if page.evaluate("localStorage.getItem('mode')") == "light":
            break
    assert page.evaluate("localStorage.getItem('mode')") == "light"
    page.goto(site + f"{lang}/claims.html", wait_until="networkidle")
    page.wait_for_function("document.documentElement.dataset.theme === 'light'")
    assert page.evaluate(BACKGROUND_JS) > 0.75
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", paths.LANGS)
def test_cards_open_by_keyboard_and_print_open(site, browser, lang):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(site + f"{lang}/status_investment.html", wait_until="networkidle")
    card = page.locator("details.provenance-card").first
    command = card.locator("code.rebuild-command")
    assert card.get_attribute("open") is None and not command.is_visible()
    card.locator("summary").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('details.provenance-card').open")
    assert command.is_visible()
    page.keyboard.press("Enter")
    page.wait_for_function("!document.querySelector('details.provenance-card').open")
    assert not command.is_visible()
    page.emulate_media(media="print")
    assert command.is_visible(), "a printed card shows what is in it"
    page.emulate_media(media="screen")
    assert not command.is_visible()
    # The cite line shows the page's full address once the page has loaded.
    cite = page.locator("p.cite-this a.cite-url").first
    assert cite.inner_text() == cite.evaluate("a => a.href") and cite.inner_text().startswith(
        "http://127.0.0.1"
    )
    context.close()


def test_values_xlsx_is_byte_identical_between_writes_and_linked_under_the_values(tmp_path):
    import pandas as pd
    from biomedimg.outputs.downloads import write_values_xlsx

    frame = pd.DataFrame({"年份": [2001, 2002], "数量": ["3", "4.5"], "国家": ["中国", "美国"]})
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_values_xlsx(first, "fig_patents", "zh", frame)
    write_values_xlsx(second, "fig_patents", "zh", frame)
    assert first.read_bytes() == second.read_bytes()
    rows = list(openpyxl.load_workbook(first).worksheets[0].iter_rows(values_only=True))
    assert rows == [("年份", "数量", "国家"), (2001, 3, "中国"), (2002, 4.5, "美国")]
    values = tmp_path / paths.figure_values("fig_patents", "zh")
    values.parent.mkdir(parents=True)
    frame.to_csv(values, index=False)
    linked = components.values_table("fig_patents", "zh", root=tmp_path, xlsx_href="figures/x.xlsx")
    assert 'href="figures/x.xlsx"' in linked and "Excel" in linked
    assert ".xlsx" not in components.values_table("fig_patents", "zh", root=tmp_path)
