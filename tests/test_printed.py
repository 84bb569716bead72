"""Numbers as the review prints them (biomedimg.site.printed): computed values rounded to the precision of
the stated value, and the number a claim checks found in its quote."""

from __future__ import annotations

from decimal import Decimal

import pytest
from biomedimg.site.printed import mark_number, round_as_printed, zh_number

# ----------------------------------------------------------------------------------- rounding


@pytest.mark.parametrize(
    ("value", "stated", "bound", "shown"),
    [
        (7.083274, 7, "", "7.08"),  # stated 7亿 → 7.08亿
        (7.083274, 7, "lower", "7.08"),
        (1.582803, 1.6, "", "1.583"),  # one decimal stated → three shown
        (1.582803, 1.6, "lower", "1.582"),  # a lower bound is rounded down: "at least 1.582" stays true
        (1.582803, 1.6, "upper", "1.583"),
        (3.776, 3.9, "", "3.776"),  # no more digits than the value has
        (2.24, 2, "", "2.24"),
        (25, 25, "", "25"),
        (0.246746, "1/4", "", "0.247"),  # a fraction as printed
        (7.0004, 7, "", "7.0004"),  # rounding would make it look equal to the stated 7: digits kept
        (6.9996, 7, "", "6.9996"),  # (rounded, 7.00 would read as the stated 7)
        (6.9996, 7, "lower", "6.99"),  # "at least 6.99": true, and not the stated 7
        (708.3274, 700, "", "708.33"),
    ],
)
def test_round_as_printed(value, stated, bound, shown):
    assert round_as_printed(value, stated, bound) == Decimal(shown)
    assert str(round_as_printed(value, stated, bound)) == shown


def test_round_as_printed_leaves_what_is_no_number():
    assert round_as_printed(None, 7) is None
    assert round_as_printed("n/a", 7) is None


def test_the_ledger_shows_the_rounded_value_and_keeps_the_exact_one():
    from biomedimg.site import components

    claim = {
        "id": "x",
        "status": "pass",
        "section": "2.1",
        "stated": 7,
        "unit": "100M CNY",
        "comparison": "more_than",
        "computed": None,
        "computed_bounds": [7.083274, None],
        "quote_zh": "经费总和超过7亿元",
    }
    assert components.computed_words(claim, "zh", as_printed=True) == "不少于7.08亿元"
    assert components.computed_words(claim, "zh") == "不少于7.083274亿元"
    zh = components.claims_ledger([claim], "zh")
    assert '<span class="computed-value" title="精确值：不少于7.083274亿元">不少于7.08亿元</span>' in zh
    en = components.claims_ledger([claim], "en")
    assert 'title="Exact value: at least 708.3274 million yuan">at least 708 million yuan</span>' in en


# ------------------------------------------------------------------------ numbers in a quote


def marked(quote, *args, **kwargs):
    span = mark_number(quote, *args, **kwargs)
    return None if span is None else quote[span[0] : span[1]]


Q_NSFC = "十年间共支持了11项生物医学影像领域的仪器研制工作, 占总立项数的1/5, 经费总和超过7亿元"
Q_DEPTS = "在这11个项目中, 医学科学部占6项, 生命科学部占2项, 化学、数理和信息科学部各占1项(表3)"


@pytest.mark.parametrize(
    ("quote", "stated", "unit", "comparison", "expected"),
    [
        (Q_NSFC, 11, "count", "equal", "11项"),
        (Q_NSFC, 7, "100M CNY", "more_than", "7亿元"),
        (Q_NSFC, "1/5", "fraction", "equal", "1/5"),
        (Q_NSFC, 10, "years", "at_most", "十年"),  # Chinese numerals
        (Q_DEPTS, 1, "count", "equal", "1项"),  # not the 1 of 11
        (Q_DEPTS, 2, "count", "equal", "2项"),
        (
            "另有十余次生物医学领域主题的香山科学会议涉及到生物医学影像议题",
            10,
            "count",
            "more_than",
            "十余次",
        ),
        ("我国的发文量(14万篇)排名第二", 2, "rank", "rank", "第二"),
        ("我国的发文量(14万篇)排名第二", 14, "10k papers", "equal", "14万篇"),
        ("在光学成像、磁共振成像、超声成像和电镜领域的专利申请量排名第 二", 2, "rank", "rank", "第 二"),
        ("约等于排名第一的美国发文量(42万篇)的1/3", 1, "rank", "rank", "第一"),  # not the 1 of 1/3
        ("不及美国或英国的1/3、日本的1/4、韩国的1/6", "1/4", "fraction", "less_than", "1/4"),
        ("每年2万多人参加的西部光子学会议", 2, "10k people", "more_than", "2万多人"),
        ("美国NIBIB在2019财年的预算是3.90亿美元", 3.9, "100M USD", "equal", "3.90亿美元"),
        ("近年来每年发表的论文近千篇", 1000, "papers/year", "about", "千篇"),
        ("2016年12月, 九部委联合发布《国家重大科技基础设施建设“十三五”规划》", 9, "count", "equal", "九部"),
        ("其中“十五”1项, “十一五”5项, “十二五”8项, “十三五”4项", 5, "count", "equal", "5项"),  # not 十一五
        ("总有1~2个指标是弱项", 1, "count", "range", "1~2个"),
        # The same number twice: the words beside it tell which (以下 / 以上).
        (
            "分为自由申请(直接经费1000万以下)和部门推荐(直接经费1000万以上)两大类型",
            1000,
            "10k CNY",
            "less_than",
            "1000万",
        ),
    ],
)
def test_mark_number_finds_the_printed_number(quote, stated, unit, comparison, expected):
    kwargs = {"stated_upper": 2} if comparison == "range" else {}
    assert marked(quote, stated, unit, comparison=comparison, **kwargs) == expected


def test_mark_number_tells_two_printings_apart_by_their_qualifier():
    quote = "分为自由申请(直接经费1000万以下)和部门推荐(直接经费1000万以上)两大类型"
    less = mark_number(quote, 1000, "10k CNY", comparison="less_than")
    more = mark_number(quote, 1000, "10k CNY", comparison="more_than")
    assert less and more and less[0] < more[0]
    assert quote[more[1] :].startswith("以上")


@pytest.mark.parametrize(
    ("quote", "stated", "unit", "comparison"),
    [
        (
            "从中可以看出, CT、光学成像等类型多次获得诺贝尔奖",
            2,
            "times",
            "at_least",
        ),  # 多次: no number printed
        ("近半个世纪以来, 推动现代科学发展的主要力量已经由创新思想逐渐演变为创新工具", 50, "years", "about"),
        ("美国加州大学以9.7万篇雄踞榜首", 1, "rank", "rank"),
        ("十年间共支持了11项", 1, "count", "equal"),  # 1 only inside 11
        ("经费总和超过7亿元", 7, "10k CNY", "more_than"),  # 7亿 is not 7万
        ("科学基金对生物医学影像资助最大的一块", 1, "rank", "rank"),  # 一块 is no rank
        ("", 3, "count", "equal"),
        ("3个", None, "count", "equal"),
    ],
)
def test_mark_number_marks_nothing_it_cannot_find(quote, stated, unit, comparison):
    assert mark_number(quote, stated, unit, comparison=comparison) is None


def test_the_same_number_twice_with_nothing_to_tell_them_apart_is_not_marked():
    assert mark_number("前3项与后3项", 3, "count", comparison="equal") is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("两", 2),
        ("百", 100),
        ("一百二十", 120),
        ("二〇一九", 2019),
        ("三万五千", 35000),
        ("十一五", None),
    ],
)
def test_chinese_numerals(text, number):
    assert zh_number(text) == number


def test_the_ledger_marks_the_number_and_keeps_the_quote_as_printed():
    from biomedimg.site import components

    hostile = "<b>11项</b> & 7亿元"
    claim = {
        "id": "x",
        "status": "pass",
        "section": "2.1",
        "stated": 11,
        "unit": "count",
        "comparison": "equals",
        "computed": 11,
        "quote_zh": hostile,
        "quote_en": "11 <i>items</i>",
    }
    zh = components.claims_ledger([claim], "zh")
    assert '<q lang="zh">&lt;b&gt;<mark class="claim-number">11项</mark>&lt;/b&gt; &amp; 7亿元</q>' in zh
    en = components.claims_ledger([claim], "en")
    # The English edition marks the number in the Chinese original; the translation is left as it is.
    assert '<q lang="en">11 &lt;i&gt;items&lt;/i&gt;</q>' in en
    assert '<q lang="zh">&lt;b&gt;<mark class="claim-number">11项</mark>&lt;/b&gt; &amp; 7亿元</q>' in en
    assert en.count("<mark") == 1 and zh.count("<mark") == 1
    unmarked = components.claims_ledger([dict(claim, stated=12)], "zh")
    assert "<mark" not in unmarked and '<q lang="zh">&lt;b&gt;11项&lt;/b&gt; &amp; 7亿元</q>' in unmarked
