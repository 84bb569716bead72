"""Matplotlib set-up shared by every figure: a CJK font from PyPI and byte-stable output."""

from __future__ import annotations

import importlib.resources
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

CJK_FONT_PACKAGE = "noto_cjk_sans_otc"
CJK_FONT_FILE = "NotoSansCJK-Regular.ttc"

_configured = False


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
            "figure.dpi": 100,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    # A figure with tofu boxes instead of Chinese characters must not be published.
    warnings.filterwarnings("error", message=r".*Glyph .* missing from (current )?font.*")
    _configured = True
    return family


def save(fig, svg_path: str, png_path: str, dpi: int) -> None:
    """Save SVG and PNG without timestamps, so two builds give identical bytes."""
    import io

    from biomedimg.io import write_bytes

    for path, fmt, meta in ((svg_path, "svg", {"Date": None}), (png_path, "png", {"Software": None})):
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta, bbox_inches="tight")
        write_bytes(path, buf.getvalue())
    plt.close(fig)


IMAGING_TYPES = {
    # key: (Chinese, English, colour, marker, line style)
    "ct": ("CT/X射线", "CT / X-ray", "#1f77b4", "o", "-"),
    "optical": ("光学成像", "Optical imaging", "#2ca02c", "s", "--"),
    "spectroscopy": ("谱学", "Spectroscopy", "#9467bd", "D", "-."),
    "nuclide": ("核素成像", "Nuclide imaging", "#d62728", "^", ":"),
    "electron_microscopy": ("电镜", "Electron microscopy", "#8c564b", "v", (0, (5, 1))),
    "nmr": ("核磁共振", "NMR", "#ff7f0e", "P", (0, (3, 1, 1, 1, 1, 1))),
    "ultrasound": ("超声成像", "Ultrasound", "#17becf", "X", "-"),
    "bioelectric": ("生物电磁成像", "Bioelectromagnetic imaging", "#7f7f7f", "*", "-"),
}

DEPARTMENTS = {
    # Chinese: (English short, colour)
    "医学科学部": ("Health Sciences", "#d62728"),
    "生命科学部": ("Life Sciences", "#2ca02c"),
    "化学科学部": ("Chemical Sciences", "#1f77b4"),
    "数理科学部": ("Math. & Physical Sci.", "#9467bd"),
    "信息科学部": ("Information Sciences", "#ff7f0e"),
}

DISCIPLINES = {
    "science": ("理科", "Science", "#1f77b4"),
    "engineering": ("工科", "Engineering", "#ff7f0e"),
    "medicine": ("医科", "Medicine", "#d62728"),
}


def t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en
