"""The built claims ledger (both editions): each row's quote as printed with at most one number marked,
the number its claim checks; and in Chromium: sort buttons by keyboard, sections that a #claim_id
opens, the full column on a desktop and nothing sideways on a phone."""

from __future__ import annotations

import csv
import html
import json
import re

import pytest
from biomedimg import paths
from biomedimg.site.printed import _dec, _token_value
from conftest import serve

ROW = re.compile(r'<tr id="([^"]+)" data-status=.*?</tr>', flags=re.S)
QUOTE_ZH = re.compile(r'<q lang="zh">(.*?)</q>', flags=re.S)
MARK = re.compile(r'<mark class="claim-number">(.*?)</mark>', flags=re.S)


def ledger_rows(built, lang: str) -> dict[str, str]:
    page = (built / paths.BOOK_HTML / lang / "claims.html").read_text(encoding="utf-8")
    block = page.split('<div class="ledger-block"', 1)[1].split('<div class="ledger-block"', 1)[0]
    return {m.group(1): m.group(0) for m in ROW.finditer(block)}


@pytest.mark.parametrize("lang", paths.LANGS)
def test_each_quote_is_as_printed_and_marks_at_most_the_checked_number(built, lang):
    claims = json.loads((built / paths.CLAIMS_JSON).read_text(encoding="utf-8"))["claims"]
    with open(built / "data" / "raw" / "prose_statements.csv", encoding="utf-8", newline="") as fh:
        statements = {r["id"]: r for r in csv.DictReader(fh)}
    rows = ledger_rows(built, lang)
    assert set(rows) == {c["id"] for c in claims}
    marked = 0
    for c in claims:
        row = rows[c["id"]]
        assert len(MARK.findall(row)) <= 1, c["id"]  # one number or none, in the whole row
        quotes = QUOTE_ZH.findall(row)
        assert len(quotes) == 1, c["id"]
        printed = statements[c["statement"]]["quote_zh"]
        # Without the mark, the quote is exactly as printed.
        assert html.unescape(MARK.sub(r"\1", quotes[0])) == printed, c["id"]
        mark = MARK.findall(quotes[0])
        if not mark:
            continue
        marked += 1
        number = html.unescape(mark[0])
        assert number in printed
        # The mark holds the number the claim checks (its stated value; a range holds both ends).
        values = [
            _token_value(t)
            for t in re.findall(r"[0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?|[零〇一二两三四五六七八九十百千]+", number)
        ]
        stated = c["stated"][0] if isinstance(c["stated"], list) else c["stated"]
        assert _dec(stated) in values, (c["id"], number, stated)
    # Most quotes print their number in a form the ledger finds (11项, 7亿元, 十余次, 第二, 1/5).
    assert marked >= 0.85 * len(claims), marked
    assert '超过<mark class="claim-number">7亿元</mark>' in rows["nsfc_instrument_funding"]


@pytest.mark.parametrize("lang", paths.LANGS)
def test_computed_values_are_rounded_as_printed_with_the_exact_value_kept(built, lang):
    row = ledger_rows(built, lang)["nsfc_instrument_funding"]
    if lang == "zh":
        assert '<span class="computed-value" title="精确值：不少于7.083274亿元">不少于7.08亿元</span>' in row
    else:
        assert 'title="Exact value: at least 708.3274 million yuan">at least 708 million yuan</span>' in row
    # Every section is a <details> with its counts by status in the summary, closed in the HTML.
    page = (built / paths.BOOK_HTML / lang / "claims.html").read_text(encoding="utf-8")
    groups = re.findall(r'<details class="ledger-group"([^>]*)>\s*<summary>(.*?)</summary>', page, re.S)
    assert len(groups) >= 5 and not [g for g, _ in groups if "open" in g]
    assert all('class="badge badge-' in summary for _, summary in groups)


# ------------------------------------------------------------------------------------- in Chromium

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(built):
    server, base = serve(built / paths.BOOK_HTML)
    yield base
    server.shutdown()


def open_ledger(browser, url: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    assert not errors, errors
    return context, page


def row_ids(page, section: str) -> list[str]:
    return page.eval_on_selector_all(
        f"details.ledger-group[data-section='{section}'] tbody tr", "rows => rows.map(r => r.id)"
    )


@pytest.mark.browser
@pytest.mark.parametrize("lang", paths.LANGS)
def test_the_ledger_sorts_by_keyboard_with_aria_sort(site, browser, lang):
    context, page = open_ledger(browser, f"{site}{lang}/claims.html", DESKTOP)
    group = page.locator("details.ledger-group[data-section='2.1']")
    group.locator("summary").click()
    before = row_ids(page, "2.1")
    header = group.locator("thead th.col-values")
    assert header.get_attribute("aria-sort") == "none"
    header.locator("button").focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    ascending = row_ids(page, "2.1")
    assert ascending != before and sorted(ascending) == sorted(before)
    stated = page.eval_on_selector_all(
        "details.ledger-group[data-section='2.1'] tbody tr",
        "rows => rows.map(r => r.getAttribute('data-sort-stated'))",
    )
    numbers = [float(v) for v in stated if v]
    assert numbers == sorted(numbers), "numeric order (9 before 10, 7亿 after 1000万)"
    assert stated == [v for v in stated if v] + [v for v in stated if not v], "no value: last"
    page.keyboard.press("Space")  # the focus stays on the button: Space reverses
    assert header.get_attribute("aria-sort") == "descending"
    stated = page.eval_on_selector_all(
        "details.ledger-group[data-section='2.1'] tbody tr",
        "rows => rows.map(r => r.getAttribute('data-sort-stated'))",
    )
    numbers = [float(v) for v in stated if v]
    assert numbers == sorted(numbers, reverse=True)
    # Every section sorts by the same column; only that column's headers carry the order.
    assert page.locator("th[aria-sort='descending']").count() == page.locator("table.ledger").count()
    assert page.locator("th[aria-sort='ascending']").count() == 0
    # Stable: sorting by status keeps the claims of one status in the order they had.
    before_status = row_ids(page, "2.1")
    group.locator("thead th.col-status button").focus()
    page.keyboard.press("Enter")
    after = row_ids(page, "2.1")
    rank = dict(
        zip(
            after,
            page.eval_on_selector_all(
                "details.ledger-group[data-section='2.1'] tbody tr",
                # Each row's status, ranked in the ledger's order of statuses (the status filter's).
                "rows => { const order = [...document.querySelectorAll('[data-filter=status] option')]"
                ".map(o => o.value).filter(v => v); return rows.map(r => order.indexOf(r.dataset.status)); }",
            ),
            strict=True,
        )
    )
    assert [rank[i] for i in after] == sorted(rank.values()) and len(set(rank.values())) > 1
    assert after == sorted(before_status, key=lambda i: rank[i]), "equal statuses keep their order"
    assert group.locator("thead th.col-values").get_attribute("aria-sort") == "none"
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", paths.LANGS)
def test_a_claim_address_opens_its_section_and_shows_the_row(site, browser, lang):
    target = "nsfc_instrument_funding"
    context, page = open_ledger(browser, f"{site}{lang}/claims.html#{target}", DESKTOP)
    group = page.locator(f"details.ledger-group:has(tr[id='{target}'])")
    assert group.evaluate("d => d.open")
    assert page.locator("details.ledger-group[open]").count() == 1
    box = page.locator(f"tr[id='{target}']").bounding_box()
    assert 0 <= box["y"] <= DESKTOP["height"] - 40
    # A change of fragment on the page opens that claim's section too.
    other = page.eval_on_selector("details.ledger-group:not([open]) tbody tr", "r => r.id")
    page.evaluate("id => { location.hash = id; }", other)
    page.wait_for_function("id => document.getElementById(id).closest('details').open", arg=other)
    box = page.locator(f"tr[id='{other}']").bounding_box()
    assert 0 <= box["y"] <= DESKTOP["height"] - 40
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", paths.LANGS)
def test_the_ledger_uses_the_full_column_and_never_scrolls_sideways(site, browser, lang):
    context, page = open_ledger(browser, f"{site}{lang}/claims.html", DESKTOP)
    page.evaluate("document.querySelectorAll('details.ledger-group').forEach(d => { d.open = true; })")
    width = page.locator("table.ledger").first.bounding_box()["width"]
    assert width >= 1000, width
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    context.close()
    context, page = open_ledger(browser, f"{site}{lang}/claims.html", PHONE)
    # Closed, the ledger is short: the sections' summaries only.
    closed = page.locator(".ledger-groups").bounding_box()["height"]
    assert closed < 3 * PHONE["height"], closed
    page.evaluate("document.querySelectorAll('details.ledger-group').forEach(d => { d.open = true; })")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(
        "[...document.querySelectorAll('.ledger-groups tbody tr')].every(r => "
        "r.getBoundingClientRect().right <= innerWidth)"
    )
    context.close()


@pytest.mark.browser
def test_a_status_filter_works_across_the_sections(site, browser):
    claims = json.loads((paths.ROOT / paths.CLAIMS_JSON).read_text(encoding="utf-8"))["claims"]
    context, page = open_ledger(browser, f"{site}en/claims.html", DESKTOP)
    page.select_option("select[data-filter=status]", "inconclusive")
    expected = [c for c in claims if c["status"] == "inconclusive"]
    assert page.locator(".ledger-groups tbody tr:visible").count() == len(expected)
    sections = {c["section"] for c in expected}
    assert len(sections) >= 2, "the test needs matches in two sections"
    opened = page.eval_on_selector_all("details.ledger-group[open]", "ds => ds.map(d => d.dataset.section)")
    assert set(opened) == sections
    assert page.locator("details.ledger-group:not([hidden])").count() == len(sections)
    context.close()
