"""The built site in a real browser: every page served from a sub-path on localhost, in headless
Chromium driven by Playwright: images load, no console errors, no broken local links; data is escaped."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import snakemake

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SUBPATH = "/biomedical-imaging/"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under SUBPATH only, as GitHub Pages serves a project site."""

    def translate_path(self, path):
        parsed = urllib.parse.urlsplit(path).path
        if not parsed.startswith(SUBPATH):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(SUBPATH) :])

    def log_message(self, *args):
        pass


def serve(site: Path):
    handler = functools.partial(SubPathHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


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
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
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
    assert len(list(shots.glob("*.png"))) == len(pages)


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
        page.fill("input[aria-label='Filter rows of table1_xiangshan_conferences']", "杭州")
        visible = page.locator("table#table1_xiangshan_conferences tbody tr:visible").count()
        assert visible == 2
        page.close()
        claims = visit(browser, base + "claims.html")["page"]
        assert claims.locator("table#claims-ledger tbody tr").count() >= 45
        assert claims.locator(".badge-fail").count() >= 1
        ledger = claims.locator("table#claims-ledger tbody tr").count()
        others = claims.locator("table#other-statements tbody tr").count()
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
