"""The workflow on a real (one-node) SLURM cluster, through profiles/slurm and `make slurm`, as the
README's cluster section says. `make test-setup` installs Debian's slurmctld, slurmd and munge."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import CLONE_FOLDER, clean_env, copy_built, output_hashes, run, sha256
from slurm_cluster import missing_programs, one_node_cluster

pytestmark = pytest.mark.cluster

# A representative subset: one figure, one table, the claims, provenance and the book (which depends on
# every output, so only the jobs of the outputs removed rerun).
FIGURE = "fig1_nobel_timeline"
TABLE = "table1_xiangshan_conferences"
# `all` is the target rule, run by Snakemake itself on the login node.
REBUILT_RULES = {"figure": 1, "table": 1, "claims": 1, "provenance": 1, "pdf": 1, "build_book": 1, "all": 1}


@pytest.fixture
def cluster(tmp_path):
    missing = missing_programs()
    if missing:
        pytest.fail(f"SLURM is not installed ({', '.join(missing)} missing): run `make test-setup`")
    with one_node_cluster(tmp_path / "slurm", clean_env()) as running:
        # This cluster's configuration is found through SLURM_CONF only (a real cluster's is in
        # /etc/slurm or comes from the controller), and the job-step plugin clears every SLURM_*
        # variable before its `srun`: the jobs' srun gets it back from this wrapper.
        wrappers = running.state / "bin"
        wrappers.mkdir()
        srun = wrappers / "srun"
        srun.write_text(
            f'#!/bin/sh\nSLURM_CONF="{running.env["SLURM_CONF"]}" exec "{shutil.which("srun")}" "$@"\n',
            encoding="utf-8",
        )
        srun.chmod(0o755)
        running.env["PATH"] = os.pathsep.join([str(wrappers), running.env["PATH"]])
        yield running


def book_hashes(root: Path) -> dict[str, str]:
    html = root / "book" / "_build" / "html"
    return {str(p.relative_to(root)): sha256(p) for p in sorted(html.rglob("*.html"))}


def test_make_slurm_runs_the_jobs_through_the_scheduler_and_builds_the_same_bytes(
    fresh_clone, tmp_path, cluster
):
    project = copy_built(fresh_clone, tmp_path / CLONE_FOLDER / "proj")
    results = project / "results"
    local = {**output_hashes(project), **book_hashes(project)}
    local["results/provenance.json"] = sha256(results / "provenance.json")
    removed = [
        *(results / "figures").glob(f"{FIGURE}.*"),
        *(results / "tables").glob(f"{TABLE}.*"),
        results / "claims.json",
        results / "provenance.json",
        project / "book" / "_build" / "html" / "index.html",
    ]
    assert len(removed) > 5
    for path in removed:
        path.unlink()

    result = run(["make", "slurm"], project, env=cluster.env, timeout=1800)
    out = result.stdout + result.stderr

    # Snakemake ran exactly the jobs of the removed outputs, through the SLURM executor, grouped.
    assert "Using workflow specific profile profiles/slurm" in out
    stats = dict(re.findall(r"^(\w+)\s+(\d+)\s*$", out.split("Job stats:")[1].split("\n\n")[0], flags=re.M))
    assert {rule: int(n) for rule, n in stats.items() if rule != "total"} == REBUILT_RULES
    # Status from squeue (this cluster has no accounting database, so sacct would never see a job end).
    assert "Falling back to 'sacct'" not in out
    submitted = re.findall(r"Job \S+ has been submitted with SLURM jobid (\d+)", out)
    assert len(submitted) >= 3, out

    # The scheduler ran each of them: its job-completion log and its queue (finished jobs stay for
    # MinJobAge) list every submitted job as COMPLETED, on the cluster's node.
    finished = {job["JobId"]: job for job in cluster.finished_jobs()}
    assert set(submitted) <= set(finished), cluster.logs()
    assert {finished[j]["JobState"] for j in submitted} == {"COMPLETED"}
    assert {finished[j]["NodeList"] for j in submitted} == {"localhost"}
    # One CPU each (the profile's `cores: 1`), whatever the group: a one-CPU node takes every job.
    assert {finished[j]["ProcCnt"] for j in submitted} == {"1"}
    queue = {line.split("|")[0]: line.split("|")[2] for line in cluster.queue().splitlines()}
    assert {queue[j] for j in submitted} == {"COMPLETED"}

    # Every job's SLURM log is kept (logs of successful jobs too).
    slurm_logs = list((project / ".snakemake" / "slurm_logs").rglob("*.log"))
    assert {re.search(r"(\d+)\.log$", p.name).group(1) for p in slurm_logs} >= set(submitted)

    # The cluster built the same bytes as the local build.
    rebuilt = {**output_hashes(project), **book_hashes(project)}
    rebuilt["results/provenance.json"] = sha256(results / "provenance.json")
    assert rebuilt == local
