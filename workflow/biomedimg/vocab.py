"""Vocabularies shared by the claims, the metrics, the book and the tests (each written once here)."""

from __future__ import annotations

# The status of a claim of the ledger, with its meaning in each language.
STATUSES = {
    "pass": (
        "数据支持",
        "data printed apart from the sentence, in a table, another section or an external source, support it",
    ),
    "self_consistent": (
        "与原文自洽",
        "the number agrees with what its own section of the review prints, which is no independent evidence",
    ),
    "fail": ("数据不符", "the data contradict the statement"),
    "inconclusive": ("无法判定", "the data bound the value but cannot decide"),
    "by_construction": (
        "据构造一致",
        "the data were chosen or inferred to fit the statement, so agreement proves nothing",
    ),
    "not_derivable": ("无法推算", "no data here can recompute the number"),
}
# What each status means, in Chinese (STATUSES holds its Chinese name and English meaning).
STATUS_MEANINGS_ZH = {
    "pass": "独立于该句的数据（表格、其他章节或外部来源）支持该陈述",
    "self_consistent": "该数字与它所在章节印出的内容一致，这并非独立证据",
    "fail": "数据与该陈述不符",
    "inconclusive": "数据只给出数值的界限，无法判定",
    "by_construction": "数据是为符合该陈述而选取或推断的，一致并不能证明什么",
    "not_derivable": "本项目没有可以重算该数字的数据",
}
# A status's English label where it is not its key with spaces (self_consistent → self-consistent).
STATUS_LABELS_EN = {"self_consistent": "self-consistent"}
# The statuses of a claim compared with evidence independent of its sentence (the headline's count).
INDEPENDENT = ("pass", "fail")

# How each edition numbers the review's tables, in their captions and in links to them.
TABLE_LABEL = {"zh": "表{n}", "en": "Table {n}"}

# How a claim compares the value computed from the data with the stated one, with the words each
# language uses for the stated value ("超过7亿" / "more than 700 million").
COMPARISONS = {
    "equals": ("", ""),
    "more_than": ("超过", "more than"),
    "at_least": ("不少于", "at least"),
    "less_than": ("不足", "less than"),
    "at_most": ("不超过", "at most"),
    "about": ("约", "about"),
    "range": ("介于", "between"),
    "rank": ("排名", "ranked"),
}
# The two ends of a range, after COMPARISONS["range"]: 介于0和3000之间 / between 0 and 3000.
RANGE_ENDS = ("{}和{}之间", "{} and {}")


def ordinal(n: int) -> str:
    """A rank as English writes it: 1st, 2nd, 3rd, 11th, 22nd (the Chinese is 第2)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# The broad discipline (大类) of a CAST society in Table 2: the code in the data (column discipline)
# with the label each language shows; the printed Chinese is the data's discipline_zh.
DISCIPLINES = {
    "science": ("理科", "Science"),
    "engineering": ("工科", "Engineering"),
    "medicine": ("医科", "Medicine"),
}

# Why a stated number of data/raw/prose_statements.csv is not a claim of the ledger
# (its column not_a_claim_reason), with the meaning in each language.
NOT_A_CLAIM_REASONS = {
    "event_year": (
        "事件年份",
        "the year dates an event or starts a period (founding, launch, publication) that no source outside the review was found to date",
    ),
    "relative_time": (
        "相对时间",
        "a time span counted back from a reference date the review does not print",
    ),
    "round_figure": ("约数修辞", "a round figure of speech (百年, 半个世纪), not a measured quantity"),
    "proposal": ("建议", "a number in the review's own proposal, not a statement of fact"),
    "definition": ("定义", "the number is part of a definition or description, not a fact to check"),
}

# What a claim's sources outside the review speak of when it differs from the statement
# (claims.yaml evidence_differs; the claim is then inconclusive), with the word each language uses.
EVIDENCE_DIFFERS = {
    "period": ("时期", "period"),
    "scope": ("范围", "scope"),
    "unit": ("单位", "unit"),
    "stage": ("批复阶段", "approval stage"),
}

# Words the site's search takes for one another, in either edition: a query that is one of them (any
# case) also finds the others (book/_static/search-page.js, served each edition's
# _static/search-synonyms.json by biomedimg.site.render). Each group once, each term in one group only;
# a term in capitals (MRI, CT) matches only as a whole word, a number only as a whole number.
SEARCH_SYNONYMS = (
    ("MRI", "NMR", "磁共振", "magnetic resonance"),
    ("CT", "计算机断层", "computed tomography"),
    ("PET", "正电子", "positron emission"),
    ("cryo-EM", "冷冻电镜", "cryo-electron"),
    ("诺贝尔", "Nobel"),
    ("超声", "ultrasound"),
    ("香山科学会议", "Xiangshan Science Conference"),
    ("NSFC", "国家自然科学基金", "National Natural Science Foundation"),
)


def search_synonyms() -> dict[str, list[str]]:
    """Each term of SEARCH_SYNONYMS, lower-cased as the search page looks a query up, with its group
    (the term first, then the others in their declared order)."""
    found: dict[str, list[str]] = {}
    for group in SEARCH_SYNONYMS:
        for term in group:
            key = " ".join(term.split()).lower()
            if key in found or len(group) < 2 or term != " ".join(term.split()):
                raise ValueError(f"SEARCH_SYNONYMS: {term!r} is listed twice, alone or with extra spaces")
            found[key] = [term] + [t for t in group if t != term]
    return found
