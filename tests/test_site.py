"""The reader's site: two editions with the same pages, figures, tables and claims; every link and
anchor resolving; search in both languages (typed in Chromium); data inert in the pages; the prose's
numbers following the data; an incremental build equal to a clean one."""

from __future__ import annotations

import html.parser
import json
import re
import shutil
from pathlib import Path

import pytest
from biomedimg import paths
from biomedimg.anchors import anchor
from biomedimg.catalog import FIGURES, TABLES
from biomedimg.site import build
from conftest import copy_built, serve, snakemake

CJK = re.compile(r"[\u4e00-\u9fff]")


def site_of(root: Path) -> Path:
    return root / paths.BOOK_HTML


def page_text(root: Path, lang: str, page: str) -> str:
    return (site_of(root) / lang / page).read_text(encoding="utf-8")


def table_cells(html: str, name: str) -> tuple[list[str], list[list[str]]]:
    table = html.split(f'id="{anchor(name)}"', 1)[1].split("</table>", 1)[0]
    headers = re.findall(r"<th scope=\"col\">(.*?)</th>", table)
    rows = [
        re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])
    ]
    return headers, rows


# --------------------------------------------------------------------------- the two editions


def test_both_editions_have_the_same_pages_figures_tables_and_claims(built):
    site = site_of(built)
    assert build.check_editions(site) == []
    for lang, html_lang in (("zh", "zh-CN"), ("en", "en")):
        pages = build.pages(site / lang)
        assert {
            "index.html",
            "significance.html",
            "status_investment.html",
            "claims.html",
            "search.html",
        } <= set(pages)
        for page in pages:
            text = page_text(built, lang, page)
            assert f'<html lang="{html_lang}"' in text, f"{lang}/{page}"
            # The switch to the same page in the other edition.
            assert f'href="../{"en" if lang == "zh" else "zh"}/{page}"' in text, f"{lang}/{page}"
        shown = set()
        for page in pages:
            shown |= build.parse(site / lang / page).elements
        assert {("figure", n) for n in FIGURES} <= shown
        assert {("table", n) for n in TABLES} <= shown
        assert sum(1 for kind, _ in shown if kind == "claim") >= 45


def test_the_check_finds_what_one_edition_lacks(built, tmp_path):
    site = tmp_path / "html"
    shutil.copytree(site_of(built), site)
    page = site / "en" / "status_investment.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace('data-name="fig_patents"', "").replace('data-kind="table"', "", 1), encoding="utf-8"
    )
    (site / "zh" / "swot.html").unlink()
    problems = build.check_editions(site)
    assert (
        "the en edition lacks the table table1_xiangshan_conferences (on status_investment.html) that the zh edition has"
        in problems
    )
    assert "the zh edition lacks the page swot.html that the en edition has" in problems
    assert len(problems) == 2  # fig_patents is on status_output.html, not this page: untouched


def test_each_edition_shows_its_language(built):
    zh, en = (
        page_text(built, "zh", "status_investment.html"),
        page_text(built, "en", "status_investment.html"),
    )
    # Figures: the edition's own image, caption and alt text.
    assert (
        'src="figures/fig_cast_subcommittees.zh.' in zh
        and 'src="figures/fig_cast_subcommittees.en.' not in zh
    )
    assert (
        'src="figures/fig_cast_subcommittees.en.' in en
        and 'alt="Imaging-related sub-committees per CAST' in en
    )
    # Tables: English headers and values, ISO dates.
    headers, rows = table_cells(en, "table1_xiangshan_conferences")
    assert headers == ["No.", "Dates", "Session", "Theme", "City", "Executive chairs"]
    assert rows[0][1] == "1995-12-15–1995-12-17" and rows[0][4] == "Beijing"
    headers, rows = table_cells(zh, "table1_xiangshan_conferences")
    assert headers == ["编号", "会议日期", "会次", "会议主题", "地点", "执行主席"]
    assert rows[0][1] == "1995年12月15~17日"
    for name in ("table2_cast_subcommittees", "table3_nsfc_projects", "table4_nsfc_creative_groups"):
        headers, rows = table_cells(en, name)
        assert not [c for row in rows for c in row if CJK.search(c)], (
            f"{name}: Chinese cells in the English edition"
        )
        assert not [h for h in headers if CJK.search(h)]
    # Theme strings.
    assert "Search" in en and "搜索" in zh


def test_the_data_page_and_figure1_values_are_in_each_editions_language(built):
    """The data dictionary: Chinese titles and descriptions in the Chinese edition, English in the
    English one. Figure 1's values: the rationale in the edition's language; the official motivations,
    English only, marked lang="en" in the Chinese edition."""
    zh, en = page_text(built, "zh", "data.html"), page_text(built, "en", "data.html")
    nobel_zh = zh.split('id="nobel_prizes"', 1)[1].split("</section>", 1)[0]
    nobel_en = en.split('id="nobel_prizes"', 1)[1].split("</section>", 1)[0]
    assert "1901年以来32项获得诺贝尔奖的生物医学影像相关工作（图1，重建）" in nobel_zh
    assert "图1中每项与影像相关的获得诺贝尔奖的工作一行" in nobel_zh and "<td>获奖年份</td>" in nobel_zh
    assert "The 32 imaging-related Nobel Prize-winning works" not in nobel_zh
    assert (
        "The 32 imaging-related Nobel Prize-winning works" in nobel_en and "<td>Prize year</td>" in nobel_en
    )
    assert not CJK.search(nobel_en.split("<tbody>", 1)[1])
    table1_zh = zh.split('id="xiangshan_conferences"', 1)[1].split("</section>", 1)[0]
    assert "香山科学会议多次组织生物医学影像相关主题研讨（表1）" in table1_zh and 'lang="en"' not in table1_zh
    assert "Xiangshan Science Conferences on biomedical-imaging themes" in en

    def values(html: str) -> tuple[list[str], list[list[tuple[str, str]]]]:
        block = html.split('data-figure="fig1_nobel_timeline"', 1)[1].split("</table>", 1)[0]
        header = re.findall(r"<th scope=\"col\">([^<]*)</th>", block)
        rows = [re.findall(r"<td([^>]*)>([^<]*)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", block)[1:]]
        return header, rows

    header, rows = values(page_text(built, "zh", "significance.html"))
    motivation, why = header.index("授奖理由（诺贝尔奖官网英文原文）"), header.index("归为该类型的理由")
    assert len(rows) == 32
    for row in rows:
        assert 'lang="en"' in row[motivation][0] and not CJK.search(row[motivation][1])
        assert CJK.search(row[why][1]) and 'lang="en"' not in row[why][0]
    header, rows = values(page_text(built, "en", "significance.html"))
    assert "Why this imaging type" in header and all('lang="en"' not in a for r in rows for a, _ in r)


class UnmarkedChinese(html.parser.HTMLParser):
    """Text with Chinese characters whose nearest ``lang`` (element or ancestor) is not Chinese."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None, bool]] = []  # (tag, lang, inside script or style)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang")
        parent_lang = self.stack[-1][1] if self.stack else None
        hidden = tag in ("script", "style") or bool(self.stack and self.stack[-1][2])
        self.stack.append((tag, lang if lang is not None else parent_lang, hidden))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and not self.stack[-1][2] and CJK.search(data):
            if not (self.stack[-1][1] or "").startswith("zh"):
                self.found.append(data.strip()[:80])


def unmarked_chinese(page: str) -> list[str]:
    parser = UnmarkedChinese()
    parser.feed(page)
    return parser.found


def test_chinese_in_the_english_edition_is_marked_as_chinese(built):
    """Screen readers read a page in its language's voice: Chinese terms inside English text (printed
    words such as 十余次, the review's title in 《》) carry lang="zh-CN"."""
    site = site_of(built) / "en"
    found = {p.name: unmarked_chinese(p.read_text(encoding="utf-8")) for p in sorted(site.glob("*.html"))}
    assert not {name: texts for name, texts in found.items() if texts}
    assert unmarked_chinese('<html lang="en"><p>The 十余次 others</p></html>') == ["The 十余次 others"]


def test_review_figures_keep_their_numbers_companion_figures_are_labelled(built):
    zh = "".join(page_text(built, "zh", p) for p in ("significance.html", "status_investment.html"))
    en = "".join(page_text(built, "en", p) for p in ("significance.html", "status_investment.html"))
    assert (
        '<span class="caption-number">图1</span>' in zh
        and '<span class="caption-number">Figure 1</span>' in en
    )
    assert (
        '<span class="caption-number">本书图C1</span>' in zh
        and '<span class="caption-number">Companion figure C1</span>' in en
    )
    assert not re.search(r'caption-number">图[2-9]', zh) and not re.search(
        r'caption-number">Figure [2-9]', en
    )
    for n in range(1, 5):
        assert (
            f'<span class="caption-number">表{n}</span>' in zh
            and f'<span class="caption-number">Table {n}</span>' in en
        )


def test_site_root_links_to_both_editions(built):
    root = (site_of(built) / "index.html").read_text(encoding="utf-8")
    assert 'href="zh/index.html"' in root and 'href="en/index.html"' in root and "navigator.language" in root


# --------------------------------------------------------------------------- links and anchors


def test_every_link_and_anchor_resolves(built):
    assert build.broken_links(site_of(built)) == []
    # The ledger links each claim to the figures and tables it rests on, anchors included.
    ledger = page_text(built, "en", "claims.html")
    assert 'href="status_investment.html#fig_creative_groups"' in ledger
    assert f'id="{anchor("fig_creative_groups")}"' in page_text(built, "en", "status_investment.html")


def test_the_link_check_finds_a_missing_anchor(tmp_path):
    site = tmp_path / "site"
    (site / "zh").mkdir(parents=True)
    (site / "en").mkdir(parents=True)
    (site / "zh" / "a.html").write_text(
        '<a href="b.html#here">ok</a><a href="b.html#gone">x</a><a href="c.html">y</a><a href="#top">z</a>'
        '<a href="../en/">en</a><a href="../en/index.html#%E9%A6%96">home</a><a href="../../outside.html">o</a>'
        '<a href="../zh/./b.html#here">ok</a>',
        encoding="utf-8",
    )
    (site / "zh" / "b.html").write_text('<p id="here">', encoding="utf-8")
    (site / "en" / "index.html").write_text('<p id="首">', encoding="utf-8")
    (tmp_path / "outside.html").write_text("<p>", encoding="utf-8")
    assert build.broken_links(site) == [
        "zh/a.html: b.html#gone (no element with id 'gone')",
        "zh/a.html: c.html (no such file)",
        "zh/a.html: #top (no element with id 'top')",
        "zh/a.html: ../../outside.html (no such file)",
    ]


# --------------------------------------------------------------------------- search, in the browser


def search(browser, base: str, lang: str, query: str) -> tuple[list[str], str]:
    page = browser.new_page(locale="zh-CN" if lang == "zh" else "en-US")
    page.goto(f"{base}{lang}/search.html?q={query}", wait_until="networkidle")
    # The search page (Pagefind, book/_static/search-page.js) marks its list when the results are in.
    page.wait_for_selector("#search-results[data-ready]", state="attached", timeout=20000)
    hits = page.eval_on_selector_all(".search-result-link", "els => els.map(e => e.getAttribute('href'))")
    summary = page.inner_text(".search-summary")
    page.close()
    return hits, summary


@pytest.mark.browser
def test_search_finds_chinese_and_english_words_names_and_numbers(built, browser):
    server, base = serve(site_of(built))
    try:
        for query in ("诺贝尔", "香山", "专利", "经费", "唐孝威", "冷冻电镜", "1995", "65"):
            hits, _ = search(browser, base, "zh", query)
            assert hits, f"zh search {query!r} found nothing"
            if query == "诺贝尔":
                assert any(h.split("?")[0].endswith("/significance.html") for h in hits), hits
        for query in ("Nobel", "Xiangshan", "Tang Xiaowei", "cast_subcommittees", "1995", "65"):
            hits, _ = search(browser, base, "en", query)
            assert hits, f"en search {query!r} found nothing"
            if query == "Nobel":
                assert any(h.split("?")[0].endswith("/significance.html") for h in hits), hits
        _, zh_none = search(browser, base, "zh", "qqqxyzzy")
        _, en_none = search(browser, base, "en", "qqqxyzzy")
        assert "没有" in zh_none and "did not match" not in zh_none
        assert "did not match" in en_none and not CJK.search(en_none)
    finally:
        server.shutdown()


@pytest.mark.browser
def test_site_root_opens_the_readers_language(built, browser):
    server, base = serve(site_of(built))
    try:
        for locale, lang in (("zh-CN", "zh"), ("en-GB", "en"), ("de-DE", "en")):
            page = browser.new_page(locale=locale)
            page.goto(base + "index.html", wait_until="networkidle")
            assert page.url.endswith(f"/{lang}/index.html"), (locale, page.url)
            page.close()
        page = browser.new_page(java_script_enabled=False)
        page.goto(base + "index.html")
        assert (
            page.locator('a[href="zh/index.html"]').is_visible()
            and page.locator('a[href="en/index.html"]').is_visible()
        )
        page.close()
    finally:
        server.shutdown()


# --------------------------------------------------------------------------- in throw-away copies


@pytest.fixture(scope="module")
def injected(fresh_clone, tmp_path_factory) -> tuple[Path, Path]:
    """A copy whose data holds every payload, and one row fewer in Table 2, built once.

    The payloads go where validation lets text with newlines through today: a claim's note and its
    Chinese note_zh (which must hold a Chinese character) in data/claims/claims.yaml, and a sidecar's
    description (which the data dictionary shows); the
    <script> also goes into a table cell. If validation starts refusing newlines in those fields,
    this test must move the payload to a field that still takes them (the point is what the book
    does with such text, not whether it gets there).
    """
    tmp = tmp_path_factory.mktemp("injected")
    secret = tmp / "outside-the-repo.txt"
    secret.write_text("SECRET-CONTENTS-7f3a\n", encoding="utf-8")
    root = copy_built(fresh_clone, tmp / "copy")  # the shared build: only what the edits touch reruns
    payload = (
        f"a\n\n```{{literalinclude}} {secret}\n```\n\n{{download}}`{secret}`\n\n"
        f"```{{include}} {secret}\n```\n<script>window.__xss = 1</script> $\\frac{{a}}{{b}}$"
    )
    import yaml

    claims_file = root / "data" / "claims" / "claims.yaml"
    claims = yaml.safe_load(claims_file.read_text(encoding="utf-8"))
    for claim in claims["claims"]:
        if claim["id"] == "cast_subcommittees":
            claim["note"], claim["note_zh"] = payload, f"说明 {payload}"  # each edition shows its own
    claims_file.write_text(yaml.safe_dump(claims, allow_unicode=True, sort_keys=False), encoding="utf-8")
    sidecar_file = root / "data" / "raw" / "cast_subcommittees.meta.yaml"
    sidecar = yaml.safe_load(sidecar_file.read_text(encoding="utf-8"))
    sidecar["description_en"] = sidecar["description_zh"] = payload  # each edition shows its own
    sidecar_file.write_text(yaml.safe_dump(sidecar, allow_unicode=True, sort_keys=False), encoding="utf-8")
    raw = root / "data" / "raw" / "cast_subcommittees.csv"
    lines = raw.read_text(encoding="utf-8").splitlines(keepends=True)
    raw.write_text("".join(lines[:-1]), encoding="utf-8")  # the last sub-committee
    snakemake(root)
    return root, secret


def reading_text(html: str) -> str:
    """A page's text as a reader reads it: tags dropped, whitespace collapsed, and the status badge
    that follows a number linked to its ledger row left out (the number itself stays)."""
    html = re.sub(r'<span class="claim-ref-status[^"]*">[^<]*</span>', "", html)
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.mark.slow
def test_prose_numbers_follow_the_data(injected):
    root, _ = injected
    zh, en = (reading_text(page_text(root, lang, "status_investment.html")) for lang in ("zh", "en"))
    # The removed sub-committee was its society's only one: 28 societies, 64 sub-committees.
    assert "中国科协28个学会/协会的64个相关分会/专委会" in zh and "65个" not in zh
    assert "64 imaging sub-committees of 28 CAST societies" in en


@pytest.mark.slow
@pytest.mark.parametrize("lang", paths.LANGS)
def test_data_holding_markup_and_directives_stays_text(injected, lang):
    root, secret = injected
    site = site_of(root) / lang
    every_page = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "SECRET-CONTENTS-7f3a" not in every_page, "a directive in the data included a file"
    assert not (site / "_downloads").exists() and not list(site.rglob("outside-the-repo.txt"))
    for page in ("claims.html", "data.html"):
        text = page_text(root, lang, page)
        assert f"{{literalinclude}} {secret}" in text and f"{{download}}`{secret}`" in text
        assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in text and "<script>window.__xss" not in text
        assert "$\\frac{a}{b}$" in text and 'class="math' not in text


@pytest.mark.slow
def test_incremental_build_after_an_edit_and_its_revert_equals_a_clean_build(fresh_clone, tmp_path):
    root = copy_built(fresh_clone, tmp_path / "copy")
    raw = root / "data" / "raw" / "xiangshan_conferences.csv"
    original = raw.read_bytes()
    raw.write_text(
        raw.read_text(encoding="utf-8").replace("PET and life sciences", "Zyzzyva PET", 1),
        encoding="utf-8",
    )
    snakemake(root)
    assert "Zyzzyva PET" in page_text(root, "en", "status_investment.html")
    raw.write_bytes(original)
    snakemake(root)
    incremental = tree(site_of(root))
    assert not [f for f, data in incremental.items() if b"Zyzzyva" in data]
    shutil.rmtree(root / "book" / "_build")
    snakemake(root, "--forcerun", "build_book")
    clean = tree(site_of(root))
    assert sorted(incremental) == sorted(clean)
    assert [f for f in clean if clean[f] != incremental[f]] == []


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.browser
def test_the_switch_opens_the_same_page_in_the_other_edition(built, browser):
    server, base = serve(site_of(built))
    try:
        page = browser.new_page()
        page.goto(base + "zh/claims.html", wait_until="networkidle")
        page.click("a.lang-switch")
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/en/claims.html") and page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").first.inner_text().startswith("Claims ledger")
        page.click("a.lang-switch")
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/zh/claims.html") and page.locator("html").get_attribute("lang") == "zh-CN"
        page.close()
    finally:
        server.shutdown()


def test_home_page_counts_every_status_of_the_ledger(built):
    """The home page states the ledger's counts for all five statuses (vocab.STATUSES), as built."""

    from biomedimg.vocab import STATUSES

    counts = json.loads((built / paths.METRICS).read_text(encoding="utf-8"))["claims"]
    for lang in paths.LANGS:
        text = reading_text((built / paths.book_index(lang)).read_text(encoding="utf-8"))
        for status, (zh, _en) in STATUSES.items():
            label = (
                zh
                if lang == "zh"
                else {"self_consistent": "self-consistent"}.get(status, status.replace("_", " "))
            )
            expected = f"{counts[status]} {label}"  # the key findings: count, then the status's label
            assert expected in text, (lang, expected)


def test_the_modules_an_edition_loads_ahead_all_import():
    """build.warm_up loads these while the pages render and skips a module that fails to import
    (the build then loads what it needs itself); a renamed extension would silently undo the
    warm-up, so each must import here."""
    import importlib

    for module in build.WARM_UP_MODULES:
        importlib.import_module(module)
