"""make diff and make why, end to end in a throw-away clone (a path with a space and Chinese characters).

Builds are shared: one clone and one cache of other revisions' builds for the whole module, so HEAD is
built in a worktree once; each test edits the clone's raw data, diffs, and restores it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import BIN, ROOT, copy_built, run

sys.path.insert(0, str(ROOT / "workflow"))

from biomedimg.tools import diff as diffmod  # noqa: E402

INSTRUMENTS = "data/raw/nsfc_instrument_projects.csv"
TABLE3 = "results/tables/table3_nsfc_projects.csv"
FIG_INSTRUMENTS = "results/figures/fig_nsfc_instrument_projects.en.png"
FIG1 = "results/figures/fig1_nobel_timeline.en.png"


# ------------------------------------------------------------------------------ fast unit tests


def test_composite_keys_are_joined_and_cells_added_and_removed_rows_reported():
    old = {"a|1": {"k": "a", "n": "1", "v": "x"}, "b|2": {"k": "b", "n": "2", "v": "y"}}
    new = {"a|1": {"k": "a", "n": "1", "v": "z"}, "c|3": {"k": "c", "n": "3", "v": "w"}}
    entries = diffmod.diff_rows(old, new, "data/raw/t.csv")
    assert {
        "file": "data/raw/t.csv",
        "key": "a|1",
        "column": "v",
        "change": "changed",
        "old": "x",
        "new": "z",
    } in (entries)
    assert [e["key"] for e in entries if e["change"] == "added"] == ["c|3"]
    assert [e["key"] for e in entries if e["change"] == "removed"] == ["b|2"]
    assert len(entries) == 3


def test_claim_values_show_bounds_where_the_ledger_has_them():
    entry = {
        "stated": {"old": 7, "new": 7},
        "computed": {"old": None, "new": 12},
        "computed_bounds": {"old": [7.08, None], "new": None},
    }
    assert diffmod.claim_value(entry, "computed", "old") == "[7.08, ]"
    assert diffmod.claim_value(entry, "computed", "new") == "12"
    assert diffmod.claim_value(entry, "stated", "new") == "7"


def test_load_rows_keys_by_the_schema_key(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('year,category,note\n2001,physics,"a, b"\n2001,medicine,c\n', encoding="utf-8")
    rows = diffmod.load_rows(path, ["year", "category"])
    assert sorted(rows) == ["2001|medicine", "2001|physics"]
    assert rows["2001|physics"]["note"] == "a, b"


def test_reports_escape_what_the_data_holds(tmp_path):
    result = {
        "old": {"label": "HEAD (abc)"},
        "new": {"label": "working tree"},
        "changed": True,
        "data": [
            {
                "file": "data/raw/t.csv",
                "key": "1",
                "column": "c",
                "change": "changed",
                "old": "<b>",
                "new": "<script>x</script>|",
            }
        ],
        "claims": [],
        "outputs": [],
    }
    html = diffmod.render_html(result, tmp_path, tmp_path)
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    md = diffmod.summary_markdown(result)
    assert "\\<script\\>x\\</script\\>\\|" in md


# ------------------------------------------------------------------------------ end to end


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def clone(fresh_clone, tmp_path_factory):
    """A copy of the shared fresh clone (a git clone, built), with a diff cache of its own that holds
    the clone's build as HEAD's: no second cold build, and each test's diff is its own edit alone
    (the clone carries this checkout's uncommitted changes too). Building a revision in a worktree is
    tested once, by test_rev_to_an_older_commit_and_two_revisions."""
    base = tmp_path_factory.mktemp("diff")
    dest = copy_built(fresh_clone, base / "审阅 diff clone")
    cache = base / "缓存 cache"
    env = {**os.environ, "PYTHONPATH": str(dest / "workflow"), "BIOMEDIMG_CACHE": str(cache)}
    commit = run(["git", "rev-parse", "HEAD"], dest).stdout.strip()
    diffmod.store_build(dest, commit, cache / "builds" / diffmod.build_key(commit, dest), dest)
    return dest, env


def make_diff(clone, *args: str) -> dict:
    dest, env = clone
    run([sys.executable, "-m", "biomedimg.tools.diff", *args], dest, env=env)
    return json.loads((dest / "results/diff/diff.json").read_text(encoding="utf-8"))


@pytest.fixture
def restore(clone):
    """Put the clone's raw data back as HEAD has it after the test."""
    dest, _ = clone
    saved = {p: p.read_bytes() for p in (dest / "data/raw").glob("*.csv")}
    yield dest
    for p, data in saved.items():
        p.chmod(0o644)
        p.write_bytes(data)


def depends_on(dest: Path, raw: str) -> set[str]:
    graph = {o["path"]: o for o in json.loads((dest / "results/provenance.json").read_text())["outputs"]}
    return {p for p in graph if raw in diffmod.raw_sources(p, graph)}


@pytest.mark.slow
def test_one_edited_cell_is_that_cell_its_claims_and_its_outputs(clone, restore):
    dest = restore
    edit(dest / INSTRUMENTS, ",3000,false,徐涛", ",3100,false,徐涛")
    result = make_diff(clone)
    cell = {
        "file": INSTRUMENTS,
        "key": "1",
        "column": "funding_10k_cny",
        "change": "changed",
        "old": "3000",
        "new": "3100",
    }
    assert result["data"] == [cell]
    claims = {c["id"]: c for c in result["claims"]}
    funding = claims["nsfc_instrument_funding"]
    assert diffmod.claim_value(funding, "computed", "old") != diffmod.claim_value(funding, "computed", "new")
    # Only claims that read the edited file can move.
    from_file = {
        c["id"]
        for c in json.loads(
            run(
                [sys.executable, "-m", "biomedimg.tools.why", INSTRUMENTS, "--json"], dest, env=clone[1]
            ).stdout
        )["claims"]
    }
    assert set(claims) <= from_file
    outputs = {o["path"]: o for o in result["outputs"]}
    changed = {p for p, o in outputs.items() if o["change"] != "unchanged"}
    assert {TABLE3, FIG_INSTRUMENTS, "results/claims.json"} <= changed
    assert changed <= depends_on(dest, INSTRUMENTS), "an output that does not read the file changed"
    assert outputs[FIG1]["change"] == "unchanged"
    for path in changed:
        assert outputs[path]["changed_raw_cells"] == [cell]
    html = (dest / "results/diff/index.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') >= 4, "each changed PNG before and after"
    assert f"{FIG_INSTRUMENTS} before" in html and f"{FIG_INSTRUMENTS} after" in html
    assert 'class="changed"><span class="old">3000</span> <span class="new">3100</span>' in html
    assert "http://" not in html.split("<body>")[1] and "<link" not in html, "the page opens offline"
    summary = (dest / "results/diff/summary.md").read_text(encoding="utf-8")
    assert "`funding_10k_cny`" in summary and "3000 | 3100" in summary
    assert "`nsfc_instrument_funding`" in summary and "`" + FIG_INSTRUMENTS + "`" in summary
    assert FIG1 not in summary


@pytest.mark.slow
def test_an_added_and_a_removed_row_are_reported(clone, restore):
    dest = restore
    path = dest / INSTRUMENTS
    lines = path.read_text(encoding="utf-8").splitlines()
    last = lines[-1]
    added = last.replace("11,2018,基于形态", "12,2018,(测试)基于形态", 1).replace(
        "Whole-brain", "Test whole-brain", 1
    )
    path.write_text("\n".join(lines[:-1] + [added]) + "\n", encoding="utf-8")
    result = make_diff(clone)
    changes = sorted((e["change"], e["key"]) for e in result["data"])
    assert changes == [("added", "12"), ("removed", "11")]
    row = next(e for e in result["data"] if e["change"] == "added")["row"]
    assert row["title_zh"].startswith("(测试)")
    summary = (dest / "results/diff/summary.md").read_text(encoding="utf-8")
    assert "**1** added rows, **1** removed rows" in summary


@pytest.mark.slow
def test_a_diff_with_no_change_says_so(clone, restore):
    dest = restore
    result = make_diff(clone)
    assert result["changed"] is False
    assert result["data"] == [] and result["claims"] == []
    assert result["outputs"] and {o["change"] for o in result["outputs"]} == {"unchanged"}
    assert "No change" in (dest / "results/diff/summary.md").read_text(encoding="utf-8")
    assert "No change" in (dest / "results/diff/index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_change_that_flips_a_claim_status_shows_it(clone, restore):
    dest = restore
    # 6000 -> 5000 brings the sum below the stated "more than 7 (100M CNY)".
    edit(dest / INSTRUMENTS, ",6000,false,王智彪", ",5000,false,王智彪")
    result = make_diff(clone)
    claim = next(c for c in result["claims"] if c["id"] == "nsfc_instrument_funding")
    assert (
        claim["status"]["old"] == "pass"
        and claim["status"]["new"] != "pass"
        and claim["status_moved"] is True
    )
    html = (dest / "results/diff/index.html").read_text(encoding="utf-8")
    assert '<tr class="moved"><td><code>nsfc_instrument_funding</code>' in html
    assert "nsfc_instrument_funding` ⚠️ |" in (dest / "results/diff/summary.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_bad_input_fails_in_one_line_and_leaves_no_report(clone, restore):
    dest = restore
    make_diff(clone)
    edit(dest / INSTRUMENTS, ",3000,false,徐涛", ",abc,false,徐涛")
    bad = run([sys.executable, "-m", "biomedimg.tools.diff"], dest, check=False, env=clone[1])
    assert bad.returncode == 1
    assert "nsfc_instrument_projects.csv" in bad.stderr and "funding_10k_cny" in bad.stderr
    assert not (dest / "results/diff").exists() or not any((dest / "results/diff").iterdir())


@pytest.mark.slow
def test_why_lists_outputs_and_claims_of_a_file_and_a_row(clone):
    dest, env = clone
    out = run([sys.executable, "-m", "biomedimg.tools.why", INSTRUMENTS, "--json"], dest, env=env).stdout
    result = json.loads(out)
    outputs = {o["path"] for o in result["outputs"]}
    assert outputs == depends_on(dest, INSTRUMENTS) and TABLE3 in outputs and FIG1 not in outputs
    claims = {c["id"] for c in result["claims"]}
    assert {"nsfc_instrument_funding", "nsfc_instrument_count"} <= claims
    assert not any(c.startswith("nobel") for c in claims)
    row = json.loads(
        run(
            [sys.executable, "-m", "biomedimg.tools.why", INSTRUMENTS, "--row", "2", "--json"], dest, env=env
        ).stdout
    )
    uses = {c["id"]: c["uses_row"] for c in row["claims"]}
    # Row 2 (2011, Department of Health Sciences) counts toward the total, not toward Life Sciences.
    assert uses["nsfc_instrument_funding"] is True and uses["nsfc_instrument_dept_life"] is False
    assert all("depends on the file" in o["note"] for o in row["outputs"])
    bad = run(
        [sys.executable, "-m", "biomedimg.tools.why", INSTRUMENTS, "--row", "99"], dest, check=False, env=env
    )
    assert bad.returncode == 1 and "no row with key '99'" in bad.stderr


@pytest.mark.slow
def test_rev_to_an_older_commit_and_two_revisions(clone, restore):
    dest = restore
    _, env = clone
    edit(dest / INSTRUMENTS, ",3000,false,徐涛", ",3100,false,徐涛")
    dvc = str(BIN / "dvc")
    run([dvc, "add", "--quiet", "data/raw"], dest)
    run([dvc, "push", "--quiet"], dest)
    run(["git", "add", "data/raw.dvc", "data/dvc-remote"], dest)
    run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "edit a cell"], dest)
    try:
        cell = {
            "file": INSTRUMENTS,
            "key": "1",
            "column": "funding_10k_cny",
            "change": "changed",
            "old": "3000",
            "new": "3100",
        }
        assert make_diff(clone, "--rev", "HEAD~1")["data"] == [cell]
        assert make_diff(clone)["changed"] is False, "the working tree is HEAD now"
        both = make_diff(clone, "--rev", "HEAD~1", "--to", "HEAD")
        assert both["data"] == [cell] and both["new"]["commit"] != both["old"]["commit"]
        outputs = {o["path"]: o["change"] for o in both["outputs"]}
        assert outputs[TABLE3] == "changed" and outputs[FIG1] == "unchanged"
        bad = run(
            [sys.executable, "-m", "biomedimg.tools.diff", "--rev", "no-such-rev"], dest, check=False, env=env
        )
        assert bad.returncode == 1 and "'no-such-rev' is not a commit" in bad.stderr
    finally:
        run(["git", "reset", "--quiet", "--hard", "HEAD~1"], dest)
        run([dvc, "checkout", "--quiet", "--force"], dest)
    assert not any(
        "worktree" in line for line in run(["git", "worktree", "list"], dest).stdout.splitlines()[1:]
    )


def test_make_targets_pass_rev_to_and_row_through():
    out = subprocess.run(
        ["make", "-n", "diff", "why", "REV=origin/main", "TO=HEAD", "FILE=data/raw/x.csv", "ROW=3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # The values reach the programs through the environment, never spliced into the shell's text
    # (tests/test_hardening_env.py runs them with hostile values).
    assert 'python -m biomedimg.tools.diff --rev="${REV:-HEAD}" ${TO:+--to="$TO"}' in out
    assert 'python -m biomedimg.tools.why ${ROW:+--row="$ROW"} -- "$FILE"' in out
    assert "origin/main" not in out and "data/raw/x.csv" not in out


def test_pull_request_workflow_posts_the_summary_and_uploads_the_page():
    workflow = yaml.safe_load((ROOT / ".github/workflows/diff.yml").read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "make diff REV=origin/main" in runs
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0, "origin/main must be fetched"
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and "results/diff/index.html" in uploads[0]["with"]["path"]
    comment = [s for s in steps if "sticky-pull-request-comment" in s.get("uses", "")]
    assert comment and comment[0]["with"]["path"] == "results/diff/summary.md"


def test_the_cache_keeps_the_most_recently_used_builds(tmp_path):
    for i in range(4):
        build = tmp_path / f"c{i}-lock"
        build.mkdir()
        (build / diffmod.MANIFEST).write_text("{}", encoding="utf-8")
        os.utime(build, (1000 + i, 1000 + i))
    diffmod.prune_cache(keep=tmp_path / "c0-lock", limit=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c0-lock", "c2-lock", "c3-lock"]
