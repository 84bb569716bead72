"""Each edition of the site as readers meet it, in headless Chromium at 1366 px and on a 390-px phone,
light and dark: accessibility (axe-core), contrast, no sideways scroll, readable figures, sortable
tables by keyboard; screenshots of every page go to results/screenshots/<edition>/."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from biomedimg import catalog, paths
from biomedimg.outputs import figures, style
from conftest import serve

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
MODES = ("light", "dark")
MIN_TEXT_PX = 9
MIN_CONTRAST = 4.5


def editions(site: Path) -> list[tuple[str, Path]]:
    """The site's language editions, zh/ and en/: one that is missing fails the test (it is no reason
    to skip)."""
    for lang in paths.LANGS:
        assert (site / lang / "index.html").exists(), f"the {lang} edition is missing from {site}"
    return [(lang, site / lang) for lang in paths.LANGS]


def pages(edition: Path) -> list[str]:
    return sorted(p.name for p in edition.glob("*.html"))


@pytest.fixture(scope="module")
def site(built):
    root = built / paths.BOOK_HTML
    server, base = serve(root)
    yield root, base
    server.shutdown()


def edition_ids():
    return list(paths.LANGS)


def open_page(browser, url: str, viewport: dict, mode: str):
    """A page in a fresh context, the theme's light or dark mode chosen as a reader's toggle does."""
    context = browser.new_context(viewport=viewport)
    # pydata-sphinx-theme reads the reader's choice from localStorage before it paints.
    context.add_init_script(
        f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    assert page.evaluate("document.documentElement.dataset.theme") == mode, url
    assert not errors, f"{url}: {errors}"
    return context, page


def screenshot(page, built: Path, lang: str, name: str, viewport: dict, mode: str) -> None:
    folder = built / "results" / "screenshots" / lang
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name.removesuffix('.html')}.{viewport['width']}.{mode}.png"))


def edition_dir(site_root: Path, lang: str) -> tuple[Path, str]:
    folder = dict(editions(site_root))[lang]
    return folder, f"{lang}/"


# ------------------------------------------------------------------ axe-core, contrast, screenshots


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", edition_ids())
def test_no_serious_accessibility_violation_on_any_page(built, site, browser, lang, mode):
    """axe-core (bundled with axe-playwright-python, offline) on every page at 1366 px, light and dark."""
    from axe_playwright_python.sync_playwright import Axe

    root, base = site
    folder, prefix = edition_dir(root, lang)
    axe = Axe()
    problems = []
    for name in pages(folder):
        context, page = open_page(browser, base + prefix + name, DESKTOP, mode)
        screenshot(page, built, lang, name, DESKTOP, mode)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                node = violation["nodes"][0]
                problems.append(
                    f"{prefix}{name} ({mode}): {violation['id']} [{violation['impact']}] "
                    f"x{len(violation['nodes'])}, e.g. {node['target']}: {node.get('failureSummary', '')[:200]}"
                )
        context.close()
    assert not problems, "\n".join(problems)


CONTRAST_JS = """
(selector) => {
  function rgba(text) {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  function background(el) {
    // The first opaque background up the tree (the page's own if none).
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0.99) return c;
    }
    return rgba(getComputedStyle(document.body).backgroundColor);
  }
  function luminance(c) {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  return Array.from(document.querySelectorAll(selector)).slice(0, 20).map(el => {
    const fg = rgba(getComputedStyle(el).color), bg = background(el);
    const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    return [el.className || el.tagName, (a + 0.05) / (b + 0.05)];
  });
}
"""


@pytest.mark.parametrize("mode", MODES)
def test_cards_table_headers_and_summaries_keep_their_contrast(site, browser, mode):
    """The elements that dropped to 1.3:1 in dark mode: at least 4.5:1 in both modes."""
    root, base = site
    lang, folder = editions(root)[0]
    _, prefix = edition_dir(root, lang)
    context, page = open_page(browser, base + prefix + "status_investment.html", DESKTOP, mode)
    measured = []
    for selector in (".provenance-card", "table.data-table th", ".summary p", "table.data-table td"):
        found = page.evaluate(CONTRAST_JS, selector)
        assert found, f"no {selector} on the page"
        measured += [(selector, ratio) for _, ratio in found]
    context.close()
    low = [(s, round(r, 2)) for s, r in measured if r < MIN_CONTRAST]
    assert not low, f"{mode}: contrast under {MIN_CONTRAST}:1: {low}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", edition_ids())
def test_no_page_scrolls_sideways_on_a_phone(built, site, browser, lang, mode):
    root, base = site
    folder, prefix = edition_dir(root, lang)
    wide = []
    for name in pages(folder):
        context, page = open_page(browser, base + prefix + name, PHONE, mode)
        screenshot(page, built, lang, name, PHONE, mode)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"{prefix}{name}: {width} px")
        context.close()
    assert not wide, f"pages wider than a {PHONE['width']}-px phone: {wide}"


def test_screenshots_cover_every_page_in_both_widths_and_modes(built):
    """Runs after the tests above (file order): one screenshot per page, width and mode."""
    root = built / paths.BOOK_HTML
    for lang, folder in editions(root):
        shots = built / "results" / "screenshots" / lang
        for name in pages(folder):
            for viewport in (DESKTOP, PHONE):
                for mode in MODES:
                    stem = name.removesuffix(".html")
                    assert (shots / f"{stem}.{viewport['width']}.{mode}.png").exists(), (lang, stem)


# ---------------------------------------------------------------------------------- figures


@pytest.fixture(scope="module")
def smallest_text_pt():
    """Each figure's smallest text in points, per language, from the figure objects themselves."""
    style.setup()
    sizes = {}
    for name in catalog.FIGURES:
        for lang, plot in figures.build(name).items():
            sizes[name, lang] = style.smallest_text_pt(plot.figure)
            plt.close(plot.figure)
    return sizes


FIGURE_IMAGES_JS = """
() => Array.from(document.querySelectorAll('.bd-article img')).map(img => {
  const box = img.getBoundingClientRect();
  const link = img.closest('a');
  return {src: img.currentSrc || img.src, width: box.width, top: box.top + window.scrollY,
          natural: img.naturalWidth, loading: img.getAttribute('loading'),
          href: link ? link.href : null};
})
"""
FIGURE_FILE = re.compile(r"/(?P<name>[a-z0-9_]+)\.(?P<lang>zh|en)\.(?P<fmt>svg|png)$")


def figure_pages(folder: Path) -> list[str]:
    return [n for n in pages(folder) if "figures/" in (folder / n).read_text(encoding="utf-8")]


@pytest.mark.parametrize("lang", edition_ids())
def test_figures_read_at_9_px_on_a_desktop_and_open_full_size_on_a_phone(
    built, site, browser, smallest_text_pt, lang
):
    root, base = site
    folder, prefix = edition_dir(root, lang)
    seen = 0
    for name in figure_pages(folder):
        for viewport in (DESKTOP, PHONE):
            context, page = open_page(browser, base + prefix + name, viewport, "light")
            for img in page.evaluate(FIGURE_IMAGES_JS):  # before any image loads lazily
                if img["top"] > viewport["height"] and FIGURE_FILE.search(img["src"].split("?")[0]):
                    assert img["loading"] == "lazy", f"{prefix}{name}: {img['src']} below the fold, not lazy"
            page.evaluate(
                "document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })"
            )
            page.wait_for_function("Array.from(document.images).every(i => i.complete)")
            for img in page.evaluate(FIGURE_IMAGES_JS):
                match = FIGURE_FILE.search(img["src"].split("?")[0])
                if not match:
                    continue
                seen += 1
                fig = match["name"], match["lang"]
                where = f"{prefix}{name} {viewport['width']}px {Path(img['src']).name}"
                # Sized for the column: a vector image, or a bitmap at most about twice its shown width.
                assert img["natural"] > 0, f"{where}: did not load"
                assert match["fmt"] == "svg" or img["natural"] <= 2.5 * img["width"], where
                svg = root / urllib.request.url2pathname(img["src"].split(base, 1)[1])
                width_pt = style.svg_width_pt(svg.read_bytes())
                px = smallest_text_pt[fig] * img["width"] / width_pt
                if viewport is DESKTOP:
                    assert px >= MIN_TEXT_PX, f"{where}: smallest text {px:.1f} px"
                elif px < MIN_TEXT_PX:
                    # On a phone: a tap opens the figure alone, at full size.
                    assert img["href"] and FIGURE_FILE.search(img["href"]), f"{where}: no link to full size"
                    full = context.new_page()
                    response = full.goto(img["href"])
                    assert response.status == 200, img["href"]
                    shown = full.evaluate("document.documentElement.getBoundingClientRect().width")
                    full_px = smallest_text_pt[fig] * shown / width_pt
                    assert full_px >= MIN_TEXT_PX, f"{where}: full size shows {full_px:.1f} px"
                    full.close()
            context.close()
    assert seen >= 2 * len(catalog.FIGURES), f"only {seen} figure images seen"


# ---------------------------------------------------------------------------------- tables


def day(text: str) -> str:
    """A Table 1 date (Chinese 1995年12月15~17日 or ISO 1995-12-15) as an ISO day."""
    m = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})", text) or re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    assert m, text
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"


@pytest.mark.parametrize("lang", edition_ids())
def test_headers_sort_by_keyboard_and_dates_sort_by_day(site, browser, lang):
    root, base = site
    _, prefix = edition_dir(root, lang)
    context, page = open_page(browser, base + prefix + "status_investment.html", DESKTOP, "light")
    table = page.locator("table#table1_xiangshan_conferences")
    headers = table.locator("thead th")
    texts = headers.all_inner_texts()
    col = next(i for i, t in enumerate(texts) if "会议日期" in t or "Dates" in t)
    header = headers.nth(col)
    assert header.get_attribute("aria-sort") == "none"
    button = header.locator("button")
    button.focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    cells = table.locator(f"tbody tr td:nth-child({col + 1})").all_inner_texts()
    assert [day(c) for c in cells] == sorted(day(c) for c in cells)
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "descending"
    cells = table.locator(f"tbody tr td:nth-child({col + 1})").all_inner_texts()
    days = [day(c) for c in cells]
    assert days == sorted(days, reverse=True), "dates in one year sort by day, not by year only"
    assert len(set(d[:4] for d in days)) < len(days), "the test needs two conferences in one year"
    # Only one header at a time carries the sort.
    assert [headers.nth(i).get_attribute("aria-sort") for i in range(len(texts))].count("none") == len(
        texts
    ) - 1
    context.close()


def test_sort_keys(site, browser):
    root, base = site
    _, prefix = edition_dir(root, editions(root)[0][0])
    context, page = open_page(browser, base + prefix + "index.html", DESKTOP, "light")
    key = lambda text: page.evaluate("t => companionSortKey(t)", text)  # noqa: E731
    assert key("1996年5月14~17日") == {"kind": 1, "value": "1996-05-14"}
    assert key("1995-12-15") == {"kind": 1, "value": "1995-12-15"}
    assert key(">700") == {"kind": 0, "value": 700}
    assert key("2006/2009") == {"kind": 0, "value": 2006}
    assert key("H18")["kind"] == 2
    context.close()
