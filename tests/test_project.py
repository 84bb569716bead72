"""Project plumbing: config schema, conda specs mirroring the lock, the SLURM profile, CI and Pages files."""

from __future__ import annotations

import re

import pytest
import yaml
from biomedimg import envs, paths
from conftest import ROOT, snakemake
from snakemake.utils import validate as snakemake_validate


def test_conda_envs_mirror_the_lock():
    for name in envs.GROUPS:
        assert (ROOT / "envs" / f"{name}.yaml").read_text(encoding="utf-8") == envs.render(name), (
            f"envs/{name}.yaml is stale: run `python -m biomedimg.envs`"
        )
    locked = envs.locked_versions()
    assert envs.render("book").count(f"jupyter-book=={locked['jupyter-book']}") == 1


def test_every_rule_names_a_conda_env_log_and_script():
    for smk in (ROOT / "workflow" / "rules").glob("*.smk"):
        text = smk.read_text(encoding="utf-8")
        for block in re.split(r"\n(?=rule )", text)[1:]:
            name = block.split(":")[0]
            for directive in ("conda:", "log:", "script:"):
                assert directive in block, f"{smk.name}: {name} lacks {directive}"


def test_config_schema_rejects_a_bad_config():
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    schema = str(ROOT / "workflow" / "schemas" / "config.schema.yaml")
    snakemake_validate(dict(config), schema)
    config["figures"]["dpi"] = 10
    with pytest.raises(Exception, match="dpi|minimum"):
        snakemake_validate(config, schema)


def test_slurm_profile_dry_run():
    result = snakemake(ROOT, "--workflow-profile", "profiles/slurm", "--dry-run", "--forceall")
    out = result.stdout + result.stderr
    assert "Using workflow specific profile profiles/slurm" in out
    assert re.search(r"^build_book\s+1\s*$", out, flags=re.M)
    # One validation job per raw dataset (the count grows when a dataset is added).
    assert re.search(rf"^validate_raw\s+{len(paths.raw_names())}\s*$", out, flags=re.M)


def test_readme_gives_exactly_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Two commands")[1].split("```bash")[1].split("```")[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make", "make test"]


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_pages_workflow():
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    on = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads the key `on` as true
    assert on["push"]["branches"] == ["main"]
    steps = [s.get("run") or s.get("uses") for s in wf["jobs"]["build"]["steps"]]
    assert "make" in steps and "make test" in steps
    assert any(str(s).startswith("actions/upload-pages-artifact") for s in steps)
    assert wf["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert wf["permissions"]["pages"] == "write"
