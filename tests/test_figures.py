"""Figures: the values each one plots, literal text, readable sizes and colour-blind-safe palettes."""

from __future__ import annotations

import csv
import io
import itertools
import re
from decimal import Decimal

import colour
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from biomedimg import catalog, paths
from biomedimg.data import nobel, rawdata
from biomedimg.outputs import figures, style
from biomedimg.outputs.figures import fig_nibib_vs_nsfc
from matplotlib.colors import to_hex

FIGURES = sorted(catalog.FIGURES)
# CIEDE2000 below which two colours side by side are hard to tell apart (a just-noticeable difference
# is about 1-2; 10 is a clear difference at a glance).
MIN_DELTA_E = 10


def read_raw(name: str) -> list[dict]:
    with open(paths.ROOT / paths.raw_csv(name), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def values(built, name: str, lang: str) -> pd.DataFrame:
    return pd.read_csv(built / paths.figure_values(name, lang), dtype=str, keep_default_na=False)


# ------------------------------------------------------------------------------ plotted values


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_publishes_its_values_in_both_languages(built, name):
    zh, en = values(built, name, "zh"), values(built, name, "en")
    assert len(zh) == len(en) > 0
    assert len(zh.columns) == len(en.columns)
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in c) for c in zh.columns), "Chinese headers"
    assert not any("\u4e00" <= ch <= "\u9fff" for c in en.columns for ch in c), "English headers"
    assert list(zh.columns) != list(en.columns)


def test_table2_figure_counts_add_up_to_the_subcommittees(built):
    raw = read_raw("cast_subcommittees")
    for lang, society in (("zh", "society_zh"), ("en", "society_en")):
        table = values(built, "fig_cast_subcommittees", lang)
        count = table.columns[-1]
        assert sum(int(n) for n in table[count]) == len(raw) == 65
        assert set(table.iloc[:, 1]) == {r[society] for r in raw}
        per_society = {s: sum(1 for r in raw if r[society] == s) for s in table.iloc[:, 1]}
        assert dict(zip(table.iloc[:, 1], map(int, table[count]), strict=True)) == per_society


def test_figure1_values_are_the_32_prizes_with_their_motivation_and_type(built):
    curated = read_raw("nobel_imaging_prizes")
    zh = values(built, "fig1_nobel_timeline", "zh")
    en = values(built, "fig1_nobel_timeline", "en")
    assert len(en) == len(curated) == 32
    assert list(en.columns[:6]) == [
        "Year",
        "Prize",
        "Laureates",
        "Motivation (official)",
        "Imaging type",
        "Why this imaging type",
    ]
    assert sorted(zip(en["Year"], en["Laureates"], strict=True)) == sorted(
        (r["year"], r["laureates"]) for r in curated
    )
    assert all(en["Motivation (official)"]), "every prize has its motivation from the Nobel snapshot"
    roentgen = en[en["Year"] == "1901"].iloc[0]
    assert roentgen["Motivation (official)"].startswith("in recognition of the extraordinary services")
    assert roentgen["Imaging type"] == "CT / X-ray"
    assert roentgen["Why this imaging type"] == curated[0]["rationale_en"]
    # The Chinese edition gives the rationale in Chinese; the motivations stay the official English.
    assert list(zh.columns[3:6]) == ["授奖理由（诺贝尔奖官网英文原文）", "成像类型", "归为该类型的理由"]
    assert sorted(zh["归为该类型的理由"]) == sorted(r["rationale_zh"] for r in curated)
    assert list(zh["授奖理由（诺贝尔奖官网英文原文）"]) == list(en["Motivation (official)"])
    assert set(zh["成像类型"]) >= {"CT/X射线", "核素成像", "电镜"}
    assert set(zh["奖项"]) == {"物理学奖", "化学奖", "生理学或医学奖"}


@pytest.mark.parametrize("name", ["fig_nsfc_instrument_projects", "fig_nsfc_major_projects"])
def test_nsfc_figure_values_add_up_to_the_projects_and_their_funding(built, name):
    raw = read_raw(name.removeprefix("fig_"))
    table = values(built, name, "en")
    assert sum(int(n) for n in table["Projects"]) == len(raw)
    funding = sum(Decimal(f) for f in table["Funding (¥100 million)"])
    assert funding == sum(Decimal(r["funding_10k_cny"]) for r in raw) / 10_000


def test_xiangshan_and_creative_group_values_count_the_rows(built):
    table = values(built, "fig_xiangshan_timeline", "en")
    assert sum(int(n) for n in table["Conferences"]) == len(read_raw("xiangshan_conferences"))
    awards = values(built, "fig_creative_groups", "zh")
    assert len(awards) == len(read_raw("nsfc_creative_group_awards"))
    assert set(awards["五年计划"]) == {"十五", "十一五", "十二五", "十三五"}


def test_stated_values_keep_their_qualifier(built):
    table = values(built, "fig_infrastructure", "en")
    row = table[table["Statement id"] == "digital_dx_funding"].iloc[0]
    assert (row["As stated"], row["Plotted value"]) == (">22", "22")


# ------------------------------------------------------------------------------- literal text


def test_dollar_signs_and_backslashes_are_drawn_literally(tmp_path):
    """A society named with TeX markup is drawn as typed: no mathtext, no crash, literal in the SVG."""
    style.setup()
    cast = rawdata.load("cast_subcommittees")
    payload = r"$\frac{a}{b}$ Society \ of $C:\temp\x$"
    cast.loc[cast["society_en"] == cast["society_en"].iloc[0], "society_en"] = payload
    plots = figures.build("fig_cast_subcommittees", {"cast_subcommittees": cast})
    fig = plots["en"].figure
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert payload in labels
    assert payload in set(plots["en"].values["Society"])
    for plot in plots.values():
        plt.close(plot.figure)
    svg, png = tmp_path / "f.svg", tmp_path / "f.png"
    style.save(fig, str(svg), str(png), dpi=50)
    text = svg.read_text(encoding="utf-8")
    assert f"<!-- {payload} -->" in text, "matplotlib writes each text drawn as paths in a comment"


def test_mathtext_is_off_for_every_text():
    style.setup()
    assert plt.rcParams["text.parse_math"] is False


# ---------------------------------------------------------------------------------- readability


@pytest.mark.parametrize("name", FIGURES)
def test_smallest_text_reads_at_9_px_in_the_column(built, name):
    style.setup()
    for lang, plot in figures.build(name).items():
        smallest = style.smallest_text_pt(plot.figure)
        plt.close(plot.figure)
        width = style.svg_width_pt((built / paths.figure(name, lang, "svg")).read_bytes())
        assert style.text_px_in_column(smallest, width) >= 9, (name, lang, smallest, width)


def test_a_figure_with_tiny_text_is_refused(tmp_path):
    style.setup()
    fig, ax = plt.subplots(figsize=(12, 3))
    ax.set_title("far too small", fontsize=5)
    with pytest.raises(ValueError, match=r"figure tiny: its smallest text \(5 pt\) would show at"):
        style.save(fig, str(tmp_path / "a.svg"), str(tmp_path / "a.png"), dpi=50, name="tiny")
    assert not list(tmp_path.iterdir()), "nothing is written"


# ---------------------------------------------------------------------------------- colour vision


@pytest.mark.parametrize(
    "lab1, lab2, expected",
    [  # Sharma, Wu and Dalal (2005), Table 1, pairs 1, 7 and 17
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ],
)
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert colour.delta_e2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_simulation_keeps_greys_and_merges_red_with_green():
    for deficiency in colour.DEFICIENCIES:
        assert to_hex(colour.simulate("#808080", deficiency)) == "#808080"
    # The old palette's Health (red) and Life Sciences (green): one olive under deuteranopia.
    assert colour.difference("#d62728", "#2ca02c") > 50
    assert colour.difference("#d62728", "#2ca02c", "deuteranopia") < MIN_DELTA_E


@pytest.mark.parametrize("deficiency", ["normal", *colour.DEFICIENCIES])
@pytest.mark.parametrize("group", sorted(style.SIDE_BY_SIDE))
def test_colours_side_by_side_stay_distinct(group, deficiency):
    delta, a, b = colour.closest_pair(style.SIDE_BY_SIDE[group], deficiency)
    assert delta >= MIN_DELTA_E, f"{group}: {a} and {b} differ by ΔE2000 {delta:.1f} under {deficiency}"


@pytest.mark.parametrize("name", FIGURES)
def test_figures_fill_only_with_palette_colours(name):
    """Every coloured mark comes from the checked palettes (greys aside)."""
    palette = {to_hex(c) for group in style.SIDE_BY_SIDE.values() for c in group}
    style.setup()
    for plot in figures.build(name).values():
        used = set()
        for ax in plot.figure.axes:
            for patch in ax.patches:
                used.add(to_hex(patch.get_facecolor()))
            for coll in ax.collections:
                used.update(to_hex(c) for c in coll.get_facecolors())
        plt.close(plot.figure)
        colours = {c for c in used if len({c[1:3], c[3:5], c[5:7]}) > 1}  # drop greys
        assert colours <= palette, (name, colours - palette)


def test_values_csv_is_plain_utf8_with_lf(built):
    data = (built / paths.figure_values("fig1_nobel_timeline", "zh")).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert len({len(r) for r in rows}) == 1
    assert list(itertools.islice(rows, 1))[0][0] == "获奖年份"


def test_figure1_labels_keep_surname_particles_and_count_works_and_prizes():
    assert nobel.short_label("Prince Louis-Victor Pierre Raymond de Broglie") == "de Broglie"
    assert nobel.short_label("Max von Laue") == "von Laue"
    assert nobel.short_label("Allan M. Cormack; Godfrey N. Hounsfield") == "Cormack +1"
    prizes = rawdata.load("nobel_imaging_prizes")
    assert (len(prizes), nobel.distinct_prizes(prizes)) == (32, 31)  # 2002 Chemistry: two works


def test_a_budget_over_more_than_n_projects_is_an_upper_bound_per_project():
    s = rawdata.load("prose_statements")
    # 超过700个 means at least 701 projects: 26.9042亿元 / 701 = 383.8万元, so "< 384", never 384.345.
    nibib = fig_nibib_vs_nsfc.plot(
        {"prose_statements": s, "exchange_rates": rawdata.load("exchange_rates")}, "en"
    )
    assert list(nibib.values.iloc[:, 3]) == ["< 384", "57.0874"]
    assert (
        fig_nibib_vs_nsfc.per_project_words(
            700.0, pd.DataFrame([{"id": "n", "qualifier": "more_than", "value": "7"}]), "n"
        )
        == "< 88"
    )


def test_english_edition_prints_ranks_as_ordinals_and_figure1_as_works_and_prizes(built):
    html = built / "book" / "_build" / "html" / "en"
    page = (html / "status_output.html").read_text(encoding="utf-8")
    # The text as read: the number's link to its ledger row kept as its text, the status badge after it
    # left out.
    page = re.sub(r'<span class="claim-ref-status[^"]*">[^<]*</span>', "", page)
    output = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "ranked 2nd after the" in output and "ranked 2 after" not in output
    svg = (built / paths.figure("fig1_nobel_timeline", "en", "svg")).read_text(encoding="utf-8")
    assert "32 works (31 prizes)" in svg and "de Broglie" in svg
    significance = " ".join((html / "significance.html").read_text(encoding="utf-8").split())
    assert "32 works (31 prizes" in significance
    patents = (built / paths.figure("fig_patents", "en", "svg")).read_text(encoding="utf-8")
    assert "2nd" in patents and "#2" not in patents
