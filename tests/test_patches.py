"""biomedimg.patches: the internals its workarounds rely on are there in the installed libraries, and
an upstream change to one fails with a line naming the library, its version and the internal."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tomllib

import pytest
from biomedimg import patches, paths
from packaging.requirements import Requirement


def test_the_installed_libraries_still_have_every_internal_the_workarounds_use():
    problems = patches.check()
    assert not problems, "\n".join(problems)


def test_a_changed_internal_is_named_with_its_library_and_version(monkeypatch):
    from snakemake.iocontainers import Namedlist
    from sphinx.builders.html import StandaloneHTMLBuilder

    monkeypatch.delattr(Namedlist, "_get_names")
    monkeypatch.delattr(StandaloneHTMLBuilder, "search")
    problems = patches.check()
    snakemake, sphinx = importlib.metadata.version("snakemake"), importlib.metadata.version("sphinx")
    assert len(problems) == 2, problems
    assert problems[0].startswith(f"snakemake {snakemake} (workarounds checked against 9.27.1): ")
    assert "Namedlist._get_names()" in problems[0] and "AttributeError" in problems[0]
    assert problems[1].startswith(f"sphinx {sphinx} (workarounds checked against 7.4.7): ")
    assert "StandaloneHTMLBuilder.search" in problems[1] and problems[1].endswith("see biomedimg/patches.py")


def test_every_patched_library_is_pinned_to_the_version_checked():
    """pyproject.toml's range for each library holds the version its workarounds were checked against,
    and the installed (locked) version is that one."""
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [Requirement(r) for r in project["project"]["dependencies"]]
    requirements += [Requirement(r) for r in project["dependency-groups"]["slurm"]]
    pins = {r.name: r.specifier for r in requirements}
    for workaround in patches.WORKAROUNDS:
        specifier = pins[workaround.library]
        assert workaround.checked in specifier, (workaround.library, str(specifier))
        assert any(s.operator == "<" for s in specifier), f"{workaround.library} has no upper bound"
    for library in {"snakemake", "sphinx"}:
        checked = {w.checked for w in patches.WORKAROUNDS if w.library == library}
        assert checked == {importlib.metadata.version(library)}, library


def test_every_workaround_names_its_function_and_an_upstream_issue_or_none():
    for workaround in patches.WORKAROUNDS:
        assert callable(getattr(patches, workaround.function)), workaround.function
        assert "https://github.com/" in workaround.upstream or workaround.upstream.startswith("None")


def test_the_namedlist_names_give_each_position_its_name():
    from biomedimg.run import job
    from snakemake.iocontainers import Namedlist

    files = Namedlist(["one.csv", "a.csv", "b.csv", "plain.csv"])
    files._set_name("single", 0)
    files._set_name("many", 1, end=3)
    assert job._entries(files) == ["single=one.csv", "many[]=a.csv", "many[]=b.csv", "plain.csv"]


def test_an_html_builder_is_told_it_has_no_search_and_other_builders_are_left_alone():
    from sphinx.builders.html import StandaloneHTMLBuilder

    html = StandaloneHTMLBuilder.__new__(StandaloneHTMLBuilder)
    patches.no_sphinx_search_index(html)
    assert html.search is False and StandaloneHTMLBuilder.search is True  # the instance, not the class
    other = type("LatexBuilder", (), {"search": "untouched"})()
    patches.no_sphinx_search_index(other)
    assert other.search == "untouched"


JOBSTEP = """import sys


def get_python_executable():
        return sys.executable
"""


def test_the_jobstep_plugin_quotes_the_interpreter(tmp_path):
    plugin = tmp_path / "__init__.py"
    plugin.write_text(JOBSTEP, encoding="utf-8")
    patches.quote_jobstep_executable(plugin)
    patched = plugin.read_text(encoding="utf-8")
    assert patched == JOBSTEP.replace(
        "return sys.executable", 'return __import__("shlex").quote(sys.executable)'
    )
    patches.quote_jobstep_executable(plugin)  # once patched, left alone
    assert plugin.read_text(encoding="utf-8") == patched


def test_patching_the_jobstep_plugin_leaves_uv_cache_copy_alone(tmp_path):
    """uv installs by hard-linking its cache: the patch replaces the installed file, never writes into
    the cached one (which every other environment linked to it shares)."""
    cached = tmp_path / "cache" / "__init__.py"
    cached.parent.mkdir()
    cached.write_text(JOBSTEP, encoding="utf-8")
    installed = tmp_path / "__init__.py"
    os.link(cached, installed)
    patches.quote_jobstep_executable(installed)
    assert cached.read_text(encoding="utf-8") == JOBSTEP
    assert "shlex" in installed.read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.patched"))


def test_a_jobstep_plugin_without_the_line_stops_make_with_one_line(tmp_path):
    plugin = tmp_path / "plugin dir" / "__init__.py"
    plugin.parent.mkdir()
    plugin.write_text("def get_python_executable():\n    return 'python'\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "biomedimg.patches", str(plugin)], capture_output=True, text=True
    )
    assert out.returncode == 1 and out.stdout == ""
    (line,) = out.stderr.splitlines()
    assert line.startswith("snakemake-executor-plugin-slurm-jobstep ")
    assert "'return sys.executable' is not one line of" in line and str(plugin) in line


@pytest.mark.parametrize("name", ["snakemake", "sphinx"])
def test_the_lock_holds_the_checked_versions(name):
    lock = tomllib.loads((paths.ROOT / "uv.lock").read_text(encoding="utf-8"))
    (package,) = [p for p in lock["package"] if p["name"] == name]
    assert {w.checked for w in patches.WORKAROUNDS if w.library == name} == {package["version"]}
