"""Validation of the raw data against its Table Schemas, before anything is built from it.

Every problem is reported as one line naming the file, the line, the column and the rule broken, so
that an analyst who edits a raw file can fix it without reading a traceback; all problems of a file
are reported in one run (an Excel save shows its BOM, its CRLF endings and its "7,133.77" together).
Rows are numbered as a text editor shows them: the header is line 1, a record is named by the line
it starts on.

Why our own code and not frictionless: frictionless casts numbers with ``Decimal`` and integers with
``int``, which accept ``1_500``, ``1.5e3`` and full-width ``１５００``; it numbers records, not lines;
and it has no rule for invisible characters, formula prefixes or duplicates that differ only in case
and spacing.  A second pass with frictionless would report the same cell twice in different words, so
one strict pass here implements the Table Schema keys the schemas use (type, required, unique,
enum, pattern, minimum, maximum, primaryKey, foreignKeys) and the rules no library checks.  The
published data package is still checked with frictionless (tests/test_outputs.py).

Text is what it looks like: a cell in decomposed form (NFD), with a character that passes for
another (what NFKC folds: a Kangxi radical for a CJK ideograph, a compatibility ideograph, full-width
Latin), or with a Cyrillic or Latin-looking Greek letter inside a Latin word is refused, naming the
character and the one it imitates; and a cell no output can hold as it is (longer than an xlsx cell,
an unassigned code point) is refused here rather than cut or garbled later.

A schema is itself checked (``SCHEMA_RULES``): a key this module would ignore is refused.

Schema extensions (``x-`` keys, ignored by other Table Schema tools):

- ``x-missing``: tokens meaning "missing" besides the empty cell (e.g. ``NA``);
- ``x-checks``: cross-field and cross-table rules, by name, from ``biomedimg.data.checks``;
- ``x-depends``: other datasets those rules read;
- field ``x-allow-formula: true``: the column's text may start with ``=``, ``+``, ``-`` or ``@``;
- field ``x-multiline: true``: the column's text may hold line breaks;
- field ``x-allow-characters``: invisible or look-alike characters a column keeps because the
  source has them;
- field ``x-partial-date: {minimum, maximum}``: a string written ``YYYY``, ``YYYY-MM`` or
  ``YYYY-MM-DD`` that must be a real calendar date between the bounds;
- field ``x-url: true``: a web address, checked by ``url_problem`` (the sidecars' ``source.urls`` too).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from biomedimg import paths
from biomedimg.data import checks
from biomedimg.io import file_hash, load_yaml, yaml_problem


@dataclass(frozen=True)
class Problem:
    """One broken rule, located as precisely as the rule allows."""

    file: str
    rule: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    char: int | None = None  # the column as a number (in a YAML file), counted from 1

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        if self.char is not None:
            where += f", column {self.char}"
        got = f" (found {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.rule}{got}"


class RawDataError(Exception):
    """A raw file breaks rules of its schema; ``problems`` lists every one, in file order.

    ``file``, ``rule``, ``line``, ``column`` and ``value`` are those of the first problem, and
    ``str()`` gives one line per problem.
    """

    def __init__(self, problems: Iterable[Problem] | str, rule: str | None = None, *args, **kwargs):
        if isinstance(problems, str):
            problems = [Problem(problems, rule, *args, **kwargs)]
        self.problems = list(problems)
        first = self.problems[0]
        self.file, self.rule, self.line = first.file, first.rule, first.line
        self.column, self.value = first.column, first.value
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def read_yaml(path: Path, label: str):
    """A YAML file an analyst edits (sidecar, schema), or RawDataError naming its line and column."""
    try:
        return load_yaml(read_text(path, label))
    except yaml.YAMLError as exc:
        line, char, text = yaml_problem(exc)
        raise RawDataError([Problem(label, f"is not valid YAML: {text}", line, char=char)]) from None


def load_schema(name: str, root: Path = paths.ROOT) -> dict:
    """A raw dataset's Table Schema, checked against the rules of ``SCHEMA_RULES`` first, so that a
    mistyped key or type stops with a line naming it instead of being ignored or failing later."""
    label = str(paths.raw_schema(name))
    path = root / paths.raw_schema(name)
    if not path.exists():
        raise RawDataError(label, "schema is missing (every raw dataset needs one)")
    schema = read_yaml(path, label)
    problems = schema_problems(schema, label, paths.raw_names(root))
    if problems:
        raise RawDataError(problems)
    return schema


FIELD_TYPES = ("string", "integer", "number", "date", "boolean")
_NAMES = {"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9_]+$"}}
_BOUND = {"type": ["number", "string"]}
# The Table Schema keys this module implements (see the module docstring), and nothing else: a key
# it would ignore (a ``format``, a description cut at ", " into a new key) is refused instead.
SCHEMA_RULES = {
    "type": "object",
    "additionalProperties": False,
    "required": ["fields"],
    "properties": {
        "fields": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "type", "description", "description_zh"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "type": {"enum": list(FIELD_TYPES)},
                    "description": {"type": "string", "minLength": 1},
                    "description_zh": {"type": "string", "minLength": 1},
                    "constraints": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "required": {"type": "boolean"},
                            "unique": {"type": "boolean"},
                            "enum": {"type": "array", "minItems": 1},
                            "pattern": {"type": "string"},
                            "minimum": _BOUND,
                            "maximum": _BOUND,
                        },
                    },
                    "x-allow-formula": {"type": "boolean"},
                    "x-multiline": {"type": "boolean"},
                    "x-allow-characters": {"type": "array", "items": {"type": "string", "minLength": 1}},
                    "x-partial-date": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {"minimum": _BOUND, "maximum": _BOUND},
                    },
                    "x-url": {"const": True},
                },
            },
        },
        "primaryKey": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "foreignKeys": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["fields", "reference"],
                "properties": {
                    "fields": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                    "reference": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["resource", "fields"],
                        "properties": {
                            "resource": {"type": "string"},
                            "fields": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                        },
                    },
                },
            },
        },
        "x-checks": {"type": "array", "items": {"enum": sorted(checks.CHECKS)}},
        "x-depends": _NAMES,
        "x-missing": {"type": "array", "items": {"type": "string"}},
        "x-value-bounds": {
            "type": "object",
            "required": ["default"],
            "additionalProperties": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 2,
            },
        },
    },
}


def schema_problems(schema, label: str, datasets: list[str]) -> list[Problem]:
    """Every way a raw schema breaks ``SCHEMA_RULES`` or refers to something that does not exist (a
    column, a dataset), one Problem each naming the key."""
    import jsonschema

    if not isinstance(schema, dict):
        kind = "an empty file" if schema is None else f"a {type(schema).__name__}"
        return [Problem(label, f"must be a mapping with the key fields (a Table Schema), not {kind}")]
    fields = schema.get("fields")
    names = [f.get("name") for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []

    def key(path) -> str:
        parts = []
        for part in path:
            if isinstance(part, int) and parts == ["fields"] and part < len(names) and names[part]:
                parts[-1] = f"fields[{names[part]}]"
            elif isinstance(part, int):
                parts[-1] = f"{parts[-1]}[{part}]" if parts else f"[{part}]"
            else:
                parts.append(str(part))
        return ".".join(parts) or "(top level)"

    validator = jsonschema.Draft202012Validator(SCHEMA_RULES)
    errors = sorted(validator.iter_errors(schema), key=lambda e: [str(p) for p in e.absolute_path])
    problems = [Problem(label, f"key {key(e.absolute_path)}: {e.message}") for e in errors]
    if problems:
        return problems  # the checks below read the keys the rules above vouch for
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(label, f"key fields: the column {name} is listed twice"))
    for field in fields:
        cons = field.get("constraints", {})
        where = f"key fields[{field['name']}].constraints"
        if "pattern" in cons:
            try:
                re.compile(cons["pattern"])
            except re.error as exc:
                problems.append(Problem(label, f"{where}.pattern: not a regular expression ({exc})"))
        for bound in ("minimum", "maximum"):
            if bound in cons:
                try:
                    parse_value(field, str(cons[bound]))
                except ValueError as exc:
                    problems.append(Problem(label, f"{where}.{bound}: {exc}"))
    own = [("primaryKey", schema.get("primaryKey", []))]
    own += [(f"foreignKeys[{i}].fields", fk["fields"]) for i, fk in enumerate(schema.get("foreignKeys", []))]
    for where, columns in own:
        for column in columns:
            if column not in names:
                problems.append(Problem(label, f"key {where}: {column} is not a column of this schema"))
    others = [
        (f"foreignKeys[{i}].reference.resource", fk["reference"]["resource"])
        for i, fk in enumerate(schema.get("foreignKeys", []))
    ]
    others += [(f"x-depends[{i}]", d) for i, d in enumerate(schema.get("x-depends", []))]
    for where, dataset in others:
        if dataset not in datasets:
            problems.append(
                Problem(
                    label, f"key {where}: {dataset} is not a raw dataset (no {paths.raw_schema(dataset)})"
                )
            )
    return problems


# Characters that look like nothing or like a plain space, so a cell holding one looks valid and
# yet differs from its neighbours: controls (tab included), no-break and other Unicode spaces,
# zero-width characters, bidirectional marks, soft hyphens, a byte-order mark inside the text.
INVISIBLE = re.compile(
    "[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00a0\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5"
    "\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufeff\uffa0\ufff9-\ufffb]"
)
# Full-width digits and Latin letters look like ASCII ones but are other characters.
FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
FORMULA_PREFIXES = ("=", "+", "-", "@")

# Strict numbers: ASCII digits, an optional minus sign and at most one decimal point.
INTEGER = re.compile(r"-?[0-9]+")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
# What a spreadsheet makes of a plain number: thousands separators (what `make tidy` can undo).
GROUPED_NUMBER = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


def char_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def codes(text: str) -> str:
    return " ".join(f"U+{ord(c):04X}" for c in text)


# What a text cell must be to come out of every output (CSV, xlsx, HTML, SVG) as it went in.
XLSX_CELL_LIMIT = 32767  # characters an Excel cell holds; openpyxl would write a cell Excel cuts
# Compatibility characters whose NFKC form they do not pass for: a raised or lowered figure (m²), a
# fraction, a circled number, the ellipsis (… and Chinese ……), and the spacing accents (the Nobel
# snapshot's Il´ja), whose NFKC form is a space and a combining mark.  Every other character NFKC
# changes looks like the text NFKC makes of it (full-width Ａ and A, ⽣ and 生, 豈 and 豈, µ and μ).
DISTINCT_COMPATIBILITY = ("<super>", "<sub>", "<fraction>", "<circle>")
# Letters of Cyrillic and Greek that look like Latin ones, inside a Latin word.  Every Cyrillic letter
# in a Latin word is refused; a Greek letter only if it looks Latin, because science writes Greek
# letters into Latin words (Aβ, NFκB).
LATIN_LOOKALIKES = dict(
    zip(
        "АВЕЅІЈКМНОРСТУХЁЇԚԜҮҺӀаеѕіјорсухёїԁԛԝһӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧο",
        "ABESIJKMHOPCTYXËÏQWYhlaesijopcyxëïdqwhlABEZHIKMNOPTYXo",
        strict=True,
    )
)
CJK_RADICALS = re.compile("[\u2e80-\u2fdf]")  # CJK Radicals Supplement and Kangxi Radicals
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebef]")


@functools.lru_cache(maxsize=4096)
def _script(char: str) -> str | None:
    """LATIN, CYRILLIC or GREEK for a letter of those scripts, "" for a combining mark, else None."""
    if unicodedata.combining(char):
        return ""
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script) and unicodedata.category(char).startswith("L"):
            return script
    return None


def _decomposed(value: str) -> str | None:
    """The first letter written in decomposed form (NFD: a base and a combining mark), described."""
    for match in re.finditer(r".[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a]+", value):
        cluster = match.group()
        composed = unicodedata.normalize("NFC", cluster)
        if composed != cluster:
            parts = " + ".join([cluster[0], *(char_name(m) for m in cluster[1:])])
            return (
                f"text is in decomposed form (NFD) at character {match.start() + 1}: {parts}; "
                f"write {composed} ({codes(composed)})"
            )
    return None


def _lookalike(char: str, value: str) -> str | None:
    """Why a character passes for another (a compatibility or radical character), or None."""
    if CJK_RADICALS.match(char):
        folded = unicodedata.normalize("NFKC", char)
        if folded != char:
            return f"looks like {codes(folded)} {folded}; type {folded}"
        return "a radical, not a character of running text; type the character it stands for"
    folded = unicodedata.normalize("NFKC", char)
    if folded == char or char == "\u2026" or folded.startswith(" "):
        return None
    tag = unicodedata.decomposition(char).split(" ")[0]
    if tag in DISTINCT_COMPATIBILITY:
        return None
    if tag == "<wide>" and not folded.isalnum() and HAN.search(value):
        return None  # full-width punctuation is Chinese typography, in a cell with Chinese text
    return f"looks like {codes(folded)} {folded}; type {folded}"


def _script_problems(value: str, allowed: set[str]) -> list[str]:
    """Cyrillic and Greek look-alike letters inside Latin words (Chinese Оptical Society)."""
    rules = []
    words = re.finditer(r"\w+", value)
    for word in words:
        text = word.group()
        scripts = [_script(c) for c in text]
        if "LATIN" not in scripts:
            continue
        for offset, (char, script) in enumerate(zip(text, scripts, strict=True)):
            if char in allowed:
                continue
            if script == "CYRILLIC" or (script == "GREEK" and char in LATIN_LOOKALIKES):
                like = LATIN_LOOKALIKES.get(char)
                rules.append(
                    f"{char_name(char)} at character {word.start() + offset + 1} in a Latin word ({text})"
                    + (f", looks like {like}; type the Latin letter" if like else "; type the Latin letter")
                )
    return rules


def normalised(text: str) -> str:
    """The form in which two cells count as the same text: NFKC, case folded, invisible
    characters and all whitespace removed (so 'Chinese  optical society' == 'Chinese Optical Society')."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(INVISIBLE.sub("", text).split())


def decode(data: bytes, label: str) -> tuple[str, list[Problem]]:
    """Decode a raw file's bytes; return its text with \\n endings and the encoding problems found.

    A BOM and CRLF endings are reported and then undone, so the rest of the file is still checked;
    bytes that are not UTF-8 stop the check (nothing after them can be read reliably).
    """
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(
            Problem(label, "file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM", 1)
        )
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                label,
                f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x} cannot be decoded; "
                "was it saved as GBK or another legacy encoding?); save it as UTF-8",
                line,
            )
        )
        raise RawDataError(problems) from None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        count = text.count("\r")
        problems.append(
            Problem(
                label,
                f"file has Windows (\\r\\n) or old Mac (\\r) line endings ({count} of them, the first "
                "ending this line); use \\n",
                line,
            )
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


def read_text(path: Path, label: str) -> str:
    """A raw text file (CSV or sidecar) as text, refusing anything but UTF-8 without BOM and \\n."""
    text, problems = decode(path.read_bytes(), label)
    if problems:
        raise RawDataError(problems)
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


def _number_rule(kind: str, value: str) -> str:
    """Why a cell is not a strict number, in words that say how to fix it."""
    if FULL_WIDTH.search(value):
        return f"{kind} value uses full-width digits; type ASCII digits 0-9"
    if GROUPED_NUMBER.fullmatch(value):
        return f"{kind} value has thousands separators; write it plain (make tidy FILE=... fixes this)"
    if "_" in value:
        return f"{kind} value has underscores; write ASCII digits only"
    if re.search(r"[eE]", value) and re.fullmatch(r"[-+0-9.eE]+", value):
        return f"{kind} value is in exponent notation; write the number out in full"
    if kind == "integer":
        return "integer value must be a whole number written with ASCII digits"
    return "number value must be ASCII digits with at most one decimal point"


def parse_value(field: dict, value: str):
    """The typed value of a cell, or ValueError saying which rule of its type it breaks."""
    kind = field.get("type", "string")
    if kind == "integer":
        if not INTEGER.fullmatch(value):
            raise ValueError(_number_rule(kind, value))
        return int(value)
    if kind == "number":
        if not NUMBER.fullmatch(value):
            raise ValueError(_number_rule(kind, value))
        return Decimal(value)
    if kind == "date":
        if not ISO_DATE.fullmatch(value):
            raise ValueError("date value must be written YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("date value must be a real calendar date (YYYY-MM-DD)") from None
    if kind == "boolean":
        if value not in ("true", "false"):
            raise ValueError("boolean value must be true or false")
        return value == "true"
    return value


def _partial_date_rule(spec: dict, value: str) -> str | None:
    match = PARTIAL_DATE.fullmatch(value)
    if not match:
        return "must be a date written YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return "must be a real calendar date"
    low, high = str(spec.get("minimum", "0001")), str(spec.get("maximum", "9999"))
    if value[: len(low)] < low or value[: len(high)] > high:
        return f"date is outside the plausible range {low} to {high}"
    return None


# Words a Title-Case slug keeps in lower case (Roadmap-for-Medical-...): not the tail of a broken word.
SLUG_SMALL_WORDS = frozenset("a an and as at by for from in into of on or per the to via vs with".split())


def url_problem(url: str) -> str | None:
    """Why a text is not a usable web address, or None.

    It must be http(s) with a host and no spaces. A PDF's line break inside a word comes out of the
    text extraction as a hyphen ("Ima-ging", "pf_ty-pe"), which gives a different, dead address, so
    two shapes of such a hyphen are refused: inside a query parameter's name (names are codes;
    ``pf_ty-pe=3``) and, in a Title-Case path segment, a lower-case piece after a capitalised one
    that is no small word (``Medical-Ima-ging-Research``; ``Roadmap-for-Medical`` is fine).
    """
    match = re.fullmatch(r"https?://([^/?#\s]+)([^\s]*)", url)
    if not match or "." not in match.group(1):
        return "must be a web address starting with http:// or https:// and a host name, without spaces"
    rest = match.group(2)
    path, _, query = rest.partition("?")
    for param in query.split("&"):
        name = param.split("=", 1)[0]
        if re.search(r"[a-z]-[a-z]", name):
            return (
                f"has a word broken by a hyphen in the query parameter {name!r} (a line break in the "
                "PDF it was copied from); join the word"
            )
    for segment in path.split("/"):
        pieces = [p for p in segment.split("-") if p]
        capitalised = [p for p in pieces if p[:1].isupper()]
        if len(capitalised) * 2 <= len(pieces):
            continue  # not a Title-Case slug: lower-case words are its norm
        for before, piece in zip(pieces, pieces[1:], strict=False):
            if before[:1].isupper() and piece[:1].islower() and piece.lower() not in SLUG_SMALL_WORDS:
                return (
                    f"has a word broken by a hyphen ({before}-{piece}: a line break in the PDF it was "
                    "copied from); join the word"
                )
    return None


def _text_problems(field: dict, value: str) -> list[str]:
    """Rules on the characters of a cell, whatever its type: the text is what it looks like, and
    every output format holds it as it is."""
    rules = []
    allowed = set(field.get("x-allow-characters", []))
    if len(value) > XLSX_CELL_LIMIT:
        rules.append(
            f"cell has {len(value):,} characters; an xlsx cell holds at most {XLSX_CELL_LIMIT:,}, so "
            "the published tables could not hold it"
        )
    for pos, char in enumerate(value, 1):
        if char == "\n":
            if not field.get("x-multiline"):
                rules.append(f"line break in a cell (character {pos}); this column holds one line of text")
                break
        elif char not in allowed and INVISIBLE.match(char):
            rules.append(f"invisible or look-alike character {char_name(char)} at character {pos}")
            break
        elif unicodedata.category(char) in ("Cn", "Co"):
            kind = "private-use" if unicodedata.category(char) == "Co" else "unassigned or a noncharacter"
            rules.append(
                f"code point U+{ord(char):04X} at character {pos} is {kind}: it has no agreed glyph, "
                "and xlsx (XML) cannot hold a noncharacter"
            )
            break
    if field.get("type", "string") == "string":
        rules += _string_problems(value, allowed)
    if value != value.strip():
        rules.append("cell has leading or trailing whitespace")
    if (
        field.get("type", "string") == "string"
        and value.startswith(FORMULA_PREFIXES)
        and not field.get("x-allow-formula")
    ):
        rules.append(
            f"text starts with {value[0]!r}, which a spreadsheet runs as a formula; "
            "this column does not allow it (schema key x-allow-formula)"
        )
    return rules


def _string_problems(value: str, allowed: set[str]) -> list[str]:
    """Text that looks like other text: decomposed letters, compatibility and radical characters, and
    Cyrillic or Greek letters in Latin words, each named with the character it imitates."""
    if value.isascii():
        return []
    rules = []
    if decomposed := _decomposed(value):
        rules.append(decomposed)
    seen = set()
    for pos, char in enumerate(value, 1):
        if char in seen or char in allowed or INVISIBLE.match(char):
            continue
        seen.add(char)
        if why := _lookalike(char, value):
            kind = "full-width" if unicodedata.decomposition(char).startswith("<wide>") else "look-alike"
            rules.append(f"{kind} character {char_name(char)} {char} at character {pos}, {why}")
    rules += _script_problems(value, allowed)
    return rules


def _bounds(field: dict):
    cons = field.get("constraints", {})
    low = None if cons.get("minimum") is None else parse_value(field, str(cons["minimum"]))
    high = None if cons.get("maximum") is None else parse_value(field, str(cons["maximum"]))
    return low, high


def _check_table(name: str, root: Path) -> tuple[list[dict], list[Problem]]:
    """Typed rows of one raw file and every problem found in it (rows with problems are left out)."""
    schema = load_schema(name, root)
    label = str(paths.raw_csv(name))
    path = root / paths.raw_csv(name)
    if not path.exists():
        raise RawDataError(label, "file is missing")
    data = path.read_bytes()
    if not data.strip():
        raise RawDataError(label, "file is empty (a header row and data rows are required)")
    text, problems = decode(data, label)
    try:
        rows = parse_rows(text, label)
    except RawDataError as exc:
        raise RawDataError(problems + exc.problems) from None
    fields = schema["fields"]
    expected = [f["name"] for f in fields]
    header = rows[0][1]
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    must = f"the header must be: {','.join(expected)}"
    if missing:
        problems.append(Problem(label, f"missing column(s) {', '.join(missing)}; {must}", 1))
    if extra:
        problems.append(Problem(label, f"unexpected column(s) {', '.join(extra)}; {must}", 1))
    if not (missing or extra) and header != expected:
        problems.append(Problem(label, f"columns are out of order; {must}", 1))
    if len(rows) < 2:
        problems.append(Problem(label, "file has a header but no data rows"))
    if problems and (missing or extra or len(rows) < 2 or header != expected):
        raise RawDataError(problems)

    missing_tokens = set(schema.get("x-missing", []))
    bounds = {f["name"]: _bounds(f) for f in fields}
    unique_cols = [f["name"] for f in fields if f.get("constraints", {}).get("unique")]
    seen_unique: dict[str, dict] = {c: {} for c in unique_cols}
    typed: list[dict] = []
    for line, row in rows[1:]:
        if len(row) != len(expected):
            problems.append(
                Problem(label, f"row has {len(row)} cells but the header has {len(expected)} columns", line)
            )
            continue
        record: dict = {"_line": line}
        row_ok = True
        for field, value in zip(fields, row, strict=True):
            col = field["name"]
            cons = field.get("constraints", {})

            def fail(rule: str, line=line, col=col, value=value) -> None:
                nonlocal row_ok
                row_ok = False
                problems.append(Problem(label, rule, line, col, value))

            text_rules = _text_problems(field, value)
            for rule in text_rules:
                fail(rule)
            if text_rules:
                continue
            if value == "" or value in missing_tokens:
                if cons.get("required"):
                    fail("a value is required")
                record[col] = None
                continue
            try:
                parsed = parse_value(field, value)
            except ValueError as exc:
                fail(str(exc))
                continue
            if "enum" in cons and value not in [str(v) for v in cons["enum"]]:
                fail(f"value is not in the allowed vocabulary ({', '.join(str(v) for v in cons['enum'])})")
            if "pattern" in cons and not re.fullmatch(cons["pattern"], value):
                fail(f"value does not match the pattern {cons['pattern']}")
            if "x-partial-date" in field and (rule := _partial_date_rule(field["x-partial-date"], value)):
                fail(rule)
            if field.get("x-url") and (rule := url_problem(value)):
                fail(rule)
            low, high = bounds[col]
            if low is not None and parsed < low:
                fail(f"value is below the minimum {cons['minimum']}")
            if high is not None and parsed > high:
                fail(f"value is above the maximum {cons['maximum']}")
            if col in seen_unique:
                key = normalised(value) if isinstance(parsed, str) else parsed
                if key in seen_unique[col]:
                    fail(
                        f"value must be unique but repeats line {seen_unique[col][key]} "
                        "(compared ignoring case and spaces)"
                    )
                else:
                    seen_unique[col][key] = line
            record[col] = parsed
        if row_ok:
            typed.append(record)
    key = schema.get("primaryKey")
    if key:
        seen: dict[tuple, int] = {}
        for record in typed:
            k = tuple(normalised(v) if isinstance(v, str) else v for v in (record[c] for c in key))
            if k in seen:
                shown = tuple(record[c] for c in key)
                problems.append(
                    Problem(
                        label,
                        f"duplicate key ({', '.join(key)}) = {shown}; first seen on line {seen[k]} "
                        "(compared ignoring case and spaces)",
                        record["_line"],
                        ",".join(key),
                    )
                )
            else:
                seen[k] = record["_line"]
    problems.sort(key=lambda p: p.line or 0)
    return typed, problems


def validate_table(name: str, root: Path = paths.ROOT) -> list[dict]:
    """Validate one raw file against its schema; return its typed rows (missing cells as None).

    Raises RawDataError listing every problem of the file.
    """
    rows, problems = _check_table(name, root)
    if problems:
        raise RawDataError(problems)
    return rows


# -- reading what passed ------------------------------------------------------------------------------
# Rule validate_raw checks each raw file once and writes its stamp; every job reading the file has the
# stamp among its inputs. Later reads trust a stamp that names the file's current bytes and only type
# the cells; a file without one (edited since, a test's copy, a tool run by hand) is validated first.


def stamp_text(name: str, rows: int, root: Path = paths.ROOT) -> str:
    """The stamp rule validate_raw writes once a raw dataset passed every check: the md5 of the CSV
    it passed (``load_rows`` compares it with the file it reads), its path, its rows."""
    csv_path = paths.raw_csv(name)
    return f"{file_hash(root / csv_path, 'md5')}  {csv_path}  {rows} rows\n"


def stamped_md5(name: str, root: Path = paths.ROOT) -> str | None:
    """The md5 of the version of a raw CSV that last passed validation (None without a stamp)."""
    stamp = root / paths.validated_stamp(name)
    words = stamp.read_text(encoding="utf-8").split(maxsplit=1) if stamp.exists() else []
    return words[0] if words else None


def typed_rows(text: str, fields: list[dict], missing=()) -> list[dict]:
    """The records of CSV text that passed validation, each cell typed by its field as validation types
    it (``parse_value``; empty or a missing token: None), each with the ``_line`` it starts on."""
    missing = set(missing)
    return [
        {
            "_line": line,
            **{
                f["name"]: None if value == "" or value in missing else parse_value(f, value)
                for f, value in zip(fields, row, strict=True)
            },
        }
        for line, row in parse_rows(text, "")[1:]
    ]


def load_rows(name: str, root: Path = paths.ROOT) -> list[dict]:
    """The typed rows of a raw file (as ``validate_table`` returns them), checked only if its stamp does
    not name its current bytes: the one way raw data is read once rule validate_raw has run."""
    path = root / paths.raw_csv(name)
    if path.exists() and stamped_md5(name, root) == file_hash(path, "md5"):
        schema = read_yaml(root / paths.raw_schema(name), str(paths.raw_schema(name)))
        return typed_rows(path.read_text(encoding="utf-8"), schema["fields"], schema.get("x-missing", ()))
    return validate_table(name, root)


def validate_dataset(name: str, root: Path = paths.ROOT) -> list[dict]:
    """Schema checks, then foreign keys and the dataset's cross-field and cross-table checks (the other
    datasets they read come through ``load_rows``: in the build their own jobs validated them).

    The cross-row rules run only on a file whose every row passed the schema checks: on a partial
    table they would report consequences of the errors already listed, not new ones.
    """
    rows = validate_table(name, root)
    schema = load_schema(name, root)
    label = str(paths.raw_csv(name))
    problems: list[Problem] = []
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        parent_columns = [f["name"] for f in load_schema(ref["resource"], root)["fields"]]
        if unknown := [c for c in ref["fields"] if c not in parent_columns]:
            raise RawDataError(
                str(paths.raw_schema(name)),
                f"key foreignKeys: {', '.join(unknown)} is not a column of {paths.raw_csv(ref['resource'])}",
            )
        parent = load_rows(ref["resource"], root)
        keys = {tuple(r[c] for c in ref["fields"]) for r in parent}
        for record in rows:
            k = tuple(record[c] for c in fk["fields"])
            if k not in keys:
                problems.append(
                    Problem(
                        label,
                        f"value has no matching {','.join(ref['fields'])} in {paths.raw_csv(ref['resource'])}",
                        record["_line"],
                        ",".join(fk["fields"]),
                        ",".join(str(v) for v in k),
                    )
                )

    def load(other: str) -> list[dict]:
        return load_rows(other, root)

    for check_name in schema.get("x-checks", []):
        for record, column, rule, value in checks.CHECKS[check_name](rows, load, schema):
            shown = None if value is None else str(value).lower() if isinstance(value, bool) else str(value)
            problems.append(Problem(label, rule, record["_line"], column, shown))
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise RawDataError(problems)
    return rows


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
    meta = read_yaml(path, label)
    with open(root / paths.SIDECAR_SCHEMA, encoding="utf-8") as fh:
        schema = load_yaml(fh)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(meta), key=lambda e: list(e.path))
    problems = [
        Problem(label, f"key {'.'.join(str(p) for p in err.path) or '(top level)'}: {err.message}")
        for err in errors
    ]
    urls = (meta.get("source") or {}).get("urls") if isinstance(meta, dict) else None
    for i, url in enumerate(urls if isinstance(urls, list) else []):
        if isinstance(url, str) and (rule := url_problem(url)):
            problems.append(Problem(label, f"key source.urls.{i}: {rule}", value=url))
    if isinstance(meta, dict) and meta.get("name") != name:
        problems.append(Problem(label, f"key name: must be {name!r}", value=str(meta.get("name"))))
    if problems:
        raise RawDataError(problems)
    return meta


def validate_all(name: str, root: Path = paths.ROOT) -> list[dict]:
    """Everything the build checks before using a dataset: its CSV, its checks and its sidecar.

    The problems of the CSV and of the sidecar are reported together.
    """
    problems: list[Problem] = []
    rows: list[dict] = []
    try:
        rows = validate_dataset(name, root)
    except RawDataError as exc:
        problems += exc.problems
    try:
        validate_sidecar(name, root)
    except RawDataError as exc:
        problems += exc.problems
    if problems:
        raise RawDataError(problems)
    return rows


def main(argv: list[str] | None = None, root: Path = paths.ROOT) -> int:
    """``python -m biomedimg.data.validate [name ...]``: the same checks as the build's validate_raw
    rule, one line per problem on stderr; exit status 1 if any file has one."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m biomedimg.data.validate", description=main.__doc__)
    parser.add_argument("names", nargs="*", help="datasets to check (default: all)")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    names = args.names or paths.raw_names(root)
    failed = 0
    for name in names:
        try:
            rows = validate_all(name, root)
        except RawDataError as exc:
            for problem in exc.problems:
                print(f"INVALID RAW DATA: {problem}", file=sys.stderr)
            failed += 1
        else:
            print(f"ok: {paths.raw_csv(name)} ({len(rows)} rows)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
