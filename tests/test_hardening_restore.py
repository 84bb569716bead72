"""Restoring data/raw keeps DVC's guarantees, and links carry nothing in or out (issue 18).

Each payload is what a pushed commit (or a hostile pull request) could bring: a list of files naming
a path outside data/raw, a corrupt object in the embedded remote, a committed symbolic link. Each is
built in a throw-away copy; each test checks the one line the user sees and that nothing was written,
in the copy (not data/raw, not .dvc/cache) or around it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from biomedimg import links
from biomedimg.run import datasync
from biomedimg.site import render
from conftest import ROOT, copy_project, run

REMOTE = Path("data/dvc-remote")
CACHE = Path(".dvc/cache")


def tree(top: Path) -> dict[str, str]:
    """Every file and link under ``top`` (links not followed): its content's hash, or where it points."""
    found = {}
    for folder, subfolders, files in os.walk(top):
        for name in files + [d for d in subfolders if (Path(folder) / d).is_symlink()]:
            path = Path(folder) / name
            rel = str(path.relative_to(top))
            found[rel] = (
                f"-> {os.readlink(path)}"
                if path.is_symlink()
                else hashlib.sha256(path.read_bytes()).hexdigest()
            )
    return found


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project two folders below tmp_path, so that an escape from data/raw
    (``data/raw/../../..``) lands inside tmp_path, where the test can see it."""
    return copy_project(tmp_path / "around" / "project")


def put_object(project: Path, content: bytes, suffix: str = "") -> str:
    """Store ``content`` in the embedded remote as DVC 3 does; return its md5 (plus ``suffix``)."""
    md5 = hashlib.md5(content).hexdigest() + suffix
    path = datasync.object_path(project / REMOTE, md5)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return md5


def commit_list_of_files(project: Path, extra: dict[str, bytes]) -> str:
    """What a pushed data commit brings: the files of data/raw.dvc plus ``extra`` (relpath ->
    content), its objects in the remote, and data/raw.dvc naming the new list. Returns its md5."""
    entries = [{"md5": md5, "relpath": rel} for rel, md5 in datasync.manifest(project).items()]
    entries += [{"md5": put_object(project, content), "relpath": rel} for rel, content in extra.items()]
    listing = json.dumps(sorted(entries, key=lambda e: e["relpath"]), sort_keys=True).encode()
    dir_md5 = put_object(project, listing, ".dir")
    dvc_file = project / datasync.DVC_FILE
    old = datasync.recorded_dir_hash(project)
    dvc_file.write_text(dvc_file.read_text(encoding="utf-8").replace(old, dir_md5), encoding="utf-8")
    return dir_md5


def fresh(project: Path) -> None:
    """A fresh clone: no raw data restored yet, no DVC cache."""
    shutil.rmtree(project / "data" / "raw")
    shutil.rmtree(project / ".dvc" / "cache", ignore_errors=True)


def test_a_list_of_files_naming_a_path_out_of_data_raw_is_refused(project, tmp_path):
    dir_md5 = commit_list_of_files(project, {"../../../escaped.txt": b"written by the data commit\n"})
    fresh(project)
    before = tree(tmp_path)
    code, line = datasync.sync(project)
    assert (code, line) == (
        1,
        f"data/raw: the list of files of data/raw.dvc (object data/dvc-remote/files/md5/{dir_md5[:2]}/"
        f"{dir_md5[2:]}) names '../../../escaped.txt', which leads out of data/raw (..); refused, nothing "
        "was restored",
    )
    assert not (tmp_path / "around" / "escaped.txt").exists()
    assert tree(tmp_path) == before  # nothing in data/raw, .dvc/cache, or around the copy
    assert not (project / CACHE).exists() and not (project / "data" / "raw").exists()


def test_a_list_of_files_naming_an_absolute_path_is_refused(project, tmp_path):
    target = tmp_path / "absolute-escape.txt"
    dir_md5 = commit_list_of_files(project, {str(target): b"written by the data commit\n"})
    raw_before = tree(project / "data" / "raw")
    before = tree(tmp_path)
    code, line = datasync.sync(project)
    assert (code, line) == (
        1,
        f"data/raw: the list of files of data/raw.dvc (object data/dvc-remote/files/md5/{dir_md5[:2]}/"
        f"{dir_md5[2:]}) names '{target}', an absolute path; refused, nothing was restored",
    )
    assert not target.exists()
    assert tree(tmp_path) == before and tree(project / "data" / "raw") == raw_before
    assert not (project / CACHE).exists()


def test_a_corrupt_object_in_the_remote_is_named_and_nothing_is_restored(project, tmp_path):
    md5 = datasync.manifest(project)["exchange_rates.csv"]
    obj = datasync.object_path(project / REMOTE, md5)
    good = obj.read_bytes()
    assert b"6.8985" in good
    obj.write_bytes(good.replace(b"6.8985", b"6.8986", 1))  # one byte changed
    bad_md5 = hashlib.md5(obj.read_bytes()).hexdigest()
    fresh(project)
    before = tree(tmp_path)
    code, line = datasync.sync(project)
    assert (code, line) == (
        1,
        f"data/raw: data/dvc-remote/files/md5/{md5[:2]}/{md5[2:]} (the DVC object of exchange_rates.csv) "
        f"is corrupt: its md5 is {bad_md5}, not the {md5} its name records; nothing was restored (replace "
        "the object with a good copy, e.g. from the checkout that ran `dvc push`)",
    )
    # Not one file restored (not even the good ones), nothing cached under the good hash.
    assert tree(tmp_path) == before
    assert not (project / "data" / "raw").exists()
    assert not datasync.object_path(project / CACHE, md5).exists()


def test_a_corrupt_list_of_files_is_named_and_nothing_is_restored(project, tmp_path):
    dir_md5 = datasync.recorded_dir_hash(project)
    obj = datasync.object_path(project / REMOTE, dir_md5)
    listing = obj.read_bytes()
    md5 = datasync.manifest(project)["exchange_rates.csv"]
    # One character of one recorded md5 changed: the list now names another object for the file.
    obj.write_bytes(listing.replace(md5.encode(), (md5[:-1] + ("0" if md5[-1] != "0" else "1")).encode()))
    bad_md5 = hashlib.md5(obj.read_bytes()).hexdigest()
    (project / "data" / "raw" / "exchange_rates.csv").unlink()  # something to restore
    before = tree(tmp_path)
    code, line = datasync.sync(project)
    assert (code, line) == (
        1,
        f"data/raw: data/dvc-remote/files/md5/{dir_md5[:2]}/{dir_md5[2:]} (the list of files of "
        f"data/raw.dvc) is corrupt: its md5 is {bad_md5}, not the {dir_md5.removesuffix('.dir')} its "
        "name records; nothing was restored (replace the object with a good copy, e.g. from the checkout "
        "that ran `dvc push`)",
    )
    assert tree(tmp_path) == before
    assert not (project / CACHE).exists()


def test_a_raw_csv_replaced_by_a_link_out_of_the_project_is_refused_not_followed(project, tmp_path):
    secret = tmp_path / "outside" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text("year,rate\n2020,1\n", encoding="utf-8")
    raw = project / "data" / "raw" / "exchange_rates.csv"
    raw.unlink()
    raw.symlink_to(secret)
    before = tree(tmp_path)
    expected = (
        f"data/raw/exchange_rates.csv: a symbolic link to a file outside the project ({secret}); refused"
    )
    assert datasync.sync(project) == (1, expected)
    # Snakemake started without `make` stops too, before planning anything.
    assert links.refused(project) == [expected]
    assert tree(tmp_path) == before
    assert not (project / CACHE).exists() and not (project / datasync.STATE).exists()


def test_links_inside_the_project_are_refused_too(project):
    """A link that stays in the project may still reach what is not published (.dvc/config.local)."""
    static = project / "book" / "_static"
    (static / "config.txt").symlink_to(Path("..") / ".." / ".dvc" / "config")
    (project / "data" / "raw" / "sub").symlink_to(project / "data" / "claims", target_is_directory=True)
    assert links.refused(project) == [
        "book/_static/config.txt: a symbolic link (to .dvc/config); refused: the build copies files, not "
        "links (put the file itself there)",
        "data/raw/sub: a symbolic link (to data/claims); refused: the build copies files, not links (put "
        "the file itself there)",
    ]


def test_the_book_build_refuses_a_link_even_when_started_alone(project):
    """`python -m biomedimg.run.job` runs the book's script without Snakemake (and its preflight)."""
    (project / "book" / "_static" / "leak.txt").symlink_to("/etc/passwd")
    with pytest.raises(ValueError) as refused:
        render.render(project)
    assert str(refused.value) == (
        "book/_static/leak.txt: a symbolic link to a file outside the project (/etc/passwd); refused"
    )
    assert not (project / "results" / "book_src").exists()
    assert not (project / "results" / "book_src.new").exists()


def test_a_list_of_files_that_stays_in_data_raw_is_accepted():
    assert datasync.outside_raw("sub/a.csv") is None and datasync.outside_raw("a..b.csv") is None
    assert datasync.outside_raw("sub\\..\\..\\x") == "which leads out of data/raw (..)"
    assert datasync.outside_raw("C:x.csv") == "an absolute path"
    assert datasync.outside_raw("./.") == "which names data/raw itself"


def test_remote_objects_are_binary_under_any_autocrlf():
    objects = sorted(p for p in (ROOT / REMOTE).rglob("*") if p.is_file())
    rels = [str(p.relative_to(ROOT)) for p in objects[:3]] + [str(CACHE / "files" / "md5" / "00" / "x")]
    out = run(["git", "check-attr", "text", "--", *rels], ROOT).stdout
    assert out.splitlines() == [f"{rel}: text: unset" for rel in rels]


def test_a_clone_with_autocrlf_keeps_every_remote_object_intact(tmp_path):
    clone = tmp_path / "clone"
    run(["git", "clone", "--quiet", "-c", "core.autocrlf=true", str(ROOT), str(clone)], tmp_path)
    objects = [p for p in (clone / REMOTE).rglob("*") if p.is_file()]
    assert len(objects) > 20
    for obj in objects:
        name = obj.parent.name + obj.name.removesuffix(".dir")
        assert hashlib.md5(obj.read_bytes()).hexdigest() == name, obj


# --- end to end: `make` in a built copy --------------------------------------------------------------


def results_tree(root: Path) -> dict[str, str]:
    return {**tree(root / "results"), **{f"html/{k}": v for k, v in tree(root / "book" / "_build").items()}}


def make(root: Path):
    return run(["make"], root, check=False, env=dict(os.environ, PYTHONPATH=str(root / "workflow")))


def test_a_link_in_book_static_stops_the_build_and_publishes_nothing(built_copy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("a private file of the user\n", encoding="utf-8")
    (built_copy / "book" / "_static" / "leak.txt").symlink_to(secret)
    before, around = results_tree(built_copy), set(os.listdir(tmp_path))
    result = make(built_copy)
    assert result.returncode != 0
    line = f"book/_static/leak.txt: a symbolic link to a file outside the project ({secret}); refused"
    assert line in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert results_tree(built_copy) == before  # nothing built, nothing published
    assert set(os.listdir(tmp_path)) == around


def test_a_raw_csv_replaced_by_a_link_stops_make_before_the_build(built_copy, tmp_path):
    secret = tmp_path / "secret.csv"
    raw = built_copy / "data" / "raw" / "exchange_rates.csv"
    secret.write_bytes(raw.read_bytes().replace(b"6.8985", b"6.9"))
    raw.unlink()
    raw.symlink_to(secret)
    before = results_tree(built_copy)
    result = make(built_copy)
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        f"data/raw/exchange_rates.csv: a symbolic link to a file outside the project ({secret}); refused"
    )
    assert "Snakemake" not in result.stdout + result.stderr and "Traceback" not in result.stderr
    assert results_tree(built_copy) == before


def test_make_with_a_corrupt_remote_object_restores_builds_and_publishes_nothing(built_copy, tmp_path):
    md5 = datasync.manifest(built_copy)["exchange_rates.csv"]
    obj = datasync.object_path(built_copy / REMOTE, md5)
    obj.write_bytes(obj.read_bytes().replace(b"6.8985", b"6.8986", 1))
    shutil.rmtree(built_copy / "data" / "raw")  # as in a fresh clone: everything to restore
    shutil.rmtree(built_copy / CACHE)
    before, around = results_tree(built_copy), set(os.listdir(tmp_path))
    result = make(built_copy)
    assert result.returncode != 0
    assert result.stderr.splitlines()[0].startswith(
        f"data/raw: data/dvc-remote/files/md5/{md5[:2]}/{md5[2:]} (the DVC object of exchange_rates.csv) "
        "is corrupt: its md5 is "
    )
    assert "Snakemake" not in result.stdout + result.stderr and "Traceback" not in result.stderr
    assert results_tree(built_copy) == before
    assert not (built_copy / "data" / "raw").exists() and not (built_copy / CACHE).exists()
    assert set(os.listdir(tmp_path)) == around


def test_make_after_a_data_commit_escaping_data_raw_writes_nothing(built_copy, tmp_path):
    payload = b"written by the data commit\n"
    dir_md5 = commit_list_of_files(built_copy, {"../../escaped.txt": payload})
    before, around = results_tree(built_copy), set(os.listdir(tmp_path))
    result = make(built_copy)
    assert result.returncode != 0
    assert (
        "names '../../escaped.txt', which leads out of data/raw (..); refused, nothing was restored"
        in (result.stderr.splitlines()[0])
    )
    assert not (tmp_path / "escaped.txt").exists() and set(os.listdir(tmp_path)) == around
    assert results_tree(built_copy) == before
    for obj in (hashlib.md5(payload).hexdigest(), dir_md5):
        assert not datasync.object_path(built_copy / CACHE, obj).exists()
