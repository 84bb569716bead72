"""``make tidy FILE=data/raw/<name>.csv``: undo what Excel or another editor does to a raw CSV.

It rewrites the file in the project's conventions (data/README.md): UTF-8 without BOM, ``\\n`` line
endings, no leading or trailing whitespace in a cell, and plain numbers (``7,133.77`` -> ``7133.77``)
in the columns the schema types as numbers, and nothing else.  Each change is printed.  What cannot
be fixed safely is refused, with the file untouched and exit status 1: a file that is not UTF-8
(guessing between GBK, Big5 and others is not safe), a CSV that does not parse, a file with no
schema, and a number whose reading is ambiguous (``1,500`` in a decimal column may be 1500 or, in a
European locale, 1.5).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

from biomedimg import paths
from biomedimg.data.validate import GROUPED_NUMBER, RawDataError, load_schema, parse_rows
from biomedimg.io import write_bytes

# One thousands separator and no decimal point: 1,500 (1500, or 1.5 with a decimal comma).
ONE_GROUP = re.compile(r"-?[0-9]{1,3},[0-9]{3}")


class CannotTidy(Exception):
    """The file cannot be tidied safely; the message says why."""


def _plain_number(kind: str, value: str) -> str | None:
    """The plain form of a spreadsheet-formatted number, None if it is not one; CannotTidy if ambiguous."""
    if not GROUPED_NUMBER.fullmatch(value):
        return None
    if kind == "number" and ONE_GROUP.fullmatch(value):
        raise CannotTidy(
            f"{value!r} may be {value.replace(',', '')} or {value.replace(',', '.')}; type it plain"
        )
    return value.replace(",", "")


def tidy_bytes(data: bytes, label: str, schema: dict) -> tuple[bytes, list[str]]:
    """The tidied file and one line per change; CannotTidy listing every unsafe spot."""
    changes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        changes.append(f"{label}: removed the UTF-8 byte-order mark (BOM)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CannotTidy(
            f"{label}, line {line}: not UTF-8 (byte 0x{data[exc.start]:02x}); tidy does not guess "
            "encodings: open the file in your editor and save it as UTF-8"
        ) from None
    if "\r" in text:
        changes.append(f"{label}: {text.count(chr(13))} Windows/old Mac line endings (\\r\\n, \\r) -> \\n")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        rows = parse_rows(text, label)
    except RawDataError as exc:
        raise CannotTidy(f"{exc}; fix it by hand") from None
    kinds = {f["name"]: f.get("type", "string") for f in schema["fields"]}
    header = rows[0][1]
    unsafe = []
    tidied = []
    for line, row in rows:
        cells = []
        for pos, value in enumerate(row):
            column = header[pos].strip() if pos < len(header) else f"#{pos + 1}"
            where = f"{label}, line {line}, column '{column}'"
            new = value.strip()
            if new != value:
                changes.append(f"{where}: trimmed {value!r} -> {new!r}")
            if line > 1 and kinds.get(column) in ("integer", "number"):
                try:
                    plain = _plain_number(kinds[column], new)
                except CannotTidy as exc:
                    unsafe.append(f"{where}: {exc}")
                    plain = None
                if plain is not None:
                    changes.append(f"{where}: {new!r} -> {plain!r}")
                    new = plain
            cells.append(new)
        tidied.append(cells)
    if unsafe:
        raise CannotTidy("\n".join(unsafe))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(tidied)
    if not changes:
        return data, []  # nothing to fix: not even the quoting is rewritten
    result = out.getvalue()
    if not text.endswith("\n"):
        result = result.removesuffix("\n")  # a missing final line ending is kept missing
    return result.encode("utf-8"), changes


def tidy(path: Path, root: Path = paths.ROOT) -> list[str]:
    """Tidy one raw CSV in place; return the changes (CannotTidy leaves it untouched)."""
    full = path if path.is_absolute() else root / path
    try:
        label = str(full.resolve().relative_to(root.resolve()))
    except ValueError:
        label = str(path)
    if full.suffix != ".csv" or full.resolve().parent != (root / paths.RAW_DIR).resolve():
        raise CannotTidy(f"{label}: tidy rewrites raw CSVs only (data/raw/<name>.csv)")
    if not full.exists():
        raise CannotTidy(f"{label}: no such file")
    name = full.name.removesuffix(".csv")
    if not (root / paths.raw_schema(name)).exists():
        raise CannotTidy(
            f"{label}: has no schema {paths.raw_schema(name)}, so its number columns are unknown"
        )
    data = full.read_bytes()
    result, changes = tidy_bytes(data, label, load_schema(name, root))
    if result != data:
        write_bytes(full, result)
    return changes


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: make tidy FILE=data/raw/<name>.csv", file=sys.stderr)
        return 2
    try:
        changes = tidy(Path(args[0]))
    except CannotTidy as exc:
        for line in str(exc).splitlines():
            print(f"CANNOT TIDY: {line}", file=sys.stderr)
        print(f"CANNOT TIDY: {args[0]} left unchanged", file=sys.stderr)
        return 1
    for change in changes:
        print(change)
    print(f"{args[0]}: {len(changes)} change(s)" if changes else f"{args[0]}: already tidy, nothing changed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
