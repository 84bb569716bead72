"""Before Snakemake plans anything: every input the build needs exists, and nothing in data/raw is
silently ignored.  Called once from ``workflow/rules/common.smk``.

A raw dataset is three files (``data/raw/<name>.csv``, ``data/raw/<name>.meta.yaml`` and
``workflow/schemas/raw/<name>.schema.yaml``).  If one of them is deleted, Snakemake alone would
plan without it (a deleted schema drops the dataset from the build; a deleted CSV may leave
"Nothing to be done") and the old outputs would stay published as if current.  So a missing piece
stops the build with one line naming it, and the published site is removed so that nothing built
from the old inputs passes for current (a new, unexplained file stops the build but leaves the site).
A symbolic link in what the build reads or copies (``biomedimg.links``) stops it the same way, by name.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from biomedimg import links, paths


def _tracked_files(root: Path) -> set[str]:
    """Files recorded in data/raw.dvc (empty if the record cannot be read: then nothing is "tracked")."""
    from biomedimg import datasync

    try:
        return set(datasync.manifest(root))
    except datasync.SyncError:
        return set()


def problems(root: Path = paths.ROOT) -> tuple[list[str], list[str]]:
    """(missing inputs, unaccounted-for files): one line per problem, naming the file."""
    raw = root / paths.RAW_DIR
    if not raw.is_dir():
        return [f"{paths.RAW_DIR} is missing; run `make` (it restores the raw data from the DVC remote)"], []
    lines, unknown = [], []
    for required in (paths.SIDECAR_SCHEMA, paths.CLAIMS_FILE):
        if not (root / required).exists():
            lines.append(f"{required} is missing (deleted?); restore it with: git checkout -- {required}")
    names = set(paths.raw_names(root))
    for name in sorted(names):
        for path in (paths.raw_csv(name), paths.raw_meta(name)):
            if not (root / path).exists():
                lines.append(
                    f"{path} is missing (deleted?) but {paths.raw_schema(name)} expects it; restore it with: "
                    f".venv/bin/python -m biomedimg.datasync --restore {path.name}, or remove the dataset "
                    "by deleting its schema too"
                )
    tracked = _tracked_files(root)
    for path in sorted(raw.iterdir()):
        stem = path.name.removesuffix(".csv").removesuffix(".meta.yaml")
        if stem in names or path.name.startswith("."):
            continue
        if path.suffix == ".csv" and path.name in tracked:
            lines.append(
                f"{paths.raw_schema(stem)} is missing (deleted?) but {paths.RAW_DIR / path.name} is "
                f"recorded in data/raw.dvc; restore it with: git checkout -- {paths.raw_schema(stem)}"
            )
        elif path.suffix == ".csv":
            unknown.append(
                f"{paths.RAW_DIR / path.name} has no schema {paths.raw_schema(stem)}: write one "
                "(see CONTRIBUTING.md, 'add a raw dataset') or remove the file"
            )
        elif path.name.endswith(".meta.yaml") and not (raw / f"{stem}.csv").exists():
            unknown.append(
                f"{paths.RAW_DIR / path.name} describes no data file (data/raw/{stem}.csv is absent)"
            )
    return lines, unknown


def stop_on_missing_inputs(root: Path = paths.ROOT) -> None:
    """Print one line per problem and exit 1 (Snakemake shows no traceback for SystemExit)."""
    if "--lint" in sys.argv:
        return  # linting reads the rules, not the data; a fresh clone lints before `make data`
    missing, unknown = problems(root)
    # A symbolic link would carry a file from outside into the build and the site (biomedimg.links).
    refused = links.refused(root)
    for line in refused:
        print(line, file=sys.stderr)
    for line in missing:
        print(f"MISSING INPUT: {line}", file=sys.stderr)
    for line in unknown:
        print(f"UNKNOWN INPUT: {line}", file=sys.stderr)
    dry_run = {"-n", "--dry-run", "--dryrun"} & set(sys.argv)
    if missing and not dry_run and (root / paths.BOOK_HTML).exists():
        shutil.rmtree(root / paths.BOOK_HTML)
        print(
            f"Build stopped; the previous site ({paths.BOOK_HTML}) was removed: it is not current.",
            file=sys.stderr,
        )
    if missing or unknown or refused:
        sys.exit(1)
