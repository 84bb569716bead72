"""What a reader meets beside the data, one language at a time.

The claims ledger, the claims that rest on a figure or table, the values a figure plots, provenance
cards, the About page, the review's reference and the footer. Each function takes ``lang`` ("zh" or
"en") and returns an HTML string rendered by an autoescaped Jinja2 template (``workflow/templates/site``),
so whatever the data holds is shown as text.

The strings go into raw-HTML blocks of MyST pages: each starts with a block-level tag and holds no
blank line (a blank line would end the HTML block and hand the rest to the Markdown parser).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from biomedimg import paths
from biomedimg.anchors import anchor
from biomedimg.catalog import FIGURES, TABLES
from biomedimg.io import load_yaml
from biomedimg.site.printed import mark_number, round_as_printed
from biomedimg.vocab import (
    COMPARISONS,
    RANGE_ENDS,
    STATUS_LABELS_EN,
    STATUS_MEANINGS_ZH,
    STATUSES,
    ordinal,
)

LANGS = paths.LANGS
TEMPLATES = paths.ROOT / paths.TEMPLATES / "site"

# A run of Chinese characters and punctuation (CJK ideographs, CJK symbols such as 《》 and 、, and the
# full-width punctuation of Chinese text).
CJK_RUN = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+"
)


@dataclass(frozen=True)
class Described:
    """A title or description as an edition shows it: the text and, if it is not in the edition's
    language, the language it is in (for a ``lang`` attribute; empty otherwise)."""

    text: str
    lang: str = ""


def described(item: dict, key: str, lang: str) -> Described:
    """``item[key]`` (English, as Frictionless reads it) or, in the Chinese edition, ``item[key + "_zh"]``;
    English shown in the Chinese edition is marked as English."""
    if lang == "zh" and item.get(f"{key}_zh"):
        return Described(item[f"{key}_zh"])
    return Described(item.get(key, ""), "en" if lang != "en" else "")


def lang_runs(value, text_lang: str | None) -> Markup:
    """``value`` escaped; in English text, each run of Chinese in it (a printed term such as 十余次 or a
    title in 《》) is marked ``lang="zh-CN"`` so that a screen reader reads it with a Chinese voice."""
    escaped = escape("" if value is None else value)
    if not (text_lang or "").startswith("en"):
        return escaped
    return Markup(CJK_RUN.sub(lambda m: f'<span lang="zh-CN">{m.group()}</span>', str(escaped)))


_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["lang_runs"] = lang_runs

# The words of the interface, (Chinese, English); everything else comes from the data.
TEXT = {
    "claim": ("论断", "Claim"),
    "quote": ("原文", "Quote"),
    "stated": ("陈述", "Stated"),
    "computed": ("计算", "Computed"),
    "stated_computed": ("陈述与计算", "Stated and computed"),
    "stated_inline": ("陈述", "stated"),
    "computed_inline": ("计算", "computed"),
    "status": ("状态", "Status"),
    "note": ("说明", "Note"),
    "section": ("章节", "Section"),
    "rests_on": ("依据", "Rests on"),
    # Punctuation after a label and between items: full-width in Chinese, ASCII with a space in English.
    "colon": ("：", ": "),
    "list_sep": ("、", ", "),
    "clause_sep": ("；", "; "),
    "all": ("全部", "All"),
    "search": ("搜索", "Search"),
    "filter_title": ("筛选论断", "Filter the claims"),
    "reset": ("显示全部", "Show all"),
    "showing": ("显示 {shown} / {total} 条论断", "Showing {shown} of {total} claims"),
    "group_total": ("{n} 条论断", "{n} claims"),
    "group_total_one": ("1 条论断", "1 claim"),
    "group_shown": ("显示 {shown} 条", "{shown} shown"),
    "sort_by": ("按{what}排序", "Sort by {what}"),
    "exact_value": ("精确值：{value}", "Exact value: {value}"),
    "statuses": ("各状态的含义", "What each status means"),
    "claim_ref_title": (
        "核对表中的论断 {id}：{status}（陈述 {stated}；计算 {computed}）",
        "Claim {id} of the ledger: {status} (stated {stated}; computed {computed})",
    ),
    "translation_mark": ("译文为本项目所作", "Translation written for this companion"),
    "claim_preview_go": ("查看核对", "Go to the check"),
    "claim_preview_source": ("{publisher}，所指时间 {date}", "{publisher}, as of {date}"),
    "original": ("原文", "Chinese original"),
    "no_value": ("—", "—"),
    "source_value": ("来源给出", "Source gives"),
    "evidence": ("外部来源", "External sources"),
    "evidence_as_of": ("所指时间", "As of"),
    "evidence_undated": ("未注明日期，{date}获取", "undated; retrieved {date}"),
    "evidence_value": ("数值", "Value"),
    "evidence_implied": ("未印出，由引文读出", "not printed, read from the quote"),
    "evidence_mirror": ("转载副本", "mirror copy"),
    # Brackets around an aside (the period after a date): full-width in Chinese, after a space in English.
    "paren_sep": ("", " "),
    "paren_open": ("（", "("),
    "paren_close": ("）", ")"),
    "evidence_primary": ("一手来源", "primary source"),
    "evidence_secondary": ("二手来源", "secondary source"),
    "claims_on_figure": ("以本图为依据的论断", "Claims that rest on this figure"),
    "claims_on_table": ("以本表为依据的论断", "Claims that rest on this table"),
    "claims_on_item": ("以此为依据的论断", "Claims that rest on this"),
    "no_claims_figure": ("核对表中没有以本图为依据的论断。", "No claim of the ledger rests on this figure."),
    "no_claims_table": ("核对表中没有以本表为依据的论断。", "No claim of the ledger rests on this table."),
    "no_claims_item": ("核对表中没有以此为依据的论断。", "No claim of the ledger rests on this."),
    "values_summary": ("本图绘制的数据（{n} 行）", "The values this figure plots ({n} rows)"),
    "values_caption": ("图中绘制的数值", "Values plotted in the figure"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": (
        "下载 Excel（中文在 Excel 和 WPS 中正常显示）",
        "Download for Excel (opens with its Chinese intact in Excel and WPS)",
    ),
    "provenance": ("来源", "Provenance"),
    "rule": ("规则", "Rule"),
    "script": ("脚本", "Script"),
    "commit": ("提交", "Commit"),
    "raw_inputs": ("原始数据（DVC md5）", "Raw inputs (DVC md5)"),
    "downloads": ("下载与校验值", "Downloads and their hashes"),
    "published_copy_same": (
        "与原始文件 {raw} 逐字节相同（md5 相同）。",
        "A byte-for-byte copy of the raw file {raw} (same md5).",
    ),
    "published_copy_derived": (
        "由原始文件 {raw} 经数据包任务合并、改列而成，因此字节与校验值不同。",
        "Built from the raw file(s) {raw} by the data-package job (joined, columns renamed), "
        "so its bytes and hashes differ.",
    ),
    "raw_md5": ("原始文件 md5", "raw file md5"),
    "rebuild": ("从仓库根目录重建本语言的输出", "Rebuild this language's outputs, from the repository root"),
    "copy": ("复制", "Copy"),
    "copy_label": ("复制 {what}", "Copy {what}"),
    "built_on": ("构建于 {date}", "Built on {date}"),
    "from_commit": ("提交", "from commit"),
    "footer_note": (
        "由 Snakemake 工作流离线构建；每个数字都链接到其来源。",
        "Built offline by the Snakemake workflow; every number links to its source.",
    ),
}

SECTION_NAMES = {"0": ("引言", "Introduction"), "fig1": ("图1", "Figure 1")}


def _before_amount(comparison: str) -> tuple[str, str]:
    """A comparison word of biomedimg.vocab before the amount ({}): 超过{} / more than {}."""
    zh, en = COMPARISONS[comparison]
    return zh + "{}", en + " {}"


# How the review compares its number with the truth, in words; {} is the amount with its unit.
COMPARISON_WORDS = {
    "equal": ("{}", "{}"),
    **{c: _before_amount(c) for c in ("more_than", "at_least", "about", "less_than", "at_most", "rank")},
}
RANGE_WORDS = (COMPARISONS["range"][0] + RANGE_ENDS[0], COMPARISONS["range"][1] + " " + RANGE_ENDS[1])
COMPARISON_ALIASES = {
    "equals": "equal",
    "exact": "equal",
    "exactly": "equal",
    "approximately": "about",
    "approx": "about",
    "greater_than": "more_than",
    "over": "more_than",
    "fewer_than": "less_than",
}
# Bounds of a computed value (issue 11 carries direct-cost sums as lower bounds).
BOUND_WORDS = {"lower": COMPARISON_WORDS["at_least"], "upper": COMPARISON_WORDS["at_most"]}


def text(key: str, lang: str, **fields) -> str:
    zh, en = TEXT[key]
    words = zh if _check_lang(lang) == "zh" else en
    return words.format(**fields) if fields else words


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if _check_lang(lang) == "zh" else pair[1]


def render(template: str, lang: str, **context) -> str:
    """A template rendered as one raw-HTML block: no blank line, no leading or trailing space."""
    html = _ENV.get_template(template).render(lang=lang, t=lambda key, **f: text(key, lang, **f), **context)
    return "\n".join(line for line in html.splitlines() if line.strip())


# ---------------------------------------------------------------------------------- numbers in words


def _decimal(value) -> Decimal | None:
    """A number as an exact decimal (fractions as printed stay strings, so None)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def _plain(d: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 7, 1.6, 708.3274."""
    return format(d.normalize(), "f")


def _grouped(d: Decimal) -> str:
    """English digit grouping for large numbers: 140,000."""
    whole, _, frac = _plain(d).partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-')):,}"
    return sign + whole + (f".{frac}" if frac else "")


def _en_large(d: Decimal) -> str:
    """700 million, 1.7 billion, 500,000: a large English amount read as it is said."""
    for size, word in ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if abs(d) >= size:
            return f"{_plain(d / size)} {word}"
    return _grouped(d)


# unit: (Chinese pattern, English pattern, factor of the English amount)
UNITS: dict[str, tuple[str, str, int]] = {
    "100M CNY": ("{}亿元", "{} yuan", 10**8),
    "10k CNY": ("{}万元", "{} yuan", 10**4),
    "100M USD": ("{}亿美元", "{} US dollars", 10**8),
    "10k papers": ("{}万篇", "{} papers", 10**4),
    "percent": ("{}%", "{}%", 1),
    "year": ("{}年", "{}", 1),
    "years": ("{}年", "{} years", 1),
    "times": ("{}次", "{} times", 1),
    "count": ("{}", "{}", 1),
    "units": ("{}", "{}", 1),
    "fraction": ("{}", "{}", 1),
    # The other units of prose_statements.csv, so that neither edition shows a unit code.
    "10k m2": ("{}万平方米", "{} m²", 10**4),
    "10k people": ("{}万人", "{} people", 10**4),
    "10k cases": ("{}万例", "{} cases", 10**4),
    "papers/year": ("每年{}篇", "{} papers a year", 1),
    "projects/year": ("每年{}项", "{} projects a year", 1),
    "countries": ("{}个国家", "{} countries", 1),
    "kV": ("{}千伏", "{} kV", 1),
    # The month of a dated event (2013年2月), checked apart from its year (claims.evidence_month).
    "month": ("{}月", "month {}", 1),
}


def amount(value, unit: str, lang: str) -> str:
    """A value with its unit, as a reader of that language says it: 7亿元 / 700 million yuan."""
    _check_lang(lang)
    if value is None or value == "":
        return text("no_value", lang)
    number = _decimal(value)
    if number is None:  # a fraction such as 1/3, or a value printed as words: as it is
        shown = str(value)
        return shown if unit in UNITS or not unit else f"{shown} {unit}"
    if unit == "rank":
        return f"第{_plain(number)}" if lang == "zh" else ordinal(int(number))
    if unit not in UNITS:
        return f"{_plain(number)} {unit}".strip()
    zh, en, factor = UNITS[unit]
    if lang == "zh":
        return zh.format(_plain(number))
    scaled = number * factor
    if factor > 1:
        return en.format(_en_large(scaled))
    if unit in ("year",):
        return en.format(_plain(scaled))
    if unit == "times" and scaled == 1:
        return "once"
    return en.format(_grouped(scaled) if abs(scaled) >= 10000 else _plain(scaled))


def comparison_of(claim: dict) -> str:
    """The claim's comparison, normalised (claims only cited fall back to the printed qualifier)."""
    comparison = str(claim.get("comparison") or claim.get("compare") or "equal")
    if comparison == "cited":
        comparison = str(claim.get("qualifier") or "equal")
    return COMPARISON_ALIASES.get(comparison, comparison)


def _upper_of(claim: dict):
    for key in ("stated_upper", "upper", "value_upper"):
        if claim.get(key) not in (None, ""):
            return claim[key]
    return None


def stated_words(claim: dict, lang: str) -> str:
    """What the review says, comparison included: 超过7亿元 / more than 700 million yuan."""
    unit = claim.get("unit") or ""
    comparison = comparison_of(claim)
    stated = claim.get("stated")
    if isinstance(stated, list | tuple) and len(stated) == 2:
        comparison, (stated, upper) = "range", stated
    else:
        upper = _upper_of(claim)
    if comparison == "range" or (upper is not None and comparison == "equal"):
        return _pick(RANGE_WORDS, lang).format(amount(stated, unit, lang), amount(upper, unit, lang))
    words = COMPARISON_WORDS.get(comparison)
    if words is None:  # a comparison this module does not know yet: say it plainly rather than hide it
        return f"{amount(stated, unit, lang)} ({comparison})"
    return _pick(words, lang).format(amount(stated, unit, lang))


def computed_words(claim: dict, lang: str, *, as_printed: bool = False) -> str:
    """The value recomputed from the data (a number, a bound or a range), with its unit.

    A value known only within bounds comes as ``computed_bounds`` [low, high] (None: unbounded on
    that side), or as a mapping with ``lower``/``upper``; a bound is said as such ("at least ...").
    ``as_printed``: each number rounded to the precision of the stated value
    (``biomedimg.site.printed.round_as_printed``: stated 7亿 → at least 7.08亿, a lower bound rounded down).
    """
    unit = claim.get("unit") or ""
    computed = claim.get("computed")
    bounds = claim.get("computed_bounds")
    if isinstance(computed, dict):
        bounds = [computed.get("lower"), computed.get("upper")]
        computed = computed.get("value")
    elif isinstance(computed, list | tuple) and len(computed) == 2:
        bounds, computed = list(computed), None
    if as_printed:
        stated = claim.get("stated")
        if isinstance(stated, list | tuple) and stated:
            stated = stated[0]

        def shown(value, bound=""):
            rounded = round_as_printed(value, stated, bound)
            return value if rounded is None else rounded

        computed = None if computed is None else shown(computed)
        if isinstance(bounds, list | tuple) and len(bounds) == 2:
            bounds = [
                None if bounds[0] is None else shown(bounds[0], "lower" if bounds[0] != bounds[1] else ""),
                None if bounds[1] is None else shown(bounds[1], "upper" if bounds[0] != bounds[1] else ""),
            ]
    if computed is None and isinstance(bounds, list | tuple) and len(bounds) == 2:
        lower, upper = bounds
        if lower is not None and upper is not None:
            if lower == upper:
                return amount(lower, unit, lang)
            return _pick(RANGE_WORDS, lang).format(amount(lower, unit, lang), amount(upper, unit, lang))
        if lower is not None:
            return _pick(BOUND_WORDS["lower"], lang).format(amount(lower, unit, lang))
        if upper is not None:
            return _pick(BOUND_WORDS["upper"], lang).format(amount(upper, unit, lang))
    return amount(computed, unit, lang)


# A status's English short name where it is not the code with spaces (by construction).


def status_label(status: str, lang: str) -> str:
    """A status's short name: 数据支持 in Chinese, the status itself in English (by construction)."""
    if _check_lang(lang) == "zh":
        return STATUSES[status][0]
    return STATUS_LABELS_EN.get(status, status.replace("_", " "))


def status_meaning(status: str, lang: str) -> str:
    if _check_lang(lang) == "zh":
        return STATUS_MEANINGS_ZH.get(status, STATUSES[status][0])
    return STATUSES[status][1]


def section_label(section: str, lang: str) -> str:
    section = str(section)
    if section in SECTION_NAMES:
        return _pick(SECTION_NAMES[section], lang)
    return f"§{section}"


def section_sort_key(section: str):
    """Sections in the review's order (0, 1, 2.1, 2.2 … 4, then fig1)."""
    parts = re.findall(r"\d+|\D+", str(section))
    return (not str(section)[:1].isdigit(), [(0, int(p)) if p.isdigit() else (1, p) for p in parts])


# ------------------------------------------------------------------------------------------ ledger


def marked_quote(claim: dict) -> tuple[str, str, str]:
    """The Chinese quote cut around the number the claim checks (``biomedimg.site.printed.mark_number``):
    (before, number, after), joined they are the quote as printed; ("quote", "", "") when the quote does
    not print the number or prints it in places nothing tells apart."""
    quote = claim.get("quote_zh") or ""
    stated, upper = claim.get("stated"), _upper_of(claim)
    if isinstance(stated, list | tuple) and len(stated) == 2:
        stated, upper = stated
    span = mark_number(quote, stated, claim.get("unit") or "", upper, comparison_of(claim))
    if span is None:
        return quote, "", ""
    start, end = span
    return quote[:start], quote[start:end], quote[end:]


def _quote_parts(claim: dict, lang: str) -> dict:
    quote_zh = claim.get("quote_zh") or ""
    quote_en = (claim.get("quote_en") or "").strip()
    marked = marked_quote(claim)
    if lang == "en" and quote_en:
        return {
            "main": quote_en,
            "main_lang": "en",
            "translated": True,
            "original": quote_zh,
            "original_marked": marked,
            "main_marked": None,
        }
    return {
        "main": quote_zh,
        "main_lang": "zh",
        "translated": False,
        "original": "",
        "original_marked": None,
        "main_marked": marked,
    }


def _stated_sort_value(claim: dict) -> str:
    """The stated value as one number for sorting (amounts in yuan, papers, ...: 7亿 after 1000万);
    empty when it is no number."""
    stated = claim.get("stated")
    if isinstance(stated, list | tuple) and stated:
        stated = stated[0]
    text_value = "" if stated is None else str(stated).strip()
    if "/" in text_value:
        num, _, den = text_value.partition("/")
        number = _decimal(num) / _decimal(den) if _decimal(num) is not None and _decimal(den) else None
    else:
        number = _decimal(stated)
    if number is None:
        return ""
    factor = UNITS.get(claim.get("unit") or "", ("", "", 1))[2]
    return _plain(number * factor)


def _note_of(claim: dict, lang: str) -> tuple[str, str]:
    """The note in the reader's language (``note_zh`` in the Chinese edition; biomedimg.outputs.claims writes it
    for every claim) and that language; where a claim has none, the English note, marked English."""
    own = claim.get(f"note_{lang}")
    if own:
        return own, lang
    return claim.get("note") or "", "en"


HAN = re.compile("[\u4e00-\u9fff]")


def _evidence_view(row: dict, lang: str) -> dict:
    """One external source of a claim as the ledger shows it: quote, link, date, kind (claims.json's
    ``external_evidence_rows``; every value goes to the autoescaped template as text)."""
    quote = str(row.get("quote") or "")
    # The project's words about the row (unit, period, how a number was read) in the edition's
    # language: the Chinese edition shows their translations (external_evidence.csv's *_zh columns).
    own = "_zh" if lang == "zh" else ""
    value, implied = str(row.get("value_printed") or ""), ""
    if not value and row.get("implied") is not None:  # a count or position the quote does not print
        value, implied = str(row["implied"]), str(row.get(f"implied_how{own}") or "")
    as_of = str(row.get("as_of") or "")
    publisher, title = str(row.get("publisher") or ""), str(row.get("document_title") or "")
    return {
        "id": row["id"],
        "quote": quote,
        "quote_lang": "zh" if HAN.search(quote) else "en",
        "url": str(row["url"]),
        "publisher": publisher,
        "publisher_lang": "zh" if HAN.search(publisher[:3]) else "en",
        "title": title,
        "title_lang": "zh" if HAN.search(title[:3]) else "en",
        "as_of": as_of,
        "as_of_text": as_of or text("evidence_undated", lang, date=str(row.get("retrieved") or "")),
        "period": str(row.get(f"period{own}") or ""),
        "location": str(row.get("location") or ""),
        "value": value,
        # The number as the source prints it is the source's words: in the Chinese edition, one in
        # English words (five, December 29, 2000) is marked as English.
        "value_lang": "en" if lang == "zh" and re.search("[A-Za-z]", value) and not HAN.search(value) else "",
        "implied": implied,
        "unit": str(row.get(f"unit{own}") or ""),
        "kind": str(row["kind"]),
        "kind_label": text(f"evidence_{row['kind']}", lang),
        "mirror": bool(row.get("mirror")),
    }


def _claim_view(
    claim: dict,
    lang: str,
    href_of: Callable[[str], str | None] | None,
    label_of: Callable[[str], str] | None = None,
) -> dict:
    note, note_lang = _note_of(claim, lang)
    rests_on = []
    for target in claim.get("rests_on") or []:
        rests_on.append(
            {
                "name": target,
                "label": label_of(target) if label_of else target,
                "href": href_of(target) if href_of else None,
            }
        )
    status = claim["status"]
    computed = computed_words(claim, lang, as_printed=True)
    exact = computed_words(claim, lang)
    return {
        "id": claim["id"],
        "section": str(claim.get("section", "")),
        "quote": _quote_parts(claim, lang),
        "stated": stated_words(claim, lang),
        "stated_sort": _stated_sort_value(claim),
        "computed": computed,
        "computed_exact": exact if exact != computed else "",
        "status": status,
        "status_label": status_label(status, lang),
        "status_meaning": status_meaning(status, lang),
        "note": note,
        "note_lang": note_lang,
        "rests_on": rests_on,
        "evidence": [_evidence_view(e, lang) for e in claim.get("external_evidence_rows") or []],
    }


def claims_ledger(
    claims: list[dict],
    lang: str,
    *,
    href_of: Callable[[str], str | None] | None = None,
    label_of: Callable[[str], str] | None = None,
    table_id: str = "claims-ledger",
) -> str:
    """The ledger: one row per claim (its anchor is the claim id), filters by status and section.

    ``href_of(name)`` gives the link of a figure or table a claim rests on (None: shown unlinked),
    ``label_of(name)`` what it is called in this edition (Table 3, Figure 1); by default its name.
    Rows read as a table on a desktop (header kept in view) and as cards on a phone (ledger.css).
    """
    _check_lang(lang)
    unknown = sorted({c["status"] for c in claims} - set(STATUSES))
    if unknown:
        raise ValueError(f"claims with unknown status {unknown}; statuses are {', '.join(STATUSES)}")
    rows = [_claim_view(c, lang, href_of, label_of) for c in claims]
    counts = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
    sections = sorted({r["section"] for r in rows}, key=section_sort_key)
    groups = []
    for section in sections:
        members = [r for r in rows if r["section"] == section]
        groups.append(
            {
                "code": section,
                "anchor": f"{table_id}-section-" + re.sub(r"[^0-9A-Za-z]+", "-", section),
                "label": section_label(section, lang),
                "total": text("group_total_one", lang)
                if len(members) == 1
                else text("group_total", lang, n=len(members)),
                "rows": members,
                "counts": [
                    {"code": s, "label": status_label(s, lang), "count": n}
                    for s in STATUSES
                    if (n := sum(r["status"] == s for r in members))
                ],
            }
        )
    return render(
        "claims_ledger.html.j2",
        lang,
        rows=rows,
        table_id=table_id,
        statuses=[
            {
                "code": s,
                "label": status_label(s, lang),
                "meaning": status_meaning(s, lang),
                "count": counts[s],
            }
            for s in STATUSES
        ],
        sections=[{"code": s, "label": section_label(s, lang)} for s in sections],
        groups=groups,
        total=len(rows),
        label_vars=css_variables(
            {
                "label-quote": text("quote", lang),
                "label-values": text("stated_computed", lang),
                "label-status": text("status", lang),
                "label-note": text("note", lang),
                "translation-mark": text("translation_mark", lang),
            }
        ),
    )


def css_string(value: str) -> str:
    """A CSS string of any text: every character but letters, digits, spaces and CJK as an escape."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in value) + '"'


def css_variables(values: dict[str, str]) -> str:
    """A style attribute's custom properties (``--name:"text"``), each text a CSS string."""
    return ";".join(f"--{name}:{css_string(v)}" for name, v in values.items())


def claim_ref(claim: dict, lang: str) -> dict:
    """What a number the chapters print needs to lead to its claim: the ledger row's id, the status
    (its code for the colour, its label in the reader's language as text) and a one-line preview
    (status, stated and computed values) for the link's title. Plain text: the page builds the link
    from it (biomedimg.site.sphinx_ext's ``claim`` role), the HTML writer escapes it."""
    view = _claim_view(claim, lang, None)
    return {
        "anchor": anchor(claim["id"]),
        "status": view["status"],
        "label": view["status_label"],
        "preview": claim_preview(view, lang),
        "title": text(
            "claim_ref_title",
            lang,
            id=claim["id"],
            status=view["status_label"],
            stated=view["stated"],
            computed=view["computed"],
        ),
    }


def claim_preview(view: dict, lang: str) -> dict:
    """What the preview of a linked number shows (components.js draws it as text): the status, the
    stated and computed values with their labels as the ledger words them, the evidence in one line
    (each external source's publisher and date; otherwise the first sentence of the note, which says
    why the claim has its status) and the words of the link to the row."""
    if view["evidence"]:
        evidence = text("clause_sep", lang).join(
            text("claim_preview_source", lang, publisher=e["publisher"], date=e["as_of_text"])
            for e in view["evidence"]
        )
    else:
        evidence = _first_sentence(view["note"])
    return {
        "status": view["status"],
        "label": view["status_label"],
        "stated": [text("stated", lang), view["stated"]],
        "computed": [text("source_value" if view["evidence"] else "computed", lang), view["computed"]],
        "evidence": evidence,
        "go": text("claim_preview_go", lang),
    }


PREVIEW_CHARS = 160  # a preview's evidence line: about two lines on a phone


def _first_sentence(note: str) -> str:
    """A note's first sentence (its reason for the status), ending at the first full stop, cut to
    PREVIEW_CHARS (the ledger's row has it all)."""
    m = re.match(r"(.+?(?:\.(?=\s|$)|。))", note.strip(), re.S)
    first = (m.group(1) if m else note).strip()
    return first if len(first) <= PREVIEW_CHARS else first[: PREVIEW_CHARS - 1].rstrip() + "…"


def _kind_of(target: str) -> str:
    if target in FIGURES:
        return "figure"
    if target in TABLES:
        return "table"
    return "item"


def claims_for(target: str, claims: list[dict], lang: str, *, ledger_href: str = "claims.html") -> str:
    """The claims that rest on one figure or table, each linked to its row of the ledger."""
    _check_lang(lang)
    kind = _kind_of(target)
    rows = [_claim_view(c, lang, None) for c in claims if target in (c.get("rests_on") or [])]
    return render(
        "claims_for.html.j2",
        lang,
        target=target,
        title=text(f"claims_on_{kind}", lang),
        empty=text(f"no_claims_{kind}", lang),
        rows=rows,
        ledger_href=ledger_href,
    )


# ---------------------------------------------------------------------------- values of a figure


def read_values(name: str, lang: str, root: Path = paths.ROOT) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a figure's values CSV, cells as written (no number is reformatted)."""
    path = root / paths.figure_values(name, lang)
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise ValueError(f"{paths.figure_values(name, lang)}: empty file, expected a header row")
    return rows[0], rows[1:]


_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?%?$")


def values_table(
    name: str,
    lang: str,
    *,
    root: Path = paths.ROOT,
    href: str | None = None,
    cell_langs: Mapping[str, str] | None = None,
    xlsx_href: str | None = None,
) -> str:
    """A collapsible table of exactly the values a figure plots, with a link to their CSV (and to
    the same values as .xlsx, ``xlsx_href``, where the build made one).

    ``cell_langs`` maps a column's header to the language of its text where that is not the
    edition's (``biomedimg.outputs.figures.cell_langs``); those cells carry a ``lang`` attribute.
    """
    _check_lang(lang)
    header, rows = read_values(name, lang, root)
    numeric = [
        bool(rows) and all(_NUMBER.match(r[i]) or r[i] == "" for r in rows) for i in range(len(header))
    ]
    cell_langs = cell_langs or {}
    unknown = sorted(set(cell_langs) - set(header))
    if unknown:
        raise ValueError(f"{paths.figure_values(name, lang)} has no column(s) {', '.join(unknown)}")
    langs = [cell_langs.get(h, "") for h in header]
    if href is None:
        href = str(paths.figure_values(name, lang).relative_to(paths.RESULTS))
    return render(
        "values_table.html.j2",
        lang,
        name=name,
        header=header,
        rows=rows,
        numeric=numeric,
        langs=langs,
        href=href,
        filename=paths.figure_values(name, lang).name,
        xlsx_href=xlsx_href,
        xlsx_filename=paths.figure_values_xlsx(name, lang).name,
    )


# ------------------------------------------------------------------------------- provenance cards


@dataclass(frozen=True)
class RawFile:
    path: str
    md5: str


@dataclass(frozen=True)
class Download:
    """A file the reader can download: where, and the hashes to verify it.

    ``raw`` lists the raw files it is published from (results/data/<x>.csv from data/raw/<x>.csv),
    so the card can show both hashes and say why they agree or differ.
    """

    label: str
    href: str
    path: str
    sha256: str
    md5: str = ""
    raw: tuple[RawFile, ...] = field(default_factory=tuple)


def provenance_card(
    entry: dict,
    downloads: Iterable[Download],
    lang: str,
    *,
    rebuild: str,
    repo_url: str = "",
) -> str:
    """Where an output comes from and how to check it.

    ``entry`` is the output's record in results/provenance.json (rule, script, inputs, commit).
    Every hash is printed in full, selectable and with a copy button; ``rebuild`` is the command
    that rebuilds this language's outputs from the repository root.
    """
    _check_lang(lang)
    raw_inputs = [i for i in entry["inputs"] if i["path"].startswith(str(paths.RAW_DIR) + "/")]
    commit = entry.get("commit") or ""
    repo = repo_url.rstrip("/")
    linkable = bool(repo) and bool(re.fullmatch(r"[0-9a-f]{7,40}", commit))
    views = []
    for d in downloads:
        note = ""
        if d.raw:
            raws = ", ".join(r.path for r in d.raw)
            same = len(d.raw) == 1 and d.md5 and d.raw[0].md5 == d.md5
            note = text("published_copy_same" if same else "published_copy_derived", lang, raw=raws)
        views.append({"d": d, "note": note})
    return render(
        "provenance_card.html.j2",
        lang,
        rule=entry["rule"],
        script=entry.get("script") or "",
        script_href=f"{repo}/blob/{commit}/{entry['script']}" if linkable and entry.get("script") else "",
        commit=commit,
        commit_href=f"{repo}/commit/{commit}" if linkable else "",
        raw_inputs=raw_inputs,
        downloads=views,
        main=views[0]["d"] if views else None,
        rebuild=rebuild,
    )


# ------------------------------------------------------------------------ citation and About page


def load_config(root: Path = paths.ROOT) -> dict:
    with open(root / paths.CONFIG, encoding="utf-8") as fh:
        return load_yaml(fh)


def load_citation(root: Path = paths.ROOT) -> dict:
    with open(root / paths.CITATION, encoding="utf-8") as fh:
        return load_yaml(fh)


def repository_url(config: dict) -> str:
    return ((config.get("repository") or {}).get("url") or "").rstrip("/")


def _filled(value) -> bool:
    return value not in (None, "", [], {})


def review_record(config: dict) -> dict:
    """The fields of the review's record that the maintainers have filled (empty ones are dropped)."""
    return {k: v for k, v in (config.get("review") or {}).items() if _filled(v)}


def _bibtex_escape(value: str) -> str:
    return re.sub(r"([{}\\%&$#_])", r"\\\1", str(value))


def bibtex(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    """A BibTeX entry of the filled fields, each value braced and escaped."""
    lines = [f"@{entry_type}{{{key},"]
    lines += [f"  {name} = {{{_bibtex_escape(value)}}}," for name, value in fields if _filled(value)]
    lines.append("}")
    return "\n".join(lines)


def _cff_author(author: dict) -> str:
    if author.get("name"):
        return author["name"]
    return " ".join(p for p in (author.get("given-names"), author.get("family-names")) if p)


def companion_bibtex(citation: dict) -> str:
    authors = " and ".join(
        "{" + _cff_author(a) + "}" if a.get("name") else _cff_author(a) for a in citation["authors"]
    )
    year = str(citation.get("date-released", ""))[:4]
    fields = [
        ("title", citation["title"]),
        ("version", str(citation.get("version", ""))),
        ("year", year),
        ("url", citation.get("repository-code") or citation.get("url") or ""),
        ("note", "Software and data; see CITATION.cff"),
    ]
    # Authors are written as BibTeX names (an entity in braces), so they are not escaped again.
    lines = bibtex("misc", "biomedimg_companion", fields).splitlines()
    lines.insert(1, f"  author = {{{authors}}},")
    return "\n".join(lines)


def review_bibtex(record: dict) -> str:
    """The review as a BibTeX @article, only once the maintainers have filled its record."""
    if not all(record.get(k) for k in ("authors", "journal", "year")):
        return ""
    fields = [
        ("title", record.get("title_zh", "")),
        ("journal", record.get("journal", "")),
        ("year", str(record.get("year", ""))),
        ("volume", str(record.get("volume", ""))),
        ("number", str(record.get("issue", ""))),
        ("pages", str(record.get("pages", ""))),
        ("doi", record.get("doi", "")),
        ("url", record.get("url", "")),
    ]
    lines = bibtex("article", "review", fields).splitlines()
    authors = " and ".join(_bibtex_escape(a) for a in record["authors"])
    lines.insert(1, f"  author = {{{authors}}},")
    return "\n".join(lines)


def review_reference(lang: str, *, config: dict | None = None, root: Path = paths.ROOT) -> str:
    """The review named with whatever of its record the maintainers have filled (never guessed)."""
    _check_lang(lang)
    record = review_record(config if config is not None else load_config(root))
    return render("review_reference.html.j2", lang, r=record)


def about_page(
    lang: str,
    *,
    root: Path = paths.ROOT,
    package: dict | None = None,
    config: dict | None = None,
    citation: dict | None = None,
    cff_href: str = "CITATION.cff",
    anchor_suffix: str = "",
) -> str:
    """How to cite the companion (CITATION.cff, BibTeX), the review's record, the licences and sources.

    Its headings have ids (how-to-cite, the-review, licences, source-code) + ``anchor_suffix``, which
    keeps them unique when both languages share one page.
    """
    _check_lang(lang)
    config = config if config is not None else load_config(root)
    citation = citation if citation is not None else load_citation(root)
    if package is None:
        with open(root / paths.DATAPACKAGE, encoding="utf-8") as fh:
            package = json.load(fh)
    record = review_record(config)
    sources = [
        {
            "name": res["name"],
            "title": described(res, "title", lang),
            "licence": described(res, "x-licence", lang),
            "urls": [s["path"] for s in res.get("sources", [])],
        }
        for res in package["resources"]
    ]
    return render(
        "about.html.j2",
        lang,
        citation=citation,
        authors=[_cff_author(a) for a in citation["authors"]],
        companion_bibtex=companion_bibtex(citation),
        cff_href=cff_href,
        anchor_suffix=anchor_suffix,
        repo=repository_url(config),
        r=record,
        review_bibtex=review_bibtex(record),
        data_licences=package.get("licenses", []),
        package_sources=package.get("sources", []),
        sources=sources,
    )


def footer(
    lang: str,
    *,
    commit: str,
    date: str,
    repo_url: str = "",
    note: str | None = None,
    review: dict | None = None,
) -> str:
    """Build date and commit, and the review this companion is about (its record as configured, so
    every page names the review with whatever of the record the maintainers have filled).

    The date is the commit's, so rebuilding a commit gives the same bytes.
    """
    _check_lang(lang)
    repo = repo_url.rstrip("/")
    linkable = bool(repo) and bool(re.fullmatch(r"[0-9a-f]{7,40}", commit or ""))
    return render(
        "footer.html.j2",
        lang,
        commit=commit,
        short=(commit or "")[:12],
        commit_href=f"{repo}/commit/{commit}" if linkable else "",
        date=date,
        note=text("footer_note", lang) if note is None else note,
        review=review_record({"review": review}) if review else None,
    )


# ------------------------------------------------------------------------------- page metadata

OG_LOCALES = {"zh": "zh_CN", "en": "en_US"}


def _one_line(value) -> str:
    return " ".join(str(value or "").split())


def page_meta(lang: str, *, citation: dict, date: str, site_name: str, description: str) -> str:
    """The companion's citation and Open Graph ``<meta>`` tags for every page of an edition, escaped.

    Title, authors and version come from CITATION.cff (the companion's own record, not the review's);
    the date is the build date the footer shows (the commit's); ``site_name`` and ``description`` are
    the edition's (book/_editions.yml). The page's own ``og:title`` is added by the page template.
    """
    _check_lang(lang)
    return render(
        "page_meta.html.j2",
        lang,
        title=_one_line(citation["title"]),
        authors=[_one_line(_cff_author(a)) for a in citation.get("authors") or []],
        version=_one_line(citation.get("version", "")),
        date=date,
        site_name=_one_line(site_name),
        description=_one_line(description),
        locale=OG_LOCALES[lang],
        other_locale=OG_LOCALES[paths.other_lang(lang)],
    )
