"""The workflow end to end: a fresh clone in a folder with spaces built by the real `make`, then (in copies
of that one build) make-style reruns, code dependencies, declared outputs, logs, bad input, a killed run,
and the add-a-figure recipe of CONTRIBUTING.md."""

from __future__ import annotations

import modulefinder
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from biomedimg.catalog import FIGURES
from biomedimg.paths import FIGURES_FILE, figure_module_file
from conftest import BIN, CLONE_FOLDER, copy_project, output_hashes, run, snakemake

pytestmark = pytest.mark.slow

PACKAGE = Path("workflow") / "biomedimg"


def dry_run(cwd: Path, *args: str) -> list[tuple[str, str]]:
    """(rule, reason) of every job Snakemake would run now."""
    return [(rule, reason) for rule, _, reason in dry_run_jobs(cwd, *args)]


def dry_run_jobs(cwd: Path, *args: str) -> list[tuple[str, str, str]]:
    """(rule, its wildcard ``name`` or "", reason) of every job Snakemake would run now."""
    out = snakemake(cwd, "--dry-run", *args).stdout
    jobs = []
    for block in re.split(r"\n(?=\[)", out):
        rule = re.search(r"^(?:local)?rule (\w+):$", block, flags=re.M)
        if rule and rule.group(1) != "all":
            reason = re.search(r"^\s+reason: (.*)$", block, flags=re.M)
            name = re.search(r"^\s+wildcards: name=(\w+)$", block, flags=re.M)
            jobs.append((rule.group(1), name.group(1) if name else "", reason.group(1) if reason else ""))
    return jobs


def planned_job_names(cwd: Path) -> list[tuple[str, str]]:
    """(rule, wildcard name or "") of every job Snakemake would run now, sorted."""
    return sorted((rule, name) for rule, name, _ in dry_run_jobs(cwd))


def planned_jobs(cwd: Path) -> dict[str, int]:
    """Rule name -> number of jobs Snakemake would run now (a dry run)."""
    jobs: dict[str, int] = {}
    for rule, _ in dry_run(cwd):
        jobs[rule] = jobs.get(rule, 0) + 1
    return jobs


def declared(cwd: Path) -> dict[str, tuple[str, str]]:
    """Every output file of the workflow's jobs -> (rule, log), from `snakemake --summary`."""
    out = snakemake(cwd, "--summary").stdout
    files = {}
    for line in out.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 4:
            files[cols[0]] = (cols[2], cols[3])
    return files


# -- any folder ---------------------------------------------------------------------------------------
def test_make_builds_a_fresh_clone_in_a_folder_with_spaces(fresh_clone, built):
    assert " " in str(fresh_clone) and CLONE_FOLDER in str(fresh_clone)
    venv_python = fresh_clone / ".venv" / "bin" / "python"
    assert venv_python.exists() and not (fresh_clone / ".venv").is_symlink(), "the clone has its own .venv"
    assert (fresh_clone / "book" / "_build" / "html" / "index.html").exists()
    assert "Book: " in (fresh_clone / "make.out").read_text(encoding="utf-8")
    # Every job ran with the clone's own interpreter, whose path holds the space.
    assert " " in os.path.realpath(venv_python.parent)
    assert output_hashes(fresh_clone) == output_hashes(built)
    assert "Nothing to be done" in snakemake(fresh_clone, "--dry-run").stdout


# -- every written file is declared, every log says something -----------------------------------------
# Not outputs of a rule: build_book's working copy of the rendered page sources (rewritten on each
# book build), and the committed DVC metrics, which `onsuccess` copies from results/claims_metrics.json
# only when a whole build succeeds.
SCRATCH = ("results/book_src/", "results/metrics.json")


def test_every_file_under_results_is_a_declared_output(fresh_clone):
    outputs = declared(fresh_clone)
    written = sorted(
        str(p.relative_to(fresh_clone)) for p in (fresh_clone / "results").rglob("*") if p.is_file()
    )
    assert len(written) > 60
    undeclared = [f for f in written if f not in outputs and not f.startswith(SCRATCH)]
    assert not undeclared, f"files under results/ that no rule declares: {undeclared}"
    data = [f for f in outputs if f.startswith("results/data/")]
    assert len(data) >= 9 and all(outputs[f][0] == "datapackage" for f in data)


def test_provenance_covers_every_output_with_its_true_hash(fresh_clone):
    import json

    from conftest import sha256

    prov = json.loads((fresh_clone / "results" / "provenance.json").read_text(encoding="utf-8"))
    entries = {e["path"]: e for e in prov["outputs"]}
    for path, (rule, _) in declared(fresh_clone).items():
        if rule in ("validate_raw", "provenance", "build_book") or "/provenance/" in path:
            continue
        if rule == "pdf":  # typeset from provenance.json (its commit), so recorded in its own fragment
            fragment = json.loads(
                (fresh_clone / "results" / "provenance" / "pdf.json").read_text(encoding="utf-8")
            )
            assert fragment["sha256"][path] == sha256(fresh_clone / path), path
            continue
        assert path in entries, f"{path} ({rule}) is missing from provenance.json"
        assert entries[path]["sha256"] == sha256(fresh_clone / path), path
        assert entries[path]["rule"] == rule and entries[path]["script"].startswith("workflow/scripts/")


def test_no_job_log_is_empty(fresh_clone):
    logs = {log for rule, log in declared(fresh_clone).values() if rule != "all"}
    assert len(logs) >= 28
    for log in sorted(logs):
        text = (fresh_clone / log).read_text(encoding="utf-8")
        assert text.strip(), f"{log} is empty"
        assert re.search(r"^done in \d+\.\d s$", text, flags=re.M), f"{log} does not say how long it took"
        assert re.search(r"^read  \S+ \([\d,]+ bytes\)$", text, flags=re.M), (
            f"{log} does not say what it read"
        )
        assert re.search(r"^wrote \S+ \([\d,]+ bytes\)$", text, flags=re.M), (
            f"{log} does not say what it wrote"
        )


def test_a_failing_job_logs_its_error(built_copy):
    # A failure inside the code (a broken ledger is refused before any job runs: test_hardening_text).
    module = built_copy / PACKAGE / "outputs" / "claims.py"
    text = module.read_text(encoding="utf-8")
    body = '    frame = data[dataset]\n    frame = frame[(frame["year"] >= start)'
    assert body in text, "claims.funding_sum_100m_cny changed: pick another line to break"
    broken = '    raise RuntimeError(f"deliberate failure in funding_sum_100m_cny({dataset})")\n'
    module.write_text(text.replace(body, broken + body, 1), encoding="utf-8")
    result = snakemake(built_copy, check=False)
    assert result.returncode != 0
    log = (built_copy / "logs" / "claims.log").read_text(encoding="utf-8")
    error = log.strip().splitlines()[-1].removeprefix("FAILED after ").split(": ", 1)[1]
    assert (
        "Traceback" in log and "deliberate failure in funding_sum_100m_cny(nsfc_instrument_projects)" in error
    )
    assert error in result.stdout + result.stderr, "the console names the error too"
    assert not (built_copy / "results" / "claims.json").exists(), "a failed job leaves no output"


# -- code dependencies ------------------------------------------------------------------------------------
def code_of_jobs(cwd: Path) -> dict[tuple[str, str], tuple[str, set[str]]]:
    """(rule, wildcard name or "") -> (the script the job runs, the package files among its inputs),
    read from the commands a forced dry run prints. Jobs of one rule share their code, except the
    figures: each runs its own module."""
    out = snakemake(cwd, "--dry-run", "--forceall", "--printshellcmds").stdout
    jobs = {}
    for block in re.split(r"\n(?=\[)", out):
        rule = re.search(r"^rule (\w+):$", block, flags=re.M)
        script = re.search(r"biomedimg\.run\.job (workflow/scripts/\S+\.py)", block)
        if rule and script:
            name = re.search(r"^\s+wildcards: name=(\w+)$", block, flags=re.M)
            key = (rule.group(1), name.group(1) if name and rule.group(1) == "figure" else "")
            jobs[key] = (script.group(1), set(re.findall(r"'code\[\]=(workflow/biomedimg/\S+\.py)'", block)))
    return jobs


def downstream(cwd: Path) -> dict[str, set[str]]:
    """Rule -> the rules that consume its outputs, directly or not (from `snakemake --rulegraph`)."""
    dot = snakemake(cwd, "--rulegraph").stdout
    labels = dict(re.findall(r"^\s*(\d+)\[label = \"(\w+)\"", dot, flags=re.M))
    edges: dict[str, set[str]] = {}
    for a, b in re.findall(r"^\s*(\d+) -> (\d+)", dot, flags=re.M):
        edges.setdefault(labels[a], set()).add(labels[b])
    closure = {}
    for rule in labels.values():
        seen, todo = set(), [rule]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        closure[rule] = seen - {"all"}
    return closure


def imported_package_files(root: Path, script: str, figure: str = "") -> set[str]:
    """The package files running the script through the runner loads (and, for a figure's job, the
    figure's own module, which the script finds by name), found by the standard library's modulefinder
    (an independent reading of the imports, to check biomedimg.run.codedeps against)."""
    files = set()
    entries = [root / script, root / PACKAGE / "run" / "job.py"]
    if figure:
        entries.append(root / PACKAGE / "outputs" / "figures" / f"{figure}.py")
    for entry in entries:
        finder = modulefinder.ModuleFinder(path=[str(root / "workflow")])
        finder.run_script(str(entry))
        files |= {
            str(Path(m.__file__).relative_to(root))
            for name, m in finder.modules.items()
            if name.split(".")[0] == "biomedimg" and m.__file__
        }
    return files | {str(PACKAGE / "run" / "job.py")} | {str(e.relative_to(root)) for e in entries[2:]}


def test_editing_a_module_reruns_exactly_the_jobs_that_import_it(fresh_clone):
    root = fresh_clone
    jobs = code_of_jobs(root)
    rules = {rule for rule, _ in jobs}
    assert {"validate_raw", "table", "figure", "datapackage", "claims", "provenance", "build_book"} <= rules
    assert {name for rule, name in jobs if rule == "figure"} == set(FIGURES)
    importers = {job: imported_package_files(root, script, job[1]) for job, (script, _) in jobs.items()}
    # Each job depends on exactly the modules its script imports (directly or not) ...
    for job, (_, code) in jobs.items():
        assert code == importers[job], f"{job}: code inputs differ from its imports"
    # ... so editing a module reruns its importers and what is built from their outputs, nothing else:
    # editing one figure's module reruns that figure alone.
    consumers = downstream(root)
    modules = sorted((root / PACKAGE).rglob("*.py"))
    assert len(modules) >= 20
    # Modules imported by the same jobs are one case for Snakemake (the same jobs list them as input):
    # one edit of each case.
    cases: dict[frozenset, list[str]] = {}
    for module in modules:
        rel = str(module.relative_to(root))
        cases.setdefault(frozenset(job for job, files in importers.items() if rel in files), []).append(rel)
    assert len(cases) >= 5, "the jobs import different parts of the package"
    for expected_jobs, rels in cases.items():
        expected = {rule for rule, _ in expected_jobs}
        expected |= {c for rule in expected for c in consumers[rule]}
        rel = rels[0]
        module = root / rel
        before, stat = module.read_bytes(), module.stat()
        try:
            module.write_bytes(before + b"\n# edited by the test\n")
            planned = dry_run_jobs(root)
        finally:
            module.write_bytes(before)
            os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert {rule for rule, _, _ in planned} == expected, f"editing {rel} reruns {sorted(planned)}"
        if "figure" in expected and "validate_raw" not in expected:
            figures = {name for rule, name, _ in planned if rule == "figure"}
            assert figures == {name for rule, name in expected_jobs if rule == "figure"}, rel
        assert all(rel in reason or "updated by another job" in reason for _, _, reason in planned), planned
    assert "Nothing to be done" in snakemake(root, "--dry-run").stdout


# -- make-style reruns ------------------------------------------------------------------------------------
def test_one_changed_file_reruns_exactly_its_dependents(built_copy):
    assert planned_jobs(built_copy) == {}
    raw = built_copy / "data" / "raw" / "cast_subcommittees.csv"
    raw.chmod(0o644)
    raw.write_text(
        raw.read_text(encoding="utf-8").replace("Chinese Optical Society", "Chinese Optical Soc."),
        encoding="utf-8",
    )
    assert planned_jobs(built_copy) == {
        "validate_raw": 1,
        "table": 1,
        "figure": 1,
        "datapackage": 1,
        "claims": 1,
        "provenance": 1,
        "pdf": 1,
        "build_book": 1,
    }
    untouched = built_copy / "results" / "figures" / "fig1_nobel_timeline.zh.png"
    before = untouched.stat().st_mtime_ns
    snakemake(built_copy)
    assert untouched.stat().st_mtime_ns == before
    table = (built_copy / "results" / "tables" / "table2_cast_subcommittees.csv").read_text(encoding="utf-8")
    assert "Chinese Optical Soc." in table
    data = (built_copy / "results" / "data" / "cast_subcommittees.csv").read_text(encoding="utf-8")
    assert "Chinese Optical Soc." in data
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
    message = "INVALID RAW DATA: data/raw/xiangshan_conferences.csv, line 1: file starts with a UTF-8 byte-order mark"
    assert message in output
    assert message in (root / "logs" / "validate" / "xiangshan_conferences.log").read_text(encoding="utf-8")
    assert "Traceback" not in output
    assert raw.read_text(encoding="utf-8") == broken, "the workflow never modifies raw data"
    results = root / "results"
    assert not (results / "validated" / "xiangshan_conferences.ok").exists()
    assert not (results / "tables" / "table1_xiangshan_conferences.csv").exists()
    assert not list(results.glob("figures/fig_xiangshan_timeline.*"))
    assert not (results / "claims.json").exists() and not (root / "book" / "_build").exists()


def test_a_killed_run_resumes_to_identical_outputs(built, built_copy):
    root = built_copy
    # A build that stopped early: no figures and no book yet (Snakemake compares small inputs' content,
    # so touching a raw file would rerun nothing; it also skips missing intermediates of an up-to-date
    # target, hence the book goes too).
    figures = root / "results" / "figures"
    shutil.rmtree(figures)
    (root / "book" / "_build" / "html" / "index.html").unlink()
    proc = subprocess.Popen(
        [str(BIN / "snakemake"), "--cores", "1"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 300
    while time.time() < deadline and not list(figures.glob("*.png")):
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert any((root / ".snakemake" / "locks").iterdir()), "a killed run leaves its lock behind"
    assert len(list(figures.glob("*.png"))) < 2 * len(FIGURES), "the run finished before the kill"
    # What `make` does before running the workflow: drop the lock the killed run could not release.
    run([str(BIN / "python"), "-m", "biomedimg.run.locks"], root)
    assert not (root / ".snakemake" / "locks").exists()
    snakemake(root)
    assert output_hashes(root) == output_hashes(built)


# -- the add-a-figure recipe of CONTRIBUTING.md -------------------------------------------------------------
NEW = "fig_xiangshan_cities"
NEW_ENTRY = f"""
  - name: {NEW}
    datasets: [xiangshan_conferences]
    caption:
      zh: 香山科学会议生物医学影像相关主题会议的举办城市（表1）
      en: "Cities of the Xiangshan Science Conferences on imaging themes (Table 1)"
"""
NEW_MODULE = '''"""Cities of the Xiangshan Science Conferences on imaging themes (Table 1)."""

import matplotlib.pyplot as plt

from biomedimg.outputs.figures.common import Plot
from biomedimg.outputs.style import t


def plot(data, lang):
    frame = data["xiangshan_conferences"]
    counts = frame[t(lang, "city_zh", "city_en")].value_counts().sort_index()
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(counts.index, counts.values)
    ax.set_ylabel(t(lang, "会议数", "Conferences"))
    values = counts.rename_axis(t(lang, "城市", "City")).reset_index(name=t(lang, "会议数", "Conferences"))
    return Plot(fig, values)
'''
# What shows a figure: the provenance merge (its fragment), the PDF (its SVG and caption) and the book.
SHOWN_BY = [("build_book", ""), ("pdf", ""), ("provenance", "")]


def changed_files(root: Path) -> set[str]:
    return set(run(["git", "status", "--porcelain", "--untracked-files=all"], root).stdout.splitlines())


def test_add_a_figure_recipe(built_copy):
    """One entry, one module, one page line; `make` reruns that figure's job and what shows it."""
    root = built_copy
    before = changed_files(root)
    # 1. the entry in config/figures.yaml, 2. the module with its plot, 3. the page that shows it (one
    # template, both editions).
    with open(root / FIGURES_FILE, "a", encoding="utf-8") as fh:
        fh.write(NEW_ENTRY)
    (root / figure_module_file(NEW)).write_text(NEW_MODULE, encoding="utf-8")
    page = root / "book" / "status_investment.md"
    page.write_text(page.read_text(encoding="utf-8") + f'\n{{{{ figure("{NEW}") }}}}\n', encoding="utf-8")
    assert sorted(changed_files(root) - before) == [
        " M book/status_investment.md",
        f" M {FIGURES_FILE}",
        f"?? {figure_module_file(NEW)}",
    ]
    assert planned_job_names(root) == sorted([("figure", NEW), *SHOWN_BY])
    snakemake(root)
    for lang in ("zh", "en"):
        for fmt in ("svg", "png"):
            assert (root / "results" / "figures" / f"{NEW}.{lang}.{fmt}").stat().st_size > 1000
    site = root / "book" / "_build" / "html"
    zh = (site / "zh" / "status_investment.html").read_text(encoding="utf-8")
    en = (site / "en" / "status_investment.html").read_text(encoding="utf-8")
    assert f"{NEW}.zh.svg" in zh and "香山科学会议生物医学影像相关主题会议的举办城市" in zh
    assert f"{NEW}.en.svg" in en and "Cities of the Xiangshan Science Conferences" in en
    assert planned_job_names(root) == []


def test_one_caption_or_one_figure_module_reruns_that_figure_and_what_shows_it(built_copy):
    root = built_copy
    assert planned_job_names(root) == []
    expected = sorted([("figure", "fig_patents"), *SHOWN_BY])
    # The figure's module: its job's code.
    module = root / figure_module_file("fig_patents")
    kept, stat = module.read_bytes(), module.stat()
    module.write_bytes(kept + b"\n# edited by the test\n")
    assert planned_job_names(root) == expected
    module.write_bytes(kept)
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert planned_job_names(root) == []
    # The figure's caption: a parameter of its job (its entry of config/figures.yaml), not the file.
    hashes = output_hashes(root)
    catalog = root / FIGURES_FILE
    text = catalog.read_text(encoding="utf-8")
    assert text.count("China's rank per imaging modality") == 1
    catalog.write_text(
        text.replace("China's rank per imaging modality", "China's rank by modality"), encoding="utf-8"
    )
    jobs = dry_run_jobs(root)
    assert sorted((rule, name) for rule, name, _ in jobs) == expected
    reasons = [reason for rule, _, reason in jobs if rule == "figure"]
    assert len(reasons) == 1 and reasons[0].startswith("Params have changed since last execution"), reasons
    snakemake(root)
    # The tables, the data package, the claims and the other figures are as they were.
    changed = {path for path, digest in output_hashes(root).items() if hashes.get(path) != digest}
    assert "results/figures/fig_patents.values.en.xlsx" in changed  # its caption is on a sheet of notes
    assert changed <= {"results/figures/fig_patents.values.en.xlsx", "results/pdf/companion.en.pdf"}, changed
    page = (root / "book" / "_build" / "html" / "en" / "status_output.html").read_text(encoding="utf-8")
    assert "China&#39;s rank by modality" in page or "China's rank by modality" in page
