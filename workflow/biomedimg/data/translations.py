"""The English translations of the review's quoted sentences (data/raw/prose_translations.csv).

A translation must carry every Arabic numeral of the Chinese sentence, so that a reader of the
English ledger sees the same numbers as a reader of the Chinese one.  Numbers may be carried over as
printed or converted in the ways an English sentence needs, and only in these ways:

- an amount scaled by 万 (10^4) or 亿 (10^8) may be written in full ("14万" -> "140,000") or with
  thousand / million / billion ("1.6亿" -> "160 million", "22亿" -> "2.2 billion"); the lower end of
  a range sharing one multiplier may drop the word ("6000~8000亿" -> "600-800 billion"); its printed
  digits also count ("1.6 × 10^8"), but not followed by a scale word ("22 million" is wrong for 22亿);
- a whole number of four or more digits may be written with thousands separators ("57000" -> "57,000");
- a month number may be written as the month's name or its first three letters ("2013年2月" ->
  "February 2013", "Feb 2013");
- a decade of a century may be written as the calendar decade ("20世纪70年代" -> "1970s").

The statements' notes go the other way: ``note`` is written in English and ``note_zh`` is its Chinese
translation, written for this companion (``note_zh_problems``).  The Chinese keeps every number of
the English (in the forms above, read from Chinese to English, and "1970s" as "20世纪70年代") and
adds none, keeps the review's Chinese words the English quotes, and keeps ids, column and file
names and URLs as written.
"""

from __future__ import annotations

import re
from decimal import Decimal

# An Arabic numeral, not part of a longer one (so "2,200" does not hold the numeral 200).
_NUMERAL = re.compile(r"(?<![0-9.,])[0-9]+(?:\.[0-9]+)?(?![0-9]|[.,][0-9])")
_MULTIPLIERS = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
_SCALE_WORDS = [("billion", Decimal(10) ** 9), ("million", Decimal(10) ** 6), ("thousand", Decimal(10) ** 3)]
_RANGE_TAIL = re.compile(r"[~～\-–][0-9]+(?:\.[0-9]+)?([万亿])")
_CENTURY_DECADE = re.compile(r"([0-9]+)世纪([0-9]+)年代")
MONTHS = ("January February March April May June July August September October November December").split()


def _plain(number: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 1.60E+8 -> 160000000, 2.20 -> 2.2."""
    return format(number.normalize(), "f")


def _grouped(text: str) -> str:
    """Thousands separators for a whole number: 72000 -> 72,000."""
    return f"{int(text):,}" if text.isdigit() else text


def renderings(zh: str, start: int, end: int) -> set[tuple[str, bool]]:
    """The ways the numeral zh[start:end] may be written in the English sentence.

    Each is (text, bare): a bare text must not be followed by thousand, million or billion.
    """
    numeral = zh[start:end]
    forms = {(numeral, False)}
    if "." not in numeral and len(numeral) >= 4:
        forms.add((_grouped(numeral), False))
    after = zh[end:]
    multiplier = after[:1] if after[:1] in _MULTIPLIERS else None
    lower_of_range = False
    if multiplier is None and (tail := _RANGE_TAIL.match(after)):
        multiplier, lower_of_range = tail.group(1), True
    if multiplier:
        value = Decimal(numeral) * _MULTIPLIERS[multiplier]
        full = _plain(value)
        forms = {(numeral, True), (full, False), (_grouped(full), False)}
        for word, size in _SCALE_WORDS:
            if value >= size:
                mantissa = _plain(value / size)
                forms.add((f"{_grouped(mantissa)} {word}", False))
                if lower_of_range:
                    forms.add((_grouped(mantissa), True))
                break
    if after.startswith("月"):
        month = int(numeral)
        if 1 <= month <= 12:
            forms.add((MONTHS[month - 1], False))
            forms.add((MONTHS[month - 1][:3], False))
    return forms


def _present(form: str, en: str, bare: bool = False) -> bool:
    if form[0].isdigit():
        pattern = r"(?<![0-9.,])" + re.escape(form) + r"(?![0-9]|[.,][0-9])"
    else:
        pattern = r"\b" + re.escape(form) + r"\b"
    if bare:
        pattern += r"(?!\s*(?:thousand|million|billion)\b)"
    return re.search(pattern, en) is not None


def missing_numbers(zh: str, en: str) -> list[str]:
    """The numerals of the Chinese sentence that its English translation does not carry."""
    covered: set[int] = set()
    missing = []
    for m in _CENTURY_DECADE.finditer(zh):
        century, decade = int(m.group(1)), int(m.group(2))
        if _present(f"{(century - 1) * 100 + decade}s", en):
            covered |= {m.start(1), m.start(2)}
    for m in _NUMERAL.finditer(zh):
        if m.start() in covered:
            continue
        if not any(_present(form, en, bare) for form, bare in renderings(zh, m.start(), m.end())):
            missing.append(m.group())
    return missing


# ------------------------------------------------------- the Chinese notes of prose_statements

_HAN_RUN = re.compile("[\u4e00-\u9fff]+")
# Ids and column names (snake_case), file names and URLs: kept as written in a translation.
_NAMES = re.compile(r"https?://[^\s)]+|\b[A-Za-z0-9_.-]+\.(?:csv|yaml)\b|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_DECADE = re.compile(r"([0-9]{2})([0-9])0s\b")


def _dropped_numbers(en: str, zh: str) -> list[str]:
    """The numerals of an English note that its Chinese translation does not carry: as written, or
    as the English renders a number of the Chinese ("¥708.3274 million" for 70832.74万)."""
    rendered: set[int] = set()  # where in the English a rendering of a Chinese number starts
    for z in _NUMERAL.finditer(zh):
        for form, bare in renderings(zh, z.start(), z.end()):
            if bare or not form[0].isdigit():
                continue
            for e in re.finditer(r"(?<![0-9.,])" + re.escape(form) + r"(?![0-9]|[.,][0-9])", en):
                rendered.add(e.start())
    dropped = []
    for m in _NUMERAL.finditer(en):
        decade = _DECADE.match(en, m.start())
        if decade and f"{int(decade.group(1)) + 1}世纪{decade.group(2)}0年代" in zh:
            continue
        if m.start() not in rendered and not _present(m.group(), zh):
            dropped.append(m.group())
    return list(dict.fromkeys(dropped))


def note_zh_problems(note: str, note_zh: str, of: str = "note", numbers: bool = True) -> list[str]:
    """What keeps note_zh from being a faithful Chinese translation of the English text ``note``
    (empty if nothing); ``of`` names the English column in the messages.  ``numbers=False`` leaves
    the numbers unchecked, for a unit, whose translation changes them by design (10k CNY -> 万元)."""
    problems = []
    if numbers:
        dropped = _dropped_numbers(note, note_zh)
        if dropped:
            problems.append(f"does not carry the number(s) {', '.join(dropped)} of {of}")
        added = list(dict.fromkeys(missing_numbers(note_zh, note)))
        if added:
            problems.append(f"has number(s) {', '.join(added)} that {of} does not have")
    words = [w for w in _HAN_RUN.findall(note) if w not in note_zh]
    if words:
        problems.append(f"does not keep the Chinese word(s) {', '.join(words)} that {of} quotes")
    names = [n.rstrip(".,;:") for n in _NAMES.findall(note) if n.rstrip(".,;:") not in note_zh]
    if names:
        problems.append(f"does not keep the name(s) {', '.join(names)} of {of} as written")
    return problems
