"""External evidence (issue 19): facts published outside the review, kept as versioned raw data
(data/raw/external_evidence.csv), validated like every raw file, named by the claims they check, and
shown in both editions' ledgers with their quote, link and date."""

from __future__ import annotations

import csv
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml
from biomedimg import paths
from biomedimg.data import validate
from biomedimg.data.validate import RawDataError, url_problem
from biomedimg.outputs import claims
from biomedimg.site import components, printed
from conftest import ROOT
from test_components import Elements
from typography import zh_punctuation

NAME = "external_evidence"
CSV = ROOT / paths.raw_csv(NAME)
LABEL = str(paths.raw_csv(NAME))


def read_rows(path: Path = CSV) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


ROWS = read_rows()
LEDGER = claims.load_claims()
CHECKED = [c for c in LEDGER if c.get("evidence")]


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {r["id"]: r for r in claims.evaluate_all()}


# ----------------------------------------------------------------------------------- the data


def test_every_evidence_row_validates_and_is_used_by_a_claim():
    rows = validate.validate_all(NAME)
    assert len(rows) == len(ROWS) == 72
    used = {rid for c in CHECKED for rid in c["evidence"]}
    assert {r["id"] for r in rows} == used  # every row is used, and every id a claim names exists
    assert {r["kind"] for r in rows} == {"primary", "secondary"}
    assert all(r["quote"] and url_problem(r["url"]) is None for r in rows)


def test_rows_keep_the_research_pass_verbatim():
    """Quotes, URLs and printed values are the research pass's, never edited (the mirror pages'
    traditional characters with pinyin glosses included)."""
    by_id = {r["id"]: r for r in ROWS}
    ten = by_id["infra13_plan_ten_projects"]
    assert (
        ten["quote"]
        == "“十三五”時(shí)期,我國(guó)將優(yōu)先布局10個(gè)重大科技基礎(chǔ)設(shè)施建設(shè)項(xiàng)目。"
    )
    assert ten["mirror"] == "true" and ten["notes"].startswith("Mirror copy:")
    assert by_id["nsfc_instrument_free_app_cap_2014"]["value_printed"] == "1 000"
    assert by_id["researchers_per_million_china"]["value"] == "1317.5"
    assert by_id["researchers_per_million_china"]["value_printed"] == "1,317.5"
    assert by_id["usd_cny_2019_fed_g5a"]["url"] == "https://federalreserve.gov/releases/g5a/20210104"


def write_project(tmp_path: Path, edit_rows=None, edit_meta=None) -> Path:
    """The files validation reads for the dataset, copied under tmp_path, with edits."""
    for rel in (paths.raw_schema(NAME), paths.SIDECAR_SCHEMA, paths.raw_meta(NAME)):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    rows = read_rows()
    if edit_rows:
        edit_rows(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (tmp_path / paths.raw_csv(NAME)).write_text(out.getvalue(), encoding="utf-8")
    if edit_meta:
        meta_path = tmp_path / paths.raw_meta(NAME)
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        edit_meta(meta)
        meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return tmp_path


BROKEN = "https://www.whitehouse.gov/wp-content/uploads/2017/12/Roadmap-for-Medical-Ima-ging-Research.pdf"


@pytest.mark.parametrize(
    ("column", "bad", "rule"),
    [
        ("url", "ftp://example.org/x", "must be a web address starting with http:// or https://"),
        ("url", "www.nibib.nih.gov/about-nibib/budget", "must be a web address starting with http://"),
        ("url", BROKEN, "has a word broken by a hyphen (Ima-ging: a line break in the PDF"),
        (
            "url",
            "https://x.example.org/a?pf_ty-pe=3",
            "word broken by a hyphen in the query parameter 'pf_ty-pe'",
        ),
        ("quote", "", "a value is required"),
        ("as_of", "2018-13", "must be a real calendar date"),
        ("as_of", "FY2018", "must be a date written YYYY, YYYY-MM or YYYY-MM-DD"),
        ("retrieved", "2026-02-30", "date value must be a real calendar date (YYYY-MM-DD)"),
        ("kind", "tertiary", "value is not in the allowed vocabulary (primary, secondary)"),
    ],
)
def test_a_bad_cell_is_refused_with_file_line_and_column(tmp_path, capsys, column, bad, rule):
    def edit(rows):
        rows[2][column] = bad  # the record on line 4 (the header is line 1)

    root = write_project(tmp_path, edit)
    with pytest.raises(RawDataError) as exc:
        validate.validate_all(NAME, root)
    assert [str(p) for p in exc.value.problems] == [
        f"{LABEL}, line 4, column '{column}': {p.rule}" + (f" (found {bad!r})" if p.value is not None else "")
        for p in exc.value.problems
    ]
    assert len(exc.value.problems) == 1 and rule in exc.value.problems[0].rule
    # The command line says the same in one line, exit status 1, no traceback.
    assert validate.main([NAME], root=root) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"INVALID RAW DATA: {LABEL}, line 4, column '{column}': ")
    assert rule in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_every_problem_of_the_file_and_its_sidecar_in_one_run(tmp_path):
    def edit(rows):
        rows[0]["url"] = BROKEN
        rows[5]["quote"] = ""
        rows[9]["as_of"] = "2017-02-30"
        rows[10]["implied_how"] = ""  # a number read from the quote must say how
        rows[10]["implied"] = "3"

    def edit_meta(meta):
        meta["source"]["urls"][0] = BROKEN

    root = write_project(tmp_path, edit, edit_meta)
    with pytest.raises(RawDataError) as exc:
        validate.validate_all(NAME, root)
    lines = [str(p) for p in exc.value.problems]
    assert len(lines) == 4, lines  # the cross-row rule waits for the schema errors to be fixed
    assert lines[0].startswith(f"{LABEL}, line 2, column 'url': has a word broken by a hyphen (Ima-ging")
    assert lines[1] == f"{LABEL}, line 7, column 'quote': a value is required (found '')"
    assert lines[2].startswith(f"{LABEL}, line 11, column 'as_of': must be a real calendar date")
    assert lines[3].startswith(f"{paths.raw_meta(NAME)}: key source.urls.0: has a word broken by a hyphen")


def test_cross_row_rules_of_the_evidence(tmp_path):
    def edit(rows):
        rows[10]["implied"] = "3"  # implied without implied_how
        rows[3]["value"] = "70"  # below its lower bound 80 (nibib_extramural_share_fy2018)

    root = write_project(tmp_path, edit)
    with pytest.raises(RawDataError) as exc:
        validate.validate_all(NAME, root)
    assert [str(p) for p in exc.value.problems] == [
        f"{LABEL}, line 5, column 'value': is below the lower bound 80 (found '70')",
        f"{LABEL}, line 12, column 'implied_how': is required when implied has a value, and only then",
    ]


@pytest.mark.parametrize("name", paths.raw_names())
def test_every_sidecar_url_is_a_whole_web_address(name):
    """Two published sidecar URLs had a PDF line-break hyphen (pf_ty-pe, Ima-ging); they are joined."""
    meta = validate.validate_sidecar(name)
    assert all(url_problem(u) is None for u in meta["source"]["urls"]), name


def test_url_rule_keeps_real_hyphens():
    for url in (
        "https://www.whitehouse.gov/wp-content/uploads/2017/12/Roadmap-for-Medical-Imaging-Research.pdf",
        "http://knoema.com/atlas/APEC/ranks/Number-of-researchers-in-RandD?mode=amp",
        "https://www.nobelprize.org/about/developer-zone-2/",
        "https://www.spiedigitallibrary.org/journals/Special-Section-Guest-Editorial--Photons-Plus-Ultrasound--Imaging",
        "https://app.ma.scrmtech.com/resources/ResourcePc/resourcePcInfo?pf_uid=14034_1634&pf_type=3",
    ):
        assert url_problem(url) is None, url


def test_exchange_rate_shows_both_rates_and_keeps_the_project_rate():
    rate = validate.validate_table("exchange_rates")
    assert [(r["year"], str(r["rate"])) for r in rate] == [(2019, "6.8985")]
    meta = validate.validate_sidecar("exchange_rates")
    assert "https://federalreserve.gov/releases/g5a/20210104" in meta["source"]["urls"]
    assert not any("suiyishop" in u for u in meta["source"]["urls"])
    note = " ".join(meta["transcription_notes"])
    assert "6.9081" in note and "6.8985" in note and "usd_cny_2019_fed_g5a" in note


# --------------------------------------------------------------------------------- the claims


def test_externally_checked_claims_have_their_expected_status(results):
    assert len(CHECKED) == 57
    for c in CHECKED:
        r = results[c["id"]]
        assert r["status"] == c["expected"], c["id"]
        assert r["evidence_kind"] == "external" and r["external_evidence"] == c["evidence"], c["id"]
        assert [e["id"] for e in r["external_evidence_rows"]] == c["evidence"]
        # The traced inputs (biomedimg.outputs.claims.Data.evidence) name the dataset as an external source.
        assert {"input": "dataset:external_evidence", "source": "external", "sections": []} in r["evidence"]
        assert r["computed_bounds"] is not None
    statuses = sorted({c["expected"] for c in CHECKED})
    assert statuses == ["fail", "inconclusive", "pass"]
    unchecked = [r for r in results.values() if not r["external_evidence"]]
    assert all(r["evidence_kind"] == "" for r in unchecked)


def test_a_source_of_another_period_is_inconclusive_and_shows_both_values(results):
    r = results["nibib_fy2019_budget"]
    assert (r["status"], r["stated"], r["computed"]) == ("inconclusive", 3.9, 3.776)
    assert r["reason"] == (
        "The source gives 3.776 for another period, so it cannot decide whether the value is equal to 3.9."
    )
    assert "FY2018" in r["note"] and "FY2018" in r["note_zh"] and r["reason_zh"].startswith("来源给出的3.776")
    assert results["pku_facility_floor_area"]["status"] == "inconclusive"  # same 7.2, another stage


def test_a_ratio_of_two_countries_reads_one_source_for_both(results):
    """China/UK researchers per million: both values from the same UIS series and year, so the ratio
    decides the printed 不及1/3; the same holds for China/US from one World Bank file."""
    r = results["rd_personnel_ratio_vs_uk"]
    assert (r["status"], r["stated"], r["computed"]) == ("pass", "1/3", round(1307.12 / 4603, 6))
    rows = {row["id"]: row for row in ROWS}
    china, uk = (rows[i] for i in r["external_evidence"])
    assert (
        (china["as_of"], china["unit"])
        == (uk["as_of"], uk["unit"])
        == ("2018", "researchers in R&D per million people")
    )
    # China/US: both from one World Bank WDI file (a GitHub copy of the download), same year; the ratio
    # is under 1/3 for 2018 but not for 2019, which the note says.
    us = results["rd_personnel_ratio_vs_us"]
    assert (us["status"], us["stated"], us["computed"]) == ("pass", "1/3", round(1317.48914 / 4226.79136, 6))
    china, usa = (rows[i] for i in us["external_evidence"])
    assert (china["as_of"], china["url"]) == (usa["as_of"], usa["url"]) and china["as_of"] == "2018"
    assert usa["url"].startswith("https://github.com/") and "/blob/" in usa["url"]
    assert (usa["kind"], usa["mirror"]) == ("secondary", "true") and "data.worldbank.org" in usa["notes"]
    assert "0.348" in us["note"] and "0.348" in us["note_zh"]


# Event years (issue 19): a year the review prints for a founding, launch or publication is a claim
# once a public document states it; a printed month (1993年11月) is a claim of its own.
EVENT_YEARS = {
    "nibib_founded_year": 2000,
    "arr_founded_year": 1995,
    "nstc_founded_year": 1993,
    "medical_imaging_roadmap_year": 2017,
    "infra_mlp_plan_issued": 2013,
    "basic_research_opinions_issued": 2018,
    "awards_news_brain_atlas_year": 2016,
    "awards_news_photosynthesis_year": 2016,
    "awards_news_glut_year": 2014,
    "awards_news_alzheimer_year": 2014,
    "awards_news_hydrated_ion_year": 2018,
    "nsfc_mrp_chemical_probe_year": 2007,
    "key_rd_special_transformative_launch_year": 2017,
    "awards_news_spliceosome_year": 2015,
    "awards_news_cell_signalling_year": 2015,
    "awards_news_pet_ct_year": 2019,
    "awards_top10_progress_since_year": 2011,
}


def test_event_years_are_checked_against_the_dates_their_sources_give(results):
    statements = {r["id"]: r for r in read_rows(ROOT / paths.raw_csv("prose_statements"))}
    rows = {row["id"]: row for row in ROWS}
    for cid, year in EVENT_YEARS.items():
        r = results[cid]
        assert (r["status"], r["stated"], r["computed"], r["unit"]) == ("pass", year, year, "year"), cid
        (row,) = (rows[i] for i in r["external_evidence"])
        assert row["as_of"][:4] == str(year) and row["value"] == str(year), cid
        assert statements[cid]["not_a_claim_reason"] == "", cid  # a claim now, no longer an "other number"


def test_a_printed_month_is_compared_with_the_month_of_the_sources_date(results):
    month = results["nstc_founded_month"]
    assert (month["status"], month["stated"], month["computed"], month["unit"]) == ("pass", 11, 11, "month")
    for cid, stated in (("infra_mlp_plan_issued_month", 2), ("basic_research_opinions_issued_month", 1)):
        assert (results[cid]["status"], results[cid]["stated"], results[cid]["computed"]) == (
            "pass",
            stated,
            stated,
        )
    assert month["statement"] == results["nstc_founded_year"]["statement"] == "nstc_founded_year"
    assert (
        components.amount(11, "month", "zh") == "11月" and components.amount(11, "month", "en") == "month 11"
    )
    # The ledger marks the month in the quote, not the year before it.
    quote = "NSTC在1993年11月成立"
    start, end = printed.mark_number(quote, 11, "month")
    assert quote[start:end] == "11月"


def test_an_event_year_a_source_dates_otherwise_fails_or_stays_undecided(results):
    """Another year for the same event fails with both years shown; a year of another stage (launched,
    not approved) or scope (a council of the institute, not the institute) cannot decide."""
    fail = results["key_rd_specials_2016_launch_year"]
    assert (fail["status"], fail["stated"], fail["computed"]) == ("fail", 2016, 2015)
    assert fail["reason"] == "The source gives 2015, not equal to 2016."
    assert fail["reason_zh"] == "来源给出2015，并非等于2016，与陈述不符。"
    (row,) = fail["external_evidence_rows"]
    assert (row["implied"], row["value"], row["as_of"]) == (2015, None, "2015-11-26")
    stage = results["nsfc_mrp_emotion_memory_year"]
    assert (stage["status"], stage["stated"], stage["computed"]) == ("inconclusive", 2011, 2012)
    assert "approval stage" in stage["reason"] and "批复阶段" in stage["reason_zh"]
    assert results["aimbe_founded_year"]["status"] == "inconclusive"
    # A source that dates the naming of a field (1967), not the period the review dates, cannot decide either.
    named = results["interventional_radiology_origin"]
    assert (named["status"], named["stated"], named["computed"]) == ("inconclusive", 1975, 1967)
    assert (
        named["reason"]
        == "The source gives 1967 for another scope, so it cannot decide whether the value is equal to 1975."
    )
    # A plan's public release (2015-09-25) is another stage than its issuance (印发), which the review dates.
    released = results["st_reform_plan_issued"]
    assert (released["status"], released["stated"], released["computed"]) == ("inconclusive", 2015, 2015)
    assert "approval stage" in released["reason"]
    # A 1999 Wuhan conference under another name (BMO'99) cannot say the PIBM series began that year.
    pibm = results["pibm_first_year"]
    assert (pibm["status"], pibm["stated"], pibm["computed"]) == ("inconclusive", 1999, 1999)
    assert pibm["external_evidence"] == ["bmo99_wuhan_1999_10"]


def test_a_market_of_which_the_stated_one_is_a_part_cannot_decide_its_forecast(results):
    """The whole medical-equipment market in 2020 (¥840 billion) is another scope than the review's
    forecast for the medical-imaging market alone (¥600-800 billion): shown with both, undecided. A
    dollar estimate of the imaging market's outcome is named too, not compared (no 2020 rate)."""
    market = results["market_size_2020"]
    assert (market["status"], market["stated"], market["stated_upper"]) == ("inconclusive", 6000, 8000)
    assert market["computed"] == 8400
    assert market["external_evidence"] == ["medical_equipment_market_2020", "cic_imaging_market_2020"]
    assert market["reason"].startswith("The source gives 8400 for another scope"), market["reason"]


class _OneRow:
    """Just the external-evidence table, with one row, for the compute functions."""

    def __init__(self, as_of):
        self.frame = pd.DataFrame([{"id": "r", "value": 1993, "as_of": as_of}])

    def __getitem__(self, name):
        assert name == NAME
        return self.frame


def test_the_month_comes_from_the_sources_date_or_is_refused():
    assert claims.evidence_month(_OneRow("1993-11-23"), "r") == 11
    assert claims.evidence_month(_OneRow("2013-02"), "r") == 2
    # Another month than the stated one fails the comparison; a source dated by year only says why.
    assert claims.compare("equals", claims.evidence_month(_OneRow("1993-12-01"), "r"), 11) is False
    with pytest.raises(ValueError, match=r"evidence r: as_of '1993' gives no month"):
        claims.evidence_month(_OneRow("1993"), "r")


def test_a_different_source_number_fails_with_both_values(tmp_path):
    """A source that states another number for the same thing makes the claim fail; nothing is adjusted."""
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("dvc-remote"))
    shutil.copytree(ROOT / "workflow" / "schemas", tmp_path / "workflow" / "schemas")
    path = tmp_path / paths.raw_csv(NAME)
    rows = read_rows(path)
    for row in rows:
        if row["id"] == "esi_22_fields_incites_help":
            row["value"] = "21"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    r = {x["id"]: x for x in claims.evaluate_all(tmp_path)}["esi_subject_categories"]
    assert (r["status"], r["stated"], r["computed"]) == ("fail", 22, 21)
    assert r["reason"].startswith("The source gives 21, not equal to 22.")


def test_a_claim_naming_a_missing_row_or_computing_from_another_is_refused(tmp_path):
    """One line per error, naming the claim and the field, before anything is computed."""
    claim = next(c for c in CHECKED if c["id"] == "esi_subject_categories")
    ids = {r["id"] for r in ROWS}
    assert claims.evidence_errors(7, {**claim, "evidence": ["nope", "esi_22_fields_incites_help"]}, ids) == [
        f"{paths.CLAIMS_FILE}: claim 7 (esi_subject_categories) evidence: 'nope' is not a row of {LABEL}"
    ]
    assert claims.evidence_errors(7, {**claim, "evidence": ["esi_22_fields_tr_help"]}, ids) == [
        f"{paths.CLAIMS_FILE}: claim 7 (esi_subject_categories) args/row: 'esi_22_fields_incites_help' is "
        "not one of the claim's evidence rows"
    ]
    # A source of another period, scope, unit or stage gives inconclusive, and the note says how.
    bare = {k: v for k, v in claim.items() if k not in ("note", "note_zh")}
    errors = claims.schema_errors({"claims": [{**bare, "evidence_differs": "period"}]})
    assert any("expected: 'inconclusive' was expected" in e for e in errors), errors
    assert any("'note' is a required property" in e for e in errors), errors
    errors = claims.schema_errors({"claims": [{**claim, "evidence_differs": "season"}]})
    assert any("evidence_differs: 'season' is not one of" in e for e in errors), errors


def test_every_claim_left_not_derivable_says_what_was_searched(results):
    left = [r for r in results.values() if r["status"] == "not_derivable"]
    assert len(left) == 49
    for r in left:
        assert r["note"] and r["note_zh"], r["id"]
        assert any(w in r["note"] for w in ("Searched", "Not searched", "Only China's side")), r["id"]
        assert any(w in r["note_zh"] for w in ("检索", "只找到")), r["id"]


# ---------------------------------------------------------------------------------- the ledger


def evidence_items(html: str) -> dict[str, dict]:
    """Each ledger row's external sources: the claim id -> {evidence id: its quote, link, dates}."""

    class Ledger(Elements):
        def __init__(self, text):
            self.rows: dict[str, dict] = {}
            self._row = self._item = None
            self._in = None
            super().__init__(text)

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "tr" and "data-status" in a:  # a claim's row
                self._row = self.rows.setdefault(a["id"], {})
            elif tag == "li" and "data-evidence" in a:
                self._item = self._row[a["data-evidence"]] = {"quote": "", "links": [], "time": ""}
            elif self._item is not None and tag == "a":
                self._item["links"].append(a)
            elif self._item is not None and tag == "q":
                self._in, self._item["quote_lang"] = "quote", a.get("lang")
            elif self._item is not None and tag == "time":
                self._in, self._item["datetime"] = "time", a.get("datetime")

        def handle_endtag(self, tag):
            if tag in ("q", "time"):
                self._in = None
            if tag == "li":
                self._item = None

        def handle_data(self, data):
            if self._item is not None and self._in:
                self._item[self._in] += data

    return Ledger(html).rows


def check_ledger(html: str, lang: str, results: dict[str, dict]) -> None:
    rows = evidence_items(html)
    csv_rows = {r["id"]: r for r in ROWS}
    for c in CHECKED:
        shown = rows[c["id"]]
        assert list(shown) == c["evidence"], (lang, c["id"])
        for eid, item in shown.items():
            source = csv_rows[eid]
            assert item["quote"] == source["quote"], (lang, eid)
            assert item["links"] == [{"class": "evidence-link", "href": source["url"], "rel": "noopener"}]
            undated = "未注明日期" if lang == "zh" else "undated"
            assert item["time"] == (source["as_of"] or item["time"]) and item["time"], (lang, eid)
            if not source["as_of"]:
                assert undated in item["time"] and source["retrieved"] in item["time"]
            else:
                assert item.get("datetime") == source["as_of"]
    assert set(rows) == set(results)
    unchecked = [cid for cid, r in results.items() if not r["external_evidence"]]
    assert all(rows[cid] == {} for cid in unchecked)
    labels = ("外部来源", "来源给出", "一手来源", "二手来源", "转载副本", "所指时间")
    if lang == "en":
        labels = (
            "External sources",
            "Source gives",
            "primary source",
            "secondary source",
            "mirror copy",
            "As of",
        )
    assert all(label in html for label in labels), lang


@pytest.mark.parametrize("lang", paths.LANGS)
def test_ledger_shows_quote_link_and_date_of_every_source(results, lang):
    html = components.claims_ledger(list(results.values()), lang)
    check_ledger(html, lang, results)


def test_ledger_escapes_what_a_source_says(results):
    """Quotes, titles and URLs are text: markup in them is shown, never run."""
    r = dict(results["esi_subject_categories"])
    row = dict(
        r["external_evidence_rows"][0],
        quote='<script>alert(1)</script> & "22"',
        url='https://x.org/?a=1&b="2"',
    )
    r["external_evidence_rows"] = [row]
    html = components.claims_ledger([r], "en")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html
    assert 'href="https://x.org/?a=1&amp;b=&#34;2&#34;"' in html


@pytest.mark.parametrize("lang", paths.LANGS)
def test_built_ledgers_show_every_externally_checked_claims_sources(built, results, lang):
    html = (built / "book" / "_build" / "html" / lang / "claims.html").read_text(encoding="utf-8")
    check_ledger(html, lang, results)


# ---------------------------------------------- the Chinese edition's words about each source (issue 20)


def evidence_words(html: str) -> dict[str, list[dict]]:
    """Each evidence item of a ledger, by row id (one per claim naming it): the text of its period,
    unit and how its number was read, and the lang attributes set inside its date and value lines
    (with the class and text of the element carrying each)."""

    class Words(HTMLParser):
        LINES = ("evidence-as-of", "evidence-value")

        def __init__(self):
            super().__init__()
            self.items: dict[str, list[dict]] = {}
            self._item = None
            self._open: list[tuple[str, dict | None]] = []  # the elements open inside the item

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "li" and "data-evidence" in a:
                self._item = {"period": "", "unit": "", "implied": "", "langs": []}
                self.items.setdefault(a["data-evidence"], []).append(self._item)
                self._open = []
            elif self._item is not None:
                marked = None
                if "lang" in a and any(c in self.LINES for c, _ in self._open):
                    marked = {"lang": a["lang"], "class": a.get("class") or "", "text": ""}
                    self._item["langs"].append(marked)
                self._open.append((a.get("class") or "", marked))

        def handle_endtag(self, tag):
            if tag == "li":
                self._item = None
            elif self._item is not None and self._open:
                self._open.pop()

        def handle_data(self, data):
            if self._item is None:
                return
            classes = [c for c, _ in self._open]
            for key, cls in (
                ("period", "evidence-period"),
                ("unit", "evidence-unit"),
                ("implied", "evidence-implied-how"),
            ):
                if cls in classes:
                    self._item[key] += data
            for _, marked in self._open:
                if marked is not None:
                    marked["text"] += data

    parser = Words()
    parser.feed(html)
    return parser.items


def check_evidence_words(html: str, lang: str) -> None:
    items = evidence_words(html)
    assert set(items) == {r["id"] for r in ROWS}  # every row is shown (each by the claims naming it)
    own = "_zh" if lang == "zh" else ""
    brackets = "（{}）" if lang == "zh" else "({})"
    for row in ROWS:
        for item in items[row["id"]]:
            assert item["period"] == brackets.format(row[f"period{own}"]), (lang, row["id"])
            has_value = bool(row["value_printed"] or row["implied"])  # else no value line
            assert item["unit"] == (row[f"unit{own}"] if has_value else ""), (lang, row["id"])
            shows_implied = not row["value_printed"] and row["implied"]
            assert item["implied"] == (row[f"implied_how{own}"] if shows_implied else ""), (lang, row["id"])
            if lang == "zh":
                # No English is left but the number as the source prints it, marked as English.
                english = [m for m in item["langs"] if m["lang"] == "en"]
                assert all(m["class"] == "evidence-printed" for m in english), row["id"]
                assert all(m["text"] == row["value_printed"] for m in english), row["id"]
                assert bool(english) == bool(re.search("[A-Za-z]", row["value_printed"])), row["id"]


@pytest.mark.parametrize("lang", paths.LANGS)
def test_each_ledger_says_period_unit_and_reading_in_its_language(results, lang):
    check_evidence_words(components.claims_ledger(list(results.values()), lang), lang)


def test_the_chinese_check_finds_english_left_in_the_ledger(results):
    """The check above fails on the ledger as it was: the English words shown in the Chinese edition."""
    html = components.claims_ledger(list(results.values()), "zh")
    row = next(r for r in ROWS if r["id"] == "nibib_established_2000_12_29")
    english = html.replace(f"（{row['period_zh']}）", f'<span lang="en">({row["period"]})</span>')
    with pytest.raises(AssertionError):
        check_evidence_words(english, "zh")
    english = html.replace(f">{row['unit_zh']}</span>", ' lang="en">year</span>')
    with pytest.raises(AssertionError):
        check_evidence_words(english, "zh")


def test_built_chinese_ledger_shows_the_chinese_columns(built):
    html = (built / "book" / "_build" / "html" / "zh" / "claims.html").read_text(encoding="utf-8")
    check_evidence_words(html, "zh")
    assert "（2000年12月29日，NIBIB 成立法案（NIBIB Establishment Act）签署成为法律之日）" in html


def test_every_english_column_has_its_chinese_translation():
    for row in ROWS:
        assert row["unit_zh"] and row["period_zh"], row["id"]
        assert bool(row["implied_how_zh"]) == bool(row["implied_how"]), row["id"]
        for column in ("unit_zh", "period_zh", "implied_how_zh"):
            assert zh_punctuation(row[column]) == row[column], (row["id"], column)


@pytest.mark.parametrize(
    ("edit", "line"),
    [
        # A number read from the quote that says how in English only.
        (
            lambda rows: rows[10].update(implied="3", implied_how="counted: three bodies"),
            "line 12, column 'implied_how_zh': is required when implied_how is given (implied_how's Chinese translation)",
        ),
        # A Chinese reading without an English one.
        (
            lambda rows: rows[4].update(implied_how_zh="计数"),
            "line 6, column 'implied_how_zh': must be empty when implied_how is empty (it is its Chinese translation) (found '计数')",
        ),
        # A period whose translation changed its year.
        (
            lambda rows: rows[2].update(period_zh="FY2019（2019财年）"),
            "line 4, column 'period_zh': does not carry the number(s) 2018 of period (found 'FY2019（2019财年）')",
        ),
        # A translated unit that drops the Chinese term the English quotes.
        (
            lambda rows: rows[31].update(unit_zh="万元/项"),
            "line 33, column 'unit_zh': does not keep the Chinese word(s) 申请经费上限 that unit quotes (found '万元/项')",
        ),
    ],
)
def test_a_missing_or_unfaithful_chinese_column_is_refused(tmp_path, capsys, edit, line):
    root = write_project(tmp_path, edit)
    with pytest.raises(RawDataError) as exc:
        validate.validate_all(NAME, root)
    assert f"{LABEL}, {line}" in [str(p) for p in exc.value.problems]
    assert validate.main([NAME], root=root) == 1
    err = capsys.readouterr().err
    assert f"{LABEL}, {line}" in err and "Traceback" not in err


def test_an_empty_chinese_unit_is_refused(tmp_path):
    root = write_project(tmp_path, lambda rows: rows[0].update(unit_zh=""))
    with pytest.raises(RawDataError) as exc:
        validate.validate_all(NAME, root)
    assert [str(p) for p in exc.value.problems] == [
        f"{LABEL}, line 2, column 'unit_zh': a value is required (found '')"
    ]
