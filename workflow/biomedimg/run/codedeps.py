"""The package modules a script's code depends on, worked out from its imports.

Each rule lists, as inputs, its script and every module of this package that the script imports,
directly or through other modules. Editing a module then reruns exactly the jobs whose code runs it.
The imports are read from the source with ``ast`` (every ``import`` statement, including those inside
functions), so the list never has to be written, or corrected, by hand. What each version of a module
imports is kept in the user's cache under the hash of its source, so Snakemake's start-up parses only
the modules edited since (parsing them all took a sixth of a second on every run).
"""

from __future__ import annotations

import ast
import functools
import hashlib
from pathlib import Path

from biomedimg import paths, usercache

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


CACHE = "codedeps.json"


class _Known:
    """The cached import lists, by hash of (this module's source, module name, source), read once per
    process; the entries this process used, and whether it added any."""

    def __init__(self):
        # This module's own source is part of every key: a change to how imports are read is a new cache.
        self.salt = hashlib.sha256(Path(__file__).read_bytes()).digest()
        # A damaged cache is a cold one, and an entry of the wrong shape is no entry.
        cached = usercache.read_json(CACHE)
        self.imports: dict[str, list[str]] = {
            key: names
            for key, names in (cached.items() if isinstance(cached, dict) else ())
            if isinstance(names, list) and all(isinstance(name, str) for name in names)
        }
        self.used: set[str] = set()
        self.added = False

    def save(self) -> None:
        if not self.added:
            return
        # Entries of module versions long gone are dropped once they outnumber the live ones.
        if len(self.imports) > 4 * len(self.used):
            self.imports = {k: v for k, v in self.imports.items() if k in self.used}
        usercache.write_json(CACHE, self.imports)
        self.added = False


@functools.cache
def _known() -> _Known:
    return _Known()


@functools.cache
def _imports_of(file: Path, module: str | None, stamp: tuple[int, int]) -> frozenset[str]:
    """The names ``file`` imports, worked out once per version of the file (``stamp``: mtime and size)
    in a process (the Snakefile asks for the code of every rule, and most rules share most modules),
    and once per version of its source in the user's cache."""
    source = file.read_bytes()
    known = _known()
    key = hashlib.sha256(known.salt + f"{module}\0".encode() + source).hexdigest()
    if key not in known.imports:
        tree = ast.parse(source, filename=str(file))
        known.imports[key] = sorted(_imported_names(tree, module))
        known.added = True
    known.used.add(key)
    return frozenset(known.imports[key])


def _with_parents(module: str) -> list[str]:
    """Importing a.b.c runs a/__init__.py and a/b/__init__.py first."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def package_imports(source: Path, root: Path = paths.ROOT, module: str | None = None) -> set[Path]:
    """The package's source files that running ``source`` (the file of ``module``, when it is one of
    the package's) imports, directly or transitively."""
    found: set[Path] = set()
    todo = [(Path(source), module)]
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
RUNNER = PACKAGE_DIR / "run" / "job.py"


def job_code(script: Path | str, root: Path = paths.ROOT, modules: tuple[str, ...] = ()) -> list[str]:
    """A rule's code: its script first, then the package modules that running it through the runner
    imports (the runner's own included), as sorted paths relative to the project root. ``modules``
    are modules the script imports by a name it works out when it runs (a figure's own module,
    ``paths.figure_module``), which no import statement names: each with its parent packages and what
    it imports."""
    script = Path(script)
    files = package_imports(script, root) | package_imports(RUNNER, root) | {RUNNER}
    for module in modules:
        for name in _with_parents(module):
            file = module_file(name, root)
            if file is None:
                raise ValueError(f"job_code: no module {module} under {root / PACKAGE_DIR}")
            if file not in files:
                files |= {file} | package_imports(file, root, name)
    _known().save()
    return [str(script)] + sorted(str(p) for p in files)
