"""The package modules a script's code depends on, worked out from its imports.

Each rule lists, as inputs, its script and every module of this package that the script imports,
directly or through other modules. Editing a module then reruns exactly the jobs whose code runs it.
The imports are read from the source with ``ast`` (every ``import`` statement, including those inside
functions), so the list never has to be written, or corrected, by hand.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from biomedimg import paths

PACKAGE = "biomedimg"
PACKAGE_DIR = Path("workflow") / PACKAGE


def module_file(module: str, root: Path = paths.ROOT) -> Path | None:
    """The source file of ``biomedimg`` or ``biomedimg.x`` (relative to root), or None for other modules."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if (root / candidate).is_file():
            return candidate
    return None


def _imported_names(tree: ast.AST, this_module: str | None) -> set[str]:
    """Every module name an import statement of the tree may load (``from a import b`` gives a and a.b)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against the importing module's package
                anchor = (this_module or PACKAGE).split(".")[: -node.level] or [PACKAGE]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


@functools.cache
def _imports_of(file: Path, module: str | None, stamp: tuple[int, int]) -> frozenset[str]:
    """The names ``file`` imports, parsed once per version of the file (``stamp``: mtime and size):
    the Snakefile asks for the code of every rule, and most rules share most modules."""
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    return frozenset(_imported_names(tree, module))


def _with_parents(module: str) -> list[str]:
    """Importing a.b.c runs a/__init__.py and a/b/__init__.py first."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def package_imports(source: Path, root: Path = paths.ROOT) -> set[Path]:
    """The package's source files that running ``source`` imports, directly or transitively."""
    found: set[Path] = set()
    todo = [(Path(source), None)]
    while todo:
        path, module = todo.pop()
        stat = (root / path).stat()
        for name in _imports_of(root / path, module, (stat.st_mtime_ns, stat.st_size)):
            for candidate in _with_parents(name):
                file = module_file(candidate, root)
                if file is not None and file not in found:
                    found.add(file)
                    todo.append((file, candidate))
    return found


# Every job runs its script through the runner, so the runner's code is part of every job's code.
RUNNER = PACKAGE_DIR / "runner.py"


def job_code(script: Path | str, root: Path = paths.ROOT) -> list[str]:
    """A rule's code: its script first, then the package modules that running it through the runner
    imports (the runner's own included), as sorted paths relative to the project root."""
    script = Path(script)
    modules = package_imports(script, root) | package_imports(RUNNER, root) | {RUNNER}
    return [str(script)] + sorted(str(p) for p in modules)
