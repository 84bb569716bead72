"""The package's folders show its architecture: imports point only down the floors, never sideways
into a higher floor, and no module imports itself back through others (no cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from biomedimg import paths

PACKAGE = paths.ROOT / "workflow" / "biomedimg"
# Lowest first: a module may import its own floor or any floor below it.
FLOORS = ["", "data", "outputs", "site", "run", "tools"]


def module_name(file: Path) -> str:
    parts = file.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def floor(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in FLOORS) else ""


def package_imports(file: Path) -> set[str]:
    """The package modules a file imports (``from biomedimg.x import y`` counts y when it is a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.startswith("biomedimg.")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("biomedimg"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = any(
                    (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(s).exists()
                    for s in (".py", "")
                )
                names.add(candidate if is_module else node.module)
    return {n for n in names if n != "biomedimg"}


MODULES = {module_name(f): package_imports(f) for f in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_sits_on_a_known_floor():
    assert {floor(m) for m in MODULES} <= set(FLOORS)
    assert {floor(m) for m in MODULES} == set(FLOORS), "every floor holds modules"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_only_down(module):
    mine = FLOORS.index(floor(module))
    upward = sorted(dep for dep in MODULES[module] if FLOORS.index(floor(dep)) > mine)
    assert not upward, f"{module} (floor {floor(module) or 'ground'}) imports a higher floor: {upward}"


def test_no_import_cycle():
    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, path = stack.pop()
            for dep in MODULES.get(node, ()):
                if dep == start:
                    return path + [dep]
                if dep not in seen and dep in MODULES:
                    seen.add(dep)
                    stack.append((dep, path + [dep]))
        return None

    cycles = [c for m in MODULES if (c := cycle_from(m))]
    assert not cycles, " -> ".join(cycles[0])


def test_the_layering_check_sees_an_upward_import(tmp_path):
    """The check above can fail: a data module importing the site is found."""
    file = tmp_path / "bad.py"
    file.write_text("from biomedimg.site import render\nfrom biomedimg import paths\n", encoding="utf-8")
    deps = package_imports(file)
    assert deps == {"biomedimg.site.render", "biomedimg.paths"}
    assert FLOORS.index(floor("biomedimg.site.render")) > FLOORS.index(floor("biomedimg.data.validate"))
