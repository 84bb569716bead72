"""The reader's components (biomedimg.site.components): ledger, claims under figures and tables, plotted
values, provenance cards, citation and About page, footer; the .xlsx tables and the data-package zip."""

from __future__ import annotations

import csv
import functools
import html
import http.server
import io
import json
import re
import shlex
import subprocess
import threading
import time
import tomllib
import types
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import markupsafe
import matplotlib.pyplot as plt
import openpyxl
import pandas as pd
import pytest
import yaml
from biomedimg import catalog, paths
from biomedimg.anchors import anchor
from biomedimg.catalog import FIGURES, TABLES
from biomedimg.outputs import datapackage, downloads, provenance
from biomedimg.site import components, render
from biomedimg.vocab import STATUSES
from conftest import BIN, ROOT, run

SITE = ROOT / paths.BOOK_HTML


def claim(**fields) -> dict:
    base = {
        "id": "c1",
        "statement": "c1",
        "section": "2.1",
        "quote_zh": "经费总和超过7亿元",
        "stated": 7,
        "unit": "100M CNY",
        "comparison": "more_than",
        "computed": 7.083274,
        "status": "pass",
        "note": "",
        "rests_on": ["table3_nsfc_projects", "fig_nsfc_instrument_projects"],
        "source": "",
    }
    base.update(fields)
    return base


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML string."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


# ------------------------------------------------------------------------------ words and numbers


@pytest.mark.parametrize(
    ("fields", "zh", "en"),
    [
        ({}, "超过7亿元", "more than 700 million yuan"),
        ({"stated": 1.6}, "超过1.6亿元", "more than 160 million yuan"),
        ({"stated": 17}, "超过17亿元", "more than 1.7 billion yuan"),
        ({"comparison": "at_least", "stated": 3, "unit": "times"}, "不少于3次", "at least 3 times"),
        ({"comparison": "about", "stated": "1/3", "unit": "fraction"}, "约1/3", "about 1/3"),
        ({"comparison": "rank", "stated": 2, "unit": "rank"}, "排名第2", "ranked 2nd"),
        ({"comparison": "equals", "stated": 25, "unit": "count"}, "25", "25"),
        ({"comparison": "equal", "stated": 1995, "unit": "year"}, "1995年", "1995"),
        ({"comparison": "equal", "stated": 1000, "unit": "10k CNY"}, "1000万元", "10 million yuan"),
        ({"comparison": "cited", "stated": 14, "unit": "10k papers"}, "14万篇", "140,000 papers"),
        (
            {"comparison": "cited", "qualifier": "more_than", "stated": 10, "unit": "times"},
            "超过10次",
            "more than 10 times",
        ),
        (
            {"comparison": "range", "stated": 3, "stated_upper": 6, "unit": "years"},
            "介于3年和6年之间",
            "between 3 years and 6 years",
        ),
        (
            {"comparison": "range", "stated": [3, 6], "unit": "years"},
            "介于3年和6年之间",
            "between 3 years and 6 years",
        ),
        ({"comparison": "less_than", "stated": 50, "unit": "percent"}, "不足50%", "less than 50%"),
        (
            {"comparison": "at_most", "stated": 3.9, "unit": "100M USD"},
            "不超过3.9亿美元",
            "at most 390 million US dollars",
        ),
    ],
)
def test_the_comparison_is_said_in_words(fields, zh, en):
    c = claim(**fields)
    assert components.stated_words(c, "zh") == zh
    assert components.stated_words(c, "en") == en


def test_a_comparison_not_known_yet_is_shown_not_hidden():
    assert components.stated_words(claim(comparison="within_a_factor_of_two"), "en") == (
        "700 million yuan (within_a_factor_of_two)"
    )


@pytest.mark.parametrize(
    ("computed", "zh", "en"),
    [
        (7.083274, "7.083274亿元", "708.3274 million yuan"),
        (None, "—", "—"),
        ({"lower": 1.582803}, "不少于1.582803亿元", "at least 158.2803 million yuan"),
        (
            {"lower": 1.5, "upper": 1.7},
            "介于1.5亿元和1.7亿元之间",
            "between 150 million yuan and 170 million yuan",
        ),
        ({"value": 2}, "2亿元", "200 million yuan"),
    ],
)
def test_computed_values_and_bounds_in_words(computed, zh, en):
    c = claim(computed=computed)
    assert components.computed_words(c, "zh") == zh
    assert components.computed_words(c, "en") == en


@pytest.mark.parametrize(
    ("bounds", "zh", "en"),
    [
        ([1.582803, None], "不少于1.582803亿元", "at least 158.2803 million yuan"),
        ([None, 2], "不超过2亿元", "at most 200 million yuan"),
        ([1.5, 1.7], "介于1.5亿元和1.7亿元之间", "between 150 million yuan and 170 million yuan"),
        ([7.083274, 7.083274], "7.083274亿元", "708.3274 million yuan"),
    ],
)
def test_computed_bounds_as_the_ledger_writes_them(bounds, zh, en):
    c = claim(computed=None, computed_bounds=bounds)
    assert components.computed_words(c, "zh") == zh
    assert components.computed_words(c, "en") == en


def test_a_language_other_than_zh_or_en_is_refused():
    with pytest.raises(ValueError, match="lang must be one of zh, en"):
        components.claims_ledger([claim()], "fr")


# ------------------------------------------------------------------------------------------ ledger


def test_each_claim_is_a_row_whose_id_is_the_claim_id():
    claims = [claim(id="a_1"), claim(id="b_2", status="fail"), claim(id="c_3", status="not_derivable")]
    doc = Elements(components.claims_ledger(claims, "zh"))
    rows = [a for t, a in doc.tags if t == "tr" and "data-status" in a]
    assert [r["id"] for r in rows] == ["a_1", "b_2", "c_3"]
    assert [r["data-status"] for r in rows] == ["pass", "fail", "not_derivable"]
    # Each row links to itself, so a reader can copy a claim's address.
    assert [a["href"] for a in doc.find("a") if a.get("class") == "claim-anchor"] == ["#a_1", "#b_2", "#c_3"]


def test_ledger_says_the_comparison_and_links_what_a_claim_rests_on():
    out = components.claims_ledger([claim()], "en", href_of=lambda name: f"page.html#{name}")
    assert "more than 700 million yuan" in out
    assert "708.3274 million yuan" in out
    hrefs = [a["href"] for a in Elements(out).find("a")]
    assert "page.html#table3_nsfc_projects" in hrefs
    assert "page.html#fig_nsfc_instrument_projects" in hrefs


def test_ledger_filters_offer_every_status_and_each_section():
    claims = [claim(id="a", section="2.1"), claim(id="b", section="fig1"), claim(id="c", section="1.1")]
    doc = Elements(components.claims_ledger(claims, "en"))
    selects = {a["data-filter"] for a in doc.find("select")}
    assert selects == {"status", "section"}
    options = [a["value"] for a in doc.find("option")]
    assert options == ["", *STATUSES, "", "1.1", "2.1", "fig1"]
    assert doc.find("input", type="search")
    assert "Showing 3 of 3 claims" in "".join(doc.text)


def test_the_english_ledger_gives_the_translation_marked_and_keeps_the_original():
    c = claim(quote_en="Total funding of more than 700 million yuan")
    en = components.claims_ledger([c], "en")
    zh = components.claims_ledger([c], "zh")
    assert '<q lang="en">Total funding of more than 700 million yuan</q>' in en
    # The mark is said once, a variable of the block that the stylesheet shows before each original.
    assert "--translation-mark:&#34;Translation written for this companion&#34;" in en
    assert en.count('class="quote-original"') == 1
    # (the number the claim checks marked in the quote as printed)
    quote = '<q lang="zh">经费总和超过<mark class="claim-number">7亿元</mark></q>'
    assert quote in en
    assert "Total funding" not in zh and quote in zh
    # Without a translation the English edition shows the original, not an empty translation.
    bare = components.claims_ledger([claim()], "en")
    assert 'class="quote-original"' not in bare and quote in bare


def test_a_css_string_holds_any_text_and_cannot_end_early():
    assert components.css_string("Stated and computed") == '"Stated and computed"'
    assert components.css_string("译文为本项目所作") == '"译文为本项目所作"'
    # Quote, backslash, semicolon and angle brackets as escapes: the string and the rule stay closed.
    assert components.css_string('a"b\\c;</style>') == '"a\\22 b\\5c c\\3b \\3c \\2f style\\3e "'


def test_each_edition_shows_the_note_in_its_own_language():
    c = claim(note="The data give 5, equal to 5 as stated.", note_zh="数据给出5, 等于5, 与陈述相符.")
    zh, en = components.claims_ledger([c], "zh"), components.claims_ledger([c], "en")
    # In the page's language a note needs no mark of its own (the ledger block says its language).
    assert '<td class="col-note">数据给出5, 等于5, 与陈述相符.</td>' in zh and "The data give" not in zh
    assert '<td class="col-note">The data give 5, equal to 5 as stated.</td>' in en and "数据给出" not in en
    # A note without its Chinese (a claims.json of an older build): the English, marked as English.
    old = components.claims_ledger([claim(note="The data give 5.")], "zh")
    assert '<span lang="en">The data give 5.</span>' in old


def test_status_names_and_meanings_come_from_the_vocabulary():
    out = components.claims_ledger([claim(status=s, id=s) for s in STATUSES], "en")
    for status, (_zh, meaning_en) in STATUSES.items():
        assert meaning_en in out
        assert f'class="badge badge-{status}"' in out
    zh = components.claims_ledger([claim(status=s, id=s) for s in STATUSES], "zh")
    for name_zh, _meaning_en in STATUSES.values():
        assert name_zh in zh
    assert set(components.STATUS_MEANINGS_ZH) == set(STATUSES)


def test_a_claim_with_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match=r"unknown status \['maybe'\]"):
        components.claims_ledger([claim(status="maybe")], "en")


HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">&amp; {{ x }}\n\n# not a heading'


def test_data_is_escaped_and_the_output_is_one_html_block(tmp_path):
    c = claim(quote_zh=HOSTILE, note=HOSTILE, quote_en=HOSTILE, id='x"y')
    values = tmp_path / paths.figure_values("fig_patents", "en")
    values.parent.mkdir(parents=True)
    values.write_text(f"label,value\n{HOSTILE.replace(chr(10), ' ')},3\n", encoding="utf-8")
    outputs = [
        components.claims_ledger([c], "en"),
        components.claims_for("table3_nsfc_projects", [c], "zh"),
        components.values_table("fig_patents", "en", root=tmp_path),
        components.provenance_card(
            {"rule": HOSTILE, "script": "s.py", "inputs": [], "commit": HOSTILE},
            [components.Download(HOSTILE, "x.csv", "results/x.csv", "a" * 64)],
            "en",
            rebuild=HOSTILE,
        ),
    ]
    for out in outputs:
        assert "<script>" not in out and "<img" not in out
        assert "&lt;script&gt;" in out or "x&#34;y" in out
        assert out.startswith(("<div", "<details")), "a raw-HTML block must start with a block-level tag"
        assert "\n\n" not in out and not any(not line.strip() for line in out.splitlines()), (
            "a blank line would end the HTML block and hand the rest to the Markdown parser"
        )


# ------------------------------------------------------------------------ claims under figures


def test_claims_for_lists_exactly_the_claims_resting_on_the_target():
    claims = [
        claim(id="on_table", rests_on=["table3_nsfc_projects"]),
        claim(id="on_both", rests_on=["table3_nsfc_projects", "fig_patents"], status="fail"),
        claim(id="elsewhere", rests_on=["fig_patents"]),
    ]
    doc = Elements(components.claims_for("table3_nsfc_projects", claims, "en"))
    assert [a["href"] for a in doc.find("a")] == ["claims.html#on_table", "claims.html#on_both"]
    assert [a["class"] for a in doc.find("span") if a.get("class", "").startswith("badge")] == [
        "badge badge-pass",
        "badge badge-fail",
    ]
    text = "".join(doc.text)
    assert "Claims that rest on this table (2)" in text and "more than 700 million yuan" in text
    empty = components.claims_for("fig_infrastructure", claims, "zh")
    assert "核对表中没有以本图为依据的论断" in empty and "<li>" not in empty


# ----------------------------------------------------------------------------- values of a figure


def test_values_table_shows_every_cell_as_written_with_its_csv(tmp_path):
    rows = [
        ["year", "field", "laureates"],
        ["1901", "physics", "Wilhelm Conrad Röntgen"],
        ["2017", "化学", "0.50"],
    ]
    path = tmp_path / paths.figure_values("fig1_nobel_timeline", "zh")
    path.parent.mkdir(parents=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = components.values_table("fig1_nobel_timeline", "zh", root=tmp_path)
    doc = Elements(out)
    assert doc.find("details")
    assert "本图绘制的数据（2 行）" in "".join(doc.text)
    cells = re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", out)
    assert cells == [c for row in rows for c in row]
    assert doc.find("a", href="figures/fig1_nobel_timeline.values.zh.csv")
    nested = components.values_table("fig1_nobel_timeline", "zh", root=tmp_path, href="../files/v.csv")
    assert 'href="../files/v.csv"' in nested


def test_values_table_marks_the_cells_of_a_column_in_another_language(tmp_path):
    """Figure 1's official motivations are English in both editions: in the Chinese values table
    their cells say so (lang="en"), the other cells are the page's language."""
    from biomedimg.outputs import figures

    plots = figures.build("fig1_nobel_timeline")
    zh, en = plots["zh"].values, plots["en"].values
    path = tmp_path / paths.figure_values("fig1_nobel_timeline", "zh")
    path.parent.mkdir(parents=True)
    zh.to_csv(path, index=False, lineterminator="\n")
    langs = catalog.cell_langs("fig1_nobel_timeline", "zh")
    assert langs == {"授奖理由（诺贝尔奖官网英文原文）": "en"}
    assert catalog.cell_langs("fig1_nobel_timeline", "en") == {}
    assert catalog.cell_langs("fig_patents", "zh") == {}
    out = components.values_table("fig1_nobel_timeline", "zh", root=tmp_path, cell_langs=langs)
    header = re.findall(r"<th[^>]*>([^<]*)</th>", out)
    motivation = header.index("授奖理由（诺贝尔奖官网英文原文）")
    rows = [re.findall(r"<td([^>]*)>([^<]*)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", out)[1:]]
    assert len(rows) == 32
    for row in rows:
        assert [i for i, (attrs, _) in enumerate(row) if 'lang="en"' in attrs] == [motivation]
    assert rows[0][motivation][1].startswith("in recognition of the extraordinary services")
    # The rationale is Chinese in the Chinese edition, English in the English one.
    assert list(zh.columns)[5] == "归为该类型的理由" and list(en.columns)[5] == "Why this imaging type"
    assert all(re.search("[\u4e00-\u9fff]", r) for r in zh["归为该类型的理由"])
    assert zh["归为该类型的理由"].iloc[0].startswith("发现X射线")
    assert en["Why this imaging type"].iloc[0].startswith("Discovery of X-rays")
    with pytest.raises(ValueError, match="has no column"):
        components.values_table("fig1_nobel_timeline", "zh", root=tmp_path, cell_langs={"x": "en"})
    for plot in plots.values():
        plt.close(plot.figure)


def test_values_table_of_a_figure_without_its_values_file_fails_clearly(tmp_path):
    with pytest.raises(FileNotFoundError, match="fig_patents.values.en.csv"):
        components.values_table("fig_patents", "en", root=tmp_path)


# ----------------------------------------------------------------------------- the data dictionary


def esc(text: str) -> str:
    """Text as the book's Jinja templates escape it."""
    return str(markupsafe.escape(text))


def data_dictionary(lang: str, package: dict, out: Path) -> str:
    """The data page's dictionary of ``package`` as an edition renders it."""
    data = types.SimpleNamespace(root=ROOT, package=package)
    render.Edition(data, None, lang, out).data_dictionary()
    return (out / "_fragments" / "data-dictionary.html").read_text(encoding="utf-8")


def test_the_data_dictionary_is_in_each_editions_language(tmp_path):
    """The Chinese edition shows the resources' Chinese titles and descriptions and the fields'
    Chinese descriptions; the English edition the English ones; English left in the Chinese
    edition (a field not yet translated) is marked lang="en"."""
    package = datapackage.build(tmp_path / "data")
    zh = data_dictionary("zh", package, tmp_path / "zh")
    en = data_dictionary("en", package, tmp_path / "en")
    for res in package["resources"]:
        section = {
            lang: unmark_chinese(page).split(f'id="{anchor(res["name"])}"', 1)[1].split("</section>")[0]
            for lang, page in (("zh", zh), ("en", en))
        }
        assert esc(res["title_zh"]) in section["zh"] and esc(res["title"]) not in section["zh"]
        assert esc(res["description_zh"]) in section["zh"]
        assert esc(res["title"]) in section["en"] and esc(res["description"]) in section["en"]
        assert esc(res["title_zh"]) not in section["en"]
        assert esc(res["description_zh"]) not in section["en"]
        zh_cells = re.findall(r"<td( lang=\"en\")?>([^<]*)</td> </tr>", section["zh"])
        en_cells = re.findall(r"<td( lang=\"en\")?>([^<]*)</td> </tr>", section["en"])
        fields = res["schema"]["fields"]
        assert len(zh_cells) == len(en_cells) == len(fields)
        for field, (zh_lang, zh_text), (en_lang, en_text) in zip(fields, zh_cells, en_cells, strict=True):
            assert en_text == esc(field["description"]) and not en_lang
            if "description_zh" in field:
                assert zh_text == esc(field["description_zh"]) and not zh_lang
            else:
                assert zh_text == esc(field["description"]) and zh_lang
    nobel = zh.split('id="nobel_prizes"', 1)[1].split("</section>")[0]
    assert "1901年以来32项获得诺贝尔奖的生物医学影像相关工作" in nobel and "获奖年份" in nobel
    assert "本项目将该奖项归为该成像类型的理由（中文，本项目翻译）" in nobel
    assert 'lang="en"' not in zh.split('id="xiangshan_conferences"', 1)[1].split("</section>")[0]
    # A resource without Chinese shows its English in the Chinese edition, marked as English.
    res = package["resources"][0]
    del res["title_zh"], res["description_zh"]
    zh = unmark_chinese(data_dictionary("zh", package, tmp_path / "zh"))
    assert f'<span lang="en">{esc(res["title"])}</span>' in zh
    assert f'<p class="resource-description" lang="en">{esc(res["description"])}</p>' in zh


# ------------------------------------------------------------------------------- provenance cards


ENTRY = {
    "path": "results/figures/fig_patents.zh.svg",
    "rule": "fig_patents",
    "script": "workflow/scripts/make_figure.py",
    "inputs": [
        {"path": "data/raw/prose_statements.csv", "md5": "1" * 32},
        {"path": "workflow/biomedimg/outputs/figures/fig1_nobel_timeline.py", "md5": "2" * 32},
    ],
    "commit": "0123456789abcdef0123456789abcdef01234567",
}


def card(**kwargs) -> str:
    sha = "f" * 64
    downloads_ = [
        components.Download("SVG", "figures/fig_patents.en.svg", "results/figures/fig_patents.en.svg", sha),
        components.Download(
            "prose_statements.csv",
            "data/prose_statements.csv",
            "results/data/prose_statements.csv",
            "e" * 64,
            md5="1" * 32,
            raw=(components.RawFile("data/raw/prose_statements.csv", "1" * 32),),
        ),
        components.Download(
            "nobel_prizes.csv",
            "data/nobel_prizes.csv",
            "results/data/nobel_prizes.csv",
            "d" * 64,
            md5="3" * 32,
            raw=(
                components.RawFile("data/raw/nobel_imaging_prizes.csv", "4" * 32),
                components.RawFile("data/raw/nobel_laureates_1901_2023.csv", "5" * 32),
            ),
        ),
    ]
    return components.provenance_card(ENTRY, downloads_, "en", rebuild="cmd --x", **kwargs)


def test_provenance_card_prints_every_hash_in_full_with_a_copy_button():
    out = card()
    doc = Elements(out)
    hashes = re.findall(r'<code class="hash">([0-9a-f]+)</code>', out)
    assert {"f" * 64, "e" * 64, "d" * 64, "1" * 32, "3" * 32, "4" * 32, "5" * 32, ENTRY["commit"]} <= set(
        hashes
    )
    copies = {a["data-copy"] for a in doc.find("button")}
    assert set(hashes) <= copies and "cmd --x" in copies
    assert all(a.get("aria-label") for a in doc.find("button"))
    # Only raw data are listed as raw inputs (not the code the rule imports).
    assert "workflow/biomedimg/outputs/figures/fig1_nobel_timeline.py" not in out


def test_provenance_card_says_why_a_download_and_its_raw_file_agree_or_differ():
    out = card()
    assert "A byte-for-byte copy of the raw file data/raw/prose_statements.csv (same md5)." in out
    assert (
        "Built from the raw file(s) data/raw/nobel_imaging_prizes.csv, data/raw/nobel_laureates_1901_2023.csv"
        in out
    )


def test_provenance_card_links_script_and_commit_to_the_configured_repository():
    repo = "https://github.com/example-org/example-repo"
    doc = Elements(card(repo_url=repo + "/"))
    hrefs = [a["href"] for a in doc.find("a")]
    assert f"{repo}/blob/{ENTRY['commit']}/workflow/scripts/make_figure.py" in hrefs
    assert f"{repo}/commit/{ENTRY['commit']}" in hrefs
    assert not [h for h in (a["href"] for a in Elements(card()).find("a")) if "github" in h]


def test_rebuild_command_puts_targets_where_snakemake_reads_them():
    command = provenance.rebuild_command("results/a.en.svg", "results/a.en.png")
    assert command == ".venv/bin/snakemake --cores 1 --force results/a.en.svg results/a.en.png"
    with pytest.raises(ValueError):
        provenance.rebuild_command()


def dry_run(command: str) -> subprocess.CompletedProcess:
    args = shlex.split(command)
    assert args[0] == ".venv/bin/snakemake", "the command is printed for the repository root"
    return run([str(BIN / "snakemake"), *args[1:], "--dry-run"], ROOT, timeout=300)


def jobs_of(output: str) -> dict[str, int]:
    stats = output.split("Job stats:", 1)[1].split("\n\n", 1)[0]
    return {m[0]: int(m[1]) for m in re.findall(r"^(\w+)\s+(\d+)$", stats, re.M) if m[0] != "total"}


def test_printed_rebuild_commands_run_and_rebuild_just_that_output(built):
    """The commands as printed on the site, run from the repository root (dry run)."""
    page = (built / paths.BOOK_HTML / "zh" / "status_investment.html").read_text(encoding="utf-8")
    commands = [html.unescape(c) for c in re.findall(r'<code class="rebuild-command">([^<]*)</code>', page)]
    assert len(commands) >= 8
    figure = next(c for c in commands if "fig_xiangshan_timeline" in c)
    table = next(c for c in commands if "table1_xiangshan_conferences" in c)
    assert "results/figures/fig_xiangshan_timeline.zh.svg" in figure
    assert "results/figures/fig_xiangshan_timeline.zh.png" in figure
    assert ".en." not in figure, "the Chinese page rebuilds the Chinese outputs"
    assert "results/tables/table1_xiangshan_conferences.xlsx" in table
    entries = json.loads((built / paths.PROVENANCE).read_text(encoding="utf-8"))["outputs"]
    rule_of = {e["path"]: e["rule"] for e in entries}
    figure_rule = rule_of["results/figures/fig_xiangshan_timeline.zh.svg"]
    table_rule = rule_of["results/tables/table1_xiangshan_conferences.csv"]
    # One job each: the job that makes these outputs, nothing upstream or downstream.
    assert jobs_of(dry_run(figure).stdout) == {figure_rule: 1}
    assert jobs_of(dry_run(table).stdout) == {table_rule: 1}
    english = provenance.rebuild_command(
        *(str(paths.figure("fig_xiangshan_timeline", "en", fmt)) for fmt in paths.FIGURE_FORMATS)
    )
    assert jobs_of(dry_run(english).stdout) == {figure_rule: 1}


# ------------------------------------------------------------------------------ xlsx and the zip


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "编号 / No.": ["1", "2"],
            "会议主题 / Theme": ["核磁共振与应有的现状与未来", "<b>PET</b> & 21世纪"],
            "经费(万元) / Funding": ["7366.5", "1000"],
            "日期 / Dates": ["1995年12月15~17日", "0123"],
        }
    )


def test_xlsx_keeps_chinese_and_every_cell(tmp_path):
    path = tmp_path / "t.xlsx"
    downloads.write_xlsx(path, frame(), "表1 Table 1", notes=[("标题", "香山科学会议")])
    wb = openpyxl.load_workbook(path)
    ws = wb["表1 Table 1"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == list(frame().columns)
    assert rows[1] == [1, "核磁共振与应有的现状与未来", 7366.5, "1995年12月15~17日"]
    assert rows[2] == [2, "<b>PET</b> & 21世纪", 1000, "0123"], "a leading zero keeps the cell text"
    assert ws.freeze_panes == "A2"
    assert [[c.value for c in r] for r in wb["说明 About"].iter_rows()] == [["标题", "香山科学会议"]]


def test_xlsx_is_byte_identical_whatever_the_clock(tmp_path, monkeypatch):
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 86400 * 400)
    first = downloads.workbook_bytes(frame(), "s")
    monkeypatch.setattr(time, "time", lambda: real() + 86400 * 400)
    second = downloads.workbook_bytes(frame(), "s")
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {i.date_time for i in archive.infolist()} == {downloads.FIXED_DATE}
    core = archive.read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core and str(time.gmtime().tm_year) not in core


def test_built_xlsx_tables_hold_the_csv_cells(built):
    for name in TABLES:
        with open(built / paths.table_csv(name), encoding="utf-8", newline="") as fh:
            expected = list(csv.reader(fh))
        ws = openpyxl.load_workbook(built / paths.table_xlsx(name)).worksheets[0]
        got = [["" if c.value is None else str(c.value) for c in row] for row in ws.iter_rows()]
        assert got == expected, name


def test_datapackage_zip_holds_the_package_and_is_deterministic(built, tmp_path):
    zipped = built / paths.DATAPACKAGE_ZIP
    package = json.loads((built / paths.DATAPACKAGE).read_text(encoding="utf-8"))
    archive = zipfile.ZipFile(zipped)
    folder = package["name"]
    expected = sorted(
        [f"{folder}/datapackage.json"] + [f"{folder}/{r['path']}" for r in package["resources"]]
    )
    assert archive.namelist() == expected
    for name in expected:
        assert archive.read(name) == (built / paths.DATA_DIR / name.split("/", 1)[1]).read_bytes(), name
    assert {i.date_time for i in archive.infolist()} == {downloads.FIXED_DATE}
    # Rewritten from the same files with other modification times: the same bytes.
    copy = tmp_path / "data"
    copy.mkdir()
    for name in expected:
        target = copy / name.split("/", 1)[1]
        target.write_bytes((built / paths.DATA_DIR / target.name).read_bytes())
    again = tmp_path / "again.zip"
    downloads.write_datapackage_zip(again, package, copy)
    assert again.read_bytes() == zipped.read_bytes()


# ------------------------------------------------------------------ citation, About page, footer


def test_citation_cff_is_valid_cff_1_2_0_and_agrees_with_the_project():
    citation = yaml.safe_load((ROOT / paths.CITATION).read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "workflow/schemas/citation-cff-1.2.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(citation, schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["version"] == project["version"]
    assert citation["license"] == project["license"]
    config = components.load_config(ROOT)
    # The companion's titles are the editions' (book/_editions.yml), written once there.
    editions = render.editions_config(ROOT)
    assert editions["zh"]["title"] in citation["title"]
    assert " ".join(editions["en"]["title"].split()) in " ".join(citation["title"].split())
    assert citation.get("repository-code", "") == components.repository_url(config)


def test_the_cff_schema_catches_a_broken_citation():
    schema = json.loads((ROOT / "workflow/schemas/citation-cff-1.2.0.json").read_text(encoding="utf-8"))
    citation = yaml.safe_load((ROOT / paths.CITATION).read_text(encoding="utf-8"))
    del citation["authors"]
    with pytest.raises(jsonschema.ValidationError, match="'authors' is a required property"):
        jsonschema.validate(citation, schema)


def config_with(**review) -> dict:
    config = components.load_config(ROOT)
    config["review"] = {**config["review"], **review}
    return config


def test_the_review_record_shows_only_the_fields_filled():
    out = components.review_reference("en", config=config_with())
    assert "生物医学影像的发展与展望" in out and "Development and prospects of biomedical imaging" in out
    assert "doi" not in out and "review-journal" not in out and "review-authors" not in out
    filled = config_with(authors=["A. Author"], journal="Journal X", year=2020, doi="10.1000/xyz")
    out = components.review_reference("en", config=filled)
    assert (
        "A. Author" in out and "Journal X</span>, 2020" in out and 'href="https://doi.org/10.1000/xyz"' in out
    )
    assert components.review_bibtex(components.review_record(config_with())) == ""
    bib = components.review_bibtex(components.review_record(filled))
    assert bib.startswith("@article{review,") and "journal = {Journal X}" in bib and "volume" not in bib


def validate_config(config: dict) -> None:
    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(config, schema)


def test_the_config_schema_checks_the_repository_and_the_review_record():
    validate_config(components.load_config(ROOT))
    validate_config(config_with(year=2020, doi="10.1000/xyz", authors=["A"]))
    for bad in ({"year": "20x"}, {"doi": "doi:10.1/x"}, {"authors": [""]}):
        with pytest.raises(jsonschema.ValidationError):
            validate_config(config_with(**bad))
    config = components.load_config(ROOT)
    config["repository"] = {"url": "https://example.org/x"}
    with pytest.raises(jsonschema.ValidationError):
        validate_config(config)


def test_about_page_says_how_to_cite_and_every_licence(built):
    package = json.loads((built / paths.DATAPACKAGE).read_text(encoding="utf-8"))
    repo = "https://github.com/example-org/example-repo"
    config = components.load_config(ROOT)
    config["repository"] = {"url": repo}
    for lang in paths.LANGS:
        out = components.about_page(lang, root=ROOT, package=package, config=config)
        doc = Elements(out)
        hrefs = [a["href"] for a in doc.find("a")]
        assert "CITATION.cff" in hrefs and repo in hrefs
        assert "@misc{biomedimg_companion," in out and "version = {0.1.0}" in out
        assert "MIT" in out and "CC-BY-4.0" in out and "CC0" in out
        for res in package["resources"]:
            # Each licence in the page's language (licence_zh of the sidecar in the Chinese edition).
            licence = res["x-licence_zh"] if lang == "zh" else res["x-licence"]
            assert html.escape(licence, quote=False) in out, res["name"]
            # Each source under its title in the page's language.
            own, other = (res["title_zh"], res["title"]) if lang == "zh" else (res["title"], res["title_zh"])
            assert esc(own) in unmark_chinese(out), (lang, res["name"])
            assert esc(other) not in unmark_chinese(out), (lang, res["name"])
    assert repo not in components.about_page("en", root=ROOT, package=package)


def test_footer_shows_the_commit_and_its_date():
    commit = provenance.git_commit(ROOT)
    date = provenance.commit_date(commit, ROOT)
    expected = subprocess.run(
        ["git", "log", "-1", "--format=%cs", commit], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert date == expected and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
    out = components.footer("en", commit=commit, date=date, repo_url="https://github.com/o/r")
    assert (
        f"Built on {date}" in out and commit[:12] in out and f"https://github.com/o/r/commit/{commit}" in out
    )
    assert "构建于" in components.footer("zh", commit=commit, date=date)


def test_footer_names_the_review_with_the_fields_filled():
    def footer(review):
        return components.footer("zh", commit="0" * 40, date="2026-01-01", review=review)

    bare = footer(config_with()["review"])
    assert (
        '<div class="review-reference" lang="zh">' in bare
        and '<cite lang="zh">《生物医学影像的发展与展望》</cite>' in bare
    )
    assert "review-journal" not in bare and "doi" not in bare
    filled = footer(config_with(journal="Journal X", year=2020, doi="10.1000/xyz")["review"])
    assert "Journal X</span>, 2020" in filled and 'href="https://doi.org/10.1000/xyz"' in filled
    assert "review-reference" not in footer(None)


# --------------------------------------------------------------------------------- the built site


def test_the_built_site_carries_the_components(built):
    claims = json.loads((built / paths.CLAIMS_JSON).read_text(encoding="utf-8"))["claims"]
    commit = json.loads((built / paths.PROVENANCE).read_text(encoding="utf-8"))["commit"]
    for lang in paths.LANGS:
        site = built / paths.BOOK_HTML / lang
        ledger = (site / "claims.html").read_text(encoding="utf-8")
        ids = re.findall(r'<tr id="([^"]+)" data-status=', ledger)
        assert ids == [c["id"] for c in by_section(claims)], lang
        pages = "".join(p.read_text(encoding="utf-8") for p in site.glob("*.html"))
        for name in list(FIGURES) + list(TABLES):
            assert f'<div class="claims-for" lang="{lang}" data-target="{name}">' in pages, (lang, name)
        for name in TABLES:
            assert (site / paths.table_xlsx(name).relative_to(paths.RESULTS)).exists()
            assert f'href="tables/{name}.xlsx"' in pages
        assert (site / "datapackage.zip").read_bytes() == (built / paths.DATAPACKAGE_ZIP).read_bytes()
        assert (site / "CITATION.cff").read_bytes() == (built / paths.CITATION).read_bytes()
        about = (site / "about.html").read_text(encoding="utf-8")
        assert "@misc{biomedimg_companion," in about and 'id="how-to-cite"' in about
        # The footer of every page: the commit's date and the commit.
        date = provenance.commit_date(commit, built)
        assert f'<code title="{commit}">{commit[:12]}</code>' in about
        assert ("构建于 " if lang == "zh" else "Built on ") + date in about
        # Wherever the review is named: its record in every page's footer, and on the home page.
        for page in site.glob("*.html"):
            footer = page.read_text(encoding="utf-8").split('<div class="build-info"', 1)
            assert len(footer) == 2 and 'class="review-reference"' in footer[1], (lang, page.name)
        home = (site / "index.html").read_text(encoding="utf-8").split('<div class="build-info"', 1)[0]
        assert '<div class="review-reference" lang="' + lang + '">' in home, lang


def by_section(claims: list[dict]) -> list[dict]:
    """Claims in the ledger's order: grouped by section of the review, in claims.json's order within one."""
    return sorted(claims, key=lambda c: components.section_sort_key(str(c.get("section", ""))))


def unmark_chinese(page: str) -> str:
    """A page without the lang="zh-CN" marks around Chinese runs in English text (lang_runs)."""
    return re.sub(r'<span lang="zh-CN">([^<]*)</span>', r"\1", page)


def ledger_notes(page: str) -> list[tuple[str | None, str]]:
    """(lang, text) of each note of a built ledger page, in the order of the rows."""
    notes = []
    for cell in re.findall(r'<td class="col-note"[^>]*>(.*?)</td>', unmark_chinese(page), flags=re.S):
        span = re.fullmatch(r'<span lang="([^"]+)">(.*)</span>', cell, flags=re.S)
        notes.append((span.group(1), html.unescape(span.group(2))) if span else (None, html.unescape(cell)))
    return notes


def test_each_edition_shows_the_ledger_notes_in_its_language(built):
    """The Chinese edition shows note_zh (no note marked English, in the ledger or under a figure or
    table); the English edition shows the English note, marked as English, as before."""
    claims = json.loads((built / paths.CLAIMS_JSON).read_text(encoding="utf-8"))["claims"]
    site = built / paths.BOOK_HTML
    zh, en = ((site / lang / "claims.html").read_text(encoding="utf-8") for lang in ("zh", "en"))
    # Each in the page's language, so with no mark of its own (the ledger block carries the lang).
    assert ledger_notes(zh) == [(None, c["note_zh"]) for c in by_section(claims)]
    assert ledger_notes(en) == [(None, c["note"]) for c in by_section(claims)]
    assert re.search(r'<div class="ledger-block" lang="zh"', zh) and re.search(
        r'<div class="ledger-block" lang="en"', en
    )
    assert all(re.search("[\u4e00-\u9fff]", c["note_zh"]) for c in claims)
    blocks = re.findall(r'<div class="ledger-block".*?</details>\n</div>\n</div>', zh, flags=re.S)
    assert len(blocks) == 1
    # (an external source's own words and names are in its language: not the ledger's text)
    blocks = [re.sub(r'<[a-z]+ class="claim-evidence".*?</td>', "</td>", blocks[0], flags=re.S)]
    for page in sorted((site / "zh").glob("*.html")):
        blocks += re.findall(
            r'<div class="claims-for".*?</div>', page.read_text(encoding="utf-8"), flags=re.S
        )
    assert len(blocks) > len(FIGURES) and not [b for b in blocks if 'lang="en"' in b]


# ------------------------------------------------------------------------------------- in Chromium


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_browser(built, browser):
    """The built site served on localhost, and the session's Chromium (one Playwright per process)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield browser, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.mark.browser
def test_ledger_on_a_desktop_keeps_its_header_in_view_and_clips_nothing(site_browser):
    browser, base = site_browser
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(base + "en/claims.html", wait_until="networkidle")
    page.evaluate("document.querySelectorAll('details.ledger-group').forEach(d => { d.open = true; })")
    table = page.locator(".ledger-groups")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    box = table.bounding_box()
    article = page.locator("article.bd-article").bounding_box()
    assert box["x"] + box["width"] <= article["x"] + article["width"] + 1, "the ledger fits its column"
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.ledger-groups td, .ledger-groups th')]
                 .filter(c => c.scrollWidth > c.clientWidth + 1).length"""
    )
    assert clipped == 0
    page.evaluate(
        "window.scrollTo(0, document.querySelector('.ledger-groups tbody tr:nth-child(30)')"
        ".getBoundingClientRect().top + window.scrollY)"
    )
    header = page.locator(".ledger-groups table:has(tbody tr:nth-child(30)) thead th").first.bounding_box()
    bar = page.locator(".bd-header-article").bounding_box()
    assert 0 <= header["y"] and abs(header["y"] - (bar["y"] + bar["height"])) <= 2, (
        "header sticks under the bar"
    )
    page.close()


@pytest.mark.browser
def test_ledger_on_a_phone_reads_as_cards(site_browser):
    browser, base = site_browser
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + "en/claims.html", wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.evaluate("document.querySelectorAll('details.ledger-group').forEach(d => { d.open = true; })")
    row = page.locator(".ledger-groups tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    box = row.bounding_box()
    assert box["width"] > 300 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    status = row.locator("td.col-status .badge").bounding_box()
    assert status["x"] + status["width"] <= 390, "the status is on screen"
    page.close()


@pytest.mark.browser
def test_ledger_filters_and_anchors_work(site_browser):
    browser, base = site_browser
    claims = json.loads((ROOT / paths.CLAIMS_JSON).read_text(encoding="utf-8"))["claims"]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(base + "en/claims.html", wait_until="networkidle")
    rows = page.locator(".ledger-groups tbody tr")
    page.select_option("select[data-filter=status]", "not_derivable")
    assert page.locator(".ledger-groups tbody tr:visible").count() == sum(
        c["status"] == "not_derivable" for c in claims
    )
    page.select_option("select[data-filter=status]", "pass")
    page.select_option("select[data-filter=section]", "2.1")
    expected = sum(c["status"] == "pass" and c["section"] == "2.1" for c in claims)
    assert expected > 0
    assert page.locator(".ledger-groups tbody tr:visible").count() == expected
    assert page.locator(".ledger-count").inner_text() == f"Showing {expected} of {len(claims)} claims"
    page.click(".ledger-filters button[type=reset]")
    page.wait_for_function("document.querySelectorAll('.ledger-groups tbody tr[hidden]').length === 0")
    assert page.locator(".ledger-groups tbody tr:not([hidden])").count() == rows.count() == len(claims)
    # Without a filter the sections the filter opened close again: the page is short.
    assert page.locator("details.ledger-group[open]").count() == 0
    # A claim's address lands on its row, in view below the sticky header.
    target = claims[len(claims) // 2]["id"]
    page.goto(base + f"en/claims.html#{target}", wait_until="networkidle")
    top = page.locator(f"tr[id='{target}']").bounding_box()["y"]
    assert 48 <= top <= 900
    page.close()


@pytest.mark.browser
def test_copy_buttons_copy_the_full_hash(site_browser):
    browser, base = site_browser
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(base + "zh/status_investment.html", wait_until="networkidle")
    page.locator(".provenance-card summary").first.click()  # cards are collapsed
    button = page.locator(".provenance-card .hash-line button").first
    value = button.get_attribute("data-copy")
    assert re.fullmatch(r"[0-9a-f]{32}|[0-9a-f]{64}", value)
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == value
    assert button.inner_text() == "已复制"
    context.close()


def test_the_english_edition_renders_from_the_built_outputs(built, tmp_path):
    """What helper "book" will call per edition: every component in English, from the real outputs."""
    from biomedimg.site import render

    data = render.Data(built)
    ctx = render.Edition(data, render.Layout.scan(built), "en", tmp_path)
    include = ctx.figure("fig_xiangshan_timeline")
    figure = (tmp_path / "_fragments" / "figure-fig_xiangshan_timeline.html").read_text(encoding="utf-8")
    assert "_fragments/figure-fig_xiangshan_timeline.html" in include
    assert "Claims that rest on this figure" in figure and "Provenance" in figure
    command = html.unescape(re.search(r'<code class="rebuild-command">([^<]*)</code>', figure)[1])
    targets = command.split()[4:]
    assert "results/figures/fig_xiangshan_timeline.en.svg" in targets
    assert "results/figures/fig_xiangshan_timeline.en.png" in targets
    assert not [t for t in targets if ".zh." in t], "the English card rebuilds the English outputs"
    ctx.table("table3_nsfc_projects")
    table = (tmp_path / "_fragments" / "table-table3_nsfc_projects.html").read_text(encoding="utf-8")
    assert "Claims that rest on this table" in table and "table3_nsfc_projects.xlsx" in table
    ctx.claims_table()
    ledger = (tmp_path / "_fragments" / "claims-ledger.html").read_text(encoding="utf-8")
    assert "Showing" in ledger and ledger.count("<tr id=") == len(data.claims)
    with_translation = [c for c in data.claims if (c.get("quote_en") or "").strip()]
    # Each translated quote keeps its original, marked by the block's one "translation written" mark.
    assert ledger.count('class="quote-original"') == len(with_translation)
    assert ledger.count("Translation written for this companion") == 1
    ctx.about_page()
    assert "How to cite this companion" in (tmp_path / "_fragments" / "about.html").read_text(
        encoding="utf-8"
    )


def test_chinese_runs_in_english_text_are_marked_and_everything_is_escaped():
    assert (
        components.lang_runs("The 十余次 <b>other</b> conferences, 《综述》", "en")
        == 'The <span lang="zh-CN">十余次</span> &lt;b&gt;other&lt;/b&gt; conferences, '
        '<span lang="zh-CN">《综述》</span>'
    )
    assert components.lang_runs("十余次 <b>", "zh") == "十余次 &lt;b&gt;"
    assert components.lang_runs(None, "en") == ""


def test_a_numbers_preview_gives_status_values_and_the_evidence_in_one_line():
    c = claim(
        note="The data give 7.08, more than 7 as stated. Table 3 sums the grants.",
        note_zh="数据给出7.08，超过7。表3合计。",
    )
    en, zh = components.claim_ref(c, "en")["preview"], components.claim_ref(c, "zh")["preview"]
    assert en["status"] == "pass" and en["label"] == components.status_label("pass", "en")
    assert en["stated"] == ["Stated", components.stated_words(c, "en")]
    assert en["computed"] == ["Computed", components.computed_words(c, "en", as_printed=True)]
    # The note's first sentence: why the claim has its status.
    assert en["evidence"] == "The data give 7.08, more than 7 as stated."
    assert zh["evidence"] == "数据给出7.08，超过7。" and zh["go"] == "查看核对"
    # External evidence: each source's publisher and the date it refers to, the value "Source gives".
    row = {"id": "e1", "url": "https://example.org", "kind": "primary", "publisher": "NIH", "as_of": "2018"}
    ext = components.claim_ref(
        claim(external_evidence_rows=[row, {**row, "publisher": "Fed", "as_of": ""}]), "en"
    )
    assert ext["preview"]["computed"][0] == "Source gives"
    assert ext["preview"]["evidence"] == "NIH, as of 2018; Fed, as of undated; retrieved "
    # A long first sentence is cut: the preview stays small, the row has it all.
    long = components.claim_ref(claim(note="x" * 500), "en")["preview"]["evidence"]
    assert len(long) == components.PREVIEW_CHARS and long.endswith("…")
