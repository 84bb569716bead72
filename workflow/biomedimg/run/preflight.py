"""Before Snakemake plans anything: every input the build needs exists, and nothing in data/raw is
silently ignored.  Called once from ``workflow/rules/common.smk``.

A raw dataset is three files (``data/raw/<name>.csv``, ``data/raw/<name>.meta.yaml`` and
``workflow/schemas/raw/<name>.schema.yaml``).  If one of them is deleted, Snakemake alone would
plan without it (a deleted schema drops the dataset from the build; a deleted CSV may leave
"Nothing to be done") and the old outputs would stay published as if current.  So a missing piece
stops the build with one line naming it, and the published site is removed so that nothing built
from the old inputs passes for current (a new, unexplained file stops the build but leaves the site).
A symbolic link in what the build reads or copies (``biomedimg.links``) stops it the same way, by name.

Then every YAML file an analyst edits is checked the way its job will read it (the raw schemas, the
sidecars, the claims ledger, config/figures.yaml with each figure's module, config/config.yaml): a broken one stops the build with one line per
error before any job runs.  Without this a broken schema made Snakemake skip the dataset silently
("Nothing to be done": an input function that fails while planning hides the job), a broken ledger
failed after the figures were rebuilt, and a broken config came as Snakemake's multi-line dump.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from biomedimg import links, paths


def _tracked_files(root: Path) -> set[str]:
    """Files recorded in data/raw.dvc (empty if the record cannot be read: then nothing is "tracked")."""
    from biomedimg.run import datasync

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
    for required in (paths.SIDECAR_SCHEMA, paths.CLAIMS_FILE, paths.FIGURES_FILE):
        if not (root / required).exists():
            lines.append(f"{required} is missing (deleted?); restore it with: git checkout -- {required}")
    names = set(paths.raw_names(root))
    for name in sorted(names):
        for path in (paths.raw_csv(name), paths.raw_meta(name)):
            if not (root / path).exists():
                lines.append(
                    f"{path} is missing (deleted?) but {paths.raw_schema(name)} expects it; restore it with: "
                    f".venv/bin/python -m biomedimg.run.datasync --restore {path.name}, or remove the dataset "
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


def invalid_inputs(root: Path = paths.ROOT) -> list[str]:
    """One line per error in the YAML files an analyst edits; the raw CSVs are checked by the
    validate_raw jobs, the claims' compute functions by the claims job (they need pandas)."""
    import jsonschema
    import yaml

    from biomedimg import catalog
    from biomedimg.data import ledger
    from biomedimg.data.validate import RawDataError, load_schema, validate_sidecar
    from biomedimg.io import load_yaml, yaml_problem

    lines = []
    for name in paths.raw_names(root):
        for check in (load_schema, validate_sidecar):
            try:
                check(name, root)
            except RawDataError as exc:
                lines += [str(p) for p in exc.problems]
    try:
        ledger.load_claims(root)
    except ledger.ClaimsError as exc:
        lines += str(exc).splitlines()
    lines += catalog.figure_errors(root)
    try:
        with open(root / paths.CONFIG, encoding="utf-8") as fh:
            config = load_yaml(fh)
    except yaml.YAMLError as exc:
        line, column, text = yaml_problem(exc)
        return [*lines, f"{paths.CONFIG}, line {line}, column {column}: is not valid YAML: {text}"]
    with open(root / paths.CONFIG_SCHEMA, encoding="utf-8") as fh:
        validator = jsonschema.Draft202012Validator(load_yaml(fh))
    for err in sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path))):
        key = ".".join(map(str, err.absolute_path)) or "(top level)"
        lines.append(f"{paths.CONFIG}: key {key}: {err.message}")
    return lines


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
    invalid = invalid_inputs(root)
    for line in invalid:
        print(f"INVALID INPUT: {line}", file=sys.stderr)
    if invalid:
        sys.exit(1)
