"""The reader's way in (issue 20): every number of a chapter that the ledger checks is one tap from its
row, the home page opens with the findings the ledger counts, the SWOT page shows the review's SWOT as a
2×2 matrix, and the review's other numbers are grouped by section like the ledger."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import urllib.parse

import jinja2
import pytest
from biomedimg import paths, vocab
from biomedimg.site import components, render
from conftest import ROOT, SEED, serve

SITE = ROOT / paths.BOOK_HTML
CHAPTERS = ("significance", "status_investment", "status_output", "swot", "recommendations")
ROLE = re.compile(r"\{claim\}`(?P<shown>[^`]*?) <(?P<claim>[\w.-]+)>`")
CLAIM_LINK = re.compile(
    r'<a class="claim-ref claim-ref-(?P<status>\w+)[^"]*" href="claims\.html#(?P<claim>[\w.-]+)"[^>]*>'
    r'<span class="claim-ref-number">(?P<shown>[^<]*)</span>'
    r'<span class="claim-ref-status badge badge-(?P=status)">(?P<label>[^<]*)</span></a>'
)


@pytest.fixture(scope="module")
def data():
    return render.Data(ROOT)


@pytest.fixture(scope="module")
def layout():
    return render.Layout.scan(ROOT)


def pages_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(ROOT / paths.BOOK_DIR)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def claims(data) -> dict:
    return {c["id"]: c for c in data.claims}


# ------------------------------------------------------------------- numbers linked to the ledger


@pytest.mark.parametrize("lang", paths.LANGS)
@pytest.mark.parametrize("page", CHAPTERS)
def test_a_linked_number_is_the_text_the_page_prints(data, layout, tmp_path, lang, page):
    """Take every link away and the page is, character for character, the page with plain numbers."""
    edition = render.Edition(data, layout, lang, tmp_path)
    env = pages_env()
    linked = env.get_template(f"{page}.md").render(**edition.globals())
    plain_globals = {
        **edition.globals(),
        "check": lambda c, shown=None: str(edition.stated(c) if shown is None else shown),
    }
    plain = env.get_template(f"{page}.md").render(**plain_globals)
    found = ROLE.findall(linked)
    assert found, f"{page} ({lang}) links no number to the ledger"
    assert ROLE.sub(lambda m: m["shown"], linked) == plain
    for _, claim_id in found:
        assert claim_id in claims(data)


def test_check_refuses_what_would_break_the_role(data, layout, tmp_path):
    edition = render.Edition(data, layout, "zh", tmp_path)
    some = data.claims[0]["id"]
    assert edition.check(some, "11项") == f"{{claim}}`11项 <{some}>`"
    for bad in ("1`1", "a<b", "1\n2", ""):
        with pytest.raises(ValueError, match=some):
            edition.check(some, bad)
    with pytest.raises(KeyError):
        edition.check("no_such_claim", "1")


@pytest.mark.parametrize("lang", paths.LANGS)
def test_each_linked_number_leads_to_its_ledger_row_and_says_its_status(built, data, lang):
    ledger = (SITE / lang / "claims.html").read_text(encoding="utf-8")
    rows = set(re.findall(r'<tr id="([^"]+)" data-status="(\w+)"', ledger))
    by_id = claims(data)
    seen = 0
    for page in CHAPTERS:
        text = (SITE / lang / f"{page}.html").read_text(encoding="utf-8")
        links = list(CLAIM_LINK.finditer(text))
        assert len(links) == text.count('class="claim-ref '), f"{page}: a claim link of another shape"
        for m in links:
            claim = by_id[m["claim"]]
            assert (m["claim"], claim["status"]) in rows, m["claim"]
            assert m["status"] == claim["status"]
            # The status in words, as the ledger's badge says it, not only a colour.
            assert m["label"] == components.status_label(claim["status"], lang)
            assert m["shown"].strip()
            seen += 1
    assert seen >= 20


def test_the_english_prose_names_statuses_as_the_badges_do(built):
    for page in CHAPTERS:
        text = (SITE / "en" / f"{page}.html").read_text(encoding="utf-8")
        prose = re.sub(r"<[^>]+>", "", re.sub(r"<(code|script|style)\b.*?</\1>", "", text, flags=re.S))
        for status in ("by_construction", "not_derivable", "self_consistent"):
            assert status not in prose, (page, status)
    significance = (SITE / "en" / "significance.html").read_text(encoding="utf-8")
    assert f"therefore {components.status_label('by_construction', 'en')}." in significance


# --------------------------------------------------------------------------------- the home page


@pytest.mark.parametrize("lang", paths.LANGS)
def test_the_home_page_opens_with_the_ledgers_counts(built, lang):
    metrics = json.loads((ROOT / paths.METRICS).read_text(encoding="utf-8"))["claims"]
    page = (SITE / lang / "index.html").read_text(encoding="utf-8")
    main = page.split('<article class="bd-article"', 1)[1]
    first_heading = re.search(r"<h2[^>]*>", main)
    assert 'id="key-findings-title"' in first_heading.group(), "the findings come first"
    counts = dict(re.findall(r'<strong class="finding-count" data-status="(\w+)">(\d+)</strong>', main))
    assert int(counts["total"]) == metrics["total"]
    assert int(counts["independent"]) == sum(metrics[s] for s in ("pass", "fail"))
    for status in components.STATUSES:
        assert int(counts[status]) == metrics[status], status


# ---------------------------------------------------------------------------------------- SWOT


def test_the_swot_quotes_the_reviews_own_sentences(built):
    if not SEED.exists():
        pytest.skip(f"the review's text is not beside the repository ({SEED})")
    seed = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
    page = (SITE / "zh" / "swot.html").read_text(encoding="utf-8")
    matrix = page.split('class="swot-matrix"', 1)[1]
    cells = re.findall(r'<section class="swot-cell swot-(\w+)"', matrix)
    assert cells == ["strengths", "weaknesses", "opportunities", "threats"]
    quotes = re.findall(r'<blockquote class="swot-quote"><p lang="zh-CN">([^<]+)</p>', matrix)
    assert len(quotes) == 4
    for quote in quotes:
        assert re.sub(r"\s+", "", quote) in seed, quote
    en = (SITE / "en" / "swot.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<p lang="zh-CN">', en.split('class="swot-matrix"', 1)[1])) == 4


# ------------------------------------------------------------------------ other stated numbers


@pytest.mark.parametrize("lang", paths.LANGS)
def test_the_other_stated_numbers_are_grouped_by_section(built, data, lang):
    page = (SITE / lang / "claims.html").read_text(encoding="utf-8")
    block = page.split('id="other-statements"', 1)[1].split("<!-- /other-statements -->", 1)[0]
    groups = re.findall(r'<details class="statements-group" id="[^"]+">(.*?)</details>', block, re.S)
    in_ledger = {c["statement"] for c in data.claims}
    expected = {}
    for row in data.statements.to_dict("records"):
        if row["id"] not in in_ledger:
            expected.setdefault(str(row["section"]), []).append(row["id"])
    assert len(groups) == len(expected) > 3
    for group in groups:
        title = re.search(r'<span class="ledger-group-title">([^<]+)</span>', group)[1]
        section = next(s for s in expected if components.section_label(s, lang) == title)
        ids = re.findall(r'<tr id="([^"]+)">', group)
        assert ids == expected[section]
        total = re.search(r'<span class="ledger-group-total">([^<]+)</span>', group)[1]
        assert str(len(ids)) in total


# ------------------------------------------------------------------------------------ in a browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(built):
    server, base = serve(SITE)
    yield base
    server.shutdown()


def new_page(browser, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
@pytest.mark.parametrize("lang", paths.LANGS)
def test_tapping_a_number_opens_its_ledger_row(site, browser, lang, viewport):
    context, page, errors = new_page(browser, viewport)
    page.goto(f"{site}{lang}/status_output.html", wait_until="networkidle")
    link = page.locator("a.claim-ref").first
    claim_id = link.get_attribute("href").split("#", 1)[1]
    link.click()
    page.wait_for_url(f"**/claims.html#{claim_id}")
    row = page.locator(f"tr[id='{claim_id}']")
    row.wait_for(state="visible")
    assert row.evaluate("r => r.closest('details.ledger-group').open")
    assert page.evaluate("location.hash") == f"#{claim_id}"
    assert not errors
    context.close()


def claims_json() -> dict:
    return {c["id"]: c for c in json.loads((ROOT / paths.CLAIMS_JSON).read_text(encoding="utf-8"))["claims"]}


def assert_preview_of(page, claim: dict, lang: str, viewport: dict) -> None:
    """The open preview is the claim's: its status in words and colour, stated and computed as the
    ledger prints them from results/claims.json, inside the window."""
    box = page.locator("#claim-preview")
    box.wait_for(state="visible")
    assert box.get_attribute("data-claim") == claim["id"]
    badge = box.locator(".badge")
    assert badge.inner_text() == components.status_label(claim["status"], lang)
    assert f"badge-{claim['status']}" in badge.get_attribute("class")
    stated, computed = box.locator(".claim-preview-values").all_inner_texts()
    assert stated.endswith(components.stated_words(claim, lang)), stated
    assert computed.endswith(components.computed_words(claim, lang, as_printed=True)), computed
    assert box.locator(".claim-preview-evidence").inner_text().strip()
    b = box.bounding_box()
    assert b["x"] >= 0 and b["x"] + b["width"] <= viewport["width"], b


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
@pytest.mark.parametrize("lang", paths.LANGS)
def test_a_number_previews_its_check_on_hover_and_focus(site, browser, lang, viewport):
    from axe_playwright_python.sync_playwright import Axe

    by_id = claims_json()
    context, page, errors = new_page(browser, viewport)
    page.goto(f"{site}{lang}/status_output.html", wait_until="networkidle")
    links = page.locator("a.claim-ref")
    box = page.locator("#claim-preview")
    seen = set()
    for i in range(links.count()):
        link = links.nth(i)
        claim = by_id[link.get_attribute("href").split("#", 1)[1]]
        if claim["status"] in seen:
            continue  # one number of each status
        seen.add(claim["status"])
        link.hover()
        assert_preview_of(page, claim, lang, viewport)
        assert box.locator(".claim-preview-go").count() == 0  # a hover's preview: the number is the link
        page.mouse.move(0, 0)
        box.wait_for(state="hidden")
        # Keyboard focus opens it too, and Escape closes it, the focus staying on the number.
        link.focus()
        assert_preview_of(page, claim, lang, viewport)
        if len(seen) == 1:
            violations = [
                f"{v['id']} [{v['impact']}]: {v['nodes'][0]['target']}"
                for v in Axe().run(page).response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert not violations, violations
        page.keyboard.press("Escape")
        box.wait_for(state="hidden")
        assert link.evaluate("l => l === document.activeElement")
        assert page.url.endswith("status_output.html")
    assert len(seen) >= 2
    assert not errors
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", paths.LANGS)
def test_a_tap_on_a_number_previews_it_and_its_link_goes_to_the_check(site, browser, lang):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site}{lang}/status_output.html", wait_until="networkidle")
    link = page.locator("a.claim-ref").first
    claim = claims_json()[link.get_attribute("href").split("#", 1)[1]]
    link.tap()
    assert_preview_of(page, claim, lang, PHONE)
    assert page.url.endswith("status_output.html")  # the first tap stays on the page
    go = page.locator("#claim-preview .claim-preview-go")
    assert go.inner_text() == components.text("claim_preview_go", lang)
    go.tap()
    page.wait_for_url(f"**/claims.html#{claim['id']}")
    page.locator(f"tr[id='{claim['id']}']").wait_for(state="visible")
    assert not errors
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", paths.LANGS)
def test_the_home_page_shows_the_counts_of_metrics(site, browser, lang):
    metrics = json.loads((ROOT / paths.METRICS).read_text(encoding="utf-8"))["claims"]
    context, page, errors = new_page(browser, PHONE)
    page.goto(f"{site}{lang}/index.html", wait_until="networkidle")
    for status in components.STATUSES:
        shown = page.locator(f".key-findings-statuses .finding-count[data-status='{status}']")
        assert shown.is_visible()
        assert int(shown.inner_text()) == metrics[status]
    assert int(page.locator(".finding-count[data-status='total']").inner_text()) == metrics["total"]
    assert not errors
    context.close()


def cell_boxes(page) -> list[dict]:
    return page.eval_on_selector_all(".swot-cell", "cs => cs.map(c => c.getBoundingClientRect().toJSON())")


@pytest.mark.browser
@pytest.mark.parametrize("lang", paths.LANGS)
def test_the_swot_is_a_2x2_grid_on_a_desktop_and_stacked_on_a_phone(site, browser, lang):
    context, page, errors = new_page(browser, DESKTOP)
    page.goto(f"{site}{lang}/swot.html", wait_until="networkidle")
    s, w, o, t = cell_boxes(page)
    assert s["y"] == w["y"] < o["y"] == t["y"]  # strengths and weaknesses above
    assert (
        s["x"] == o["x"] < w["x"] == t["x"]
    )  # strengths and opportunities left, weaknesses and threats right
    context.close()
    context, page, errors = new_page(browser, PHONE)
    page.goto(f"{site}{lang}/swot.html", wait_until="networkidle")
    boxes = cell_boxes(page)
    assert len({round(b["x"]) for b in boxes}) == 1
    assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes)
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"] for b in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not errors
    context.close()


@pytest.mark.browser
def test_a_link_to_another_stated_number_opens_its_section(site, browser):
    context, page, errors = new_page(browser, DESKTOP)
    page.goto(f"{site}en/claims.html", wait_until="networkidle")
    row_id = page.locator("details.statements-group tr[id]").last.get_attribute("id")
    assert not page.locator(f"tr[id='{row_id}']").is_visible()  # sections start closed
    page.goto(f"{site}en/claims.html#{row_id}", wait_until="networkidle")
    page.locator(f"tr[id='{row_id}']").wait_for(state="visible")
    assert not errors
    context.close()


# ------------------------------------------------------------------------------------------ search


def test_the_search_index_is_the_same_bytes_every_time(built, tmp_path):
    """Pagefind's bundle of an edition, written twice from the same pages: byte-identical, and equal to
    the bundle the build wrote."""
    from biomedimg.site import build

    edition = SITE / "en"
    built_bundle = edition / build.SEARCH_BUNDLE
    assert (built_bundle / "pagefind.js").is_file()
    copy = tmp_path / "en"
    shutil.copytree(edition, copy)
    listings = []
    for _ in range(2):
        build.index_search(copy)
        listings.append(tree_hashes(copy / build.SEARCH_BUNDLE))
    assert listings[0] == listings[1] == tree_hashes(built_bundle)
    assert any(name.startswith("fragment/") for name in listings[0])


def tree_hashes(folder) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# Pagefind's Chinese segmenter cuts 2.94 into 2|.|94, 42万篇 into 42|万篇 and 诺贝尔 into 诺贝|尔; the search
# page looks for the query as typed in the text of every page (book/_static/search-page.js), so each is
# found whole, in both editions, where the edition prints it (the English one prints 42万 only in the
# Chinese originals of the ledger; its prose says 420,000).
SEARCHES = [
    # (edition, query, the passage a result must lead to, what the passage marks on arrival)
    ("zh", "冷冻电镜", "claims.html#cryoem_count", "冷冻电镜"),
    ("en", "cryo-electron", "claims.html#cryoem_count", "cryo-electron"),
    ("zh", "2.94", "claims.html#nsfc_h18_2019_funding", "2.94"),
    ("en", "2.94", "claims.html#nsfc_h18_2019_funding", "2.94"),
    ("zh", "1/3", "claims.html#rd_personnel_ratio_vs_us", "1/3"),
    ("en", "1/3", "claims.html#rd_personnel_ratio_vs_us", "1/3"),
    ("zh", "42万", "claims.html#pubs_2019_us", "42万"),
    ("en", "42万", "claims.html#pubs_2019_china_vs_us", "42万"),
    ("en", "420,000", "claims.html#pubs_2019_china_vs_us", "420,000"),
    ("en", "420,000", "status_output.html#output-and-leading-areas", "420000"),
    ("zh", "诺贝尔", "significance.html#fig1_nobel_timeline", "诺贝尔"),
    ("en", "Nobel", "significance.html#fig1_nobel_timeline", "Nobel"),
    ("zh", "MRI", "claims.html#xenon_mri_signal_enhancement", "MRI"),
    ("en", "MRI", "claims.html#xenon_mri_signal_enhancement", "MRI"),
    # Synonyms (biomedimg.vocab.SEARCH_SYNONYMS): MRI finds the passages that say 磁共振, NMR, magnetic resonance.
    ("zh", "MRI", "significance.html#fig1_nobel_timeline", "磁共振"),
    ("en", "MRI", "significance.html#fig1_nobel_timeline", "NMR"),
    ("en", "mri", "status_investment.html#table3_nsfc_projects", "magnetic resonance"),
    ("zh", "cryo-EM", "claims.html#cryoem_count", "冷冻电镜"),
    # Words not printed together: the pages that hold each of them, at the passage holding most.
    ("zh", "冷冻电镜 2.94", "claims.html#cryoem_count", "冷冻电镜"),
    ("en", "Nobel NMR", "significance.html#fig1_nobel_timeline", "Nobel"),
]


PASSAGE_MARKS = """(anchor) => {
  const ids = [...document.querySelectorAll('article.bd-article [id]')];
  const start = document.getElementById(anchor), end = ids[ids.indexOf(start) + 1];
  const after = Node.DOCUMENT_POSITION_FOLLOWING | Node.DOCUMENT_POSITION_CONTAINED_BY;
  return [...document.querySelectorAll('mark.search-hit')]
    .filter(m => (start.compareDocumentPosition(m) & after) && (!end || (m.compareDocumentPosition(end) & after)))
    .map(m => m.textContent);
}"""
FIRST_MARK_IN_VIEW = """(anchor) => {
  const start = document.getElementById(anchor);
  const after = Node.DOCUMENT_POSITION_FOLLOWING | Node.DOCUMENT_POSITION_CONTAINED_BY;
  const first = [...document.querySelectorAll('mark.search-hit')].find(m => start.compareDocumentPosition(m) & after);
  const box = first.getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= innerHeight;
}"""


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "query", "passage", "marked"), SEARCHES)
def test_search_leads_to_the_passage_and_marks_the_term(site, browser, lang, query, passage, marked):
    context, page, errors = new_page(browser, PHONE)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{site}{lang}/search.html?q={urllib.parse.quote(query)}", wait_until="networkidle")
    page.wait_for_selector("#search-results[data-ready]", state="attached")
    hrefs = page.eval_on_selector_all(".search-result-link", "as => as.map(a => a.getAttribute('href'))")
    page_path, anchor = passage.split("#")
    wanted = [
        i
        for i, h in enumerate(hrefs)
        if h.split("?")[0].endswith(f"/{lang}/{page_path}") and h.endswith(f"#{anchor}")
    ]
    assert wanted, hrefs
    # The snippet marks exactly what matched: the term as the page prints it, no more, no less.
    snippet = page.locator(".search-result").nth(wanted[0]).locator(".search-snippet")
    assert marked.lower() in [m.lower() for m in snippet.locator("mark").all_inner_texts()]
    assert "<" not in snippet.inner_text()
    page.goto(urllib.parse.urljoin(page.url, hrefs[wanted[0]]), wait_until="networkidle")
    page.locator("mark.search-hit").first.wait_for(state="attached")
    # The passage: from its element to the next element with an id, as the search counts it.
    marks = page.evaluate(PASSAGE_MARKS, anchor)
    assert marked.lower() in [m.lower() for m in marks], marks
    # Its first mark is scrolled into view (its <details>, if any, opened).
    page.wait_for_function(FIRST_MARK_IN_VIEW, arg=anchor)
    assert "highlight=" not in page.url and page.url.endswith(f"#{anchor}")
    assert all(r.startswith(site.split("/", 3)[0] + "//" + site.split("/", 3)[2]) for r in requests)
    assert not errors
    context.close()


@pytest.mark.browser
def test_search_matches_whole_numbers_and_acronyms(site, browser):
    """The search page's matcher (book/_static/search-page.js): a number is found only as a whole number,
    a term in capitals only as a whole word, a phrase across any white space."""
    context, page, errors = new_page(browser, DESKTOP)
    page.goto(f"{site}en/search.html", wait_until="networkidle")
    text = "1/30 1/3; 12.94 2.94亿 2.945 PETER PET/CT fact 42万篇 rank_mri MRI magnetic\n resonance 420000 4200000"
    found = page.evaluate(
        "([t, terms]) => searchMatches(t, terms).map(m => t.slice(m.start, m.end))",
        [text, ["1/3", "2.94", "PET", "CT", "42万", "MRI", "magnetic resonance", "420,000"]],
    )
    assert found == ["1/3", "2.94", "PET", "CT", "42万", "MRI", "magnetic\n resonance", "420000"]
    assert not errors
    context.close()


def test_search_synonyms_widen_a_query_both_ways():
    groups = vocab.search_synonyms()
    assert groups["mri"] == ["MRI", "NMR", "磁共振", "magnetic resonance"]
    assert groups["magnetic resonance"] == ["magnetic resonance", "MRI", "NMR", "磁共振"]
    assert groups["nobel"] == ["Nobel", "诺贝尔"] and groups["诺贝尔"] == ["诺贝尔", "Nobel"]
    for key, group in groups.items():
        assert key == group[0].lower()
        for term in group:  # each term of a group finds the same terms
            assert sorted(groups[term.lower()]) == sorted(group)
    assert "imaging" not in groups


def test_search_synonyms_refuse_a_term_listed_twice(monkeypatch):
    monkeypatch.setattr(vocab, "SEARCH_SYNONYMS", (("MRI", "NMR"), ("mri", "磁共振")))
    with pytest.raises(ValueError, match="'mri' is listed twice"):
        vocab.search_synonyms()
    monkeypatch.setattr(vocab, "SEARCH_SYNONYMS", (("MRI",),))
    with pytest.raises(ValueError, match="'MRI'"):
        vocab.search_synonyms()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", paths.LANGS)
def test_the_search_boxs_magnifier_stands_before_the_query(site, browser, lang, scheme):
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{site}{lang}/search.html?q=2.94", wait_until="networkidle")
    page.wait_for_selector("#search-results[data-ready]", state="attached")
    box = page.evaluate(
        """() => {
          const form = document.querySelector('.bd-search-container form.bd-search');
          const input = form.querySelector('input[name=q]'), icon = form.querySelector('.fa-magnifying-glass');
          const i = input.getBoundingClientRect(), style = getComputedStyle(input);
          return {icon: icon.getBoundingClientRect().toJSON(), input: i.toJSON(),
                  text: i.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
                  value: input.value, mode: document.documentElement.dataset.theme};
        }"""
    )
    assert box["value"] == "2.94" and box["mode"] == scheme
    assert box["icon"]["width"] > 0 and box["icon"]["right"] <= box["text"]  # the query starts after the icon
    # Side by side, in one row.
    assert box["icon"]["top"] < box["input"]["bottom"] and box["input"]["top"] < box["icon"]["bottom"]
    assert box["input"]["right"] <= PHONE["width"]
    context.close()
