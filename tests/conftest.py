"""Shared helpers: the project root, running Snakemake, and throw-away copies of the project."""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SEED_NAME = Path("shared") / "seed" / "000_c429c8b029c38a7e.txt"


def _find_seed() -> Path:
    """The review's text, kept beside the repository (``../shared/seed``): beside this checkout, or, in
    a ``git worktree``, beside the main checkout it belongs to (a worktree lives elsewhere)."""
    places = [ROOT.parent]
    common = subprocess.run(
        ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if common:
        places.append(Path(common).parent.parent)
    for place in places:
        if (place / SEED_NAME).exists():
            return place / SEED_NAME
    return places[0] / SEED_NAME


SEED = _find_seed()


def review_text() -> str:
    """The review's text with the extraction's line breaks removed (it wraps long cells over lines;
    joined, every printed cell is a substring). Without it the tests that read it are skipped, with
    the reason in the summary; in CI, which runs with shared/ beside the clone, they fail."""
    if not SEED.exists():
        message = f"the review's text is not beside the repository ({SEED})"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI runs with shared/ beside the clone")
        pytest.skip(message)
    return SEED.read_text(encoding="utf-8").replace("\n", "")


sys.path.insert(0, str(ROOT / "workflow"))

from biomedimg.tools.project import copy_project, tracked_files  # noqa: E402,F401  (re-exported for the tests)


@pytest.fixture(autouse=True, scope="session")
def _own_user_cache(tmp_path_factory):
    """The tests never read or write the user's own cache (biomedimg.paths.cache_dir): the session has
    one of its own, which every project copy and Snakemake run of the session shares."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BIOMEDIMG_CACHE", str(tmp_path_factory.mktemp("user cache 缓存")))
        yield


def run(
    cmd: list[str], cwd: Path, check: bool = True, timeout: int = 900, env=None
) -> subprocess.CompletedProcess:
    result = subprocess.run(
        cmd,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or os.environ.copy(),
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def snakemake(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run([str(BIN / "snakemake"), "--cores", "2", *args], cwd, check=check)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def output_hashes(root: Path) -> dict[str, str]:
    """Hashes of the outputs that must be byte-identical between builds."""
    results = root / "results"
    files = [
        p for sub in ("figures", "tables", "data", "pdf") for p in (results / sub).rglob("*") if p.is_file()
    ]
    files += [results / "claims.json", results / "claims.csv", results / "metrics.json"]
    return {str(p.relative_to(root)): sha256(p) for p in sorted(files)}


@pytest.fixture(scope="session")
def built() -> Path:
    """The main checkout, built (``make test`` builds before testing; build here if it has not)."""
    if not (ROOT / "book" / "_build" / "html" / "index.html").exists():
        snakemake(ROOT)
    return ROOT


# A user's folder: spaces and Chinese characters, as on macOS and Windows home folders.
CLONE_FOLDER = "new user 新用户"


def clean_env() -> dict[str, str]:
    """The environment of a new user's shell: no virtualenv or package path of ours leaks in."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "CONDA_PREFIX")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != BIN)
    return env


@pytest.fixture(scope="session")
def fresh_clone(tmp_path_factory) -> Path:
    """A ``git clone`` of this repository into ``…/new user 新用户/proj``, built by the real ``make`` there
    (its own .tools and .venv inside that path; uv's cache makes the environment quick): the one cold
    build the end-to-end tests share. Tracked files edited but not yet committed are copied over the
    clone, so the tests check the code being worked on."""
    dest = tmp_path_factory.mktemp("clone") / CLONE_FOLDER / "proj"
    dest.parent.mkdir(parents=True)
    run(["git", "clone", "--quiet", str(ROOT), str(dest)], ROOT)
    for rel in tracked_files(ROOT):
        src = ROOT / rel
        if src.is_file() and (not (dest / rel).exists() or (dest / rel).read_bytes() != src.read_bytes()):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    result = run(["make"], dest, timeout=3600, env=clean_env())
    (dest / "make.out").write_text(result.stdout + result.stderr, encoding="utf-8")
    return dest


def copy_built(clone: Path, dest: Path) -> Path:
    """A writable copy of a built clone (timestamps and Snakemake's records kept, so nothing is out of
    date), sharing the clone's .venv and .tools: a built project to change, in seconds."""
    shutil.copytree(clone, dest, symlinks=True, ignore=shutil.ignore_patterns(".venv", ".tools", "make.out"))
    for name in (".venv", ".tools"):
        (dest / name).symlink_to(clone / name)
    for raw in (dest / "data" / "raw").iterdir():
        raw.chmod(0o644)  # DVC restores read-only files; tests edit them (the mode is no change to Snakemake)
    return dest


@pytest.fixture
def built_copy(fresh_clone, tmp_path) -> Path:
    """A built project to change: a copy of the shared fresh clone."""
    return copy_built(fresh_clone, tmp_path / "copy")


BUILD_FIXTURES = {"built", "fresh_clone", "built_copy"}
END_TO_END = ("slow", "browser", "cluster")


def pytest_collection_modifyitems(items):
    """Every test is a unit test or an end-to-end one, and says which (``-m unit``, ``-m e2e``):
    end to end is a test that needs a built project (so it is slow too), drives the browser, starts a
    cluster or is marked slow; `make check` runs the unit tests, `make test` both."""
    for item in items:
        if BUILD_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        if any(item.get_closest_marker(name) for name in END_TO_END):
            item.add_marker(pytest.mark.e2e)
        else:
            item.add_marker(pytest.mark.unit)


# ------------------------------------------------------------------ the site in a real browser

CHROMIUM = Path("/usr/bin/chromium")
SUBPATH = "/biomedical-imaging/"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under SUBPATH only, as GitHub Pages serves a project site."""

    def translate_path(self, path):
        parsed = urllib.parse.urlsplit(path).path
        if not parsed.startswith(SUBPATH):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(SUBPATH) :])

    def log_message(self, *args):
        pass


def serve(site: Path):
    handler = functools.partial(SubPathHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright, shared by every browser test."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
