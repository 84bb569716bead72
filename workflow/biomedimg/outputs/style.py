"""Matplotlib set-up shared by every figure: a CJK font from PyPI and byte-stable output."""

from __future__ import annotations

import importlib.resources
import io
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from biomedimg import vocab  # noqa: E402

CJK_FONT_PACKAGE = "noto_cjk_sans_otc"
CJK_FONT_FILE = "NotoSansCJK-Regular.ttc"

_configured = False

# Readability. Figures are shown at the width of the book's text column, about 740 CSS px on a
# 1366-px screen (measured in Chromium, sphinx-book-theme); a reader needs at least 9 px there.
WIDTH_IN = 8.5  # every figure's width; the saved (tight) width may differ a little
BASE_PT = 10
SMALL_PT = 9  # the smallest text any figure uses
COLUMN_PX = 740
MIN_TEXT_PX = 9


def setup(font_package: str = CJK_FONT_PACKAGE, font_file: str = CJK_FONT_FILE) -> str:
    """Register the CJK font, make a missing glyph an error, and fix everything that varies per run."""
    global _configured
    font_path = str(importlib.resources.files(font_package) / font_file)
    if not _configured:
        font_manager.fontManager.addfont(font_path)
    family = font_manager.FontProperties(fname=font_path).get_name()
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.hashsalt": "biomedimg",  # stable ids inside SVG files
            "svg.fonttype": "path",
            # Text from the data is drawn as written: "$" and "\\" never start mathtext.
            "text.parse_math": False,
            "font.size": BASE_PT,
            "figure.dpi": 100,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    # A figure with tofu boxes instead of Chinese characters must not be published.
    warnings.filterwarnings("error", message=r".*Glyph .* missing from (current )?font.*")
    _configured = True
    return family


def texts(fig) -> list[Text]:
    """Every piece of text a reader sees in a figure (visible, not empty)."""
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())
    ]


def smallest_text_pt(fig) -> float:
    return min(t.get_fontsize() for t in texts(fig))


def svg_width_pt(svg: bytes) -> float:
    """The width an SVG written by matplotlib declares, in points."""
    match = re.search(rb'<svg[^>]*\swidth="([0-9.]+)pt"', svg)
    if not match:
        raise ValueError("no width in pt on the <svg> element")
    return float(match.group(1))


def text_px_in_column(smallest_pt: float, width_pt: float, column_px: float = COLUMN_PX) -> float:
    """CSS px of text of ``smallest_pt`` when a figure ``width_pt`` wide fills a column."""
    return smallest_pt * column_px / width_pt


def save(fig, svg_path: str, png_path: str, dpi: int, name: str = "") -> None:
    """Save SVG and PNG without timestamps, so two builds give identical bytes.

    Refuses a figure whose smallest text would be under MIN_TEXT_PX when shown in the text column.
    """
    from biomedimg.io import write_bytes

    smallest = smallest_text_pt(fig)
    files = {}
    for path, fmt, meta in ((svg_path, "svg", {"Date": None}), (png_path, "png", {"Software": None})):
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta, bbox_inches="tight")
        files[path] = buf.getvalue()
    px = text_px_in_column(smallest, svg_width_pt(files[svg_path]))
    plt.close(fig)
    if px < MIN_TEXT_PX:
        raise ValueError(
            f"figure {name or svg_path}: its smallest text ({smallest:g} pt) would show at {px:.1f} px "
            f"in a {COLUMN_PX}-px column (at least {MIN_TEXT_PX} px): enlarge the text or narrow the figure"
        )
    for path, data in files.items():
        write_bytes(path, data)


# Colours: the Okabe-Ito palette (Okabe and Ito 2008, https://jfly.uni-koeln.de/color/), which stays
# distinguishable under protanopia and deuteranopia; tests/test_figures.py checks every group of colours
# shown side by side (SIDE_BY_SIDE) with colour's simulation.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
HIGHLIGHT = OKABE_ITO["vermillion"]  # China, or the bar the figure is about
OTHER = OKABE_ITO["blue"]  # everything else, and single-series bars
MUTED = "#DDDDDD"  # the remainder of a whole (patents: rest of world)
BAR_EDGE = "#333333"  # outlines keep light bars (yellow) visible on white

IMAGING_TYPES = {
    # key: (Chinese, English, colour, marker, line style); marker and line style also tell them apart
    "ct": ("CT/X射线", "CT / X-ray", OKABE_ITO["blue"], "o", "-"),
    "optical": ("光学成像", "Optical imaging", OKABE_ITO["bluish_green"], "s", "--"),
    "spectroscopy": ("谱学", "Spectroscopy", OKABE_ITO["reddish_purple"], "D", "-."),
    "nuclide": ("核素成像", "Nuclide imaging", OKABE_ITO["vermillion"], "^", ":"),
    "electron_microscopy": ("电镜", "Electron microscopy", OKABE_ITO["black"], "v", (0, (5, 1))),
    "nmr": ("核磁共振", "NMR", OKABE_ITO["orange"], "P", (0, (3, 1, 1, 1, 1, 1))),
    "ultrasound": ("超声成像", "Ultrasound", OKABE_ITO["sky_blue"], "X", "-"),
    "bioelectric": ("生物电磁成像", "Bioelectromagnetic imaging", OKABE_ITO["yellow"], "*", "-"),
}

DEPARTMENTS = {
    # Chinese: (English short, colour)
    "医学科学部": ("Health Sciences", OKABE_ITO["vermillion"]),
    "生命科学部": ("Life Sciences", OKABE_ITO["bluish_green"]),
    "化学科学部": ("Chemical Sciences", OKABE_ITO["blue"]),
    "数理科学部": ("Math. & Physical Sci.", OKABE_ITO["yellow"]),
    "信息科学部": ("Information Sciences", OKABE_ITO["sky_blue"]),
}

DISCIPLINE_COLOURS = {
    "science": OKABE_ITO["blue"],
    "engineering": OKABE_ITO["yellow"],
    "medicine": OKABE_ITO["vermillion"],
}
# (Chinese, English, colour) of each discipline code; the words are vocab.DISCIPLINES.
DISCIPLINES = {code: (*words, DISCIPLINE_COLOURS[code]) for code, words in vocab.DISCIPLINES.items()}

# Colours a reader must tell apart because they appear together in one figure.
SIDE_BY_SIDE = {
    "imaging types (Figure 1)": [v[2] for v in IMAGING_TYPES.values()],
    "NSFC departments": [v[1] for v in DEPARTMENTS.values()],
    "CAST disciplines": [v[2] for v in DISCIPLINES.values()],
    "highlight, other and remainder": [HIGHLIGHT, OTHER, MUTED],
}


def t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en
