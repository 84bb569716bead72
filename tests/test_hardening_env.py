"""The checkout's surroundings cannot make it run foreign code or write elsewhere (issue 18):

- the user cache holds data, never code: nothing in it is unpickled or unmarshalled; an entry that
  does not parse or has the wrong shape is missing; a folder others can write to is not used; `make
  diff` checks a cached build against its manifest before reusing it;
- what a user sets on make's command line (FILE, ROW, REV, TO, PYTHON) is data, never shell or make text;
- a copied or moved checkout runs its own code: `make` makes its environment again.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import pickle
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from biomedimg import paths, usercache
from biomedimg.run import codedeps
from biomedimg.tools import diff as diffmod
from conftest import ROOT, clean_env, output_hashes, run

MARKER = "pwned"  # what every hostile value tries to create, in make's working directory
PAYLOADS = [
    f'"; touch {MARKER}; "',
    f"'; touch {MARKER}; '",
    f"`touch {MARKER}`",
    f"$(touch {MARKER})",
    f"$(shell touch {MARKER})",
    f"$$(touch {MARKER})",
]
INSTRUMENTS = "data/raw/nsfc_instrument_projects.csv"


def make(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`make` as a user runs it: a clean shell, none of the variables under test in the environment."""
    env = env or clean_env()
    for name in ("FILE", "ROW", "REV", "TO", "PYTHON", usercache.REPORTED):
        env.pop(name, None)
    return run(["make", *args], root, check=False, env=env, timeout=1800)


def tree_hashes(root: Path, under: str) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / under).rglob("*"))
        if p.is_file()
    }


# ------------------------------------------------------------------ caches hold data, never code


class _Touch:
    """A pickle that, once loaded, creates a file: what a planted cache entry could run."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):
        return (Path.touch, (self.path,))


def test_no_cache_entry_is_unpickled_or_unmarshalled(tmp_path, monkeypatch):
    """A crafted pickle where the code dependencies are kept, and where the compiled templates used to
    be read from, runs nothing; the dependencies and the pages come out as without it."""
    import jinja2.bccache
    from biomedimg.site import components

    package = ROOT / "workflow" / "biomedimg"
    for source in package.rglob("*.py"):
        tree = ast.parse(source.read_bytes())
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not imported & {"pickle", "marshal", "shelve", "dill"}, source.name

    cache = tmp_path / "cache"
    monkeypatch.setenv("BIOMEDIMG_CACHE", str(cache))
    forget_code_dependencies()
    expected = codedeps.job_code("workflow/scripts/make_figure.py")
    marker = tmp_path / MARKER
    planted = pickle.dumps(_Touch(marker))
    entries = {codedeps.CACHE: planted}
    # Where the compiled component templates were kept: Jinja's header, then a pickle it loaded.
    for name in components._ENV.list_templates():
        source = (components.TEMPLATES / name).read_text(encoding="utf-8")
        bucket = hashlib.sha256(f"components\0{name}\0{source}".encode()).hexdigest()
        entries[f"jinja/{bucket}"] = jinja2.bccache.bc_magic + planted
    for name, data in entries.items():
        (cache / name).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        (cache / name).write_bytes(data)
    assert pickle.loads(planted) is None and marker.exists(), "the planted entry runs when unpickled"
    marker.unlink()

    forget_code_dependencies()
    assert codedeps.job_code("workflow/scripts/make_figure.py") == expected
    for name in components._ENV.list_templates():
        components._ENV.get_template(name)
    assert not marker.exists()
    # The damaged entry was replaced by one of data.
    assert all(isinstance(v, list) for v in json.loads((cache / codedeps.CACHE).read_bytes()).values())
    forget_code_dependencies()  # what this process worked out from this test's cache


def forget_code_dependencies() -> None:
    """Drop what this process keeps of the code dependencies, so the next call reads the cache."""
    codedeps._known.cache_clear()
    codedeps._imports_of.cache_clear()


def test_a_cache_entry_of_the_wrong_shape_counts_as_missing(tmp_path, monkeypatch):
    """Every module's import list cached as a number, a list of numbers, or the whole file as a list:
    the code dependencies come out as from an empty cache, and the cache is repaired."""
    monkeypatch.setenv("BIOMEDIMG_CACHE", str(tmp_path / "cache"))
    expected = codedeps.job_code("workflow/scripts/make_figure.py")
    cache = tmp_path / "cache" / codedeps.CACHE
    keys = list(json.loads(cache.read_bytes()))
    for bad in ({k: 5 for k in keys}, {k: [1, 2] for k in keys}, {k: {"a": "b"} for k in keys}, keys, 7):
        cache.write_text(json.dumps(bad), encoding="utf-8")
        forget_code_dependencies()
        assert codedeps.job_code("workflow/scripts/make_figure.py") == expected
        assert all(isinstance(v, list) for v in json.loads(cache.read_bytes()).values())


@pytest.mark.skipif(os.getuid() != 0, reason="handing a folder to another user needs root")
def test_a_cache_folder_of_another_user_is_not_used(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "cache"
    monkeypatch.setenv("BIOMEDIMG_CACHE", str(folder))
    monkeypatch.delenv(usercache.REPORTED, raising=False)
    usercache.write("entry", b"data")
    assert usercache.read("entry") == b"data"
    os.chown(folder, 4242, -1)
    assert usercache.read("entry") is None
    usercache.write("other", b"data")
    assert not (folder / "other").exists()
    assert capsys.readouterr().err.splitlines() == [
        f"user cache: not using {folder}: it is owned by another user (uid 4242)"
    ]


def test_a_cache_folder_others_can_write_to_is_not_used_and_make_says_so_once(built_copy, tmp_path):
    """`make` with the user cache writable by everyone: one line, the build as without a cache, and
    nothing written into that folder."""
    before = output_hashes(built_copy)
    folder = tmp_path / "shared cache"
    folder.mkdir()
    folder.chmod(0o777)
    env = {**clean_env(), "BIOMEDIMG_CACHE": str(folder)}
    result = make(built_copy, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    ours = [line for line in result.stderr.splitlines() if line.startswith("user cache:")]
    assert ours == [
        f"user cache: not using {folder}: it is writable by group or others (chmod go-w '{folder}' to use it)"
    ]
    assert "Nothing to be done" in result.stdout + result.stderr
    assert list(folder.iterdir()) == []
    assert output_hashes(built_copy) == before


def test_make_survives_a_cache_entry_of_the_wrong_types(built_copy, tmp_path):
    """The code-dependency cache with every entry of the wrong type: `make` works as with no cache."""
    before = output_hashes(built_copy)
    env = {**clean_env(), "BIOMEDIMG_CACHE": str(tmp_path / "cache")}
    assert make(built_copy, env=env).returncode == 0
    cache = tmp_path / "cache" / codedeps.CACHE
    cache.write_text(json.dumps({k: 5 for k in json.loads(cache.read_bytes())}), encoding="utf-8")
    result = make(built_copy, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Nothing to be done" in result.stdout + result.stderr
    assert output_hashes(built_copy) == before


def test_make_diff_rebuilds_a_cached_build_that_does_not_match_its_manifest(built_copy, tmp_path):
    """A cached build of HEAD with a claim's status changed (what made `make diff` report a claim moving
    with no change in the working tree) is noticed, built again, and the diff shows no change."""
    env = {**clean_env(), "BIOMEDIMG_CACHE": str(tmp_path / "cache")}
    commit = run(["git", "rev-parse", "HEAD"], built_copy).stdout.strip()
    # HEAD's build, as `make diff` would keep it: the copy is HEAD, built.
    cached = tmp_path / "cache" / "builds" / diffmod.build_key(commit, built_copy)
    for rel in diffmod.KEPT:
        shutil.copytree(built_copy / rel, cached / rel, ignore=shutil.ignore_patterns("book_src", "diff"))
    files = diffmod._file_hashes(cached)
    (cached / diffmod.MANIFEST).write_text(json.dumps({"commit": commit, "files": files}), encoding="utf-8")
    (tmp_path / "cache").chmod(0o700)

    result = make(built_copy, "diff", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"diff: reusing the cached build of {commit[:12]} ({cached})" in result.stdout

    claims = cached / paths.CLAIMS_JSON
    ledger = json.loads(claims.read_bytes())
    entries = ledger["claims"] if isinstance(ledger, dict) else ledger
    entries[0]["status"] = "pass" if entries[0]["status"] != "pass" else "fail"
    claims.write_text(json.dumps(ledger), encoding="utf-8")
    working_tree = tree_hashes(built_copy, "data/raw")
    result = make(built_copy, "diff", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        f"diff: not reusing the cached build of {commit[:12]}: results/claims.json is changed; building it again"
        in result.stdout
    )
    report = json.loads((built_copy / diffmod.DIFF_JSON).read_bytes())
    assert report["claims"] == [] and report["data"] == [] and not report["changed"]
    assert diffmod.verify_build(cached, commit) is None
    assert tree_hashes(built_copy, "data/raw") == working_tree


def test_verify_build_names_what_does_not_match(tmp_path):
    build = tmp_path / "b"
    (build / "results").mkdir(parents=True)
    (build / "results" / "claims.json").write_text("{}", encoding="utf-8")
    assert diffmod.verify_build(build, "c") == "it has no manifest"
    (build / diffmod.MANIFEST).write_text("[not json", encoding="utf-8")
    assert diffmod.verify_build(build, "c") == "its manifest does not parse"
    files = diffmod._file_hashes(build)
    (build / diffmod.MANIFEST).write_text(json.dumps({"commit": "c", "files": files}), encoding="utf-8")
    assert diffmod.verify_build(build, "c") is None
    assert diffmod.verify_build(build, "d") == "its manifest is not one of its commit"
    (build / "results" / "extra.json").write_text("{}", encoding="utf-8")
    assert diffmod.verify_build(build, "c") == "results/extra.json is not listed"
    (build / "results" / "extra.json").unlink()
    (build / "results" / "claims.json").unlink()
    (build / "results" / "claims.json").symlink_to(tmp_path / "elsewhere.json")
    assert diffmod.verify_build(build, "c") == "it holds a link or a special file"


# -------------------------------------------------------------------- make's variables are data


def _hostile(built: Path, args, expected_line, whole_line: bool = True) -> None:
    """Each payload: make fails or stops with the program's own message naming the value as written,
    and nothing ran (no marker in the checkout), nothing was written and no output changed."""
    before = output_hashes(built)
    raw = tree_hashes(built, "data/raw")
    for payload in PAYLOADS:
        result = make(built, *args(payload))
        assert not (built / MARKER).exists(), (payload, result.stdout, result.stderr)
        assert result.returncode != 0
        lines = result.stderr.splitlines()
        if whole_line:
            assert expected_line(payload) in lines, (payload, result.stderr)
        else:  # the shell's message, after its own prefix
            assert any(line.endswith(expected_line(payload)) for line in lines), (payload, result.stderr)
        assert "Traceback" not in result.stderr
    assert output_hashes(built) == before and tree_hashes(built, "data/raw") == raw


def test_make_tidy_takes_file_as_data(built_copy):
    _hostile(
        built_copy,
        lambda p: ["tidy", f"FILE={p}"],
        lambda p: f"CANNOT TIDY: {p}: tidy rewrites raw CSVs only (data/raw/<name>.csv)",
    )


def test_make_why_takes_file_and_row_as_data(built_copy):
    key = diffmod.KEY_SEPARATOR.join(diffmod.primary_key(built_copy, "nsfc_instrument_projects"))
    _hostile(
        built_copy,
        lambda p: ["why", f"FILE={p}"],
        lambda p: (
            f"why: {p}: not a raw dataset of this project (known: {', '.join(paths.raw_names(built_copy))})"
        ),
    )
    _hostile(
        built_copy,
        lambda p: ["why", f"FILE={INSTRUMENTS}", f"ROW={p}"],
        lambda p: (
            f"why: {INSTRUMENTS}: no row with key {p!r} (key: {key}; composite keys are joined with '|')"
        ),
    )


def test_make_diff_takes_rev_and_to_as_data(built_copy, tmp_path):
    env = {**clean_env(), "BIOMEDIMG_CACHE": str(tmp_path / "cache")}
    for variable in ("REV", "TO"):
        before = output_hashes(built_copy)
        for payload in PAYLOADS:
            args = ["diff", f"REV={payload}"] if variable == "REV" else ["diff", "REV=HEAD", f"TO={payload}"]
            result = make(built_copy, *args, env=dict(env))
            assert not (built_copy / MARKER).exists(), (payload, result.stdout, result.stderr)
            assert result.returncode != 0
            assert (
                f"diff: {payload!r} is not a commit of this repository (try `git fetch`, or HEAD~1)"
                in result.stderr.splitlines()
            ), result.stderr
        assert output_hashes(built_copy) == before
    # Both revisions are resolved before either is built: nothing was built for the wrong TO.
    assert not (tmp_path / "cache" / "builds").exists()


def test_make_takes_python_as_data(built_copy):
    """PYTHON (the interpreter that makes .tools) is run as one program name, whatever it holds."""
    (built_copy / ".tools").unlink()  # the shared tools are a link: without them, make sets them up
    _hostile(
        built_copy,
        lambda p: ["setup", f"PYTHON={p}"],
        lambda p: f": {p}: command not found",
        whole_line=False,
    )
    assert not (built_copy / ".tools" / "bin" / "uv").exists()


# ------------------------------------------------------------------- the checkout is wherever it is


def _untidy(csv: Path) -> bytes:
    """The file with a byte-order mark, as Excel saves it."""
    csv.chmod(0o644)
    data = csv.read_bytes()
    csv.write_bytes(b"\xef\xbb\xbf" + data)
    return data


def test_a_copied_checkout_works_on_itself(fresh_clone, tmp_path):
    """`cp -a` of a built checkout: `make tidy` in the copy makes the copy's environment again and
    tidies the copy's file; the original (its data, its outputs, its environment) is untouched."""
    copy = tmp_path / "副本 copy"
    run(["cp", "-a", str(fresh_clone), str(copy)], tmp_path)
    original = {**tree_hashes(fresh_clone, "data/raw"), **output_hashes(fresh_clone)}
    original_stamp = (fresh_clone / ".venv" / ".synced").read_bytes()
    tidy = _untidy(copy / INSTRUMENTS)

    result = make(copy, "tidy", f"FILE={INSTRUMENTS}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        f".venv was made in {fresh_clone}, not in {copy} (a copied or moved checkout): making it again here"
        in result.stdout.splitlines()
    )
    assert f"{INSTRUMENTS}: removed the UTF-8 byte-order mark (BOM)" in result.stdout
    assert (copy / INSTRUMENTS).read_bytes() == tidy
    assert {**tree_hashes(fresh_clone, "data/raw"), **output_hashes(fresh_clone)} == original
    assert (fresh_clone / ".venv" / ".synced").read_bytes() == original_stamp
    assert (copy / ".venv" / ".synced").read_text(encoding="utf-8").strip() == str(copy)
    assert str(fresh_clone) not in (copy / ".venv" / "bin" / "snakemake").read_text(encoding="utf-8")
    # Made again once: the next command just runs.
    again = make(copy, "tidy", f"FILE={INSTRUMENTS}")
    assert again.returncode == 0 and "making it again" not in again.stdout
    assert f"{INSTRUMENTS}: already tidy, nothing changed" in again.stdout


def test_a_moved_checkout_builds(fresh_clone, tmp_path):
    """A built checkout moved to another folder (`mv`): `make` makes its environment again and finds
    the build up to date; its outputs are unchanged. (The environment moved was made in the clone's
    folder: the copy is moved before anything runs in it.)"""
    first = tmp_path / "before"
    run(["cp", "-a", str(fresh_clone), str(first)], tmp_path)
    moved = tmp_path / "moved 移动"
    run(["mv", str(first), str(moved)], tmp_path)
    before = output_hashes(moved)

    result = make(moved)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        f".venv was made in {fresh_clone}, not in {moved} (a copied or moved checkout): making it again here"
        in result.stdout.splitlines()
    )
    assert "ModuleNotFoundError" not in result.stderr
    assert "Nothing to be done" in result.stdout + result.stderr
    assert output_hashes(moved) == before
    assert not first.exists()
    assert stat.S_ISDIR((moved / ".venv").lstat().st_mode)
