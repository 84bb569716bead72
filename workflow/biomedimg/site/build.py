"""Build the two editions of the site and check them: same pages and elements in both, every link
and anchor resolving.

Sphinx builds each edition incrementally (only pages whose source or included fragment changed are
re-read). When the set of source files changes (a page or a download added or removed) the edition
is built from scratch, since Sphinx never deletes outputs it no longer makes; and the search index
drops words no page holds any more (biomedimg.site.sphinx_ext). So an incremental build writes the site
a clean build writes. The search page reads Pagefind's index of the edition (``index_search``), written
anew after each build.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import html.parser
import importlib
import io
import json
import multiprocessing
import os
import posixpath
import shutil
import subprocess
import urllib.parse
from pathlib import Path

from biomedimg import patches, paths
from biomedimg.site import icons

STATE = paths.BOOK_DIR / "_build" / "state"


def doctrees(lang: str) -> Path:
    return paths.BOOK_DIR / "_build" / "doctrees" / lang


def source_manifest(src: Path) -> list[str]:
    return sorted(str(p.relative_to(src)) for p in src.rglob("*") if p.is_file())


def build_edition_logged(root: Path, src: Path, lang: str) -> str:
    """Build one edition; return what Sphinx printed (run in a worker process by ``build``)."""
    log = io.StringIO()
    build_edition(root, src, lang, log)
    return log.getvalue()


def build_edition(root: Path, src: Path, lang: str, log) -> None:
    from jupyter_book.sphinx import build_sphinx  # heavy: only when building

    out = root / paths.book_index(lang).parent
    state = root / STATE / f"{lang}.json"
    manifest = source_manifest(src)
    previous = json.loads(state.read_text(encoding="utf-8")) if state.exists() else None
    if previous != manifest:
        for stale in (out, root / doctrees(lang)):
            if stale.exists():
                shutil.rmtree(stale)
        with contextlib.suppress(FileNotFoundError):
            state.unlink()
    # Sphinx keeps its message catalogs in a module-level cache; the second edition built in this
    # process would otherwise get the first one's theme strings.
    patches.reset_sphinx_translations()
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        result = build_sphinx(
            str(src),
            str(out),
            noconfig=True,
            path_config=str(src / "_config.yml"),
            confoverrides={"external_toc_path": str(src / "_toc.yml"), "latex_individualpages": False},
            doctreedir=str(root / doctrees(lang)),
            builder="html",
        )
    if result:
        raise RuntimeError(f"Sphinx failed for the {lang} edition ({result!r})")
    index_search(out)
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps(manifest, indent=0), encoding="utf-8")


# Pagefind's bundle in each edition (book/_templates/search.html and _static/search-page.js read it);
# under "_" like Sphinx's own folders, which the site's checks pass over.
SEARCH_BUNDLE = "_pagefind"
# Left out of the index: the theme's heading links, and the status badge after each linked number (the
# ledger row it leads to carries the status).
SEARCH_EXCLUDE = ("a.headerlink", ".claim-ref-status")


def index_search(edition: Path) -> None:
    """Pagefind's static search index of one built edition: its extended binary (from PyPI, no network)
    splits Chinese into words, and keeps every element id with its position, so a result can lead to
    the passage (a claim's row, a figure, a section) and not only the page. The bundle's file names
    are hashes of their content, so the old bundle is removed first: the index of an incremental
    build is the one a clean build writes, byte for byte."""
    from pagefind_bin_extended import get_executable

    bundle = edition / SEARCH_BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    command = [str(get_executable()), "--site", str(edition), "--output-subdir", SEARCH_BUNDLE]
    command += ["--root-selector", "article.bd-article", "--silent"]
    for selector in SEARCH_EXCLUDE:
        command += ["--exclude-selectors", selector]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"Pagefind failed on {edition}: {(done.stderr or done.stdout).strip()}")


def warm_up(lang: str) -> None:
    """Load what an edition's build needs first, while the pages are still being rendered: Sphinx and
    the extensions Jupyter Book loads (0.7 s). Imports only: a module missed here is loaded by the
    build itself."""
    for module in WARM_UP_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)


# The slowest imports of an edition's build (Sphinx, its HTML builder and search, Jupyter Book and the
# extensions it configures), measured with the modules a build adds to sys.modules.
WARM_UP_MODULES = (
    "jupyter_book.sphinx",
    "sphinx.application",
    "sphinx.builders.html",
    "sphinx.search",
    "myst_parser",
    "myst_parser.sphinx_ext.main",
    "pydata_sphinx_theme",
    "sphinx_book_theme",
    "sphinx.ext.doctest",
    "sphinx_copybutton",
    "sphinx_external_toc",
    "sphinx_jupyterbook_latex",
    "sphinx_multitoc_numbering",
)


def build(root: Path = paths.ROOT, log=None) -> None:
    """Render and build both editions, write the site's entry page, and check the site.

    The editions share nothing but their sources, so each builds in its own worker process, side by
    side (the book job runs last, when the other jobs have freed the cores); a worker starts before
    the pages are rendered and loads what its edition needs meanwhile. Forked workers also keep
    Sphinx's module-level caches (message catalogs) apart. Their output goes to the log in order.
    """
    context = multiprocessing.get_context("fork")
    with contextlib.ExitStack() as stack:
        workers = {
            lang: stack.enter_context(concurrent.futures.ProcessPoolExecutor(1, mp_context=context))
            for lang in paths.LANGS
        }
        warm = [workers[lang].submit(warm_up, lang) for lang in paths.LANGS]
        # Imported once the workers have started (it takes a third of a second, pandas included).
        from biomedimg.site import render

        src = render.render(root)
        site = root / paths.BOOK_HTML
        site.mkdir(parents=True, exist_ok=True)
        # Only the two editions and the entry page belong at the site's root (older builds put
        # pages there).
        for entry in sorted(site.iterdir()):
            if entry.name not in (*paths.LANGS, "index.html"):
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        for w in warm:
            w.result()
        runs = {
            workers[lang].submit(build_edition_logged, root, src / lang, lang): lang for lang in paths.LANGS
        }
        outputs = {}
        for run in concurrent.futures.as_completed(runs):
            lang = runs[run]
            outputs[lang] = run.result()
            # The theme's icons from a font of the glyphs this edition shows (156 KB → 3 KB a page).
            icons.subset(site / lang)
            # ...and the theme's stylesheet without the rules of the icons no page shows (-85 KB a page).
            icons.prune(site / lang)
            # Parse the finished edition's pages while the other one still builds (the checks below
            # read every page; parse keeps what it read).
            for page in pages(site / lang):
                parse(site / lang / page)
    if log is not None:
        for lang in paths.LANGS:
            log.write(outputs[lang])
    (site / "index.html").write_text(render.root_page(root), encoding="utf-8")
    problems = check_editions(site) + broken_links(site)
    if problems:
        raise RuntimeError("the built site is incomplete:\n" + "\n".join(problems))


# ------------------------------------------------------------------------------------ checks


class _PageParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.elements: set[tuple[str, str]] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if attrs.get("data-kind") and attrs.get("data-name"):
            self.elements.add((attrs["data-kind"], attrs["data-name"]))
        elif tag == "tr" and attrs.get("data-status") and attrs.get("id"):
            self.elements.add(
                ("claim", attrs["id"])
            )  # a row of the claims ledger (biomedimg.site.components)
        target = (
            attrs.get("href")
            if tag in ("a", "link")
            else attrs.get("src")
            if tag in ("img", "script")
            else None
        )
        if target:
            self.links.append(target)


def parse(page: Path) -> _PageParser:
    """The ids, links and elements of a page, parsed once per version of the file (both checks of a
    build read every page)."""
    stat = os.stat(page)
    return _parse(os.path.abspath(page), stat.st_mtime_ns, stat.st_size)


@functools.cache
def _parse(page: str, mtime_ns: int, size: int) -> _PageParser:
    parser = _PageParser()
    with open(page, encoding="utf-8") as fh:
        parser.feed(fh.read())
    return parser


def pages(edition: Path) -> list[str]:
    return sorted(
        str(p.relative_to(edition))
        for p in edition.rglob("*.html")
        if not p.relative_to(edition).parts[0].startswith("_")
    )


def check_editions(site: Path) -> list[str]:
    """Every page, figure, table and claim one edition has, the other has too."""
    found = {}
    for lang in paths.LANGS:
        edition = site / lang
        found[lang] = {("page", p, "") for p in pages(edition)}
        for page in pages(edition):
            found[lang] |= {(kind, name, page) for kind, name in parse(edition / page).elements}
    problems = []
    for lang in paths.LANGS:
        for kind, name, page in sorted(found[paths.other_lang(lang)] - found[lang]):
            where = f" (on {page})" if page and kind != "page" else ""
            problems.append(
                f"the {lang} edition lacks the {kind} {name}{where} that the {paths.other_lang(lang)} edition has"
            )
    return problems


def broken_links(site: Path) -> list[str]:
    """Local links (href/src) of every page that miss their file or their #fragment.

    Targets are worked out as paths relative to the site (the site has no symbolic links) and looked
    up in one listing of it: a link that leaves the site, or names nothing in it, is broken."""
    present = {p.relative_to(site).as_posix() for p in site.rglob("*")}
    problems = []
    for source in sorted(site.rglob("*.html")):
        page = source.relative_to(site)
        if any(part.startswith("_") for part in page.parts[:-1]):
            continue  # Sphinx's own _static/_sources helpers
        here = page.as_posix()
        for link in parse(source).links:
            url = urllib.parse.urlsplit(link)
            if url.scheme or url.netloc or link.startswith(("mailto:", "javascript:", "data:")):
                continue
            target = here
            if url.path:
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(here), urllib.parse.unquote(url.path))
                )
                if url.path.endswith("/"):
                    target = posixpath.join(target, "index.html")
            label = f"{page}: {link}"
            if target not in present:
                problems.append(f"{label} (no such file)")
                continue
            if (
                url.fragment
                and target.endswith(".html")
                and urllib.parse.unquote(url.fragment) not in parse(site / target).ids
            ):
                problems.append(f"{label} (no element with id {url.fragment!r})")
    return problems
