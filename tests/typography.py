"""Chinese punctuation for the project's own Chinese text (notes, descriptions, interface words).

The review prints ASCII punctuation with a space after it (", " "; " ". "); the companion's own
Chinese follows the usual rule instead: full-width ，；：。（） in Chinese sentences and quotation
marks that open and close (“…”). ``zh_punctuation`` turns the first into the second; the tests check
that every Chinese text the project writes is already in that form (it changes nothing), so it is a
check, not a filter the build applies. The review's own sentences (quote_zh) are never passed to it.

What stays ASCII: punctuation inside a number (1,000; 1.58; 10:30), in file names, ids and URLs
(claims.yaml, kd.nsfc.gov.cn, http://…), and a comma or colon between two ASCII words
(``a, b``) that no Chinese character touches.
"""

from __future__ import annotations

import re

HAN = "\u4e00-\u9fff\u3400-\u4dbf"
# Characters after or before which punctuation belongs to Chinese text: Han and full-width marks.
CJK = HAN + "\u3000-\u303f\uff01-\uff5e\u201c\u201d\u2018\u2019\u2014\u2026"
_CJK = re.compile(f"[{CJK}]")
_HAN = re.compile(f"[{HAN}]")

FULL = {",": "，", ";": "；", ":": "：", ".": "。", "?": "？", "!": "！"}


def _cjk(ch: str | None) -> bool:
    return bool(ch) and bool(_CJK.match(ch))


def _parens(text: str) -> str:
    """(…) → （…） where the brackets hold or touch Chinese; the spaces around them go."""
    out = list(text)
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs.append((stack.pop(), i))
    for start, end in pairs:
        before = text[:start].rstrip(" ")[-1:] or None
        after = text[end + 1 :].lstrip(" ")[:1] or None
        inside = text[start + 1 : end]
        if re.match(r"[A-Za-z0-9_\]]", text[start - 1 : start] or " ") and not _cjk(after):
            # f(x), a link's ](…): an ASCII word right before the bracket keeps it ASCII unless the
            # bracket holds Chinese or Chinese follows it.
            if not _HAN.search(inside):
                continue
        if _HAN.search(inside) or _cjk(before) or _cjk(after):
            out[start], out[end] = "（", "）"
    text = "".join(out)
    # No space between a full-width bracket and what it touches.
    text = re.sub(r" +（", "（", text)
    text = re.sub(r"（ +", "（", text)
    text = re.sub(r" +）", "）", text)
    return re.sub(r"） +", "）", text)


def _marks(text: str) -> str:
    """, ; : . ? ! → full-width where they end Chinese text or stand before it."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in FULL:
            prev = out[-1] if out else None
            j = i + 1
            while j < n and text[j] == " ":
                j += 1
            nxt = text[j] if j < n else None
            spaced = j > i + 1 or nxt is None
            if ch == "." and (text[i + 1 : i + 2] == "." or prev == "."):
                out.append(ch)  # an ellipsis (...) is no full stop
                i += 1
                continue
            number = prev is not None and prev.isdigit() and nxt is not None and nxt.isdigit() and not spaced
            url = ch in ".:" and not spaced and nxt is not None and not _cjk(nxt)
            end = ch == "." and nxt is None and bool(_HAN.search(text))
            if not number and not url and (_cjk(prev) or _cjk(nxt) or end):
                out.append(FULL[ch])
                i = j
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _quotes(text: str) -> str:
    """ASCII "…" and a closing mark used to open (”…”) → “…” (in order: open, close, open…)."""
    marks = [m.start() for m in re.finditer(r"[\"\u201c\u201d]", text)]
    if not marks:
        return text
    out = list(text)
    for k, i in enumerate(marks):
        out[i] = "\u201c" if k % 2 == 0 else "\u201d"
    return "".join(out)


def zh_punctuation(text: str) -> str:
    """The Chinese text ``text`` with Chinese punctuation (see the module's docstring)."""
    if not text or not _HAN.search(text):
        return text
    text = _quotes(text)
    text = _parens(text)
    text = _marks(text)
    # No space after a full-width mark, none before one.
    text = re.sub(r"([，；：。？！、]) +", r"\1", text)
    return re.sub(r" +([，；：。？！、）])", r"\1", text)
