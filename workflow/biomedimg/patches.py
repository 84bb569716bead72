"""Every workaround that relies on a library's private internals, in one place.

Each function below touches something a library does not promise to keep (an attribute with a
leading underscore, a module-level cache, a line of its source). ``WORKAROUNDS`` says for each why
it exists, the upstream issue it works around (or that none was found), and the version of the
library it was checked against; pyproject.toml pins each library to the range of that version, and
``check()`` (run by tests/test_patches.py) fails with one line naming the library, its installed
version and the internal that changed, so an upgrade that breaks a workaround says so at once.

Not here, because they rely on documented interfaces, not internals:
- ``/proc/<pid>/stat``, ``cmdline`` and ``cwd`` (biomedimg.run.locks): Linux's documented process
  interface (proc(5));
- DVC's object layout (biomedimg.run.datasync: ``files/md5/<2>/<30>``, ``<md5>.dir`` lists, the
  ``outs`` of a ``.dvc`` file): DVC's documented cache and ``.dvc`` file format, which ``dvc`` itself
  keeps compatible across 3.x.

This module sits on the ground floor (every floor may import it) and imports no library at import
time: each function imports what it patches when it is called.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Workaround:
    function: str  # the function of this module that holds it
    library: str  # the distribution's name (pyproject.toml pins it)
    checked: str  # the version it was checked against (the one uv.lock holds)
    internal: str  # what it relies on that the library does not promise
    why: str
    upstream: str  # the upstream issue, or why there is none to cite


WORKAROUNDS = (
    Workaround(
        "namedlist_names",
        "snakemake",
        "9.27.1",
        "snakemake.iocontainers.Namedlist._get_names() yields (name, (start, end)) with end None for a single file",
        "The job runner's command line keeps each input's and output's name and, for a named list, its "
        "positions; Namedlist's public items() gives the values but not where they sit in the list, "
        "and one path may sit in two places.",
        "None asking for a public API found; the attributes became private in "
        "https://github.com/snakemake/snakemake/pull/149",
    ),
    Workaround(
        "remove_snakemake_locks",
        "snakemake",
        "9.27.1",
        "the lock folder .snakemake/locks (snakemake.persistence.file.FilePersistence._lockdir)",
        "A run killed with SIGKILL leaves its lock; Snakemake's --unlock is unsafe while a job of the "
        "killed run still writes. biomedimg.run.locks removes the folder only when no build process of "
        "the checkout runs.",
        "None found in snakemake's issues for detecting a dead lock holder; users remove "
        ".snakemake/locks by hand (e.g. https://github.com/EichlerLab/smrtsv2/issues/18)",
    ),
    Workaround(
        "no_sphinx_search_index",
        "sphinx",
        "7.4.7",
        "StandaloneHTMLBuilder.search (a class attribute, True; builders without a search set it False), "
        "which prepare_writing() reads before creating the IndexBuilder and gen_additional_pages() before "
        "writing search.html",
        "The site's search is Pagefind's (biomedimg.site.build.index_search); Sphinx's own index "
        "(searchindex.js, its Chinese word splitter jieba and the loaded dictionary) was built on every "
        "build and read by nothing. The search page is then written as one of html_additional_pages "
        "(book/_config.yml) from the same template.",
        "https://github.com/sphinx-doc/sphinx/issues/14308 (no way to turn the search index off); the "
        "same switch in a theme: https://github.com/kai687/sphinxawesome-theme/pull/1294",
    ),
    Workaround(
        "reset_sphinx_translations",
        "sphinx",
        "7.4.7",
        "the module-level cache sphinx.locale.translators (a dict)",
        "Both editions are built in one process; without clearing it the second edition gets the first "
        "one's theme strings.",
        "https://github.com/sphinx-doc/sphinx/issues/13448",
    ),
    Workaround(
        "quote_jobstep_executable",
        "snakemake-executor-plugin-slurm-jobstep",
        "0.6.1",
        "the line `        return sys.executable` of the plugin's __init__.py (the srun command's interpreter)",
        "The plugin writes the interpreter's path unquoted into its srun command, which breaks in a "
        "folder whose path has a space; the installed file is patched to quote it.",
        "None found (searched the slurm plugins' issues; the nearest, quoting in sbatch, is "
        "https://github.com/snakemake/snakemake-executor-plugin-slurm/issues/29)",
    ),
)


class InternalsChanged(RuntimeError):
    """A library no longer has the internal a workaround relies on."""


def _broken(library: str, internal: str, found: str) -> InternalsChanged:
    import importlib.metadata

    try:
        version = importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        version = "not installed"
    checked = next(w.checked for w in WORKAROUNDS if w.library == library)
    return InternalsChanged(
        f"{library} {version} (workarounds checked against {checked}): {internal} {found}; "
        "see biomedimg/patches.py"
    )


# --- Snakemake ---------------------------------------------------------------------------------


def namedlist_names(files) -> list[tuple[str, int, int | None]]:
    """The names of a Snakemake Namedlist: (name, start, end), end None for a single file."""
    return [(name, start, end) for name, (start, end) in files._get_names()]


SNAKEMAKE_LOCKS = Path(".snakemake") / "locks"


def remove_snakemake_locks(directory: Path) -> None:
    shutil.rmtree(directory / SNAKEMAKE_LOCKS)


# --- Sphinx ------------------------------------------------------------------------------------


def no_sphinx_search_index(builder) -> None:
    """Tell an HTML builder it has no search, as Sphinx's own builders without one do: no IndexBuilder,
    no searchindex.js, no search page of its own (book/_config.yml adds ours)."""
    from sphinx.builders.html import StandaloneHTMLBuilder

    if isinstance(builder, StandaloneHTMLBuilder):
        builder.search = False


def reset_sphinx_translations() -> None:
    import sphinx.locale

    sphinx.locale.translators.clear()


# --- snakemake-executor-plugin-slurm-jobstep ---------------------------------------------------

JOBSTEP_LINE = "        return sys.executable\n"
JOBSTEP_QUOTED = '        return __import__("shlex").quote(sys.executable)\n'


def quote_jobstep_executable(plugin_init: Path) -> None:
    """Quote the interpreter in the installed job-step plugin's srun command (``make`` runs this on
    .tools/slurm-plugin after installing it; ``python -m biomedimg.patches FILE``)."""
    text = plugin_init.read_text(encoding="utf-8")
    if JOBSTEP_QUOTED in text:
        return
    if text.count(JOBSTEP_LINE) != 1:
        raise _broken(
            "snakemake-executor-plugin-slurm-jobstep",
            f"{JOBSTEP_LINE.strip()!r}",
            f"is not one line of {plugin_init}",
        )
    # A new file replaces the old one: uv installs by hard-linking files of its cache, so writing into
    # the installed file would patch uv's cached copy too (and every environment linked to it).
    patched = plugin_init.with_name(plugin_init.name + ".patched")
    patched.write_text(text.replace(JOBSTEP_LINE, JOBSTEP_QUOTED), encoding="utf-8")
    os.replace(patched, plugin_init)


# --- the guard ---------------------------------------------------------------------------------


def _params(function) -> list[str]:
    import inspect

    return list(inspect.signature(function).parameters)


def check() -> list[str]:
    """One line for each internal a workaround relies on that the installed libraries no longer have
    (empty when all are as checked)."""
    import inspect

    problems: list[str] = []

    def expect(library: str, internal: str, ok, found: str = "is gone or changed") -> None:
        try:
            good = ok()
        except Exception as error:  # noqa: BLE001 - any failure to find it is the news
            good, found = False, f"could not be inspected ({type(error).__name__}: {error})"
        if not good:
            problems.append(str(_broken(library, internal, found)))

    def names_shape():
        from snakemake.iocontainers import Namedlist

        files = Namedlist(["a", "b", "c"])
        files._set_name("one", 0)
        files._set_name("many", 1, end=3)
        return namedlist_names(files) == [("one", 0, None), ("many", 1, 3)]

    expect("snakemake", "Namedlist._get_names()", names_shape)

    def lock_folder():
        from snakemake.persistence.file import FilePersistence

        return 'os.path.join(self.path, "locks")' in inspect.getsource(FilePersistence.__init__)

    expect("snakemake", "FilePersistence's lock folder .snakemake/locks", lock_folder)

    def search_switch():
        from sphinx.builders.html import StandaloneHTMLBuilder

        source = inspect.getsource(StandaloneHTMLBuilder)
        return (
            StandaloneHTMLBuilder.search is True
            and "if self.search:" in inspect.getsource(StandaloneHTMLBuilder.prepare_writing)
            and "if self.search:" in inspect.getsource(StandaloneHTMLBuilder.gen_additional_pages)
            and "html_additional_pages" in source
        )

    expect(
        "sphinx",
        "StandaloneHTMLBuilder.search, read by prepare_writing and gen_additional_pages",
        search_switch,
    )

    def translators():
        import sphinx.locale

        return isinstance(sphinx.locale.translators, dict)

    expect("sphinx", "sphinx.locale.translators", translators)

    return problems


def main(argv: list[str]) -> int:
    import sys

    try:
        for file in argv:
            quote_jobstep_executable(Path(file))
    except InternalsChanged as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
