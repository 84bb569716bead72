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

import io
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
        "drop_emptied_search_words",
        "sphinx",
        "7.4.7",
        "sphinx.search.IndexBuilder.prune(self, docnames) and its _mapping/_title_mapping dicts of sets",
        "An incremental build prunes the previous searchindex.js page by page but keeps words whose list "
        "of pages became empty; dropping them gives the index a clean build writes (the build is "
        "deterministic).",
        "None found for the emptied words; prune's behaviour is discussed in "
        "https://github.com/sphinx-doc/sphinx/issues/11120",
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
        "jieba_install",
        "jieba",
        "0.42.1",
        "Tokenizer.gen_pfdict, get_dict_file, FREQ, total, initialized, lock",
        "jieba.initialize() reads a marshal cache from the shared temporary folder (anyone can plant one "
        "there, and marshal data is not safe to load), and jieba's own cache (tmp_dir, cache_file) is "
        "that marshal file wherever it is put; the dictionary is built by jieba's own code from its word "
        "list (or read from the JSON entry biomedimg.site.sphinx_ext keeps) and set on the tokenizer as "
        "initialize() would (jieba_default_words, jieba_build, jieba_install).",
        "https://github.com/fxsjy/jieba/issues/686 (marshal files cannot be securely loaded) and "
        "https://github.com/fxsjy/jieba/issues/903 (the shared /tmp/jieba.cache)",
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


def drop_emptied_search_words() -> None:
    """Make IndexBuilder.prune drop the words its pruning left without a page (once per process)."""
    from sphinx.search import IndexBuilder

    prune = IndexBuilder.prune
    if getattr(prune, "_drops_emptied_words", False):
        return

    def prune_and_drop_empty(self, docnames):
        prune(self, docnames)
        for mapping in (self._mapping, self._title_mapping):
            for word in [w for w, pages in mapping.items() if not pages]:
                del mapping[word]

    prune_and_drop_empty._drops_emptied_words = True
    IndexBuilder.prune = prune_and_drop_empty


def reset_sphinx_translations() -> None:
    import sphinx.locale

    sphinx.locale.translators.clear()


# --- jieba -------------------------------------------------------------------------------------


def jieba_default_words(tokenizer) -> bytes | None:
    """The word list jieba builds its default dictionary from, or None where jieba's own
    ``initialize()`` is right (already loaded, or a dictionary of the caller's own)."""
    import jieba

    if tokenizer.initialized or tokenizer.dictionary != jieba.DEFAULT_DICT:
        return None
    with tokenizer.get_dict_file() as words:
        return words.read()


def jieba_build(tokenizer, words: bytes) -> tuple[dict[str, int], int]:
    """The prefix dictionary and total jieba builds from a word list, by jieba's own code."""
    return tokenizer.gen_pfdict(io.BytesIO(words))


def jieba_install(tokenizer, freq: dict[str, int], total: int) -> None:
    """Give the tokenizer its dictionary as ``initialize()`` would, without reading jieba's marshal
    cache in the shared temporary folder."""
    with tokenizer.lock:
        tokenizer.FREQ, tokenizer.total = freq, total
        tokenizer.initialized = True


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

    def prune():
        from sphinx.search import IndexBuilder

        source = inspect.getsource(IndexBuilder)
        return (
            _params(IndexBuilder.prune)[:2] == ["self", "docnames"]
            and "self._mapping: dict[str, set[str]]" in source
            and "self._title_mapping: dict[str, set[str]]" in source
        )

    expect("sphinx", "IndexBuilder.prune(self, docnames) with _mapping/_title_mapping", prune)

    def translators():
        import sphinx.locale

        return isinstance(sphinx.locale.translators, dict)

    expect("sphinx", "sphinx.locale.translators", translators)

    def jieba_internals():
        import jieba

        tokenizer = jieba.Tokenizer()
        return (
            all(hasattr(tokenizer, a) for a in ("FREQ", "total", "initialized", "lock", "dictionary"))
            and _params(tokenizer.gen_pfdict) == ["f"]
            and callable(tokenizer.get_dict_file)
            and hasattr(jieba, "DEFAULT_DICT")
        )

    expect("jieba", "Tokenizer.gen_pfdict(f), get_dict_file, FREQ, total, initialized, lock", jieba_internals)
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
