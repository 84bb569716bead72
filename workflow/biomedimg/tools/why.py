"""``make why FILE=data/raw/<name>.csv [ROW=<key>]``: which outputs and claims depend on a raw file or row.

The reverse of provenance, from the same graph ``make diff`` reads:

- outputs: ``results/provenance.json`` lists each output's input files; an output depends on the raw
  file if it is among its inputs, directly or through another output. Provenance records files, not
  rows, so for a row the answer for outputs is "depends on the file".
- claims: each claim is evaluated once with a loader that records which raw datasets it reads (and
  which prose statement gives its stated value). For a row, the claim is evaluated again without that
  row: it *uses* the row if its stated value, computed value or status then changes (or it can no
  longer be evaluated); otherwise it only reads the file.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from biomedimg import paths
from biomedimg.tools.diff import KEY_SEPARATOR, primary_key, raw_sources

PROSE = "prose_statements"
FILE_LEVEL = "depends on the file (provenance records files, not rows)"


class WhyError(RuntimeError):
    pass


def dataset_name(file: str, root: Path = paths.ROOT) -> str:
    """``data/raw/x.csv``, ``x.csv`` or ``x`` -> ``x``, checked against the schemas."""
    name = Path(file).name.removesuffix(".csv")
    if not (root / paths.raw_schema(name)).exists():
        known = ", ".join(paths.raw_names(root))
        raise WhyError(f"{file}: not a raw dataset of this project (known: {known})")
    return name


def row_position(name: str, row: str, root: Path = paths.ROOT) -> int:
    """The 0-based position of the row whose primary key (fields joined by '|') is ``row``."""
    key = primary_key(root, name)
    with open(root / paths.raw_csv(name), encoding="utf-8-sig", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh)):
            if KEY_SEPARATOR.join(r.get(k, "") for k in key) == row:
                return i
    raise WhyError(
        f"{paths.raw_csv(name)}: no row with key {row!r} (key: {KEY_SEPARATOR.join(key)}; "
        f"composite keys are joined with {KEY_SEPARATOR!r})"
    )


def dependent_outputs(file: str, root: Path = paths.ROOT) -> list[dict]:
    prov = root / paths.PROVENANCE
    if not prov.exists():
        raise WhyError(f"{paths.PROVENANCE} is missing: run `make` first")
    with open(prov, encoding="utf-8") as fh:
        graph = {o["path"]: o for o in json.load(fh)["outputs"]}
    found = []
    for path, entry in sorted(graph.items()):
        direct = any(i["path"] == file for i in entry.get("inputs", []))
        if direct or file in raw_sources(path, graph):
            found.append({"path": path, "rule": entry.get("rule", ""), "direct": direct})
    return found


def _claim_reader(root: Path, drop: tuple[str, int] | None = None):
    """A claims.Data that records what it reads, optionally with one row of one dataset left out."""
    from biomedimg.outputs import claims

    class Recording(claims.Data):
        def __init__(self):
            super().__init__(root)
            self.read: set[str] = set()
            self.statements: set[str] = set()

        def __getitem__(self, name):
            self.read.add(name)
            frame = super().__getitem__(name)
            if drop and name == drop[0]:
                frame = frame.drop(frame.index[drop[1]]).reset_index(drop=True)
            return frame

        def statement(self, statement_id):
            self.statements.add(statement_id)
            return super().statement(statement_id)

        def stated(self, statement_id):
            self.statements.add(statement_id)
            return super().stated(statement_id)

    return claims, Recording


def _outcome(claims_module, claim: dict, data) -> tuple | str:
    try:
        r = claims_module.evaluate(claim, data)
    except Exception as err:  # noqa: BLE001 - a claim that breaks without the row uses the row
        return f"error: {err}"
    return (r.get("stated"), r.get("computed"), r.get("status"))


def dependent_claims(name: str, row: str | None = None, root: Path = paths.ROOT) -> list[dict]:
    claims_module, Recording = _claim_reader(root)
    found = []
    position = row_position(name, row, root) if row is not None else None
    for claim in claims_module.load_claims(root):
        data = Recording()
        baseline = _outcome(claims_module, claim, data)
        # The prose statement row that holds the stated value, and the datasets the computation reads.
        reads_file = name in (data.read - {PROSE}) or (name == PROSE and bool(data.statements))
        if not reads_file:
            continue
        entry = {"id": claim["id"], "granularity": "file", "uses_row": None}
        if name == PROSE and row is None:
            # Stated values are looked up by statement id: that much is known row by row.
            entry["granularity"] = "row"
            entry["rows"] = sorted(data.statements)
        if row is not None:
            _, Without = _claim_reader(root, drop=(name, position))
            without = _outcome(claims_module, claim, Without())
            entry["granularity"] = "row"
            entry["uses_row"] = without != baseline
            if not entry["uses_row"]:
                entry["note"] = "reads the file, but leaving this row out changes none of its values"
        found.append(entry)
    return found


def why(file: str, row: str | None = None, root: Path = paths.ROOT) -> dict:
    name = dataset_name(file, root)
    rel = str(paths.raw_csv(name))
    outputs = dependent_outputs(rel, root)
    for o in outputs:
        o["granularity"] = "file"
        if row is not None:
            o["note"] = FILE_LEVEL
    claim_entries = dependent_claims(name, row, root)
    if row is not None:
        claim_entries = [c for c in claim_entries if c["uses_row"]] + [
            c for c in claim_entries if not c["uses_row"]
        ]
    return {"file": rel, "row": row, "outputs": outputs, "claims": claim_entries}


def text_report(result: dict) -> str:
    target = result["file"] + (f", row {result['row']}" if result["row"] is not None else "")
    lines = [f"What depends on {target}:", "", f"Outputs ({len(result['outputs'])}):"]
    for o in result["outputs"]:
        how = "" if o["direct"] else " (through another output)"
        note = f" — {o['note']}" if o.get("note") else ""
        lines.append(f"  {o['path']}{how}{note}")
    if result["row"] is None:
        lines += ["", f"Claims ({len(result['claims'])}) that read this file:"]
        for c in result["claims"]:
            rows = f" (its stated value: row {', '.join(c['rows'])})" if c.get("rows") else ""
            lines.append(f"  {c['id']}{rows}")
    else:
        used = [c for c in result["claims"] if c["uses_row"]]
        unused = [c for c in result["claims"] if not c["uses_row"]]
        lines += ["", f"Claims ({len(used)}) that use this row (leaving it out changes them):"]
        lines += [f"  {c['id']}" for c in used]
        lines += ["", f"Claims ({len(unused)}) that read the file but not this row's values:"]
        lines += [f"  {c['id']}" for c in unused[:10]]
        if len(unused) > 10:
            lines.append(f"  … and {len(unused) - 10} more (--json lists them all)")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m biomedimg.tools.why",
        description="List the outputs and claims that depend on a raw file or row.",
    )
    parser.add_argument("file", help="a raw CSV, e.g. data/raw/nsfc_instrument_projects.csv")
    parser.add_argument("--row", default=None, help="a row's primary key (composite keys joined with '|')")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    if not args.file:
        print("why: give a file, e.g. make why FILE=data/raw/nsfc_instrument_projects.csv", file=sys.stderr)
        return 2
    try:
        result = why(args.file, args.row or None)
    except WhyError as err:
        print(f"why: {err}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else text_report(result), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
