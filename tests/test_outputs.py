"""What the workflow builds: tables, figures (glyphs, labels), the data package and provenance."""

from __future__ import annotations

import json
import subprocess
import warnings

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from biomedimg import catalog, paths
from biomedimg.data import rawdata
from biomedimg.outputs import figures, style, tables
from biomedimg.outputs.figures import fig1_nobel_timeline
from conftest import BIN, sha256
from PIL import Image

FIGURES = sorted(catalog.FIGURES)


def test_at_least_the_required_figures_are_registered():
    assert len(FIGURES) >= 8 and "fig1_nobel_timeline" in FIGURES


@pytest.mark.parametrize("name", FIGURES)
def test_figure_files(built, name):
    for lang in paths.LANGS:
        svg = built / paths.figure(name, lang, "svg")
        png = built / paths.figure(name, lang, "png")
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
        with Image.open(png) as im:
            dpi = im.info.get("dpi", (0, 0))
            assert round(dpi[0]) == 300 and im.width > 1000


@pytest.mark.parametrize("name", FIGURES)
def test_figures_render_every_glyph(name):
    """Rendering in both languages raises on any 'Glyph missing' warning (style.setup makes it an error)."""
    style.setup()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*Glyph.*")
        for plot in figures.build(name).values():
            plot.figure.canvas.draw()
            plt.close(plot.figure)


def test_a_missing_glyph_fails_the_figure():
    style.setup()
    fig, ax = plt.subplots()
    ax.set_title("\U000f0000")  # a private-use character no font has
    with pytest.raises(UserWarning, match="Glyph"):
        fig.canvas.draw()
    plt.close(fig)


def test_chinese_figure_uses_the_cjk_font():
    family = style.setup()
    assert "CJK" in family
    fig = figures.build("fig_cast_subcommittees")["zh"].figure
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "中华医学会" in labels
    plt.close("all")


def test_figure1_labels_do_not_overlap():
    style.setup()
    fig = figures.build("fig1_nobel_timeline")["en"].figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_gid() and t.get_gid().startswith("label-")]
    assert len(labels) == 32
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (labels[i].get_text(), labels[j].get_text())
    legend = ax.get_legend()
    assert len(legend.get_texts()) == 6
    plt.close("all")


def test_label_positions_keep_a_minimum_gap():
    placed = fig1_nobel_timeline.label_positions([1943, 1944, 1944.5, 1990], min_gap=2.0)
    ordered = sorted(placed)
    assert all(b - a >= 2.0 - 1e-6 for a, b in zip(ordered, ordered[1:], strict=False))
    assert placed[3] == 1990


@pytest.mark.parametrize(
    "name, rows",
    [
        ("table1_xiangshan_conferences", 25),
        ("table2_cast_subcommittees", 65),
        ("table3_nsfc_projects", 21),
        ("table4_nsfc_creative_groups", 10),
    ],
)
def test_tables(built, name, rows):
    frame = pd.read_csv(built / paths.table_csv(name), dtype=str)
    assert len(frame) == rows
    assert all(" / " in c for c in frame.columns), "headers are bilingual"
    for lang in paths.LANGS:
        html = (built / paths.table_html(name, lang)).read_text(encoding="utf-8")
        body = html.split("<tbody>")[1].split("</tbody>")[0]
        assert body.count("<tr>") == rows and f'data-rows="{rows}"' in html


def test_table3_keeps_printed_funding_and_footnote(built):
    frame = pd.read_csv(built / paths.table_csv("table3_nsfc_projects"), dtype=str)
    assert "7133.77" in set(frame["经费(万元) / Funding (¥10,000s)"])
    footnotes = {
        "zh": "2015年(含)以后为直接经费",
        "en": "From 2015 (inclusive) on, funding is direct cost only",
    }
    for lang, footnote in footnotes.items():
        html = (built / paths.table_html("table3_nsfc_projects", lang)).read_text(encoding="utf-8")
        assert footnote in html.split("<tfoot>")[1]


def test_table_html_escapes_cells():
    spec = tables.TABLES["table1_xiangshan_conferences"]
    frame = pd.DataFrame([{c.source: '<script>alert(1)</script> & "x"' for c in spec.columns}])
    for lang in paths.LANGS:
        html = tables.to_html(spec, frame, lang)
        assert "<script>" not in html
        assert "<td>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;</td>" in html


def test_datapackage_passes_frictionless(built):
    package = built / paths.DATAPACKAGE
    result = subprocess.run(
        [str(BIN / "frictionless"), "validate", "--json", str(package)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    assert report["valid"], result.stdout[:3000]
    meta = json.loads(package.read_text(encoding="utf-8"))
    names = {r["name"]: r for r in meta["resources"]}
    required = {
        "nobel_prizes": ["year", "field", "imaging_type", "laureates", "motivation", "url"],
        "xiangshan_conferences": [
            "no",
            "session",
            "start_date",
            "end_date",
            "theme_zh",
            "theme_en",
            "city_zh",
            "city_en",
            "chairs_zh",
            "chairs_en",
        ],
        "cast_subcommittees": [
            "discipline",
            "society_zh",
            "society_en",
            "subcommittee_zh",
            "subcommittee_en",
        ],
        "nsfc_instrument_projects": [
            "year",
            "title_zh",
            "title_en",
            "discipline_zh",
            "department_zh",
            "department_en",
            "funding_10k_cny",
            "pi_zh",
            "pi_en",
            "institution_zh",
            "institution_en",
        ],
        "nsfc_creative_group_awards": [
            "year",
            "group_title_zh",
            "group_title_en",
            "pi_zh",
            "pi_en",
            "department_zh",
            "institution_zh",
        ],
    }
    required["nsfc_major_projects"] = required["nsfc_instrument_projects"]
    for name, fields in required.items():
        have = {f["name"]: f for f in names[name]["schema"]["fields"]}
        assert set(fields) <= set(have), name
        assert all(f.get("description") for f in have.values()), name
    counts = {n: len(pd.read_csv(built / paths.DATA_DIR / f"{n}.csv")) for n in names}
    assert counts["nobel_prizes"] == 32 and counts["nsfc_creative_group_awards"] == 18
    assert counts["xiangshan_conferences"] == 25 and counts["cast_subcommittees"] == 65
    assert meta["licenses"] and all(r.get("x-licence") for r in meta["resources"])


def test_provenance(built):
    prov = json.loads((built / paths.PROVENANCE).read_text(encoding="utf-8"))
    entries = {e["path"]: e for e in prov["outputs"]}
    fig = entries["results/figures/fig1_nobel_timeline.zh.png"]
    assert fig["rule"] == "figure" and fig["script"] == "workflow/scripts/make_figure.py"
    assert fig["sha256"] == sha256(built / fig["path"])
    inputs = {i["path"]: i["md5"] for i in fig["inputs"]}
    assert (
        "data/raw/nobel_imaging_prizes.csv" in inputs
        and len(inputs["data/raw/nobel_imaging_prizes.csv"]) == 32
    )
    assert entries["results/claims.json"]["rule"] == "claims"
    for name in tables.TABLES:
        assert str(paths.table_csv(name)) in entries
    assert all(len(e["commit"]) in (40, 7) for e in prov["outputs"])


def test_english_table2_names_the_discipline_not_its_code():
    spec = tables.TABLES["table2_cast_subcommittees"]
    frame = tables.full_table_data(spec, {"cast_subcommittees": rawdata.load("cast_subcommittees")})
    en_headers, en_rows = tables.edition(spec, frame, "en")
    zh_headers, zh_rows = tables.edition(spec, frame, "zh")
    column = en_headers.index("Discipline")
    assert {row[column] for row in en_rows} == {"Science", "Engineering", "Medicine"}
    assert {row[zh_headers.index("大类")] for row in zh_rows} == {"理科", "工科", "医科"}
