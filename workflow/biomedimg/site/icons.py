"""The theme's icons from a font of just the glyphs the site shows.

pydata-sphinx-theme draws its icons (menu, search, light/dark, admonitions) with Font Awesome's solid
font: 156 KB on every page, for about twenty glyphs. After Sphinx has built an edition, ``subset``
writes ``_static/icons-solid.woff`` with only the glyphs its pages' ``fa-*`` classes and the theme's
stylesheet (its ``--pst-icon-*`` variables) name; ``_static/components.css`` declares it under the
theme's family and weight, after the theme's own declaration, so the browser takes it instead and
never asks for the full font. (The theme's fontawesome.js, which redrew the same icons as SVG, is
not loaded at all: book/_templates/layout.html.) ``prune`` then drops from the edition's copy of the
theme's stylesheet the rules of the icons no page shows (85 of its 397 KB, loaded by every page).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

FONT = "icons-solid.woff"
THEME_CSS = Path("_static/styles/pydata-sphinx-theme.css")
# One rule of Font Awesome's stylesheet: its selectors (".fa-bars:before,.fa-navicon:before") and glyph.
_CLASS_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"\\([0-9a-f]{4})"\}')
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_USED_CLASS = re.compile(r"\bfa-[a-z0-9-]+")


def theme_font() -> Path:
    """Font Awesome's solid font as the installed theme ships it (TrueType: reading its WOFF2 would need brotli)."""
    import pydata_sphinx_theme

    return (
        Path(pydata_sphinx_theme.__file__).parent
        / "theme/pydata_sphinx_theme/static/vendor/fontawesome/webfonts/fa-solid-900.ttf"
    )


def theme_css() -> str:
    """The theme's stylesheet as installed: the edition's copy is pruned (``prune``)."""
    import pydata_sphinx_theme

    return (
        Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/styles" / THEME_CSS.name
    ).read_text(encoding="utf-8")


def used_classes(edition: Path) -> set[str]:
    used = set()
    for page in edition.rglob("*.html"):
        used |= set(_USED_CLASS.findall(page.read_text(encoding="utf-8")))
    return used


def codepoints(edition: Path) -> set[int]:
    """The glyphs an edition shows: those of the fa-* classes in its pages, and the theme's own."""
    css = theme_css()
    by_class = {}
    for selectors, code in _CLASS_RULE.findall(css):
        for name in re.findall(r"\.(fa-[a-z0-9-]+):before", selectors):
            by_class[name] = int(code, 16)
    used = used_classes(edition)
    # Icons the stylesheet puts in itself (admonitions, external links, the breadcrumb divider); the
    # GitHub and GitLab marks among them are in the brands font, which no page uses.
    own = {ord(c) for c in _PRIVATE_USE.findall(_CLASS_RULE.sub("", css))}
    return ({by_class[c] for c in used if c in by_class} | own) & solid_glyphs()


@functools.cache
def solid_glyphs() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(theme_font())).getBestCmap())


def subset(edition: Path) -> Path:
    """Write the edition's icon font; the same pages give the same bytes."""
    from fontTools import subset as ft

    options = ft.Options()
    options.flavor = "woff"  # zlib; WOFF2 would need brotli
    options.layout_features = ["*"]
    font = ft.load_font(str(theme_font()), options)
    subsetter = ft.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints(edition)))
    subsetter.subset(font)
    target = edition / "_static" / FONT
    ft.save_font(font, str(target), options)
    return target


def prune(edition: Path) -> Path:
    """Rewrite the edition's copy of the theme's stylesheet without the rules of the icons its pages do
    not show (a rule whose selectors all name such icons goes; the others keep only the shown ones).
    Read from the installed stylesheet, so a second build gives the same bytes."""
    used = used_classes(edition)

    def keep(rule: re.Match) -> str:
        names = [n for n in re.findall(r"\.(fa-[a-z0-9-]+):before", rule.group(1)) if n in used]
        return ",".join(f".{n}:before" for n in names) + f'{{content:"\\{rule.group(2)}"}}' if names else ""

    target = edition / THEME_CSS
    target.write_text(_CLASS_RULE.sub(keep, theme_css()), encoding="utf-8")
    return target
