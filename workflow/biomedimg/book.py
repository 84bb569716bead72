"""Render the book's page templates with the built figures, tables, claims and provenance.

Pages in ``book/*.md`` are Jinja templates; helpers below turn a figure or table name into its MyST
figure (or escaped HTML table), its bilingual caption and its provenance card.  Everything that
comes from data is escaped with ``html.escape`` before it reaches a page.
"""

from __future__ import annotations

import csv
import html
import json
import shutil
from pathlib import Path

import jinja2

from biomedimg import paths, vocab
from biomedimg.catalog import FIGURES, PUBLISHED_AS, TABLES
from biomedimg.provenance import rebuild_command

esc = html.escape
FILES = "files"  # copied to the site root by html_extra_path


class Context:
    """What the templates can call: figure(), table(), claims_table(), data_dictionary()."""

    def __init__(self, root: Path):
        self.root = root
        with open(root / paths.PROVENANCE, encoding="utf-8") as fh:
            prov = json.load(fh)
        self.commit = prov["commit"]
        self.by_path = {e["path"]: e for e in prov["outputs"]}
        with open(root / paths.CLAIMS_JSON, encoding="utf-8") as fh:
            self.claims = json.load(fh)["claims"]
        with open(root / paths.DATAPACKAGE, encoding="utf-8") as fh:
            self.package = json.load(fh)

    # -- provenance -------------------------------------------------------------------------
    def card(self, outputs: list[str], downloads: list[tuple[str, str]]) -> str:
        entry = self.by_path[outputs[0]]
        raw_inputs = [i for i in entry["inputs"] if i["path"].startswith(str(paths.RAW_DIR))]
        items = "".join(
            f"<li><code>{esc(i['path'])}</code> md5 <code>{esc(i['md5'])}</code></li>" for i in raw_inputs
        )
        links = " · ".join(f'<a href="{esc(href)}">{esc(label)}</a>' for label, href in downloads)
        hashes = "".join(
            f"<li><code>{esc(o)}</code> sha256 <code>{esc(self.by_path[o]['sha256'][:16])}…</code></li>"
            for o in outputs
        )
        return (
            '<div class="provenance-card">'
            f"<strong>来源 / Provenance</strong> — rule <code>{esc(entry['rule'])}</code>, "
            f"script <code>{esc(entry['script'])}</code>, commit <code>{esc(self.commit[:12])}</code>"
            f"<br>原始数据 / Raw inputs (DVC md5):<ul>{items}</ul>"
            f"输出 / Outputs:<ul>{hashes}</ul>"
            f"下载 / Download: {links}"
            f"<br>重建 / Rebuild just this: <code>{esc(rebuild_command(outputs[0]))}</code>"
            "</div>"
        )

    def data_downloads(self, datasets) -> list[tuple[str, str]]:
        """The published CSVs (data package resources) built from these raw datasets."""
        resources = []
        for dataset in datasets:
            resource = PUBLISHED_AS.get(dataset, dataset)
            if resource not in resources and (self.root / paths.DATA_DIR / f"{resource}.csv").exists():
                resources.append(resource)
        return [(f"{r}.csv", f"data/{r}.csv") for r in resources]

    # -- figures ----------------------------------------------------------------------------
    def figure(self, name: str) -> str:
        spec = FIGURES[name]
        zh_png, en_png = (str(paths.figure(name, lang, "png")) for lang in ("zh", "en"))
        outputs = [str(paths.figure(name, lang, fmt)) for lang in paths.LANGS for fmt in paths.FIGURE_FORMATS]
        rel = lambda p: f"{FILES}/{Path(p).relative_to(paths.RESULTS)}"  # noqa: E731
        site = lambda p: str(Path(p).relative_to(paths.RESULTS))  # noqa: E731
        downloads = [
            ("SVG 中文", site(outputs[0])),
            ("PNG 中文", site(outputs[1])),
            ("SVG English", site(outputs[2])),
            ("PNG English", site(outputs[3])),
        ]
        downloads += self.data_downloads(spec.datasets)
        alt_zh = _one_line(spec.caption_zh)
        alt_en = _one_line(spec.caption_en)
        return "\n".join(
            [
                f":::{{figure}} {rel(zh_png)}",
                f":name: {name}",
                f":alt: {alt_zh}",
                ":width: 100%",
                "",
                f"{spec.caption_zh}",
                f"/ {spec.caption_en}",
                ":::",
                "",
                f":::{{image}} {rel(en_png)}",
                f":alt: English version: {alt_en}",
                ":width: 100%",
                ":::",
                "",
                self.card(outputs, downloads),
                "",
            ]
        )

    # -- tables -----------------------------------------------------------------------------
    def table(self, name: str) -> str:
        spec = TABLES[name]
        fragment = (self.root / paths.table_html(name)).read_text(encoding="utf-8")
        csv = str(paths.table_csv(name))
        downloads = [(f"{name}.csv", str(Path(csv).relative_to(paths.RESULTS)))]
        downloads += self.data_downloads(spec.datasets)
        return "\n".join(
            [
                f"({name})=",
                f'<p class="table-caption">表 {spec.number} {esc(spec.caption_zh)}<br>'
                f"Table {spec.number} {esc(spec.caption_en)}</p>",
                '<div class="table-block">',
                fragment.rstrip("\n"),
                "</div>",
                self.card([csv, str(paths.table_html(name))], downloads),
                "",
            ]
        )

    # -- claims -----------------------------------------------------------------------------
    def claims_counts(self) -> dict:
        counts = dict.fromkeys(vocab.STATUSES, 0)
        for c in self.claims:
            counts[c["status"]] += 1
        return counts

    def claims_table(self) -> str:
        rows = []
        for c in self.claims:
            links = " ".join(
                f'<a href="{esc(_page_of(r))}#{esc(r)}">{esc(r)}</a>' for r in c.get("rests_on", [])
            )
            rows.append(
                "<tr>"
                f"<td><code>{esc(c['id'])}</code></td><td>{esc(c['section'])}</td>"
                f'<td lang="zh">{esc(c["quote_zh"])}</td>'
                f"<td>{esc(_fmt(c['stated']))} {esc(c['unit'])}</td><td>{esc(_computed(c))}</td>"
                f'<td><span class="badge badge-{esc(c["status"])}">{esc(c["status"])}</span></td>'
                f"<td>{esc(c.get('note') or '')}</td><td>{links}</td>"
                "</tr>"
            )
        headers = (
            "编号<br>Id",
            "章节<br>Section",
            "原文<br>Quote",
            "陈述值<br>Stated",
            "计算值<br>Computed",
            "状态<br>Status",
            "说明<br>Note",
            "依据<br>Rests on",
        )
        return data_table("claims-ledger", headers, rows, sortable=True)

    def other_statements(self) -> str:
        """Prose statements that no claim checks, so every stated number is on the site."""
        in_ledger = {c["statement"] for c in self.claims}
        with open(self.root / paths.DATA_DIR / "prose_statements.csv", encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.DictReader(fh) if r["id"] not in in_ledger]
        body = [
            f'<tr><td><code>{esc(r["id"])}</code></td><td>{esc(r["section"])}</td><td lang="zh">{esc(r["quote_zh"])}</td>'
            f"<td>{esc(r['qualifier'])} {esc(r['value'])}{'–' + esc(r['value_upper']) if r['value_upper'] else ''} "
            f"{esc(r['unit'])}</td><td>{esc(r['quantity_en'])}</td>"
            f"<td>{esc(_not_a_claim(r.get('not_a_claim_reason', '')))}{esc(r['note'])}</td></tr>"
            for r in rows
        ]
        headers = (
            "编号<br>Id",
            "章节<br>Section",
            "原文<br>Quote",
            "陈述值<br>Stated",
            "含义<br>Quantity",
            "说明<br>Note",
        )
        return data_table("other-statements", headers, body, sortable=True)

    # -- data dictionary --------------------------------------------------------------------
    def data_dictionary(self) -> str:
        out = []
        for res in self.package["resources"]:
            fields = [
                f"<tr><td><code>{esc(f['name'])}</code></td><td>{esc(f['type'])}</td>"
                f"<td>{esc(f.get('description', ''))}</td></tr>"
                for f in res["schema"]["fields"]
            ]
            headers = ("字段<br>Field", "类型<br>Type", "说明<br>Description")
            out.append(
                f"({res['name']})=\n"
                f"### {res['name']}\n\n"
                f'<p>{esc(res["title"])} — <a href="data/{esc(res["path"])}">{esc(res["path"])}</a></p>\n'
                f"<p>{esc(res['description'])}</p>\n"
                + data_table(f"fields-{res['name']}", headers, fields)
                + "\n"
            )
        return "\n".join(out)


def data_table(table_id: str, headers, rows: list[str], sortable: bool = False) -> str:
    """A table of already-escaped rows, styled (and, if sortable, sorted and filtered) by tables.js."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    kind = "data-table sortable" if sortable else "data-table"
    return (
        f'<div class="table-block"><table class="{kind}" id="{esc(table_id)}" data-rows="{len(rows)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


PAGE_OF = {}


def _page_of(target: str) -> str:
    return PAGE_OF.get(target, "") + ".html" if target in PAGE_OF else ""


def _not_a_claim(reason: str) -> str:
    """Why a statement is not a claim (vocab.NOT_A_CLAIM_REASONS), as a lead-in to its note."""
    if not reason:
        return ""
    zh, en = vocab.NOT_A_CLAIM_REASONS[reason]
    return f"{zh} / {en}. "


def _computed(claim: dict) -> str:
    """The computed value, or its bounds when the data only bound it (e.g. '≥1.583')."""
    if claim.get("computed") is not None or not claim.get("computed_bounds"):
        return _fmt(claim.get("computed"))
    lo, hi = claim["computed_bounds"]
    if hi is None:
        return "≥" + _fmt(lo)
    if lo is None:
        return "≤" + _fmt(hi)
    return f"{_fmt(lo)}–{_fmt(hi)}"


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _one_line(text: str) -> str:
    """A caption as a one-line directive option (no ': ', which would read as a new option)."""
    return " ".join(text.split()).replace(": ", " — ").replace("：", " — ")


def render(root: Path = paths.ROOT, out: Path | None = None) -> Path:
    """Render book/ into results/book_src, with the built outputs copied under files/.

    The pages are rendered into a scratch folder and only files whose bytes changed are copied over,
    so Sphinx's incremental build re-reads just the pages a data change touches.
    """
    out = out or root / paths.BOOK_SRC
    scratch = out.with_name(out.name + ".new")
    if scratch.exists():
        shutil.rmtree(scratch)
    src = root / paths.BOOK_DIR
    shutil.copytree(src, scratch, ignore=shutil.ignore_patterns("_build"))
    files = scratch / FILES
    for sub in (paths.DATA_DIR, paths.TABLES_DIR, paths.FIGURES_DIR):
        shutil.copytree(root / sub, files / Path(sub).relative_to(paths.RESULTS))
    for f in (paths.CLAIMS_JSON, paths.CLAIMS_CSV, paths.PROVENANCE):
        shutil.copy2(root / f, files / Path(f).name)
    ctx = Context(root)
    # Which page shows which figure or table, for links from the claims ledger.
    for page in sorted(src.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for name in list(FIGURES) + list(TABLES):
            if f'"{name}"' in text:
                PAGE_OF.setdefault(name, page.stem)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(src)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    for page in sorted(src.glob("*.md")):
        template = env.get_template(page.name)
        (scratch / page.name).write_text(
            template.render(
                figure=ctx.figure,
                table=ctx.table,
                claims_table=ctx.claims_table,
                claims_counts=ctx.claims_counts(),
                statuses=vocab.STATUSES,
                data_dictionary=ctx.data_dictionary,
                other_statements=ctx.other_statements,
                commit=ctx.commit,
                package=ctx.package,
            ),
            encoding="utf-8",
        )
    sync_tree(scratch, out)
    shutil.rmtree(scratch)
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
