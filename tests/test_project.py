"""Project plumbing: config schema, conda specs mirroring the lock, rule directives, the SLURM profile."""

from __future__ import annotations

import importlib.util
import os
import re

import pytest
import yaml
from biomedimg import catalog, paths
from biomedimg.tools import envs
from conftest import BIN, ROOT, run
from snakemake.utils import validate as snakemake_validate


def test_conda_envs_mirror_the_lock():
    for name in envs.GROUPS:
        assert (ROOT / "envs" / f"{name}.yaml").read_text(encoding="utf-8") == envs.render(name), (
            f"envs/{name}.yaml is stale: run `python -m biomedimg.tools.envs`"
        )
    locked = envs.locked_versions()
    assert envs.render("book").count(f"jupyter-book=={locked['jupyter-book']}") == 1


def test_every_rule_names_a_conda_env_and_log_and_runs_its_script_through_the_runner():
    for smk in (ROOT / "workflow" / "rules").glob("*.smk"):
        text = smk.read_text(encoding="utf-8")
        for block in re.split(r"\n(?=rule )", text)[1:]:
            name = block.split(":")[0]
            for directive in ("conda:", "log:", "job=job(", "code=code(", "shell:\n        RUN"):
                assert directive in block, f"{smk.name}: {name} lacks {directive}"
            assert "script:" not in block, (
                f"{smk.name}: {name} uses script:, which breaks in a folder with spaces"
            )


def test_config_schema_rejects_a_bad_config():
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    schema = str(ROOT / "workflow" / "schemas" / "config.schema.yaml")
    snakemake_validate(dict(config), schema)
    config["figures"]["dpi"] = 10
    with pytest.raises(Exception, match="dpi|minimum"):
        snakemake_validate(config, schema)


def test_the_environment_leaves_the_slurm_plugin_out():
    """Snakemake imports every installed executor plugin when it starts, and the SLURM one loads pandas
    (half a second on every run): it is a dependency group of its own, installed beside the environment
    (.tools/slurm-plugin) by `make slurm`, the one route to a cluster (README; tests/test_cluster.py)."""
    assert importlib.util.find_spec("snakemake_executor_plugin_slurm") is None


def test_slurm_profile_dry_run():
    # The plugin is installed beside the environment (Makefile: SLURM_PLUGIN), not in it.
    plugin = ROOT / ".tools" / "slurm-plugin"
    assert (plugin / ".installed").is_file(), "the SLURM executor plugin is missing: run `make test-setup`"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(plugin), os.environ.get("PYTHONPATH")])),
    }
    result = run(
        [str(BIN / "snakemake"), "--workflow-profile", "profiles/slurm", "--dry-run", "--forceall"],
        ROOT,
        env=env,
    )
    out = result.stdout + result.stderr
    assert "Using workflow specific profile profiles/slurm" in out
    assert re.search(r"^build_book\s+1\s*$", out, flags=re.M)
    # One job per raw dataset, figure and table of the catalog (the counts grow as they are added).
    assert re.search(rf"^validate_raw\s+{len(paths.raw_names())}\s*$", out, flags=re.M)
    assert re.search(rf"^figure\s+{len(catalog.FIGURES)}\s*$", out, flags=re.M)
    assert re.search(rf"^table\s+{len(catalog.TABLES)}\s*$", out, flags=re.M)
    # Grouped into a few cluster jobs: one per phase, the figures `group-components` to a job.
    per_job = yaml.safe_load((ROOT / "profiles" / "slurm" / "config.yaml").read_text(encoding="utf-8"))[
        "group-components"
    ]
    figure_jobs = -(-len(catalog.FIGURES) // per_job["figures"])
    groups = sorted(re.findall(r"Group job (\w+)", out))
    assert groups == sorted(["validate", "tables", "report"] + ["figures"] * figure_jobs)


def test_the_book_rule_lists_the_books_sources_without_walking_its_build(tmp_path):
    for rel in ("book/intro.md", "book/_static/a.css", "book/_build/html/index.html", "book/x/_build/y.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    assert [p.as_posix() for p in paths.book_sources(tmp_path)] == ["book/_static/a.css", "book/intro.md"]
