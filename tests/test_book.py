"""The built site in a real browser: every page served from a sub-path on localhost, in headless
Chromium driven by Playwright: images load, no console errors, no broken local links; data is escaped."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import serve, snakemake

pytestmark = pytest.mark.browser


def site_pages(site: Path) -> list[str]:
    return sorted(p.name for p in site.glob("*.html"))


def visit(browser, url: str, screenshot: Path | None = None) -> dict:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="networkidle")
    # Figures below the fold load lazily: load them all, then check each one arrived.
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=20000)
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.currentSrc || e.src, e.naturalWidth])")
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    if screenshot:
        page.screenshot(path=str(screenshot), full_page=False)
    info = {"errors": errors, "images": images, "links": links, "page": page}
    return info


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_in_chromium(built, browser, lang):
    site = built / "book" / "_build" / "html"
    shots = built / "results" / "screenshots" / lang
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):  # this test's own (tests/test_browser.py adds <page>.<width>.<mode>.png)
        if "." not in old.stem:
            old.unlink()
    server, base = serve(site)
    base += f"{lang}/"
    try:
        pages = site_pages(site / lang)
        assert {
            "index.html",
            "significance.html",
            "status_investment.html",
            "claims.html",
            "data.html",
        } <= set(pages)
        checked_links: set[str] = set()
        for name in pages:
            info = visit(browser, base + name, shots / name.replace(".html", ".png"))
            assert not info["errors"], f"{name}: {info['errors']}"
            for src, width in info["images"]:
                assert width > 0, f"{name}: image {src} did not load"
            for href in info["links"]:
                url = href.split("#")[0]
                if not url.startswith(base) or url in checked_links:
                    continue
                checked_links.add(url)
                try:
                    with urllib.request.urlopen(url, timeout=10) as resp:
                        assert resp.status == 200
                except urllib.error.HTTPError as exc:
                    raise AssertionError(f"{name}: broken link {href} ({exc.code})") from None
            info["page"].close()
        assert len(checked_links) > 20
    finally:
        server.shutdown()
    assert len([p for p in shots.glob("*.png") if "." not in p.stem]) == len(pages)


def test_figures_tables_and_cards_are_on_their_pages(built, browser):
    site = built / "book" / "_build" / "html"
    server, base = serve(site)
    base += "zh/"
    try:
        info = visit(browser, base + "status_investment.html")
        page = info["page"]
        assert page.locator("table#table1_xiangshan_conferences tbody tr").count() == 25
        assert page.locator("table#table2_cast_subcommittees tbody tr").count() == 65
        assert page.locator(".provenance-card").count() >= 10
        caption = page.locator("figure#fig_xiangshan_timeline figcaption").inner_text()
        assert caption.startswith("本书图C1")
        # The filter box narrows the table; a header click sorts it.
        # The Chinese edition's box is labelled in Chinese (placeholder 筛选, not 筛选 / Filter).
        box = page.locator("input[aria-label='筛选表 table1_xiangshan_conferences 的行']")
        assert box.get_attribute("placeholder") == "筛选"
        box.fill("杭州")
        visible = page.locator("table#table1_xiangshan_conferences tbody tr:visible").count()
        assert visible == 2
        page.close()
        claims = visit(browser, base + "claims.html")["page"]
        assert claims.locator(".ledger-groups tbody tr").count() >= 45
        assert claims.locator(".badge-inconclusive").count() >= 1  # e.g. nsfc_major_funding (bounds)
        assert claims.locator(".badge-by_construction").count() >= 1
        ledger = claims.locator(".ledger-groups tbody tr").count()
        others = claims.locator("#other-statements tbody tr").count()
        assert ledger + others >= 190, "every stated number is on the claims page"
        claims.close()
    finally:
        server.shutdown()


def test_data_holding_a_script_tag_is_shown_as_text(built_copy, browser):
    root = built_copy
    raw = root / "data" / "raw" / "xiangshan_conferences.csv"
    payload = "<script>window.__xss = 1</script><img src=x onerror=window.__xss=2>"
    text = raw.read_text(encoding="utf-8").replace("PET and life sciences in the 21st century", payload, 1)
    assert payload in text, "the English theme of conference 1 changed: update the test"
    raw.write_text(text, encoding="utf-8")
    snakemake(root)
    server, base = serve(root / "book" / "_build" / "html")
    try:
        page = visit(browser, base + "en/status_investment.html")["page"]
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert payload in page.locator("table#table1_xiangshan_conferences").inner_text()
        page.close()
    finally:
        server.shutdown()
