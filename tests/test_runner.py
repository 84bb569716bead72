"""How jobs run: the runner that gives scripts their ``snakemake`` object (also outside Snakemake), the
job log it keeps, and the code dependencies derived from imports."""

from __future__ import annotations

import json
import modulefinder
import sys
import textwrap
from pathlib import Path

import pytest
from biomedimg.outputs import tables
from biomedimg.run import codedeps, job
from conftest import ROOT, run

PYTHON = sys.executable

SCRIPT = """
from biomedimg.run.joblog import get_logger
from pathlib import Path

get_logger().info(f"table {snakemake.params.table}, dpi {snakemake.params.dpi}, name {snakemake.wildcards.name}")
assert snakemake.input.parts == [snakemake.input[1], snakemake.input[2]]
Path(snakemake.output.out).write_text(open(snakemake.input.main).read() + "!")
print("printed by the script")
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def runner_cmd(script: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "biomedimg.run.job", str(script), *args]


def test_a_script_runs_alone_and_its_log_says_what_it_read_and_wrote(tmp_path):
    script = write(tmp_path / "s.py", SCRIPT)
    write(tmp_path / "in.txt", "hello")
    for name in ("a", "b"):
        write(tmp_path / f"{name}.txt", name)
    log = tmp_path / "logs" / "job.log"
    run(
        runner_cmd(
            script,
            "--input", f"main={tmp_path / 'in.txt'}",
            "--input", f"parts[]={tmp_path / 'a.txt'}",
            "--input", f"parts[]={tmp_path / 'b.txt'}",
            "--output", f"out={tmp_path / 'out.txt'}",
            "--param", "table=t1",
            "--param-json", "dpi=300",
            "--wildcard", "name=fig",
            "--log", str(log),
        ),
        ROOT,
    )  # fmt: skip
    assert (tmp_path / "out.txt").read_text() == "hello!"
    text = log.read_text(encoding="utf-8")
    assert f"read  {tmp_path / 'in.txt'} (5 bytes)" in text
    assert f"wrote {tmp_path / 'out.txt'} (6 bytes)" in text
    assert "table t1, dpi 300, name fig" in text and "printed by the script" in text
    assert text.rstrip().splitlines()[-1].startswith("done in ")


def test_a_failing_script_leaves_its_traceback_in_the_log(tmp_path):
    script = write(tmp_path / "s.py", "def f():\n    raise ValueError('bad cell in row 7')\nf()\n")
    log = tmp_path / "job.log"
    result = run(runner_cmd(script, "--log", str(log)), ROOT, check=False)
    assert result.returncode == 1
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "ValueError: bad cell in row 7" in text and "FAILED after" in text
    assert result.stderr.strip() == f"ValueError: bad cell in row 7 (log: {log})"


def test_an_exit_message_is_logged_without_a_traceback(tmp_path):
    script = write(tmp_path / "s.py", "import sys\nsys.exit('INVALID RAW DATA: x.csv, line 2: bad')\n")
    log = tmp_path / "job.log"
    result = run(runner_cmd(script, "--log", str(log)), ROOT, check=False)
    assert result.returncode == 1
    text = log.read_text(encoding="utf-8")
    assert "INVALID RAW DATA: x.csv, line 2: bad" in text and "Traceback" not in text
    assert "INVALID RAW DATA: x.csv, line 2: bad" in result.stderr


def test_files_behave_like_snakemakes_named_lists():
    files = job.Files(["csv=a.csv", "b.txt", "parts[]=c", "parts[]=d", "data/x=y.csv"])
    assert list(files) == ["a.csv", "b.txt", "c", "d", "data/x=y.csv"]
    assert files.csv == files["csv"] == "a.csv" and files.parts == ["c", "d"]
    assert dict(files.items()) == {"csv": "a.csv", "parts": ["c", "d"]}
    with pytest.raises(AttributeError):
        files.missing  # noqa: B018


def test_make_table_runs_alone_outside_snakemake(tmp_path):
    """A script of the workflow, run by hand the way the runner's docstring shows (for debugging)."""
    name = "table1_xiangshan_conferences"
    out = {
        k: tmp_path / f"t1.{k}" for k in ("csv", "xlsx", "html_zh", "html_en", "cells_zh", "cells_en", "prov")
    }
    args = ["--wildcard", f"name={name}"]
    for key, path in out.items():
        args += ["--output", f"{key}={path}"]
    run(runner_cmd(Path("workflow/scripts/make_table.py"), *args), ROOT)
    frame, fragments, cells = tables.build(name)
    assert out["csv"].read_text(encoding="utf-8") == frame.to_csv(index=False, lineterminator="\n")
    for lang in ("zh", "en"):
        assert out[f"html_{lang}"].read_text(encoding="utf-8") == fragments[lang]
        assert json.loads(out[f"cells_{lang}"].read_text(encoding="utf-8")) == cells[lang]
    assert json.loads(out["prov"].read_text(encoding="utf-8"))["script"] == "workflow/scripts/make_table.py"
    assert out["xlsx"].read_bytes() == (ROOT / "results" / "tables" / f"{name}.xlsx").read_bytes()


# -- code dependencies ------------------------------------------------------------------------------------
def test_code_dependencies_agree_with_the_standard_librarys_modulefinder():
    for script in sorted((ROOT / "workflow" / "scripts").glob("*.py")):
        rel = str(script.relative_to(ROOT))
        found = set()
        for entry in (script, ROOT / codedeps.RUNNER):
            finder = modulefinder.ModuleFinder(path=[str(ROOT / "workflow")])
            finder.run_script(str(entry))
            found |= {
                str(Path(m.__file__).relative_to(ROOT))
                for name, m in finder.modules.items()
                if name.split(".")[0] == "biomedimg" and m.__file__
            }
        deps = codedeps.job_code(rel)
        assert deps[0] == rel
        assert set(deps[1:]) == found | {str(codedeps.RUNNER)}, rel


def _package(tmp_path: Path) -> Path:
    """A package whose script imports a, which imports b; the runner imports nothing."""
    pkg = tmp_path / "workflow" / "biomedimg"
    write(pkg / "__init__.py", "")
    write(pkg / "run" / "job.py", "")
    write(pkg / "a.py", "from biomedimg import b\n")
    write(pkg / "b.py", "import json\n")
    write(pkg / "c.py", "")
    write(tmp_path / "workflow" / "scripts" / "s.py", "import biomedimg.a\n")
    return pkg


def _forget_code_dependencies() -> None:
    """Forget what this process worked out about imports, as a new Snakemake run starts."""
    codedeps._known.cache_clear()
    codedeps._imports_of.cache_clear()


@pytest.fixture
def own_code_dependencies():
    """What a test works out about its own package is forgotten after it."""
    yield
    _forget_code_dependencies()


def _fresh_process(monkeypatch) -> list[str]:
    """Forget what this process worked out (as a new Snakemake run would); return the list of modules
    whose source is parsed for its imports from now on (the script as "script")."""
    _forget_code_dependencies()
    parsed: list[str] = []
    real = codedeps._imported_names

    def reading(tree, module):
        parsed.append(module or "script")
        return real(tree, module)

    monkeypatch.setattr(codedeps, "_imported_names", reading)
    return parsed


def test_code_dependencies_are_parsed_once_per_version_of_a_module(
    tmp_path, monkeypatch, own_code_dependencies
):
    monkeypatch.setenv("BIOMEDIMG_CACHE", str(tmp_path / "cache"))
    pkg = _package(tmp_path)
    expected = [
        "workflow/scripts/s.py",
        *(f"workflow/biomedimg/{m}.py" for m in ("__init__", "a", "b", "run/job")),
    ]
    parsed = _fresh_process(monkeypatch)
    assert codedeps.job_code("workflow/scripts/s.py", tmp_path) == expected
    assert sorted(parsed) == [
        "biomedimg",
        "biomedimg.a",
        "biomedimg.b",
        "script",
        "script",
    ]  # s.py, run/job.py
    assert (tmp_path / "cache" / codedeps.CACHE).is_file()
    # The next run reads every import list from the cache.
    parsed = _fresh_process(monkeypatch)
    assert codedeps.job_code("workflow/scripts/s.py", tmp_path) == expected
    assert parsed == []
    # An edited module is parsed again, with the module it now imports and no other.
    write(pkg / "b.py", "import json\nfrom biomedimg import c\n")
    parsed = _fresh_process(monkeypatch)
    assert "workflow/biomedimg/c.py" in codedeps.job_code("workflow/scripts/s.py", tmp_path)
    assert parsed == ["biomedimg.b", "biomedimg.c"]
    # A damaged cache is an empty one.
    (tmp_path / "cache" / codedeps.CACHE).write_text("{not json", encoding="utf-8")
    parsed = _fresh_process(monkeypatch)
    assert "workflow/biomedimg/c.py" in codedeps.job_code("workflow/scripts/s.py", tmp_path)
    assert sorted(parsed) == ["biomedimg", "biomedimg.a", "biomedimg.b", "biomedimg.c", "script", "script"]


def test_code_dependencies_follow_imports_inside_functions_and_relative_ones(tmp_path):
    pkg = tmp_path / "workflow" / "biomedimg"
    write(pkg / "__init__.py", "")
    write(pkg / "a.py", "def f():\n    from biomedimg import b\n")
    write(pkg / "b.py", "from . import c\n")
    write(pkg / "c.py", "import json\n")
    write(pkg / "unused.py", "")
    script = write(tmp_path / "workflow" / "scripts" / "s.py", "import biomedimg.a\n")
    found = codedeps.package_imports(script.relative_to(tmp_path), tmp_path)
    assert sorted(p.name for p in found) == ["__init__.py", "a.py", "b.py", "c.py"]


def test_an_unwritable_user_cache_costs_time_not_the_build(tmp_path, monkeypatch, own_code_dependencies):
    from biomedimg import usercache

    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("BIOMEDIMG_CACHE", str(blocker))
    usercache.write("entry", b"data")
    assert usercache.read("entry") is None
    _package(tmp_path)
    _fresh_process(monkeypatch)
    assert codedeps.job_code("workflow/scripts/s.py", tmp_path)[0] == "workflow/scripts/s.py"
