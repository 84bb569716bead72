"""Numbers as the review prints them: a computed value rounded to the precision of the stated one,
and where, in a quote, the number a claim checks is printed (11项, 7亿元, 1/5, 十余次, 第二).

Both work on text and decimals only; the ledger (biomedimg.site.components) shows the results through an
autoescaped template, and never changes the quote: it only learns where the number stands in it.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

# ----------------------------------------------------------------------------------- rounding

EXTRA_DIGITS = 2  # a computed value shows two decimal places more than the stated value prints


def _dec(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip()
    if "/" in text:  # a fraction as printed, 1/5
        num, _, den = text.partition("/")
        try:
            return Decimal(num) / Decimal(den)
        except (InvalidOperation, ZeroDivisionError):
            return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _places(stated) -> int:
    """Decimal places the stated value prints (a fraction such as 1/4 counts as one)."""
    text = str(stated).strip()
    if "/" in text:
        return 1
    if isinstance(stated, float):
        text = repr(stated)
    _, dot, frac = text.partition(".")
    return len(frac.rstrip("0")) if dot else 0


def round_as_printed(value, stated, bound: str = "") -> Decimal | None:
    """``value`` rounded to the stated value's decimal places plus two (stated 7 → 7.08, stated 1.6 →
    1.583), never with more digits than the value has, and never so far that a value that differs from
    the stated one looks equal to it (then it keeps the digits that show the difference).

    ``bound`` is "lower" or "upper" for a bound: a lower bound is rounded down and an upper bound up,
    so "at least 7.08" stays true of 7.083274. None when ``value`` is not a number.
    """
    exact = _dec(value)
    if exact is None:
        return None
    target = _dec(stated)
    places = _places(stated) + EXTRA_DIGITS if stated is not None else EXTRA_DIGITS
    mode = {"lower": ROUND_FLOOR, "upper": ROUND_CEILING}.get(bound, ROUND_HALF_UP)
    while True:
        shown = exact.quantize(Decimal(1).scaleb(-places), rounding=mode)
        if shown == exact or target is None or shown != target or places >= 12:
            break
        places += 1  # rounding made a different value look like the stated one: one more digit
    if shown == exact:
        return exact
    return shown.normalize() if shown == shown.to_integral_value() else shown


# -------------------------------------------------------------------------- numbers in a quote

ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
ZH_BIG = {"万": 10**4, "亿": 10**8}

# A number as printed: Arabic digits (a decimal point, a fraction 1/5, full-width digits), or a run of
# Chinese numerals. A digit next to another digit is part of the same number (1 is not found in 11).
NUMBER = re.compile(
    r"(?<![0-9０-９.．/／])[0-9０-９]+(?:[.．][0-9０-９]+)?(?:\s*[/／]\s*[0-9０-９]+)?(?![0-9０-９])"
    r"|[零〇一二两三四五六七八九十百千万亿]+"
)
RANGE_SEP = re.compile(r"\s*[~～\-–—至到]\s*")
APPROX = "余多几"

# What follows a number in each unit: the multiplier (required where the unit has one) and the word.
UNIT_AFTER: dict[str, tuple[str, str]] = {
    "100M CNY": ("亿", r"(?:元|人民币)?"),
    "100M USD": ("亿", r"美元"),
    "10k CNY": ("万", r"元?"),
    "10k papers": ("万", r"篇?"),
    "10k people": ("万", r"[余多]?人?"),
    "10k m2": ("万", r"(?:平方米)?"),
    "10k cases": ("万", r"[余多]?例?"),
    "percent": ("", r"[%％]"),
    "year": ("", r"年"),
    "years": ("", r"年"),
    "times": ("", r"次"),
    "kV": ("", r"千伏"),
    "papers/year": ("", r"篇"),
    "projects/year": ("", r"项"),
    "countries": ("", r"个"),
    "month": ("", r"月"),
}
COUNTER = r"[个项次所部台种类名大位条篇家群件例门]"
# Words beside a number that say how the review compares it (超过7亿元, 1000万以下, 3次及以上).
QUALIFIER_BEFORE = {
    "more_than": r"(?:超过|超|大于|逾|多于)\s*$",
    "at_least": r"(?:不少于|至少|不低于)\s*$",
    "less_than": r"(?:不足|不到|低于|少于|小于|不及)\s*$",
    "at_most": r"(?:不超过|至多)\s*$",
    "about": r"(?:约|近|大约|约等于|将近)\s*$",
}
QUALIFIER_AFTER = {
    "more_than": r"^(?:[余多]|以上)",
    "at_least": r"^(?:及以上|以上)",
    "less_than": r"^(?:以下|以内)",
    "at_most": r"^(?:以下|以内)",
    "about": r"^(?:左右|上下)",
}
QUALIFIER_ALIASES = {"equals": "equal", "exact": "equal", "greater_than": "more_than", "over": "more_than"}


def zh_number(text: str) -> int | None:
    """A run of Chinese numerals as a number (十一 → 11, 两 → 2, 二〇一九 → 2019, 十 → 10, 百 → 100);
    None for a run that is no number (十一五, the Five-Year Plan's name)."""
    if not text:
        return None
    if all(ch in ZH_DIGITS for ch in text):  # digit by digit (二〇一九) or one digit
        return int("".join(str(ZH_DIGITS[ch]) for ch in text))
    total = section = 0
    digit = None
    for ch in text:
        if ch in ZH_DIGITS:
            if digit is not None:
                return None  # two digits with no unit between them, in a number with units
            digit = ZH_DIGITS[ch]
        elif ch in ZH_UNITS:
            section += (1 if digit is None else digit) * ZH_UNITS[ch]
            digit = None
        else:  # 万, 亿
            section += digit or 0
            if section == 0:
                return None
            total += section * ZH_BIG[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def _token_value(token: str) -> Decimal | None:
    plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", token))
    if plain[:1].isdigit():
        return _dec(plain)
    number = zh_number(plain)
    return None if number is None else Decimal(number)


def _tokens(quote: str):
    """(start, end, value) of each number printed in the quote; a trailing 万/亿 of a Chinese run is
    left to the unit (五万 is 5 followed by 万)."""
    for m in NUMBER.finditer(quote):
        start, end = m.span()
        token = m.group()
        if not token_is_arabic(token):
            while token and token[-1] in ZH_BIG and len(token) > 1:
                token, end = token[:-1], end - 1
        value = _token_value(token)
        if value is not None:
            yield start, end, value


def _same(value: Decimal, stated) -> bool:
    target = _dec(stated)
    return target is not None and value == target


def mark_number(
    quote: str, stated, unit: str = "", stated_upper=None, comparison: str = ""
) -> tuple[int, int] | None:
    """Where the quote prints the stated number: (start, end) of its text, unit included (11项, 7亿元,
    1/5, 十余次, 第二, 1~2个), or None when the quote does not print it (近半个世纪, 多次) or prints
    it in more than one place that nothing tells apart. The quote is only read."""
    if not quote or stated is None or str(stated).strip() == "":
        return None
    comparison = QUALIFIER_ALIASES.get(comparison or "", comparison or "")
    multiplier, word = UNIT_AFTER.get(unit, ("", COUNTER + "?"))
    tokens = list(_tokens(quote))
    found: list[tuple[int, int, int]] = []  # (score, start, end)
    for i, (start, end, value) in enumerate(tokens):
        if not _same(value, stated):
            continue
        if stated_upper not in (None, ""):  # a range: both ends, 1~2个
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            sep = nxt and RANGE_SEP.fullmatch(quote[end : nxt[0]])
            if not (nxt and sep and _same(nxt[2], stated_upper)):
                continue
            end = nxt[1]
        score = 0
        rest = quote[end:]
        after = re.match(r"[" + APPROX + r"]?", rest).end()
        if multiplier:
            if not rest[after:].startswith(multiplier):
                continue  # 7 without 亿 is another quantity
            after += len(multiplier)
            score += 2
        unit_word = re.match(word, rest[after:])
        if unit_word and unit_word.end():
            after += unit_word.end()
            score += 2
        before = quote[:start]
        if unit == "rank" or comparison == "rank":
            prefix = re.search(r"第\s*$", before)
            if prefix:
                start = prefix.start()
                score += 3
            elif not token_is_arabic(quote[start:end]):
                continue  # 一 of 一块 is no rank
        if comparison in QUALIFIER_BEFORE and (
            re.search(QUALIFIER_BEFORE[comparison], before)
            or re.match(QUALIFIER_AFTER[comparison], rest[after:])
            or re.match(QUALIFIER_AFTER[comparison], rest)
        ):
            score += 1
        if token_is_arabic(quote[start:end]):
            score += 1
        found.append((score, start, end + after))
    if not found:
        return None
    best = max(s for s, _, _ in found)
    spans = {(a, b) for s, a, b in found if s == best}
    return spans.pop() if len(spans) == 1 else None


def token_is_arabic(text: str) -> bool:
    return bool(re.search(r"[0-9０-９]", text))
