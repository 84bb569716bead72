"""DVC: a fresh clone (in a path with a space and Chinese characters) restores the raw data with no
network; after `make` DVC's view agrees with Snakemake's (nothing to do), after an edit both name what
changed; `dvc repro` is a no-op after `make`, and invalid data is never recorded."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from biomedimg import vocab
from conftest import BIN, ROOT, copy_built, run, snakemake
from test_workflow import planned_jobs

pytestmark = pytest.mark.slow


def dvc(clone: Path, *args: str, check: bool = True):
    return run([str(BIN / "dvc"), *args], clone, check=check)


@pytest.fixture(scope="module")
def clone(fresh_clone, tmp_path_factory) -> Path:
    """A copy of the shared fresh clone: `git clone`, then `make` (which ran `dvc pull`), in a folder
    whose path has spaces and Chinese characters."""
    return copy_built(fresh_clone, tmp_path_factory.mktemp("dvc") / "生物医学 影像 clone")


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_pull_restores_the_raw_data_with_matching_hashes(clone):
    assert not run(["git", "ls-files", "data/raw"], clone).stdout.strip(), "raw data is in DVC, not git"
    dir_md5 = (clone / "data" / "raw.dvc").read_text(encoding="utf-8").split("md5: ")[1].split()[0]
    manifest = clone / "data" / "dvc-remote" / "files" / "md5" / dir_md5[:2] / dir_md5[2:]
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    assert len(entries) >= 20
    for entry in entries:
        restored = clone / "data" / "raw" / entry["relpath"]
        assert md5(restored) == entry["md5"], entry["relpath"]
        assert restored.read_bytes() == (ROOT / "data" / "raw" / entry["relpath"]).read_bytes()
    assert "up to date" in dvc(clone, "status", "data/raw.dvc").stdout


def nothing_changed(status: str) -> bool:
    return status.strip() == "Data and pipelines are up to date."


def test_after_make_dvc_and_snakemake_both_have_nothing_to_do(fresh_clone):
    assert nothing_changed(dvc(fresh_clone, "status").stdout)
    assert planned_jobs(fresh_clone) == {}
    # The record shipped with the code was current: `make` in the clone had nothing to write (`make
    # test` builds this checkout first, which brings its dvc.lock up to date).
    stale = "this checkout's dvc.lock does not record its code: run `make` and commit dvc.lock"
    assert "dvc.lock" not in (fresh_clone / "make.out").read_text(encoding="utf-8"), stale
    assert (fresh_clone / "dvc.lock").read_bytes() == (ROOT / "dvc.lock").read_bytes(), stale


def test_after_an_edit_both_say_what_changed_and_make_brings_them_back(built_copy):
    root = built_copy
    raw = root / "data" / "raw" / "cast_subcommittees.csv"
    raw.write_bytes(raw.read_bytes().replace(b"Chinese Optical Society", b"Chinese Optics Society", 1))
    status = dvc(root, "status").stdout
    assert "data/raw.dvc" in status and re.search(r"modified:\s+data/raw$", status, re.M), status
    assert "build" not in status, "the build stage depends on what Snakemake validated, not yet rerun"
    jobs = planned_jobs(root)
    assert jobs["validate_raw"] == 1 and "build_book" in jobs
    run(["make"], root)
    assert planned_jobs(root) == {}
    # The build is recorded (dvc.lock); the data is the user's to record, and DVC still says so.
    status = dvc(root, "status").stdout
    assert "data/raw.dvc" in status and "build" not in status, status
    dvc(root, "add", "--quiet", "data/raw")
    assert nothing_changed(dvc(root, "status").stdout)
    # An edit of the code: DVC names the build stage's changed dependency, Snakemake the jobs to rerun.
    module = root / "workflow" / "biomedimg" / "outputs" / "claims.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    status = dvc(root, "status").stdout
    assert "build:" in status and re.search(r"modified:\s+workflow$", status, re.M), status
    assert "claims" in planned_jobs(root)


def test_dvc_repro_is_a_no_op_after_make_and_keeps_outputs(clone):
    first = dvc(clone, "repro").stdout
    assert "Stage 'build' didn't change, skipping" in first and "Running stage" not in first
    assert (clone / "results" / "claims.json").exists() and (clone / "book" / "_build" / "html").exists()
    metrics = json.loads(dvc(clone, "metrics", "show", "--json").stdout)
    values = next(iter(metrics.values()))["data"]["results/metrics.json"]["data"]
    assert set(values["claims"]) == {"total", *vocab.STATUSES}  # each status counted separately
    # DVC shows what the build counted: the committed metrics, which the build rewrites identically.
    committed = json.loads((ROOT / "results" / "metrics.json").read_text(encoding="utf-8"))
    assert values == committed and values["rows"]["xiangshan_conferences"] == 25


def test_invalid_data_is_never_recorded(clone):
    """A bad edit: `make` fails with the validator's message, and so does `dvc repro` (the failed
    validation took the file's stamp out of results/validated, so the build stage changed); neither
    changes data/raw.dvc or dvc.lock."""
    raw = clone / "data" / "raw" / "cast_subcommittees.csv"
    raw.chmod(0o644)
    good = raw.read_bytes()
    recorded = (clone / "data" / "raw.dvc").read_bytes()
    lock = (clone / "dvc.lock").read_bytes()
    raw.write_bytes(good.replace(b"Chinese Optical Society", "Chinese\u00a0Optical Society".encode(), 1))
    message = (
        "INVALID RAW DATA: data/raw/cast_subcommittees.csv, line 2, column 'society_en': invisible or "
        "look-alike character U+00A0 NO-BREAK SPACE at character 8"
    )
    try:
        for command in (["make"], [str(BIN / "dvc"), "repro"]):
            result = run(command, clone, check=False)
            assert result.returncode != 0 and message in result.stderr + result.stdout, command
            assert (clone / "data" / "raw.dvc").read_bytes() == recorded, command
            assert (clone / "dvc.lock").read_bytes() == lock, command
    finally:
        raw.write_bytes(good)


def test_an_edited_raw_file_is_reported(clone):
    raw = clone / "data" / "raw" / "nsfc_major_projects.csv"
    raw.chmod(0o644)
    raw.write_text(raw.read_text(encoding="utf-8").replace(",1998,", ",1999,"), encoding="utf-8")
    status = dvc(clone, "status").stdout
    assert "data/raw.dvc" in status and "modified" in status
    assert "data/raw" in dvc(clone, "diff").stdout


def test_metrics_diff_shows_a_changed_count(clone):
    raw = clone / "data" / "raw" / "xiangshan_conferences.csv"
    raw.chmod(0o644)
    lines = raw.read_text(encoding="utf-8").splitlines(keepends=True)
    raw.write_text("".join(lines[:-1]), encoding="utf-8")  # drop conference 25
    snakemake(clone, str(Path("results") / "claims_metrics.json"))  # published on success
    diff = json.loads(dvc(clone, "metrics", "diff", "--json").stdout)
    changes = diff["results/metrics.json"]
    assert changes["rows.xiangshan_conferences"] == {"old": 25, "new": 24, "diff": -1}
    assert changes["claims.fail"]["new"] == changes["claims.fail"]["old"] + 1
    assert changes["claims.pass"]["new"] == changes["claims.pass"]["old"] - 1
