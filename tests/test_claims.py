"""The claims ledger: every claim's computation on the real data, and every claim's status pinned."""

from __future__ import annotations

import json
import shutil

import pytest
from biomedimg import claims, paths
from conftest import ROOT

EXPECTED = {
    "xiangshan_imaging_conferences": "pass",
    "xiangshan_since_year": "pass",
    "xiangshan_other_conferences": "not_derivable",
    "cast_societies": "pass",
    "cast_subcommittees": "pass",
    "nsfc_instrument_count": "pass",
    "nsfc_instrument_funding": "pass",
    "nsfc_instrument_dept_health": "pass",
    "nsfc_instrument_dept_life": "pass",
    "nsfc_instrument_dept_chemistry": "pass",
    "nsfc_instrument_dept_math_physics": "pass",
    "nsfc_instrument_dept_information": "pass",
    "nsfc_instrument_started_12th_fyp": "pass",
    "nsfc_instrument_programme_start_year": "pass",
    "nsfc_instrument_recommended_threshold": "pass",
    "nsfc_instrument_share_of_total": "not_derivable",
    "nsfc_instrument_accepted": "not_derivable",
    "nsfc_instrument_h5_free_share": "not_derivable",
    "nsfc_instrument_period_years": "not_derivable",
    "nsfc_major_2010_funding": "pass",
    "nsfc_major_count_after_2010": "pass",
    "nsfc_major_funding": "fail",
    "nsfc_major_started_13th_fyp": "pass",
    "nsfc_groups_count": "pass",
    "nsfc_groups_since_year": "pass",
    "nsfc_groups_dept_chemistry": "pass",
    "nsfc_groups_dept_life": "pass",
    "nsfc_groups_dept_health": "pass",
    "nsfc_groups_dept_information": "pass",
    "nsfc_groups_renewed_3to6": "pass",
    "nsfc_groups_renewed_6to9": "pass",
    "nsfc_group_awards_count": "pass",
    "nsfc_group_awards_period_years": "pass",
    "nsfc_group_awards_10th_fyp": "pass",
    "nsfc_group_awards_11th_fyp": "pass",
    "nsfc_group_awards_12th_fyp": "pass",
    "nsfc_group_awards_13th_fyp": "pass",
    "nobel_fig1_prizes": "pass",
    "nobel_fig1_since_year": "pass",
    "nobel_nmr_physics": "pass",
    "nobel_nmr_chemistry": "pass",
    "nobel_nmr_medicine": "pass",
    "nobel_physics_optical_at_least_3": "pass",
    "nobel_physics_nmr_at_least_3": "pass",
    "nobel_physics_ct_at_least_3": "pass",
    "nobel_fig1_physics_optical_at_least_3": "pass",
    "nobel_fig1_physics_nmr_at_least_3": "pass",
    "nobel_fig1_physics_ct_at_least_3": "pass",
    "nobel_fig1_many_times_ct": "pass",
    "nobel_fig1_many_times_optical": "pass",
    "nobel_fig1_many_times_spectroscopy": "pass",
    "nobel_fig1_many_times_nuclide": "pass",
    "nobel_fig1_many_times_electron_microscopy": "pass",
    "nobel_fig1_many_times_nmr": "pass",
    "pubs_2019_china_vs_us": "pass",
    "pubs_2019_us_rank": "pass",
    "pubs_2019_china_rank": "pass",
    "pubs_2019_germany_rank": "pass",
    "pubs_2019_japan_rank": "pass",
    "pubs_2019_uk_rank": "pass",
    "pubs_2019_china": "not_derivable",
    "pubs_2019_us": "not_derivable",
    "pubs_2019_uc": "not_derivable",
    "pubs_2019_uc_rank": "not_derivable",
    "pubs_2019_cas": "not_derivable",
    "pubs_2019_cas_rank": "not_derivable",
    "patents_china_lag_years": "pass",
    "patents_share_us_cn_jp": "not_derivable",
    "patents_china_rank_nuclide": "not_derivable",
    "patents_china_rank_mass_spec": "not_derivable",
    "patents_china_rank_optical": "not_derivable",
    "patents_china_rank_mri": "not_derivable",
    "patents_china_rank_ultrasound": "not_derivable",
    "patents_china_rank_em": "not_derivable",
    "nibib_lobbying_years": "pass",
    "nibib_fy2019_budget": "not_derivable",
    "nibib_fy2019_projects": "not_derivable",
    "nibib_fy2019_extramural_share": "not_derivable",
    "nsfc_h18_2019_funding": "not_derivable",
    "nsfc_h18_2019_projects": "not_derivable",
    "pku_facility_investment": "not_derivable",
    "hust_facility_investment": "not_derivable",
    "suzhou_brainsmatics_funding": "not_derivable",
    "cas_instrument_projects": "not_derivable",
    "cas_instrument_funding": "not_derivable",
    "cas_major_instrument_funding_13th_fyp": "not_derivable",
    "digital_dx_funding": "not_derivable",
    "digital_dx_imaging_project_share": "not_derivable",
    "digital_dx_imaging_funding_share": "not_derivable",
    "market_size_2020": "not_derivable",
    "cryoem_count": "not_derivable",
    "cryoem_unit_price": "not_derivable",
    "awards_national_count": "not_derivable",
    "bme_undergrad_universities": "not_derivable",
}


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {r["id"]: r for r in claims.evaluate_all()}


def test_every_status_is_pinned(results):
    assert sorted(results) == sorted(EXPECTED), "claims were added or removed: update EXPECTED"
    wrong = [
        f"{cid}: expected {EXPECTED[cid]}, got {r['status']} (stated {r['stated']}, computed {r['computed']})"
        for cid, r in results.items()
        if r["status"] != EXPECTED[cid]
    ]
    assert not wrong, "\n".join(wrong)


def test_ledger_size_and_share_recomputed(results):
    assert len(results) >= 45
    derived = [r for r in results.values() if r["status"] != "not_derivable"]
    assert len(derived) / len(results) >= 0.60


def test_every_claim_quotes_its_statement(results):
    for r in results.values():
        assert r["quote_zh"] and r["section"] and r["unit"], r["id"]
        if r["status"] == "not_derivable":
            assert r["computed"] is None and r["note"]


@pytest.mark.parametrize(
    "cid, computed",
    [
        ("xiangshan_imaging_conferences", 25),
        ("xiangshan_since_year", 1995),
        ("cast_societies", 29),
        ("cast_subcommittees", 65),
        ("nsfc_instrument_count", 11),
        ("nsfc_instrument_funding", 7.083274),
        ("nsfc_instrument_dept_health", 6),
        ("nsfc_instrument_started_12th_fyp", 9),
        ("nsfc_instrument_recommended_threshold", 3000),
        ("nsfc_major_2010_funding", 1000),
        ("nsfc_major_count_after_2010", 9),
        ("nsfc_major_funding", 1.582803),
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


def test_major_projects_discrepancy_is_recorded_not_fixed(results):
    r = results["nsfc_major_funding"]
    assert r["status"] == "fail" and r["stated"] == 1.6
    assert "DISCREPANCY" in r["note"] and "16828.03" in r["note"]


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


def test_comparisons():
    assert claims.compare("more_than", 7.08, 7) and not claims.compare("more_than", 7, 7)
    assert claims.compare("at_least", 3, 3) and not claims.compare("at_least", 2, 3)
    assert claims.compare("about", 0.3333, 1 / 3, 0.05) and not claims.compare("about", 0.4, 1 / 3, 0.05)
    with pytest.raises(ValueError, match="unknown comparison"):
        claims.compare("roughly", 1, 1)


def test_claims_json_matches_the_ledger(built):
    data = json.loads((built / paths.CLAIMS_JSON).read_text(encoding="utf-8"))
    keys = {"id", "section", "quote_zh", "stated", "unit", "computed", "status", "note"}
    assert all(keys <= set(c) for c in data["claims"])
    assert {c["id"]: c["status"] for c in data["claims"]} == EXPECTED
    metrics = json.loads((built / paths.METRICS).read_text(encoding="utf-8"))
    statuses = list(EXPECTED.values())
    assert metrics["claims"] == {
        "total": len(statuses),
        "passed": statuses.count("pass"),
        "failed": statuses.count("fail"),
        "not_derivable": statuses.count("not_derivable"),
    }
    assert metrics["rows"]["xiangshan_conferences"] == 25 and metrics["rows"]["cast_subcommittees"] == 65
