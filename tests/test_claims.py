"""The claims ledger: every claim's computation on the real data, its status against the expected status
written with the claim in claims.yaml, the ledger's schema, bounds and coverage of the prose statements."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal

import pandas as pd
import pytest
import yaml
from biomedimg import paths, vocab
from biomedimg.data import rawdata
from biomedimg.data.interval import Interval
from biomedimg.data.translations import note_zh_problems
from biomedimg.outputs import claims
from conftest import ROOT


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {r["id"]: r for r in claims.evaluate_all()}


@pytest.fixture(scope="module")
def ledger() -> list[dict]:
    return claims.load_claims()


def test_every_claim_has_the_status_it_expects(ledger, results):
    wrong = [
        f"{c['id']}: expected {c['expected']}, got {results[c['id']]['status']} "
        f"(stated {results[c['id']]['stated']}, computed {results[c['id']]['computed_bounds']})"
        for c in ledger
        if results[c["id"]]["status"] != c["expected"]
    ]
    assert not wrong, "\n".join(wrong)


def test_metrics_count_every_status_of_the_vocabulary(results):
    counts = claims.metrics(list(results.values()))["claims"]
    assert list(counts) == ["total", *vocab.STATUSES]
    assert sum(counts[s] for s in vocab.STATUSES) == counts["total"] == len(results)
    one = claims.metrics([results["xiangshan_imaging_conferences"]])["claims"]
    assert one == {"total": 1, **{s: int(s == "pass") for s in vocab.STATUSES}}  # zero counts are kept
    assert sum(counts[s] for s in vocab.STATUSES) == counts["total"] == len(results)


def test_ledger_size_and_share_recomputed(results):
    assert len(results) >= 100
    derived = [r for r in results.values() if r["status"] != "not_derivable"]
    assert len(derived) / len(results) >= 0.45


def test_every_claim_quotes_its_statement_and_says_why(results):
    for r in results.values():
        assert r["quote_zh"] and r["section"] and r["unit"], r["id"]
        assert r["reason"].endswith(".") and r["note"].startswith(r["reason"]), r["id"]
        assert r["comparison"] in vocab.COMPARISONS or r["comparison"] == "range", r["id"]
        if r["status"] == "not_derivable":
            assert r["computed"] is None and r["computed_bounds"] is None
        else:
            assert r["computed_bounds"] is not None, r["id"]


HAN = re.compile("[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def test_every_claim_says_why_in_chinese_too(results):
    """The Chinese edition shows reason_zh/note_zh: every claim has them, in Chinese, built as the English."""
    for r in results.values():
        assert r["reason_zh"] and r["note_zh"], r["id"]
        assert r["reason_zh"].endswith("。") and r["note_zh"].startswith(r["reason_zh"]), r["id"]
        assert HAN.search(r["reason_zh"]) and r["reason_zh"] != r["reason"], r["id"]
        # The same numbers in both languages (a translation never changes one; the English may say
        # 7亿 as 700 million, translations.note_zh_problems).
        assert note_zh_problems(r["note"], r["note_zh"]) == [], r["id"]


def test_every_note_and_construction_has_a_faithful_chinese_version(ledger):
    """note_zh/construction_zh keep every number and every Chinese word of the English sentence."""
    pairs = [(c["id"], c[k], c[f"{k}_zh"]) for c in ledger for k in ("note", "construction") if k in c]
    assert len(pairs) >= 90
    for cid, en, zh in pairs:
        assert HAN.search(zh) and zh.endswith("。"), cid
        assert note_zh_problems(en, zh) == [], (cid, en, zh)
        assert all(word in zh for word in HAN.findall(en)), (cid, en, zh)
        for name in re.findall(r"\b\w+\.(?:csv|yaml)\b|https?://\S+", en):
            assert name.rstrip(".,)") in zh, (cid, name)


def test_no_claim_passes_on_data_built_to_fit_it(ledger, results):
    """A claim on Figure 1's reconstructed list or on ranks inferred from the printed order never passes."""
    built = {c["id"] for c in ledger if c.get("construction")}
    assert {cid for cid in results if cid.startswith("nobel_")} <= built
    assert {"pubs_2019_germany_rank", "pubs_2019_japan_rank", "pubs_2019_uk_rank"} <= built
    assert all(results[cid]["status"] in ("by_construction", "fail") for cid in built)


# ------------------------------------------------------------------------------------ the schema


def test_claims_file_meets_its_schema():
    with open(ROOT / paths.CLAIMS_FILE, encoding="utf-8") as fh:
        assert claims.schema_errors(yaml.safe_load(fh)) == []


def test_schema_vocabularies_are_the_package_vocabularies():
    schema = claims.claims_schema()
    assert schema["$defs"]["status"]["enum"] == list(vocab.STATUSES)
    assert schema["$defs"]["comparison"]["enum"] == list(vocab.COMPARISONS)
    assert set(schema["$defs"]["function"]["enum"]) == set(claims.COMPUTE)


def test_schema_reports_every_broken_claim_in_one_run(tmp_path):
    shutil.copytree(ROOT / "workflow" / "schemas", tmp_path / "workflow" / "schemas")
    (tmp_path / "data" / "claims").mkdir(parents=True)
    bad = {
        "claims": [
            {"id": "a", "statement": "x", "expected": "maybe"},
            {
                "id": "b",
                "statement": "x",
                "expected": "by_construction",
                "compute": "row_count",
                "compare": "equals",
            },
            {
                "id": "c",
                "statement": "x",
                "expected": "pass",
                "compute": "no_such_function",
                "compare": "equals",
            },
            {"id": "d", "statement": "x", "expected": "pass", "compute": "row_count"},
            {"id": "e", "statement": "x", "expected": "pass"},
            {"id": "a", "statement": "x", "expected": "not_derivable"},
        ]
    }
    (tmp_path / paths.CLAIMS_FILE).write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(ValueError) as err:
        claims.load_claims(tmp_path)
    lines = str(err.value).splitlines()
    for expected in (
        "claim 1 (a) expected: 'maybe' is not one of",
        "claim 2 (b) (claim): 'construction' is a required property",
        "claim 3 (c) compute: 'no_such_function' is not one of",
        "claim 4 (d) (claim): 'compare' is a required property",
        "claim 5 (e) expected: 'not_derivable' was expected",
        "duplicate claim ids ['a']",
    ):
        assert any(expected in line for line in lines), (expected, lines)
    assert all(line.startswith(str(paths.CLAIMS_FILE)) for line in lines)


def test_schema_wants_each_sentence_in_both_languages(tmp_path):
    """note iff note_zh, construction iff construction_zh; the Chinese is Chinese, in ASCII digits."""
    shutil.copytree(ROOT / "workflow" / "schemas", tmp_path / "workflow" / "schemas")
    (tmp_path / "data" / "claims").mkdir(parents=True)
    cited = {"statement": "x", "expected": "not_derivable"}
    built = {"statement": "x", "expected": "by_construction", "compute": "row_count", "compare": "equals"}
    english = "The items are not listed in the review."
    chinese = "综述没有列出这些条目."
    doc = {
        "claims": [
            {"id": "both", **cited, "note": english, "note_zh": chinese},
            {"id": "note_only", **cited, "note": english},
            {"id": "zh_only", **cited, "note_zh": chinese},
            {"id": "construction_only", **built, "construction": english},
            {
                "id": "construction_zh_only",
                **built,
                "construction_zh": chinese,
                "note": english,
                "note_zh": chinese,
            },
            {"id": "not_chinese", **cited, "note": english, "note_zh": english},
            {"id": "full_width", **cited, "note": english, "note_zh": "综述没有列出这１０个条目."},
        ]
    }
    (tmp_path / paths.CLAIMS_FILE).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError) as err:
        claims.load_claims(tmp_path)
    lines = str(err.value).splitlines()
    for expected in (
        "claim 2 (note_only) (claim): 'note_zh' is a dependency of 'note'",
        "claim 3 (zh_only) (claim): 'note' is a dependency of 'note_zh'",
        "claim 4 (construction_only) (claim): 'construction_zh' is a dependency of 'construction'",
        "claim 5 (construction_zh_only) (claim): 'construction' is a dependency of 'construction_zh'",
        f"claim 6 (not_chinese) note_zh: '{english}' does not match",
        "claim 7 (full_width) note_zh: full-width character U+FF11 FULLWIDTH DIGIT ONE at character 8",
    ):
        assert sum(expected in line for line in lines) == 1, (expected, lines)
    assert not any("claim 1 (both)" in line for line in lines), lines


def fake_data(tmp_path, **statement) -> claims.Data:
    """Raw data for synthetic claims: a dataset 'things' of 5 rows and one prose statement 's'."""
    data = claims.Data(tmp_path)  # no prose_translations there, so no English quote
    data._cache["things"] = pd.DataFrame({"n": range(5)})
    data._sources["things"] = "review_table"  # printed apart from every sentence, as a table is
    row = {"id": "s", "section": "2.1", "quote_zh": "原文", "value": "5", "value_upper": None}
    data._cache["prose_statements"] = pd.DataFrame(
        [{**row, "unit": "count", "qualifier": "exact", "source_url": "", **statement}]
    )
    return data


COUNT = {"compute": "row_count", "args": {"dataset": "things"}}
SUM = {"compute": "statement_sum", "args": {"terms": ["s"]}}  # 's' as an input: at least its value


@pytest.mark.parametrize(
    "claim, statement, status, zh, en",
    [
        (
            {**COUNT, "compare": "equals"},
            {},
            "pass",
            "数据给出5，等于5，与陈述相符。",
            "The data give 5, equal to 5 as stated.",
        ),
        (
            {**SUM, "compare": "equals"},
            {},
            "self_consistent",
            "数据给出5，等于5，但这些数据都出自该句所在的第2.1节：原文自洽，并非独立证据。",
            "The data give 5, equal to 5 as stated, but all of it comes from the sentence's own section (2.1) "
            "of the review: the review agrees with itself, which is no independent evidence.",
        ),
        (
            {**COUNT, "compare": "more_than", "stated": 7},
            {},
            "fail",
            "数据给出5，并非超过7，与陈述不符。",
            "The data give 5, not more than 7.",
        ),
        (
            {**SUM, "compare": "more_than", "stated": 4},
            {"qualifier": "at_least", "value": "3"},
            "inconclusive",
            "数据给出不少于3，无法判定是否超过4。",
            "The data give at least 3, which cannot decide whether it is more than 4.",
        ),
        (
            {**COUNT, "compare": "about", "tolerance": 0.1, "stated": 4.8},
            {},
            "pass",
            "数据给出5，约4.8（误差在10%以内），与陈述相符。",
            "The data give 5, about 4.8 (within 10%) as stated.",
        ),
        (
            {**COUNT, "compare": "range"},
            {"qualifier": "range", "value": "6", "value_upper": "9"},
            "fail",
            "数据给出5，并非介于6和9之间，与陈述不符。",
            "The data give 5, not between 6 and 9.",
        ),
        (
            {
                **COUNT,
                "compare": "equals",
                "construction": "Chosen to fit.",
                "construction_zh": "为符合陈述而选取.",
            },
            {},
            "by_construction",
            "为符合陈述而选取.",
            "Chosen to fit.",
        ),
        (
            {},
            {"source_url": "https://example.org/x"},
            "not_derivable",
            "综述仅引用了这一数字（https://example.org/x）；本项目没有可以重算它的数据。",
            "Only cited by the review (https://example.org/x); the project holds no data to recompute it.",
        ),
        (
            {"note": "Not listed in the review.", "note_zh": "综述没有列出。"},
            {},
            "not_derivable",
            "综述没有列出。",
            "Not listed in the review.",
        ),
    ],
    ids=[
        "pass",
        "self_consistent",
        "fail",
        "inconclusive",
        "about",
        "range",
        "by_construction",
        "not_derivable",
        "cited_note",
    ],
)
def test_each_status_says_why_in_both_languages(tmp_path, claim, statement, status, zh, en):
    r = claims.evaluate({"id": "c", "statement": "s", **claim}, fake_data(tmp_path, **statement))
    assert r["status"] == status
    assert (r["reason_zh"], r["note_zh"]) == (zh, zh) and (r["reason"], r["note"]) == (en, en)


def test_a_note_follows_the_reason_in_each_language(tmp_path):
    claim = {"id": "c", "statement": "s", **COUNT, "compare": "equals"}
    noted = {**claim, "note": "Counted by year.", "note_zh": "按年份计数。"}
    r = claims.evaluate(noted, fake_data(tmp_path))
    assert r["note"] == "The data give 5, equal to 5 as stated. Counted by year."
    assert r["note_zh"] == "数据给出5，等于5，与陈述相符。按年份计数。"  # no space after 。
    # A note not translated (the schema refuses it in claims.yaml): no Chinese rather than half of it.
    r = claims.evaluate({**claim, "note": "Counted by year."}, fake_data(tmp_path))
    assert (r["reason_zh"], r["note_zh"]) == ("", "") and r["note"].endswith("Counted by year.")


@pytest.mark.parametrize(
    "value, zh",
    [
        (Interval.exact(Decimal("7.083274")), "7.083274"),
        (Interval.at_least(Decimal("1.582803")), "不少于1.582803"),
        (Interval.at_most(3), "不超过3"),
        (Interval(0, 3000), "介于0和3000之间"),
        (Interval(None, None), "无界"),
    ],
    ids=["exact", "at_least", "at_most", "between", "unbounded"],
)
def test_computed_values_in_words_reuse_the_comparison_vocabulary(value, zh):
    assert claims.value_words(value, "zh") == zh and claims.value_words(value, "en") == str(value)


# -------------------------------------------------------------------------------------- coverage


def test_every_statement_is_a_claim_or_says_why_not(ledger):
    statements = rawdata.load("prose_statements")
    claimed = {c["statement"] for c in ledger}
    assert claimed <= set(statements["id"]), "a claim names a statement that does not exist"
    for row in statements.itertuples(index=False):
        reason = row.not_a_claim_reason or ""
        assert (row.id in claimed) != bool(reason), f"{row.id}: a claim xor a not_a_claim_reason"
        assert not reason or reason in vocab.NOT_A_CLAIM_REASONS, row.id


def test_not_a_claim_vocabulary_is_the_schema_vocabulary():
    schema = yaml.safe_load((ROOT / paths.raw_schema("prose_statements")).read_text(encoding="utf-8"))
    field = next(f for f in schema["fields"] if f["name"] == "not_a_claim_reason")
    assert field["constraints"]["enum"] == list(vocab.NOT_A_CLAIM_REASONS)


def test_counts_of_listed_items_come_from_the_transcribed_lists(results, ledger):
    """Every transcribed list is counted by its claim; a claim checked against a source outside the
    review instead (a list the review prints is no independent evidence) gets from its source the number
    of items the review lists."""
    listed = rawdata.load("prose_enumerations")
    counted = [c for c in ledger if c.get("compute") == "listed_items"]
    sourced = [c for c in ledger if c["statement"] in set(listed["statement"]) and c.get("evidence")]
    assert {c["args"]["statement"] for c in counted} | {c["statement"] for c in sourced} == set(
        listed["statement"]
    )
    assert {c["id"] for c in sourced} == {
        "instrument_special_task_types",
        "nsfc_instrument_types",
        "nstc_committees",
        "programme_mlp_major_research_programmes",
    }
    for c in counted + sourced:
        items = listed[listed["statement"] == c["statement"]]
        assert list(items["position"]) == list(range(1, len(items) + 1)), c["id"]
        assert results[c["id"]]["computed"] == len(items), c["id"]
    assert results["awards_top10_progress_count"]["computed"] == 7
    assert results["awards_news_structure_count"]["computed"] == 6


def test_the_half_century_statement_is_transcribed():
    statements = rawdata.load("prose_statements").set_index("id")
    row = statements.loc["innovation_tools_half_century"]
    assert row["quote_zh"].startswith("近半个世纪以来") and row["quote_zh"].endswith("创新工具")
    assert row["not_a_claim_reason"] == "round_figure"


# ---------------------------------------------------------------------------------------- bounds


def test_interval_arithmetic_and_undecided_comparisons():
    a = Interval.exact(Decimal("3")) + Interval.at_least(Decimal("2"))
    assert (a.lo, a.hi) == (5, None) and str(a) == "at least 5"
    assert a.gt(4) is True and a.gt(5) is None and a.gt(6) is None
    assert a.lt(5) is False and a.le(7) is None and a.ge(5) is True
    assert Interval(1, 2).within(0, 3) is True and Interval(1, 2).within(3, 4) is False
    assert Interval(1, 5).within(2, 3) is None
    d = Interval.exact(10) - Interval(1, 2)
    assert (d.lo, d.hi) == (8, 9)
    with pytest.raises(ValueError, match="empty interval"):
        Interval(2, 1)


def test_comparisons_return_none_when_bounds_cannot_decide():
    assert claims.compare("more_than", 7.08, 7) and not claims.compare("more_than", 7, 7)
    assert claims.compare("at_least", 3, 3) and not claims.compare("at_least", 2, 3)
    assert claims.compare("about", 0.3333, 1 / 3, 0.05) and not claims.compare("about", 0.4, 1 / 3, 0.05)
    assert claims.compare("more_than", Interval.at_least(1.58), 1.6) is None
    assert claims.compare("more_than", Interval.at_least(7.08), 7) is True
    assert claims.compare("more_than", Interval(0, 1.5), 1.6) is False
    assert claims.compare("equals", Interval(0, 3000), 1000) is None
    assert claims.compare("range", 5, 1, 0, upper=8) and not claims.compare("range", 9, 1, 0, upper=8)
    with pytest.raises(ValueError, match="unknown comparison"):
        claims.compare("roughly", 1, 1)


def test_direct_cost_only_funding_is_a_lower_bound(results):
    data = claims.Data()
    major = data["nsfc_major_projects"]
    assert set(major.loc[major["direct_cost_only"], "year"]) == {y for y in major["year"] if y >= 2015}
    r = results["nsfc_major_funding"]
    assert r["status"] == "inconclusive" and r["stated"] == 1.6 and r["comparison"] == "more_than"
    assert r["computed"] is None and r["computed_bounds"] == [1.582803, None]
    assert "direct cost only" in r["note"] and "¥168.2803 million" in r["note"]
    r = results["nsfc_instrument_funding"]
    assert r["status"] == "pass" and r["computed_bounds"] == [7.083274, None]
    exact = claims.funding_sum_100m_cny(data, "nsfc_major_projects", end=2014)
    assert exact.is_exact and exact.lo == Decimal("0.6")  # 2010, 2011, 2011, 2013: full cost printed
    # Table 3 alone cannot decide the direct-cost threshold of department-recommended projects (its
    # projects before 2015 print the full cost, a bound from above); an outside source states it.
    bounds = claims.min_direct_cost(data, "nsfc_instrument_projects")
    assert (bounds.lo, bounds.hi) == (0, 3000)
    r = results["nsfc_instrument_recommended_threshold"]
    assert (r["status"], r["computed"]) == ("pass", 1000)
    assert r["external_evidence"][0] == "nsfc_instrument_dept_direct_cost_2019"


def test_more_than_figures_used_as_inputs_stay_bounds():
    data = claims.Data()
    total = claims.statement_sum(data, ["nsfc_instrument_funding", "nsfc_major_funding"])
    assert (float(total.lo), total.hi) == (8.6, None)
    assert claims.compare("more_than", total, 8) is True and claims.compare("more_than", total, 9) is None
    with pytest.raises(ValueError, match="only a bound"):
        claims.statement_ratio(data, "nsfc_instrument_funding", "nsfc_major_funding")


@pytest.mark.parametrize(
    "cid, computed",
    [
        ("xiangshan_imaging_conferences", 25),
        ("xiangshan_since_year", 1995),
        ("cast_societies", 29),
        ("cast_subcommittees", 65),
        ("nsfc_instrument_count", 11),
        ("nsfc_instrument_dept_health", 6),
        ("nsfc_instrument_started_12th_fyp", 9),
        ("nsfc_major_2010_funding", 1000),
        ("nsfc_major_count_after_2010", 9),
        ("nsfc_instrument_period_years", 8),
        ("nsfc_group_awards_first_year", 2001),
        ("nsfc_group_awards_last_year", 2019),
        ("nsfc_major_started_13th_fyp", 6),
        ("nsfc_groups_count", 10),
        ("nsfc_groups_dept_chemistry", 4),
        ("nsfc_groups_renewed_3to6", 6),
        ("nsfc_groups_renewed_6to9", 2),
        ("nsfc_group_awards_count", 18),
        ("nsfc_group_awards_period_years", 19),
        ("nsfc_group_awards_12th_fyp", 8),
        ("nobel_fig1_prizes", 32),
        ("nobel_nmr_physics", 3),
        ("nobel_nmr_chemistry", 2),
        ("nobel_nmr_medicine", 1),
        ("pubs_2019_china_vs_us", 0.333333),
        ("pubs_2019_china_rank", 2),
        ("patents_china_lag_years", 5),
        ("nibib_lobbying_years", 5),
    ],
)
def test_computed_values_on_real_data(results, cid, computed):
    assert results[cid]["computed"] == pytest.approx(computed)


def test_a_data_edit_that_breaks_a_claim_names_it(tmp_path):
    shutil.copytree(ROOT / "workflow" / "schemas", tmp_path / "workflow" / "schemas")
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("dvc-remote"))
    for p in (tmp_path / "data" / "raw").iterdir():
        p.chmod(0o644)
    conf = tmp_path / "data" / "raw" / "xiangshan_conferences.csv"
    lines = conf.read_text(encoding="utf-8").splitlines(keepends=True)
    conf.write_text("".join(lines[:-1]), encoding="utf-8")  # drop conference 25
    results = {r["id"]: r for r in claims.evaluate_all(tmp_path)}
    r = results["xiangshan_imaging_conferences"]
    assert (r["status"], r["stated"], r["computed"]) == ("fail", 25, 24)


def test_claims_json_matches_the_ledger(built, ledger):
    data = json.loads((built / paths.CLAIMS_JSON).read_text(encoding="utf-8"))
    keys = {
        "id",
        "section",
        "quote_zh",
        "quote_en",
        "comparison",
        "stated",
        "unit",
        "computed",
        "status",
        "reason",
        "reason_zh",
        "note",
        "note_zh",
    }
    assert all(keys <= set(c) for c in data["claims"])
    assert all(c["note_zh"] for c in data["claims"])
    header = (built / paths.CLAIMS_CSV).read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"reason", "reason_zh", "note", "note_zh"} <= set(header)
    expected = {c["id"]: c["expected"] for c in ledger}
    assert {c["id"]: c["status"] for c in data["claims"]} == expected
    metrics = json.loads((built / paths.METRICS).read_text(encoding="utf-8"))
    statuses = list(expected.values())
    assert metrics["claims"] == {"total": len(statuses), **{s: statuses.count(s) for s in vocab.STATUSES}}
    assert metrics["rows"]["xiangshan_conferences"] == 25 and metrics["rows"]["cast_subcommittees"] == 65


def test_every_claim_carries_its_english_quote_and_comparison(results):
    """The book says 'more than 7亿 / more than 700 million yuan' from quote_en, comparison and stated."""
    assert all(r["quote_en"] for r in results.values())
    r = results["nsfc_instrument_funding"]
    assert (r["comparison"], r["stated"], r["unit"]) == ("more_than", 7, "100M CNY")
    assert "700 million" in r["quote_en"]
    assert results["market_size_2020"]["comparison"] == "range"
    assert (results["market_size_2020"]["stated"], results["market_size_2020"]["stated_upper"]) == (
        6000,
        8000,
    )


# ------------------------------------------------------------ what kind of evidence a status rests on


def _printed_in(kind: str, name: str) -> tuple[str, set[str]]:
    """Where an input is printed, read straight from the raw files (not through claims.Data): its
    source type (meta.yaml) and, for the review's prose, the sections of the review."""
    if kind == "statement":
        statements = pd.read_csv(ROOT / paths.raw_csv("prose_statements"), dtype=str)
        return "review_prose", set(statements.loc[statements["id"] == name, "section"])
    if kind == "list":
        items = pd.read_csv(ROOT / paths.raw_csv("prose_enumerations"), dtype=str)
        return "review_prose", set(items.loc[items["statement"] == name, "section"])
    meta = yaml.safe_load((ROOT / paths.raw_meta(name)).read_text(encoding="utf-8"))
    return meta["source"]["type"], set()


def test_pass_and_self_consistent_follow_where_the_inputs_are_printed(ledger, results):
    """Every claim that agrees with its data: self_consistent exactly when each input it reads is the
    review's prose printed in its own sentence's section; pass only when some input stands apart."""
    data = claims.Data()
    agreeing = [c for c in ledger if c.get("compute") and not c.get("construction")]
    derived = {}
    for c in agreeing:
        with data.tracing() as inputs:
            claims.COMPUTE[c["compute"]](data, **c.get("args", {}))
        section = results[c["id"]]["section"]
        where = [_printed_in(kind, name) for kind, name in inputs]
        own = all(source == "review_prose" and sections == {section} for source, sections in where)
        derived[c["id"]] = "self_consistent" if own else "pass"
    decided = {cid: s for cid, s in derived.items() if results[cid]["status"] in ("pass", "self_consistent")}
    assert {cid: results[cid]["status"] for cid in decided} == decided
    assert {cid: next(c["expected"] for c in ledger if c["id"] == cid) for cid in decided} == decided
    # Both kinds occur: counted lists and the review's own arithmetic, and tables.
    assert results["patents_top_countries"]["status"] == "self_consistent"
    assert results["pubs_2019_china_vs_us"]["status"] == "self_consistent"
    assert results["xiangshan_imaging_conferences"]["status"] == "pass"
    # The 5 areas of recommendation are counted from the headings of sections 4.1-4.5, apart from
    # the sentence in section 4 that counts them.
    assert results["recommendation_areas"]["status"] == "pass"


def test_no_pass_rests_on_its_own_sentence_alone(results):
    for r in results.values():
        if r["status"] in ("pass", "fail") and r["computed_bounds"] is not None:
            apart = [
                e for e in r["evidence"] if e["source"] != "review_prose" or e["sections"] != [r["section"]]
            ]
            assert apart, f"{r['id']}: {r['status']} with every input from section {r['section']}"
        if r["status"] == "self_consistent":
            assert r["evidence"] and all(e["sections"] == [r["section"]] for e in r["evidence"]), r["id"]


def _two_statements(tmp_path, t_section: str) -> claims.Data:
    data = claims.Data(tmp_path)
    base = {"quote_zh": "原文", "value": "5", "value_upper": None, "unit": "count", "qualifier": "exact"}
    data._cache["prose_statements"] = pd.DataFrame(
        [{**base, "id": "s", "section": "2.1", "source_url": ""}, {**base, "id": "t", "section": t_section}]
    )
    data._sources["prose_statements"] = "review_prose"
    return data


@pytest.mark.parametrize("t_section, status", [("2.1", "self_consistent"), ("3.1", "pass")])
def test_the_section_an_input_is_printed_in_decides_the_status(tmp_path, t_section, status):
    """The same arithmetic on a number printed in the sentence's own section, or in another one."""
    claim = {
        "id": "c",
        "statement": "s",
        "compute": "statement_sum",
        "args": {"terms": ["t"]},
        "compare": "equals",
    }
    r = claims.evaluate(claim, _two_statements(tmp_path, t_section))
    assert r["status"] == status
    assert r["evidence"] == [{"input": "statement:t", "source": "review_prose", "sections": [t_section]}]


@pytest.mark.parametrize("sections, status", [(["2.1", "2.1"], "self_consistent"), (["2.1", "4.1"], "pass")])
def test_a_listed_item_printed_in_another_section_makes_a_count_independent(tmp_path, sections, status):
    data = _two_statements(tmp_path, "2.1")
    data._cache["prose_enumerations"] = pd.DataFrame(
        {"statement": ["s", "s"], "position": [1, 2], "section": sections, "item_zh": ["甲", "乙"]}
    )
    claim = {
        "id": "c",
        "statement": "s",
        "compute": "listed_items",
        "args": {"statement": "s"},
        "compare": "equals",
    }
    r = claims.evaluate({**claim, "stated": 2}, data)
    assert (r["status"], r["computed"]) == (status, 2)


def test_prose_read_as_a_whole_is_refused(tmp_path):
    """A function that reads the prose without saying which statement would hide where it is printed."""
    data = _two_statements(tmp_path, "2.1")
    with pytest.raises(
        ValueError, match="prose_statements is the review's prose: read it through Data.stated"
    ):
        with data.tracing():
            data["prose_statements"]


def test_headline_counts_agree_on_the_home_page_the_ledger_and_metrics(built):
    metrics = json.loads((built / paths.METRICS).read_text(encoding="utf-8"))["claims"]
    independent = sum(metrics[s] for s in vocab.INDEPENDENT)
    assert independent == metrics["pass"] + metrics["fail"] and metrics["self_consistent"] > 0

    def text(lang, page):
        html = (built / "book" / "_build" / "html" / lang / f"{page}.html").read_text(encoding="utf-8")
        return " ".join(re.sub(r"<[^>]+>", "", html).split())

    for lang in ("zh", "en"):
        home, ledger_page = text(lang, "index"), text(lang, "claims")
        for status, (zh, _en) in vocab.STATUSES.items():
            n = metrics[status]
            label = (
                zh
                if lang == "zh"
                else {"self_consistent": "self-consistent"}.get(status, status.replace("_", " "))
            )
            assert f"{n} {label}" in home, (lang, status)  # the home page's key findings
            assert f"{label} ({n})" in ledger_page, (lang, status)  # the ledger's status filter
        headline = (
            f"其中 {independent} 条论断与独立于原句的证据"
            if lang == "zh"
            else f"Of these, {independent} claims were checked against evidence independent"
        )
        assert headline in ledger_page, lang
        findings = (
            f"{independent} 个与独立于原句的证据"
            if lang == "zh"
            else f"{independent} against evidence independent of their sentence"
        )
        assert findings in home, lang
