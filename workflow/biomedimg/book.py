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
import yaml
from docutils.nodes import make_id

from biomedimg import components, paths
from biomedimg.catalog import FIGURES, PUBLISHED_AS, TABLES, published_resources
from biomedimg.provenance import commit_date, file_hash, rebuild_command
from biomedimg.vocab import STATUSES

esc = html.escape
FILES = "files"  # copied to the site root by html_extra_path


class Context:
    """What the templates can call: figure(), table(), claims_table(), data_dictionary(), about_page()."""

    def __init__(self, root: Path, lang: str = "zh"):
        self.root = root
        self.lang = lang
        with open(root / paths.PROVENANCE, encoding="utf-8") as fh:
            prov = json.load(fh)
        self.commit = prov["commit"]
        self.by_path = {e["path"]: e for e in prov["outputs"]}
        with open(root / paths.CLAIMS_JSON, encoding="utf-8") as fh:
            self.claims = json.load(fh)["claims"]
        with open(root / paths.DATAPACKAGE, encoding="utf-8") as fh:
            self.package = json.load(fh)
        self.config = components.load_config(root)
        self.repo_url = components.repository_url(self.config)

    # -- provenance -------------------------------------------------------------------------
    def card(self, outputs: list[str], downloads: list[components.Download]) -> str:
        """The provenance card of a figure or table; the rebuild command makes this language's outputs."""
        entry = self.by_path[outputs[0]]
        mine = [o for o in outputs if o in self.by_path and _lang_of(o) in (None, self.lang)]
        return components.provenance_card(
            entry, downloads, self.lang, rebuild=rebuild_command(*mine), repo_url=self.repo_url
        )

    def download(self, label: str, path: str) -> components.Download:
        """A built file offered for download, with its hashes and, if published from raw files, theirs."""
        rel = Path(path)
        raw = ()
        if rel.parent == paths.DATA_DIR and rel.suffix == ".csv":
            raw = tuple(
                components.RawFile(str(paths.raw_csv(n)), file_hash(self.root / paths.raw_csv(n), "md5"))
                for n in paths.raw_names()
                if PUBLISHED_AS.get(n, n) == rel.stem
            )
        return components.Download(
            label=label,
            href=str(rel.relative_to(paths.RESULTS)),
            path=path,
            sha256=file_hash(self.root / rel, "sha256"),
            md5=file_hash(self.root / rel, "md5") if raw else "",
            raw=raw,
        )

    def data_downloads(self, datasets) -> list[components.Download]:
        """The published CSVs (data package resources) built from these raw datasets."""
        return [self.download(f"{r}.csv", str(paths.data_csv(r))) for r in published_resources(datasets)]

    def href_of(self, name: str) -> str | None:
        """Where the ledger links a figure or table: its page and the id Sphinx gives it."""
        if name not in PAGE_OF:
            return None
        anchor = make_id(name) if name in FIGURES else name
        return f"{PAGE_OF[name]}.html#{anchor}"

    # -- figures ----------------------------------------------------------------------------
    def figure(self, name: str) -> str:
        spec = FIGURES[name]
        zh_png, en_png = (str(paths.figure(name, lang, "png")) for lang in ("zh", "en"))
        outputs = [str(paths.figure(name, lang, fmt)) for lang in paths.LANGS for fmt in paths.FIGURE_FORMATS]
        rel = lambda p: f"{FILES}/{Path(p).relative_to(paths.RESULTS)}"  # noqa: E731
        labels = {"zh": "中文", "en": "English"}
        downloads = [
            self.download(f"{fmt.upper()} {labels[lang]}", str(paths.figure(name, lang, fmt)))
            for lang in paths.LANGS
            for fmt in paths.FIGURE_FORMATS
        ]
        values = str(paths.figure_values(name, self.lang))
        # The values CSV is shown once the figure rule declares it (helper "figures" adds it).
        has_values = values in self.by_path
        if has_values:
            outputs.append(values)
            downloads.append(self.download(Path(values).name, values))
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
                components.values_table(name, self.lang, root=self.root) if has_values else "",
                "",
                components.claims_for(name, self.claims, self.lang),
                "",
                self.card(outputs, downloads),
                "",
            ]
        )

    # -- tables -----------------------------------------------------------------------------
    def table(self, name: str) -> str:
        spec = TABLES[name]
        fragment = (self.root / paths.table_html(name)).read_text(encoding="utf-8")
        files = [str(paths.table_csv(name)), str(paths.table_xlsx(name)), str(paths.table_html(name))]
        files = [f for f in files if f in self.by_path]
        downloads = [self.download(Path(f).name, f) for f in files if not f.endswith(".html")]
        downloads += self.data_downloads(spec.datasets)
        return "\n".join(
            [
                f"({name})=",
                f'<p class="table-caption">表 {spec.number} {esc(spec.caption_zh)}<br>'
                f"Table {spec.number} {esc(spec.caption_en)}</p>",
                '<div class="table-block">',
                fragment.rstrip("\n"),
                "</div>",
                "",
                components.claims_for(name, self.claims, self.lang),
                "",
                self.card(files, downloads),
                "",
            ]
        )

    # -- claims -----------------------------------------------------------------------------
    def claims_counts(self) -> dict:
        counts = dict.fromkeys(STATUSES, 0)
        for c in self.claims:
            counts[c["status"]] += 1
        return counts

    def claims_table(self) -> str:
        return components.claims_ledger(self.claims, self.lang, href_of=self.href_of)

    def about_page(self, lang: str | None = None, anchor_suffix: str = "") -> str:
        return components.about_page(
            lang or self.lang,
            root=self.root,
            package=self.package,
            config=self.config,
            anchor_suffix=anchor_suffix,
        )

    def footer(self) -> str:
        date = commit_date(self.commit, self.root)
        return components.footer(self.lang, commit=self.commit, date=date, repo_url=self.repo_url)

    def other_statements(self) -> str:
        """Prose statements that no claim checks, so every stated number is on the site."""
        in_ledger = {c["statement"] for c in self.claims}
        with open(self.root / paths.DATA_DIR / "prose_statements.csv", encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.DictReader(fh) if r["id"] not in in_ledger]
        body = [
            f'<tr><td><code>{esc(r["id"])}</code></td><td>{esc(r["section"])}</td><td lang="zh">{esc(r["quote_zh"])}</td>'
            f"<td>{esc(r['qualifier'])} {esc(r['value'])}{'–' + esc(r['value_upper']) if r['value_upper'] else ''} "
            f"{esc(r['unit'])}</td><td>{esc(r['quantity_en'])}</td><td>{esc(r['note'])}</td></tr>"
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


def _lang_of(path: str) -> str | None:
    """The language of an output named <name>.<lang>.<ext> (None for outputs in both languages)."""
    parts = Path(path).name.split(".")
    return next((p for p in parts[1:-1] if p in paths.LANGS), None)


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
    for f in (paths.CLAIMS_JSON, paths.CLAIMS_CSV, paths.PROVENANCE, paths.DATAPACKAGE_ZIP, paths.CITATION):
        shutil.copy2(root / f, files / Path(f).name)
    ctx = Context(root)
    set_footer(scratch / "_config.yml", ctx.footer())
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
                data_dictionary=ctx.data_dictionary,
                other_statements=ctx.other_statements,
                about_page=ctx.about_page,
                review_reference=lambda lang: components.review_reference(lang, config=ctx.config),
                commit=ctx.commit,
                package=ctx.package,
            ),
            encoding="utf-8",
        )
    sync_tree(scratch, out)
    shutil.rmtree(scratch)
    return out


def set_footer(config_file: Path, html: str) -> None:
    """Put the footer (build date and commit) into the rendered book's configuration."""
    with open(config_file, encoding="utf-8") as fh:
        config = yaml.safe_load(fh)
    config.setdefault("html", {})["extra_footer"] = html
    # Jupyter Book passes html.extra_footer as a theme option, but html_theme_options given under
    # sphinx.config replace its theme options whole: put the footer there too.
    theme_options = config.get("sphinx", {}).get("config", {}).get("html_theme_options")
    if theme_options is not None:
        theme_options["extra_footer"] = html
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


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
