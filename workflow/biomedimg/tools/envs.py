"""Write envs/*.yaml (conda environment specs) from uv.lock, so they mirror the locked versions.

``python -m biomedimg.tools.envs`` regenerates them; a test checks they are up to date.
"""

from __future__ import annotations

import sys
import tomllib

from biomedimg import paths

GROUPS = {
    "workflow": (
        "Every rule: validation, tables, claims, provenance, data package",
        ["snakemake", "dvc", "pandas", "pyyaml", "jsonschema", "frictionless"],
    ),
    "figures": (
        "Figure rules (matplotlib, seaborn, the CJK font from PyPI; openpyxl for the values as .xlsx)",
        ["pandas", "pyyaml", "jsonschema", "matplotlib", "seaborn", "noto-cjk-sans-otc", "openpyxl"],
    ),
    "book": (
        "The book rule (Jupyter Book 1, Sphinx; fonttools for the icon font) and the interactive "
        "figures' library (vl-convert), the search index (Pagefind)",
        [
            "pandas",
            "pyyaml",
            "jsonschema",
            "jupyter-book",
            "vl-convert-python",
            "fonttools",
            "pagefind-bin-extended",
        ],
    ),
    "pdf": (
        "The PDF rule (Typst, the CJK font from PyPI)",
        ["pandas", "pyyaml", "jsonschema", "jinja2", "typst", "noto-cjk-sans-otc"],
    ),
}


def locked_versions() -> dict[str, str]:
    with open(paths.ROOT / "uv.lock", "rb") as fh:
        lock = tomllib.load(fh)
    return {p["name"]: p["version"] for p in lock["package"] if "version" in p}


def render(name: str) -> str:
    purpose, packages = GROUPS[name]
    versions = locked_versions()
    lines = [
        f"# {purpose}.",
        "# Generated from uv.lock by `python -m biomedimg.tools.envs`; the default route is the locked .venv.",
        "# After creating the environment, install the project itself: pip install -e .",
        f"name: biomedimg-{name}",
        "channels: [conda-forge]",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {p}=={versions[p]}" for p in packages]
    return "\n".join(lines) + "\n"


def main() -> int:
    for name in GROUPS:
        (paths.ROOT / "envs" / f"{name}.yaml").write_text(render(name), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
