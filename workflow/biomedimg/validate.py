"""Validation of the raw data against its Table Schemas, before anything is built from it.

Every problem is reported as one line naming the file, the row, the column and the rule broken, so
that an analyst who edits a raw file can fix it without reading a traceback.  Rows are numbered as a
spreadsheet shows them: the header is line 1, the first data row is line 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from biomedimg import paths


@dataclass
class RawDataError(Exception):
    """A raw file breaks a rule of its schema."""

    file: str
    rule: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        got = f" (found {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.rule}{got}"


def load_schema(name: str, root: Path = paths.ROOT) -> dict:
    with open(root / paths.raw_schema(name), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def read_text(path: Path, label: str) -> str:
    """Decode a raw file, refusing everything but plain UTF-8 without BOM and with \\n endings."""
    data = path.read_bytes()
    if not data.strip():
        raise RawDataError(label, "file is empty (a header row and data rows are required)")
    if data.startswith(b"\xef\xbb\xbf"):
        raise RawDataError(
            label, "file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM", 1
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RawDataError(
            label,
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x} cannot be decoded; "
            "was it saved as GBK or another legacy encoding?); save it as UTF-8",
            line,
        ) from None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise RawDataError(label, "file has Windows (\\r\\n) or old Mac (\\r) line endings; use \\n", line)
    return text


def parse_rows(text: str, label: str) -> list[tuple[int, list[str]]]:
    """Split CSV text into (line on which the record starts, cells), with located CSV errors."""
    reader = csv.reader(io.StringIO(text), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        # The reader fails where the broken record ends (for an unclosed quote: the end of the
        # file), so name the line where that record starts.
        unclosed = "end of data" in str(exc) or "expected" in str(exc)
        rule = (
            "unbalanced double quote: a quoted cell is never closed" if unclosed else f"malformed CSV ({exc})"
        )
        raise RawDataError(label, rule, start) from None
    return rows


def _parse_value(field: dict, value: str):
    kind = field.get("type", "string")
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", value):
            raise ValueError("must be a whole number")
        return int(value)
    if kind == "number":
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError("must be a number (digits with an optional decimal point)") from None
        if not number.is_finite():
            raise ValueError("must be a finite number")
        return number
    if kind == "date":
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError("must be a date written YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("must be a real calendar date (YYYY-MM-DD)") from None
    if kind == "boolean":
        if value not in ("true", "false"):
            raise ValueError("must be true or false")
        return value == "true"
    return value


def _bound(field: dict, key: str):
    bound = field.get("constraints", {}).get(key)
    if bound is None:
        return None
    return _parse_value(field, str(bound))


def validate_table(name: str, root: Path = paths.ROOT) -> list[dict]:
    """Validate one raw file against its schema; return its typed rows (missing cells as None)."""
    schema = load_schema(name, root)
    label = str(paths.raw_csv(name))
    path = root / paths.raw_csv(name)
    if not path.exists():
        raise RawDataError(label, "file is missing")
    text = read_text(path, label)
    rows = parse_rows(text, label)
    fields = schema["fields"]
    expected = [f["name"] for f in fields]
    header = rows[0][1]
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    if missing:
        raise RawDataError(
            label, f"missing column(s) {', '.join(missing)}; the header must be: {','.join(expected)}", 1
        )
    if extra:
        raise RawDataError(
            label, f"unexpected column(s) {', '.join(extra)}; the header must be: {','.join(expected)}", 1
        )
    if header != expected:
        raise RawDataError(label, f"columns are out of order; the header must be: {','.join(expected)}", 1)
    if len(rows) < 2:
        raise RawDataError(label, "file has a header but no data rows")
    missing_tokens = set(schema.get("x-missing", []))
    typed: list[dict] = []
    seen_unique: dict[str, dict] = {f["name"]: {} for f in fields if f.get("constraints", {}).get("unique")}
    for line, row in rows[1:]:
        if len(row) != len(expected):
            raise RawDataError(
                label, f"row has {len(row)} cells but the header has {len(expected)} columns", line
            )
        record = {}
        for field, value in zip(fields, row, strict=True):
            col = field["name"]
            cons = field.get("constraints", {})
            if value != value.strip():
                raise RawDataError(label, "cell has leading or trailing whitespace", line, col, value)
            if value == "" or value in missing_tokens:
                if cons.get("required"):
                    raise RawDataError(label, "a value is required", line, col, value)
                record[col] = None
                continue
            try:
                parsed = _parse_value(field, value)
            except ValueError as exc:
                raise RawDataError(label, f"{field.get('type')} value {exc}", line, col, value) from None
            if "enum" in cons and value not in [str(v) for v in cons["enum"]]:
                allowed = ", ".join(str(v) for v in cons["enum"])
                raise RawDataError(
                    label, f"value is not in the allowed vocabulary ({allowed})", line, col, value
                )
            if "pattern" in cons and not re.fullmatch(cons["pattern"], value):
                raise RawDataError(
                    label, f"value does not match the pattern {cons['pattern']}", line, col, value
                )
            low, high = _bound(field, "minimum"), _bound(field, "maximum")
            if low is not None and parsed < low:
                raise RawDataError(label, f"value is below the minimum {cons['minimum']}", line, col, value)
            if high is not None and parsed > high:
                raise RawDataError(label, f"value is above the maximum {cons['maximum']}", line, col, value)
            if col in seen_unique:
                if parsed in seen_unique[col]:
                    first = seen_unique[col][parsed]
                    raise RawDataError(
                        label, f"value must be unique but repeats line {first}", line, col, value
                    )
                seen_unique[col][parsed] = line
            record[col] = parsed
        record["_line"] = line
        typed.append(record)
    key = schema.get("primaryKey")
    if key:
        seen: dict[tuple, int] = {}
        for record in typed:
            k = tuple(record[c] for c in key)
            if k in seen:
                raise RawDataError(
                    label,
                    f"duplicate key ({', '.join(key)}) = {k}; first seen on line {seen[k]}",
                    record["_line"],
                    ",".join(key),
                )
            seen[k] = record["_line"]
    return typed


def validate_dataset(name: str, root: Path = paths.ROOT) -> list[dict]:
    """Schema checks, then the dataset's cross-field and cross-table checks (``x-checks``)."""
    from biomedimg import checks

    rows = validate_table(name, root)
    schema = load_schema(name, root)
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        parent = validate_table(ref["resource"], root)
        keys = {tuple(r[c] for c in ref["fields"]) for r in parent}
        for record in rows:
            k = tuple(record[c] for c in fk["fields"])
            if k not in keys:
                raise RawDataError(
                    str(paths.raw_csv(name)),
                    f"value has no matching {','.join(ref['fields'])} in {paths.raw_csv(ref['resource'])}",
                    record["_line"],
                    ",".join(fk["fields"]),
                    ",".join(str(v) for v in k),
                )
    for check in schema.get("x-checks", []):
        checks.CHECKS[check](name, rows, root)
    return rows


def main(argv: list[str] | None = None) -> int:
    """``python -m biomedimg.validate [name ...]``: validate raw datasets, one message per failure."""
    names = (argv if argv is not None else sys.argv[1:]) or paths.raw_names()
    failed = 0
    for name in names:
        try:
            rows = validate_dataset(name)
        except RawDataError as exc:
            print(f"INVALID RAW DATA: {exc}", file=sys.stderr)
            failed += 1
        else:
            print(f"ok: {paths.raw_csv(name)} ({len(rows)} rows)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())


def dataset_dependencies(name: str, root: Path = paths.ROOT) -> list[str]:
    """Other raw datasets whose content a dataset's checks read (foreign keys, ``x-depends``)."""
    schema = load_schema(name, root)
    deps = [fk["reference"]["resource"] for fk in schema.get("foreignKeys", [])]
    return sorted(set(deps + schema.get("x-depends", [])))


def validate_sidecar(name: str, root: Path = paths.ROOT) -> dict:
    """The metadata sidecar must exist, parse, and follow workflow/schemas/sidecar.schema.yaml."""
    import jsonschema

    label = str(paths.raw_meta(name))
    path = root / paths.raw_meta(name)
    if not path.exists():
        raise RawDataError(label, "metadata sidecar is missing (see data/README.md)")
    try:
        meta = yaml.safe_load(read_text(path, label))
    except yaml.YAMLError as exc:
        raise RawDataError(label, f"is not valid YAML ({exc})") from None
    with open(root / paths.SIDECAR_SCHEMA, encoding="utf-8") as fh:
        schema = yaml.safe_load(fh)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(meta), key=lambda e: list(e.path))
    if errors:
        err = errors[0]
        key = ".".join(str(p) for p in err.path) or "(top level)"
        raise RawDataError(label, f"key {key}: {err.message}")
    if meta["name"] != name:
        raise RawDataError(label, f"key name: must be {name!r}", value=meta["name"])
    return meta
