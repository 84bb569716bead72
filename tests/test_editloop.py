"""The analyst's loop (issue 9): restoring raw data without fighting edits, tidying Excel saves,
stopping on deleted inputs, stale locks; and, end to end in a download without .git, `make`."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from biomedimg import paths
from biomedimg.run import datasync, finish, locks, preflight
from biomedimg.tools import tidy
from conftest import BIN, ROOT, copy_project, run
from test_validate import excel_save, set_cell

MAJOR = "nsfc_major_projects"


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def raw(root: Path, name: str) -> Path:
    return root / paths.raw_csv(name)


# --- datasync: `make data` --------------------------------------------------------------------------


def test_fresh_checkout_gets_every_file_restored(project):
    shutil.rmtree(project / "data" / "raw")
    n = len(datasync.manifest(project))
    code, line = datasync.sync(project)
    assert (code, line) == (0, f"data/raw: restored all {n} files from the DVC remote")
    for path in (ROOT / "data" / "raw").iterdir():
        assert (project / "data" / "raw" / path.name).read_bytes() == path.read_bytes()
    assert datasync.sync(project) == (0, f"data/raw: up to date with data/raw.dvc ({n} files)")


def test_an_edit_is_kept_and_named_in_one_line(project):
    path = raw(project, "cast_subcommittees")
    path.write_bytes(set_cell(path.read_bytes(), 2, "subcommittee_en", "Biophotonics Committee"))
    edited = path.read_bytes()
    code, line = datasync.sync(project)
    assert code == 0 and path.read_bytes() == edited
    assert line == (
        "data/raw: 1 file changed locally since data/raw.dvc (cast_subcommittees.csv); building from "
        "your edit; record it with: .venv/bin/dvc add data/raw && git add data/raw.dvc"
    )


def test_a_deleted_file_is_named_not_silently_restored(project):
    datasync.sync(project)  # the state of a checkout that has run `make` before
    raw(project, "exchange_rates").unlink()
    code, line = datasync.sync(project)
    assert not raw(project, "exchange_rates").exists()
    assert "1 file deleted since data/raw.dvc (exchange_rates.csv)" in line
    assert "--restore exchange_rates.csv" in line
    code, line = datasync.sync(project, ["exchange_rates.csv"])
    assert code == 0 and line == "data/raw: restored exchange_rates.csv from the DVC remote"
    assert raw(project, "exchange_rates").read_bytes() == raw(ROOT, "exchange_rates").read_bytes()


def test_a_new_file_is_named(project):
    (project / "data" / "raw" / "budgets.csv").write_text("year,amount\n2020,1\n", encoding="utf-8")
    code, line = datasync.sync(project)
    assert code == 0 and "1 new file not in data/raw.dvc (budgets.csv)" in line


def test_a_remote_missing_one_object_names_the_file_and_restores_the_rest(project):
    shutil.rmtree(project / "data" / "raw")
    tracked = datasync.manifest(project)
    lost = datasync.object_path(project / "data" / "dvc-remote", tracked["exchange_rates.csv"])
    kept = lost.read_bytes()
    lost.unlink()
    code, line = datasync.sync(project)
    assert code == 1
    assert line.startswith(
        "data/raw: restored " + ", ".join(sorted(r for r in tracked if r != "exchange_rates.csv"))
    )
    assert "cannot restore exchange_rates.csv: its object is missing from the DVC remote" in line
    assert len(list((project / "data" / "raw").iterdir())) == len(tracked) - 1
    # Once the object is back, the next run finishes the restore (it is not taken for a deletion).
    lost.write_bytes(kept)
    assert datasync.sync(project) == (0, "data/raw: restored exchange_rates.csv from the DVC remote")


def test_a_new_version_of_raw_dvc_is_followed_but_edits_are_kept(project):
    """After `git pull` brings a new data/raw.dvc: files it adds are restored, files as the previous
    version left them are updated, files edited here are kept."""
    datasync.sync(project)
    state_file = project / datasync.STATE
    state = json.loads(state_file.read_text(encoding="utf-8"))
    # The previous version had another exchange_rates.csv (checked out here) and no translations.
    old = raw(project, "exchange_rates").read_bytes().replace(b"6.8985", b"6.9")
    raw(project, "exchange_rates").write_bytes(old)
    state["exchange_rates.csv"] = hashlib.md5(old).hexdigest()
    raw(project, "xiangshan_conferences").unlink()
    del state["xiangshan_conferences.csv"]
    state_file.write_text(json.dumps(state), encoding="utf-8")
    edited = raw(project, "cast_subcommittees")
    edited.write_bytes(set_cell(edited.read_bytes(), 2, "subcommittee_en", "Biophotonics Committee"))
    code, line = datasync.sync(project)
    assert code == 0
    assert line.startswith(
        "data/raw: updated exchange_rates.csv to the version in data/raw.dvc; restored "
        "xiangshan_conferences.csv from the DVC remote; 1 file changed locally since data/raw.dvc "
        "(cast_subcommittees.csv)"
    )
    for name in ("exchange_rates", "xiangshan_conferences"):
        assert raw(project, name).read_bytes() == raw(ROOT, name).read_bytes()
    assert b"Biophotonics Committee" in edited.read_bytes()


def test_a_checkout_without_a_record_follows_a_new_version_but_keeps_edits(project):
    """A checkout made before datasync (no record of what it checked out) pulls a new data/raw.dvc:
    a file whose bytes are an earlier recorded version (an object of the remote) is updated, an edit
    whose bytes DVC never recorded is kept."""
    remote = project / "data" / "dvc-remote"
    current = datasync.manifest(project)
    older = None
    for listing in sorted(remote.rglob("*.dir")):
        for entry in json.loads(listing.read_text(encoding="utf-8")):
            relpath = entry["relpath"]
            if relpath.endswith(".csv") and current.get(relpath) not in (None, entry["md5"]):
                older = (relpath, entry["md5"])
    assert older, "the embedded remote holds no earlier version of any raw CSV"
    relpath, old_md5 = older
    datasync.sync(project)
    (project / datasync.STATE).unlink()
    shutil.copyfile(datasync.object_path(remote, old_md5), project / "data" / "raw" / relpath)
    edited = raw(project, "cast_subcommittees")
    edited.write_bytes(set_cell(edited.read_bytes(), 2, "subcommittee_en", "Biophotonics Committee"))
    code, line = datasync.sync(project)
    assert code == 0
    assert line.startswith(f"data/raw: updated {relpath} to the version in data/raw.dvc; ")
    assert "1 file changed locally since data/raw.dvc (cast_subcommittees.csv)" in line
    assert datasync.md5(project / "data" / "raw" / relpath) == current[relpath]
    assert b"Biophotonics Committee" in edited.read_bytes()


# --- preflight: deleted inputs stop the build by name ------------------------------------------------


def test_deleted_inputs_and_unknown_files_are_named(project):
    raw(project, "exchange_rates").unlink()
    (project / paths.raw_meta("cast_subcommittees")).unlink()
    (project / paths.raw_schema(MAJOR)).unlink()
    (project / "data" / "raw" / "budgets.csv").write_text("year\n2020\n", encoding="utf-8")
    missing, unknown = preflight.problems(project)
    assert [m.split(" is missing")[0] for m in missing] == [
        "data/raw/cast_subcommittees.meta.yaml",
        "data/raw/exchange_rates.csv",
        "workflow/schemas/raw/nsfc_major_projects.schema.yaml",
    ]
    assert [u.split(":")[0] for u in unknown] == [
        "data/raw/budgets.csv has no schema workflow/schemas/raw/budgets.schema.yaml",
    ]


def test_no_problem_in_the_real_checkout():
    assert preflight.problems(ROOT) == ([], [])


# --- tidy --------------------------------------------------------------------------------------------


def test_tidy_undoes_an_excel_save_and_prints_each_change(project):
    path = raw(project, MAJOR)
    original = path.read_bytes()
    path.write_bytes(excel_save(original).replace(b",Wang Kemin,", b", Wang Kemin ,"))
    changes = tidy.tidy(paths.raw_csv(MAJOR), project)
    assert changes == [
        "data/raw/nsfc_major_projects.csv: removed the UTF-8 byte-order mark (BOM)",
        "data/raw/nsfc_major_projects.csv: 11 Windows/old Mac line endings (\\r\\n, \\r) -> \\n",
        "data/raw/nsfc_major_projects.csv, line 3, column 'funding_10k_cny': '7,133.77' -> '7133.77'",
        "data/raw/nsfc_major_projects.csv, line 3, column 'pi_en': trimmed ' Wang Kemin ' -> 'Wang Kemin'",
    ]
    assert path.read_bytes() == set_cell(original, 3, "funding_10k_cny", "7133.77")
    assert tidy.tidy(paths.raw_csv(MAJOR), project) == []


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda b: b.decode("utf-8").encode("gbk"), "not UTF-8 (byte 0x"),
        (lambda b: set_cell(b, 3, "funding_10k_cny", "1,500"), "'1,500' may be 1500 or 1.500"),
        (lambda b: b + b'1,"unclosed\n', "unbalanced double quote"),
    ],
    ids=["gbk", "ambiguous-number", "broken-csv"],
)
def test_tidy_refuses_what_it_cannot_fix_safely(project, damage, reason):
    path = raw(project, MAJOR)
    path.write_bytes(damage(path.read_bytes()))
    before = path.read_bytes()
    with pytest.raises(tidy.CannotTidy, match=reason.replace("(", r"\(").replace(".", r"\.")):
        tidy.tidy(paths.raw_csv(MAJOR), project)
    assert path.read_bytes() == before


def test_tidy_plain_integer_with_separator(project):
    path = raw(project, "cast_subcommittees")
    path.write_bytes(set_cell(path.read_bytes(), 2, "no", "1,001"))
    assert tidy.tidy(paths.raw_csv("cast_subcommittees"), project) == [
        "data/raw/cast_subcommittees.csv, line 2, column 'no': '1,001' -> '1001'"
    ]


# --- locks ---------------------------------------------------------------------------------------------


def test_a_stale_lock_is_kept_while_an_orphaned_job_runs(tmp_path):
    lock = tmp_path / ".snakemake" / "locks" / "0.input.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text("x", encoding="utf-8")
    # What a killed Snakemake leaves running: the copy of a workflow script it started.
    job = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", str(tmp_path / ".snakemake/scripts/tmp.x.py")],
        cwd=tmp_path,
    )
    try:
        for _ in range(50):  # wait until the process is visible with its command line
            if locks.build_processes(tmp_path):
                break
            time.sleep(0.1)
        out = run([str(BIN / "python"), "-m", "biomedimg.run.locks"], tmp_path, check=False)
        assert out.returncode == 1 and lock.exists()
        assert (
            f"Another build of this checkout is still running (1 process(es), e.g. pid {job.pid}"
            in out.stderr
        )
        assert "--unlock" not in out.stderr
    finally:
        job.kill()
        job.wait()
    out = run([str(BIN / "python"), "-m", "biomedimg.run.locks"], tmp_path)
    assert not lock.exists()
    assert "Removed the lock of an interrupted build (no job of this checkout is still running)" in out.stderr


# --- end to end: `make` in a download without .git ----------------------------------------------------

pytest_slow = pytest.mark.slow


def make(root: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root / "workflow"))
    return run(["make", *args], root, check=check, env=env, timeout=1800)


@pytest.fixture(scope="module")
def download(tmp_path_factory) -> Path:
    """`git archive` of this checkout (no .git), sharing our locked environment, built with `make`."""
    dest = tmp_path_factory.mktemp("download") / "biomedimg download"
    dest.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    assert not (dest / ".git").exists() and not (dest / "data" / "raw").exists()
    for shared in (".venv", ".tools"):
        (dest / shared).symlink_to(ROOT / shared)
    # The shared environment is up to date: older lock files keep `make` from re-syncing it (which
    # would install this download's package into our environment).
    for lock in ("pyproject.toml", "uv.lock"):
        os.utime(dest / lock, (0, 0))
    return dest


@pytest_slow
def test_make_in_a_download_without_git(download):
    result = make(download)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "uv sync" not in result.stdout
    assert (
        f"data/raw: restored all {len(datasync.manifest(download))} files from the DVC remote"
        in result.stdout
    )
    provenance = (download / "results" / "provenance.json").read_text(encoding="utf-8")
    assert '"commit": "no commit"' in provenance
    assert (download / paths.BOOK_HTML / "index.html").exists()


@pytest_slow
def test_edit_a_cell_then_make_rebuilds_with_a_one_line_note(download):
    path = raw(download, "cast_subcommittees")
    path.write_bytes(set_cell(path.read_bytes(), 2, "subcommittee_en", "Biophotonics Specialist Committee"))
    result = make(download)
    assert result.returncode == 0, result.stdout + result.stderr
    notes = [line for line in result.stdout.splitlines() if line.startswith("data/raw:")]
    assert notes == [
        "data/raw: 1 file changed locally since data/raw.dvc (cast_subcommittees.csv); building from "
        "your edit; record it with: .venv/bin/dvc add data/raw && git add data/raw.dvc"
    ]
    assert "validate_raw" in result.stderr  # the edited file was validated again and built from
    published = (download / "results" / "tables" / "table2_cast_subcommittees.csv").read_text(
        encoding="utf-8"
    )
    assert "Biophotonics Specialist Committee" in published


@pytest_slow
def test_excel_save_through_make_then_make_tidy(download):
    path = raw(download, MAJOR)
    original = path.read_bytes()
    path.write_bytes(excel_save(original))
    stamp = download / paths.validated_stamp(MAJOR)
    result = make(download)
    assert result.returncode != 0
    # The job runner repeats the failure with " (log: ...)" appended; count each problem once.
    invalid = sorted(
        {
            re.sub(r" \(log: [^)]*\)$", "", line)
            for line in result.stderr.splitlines()
            if line.startswith("INVALID RAW DATA:")
        }
    )
    assert [line.split(": ", 2)[1] for line in invalid] == [
        "data/raw/nsfc_major_projects.csv, line 1",
        "data/raw/nsfc_major_projects.csv, line 1",
        "data/raw/nsfc_major_projects.csv, line 3, column 'funding_10k_cny'",
    ]
    assert "Traceback" not in result.stderr and not stamp.exists()
    tidied = make(download, "tidy", f"FILE={paths.raw_csv(MAJOR)}")
    assert tidied.returncode == 0 and "'7,133.77' -> '7133.77'" in tidied.stdout
    assert path.read_bytes() == set_cell(original, 3, "funding_10k_cny", "7133.77")
    path.write_bytes(original)


@pytest_slow
def test_a_failed_build_leaves_the_committed_metrics_alone(download):
    ledger = download / paths.CLAIMS_FILE
    kept = ledger.read_bytes()
    metrics = download / paths.METRICS
    published = metrics.read_bytes()
    ledger.write_bytes(kept.replace(b"compute: row_count", b"compute: no_such_function", 1))
    try:
        result = make(download)
        assert result.returncode != 0 and "claims" in result.stdout + result.stderr
        assert metrics.read_bytes() == published
    finally:
        ledger.write_bytes(kept)


@pytest.mark.parametrize(
    "deleted",
    [
        "data/raw/exchange_rates.csv",
        "data/raw/exchange_rates.meta.yaml",
        "workflow/schemas/raw/exchange_rates.schema.yaml",
    ],
)
@pytest_slow
def test_deleting_an_input_stops_make_by_name(download, deleted):
    path = download / deleted
    kept = path.read_bytes()
    metrics = (download / "results" / "metrics.json").read_bytes()
    path.unlink()
    try:
        result = make(download)
        assert result.returncode != 0
        stops = [
            line for line in result.stderr.splitlines() if line.startswith(("MISSING INPUT", "UNKNOWN INPUT"))
        ]
        assert len(stops) == 1 and deleted in stops[0], result.stderr
        assert "Traceback" not in result.stderr
        assert not (download / paths.BOOK_HTML).exists(), "the old site must not pass for current"
        assert (download / "results" / "metrics.json").read_bytes() == metrics
    finally:
        path.write_bytes(kept)


@pytest_slow
def test_ctrl_c_prints_one_line_and_leaves_no_job(download):
    (download / "results" / "validated").mkdir(exist_ok=True)
    for stamp in (download / "results" / "validated").iterdir():
        stamp.unlink()  # everything downstream must be redone: a long build to interrupt
    env = dict(os.environ, PYTHONPATH=str(download / "workflow"))
    proc = subprocess.Popen(
        ["make"],
        cwd=download,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    # Wait for a state, not a time: a job that makes a figure or a table is running (Snakemake marks
    # the outputs of a running job in .snakemake/incomplete), so the book, which needs it, is still to
    # come whatever the machine's speed.
    running = download / ".snakemake" / "incomplete"

    def a_job_before_the_book_runs() -> bool:
        names = [base64.urlsafe_b64decode(p.name + "==").decode(errors="replace") for p in running.glob("*")]
        return any(name.startswith(("results/figures/", "results/tables/")) for name in names)

    give_up = time.monotonic() + 900  # only against a hung build; the wait is for the state above
    while proc.poll() is None and not a_job_before_the_book_runs() and time.monotonic() < give_up:
        time.sleep(0.05)
    assert proc.poll() is None, "the build ended before a figure or table job was seen running"
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C: the whole foreground group
    out, err = proc.communicate(timeout=120)
    err_text = err.decode()
    assert "Traceback" not in err_text and "KeyboardInterrupt" not in err_text
    ours = [line for line in err_text.splitlines() if "Interrupted" in line]
    assert ours == [
        "Interrupted: the build stopped; finished outputs are kept and the next `make` redoes the unfinished ones."
    ], err_text
    assert not locks.build_processes(download)


def test_make_clean_keeps_the_committed_metrics(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for built in ("results/tables/t.csv", "results/claims_metrics.json", "logs/x.log", "book/_build/x.html"):
        (tmp_path / built).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / built).write_text("x", encoding="utf-8")
    (tmp_path / "results" / "metrics.json").write_text("{}", encoding="utf-8")
    run(["make", "clean"], tmp_path)
    assert [str(p.relative_to(tmp_path)) for p in sorted(tmp_path.rglob("*")) if p.is_file()] == [
        "Makefile",
        "results/metrics.json",
    ]


def test_the_end_of_a_run_releases_the_schedulers_timers():
    """Snakemake leaves non-daemon timers that would hold the interpreter open for a second after
    every run; the Snakefile's onsuccess/onerror cancel them (a one-minute timer here ends at once)."""
    timer = threading.Timer(60, lambda: None)
    timer.start()
    assert finish.release_scheduler_timers() >= 1
    timer.join(timeout=5)
    assert not timer.is_alive()


def test_the_end_of_a_run_spares_the_last_garbage_collections():
    """finish.finish freezes the objects the run built, so the interpreter's exit does not walk them."""
    script = (
        "import gc, threading; from biomedimg.run import finish; "
        "threading.Timer(60, lambda: None).start(); garbage = [[i] for i in range(1000)]; "
        "before = gc.get_freeze_count(); finish.finish(); "
        "print(gc.get_freeze_count() - before >= 1000, [t for t in threading.enumerate() if isinstance(t, threading.Timer) and t.is_alive() and not t.finished.is_set()])"
    )
    out = run([sys.executable, "-c", script], ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "workflow")})
    assert out.stdout.split() == ["True", "[]"]
