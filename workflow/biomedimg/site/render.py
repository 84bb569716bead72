"""Render the book's two editions (Chinese and English) from one set of sources.

Each page is one Jinja template (``book/<page>.md``) rendered once per language: the project's own
prose in ``{% if lang == "zh" %}…{% else %}…{% endif %}`` blocks (or ``t("中文", "English")`` for a
heading), the data calls (``figure()``, ``table()``…) shared, so both editions show the same things and
adding a figure to a page is one line.
Everything that comes from data (figures' captions and cards, tables, the claims ledger, the data
dictionary) is rendered by autoescaped Jinja2 templates (``workflow/templates/site``) into HTML files under
``_fragments/`` and included by a ``{raw} html`` directive with ``:file:``: no cell, note or sidecar
field ever reaches the Markdown/MyST parser, so a blank line or a directive in the data stays text.
Numbers the prose states are read from the claims ledger, so a corrected data row changes the prose.
The book reads only what the jobs before it declared as outputs (the tables' HTML, the figures and
their values, the claims, the data package, provenance), never ``data/raw``: a table on a page is the
fragment the table job wrote, byte for byte.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import jinja2
import yaml

from biomedimg import catalog, links, paths, vocab
from biomedimg.anchors import anchor, href
from biomedimg.catalog import FIGURES, PUBLISHED_AS, TABLES, published_resources
from biomedimg.data import nobel, rawdata
from biomedimg.io import load_yaml
from biomedimg.outputs import claims, interactive
from biomedimg.outputs.provenance import commit_date, file_hash, rebuild_command
from biomedimg.site import components

FILES = "files"  # copied to each edition's root by html_extra_path
FRAGMENTS = "_fragments"
EDITIONS_FILE = "_editions.yml"
CLAIM_REFS = f"{FRAGMENTS}/claim-refs.json"  # the ledger row of each claim, for the chapters' numbers

# The review's own figures keep its numbers; every other figure is the companion's, labelled C1, C2…
REVIEW_FIGURES = {"fig1_nobel_timeline": 1}

UI = {
    "zh": {
        "figure": "图{n}",
        "companion_figure": "本书图C{n}",
        "companion_note": "（本书绘制，非综述原图）",
        "full_size": "查看原尺寸图片",
        "statements_headers": ("编号", "章节", "原文", "陈述值", "所指对象", "说明"),
        "fields_headers": ("字段", "类型", "说明"),
        "chinese": "中文",
        "translation": "本项目的翻译",
        "cite_this": "引用本{kind}：",
        "cite_kinds": {"figure": "图", "table": "表"},
        "version": "版本",
        "explore": "交互图",
        "static_image": "静态图",
        "findings_title": "主要发现",
        "statements_count": "{n} 个数字",
        "statements_count_one": "1 个数字",
        "swot_claims": "本节的论断（{n}）",
        "swot": {"strengths": "优势", "weaknesses": "劣势", "opportunities": "机会", "threats": "威胁"},
    },
    "en": {
        "figure": "Figure {n}",
        "companion_figure": "Companion figure C{n}",
        "companion_note": " (drawn for this companion, not a figure of the review)",
        "full_size": "Open the full-size image",
        "statements_headers": ("Id", "Section", "Quote", "Stated", "Quantity", "Note"),
        "fields_headers": ("Field", "Type", "Description"),
        "chinese": "Chinese",
        "translation": "translated for this project",
        "cite_this": "Cite this {kind}:",
        "cite_kinds": {"figure": "figure", "table": "table"},
        "version": "version",
        "explore": "Explore",
        "static_image": "Static image",
        "findings_title": "Key findings",
        "statements_count": "{n} numbers",
        "statements_count_one": "1 number",
        "swot_claims": "Claims of this section ({n})",
        "swot": {
            "strengths": "Strengths",
            "weaknesses": "Weaknesses",
            "opportunities": "Opportunities",
            "threats": "Threats",
        },
    },
}

# Table Schema field types as the Chinese data page names them (the English shows the type itself).
FIELD_TYPES = {"string": "文本", "integer": "整数", "number": "数值", "boolean": "布尔值", "date": "日期"}

CALL = re.compile(r"""\b(figure|table)\(\s*["'](\w+)["']\s*\)""")


def editions_config(root: Path = paths.ROOT) -> dict:
    with open(root / paths.BOOK_DIR / EDITIONS_FILE, encoding="utf-8") as fh:
        return load_yaml(fh)


def toc_pages(root: Path = paths.ROOT) -> list[str]:
    """The pages in reading order (root first), from the one _toc.yml both editions share."""
    with open(root / paths.BOOK_DIR / "_toc.yml", encoding="utf-8") as fh:
        toc = load_yaml(fh)
    return [toc["root"]] + [c["file"] for c in toc.get("chapters", [])]


@dataclass(frozen=True)
class Layout:
    """Where each figure and table is shown and what it is called, the same in both editions."""

    page_of: dict[str, str]
    figure_order: list[str]

    @classmethod
    def scan(cls, root: Path = paths.ROOT) -> Layout:
        page_of, order = {}, []
        for page in toc_pages(root):
            text = (root / paths.BOOK_DIR / f"{page}.md").read_text(encoding="utf-8")
            for kind, name in CALL.findall(text):
                page_of.setdefault(name, page)
                if kind == "figure" and name not in order:
                    order.append(name)
        return cls(page_of, order)

    def label(self, name: str, lang: str) -> str:
        ui = UI[lang]
        if name in TABLES:
            return vocab.TABLE_LABEL[lang].format(n=TABLES[name].number)
        if name in REVIEW_FIGURES:
            return ui["figure"].format(n=REVIEW_FIGURES[name])
        companion = [n for n in self.figure_order if n not in REVIEW_FIGURES]
        return ui["companion_figure"].format(n=companion.index(name) + 1)


class Data:
    """What both editions show: provenance, claims and the data package (the tables come as the HTML
    the table jobs wrote, read where a page shows them)."""

    def __init__(self, root: Path):
        self.root = root
        with open(root / paths.PROVENANCE, encoding="utf-8") as fh:
            prov = json.load(fh)
        self.commit = prov["commit"]
        self.by_path = {e["path"]: e for e in prov["outputs"]}
        with open(root / paths.CLAIMS_JSON, encoding="utf-8") as fh:
            self.claims = json.load(fh)["claims"]
        self.claim_by_id = {c["id"]: c for c in self.claims}
        with open(root / paths.DATAPACKAGE, encoding="utf-8") as fh:
            self.package = json.load(fh)
        self.statements = self.resource("prose_statements")
        self.exchange_rates = self.resource("exchange_rates")
        # Figure 1 counts works; a prize shared by two works counts once among the prizes.
        self.figure1_prizes = nobel.distinct_prizes(self.resource("nobel_prizes"), category="field")
        # English translations of the quoted sentences, by statement id (written for this project).
        translations = self.resource("prose_translations")
        self.quote_en = dict(zip(translations["id"], translations["quote_en"], strict=True))
        self.config = components.load_config(root)
        self.repo_url = components.repository_url(self.config)
        self.commit_date = commit_date(self.commit, root)
        self.citation = components.load_citation(root)

    def resource(self, name: str):
        """A resource of the published data package (results/data/), typed by the schema the package
        gives it: the data the book shows, as published, read by the one reader of validated data."""
        res = next(r for r in self.package["resources"] if r["name"] == name)
        text = (self.root / paths.DATA_DIR / res["path"]).read_text(encoding="utf-8")
        return rawdata.read(text, res["schema"]["fields"])


class Edition:
    """One language edition: the functions its page templates call."""

    def __init__(self, data: Data, layout: Layout, lang: str, out: Path):
        self.data, self.layout, self.lang, self.out = data, layout, lang, out
        self.ui = UI[lang]
        self.components = book_components(data.root)
        # "Cite this" under each figure and table: the companion (its title in this edition, its
        # version from CITATION.cff), the figure or table, and its address on the site.
        self.site_title = editions_config(data.root)[lang]["title"]
        self.views: dict[str, dict] = {}

    def cite(self, name: str, kind: str) -> dict:
        return {
            "lead": self.ui["cite_this"].format(kind=self.ui["cite_kinds"][kind]),
            "title": self.site_title,
            "version": str(self.data.citation.get("version") or ""),
            "label": self.layout.label(name, self.lang),
            "href": href(self.layout.page_of[name], name),
        }

    # -- fragments: data as escaped HTML, included raw so MyST never parses it -----------------
    def fragment(self, key: str, template: str, **values) -> str:
        self.views[key] = values  # what the fragment shows, as data, for the PDF (biomedimg.site.pdf)
        return self.html_fragment(
            key, self.components.get_template(template).render(ui=self.ui, **{"lang": self.lang, **values})
        )

    def html_fragment(self, key: str, text: str) -> str:
        """Already-escaped HTML (a biomedimg.site.components string) as a fragment the page includes raw."""
        path = self.out / FRAGMENTS / f"{key}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return f"```{{raw}} html\n:file: {FRAGMENTS}/{key}.html\n```\n"

    # -- numbers in the prose ---------------------------------------------------------------
    def claim(self, claim_id: str) -> dict:
        return self.data.claim_by_id[claim_id]

    def computed(self, claim_id: str):
        value = self.claim(claim_id)["computed"]
        if value is None:
            raise ValueError(f"claim {claim_id} has no computed value to state in the prose")
        return int(value) if float(value).is_integer() else value

    def check(self, claim_id: str, shown=None) -> str:
        """A number the page prints, linked to its claim's row of the ledger with the claim's status
        beside it: ``shown`` is the number as the page prints it (by default the stated value), and
        stays exactly that text. It is the MyST role ``claim`` with the content "shown <claim_id>"
        (biomedimg.site.sphinx_ext), which builds the link from CLAIM_REFS as docutils nodes, so
        nothing of the claim reaches a markup parser; the PDF prints the number alone."""
        self.claim(claim_id)  # KeyError for a claim the ledger does not hold
        text = str(self.stated(claim_id) if shown is None else shown)
        if not text or any(ch in text for ch in "`<>\n"):
            raise ValueError(f"claim {claim_id}: the number shown must be one line without ` < >: {text!r}")
        return f"{{claim}}`{text} <{claim_id}>`"

    def write_claim_refs(self) -> None:
        """Each claim's ledger anchor, status and preview in this edition's language (CLAIM_REFS), read
        by the ``claim`` role when Sphinx reads a page (a change of status rereads the pages)."""
        refs = {c["id"]: components.claim_ref(c, self.lang) for c in self.data.claims}
        path = self.out / CLAIM_REFS
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(refs, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )

    def stated(self, claim_id: str):
        value = self.claim(claim_id)["stated"]
        return int(value) if isinstance(value, float) and value.is_integer() else value

    def statement(self, statement_id: str) -> dict:
        """A row of prose_statements.csv (for the parts of a stated range no claim holds)."""
        rows = self.data.statements[self.data.statements["id"] == statement_id].to_dict("records")
        if not rows:
            raise KeyError(f"no prose statement {statement_id}")
        return {
            k: (int(v) if isinstance(v, float | Decimal) and float(v).is_integer() else v)
            for k, v in rows[0].items()
        }

    def usd_rate(self, year: int) -> float:
        """The year's average CNY per USD (exchange_rates.csv)."""
        rates = self.data.exchange_rates
        return float(rates.loc[(rates["year"] == year) & (rates["base"] == "USD"), "rate"].iloc[0])

    def claims_counts(self) -> dict:
        """Claims per status, every status of vocab.STATUSES (zero counts included), in its order."""
        counts = dict.fromkeys(vocab.STATUSES, 0)
        for c in self.data.claims:
            counts[c["status"]] += 1
        return counts

    # -- links ------------------------------------------------------------------------------
    def ref(self, name: str) -> str:
        """An inline link to a figure or table, by its label in this edition."""
        return self.components.get_template("ref.html").render(
            label=self.layout.label(name, self.lang), href=href(self.layout.page_of[name], name)
        )

    # -- provenance -------------------------------------------------------------------------
    def card(self, outputs: list[str], downloads: list[tuple[str, str]]) -> str:
        """The provenance card (biomedimg.site.components); its rebuild command makes this edition's outputs.

        ``downloads`` are (label, path under results/) pairs; each is shown with its own hashes.
        """
        entry = self.data.by_path[outputs[0]]
        mine = [o for o in outputs if o in self.data.by_path and _lang_of(o) in (None, self.lang)]
        return components.provenance_card(
            entry,
            [self.download(label, path) for label, path in downloads],
            self.lang,
            rebuild=rebuild_command(*mine),
            repo_url=self.data.repo_url,
        )

    def download(self, label: str, path: str) -> components.Download:
        """A built file offered for download, with its hashes and, if published from raw files, theirs."""
        rel = Path(path)
        raw = ()
        if rel.parent == paths.DATA_DIR and rel.suffix == ".csv":
            # The raw files' md5 as the job that published them read them (provenance), not data/raw.
            read = {i["path"]: i["md5"] for i in self.data.by_path[path]["inputs"]}
            raw = tuple(
                components.RawFile(str(paths.raw_csv(n)), read[str(paths.raw_csv(n))])
                for n in paths.raw_names()
                if PUBLISHED_AS.get(n, n) == rel.stem
            )
        return components.Download(
            label=label,
            href=str(rel.relative_to(paths.RESULTS)),
            path=path,
            sha256=file_hash(self.data.root / rel, "sha256"),
            md5=file_hash(self.data.root / rel, "md5") if raw else "",
            raw=raw,
        )

    def data_downloads(self, datasets) -> list[tuple[str, str]]:
        """The published CSVs (data package resources) built from these raw datasets."""
        return [(f"{r}.csv", str(paths.data_csv(r))) for r in published_resources(datasets)]

    def beside(self, name: str) -> str:
        """What goes under a figure or table before its card: its plotted values, the claims on it."""
        parts = []
        values = str(paths.figure_values(name, self.lang))
        if name in FIGURES and values in self.data.by_path:  # once the figure rule declares its values
            xlsx = paths.figure_values_xlsx(name, self.lang)
            parts.append(
                components.values_table(
                    name,
                    self.lang,
                    root=self.data.root,
                    cell_langs=catalog.cell_langs(name, self.lang),
                    xlsx_href=str(xlsx.relative_to(paths.RESULTS))
                    if str(xlsx) in self.data.by_path
                    else None,
                )
            )
        parts.append(components.claims_for(name, self.data.claims, self.lang))
        return "\n".join(parts)

    # -- figures and tables -----------------------------------------------------------------
    def figure(self, name: str) -> str:
        spec = FIGURES[name]
        site = lambda p: str(Path(p).relative_to(paths.RESULTS))  # noqa: E731
        outputs = [str(paths.figure(name, lang, fmt)) for lang in paths.LANGS for fmt in paths.FIGURE_FORMATS]
        downloads = [
            (
                f"{fmt.upper()} {UI[self.lang]['chinese'] if lang == 'zh' else 'English'}",
                str(paths.figure(name, lang, fmt)),
            )
            for lang in (self.lang, paths.other_lang(self.lang))
            for fmt in paths.FIGURE_FORMATS
        ]
        values = str(paths.figure_values(name, self.lang))
        if values in self.data.by_path:
            outputs.append(values)
            downloads.append((Path(values).name, values))
        values_xlsx = str(paths.figure_values_xlsx(name, self.lang))
        if values_xlsx in self.data.by_path:  # Excel and WPS open it with its Chinese intact
            outputs.append(values_xlsx)
            downloads.append((Path(values_xlsx).name, values_xlsx))
        downloads += self.data_downloads(spec.datasets)
        mine = [str(paths.figure(name, self.lang, fmt)) for fmt in paths.FIGURE_FORMATS]
        caption = getattr(spec, f"caption_{self.lang}")
        return self.fragment(
            f"figure-{name}",
            "figure.html",
            id=anchor(name),
            name=name,
            # Shown as SVG: sharp at any column width and lighter than the 300-dpi PNG (a download).
            svg=site(paths.figure(name, self.lang, "svg")),
            alt=" ".join(caption.split()),
            label=self.layout.label(name, self.lang),
            caption=caption,
            companion=name not in REVIEW_FIGURES,
            # Its interactive chart, drawn from the same values CSV (None for a figure without one).
            explore=interactive.panels(name, self.lang, self.data.root, self.data.claims)
            if name in interactive.CHARTS and values in self.data.by_path
            else None,
            cite=self.cite(name, "figure"),
            card=jinja2.utils.markupsafe.Markup(
                self.beside(name) + "\n" + self.card(mine + [o for o in outputs if o not in mine], downloads)
            ),
        )

    def table(self, name: str) -> str:
        spec = TABLES[name]
        fragments = [str(paths.table_html(name, lang)) for lang in paths.LANGS]
        files = [str(paths.table_csv(name)), str(paths.table_xlsx(name)), *fragments]
        files = [f for f in files if f in self.data.by_path]
        downloads = [(Path(f).name, f) for f in files if not f.endswith(".html")]
        downloads += self.data_downloads(spec.datasets)
        return self.fragment(
            f"table-{name}",
            "table.html",
            name=name,
            # The table job's fragment as it wrote it (escaped by its template): the one rendering.
            table=jinja2.utils.markupsafe.Markup(
                (self.data.root / paths.table_html(name, self.lang)).read_text(encoding="utf-8")
            ),
            cite=self.cite(name, "table"),
            card=jinja2.utils.markupsafe.Markup(self.beside(name) + "\n" + self.card(files, downloads)),
        )

    # -- the claims ledger and the data dictionary ------------------------------------------
    def claims_table(self) -> str:
        page_of = self.layout.page_of
        ledger = components.claims_ledger(
            self.data.claims,
            self.lang,
            href_of=lambda r: href(page_of[r], r) if r in page_of else None,
            label_of=lambda r: self.layout.label(r, self.lang) if r in page_of else r,
        )
        return self.html_fragment("claims-ledger", ledger)

    def about_page(self) -> str:
        about = components.about_page(
            self.lang, root=self.data.root, package=self.data.package, config=self.data.config
        )
        return self.html_fragment("about", about)

    def review_reference(self) -> str:
        return self.html_fragment(
            "review-reference", components.review_reference(self.lang, config=self.data.config)
        )

    def other_statements(self) -> str:
        """Prose statements that no claim checks, so every stated number is on the site."""
        in_ledger = {c["statement"] for c in self.data.claims}
        rows = []
        for r in self.data.statements.to_dict("records"):
            if r["id"] in in_ledger:
                continue
            # The stated value as the edition's language says it (2000年 / 2000, 约20年 / about 20 years).
            stated = components.stated_words(
                {
                    "comparison": claims.QUALIFIER_COMPARISON.get(r["qualifier"], r["qualifier"]),
                    "stated": r["value"],
                    "value_upper": r["value_upper"] if _present(r["value_upper"]) else None,
                    "unit": r["unit"],
                },
                self.lang,
            )
            note, note_lang = _statement_note(r, self.lang)
            rows.append(
                {
                    "id": r["id"],
                    "anchor": anchor(r["id"]),
                    "section": r["section"],
                    "quote_zh": r["quote_zh"],
                    "quote_en": self.data.quote_en.get(r["id"]) if self.lang == "en" else None,
                    "stated": stated,
                    # What the number is about: the English quantity, or in Chinese the printed entity.
                    "quantity": r["quantity_en"] if self.lang == "en" else r["entity_zh"],
                    "reason": _not_a_claim(r.get("not_a_claim_reason"), self.lang),
                    "note": note,
                    "note_lang": note_lang,
                }
            )
        # Grouped by section of the review like the ledger, each group a <details> with its counts.
        groups = []
        for section in sorted({str(r["section"]) for r in rows}, key=components.section_sort_key):
            members = [r for r in rows if str(r["section"]) == section]
            groups.append(
                {
                    "anchor": "other-statements-section-" + re.sub(r"[^0-9A-Za-z]+", "-", section),
                    "label": components.section_label(section, self.lang),
                    "total": self.ui["statements_count_one"]
                    if len(members) == 1
                    else self.ui["statements_count"].format(n=len(members)),
                    "rows": members,
                }
            )
        return self.fragment("other-statements", "statements.html", rows=rows, groups=groups)

    def findings(self) -> str:
        """The home page's key findings: the ledger's counts by status (those of metrics.json), how many
        numbers were checked against independent evidence and against sources outside the review."""
        counts = self.claims_counts()
        in_ledger = {c["statement"] for c in self.data.claims}
        return self.fragment(
            "key-findings",
            "findings.html",
            text={"title": self.ui["findings_title"]},
            total=len(self.data.claims),
            independent=sum(counts[s] for s in vocab.INDEPENDENT),
            counts=counts,
            external=sum(1 for c in self.data.claims if c.get("external_evidence_rows")),
            other=sum(1 for i in self.data.statements["id"] if i not in in_ledger),
            statuses=[
                {
                    "code": s,
                    "count": n,
                    "label": components.status_label(s, self.lang),
                    "meaning": components.status_meaning(s, self.lang),
                }
                for s, n in counts.items()
            ],
            ledger_href="claims.html",
        )

    def swot_matrix(self, quadrants: list[dict]) -> str:
        """The review's SWOT as a 2×2 matrix. Each quadrant names its ``key`` (strengths, weaknesses,
        opportunities, threats) and ``section``, and either a ``statement`` of prose_statements.csv (its
        quote, translation and listed items in prose_enumerations.csv) or the review's
        sentence as printed (``quote_zh``) with this project's translation (``quote_en``); each quadrant lists
        the claims of its section."""
        enumerations = rawdata.load("prose_enumerations", self.data.root)
        cells = []
        for q in quadrants:
            key = q["key"]
            cell = {
                "key": key,
                "anchor": f"swot-{key}",
                "letter": key[0].upper(),
                "title": self.ui["swot"][key],
                "section": q["section"],
                "items": [],
                # The claims of the quadrant's section of the review, each linked to its ledger row.
                "claims": [
                    {
                        "id": c["id"],
                        "href": href("claims", c["id"]),
                        "status": c["status"],
                        "label": components.status_label(c["status"], self.lang),
                        "stated": components.stated_words(c, self.lang),
                    }
                    for c in self.data.claims
                    if str(c.get("section")) == q["section"]
                ],
            }
            statement = q.get("statement")
            if statement:
                cell["quote_zh"] = self.statement(statement)["quote_zh"]
                cell["quote_en"] = self.data.quote_en.get(statement) if self.lang == "en" else None
                rows = enumerations[enumerations["statement"] == statement].sort_values("position")
                cell["items"] = [
                    {"text": r[f"item_{self.lang}"], "lang": None} for r in rows.to_dict("records")
                ]
            else:
                cell["quote_zh"] = q["quote_zh"]
                cell["quote_en"] = q["quote_en"] if self.lang == "en" else None
            cells.append(cell)
        return self.fragment("swot-matrix", "swot.html", quadrants=cells)

    def data_dictionary(self) -> str:
        """Every resource of the data package with its fields, titles and descriptions in this
        edition's language (Chinese from ``title_zh``/``description_zh``; where a text has no Chinese,
        the English, marked ``lang="en"``)."""
        resources = [
            {
                "name": res["name"],
                "anchor": anchor(res["name"]),
                "title": components.described(res, "title", self.lang),
                "path": res["path"],
                "description": components.described(res, "description", self.lang),
                "fields": [
                    {
                        "name": f["name"],
                        "type": FIELD_TYPES.get(f["type"], f["type"]) if self.lang == "zh" else f["type"],
                        "description": components.described(f, "description", self.lang),
                    }
                    for f in res["schema"]["fields"]
                ],
            }
            for res in self.data.package["resources"]
        ]
        return self.fragment("data-dictionary", "data_dictionary.html", resources=resources)

    def globals(self) -> dict:
        return {
            "lang": self.lang,
            "t": lambda zh, en: zh if self.lang == "zh" else en,
            "figure": self.figure,
            "table": self.table,
            "ref": self.ref,
            "claim": self.claim,
            "statement": self.statement,
            "usd_rate": self.usd_rate,
            "computed": self.computed,
            "stated": self.stated,
            "claims_table": self.claims_table,
            "about_page": self.about_page,
            "review_reference": self.review_reference,
            "check": self.check,
            "status_label": lambda status: components.status_label(status, self.lang),
            "claims_counts": self.claims_counts(),
            "claims_independent": sum(self.claims_counts()[s] for s in vocab.INDEPENDENT),
            "statuses": vocab.STATUSES,
            "ordinal": vocab.ordinal,
            "figure1_prizes": self.data.figure1_prizes,
            "data_dictionary": self.data_dictionary,
            "other_statements": self.other_statements,
            "findings": self.findings,
            "swot_matrix": self.swot_matrix,
            "commit": self.data.commit,
            "package": self.data.package,
        }


def _present(value) -> bool:
    return value is not None and str(value) not in ("", "nan", "None")


def _statement_note(row: dict, lang: str) -> tuple[str, str | None]:
    """A prose statement's note in the edition's language (``note_zh`` in the Chinese edition,
    ``note`` in the English one) and the ``lang`` attribute it needs: None in the page's language;
    "en" for the English note a Chinese page would fall back to (validation requires note_zh with
    every note, so only data that skipped validation gets there)."""
    if lang == "zh" and _present(row.get("note_zh")):
        return row["note_zh"], None
    note = row["note"] if _present(row.get("note")) else ""
    return note, "en" if note and lang != "en" else None


def _not_a_claim(reason, lang: str) -> str:
    """Why a statement is not a claim (vocab.NOT_A_CLAIM_REASONS), as a lead-in to its note."""
    if not _present(reason):
        return ""
    zh, en = vocab.NOT_A_CLAIM_REASONS[reason]
    return f"{zh}。" if lang == "zh" else f"Not a claim: {en}. "


def _lang_of(path: str) -> str | None:
    """The language of an output named <name>.<lang>.<ext> (None for outputs in both languages)."""
    parts = Path(path).name.split(".")
    return next((p for p in parts[1:-1] if p in paths.LANGS), None)


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def edition_config(root: Path, lang: str, data: Data) -> dict:
    """The edition's _config.yml: the shared one with this language's settings."""
    with open(root / paths.BOOK_DIR / "_config.yml", encoding="utf-8") as fh:
        config = load_yaml(fh)
    editions = editions_config(root)
    mine, theirs = editions[lang], editions[paths.other_lang(lang)]
    config["title"] = mine["title"]
    # The footer: the edition's note, the build date (the commit's, so rebuilds are byte-identical)
    # and the commit. html_theme_options under sphinx.config replace the theme options Jupyter Book
    # derives from html.extra_footer, so the footer goes into them too.
    footer = components.footer(
        lang,
        commit=data.commit,
        date=data.commit_date,
        repo_url=data.repo_url,
        note=mine["extra_footer"],
        review=data.config["review"],
    )
    config["html"]["extra_footer"] = footer
    config["sphinx"]["config"]["html_theme_options"]["extra_footer"] = footer
    sphinx = config["sphinx"]["config"]
    sphinx["language"] = mine["sphinx_language"]
    sphinx["html_theme_options"]["search_bar_text"] = mine["search_bar_text"]
    sphinx["html_context"].update(
        {
            "other_lang": paths.other_lang(lang),
            "other_html_lang": theirs["html_lang"],
            "switch_label": mine["switch_label"],
            "switch_title": mine["switch_title"],
            "pdf_file": paths.book_pdf(lang).name,
            "pdf_label": mine["pdf_label"],
            "pdf_title": mine["pdf_title"],
            "search_found": mine["search_found"],
            "search_none": mine["search_none"],
            # Citation and Open Graph metadata of every page (_templates/layout.html).
            "companion_meta": components.page_meta(
                lang,
                citation=data.citation,
                date=data.commit_date,
                site_name=mine["title"],
                description=mine["description"],
            ),
        }
    )
    return config


# The search page's synonyms in each edition's _static (book/_templates/search.html links it).
SEARCH_SYNONYMS = "search-synonyms.json"


def declared_outputs(root: Path) -> set[str]:
    """Every file a job of the build wrote, as provenance records it."""
    entries = json.loads((root / paths.PROVENANCE).read_text(encoding="utf-8"))["outputs"]
    return {entry["path"] for entry in entries}


def render(root: Path = paths.ROOT, out: Path | None = None) -> Path:
    """Render both editions into results/book_src/<lang>, with the built outputs copied under files/.

    Each edition is rendered into a scratch folder and only files whose bytes changed are copied
    over, so Sphinx's incremental build re-reads just the pages a data change touches.
    """
    # Copying follows links: one in book/ or among the outputs would publish whatever it points at.
    refused = links.refused(root)
    if refused:
        raise ValueError("\n".join(refused))
    out = out or root / paths.BOOK_SRC
    data = Data(root)
    layout = Layout.scan(root)
    src = root / paths.BOOK_DIR
    pages = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(src)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the pages are the project's own MyST; data arrives as fragments
        keep_trailing_newline=True,
    )
    declared = declared_outputs(root)

    def unpublished(folder: str, names: list[str]) -> list[str]:
        # Only what a job wrote is published (a file put into results/ by hand is not), and the
        # tables' HTML fragments are not pages of the site (each edition's pages include its own).
        rel = Path(folder).relative_to(root)
        return [
            name
            for name in names
            if name.endswith(".html")
            or ((root / rel / name).is_file() and (rel / name).as_posix() not in declared)
        ]

    scratch_root = out.with_name(out.name + ".new")
    if scratch_root.exists():
        shutil.rmtree(scratch_root)
    for lang in paths.LANGS:
        scratch = scratch_root / lang
        for shared in ("_static", "_templates"):
            shutil.copytree(src / shared, scratch / shared)
        shutil.copy2(src / "_toc.yml", scratch / "_toc.yml")
        with open(scratch / "_config.yml", "w", encoding="utf-8") as fh:
            yaml.safe_dump(edition_config(root, lang, data), fh, allow_unicode=True, sort_keys=True)
        files = scratch / FILES
        for sub in (paths.DATA_DIR, paths.TABLES_DIR, paths.FIGURES_DIR):
            shutil.copytree(root / sub, files / Path(sub).relative_to(paths.RESULTS), ignore=unpublished)
        for f in (
            paths.CLAIMS_JSON,
            paths.CLAIMS_CSV,
            paths.PROVENANCE,
            paths.DATAPACKAGE_ZIP,
            paths.CITATION,
        ):
            shutil.copy2(root / f, files / Path(f).name)
        # The interactive figures' library, loaded by _static/interactive.js on the first "Explore"
        # (not in _static, whose scripts Jupyter Book adds to every page).
        (files / "vendor").mkdir()
        shutil.copy2(root / paths.VEGA_BUNDLE, files / "vendor" / paths.VEGA_BUNDLE.name)
        # The edition's PDF (rule pdf), linked from every page's header (_templates/pdf-download.html).
        pdf = root / paths.book_pdf(lang)
        if pdf.exists():
            shutil.copy2(pdf, files / pdf.name)
        # The search page's synonyms, as data its script reads (book/_static/search-page.js).
        (scratch / "_static" / SEARCH_SYNONYMS).write_text(
            json.dumps(vocab.search_synonyms(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        edition = Edition(data, layout, lang, scratch)
        edition.write_claim_refs()
        for page in toc_pages(root):
            text = pages.get_template(f"{page}.md").render(**edition.globals())
            (scratch / f"{page}.md").write_text(text, encoding="utf-8")
    sync_tree(scratch_root, out)
    shutil.rmtree(scratch_root)
    return out


def sync_tree(new: Path, old: Path) -> None:
    """Make ``old`` equal to ``new``, touching only files that differ."""
    old.mkdir(parents=True, exist_ok=True)
    new_files = {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    for stale in sorted(p for p in old.rglob("*") if p.is_file() and p.relative_to(old) not in new_files):
        stale.unlink()
    for rel in sorted(new_files):
        target = old / rel
        if target.exists() and target.read_bytes() == (new / rel).read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(new / rel, target)


@functools.cache
def book_components(root: Path) -> jinja2.Environment:
    """The autoescaped templates of the book's components (workflow/templates/site, the *.html), one
    environment for both editions and the entry page, so each template is compiled once."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root / paths.TEMPLATES / "site")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["lang_runs"] = components.lang_runs
    return env


def root_page(root: Path = paths.ROOT) -> str:
    """The site's entry page: opens the reader's language, links to both editions."""
    return book_components(root).get_template("root.html").render(editions=editions_config(root))
