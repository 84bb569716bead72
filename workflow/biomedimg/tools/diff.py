"""``make diff``: what a data change does, before it is committed.

Two builds are compared: the working tree (built in place by Snakemake) and a git revision (built
once in a throw-away ``git worktree`` outside the checkout and cached, keyed by its commit and the
``uv.lock`` of the environment that built it, and reused only if its files match the manifest of
their sha256 written with it), or two revisions. The comparison reads only the
generic files every build writes: the raw CSVs and their Table Schemas (row keys), the claims ledger
``results/claims.json`` and ``results/provenance.json`` (every output with its sha256 and inputs),
so new kinds of outputs and claim statuses need no change here.

Writes ``results/diff/diff.json`` (machine-readable), ``results/diff/index.html`` (a self-contained
page: inline CSS, images as data: URIs) and ``results/diff/summary.md`` (a pull-request comment).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jinja2
from csv_diff import compare, load_csv

from biomedimg import paths, usercache
from biomedimg.data.validate import load_schema
from biomedimg.io import write_json, write_text
from biomedimg.vocab import STATUSES

DIFF_DIR = paths.RESULTS / "diff"
DIFF_JSON = DIFF_DIR / "diff.json"
DIFF_HTML = DIFF_DIR / "index.html"
DIFF_SUMMARY = DIFF_DIR / "summary.md"
KEY_SEPARATOR = "|"
CLAIM_FIELDS = ("stated", "computed", "status")
# Where the ledger states or computes a range, the bounds are part of the value (compared, shown).
CLAIM_BOUNDS = {"stated": "stated_upper", "computed": "computed_bounds"}
WORKING_TREE = "working tree"
# What a cached build keeps of the revision it was built from: enough to diff against it.
KEPT = (paths.RESULTS, paths.RAW_DIR, paths.RAW_SCHEMA_DIR)
MAX_CACHED_BUILDS = 10


class DiffError(RuntimeError):
    """A revision that cannot be resolved or built; reported in one line."""


# ---------------------------------------------------------------------------------- the two sides


def _git(root: Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise DiffError(f"git {' '.join(args)}: {out.stderr.strip()}")
    return out.stdout.strip()


def resolve(rev: str, root: Path = paths.ROOT) -> str:
    """The full commit id a revision names."""
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except DiffError:
        raise DiffError(f"{rev!r} is not a commit of this repository (try `git fetch`, or HEAD~1)") from None


def lock_hash(root: Path = paths.ROOT) -> str:
    """The environment's identity: builds made with another lock file are not reused."""
    return hashlib.sha256((root / "uv.lock").read_bytes()).hexdigest()[:16]


def build_key(commit: str, root: Path = paths.ROOT) -> str:
    return f"{commit}-{lock_hash(root)}"


def _tools() -> Path:
    """The bin directory of the checkout's environment (the other side shares it)."""
    return Path(sys.executable).parent


def _run(cmd: list[str], cwd: Path, env: dict | None = None) -> None:
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        tail = "\n".join((out.stdout + out.stderr).strip().splitlines()[-20:])
        raise DiffError(f"{' '.join(cmd)} failed in {cwd}:\n{tail}")


def snakemake_command() -> list[str]:
    """Build what a diff reads (provenance lists every output; claims) but not the book."""
    return [str(_tools() / "snakemake"), str(paths.PROVENANCE), str(paths.CLAIMS_JSON), "--cores", "all"]


MANIFEST = "manifest.json"


def _file_hashes(folder: Path) -> dict[str, str] | None:
    """The sha256 of every file under ``folder`` but the manifest, by relative path; None if it holds
    anything but folders and regular files (a link could point anywhere)."""
    hashes = {}
    for current, subfolders, files in os.walk(folder):
        for name in subfolders + files:
            path = Path(current) / name
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                return None
        for name in files:
            path = Path(current) / name
            rel = path.relative_to(folder).as_posix()
            if rel != MANIFEST:
                hashes[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def verify_build(cached: Path, commit: str) -> str | None:
    """Why the cached build cannot be reused (None if it can): its manifest, written last, must name
    the commit and list exactly its files, each with its sha256."""
    try:
        manifest = json.loads((cached / MANIFEST).read_bytes())
    except FileNotFoundError:
        return "it has no manifest"
    except (OSError, ValueError):
        return "its manifest does not parse"
    if not (
        isinstance(manifest, dict)
        and manifest.get("commit") == commit
        and isinstance(manifest.get("files"), dict)
        and all(isinstance(v, str) for v in manifest["files"].values())
    ):
        return "its manifest is not one of its commit"
    found = _file_hashes(cached)
    if found is None:
        return "it holds a link or a special file"
    for rel in sorted(found.keys() | manifest["files"].keys()):
        if found.get(rel) != manifest["files"].get(rel):
            what = (
                "missing" if rel not in found else "not listed" if rel not in manifest["files"] else "changed"
            )
            return f"{rel} is {what}"
    return None


def build_revision(commit: str, root: Path = paths.ROOT, log=print, cache: Path | None = None) -> Path:
    """A build of ``commit`` (its results, raw data and schemas) under ``cache`` (the user cache's
    ``builds`` folder by default): reused if its manifest checks out, else built now."""
    cache = cache if cache is not None else _user_cache()
    cached = cache / "builds" / build_key(commit, root)
    if cached.exists():
        problem = verify_build(cached, commit)
        if problem is None:
            log(f"diff: reusing the cached build of {commit[:12]} ({cached})")
            os.utime(cached)  # most recently used: kept longest
            return cached
        log(f"diff: not reusing the cached build of {commit[:12]}: {problem}; building it again")
    log(f"diff: building {commit[:12]} in a throw-away worktree (cached for next time)")
    scratch = cache / "worktrees" / f"{build_key(commit, root)}.{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.parent.mkdir(parents=True, exist_ok=True)
    _git(root, "worktree", "add", "--detach", "--force", str(scratch), commit)
    try:
        tools = _tools()
        # The checkout's DVC cache serves data added but not yet pushed; the rest comes from the
        # remote embedded in that commit.
        # (A link, not `dvc config cache.dir`: DVC cannot write a non-ASCII path into its config.)
        shared_cache = root / ".dvc" / "cache"
        shared_cache.mkdir(parents=True, exist_ok=True)
        (scratch / ".dvc" / "cache").symlink_to(shared_cache, target_is_directory=True)
        _run([str(tools / "dvc"), "pull", "--quiet"], scratch)
        # Its own code, not this checkout's: the package goes first on PYTHONPATH (as
        # paths.use_this_checkout does for every job). The book is not needed for a diff.
        env = {**os.environ, "PYTHONPATH": str(scratch / "workflow")}
        _run(snakemake_command(), scratch, env)
        store_build(scratch, commit, cached, root)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(scratch)], cwd=root, capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=root, capture_output=True)
    return cached


def store_build(built: Path, commit: str, cached: Path, root: Path = paths.ROOT) -> None:
    """Keep what a diff reads of ``built``, a checkout of ``commit`` built by Snakemake, as the cached
    build ``cached`` with its manifest (the end-to-end tests keep their one fresh build this way)."""
    staging = cached.with_name(cached.name + f".{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    for rel in KEPT:
        if (built / rel).exists():
            shutil.copytree(built / rel, staging / rel, ignore=shutil.ignore_patterns("book_src"))
    files = _file_hashes(staging)
    if files is None:
        raise DiffError(f"the build of {commit[:12]} holds a link or a special file")
    # Last: a build without its manifest (interrupted) is never reused.
    write_json(staging / MANIFEST, {"commit": commit, "uv_lock": lock_hash(root), "files": files})
    shutil.rmtree(cached, ignore_errors=True)
    os.replace(staging, cached)
    prune_cache(keep=cached)


def _user_cache() -> Path:
    folder = usercache.directory()
    if folder is None:
        raise DiffError("no user cache to build the other revision in")
    return folder


def prune_cache(keep: Path, limit: int = MAX_CACHED_BUILDS) -> None:
    """Remove all but the ``limit`` most recently used builds (each is a few MB); a build being written
    (``.tmp``) is left alone, one from before manifests (no manifest) counts as a build."""
    builds = sorted(
        (p for p in keep.parent.iterdir() if p.is_dir() and not p.name.endswith(".tmp")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in builds[limit:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def build_working_tree(root: Path = paths.ROOT, log=print) -> Path:
    """Bring the working tree's outputs up to date (an incremental Snakemake run)."""
    from biomedimg.run.locks import clear_stale_locks

    if not (root / paths.RAW_DIR).exists():
        _run([str(_tools() / "dvc"), "pull", "--quiet"], root)
    clear_stale_locks(root)
    log("diff: updating the working tree's build")
    env = {**os.environ, "PYTHONPATH": str(root / "workflow")}
    _run(snakemake_command(), root, env)
    return root


# ------------------------------------------------------------------------------------ comparison


def _read_json(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def primary_key(side: Path, name: str) -> list[str]:
    if not (side / paths.raw_schema(name)).exists():
        return []
    key = load_schema(name, side).get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def load_rows(path: Path, key: list[str]) -> dict[str, dict]:
    """A CSV's rows keyed by its primary key (composite keys joined), read by csv-diff."""
    if not path.exists():
        return {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = load_csv(fh, dialect="excel")
    if not key:
        return rows  # csv-diff keys rows by their content: a change is a removal plus an addition
    return {KEY_SEPARATOR.join(r.get(k, "") for k in key): r for r in rows.values()}


def diff_rows(old: dict[str, dict], new: dict[str, dict], file: str) -> list[dict]:
    """One entry per changed cell, added row and removed row (and added or removed column)."""
    if not old and not new:
        return []
    if not old or not new:
        present = new or old
        change = "added" if new else "removed"
        return [{"file": file, "key": k, "change": change, "row": r} for k, r in present.items()]
    result = compare(old, new)
    entries = [{"file": file, "column": c, "change": "column_added"} for c in sorted(result["columns_added"])]
    entries += [
        {"file": file, "column": c, "change": "column_removed"} for c in sorted(result["columns_removed"])
    ]
    for item in result["changed"]:
        for column, (before, after) in item["changes"].items():
            entries.append(
                {
                    "file": file,
                    "key": item["key"],
                    "column": column,
                    "change": "changed",
                    "old": before,
                    "new": after,
                }
            )
    keys_new = {id(r): k for k, r in new.items()}
    keys_old = {id(r): k for k, r in old.items()}
    entries += [{"file": file, "key": keys_new[id(r)], "change": "added", "row": r} for r in result["added"]]
    entries += [
        {"file": file, "key": keys_old[id(r)], "change": "removed", "row": r} for r in result["removed"]
    ]
    return entries


def raw_files(side: Path) -> set[str]:
    return {p.name.removesuffix(".csv") for p in (side / paths.RAW_DIR).glob("*.csv")}


def diff_data(old: Path, new: Path) -> list[dict]:
    entries = []
    for name in sorted(raw_files(old) | raw_files(new)):
        key = primary_key(new, name) or primary_key(old, name)
        file = str(paths.raw_csv(name))
        entries += diff_rows(load_rows(old / file, key), load_rows(new / file, key), file)
    return entries


def _claims(side: Path) -> dict[str, dict]:
    path = side / paths.CLAIMS_JSON
    if not path.exists():
        return {}
    ledger = _read_json(path)
    return {c["id"]: c for c in (ledger["claims"] if isinstance(ledger, dict) else ledger)}


def diff_claims(old: Path, new: Path) -> list[dict]:
    """Every claim whose stated value, computed value or status changed (or that appeared or went)."""
    before, after = _claims(old), _claims(new)
    entries = []
    for cid in sorted(before.keys() | after.keys()):
        b, a = before.get(cid), after.get(cid)
        names = list(CLAIM_FIELDS) + [x for x in CLAIM_BOUNDS.values() if x in (b or {}) or x in (a or {})]
        fields = {f: {"old": (b or {}).get(f), "new": (a or {}).get(f)} for f in names}
        if b and a and all(v["old"] == v["new"] for v in fields.values()):
            continue
        change = "changed" if b and a else ("added" if a else "removed")
        entries.append(
            {
                "id": cid,
                "change": change,
                **fields,
                "status_moved": fields["status"]["old"] != fields["status"]["new"],
                "quote_zh": (a or b).get("quote_zh", ""),
            }
        )
    return entries


def _provenance(side: Path) -> dict[str, dict]:
    path = side / paths.PROVENANCE
    return {o["path"]: o for o in _read_json(path)["outputs"]} if path.exists() else {}


def raw_sources(path: str, graph: dict[str, dict], seen: set[str] | None = None) -> set[str]:
    """The raw CSVs an output depends on, following outputs that are inputs of other outputs."""
    seen = set() if seen is None else seen
    found = set()
    for inp in graph.get(path, {}).get("inputs", []):
        p = inp["path"]
        if p in seen:
            continue
        seen.add(p)
        if p.startswith(str(paths.RAW_DIR) + "/") and p.endswith(".csv"):
            found.add(p)
        elif p in graph:
            found |= raw_sources(p, graph, seen)
    return found


def diff_outputs(old: Path, new: Path, data: list[dict]) -> list[dict]:
    before, after = _provenance(old), _provenance(new)
    entries = []
    for path in sorted(before.keys() | after.keys()):
        b, a = before.get(path), after.get(path)
        if b and a:
            change = "unchanged" if b["sha256"] == a["sha256"] else "changed"
        else:
            change = "added" if a else "removed"
        entry = {"path": path, "change": change, "rule": (a or b).get("rule", "")}
        if change != "unchanged":
            sources = raw_sources(path, after) | raw_sources(path, before)
            entry["raw_inputs"] = sorted(sources)
            entry["changed_raw_cells"] = [e for e in data if e["file"] in sources]
            old_md5 = {i["path"]: i["md5"] for i in (b or {}).get("inputs", [])}
            new_md5 = {i["path"]: i["md5"] for i in (a or {}).get("inputs", [])}
            entry["changed_inputs"] = sorted(
                p for p in old_md5.keys() | new_md5.keys() if old_md5.get(p) != new_md5.get(p)
            )
        entries.append(entry)
    return entries


def compare_builds(old: Path, new: Path, old_label: dict, new_label: dict) -> dict:
    data = diff_data(old, new)
    claims = diff_claims(old, new)
    outputs = diff_outputs(old, new, data)
    changed = bool(data or claims or any(o["change"] != "unchanged" for o in outputs))
    return {
        "old": old_label,
        "new": new_label,
        "changed": changed,
        "data": data,
        "claims": claims,
        "outputs": outputs,
    }


# ---------------------------------------------------------------------------------------- reports


def _csv_rows(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def marked_table(old_path: Path, new_path: Path) -> dict:
    """A built CSV (table, plotted values) with the cells that differ from the other build marked.

    Rows are matched by the first column whose values are unique in both builds (else by position),
    because built tables carry no declared key.
    """
    old_rows, new_rows = _csv_rows(old_path), _csv_rows(new_path)
    header = new_rows[0] if new_rows else (old_rows[0] if old_rows else [])
    old_body, new_body = old_rows[1:], new_rows[1:]
    old_header = old_rows[0] if old_rows else []
    key_col = None
    for i, _ in enumerate(header):
        olds = [r[i] for r in old_body if i < len(r)]
        news = [r[i] for r in new_body if i < len(r)]
        if len(set(olds)) == len(old_body) and len(set(news)) == len(new_body) and header[i] in old_header:
            key_col = i
            break

    def key_of(row, n, cols):
        return row[cols.index(header[key_col])] if key_col is not None else str(n)

    old_index = {
        key_of(r, n, old_header): dict(zip(old_header, r, strict=False)) for n, r in enumerate(old_body)
    }
    rows, new_keys = [], set()
    for n, r in enumerate(new_body):
        k = key_of(r, n, header)
        new_keys.add(k)
        before = old_index.get(k)
        cells = []
        for col, value in zip(header, r, strict=False):
            old_value = None if before is None else before.get(col)
            cells.append(
                {"value": value, "old": old_value, "changed": before is not None and old_value != value}
            )
        rows.append({"state": "added" if before is None else "same", "cells": cells})
    for k, before in old_index.items():
        if k not in new_keys:
            cells = [{"value": before.get(c, ""), "old": None, "changed": False} for c in header]
            rows.append({"state": "removed", "cells": cells})
    changed_rows = [r for r in rows if r["state"] != "same" or any(c["changed"] for c in r["cells"])]
    return {"header": header, "rows": changed_rows, "total_rows": len(new_body)}


def _data_uri(path: Path) -> str | None:
    if not path.exists():
        return None
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _shown_tables(outputs: list[dict]) -> list[str]:
    prefixes = (str(paths.TABLES_DIR) + "/", str(paths.FIGURES_DIR) + "/")
    return [
        o["path"]
        for o in outputs
        if o["change"] != "unchanged" and o["path"].endswith(".csv") and o["path"].startswith(prefixes)
    ]


# The page's template (workflow/templates/tools/diff.html.j2), autoescaped.
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(paths.ROOT / paths.TEMPLATES / "tools")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def status_label(status) -> str:
    zh, en = STATUSES.get(status, ("", ""))
    return f"{zh} · {en}" if zh else ""


def render_html(result: dict, old: Path, new: Path) -> str:
    figures = [
        {"path": o["path"], "old": _data_uri(old / o["path"]), "new": _data_uri(new / o["path"])}
        for o in result["outputs"]
        if o["change"] != "unchanged" and o["path"].endswith(".png")
    ]
    tables = [{"path": p, **marked_table(old / p, new / p)} for p in _shown_tables(result["outputs"])]
    return TEMPLATES.get_template("diff.html.j2").render(
        result=result,
        figures=figures,
        tables=tables,
        status_label=status_label,
        changed_first=changed_first,
        claim_value=claim_value,
    )


def changed_first(outputs: list[dict]) -> list[dict]:
    """Changed, added and removed outputs before the unchanged ones, each group in path order."""
    return sorted(outputs, key=lambda o: o["change"] == "unchanged")


def claim_value(entry: dict, field: str, side: str) -> str:
    """A claim's stated or computed value on one side, with its bounds where the ledger has them."""
    value = entry[field][side]
    bounds = entry.get(CLAIM_BOUNDS.get(field, ""), {}).get(side)
    if field == "stated" and bounds is not None:
        return f"{value}–{bounds}"
    if field == "computed" and value is None and bounds:
        low, high = (list(bounds) + [None, None])[:2]
        return f"[{'' if low is None else low}, {'' if high is None else high}]"
    return "" if value is None else str(value)


def _md(value) -> str:
    """A value safe inside a Markdown table cell."""
    text = "" if value is None else str(value)
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", " ")


def _code(value) -> str:
    """A name (file, key, column, claim id) as inline code in a Markdown table cell."""
    text = "" if value is None else str(value)
    return "`" + text.replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`" if text else ""


def summary_markdown(result: dict, limit: int = 25) -> str:
    old, new = result["old"]["label"], result["new"]["label"]
    lines = [f"### 数据变动 · Data diff: `{old}` → `{new}`", ""]
    if not result["changed"]:
        lines.append("没有变动 · **No change**: the data, the claims and every built output are identical.")
        return "\n".join(lines) + "\n"
    data, claims = result["data"], result["claims"]
    cells = [e for e in data if e["change"] == "changed"]
    added = [e for e in data if e["change"] == "added"]
    removed = [e for e in data if e["change"] == "removed"]
    outputs = [o for o in result["outputs"] if o["change"] != "unchanged"]
    moved = [c for c in claims if c["status_moved"]]
    lines.append(
        f"**{len(cells)}** changed cells, **{len(added)}** added rows, **{len(removed)}** removed rows; "
        f"**{len(claims)}** claims changed (**{len(moved)}** changed status); "
        f"**{len(outputs)}** of {len(result['outputs'])} outputs changed."
    )
    if data:
        lines += ["", "| file | key | change | column | old | new |", "| --- | --- | --- | --- | --- | --- |"]
        for e in data[:limit]:
            lines.append(
                f"| {_code(e['file'])} | {_code(e.get('key'))} | {e['change']} | {_code(e.get('column'))} "
                f"| {_md(e.get('old'))} | {_md(e.get('new'))} |"
            )
        if len(data) > limit:
            lines.append(f"\n… and {len(data) - limit} more (see diff.json).")
    if claims:
        lines += ["", "| claim | stated | computed | status |", "| --- | --- | --- | --- |"]
        for c in claims[:limit]:
            cols = []
            for f in CLAIM_FIELDS:
                o, n = claim_value(c, f, "old"), claim_value(c, f, "new")
                cols.append(_md(n) if o == n else f"{_md(o)} → {_md(n)}")
            flag = " ⚠️" if c["status_moved"] else ""
            lines.append(f"| {_code(c['id'])}{flag} | {' | '.join(cols)} |")
        if len(claims) > limit:
            lines.append(f"\n… and {len(claims) - limit} more (see diff.json).")
    if outputs:
        lines += ["", "Changed outputs:", ""]
        lines += [f"- {_code(o['path'])} ({o['change']})" for o in outputs[:limit]]
        if len(outputs) > limit:
            lines.append(f"- … and {len(outputs) - limit} more")
    lines += ["", "Figures before/after and marked tables: `results/diff/index.html`."]
    return "\n".join(lines) + "\n"


def write_reports(result: dict, old: Path, new: Path, root: Path = paths.ROOT) -> None:
    """All three reports, rendered before any is written."""
    html, summary = render_html(result, old, new), summary_markdown(result)
    write_json(root / DIFF_JSON, result)
    write_text(root / DIFF_HTML, html)
    write_text(root / DIFF_SUMMARY, summary)


def remove_reports(root: Path = paths.ROOT) -> None:
    """A diff that fails leaves no report of an earlier diff behind to be mistaken for its own."""
    for path in (DIFF_JSON, DIFF_HTML, DIFF_SUMMARY):
        (root / path).unlink(missing_ok=True)


# ------------------------------------------------------------------------------------------- CLI


def run(
    rev: str = "HEAD", to: str | None = None, root: Path = paths.ROOT, build: bool = True, log=print
) -> dict:
    remove_reports(root)
    # Both revisions are resolved before anything is built: a wrong one fails at once.
    old_commit = resolve(rev, root)
    new_commit = resolve(to, root) if to else None
    with contextlib.ExitStack() as stack:
        cache = usercache.directory()
        if cache is None:  # no cache to trust: the other side is built for this diff only
            cache = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="biomedimg-diff-")))
        old = build_revision(old_commit, root, log, cache)
        old_label = {"rev": rev, "commit": old_commit, "label": f"{rev} ({old_commit[:12]})"}
        if new_commit:
            new = build_revision(new_commit, root, log, cache)
            new_label = {"rev": to, "commit": new_commit, "label": f"{to} ({new_commit[:12]})"}
        else:
            new = build_working_tree(root, log) if build else root
            new_label = {"rev": None, "commit": None, "label": WORKING_TREE}
        result = compare_builds(old, new, old_label, new_label)
        write_reports(result, old, new, root)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m biomedimg.tools.diff",
        description="Compare the working tree's build (or revision TO) with revision REV's build.",
    )
    parser.add_argument("--rev", default="HEAD", help="the old side (any git revision; default HEAD)")
    parser.add_argument("--to", default=None, help="the new side (a revision; default the working tree)")
    parser.add_argument("--no-build", action="store_true", help="use the working tree's outputs as they are")
    args = parser.parse_args(argv)
    try:
        result = run(args.rev or "HEAD", args.to or None, build=not args.no_build)
    except DiffError as err:
        print(f"diff: {err}", file=sys.stderr)
        return 1
    print(summary_markdown(result))
    print(f"Written: {DIFF_JSON}, {DIFF_HTML}, {DIFF_SUMMARY}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
