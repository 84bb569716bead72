"""The workflow end to end, in throw-away copies: make-style reruns, bad input, a killed run, determinism."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import BIN, copy_project, output_hashes, run, snakemake

pytestmark = pytest.mark.slow


def planned_jobs(cwd: Path) -> dict[str, int]:
    """Rule name -> number of jobs Snakemake would run now (a dry run)."""
    out = snakemake(cwd, "--dry-run").stdout
    jobs: dict[str, int] = {}
    for rule in re.findall(r"^(?:local)?rule (\w+):$", out, flags=re.M):
        jobs[rule] = jobs.get(rule, 0) + 1
    return jobs


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory) -> Path:
    """A copy of the project, built once from scratch (without .git: its commit reads 'unknown')."""
    root = copy_project(tmp_path_factory.mktemp("copy"))
    snakemake(root)
    return root


def test_nothing_to_do_after_a_build(built):
    out = snakemake(built, "--dry-run").stdout
    assert "Nothing to be done" in out, out[-2000:]


def test_clean_builds_are_byte_identical(built, built_copy):
    ours, theirs = output_hashes(built), output_hashes(built_copy)
    assert len(ours) >= 50
    assert ours == theirs


def test_one_changed_file_reruns_exactly_its_dependents(built_copy):
    assert planned_jobs(built_copy) == {}
    raw = built_copy / "data" / "raw" / "cast_subcommittees.csv"
    raw.write_text(
        raw.read_text(encoding="utf-8").replace("Chinese Optical Society", "Chinese Optical Soc."),
        encoding="utf-8",
    )
    assert planned_jobs(built_copy) == {
        "validate_raw": 1,
        "table2_cast_subcommittees": 1,
        "fig_cast_subcommittees": 1,
        "datapackage": 1,
        "claims": 1,
        "provenance": 1,
        "build_book": 1,
        "all": 1,
    }
    untouched = built_copy / "results" / "figures" / "fig1_nobel_timeline.zh.png"
    before = untouched.stat().st_mtime_ns
    snakemake(built_copy)
    assert untouched.stat().st_mtime_ns == before
    table = (built_copy / "results" / "tables" / "table2_cast_subcommittees.csv").read_text(encoding="utf-8")
    assert "Chinese Optical Soc." in table
    page = (built_copy / "book" / "_build" / "html" / "en" / "status_investment.html").read_text(
        encoding="utf-8"
    )
    assert "Chinese Optical Soc." in page
    assert planned_jobs(built_copy) == {}


def test_bad_input_stops_the_workflow(tmp_path):
    root = copy_project(tmp_path)
    raw = root / "data" / "raw" / "xiangshan_conferences.csv"
    broken = "\ufeff" + raw.read_text(encoding="utf-8")
    raw.write_text(broken, encoding="utf-8")
    result = snakemake(root, check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert (
        "INVALID RAW DATA: data/raw/xiangshan_conferences.csv, line 1: file starts with a UTF-8 byte-order mark"
        in output
    )
    assert "Traceback" not in output
    assert raw.read_text(encoding="utf-8") == broken, "the workflow never modifies raw data"
    results = root / "results"
    assert not (results / "validated" / "xiangshan_conferences.ok").exists()
    assert not (results / "tables" / "table1_xiangshan_conferences.csv").exists()
    assert (
        not list((results / "figures").glob("fig_xiangshan_timeline.*"))
        if (results / "figures").exists()
        else True
    )
    assert not (results / "claims.json").exists() and not (root / "book" / "_build").exists()


def test_a_killed_run_resumes_to_identical_outputs(built, tmp_path):
    root = copy_project(tmp_path)
    proc = subprocess.Popen(
        [str(BIN / "snakemake"), "--cores", "1", "results/provenance.json"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    figures = root / "results" / "figures"
    deadline = time.time() + 300
    while time.time() < deadline and len(list(figures.glob("*.png"))) < 5:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert len(list(figures.glob("*.png"))) < 20, "the run finished before it could be killed"
    assert any((root / ".snakemake" / "locks").iterdir()), "a killed run leaves its lock behind"
    # What `make` does before running the workflow: drop the lock the killed run could not release.
    run([str(BIN / "python"), "-m", "biomedimg.locks"], root)
    assert not (root / ".snakemake" / "locks").exists()
    snakemake(root, "results/provenance.json")
    ours = {k: v for k, v in output_hashes(built).items()}
    theirs = output_hashes(root)
    assert theirs == ours
