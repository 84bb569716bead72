"""DVC: a fresh clone (in a path with a space and Chinese characters) restores the raw data with no
network, builds byte-identical outputs, reports edits, and `dvc repro` is a no-op the second time."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from biomedimg import vocab
from conftest import BIN, ROOT, copy_built, output_hashes, run, snakemake

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


def test_fresh_clone_builds_byte_identical_outputs(built, clone):
    snakemake(clone)
    assert output_hashes(clone) == output_hashes(built)
    assert (clone / "book" / "_build" / "html" / "index.html").exists()


def test_dvc_repro_twice_is_a_no_op_and_keeps_outputs(clone):
    dvc(clone, "repro")
    second = dvc(clone, "repro").stdout
    # The validate stage always runs (it is how DVC sees data/raw without recording it); the build
    # it guards is skipped.
    assert "Running stage 'validate'" in second and "Stage 'build' didn't change, skipping" in second
    assert (clone / "results" / "claims.json").exists() and (clone / "book" / "_build" / "html").exists()
    metrics = json.loads(dvc(clone, "metrics", "show", "--json").stdout)
    values = next(iter(metrics.values()))["data"]["results/metrics.json"]["data"]
    assert set(values["claims"]) == {"total", *vocab.STATUSES}  # each status counted separately
    # DVC shows what the build counted: the committed metrics, which the build rewrites identically.
    committed = json.loads((ROOT / "results" / "metrics.json").read_text(encoding="utf-8"))
    assert values == committed and values["rows"]["xiangshan_conferences"] == 25


def test_dvc_repro_never_records_invalid_data(clone):
    """A bad edit: `dvc repro` fails with the validator's message and data/raw.dvc stays as it was."""
    raw = clone / "data" / "raw" / "cast_subcommittees.csv"
    raw.chmod(0o644)
    good = raw.read_bytes()
    recorded = (clone / "data" / "raw.dvc").read_bytes()
    lock = (clone / "dvc.lock").read_bytes()
    raw.write_bytes(good.replace(b"Chinese Optical Society", "Chinese\u00a0Optical Society".encode(), 1))
    try:
        result = dvc(clone, "repro", check=False)
        assert result.returncode != 0
        assert (
            "INVALID RAW DATA: data/raw/cast_subcommittees.csv, line 2, column 'society_en': invisible or "
            "look-alike character U+00A0 NO-BREAK SPACE at character 8"
        ) in result.stderr + result.stdout
        assert (clone / "data" / "raw.dvc").read_bytes() == recorded
        assert (clone / "dvc.lock").read_bytes() == lock
        assert "Running stage 'build'" not in result.stdout
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
