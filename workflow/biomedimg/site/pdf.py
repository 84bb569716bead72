"""The PDF edition of the book, one per language, typeset by Typst from the outputs the site shows.

The chapters' text is the book's own: each page template (``book/<page>.md``) is rendered by
``biomedimg.site.render`` exactly as for the site, and the small part of MyST the pages use (headings,
paragraphs, lists, emphasis, code, admonitions, ``{doc}`` links and the few inline HTML tags the
project writes) is turned into a list of blocks here. Figures, tables, the claims ledger and the About
page do not go through that text: where a page includes one of their HTML fragments, the PDF gets the
same thing as data (the figure's SVG, the table's cells, the ledger's rows, CITATION.cff).

Everything reaches Typst as data: one JSON file per edition, read by ``workflow/templates/
pdf/companion.typ`` with ``json()`` and shown as strings, so no cell, quote or title is ever read as Typst
markup. Fonts come from one explicit folder (the CJK font the figures use, from its PyPI package, and
the fonts built into Typst), never from the system; the document has no date, so two builds of the
same inputs give the same bytes.
"""

from __future__ import annotations

import datetime
import html
import importlib.resources
import json
import re
import shutil
import tempfile
from pathlib import Path

from biomedimg import paths
from biomedimg.catalog import FIGURES, TABLES
from biomedimg.site import components, render

TEMPLATE = paths.TEMPLATES / "pdf" / "companion.typ"
# Typst's clock for anything that asks for "today": fixed, so nothing in the PDF depends on the day.
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)

TEXT = {
    "zh": {
        "contents": "目录",
        "build": "提交 {commit} · {date} · 由Snakemake工作流离线构建",
        "online_only": "此部分只在网页版中: {what}.",
        "other_statements": "综述中其他不作为论断核对的数字 (prose_statements.csv)",
        "data_dictionary": "每个数据集的字段说明 (datapackage.json)",
        "ledger_headers": ("编号", "陈述值", "计算值/来源", "状态"),
        "source": "来源: ",
        "cite": "如何引用",
        "cite_note": "引用信息以CITATION.cff为准 (Citation File Format 1.2.0); BibTeX:",
        "review": "综述",
        "licences": "许可",
        "code": "代码",
        "data": "本项目整理的数据",
        "external": "外部来源",
        "sources": "每个数据集的来源与许可",
        "sources_headers": ("数据集", "许可", "来源"),
        "version": "版本",
    },
    "en": {
        "contents": "Contents",
        "build": "Commit {commit} · {date} · built offline by the Snakemake workflow",
        "online_only": "This part is in the web edition only: {what}.",
        "other_statements": "the review's other numbers, which are not claims to check (prose_statements.csv)",
        "data_dictionary": "the fields of every data set (datapackage.json)",
        "ledger_headers": ("Id", "Stated", "Computed / source", "Status"),
        "source": "Source: ",
        "cite": "How to cite",
        "cite_note": "The citation of record is CITATION.cff (Citation File Format 1.2.0); as BibTeX:",
        "review": "The review",
        "licences": "Licences",
        "code": "Code",
        "data": "Data curated by this project",
        "external": "External source",
        "sources": "Source and licence of each data set",
        "sources_headers": ("Data set", "Licence", "Sources"),
        "version": "version",
    },
}


# ------------------------------------------------------------------------------ MyST to blocks

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^(`{3,}|~{3,})\s*(.*)$")
COLON_FENCE = re.compile(r"^(:{3,})\s*(.*)$")
ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")
FRAGMENT_FILE = re.compile(r"^:file:\s*_fragments/([\w.-]+)\.html\s*$")
INLINE = re.compile(
    r"\{(?P<role>doc|ref|claim)\}`(?P<target>[^`]*)`"
    r"|`(?P<code>[^`]+)`"
    r"|<(?P<close>/?)(?P<tag>[a-zA-Z][a-zA-Z0-9]*)(?P<attrs>[^<>]*)>"
    r"|(?P<strong>\*\*)"
    r"|(?P<em>\*)"
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!<>|:])"
)
HREF = re.compile(r"""\bhref\s*=\s*["']([^"']*)["']""")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def join_lines(lines: list[str]) -> str:
    """A paragraph's lines as one string: a line break is a space, except between two Chinese
    characters (where a reader sees none)."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if text and not (CJK.match(text[-1]) and CJK.match(line[0])):
            text += " "
        text += line
    return text


def inline(text: str) -> list[dict]:
    """Runs of text with their style: ``s`` (the text), ``b`` (strong), ``i`` (emphasis), ``c`` (code),
    ``doc`` (a page of the book, resolved later) or ``link`` (a figure or table of the book)."""
    runs: list[dict] = []
    state = {"b": False, "i": False, "link": None, "code": False}

    def add(s: str, **extra) -> None:
        if not s:
            return
        run = {"s": s}
        for key in ("b", "i"):
            if state[key]:
                run[key] = True
        if state["code"]:
            run["c"] = True
        if state["link"]:
            run["link"] = state["link"]
        run.update(extra)
        runs.append(run)

    pos = 0
    for m in INLINE.finditer(text):
        add(html.unescape(text[pos : m.start()]))
        pos = m.end()
        if m["role"]:
            target = m["target"]
            title = re.fullmatch(r"(.*?)\s*<([^<>]+)>", target)
            if m["role"] == "claim":  # a number linked to its ledger row on the site: the number
                add(title[1] if title else target)
            elif title:
                add(title[1], doc=title[2])
            else:
                runs.append({"s": "", "doc": target})
        elif m["code"] is not None:
            add(m["code"], c=True)
        elif m["tag"]:
            tag, closing = m["tag"].lower(), bool(m["close"])
            if tag == "a":
                href = HREF.search(m["attrs"] or "")
                fragment = href[1].partition("#")[2] if href and not closing else ""
                state["link"] = None if closing else (fragment if fragment in LINKABLE else None)
            elif tag == "code":
                state["code"] = not closing
            elif tag == "br":
                add(" ")
            # other tags (span lang=…, cite) carry no meaning the PDF shows
        elif m["strong"]:
            state["b"] = not state["b"]
        elif m["em"]:
            state["i"] = not state["i"]
        else:
            add(m["escaped"])
    add(html.unescape(text[pos:]))
    return runs


LINKABLE = set(FIGURES) | set(TABLES)


def blocks(lines: list[str]) -> list[dict]:
    """The blocks of a rendered page (or of an admonition's body)."""
    out: list[dict] = []
    para: list[str] = []
    i = 0

    def flush() -> None:
        if para:
            out.append({"t": "par", "inl": inline(join_lines(para))})
            para.clear()

    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        colon = COLON_FENCE.match(line)
        heading = HEADING.match(line)
        item = ITEM.match(line)
        if fence:
            flush()
            marker, info = fence[1], fence[2].strip()
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(marker):
                body.append(lines[i])
                i += 1
            i += 1
            if info.startswith("{raw}"):
                keys = [FRAGMENT_FILE.match(b.strip()) for b in body]
                found = [k[1] for k in keys if k]
                if len(found) != 1:
                    raise ValueError(f"a raw block the PDF cannot place: {body!r}")
                out.append({"t": "fragment", "key": found[0]})
            else:
                out.append({"t": "code", "text": "\n".join(body)})
            continue
        if colon:
            flush()
            marker, info = colon[1], colon[2].strip()
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() != marker:
                body.append(lines[i])
                i += 1
            i += 1
            while body and body[0].startswith(":") and not body[0].startswith(marker):
                body.pop(0)  # directive options (:class: …)
            title = re.sub(r"^\{[\w-]+\}\s*", "", info)
            out.append({"t": "box", "title": inline(title), "blocks": blocks(body)})
            continue
        if heading:
            flush()
            out.append({"t": "heading", "level": len(heading[1]), "inl": inline(heading[2])})
            i += 1
            continue
        if item:
            flush()
            ordered = item[2][0].isdigit()
            items = []
            while i < len(lines):
                m = ITEM.match(lines[i])
                if m and len(m[1]) == len(item[1]):
                    items.append([m[3]])
                elif lines[i].strip() and lines[i].startswith(" ") and items:
                    items[-1].append(lines[i])
                else:
                    break
                i += 1
            out.append({"t": "list", "ordered": ordered, "items": [inline(join_lines(it)) for it in items]})
            continue
        if not line.strip():
            flush()
        else:
            para.append(line)
        i += 1
    flush()
    return out


# ------------------------------------------------------------------------------ the document


def svg_size(path: Path) -> tuple[float, float]:
    """The width and height (pt) an SVG written by matplotlib declares."""
    head = path.read_text(encoding="utf-8")[:2000]
    w = re.search(r'<svg[^>]*\swidth="([0-9.]+)pt"', head)
    h = re.search(r'<svg[^>]*\sheight="([0-9.]+)pt"', head)
    if not (w and h):
        raise ValueError(f"{path}: no width and height in pt")
    return float(w[1]), float(h[1])


def display_width(text: str) -> int:
    """How wide a line of text is, in Latin characters (a Chinese character counts two)."""
    return sum(2 if CJK.match(ch) else 1 for ch in text)


# A table's line holds about this many Latin characters (7.5 pt text across 17 cm).
LINE_CHARS = 120
NARROW = 14  # a column no wider than this (a year, a count, a name) keeps its natural width


def column_widths(headers: list[str], rows: list[list[str]]) -> list[dict]:
    """Each column's width: narrow columns (numbers, years, names) their natural width in em, so they
    never wrap a digit or a two-character name; the others share the rest in proportion to their
    widest line (within bounds), so titles and links get the room."""
    natural = []
    for i, header in enumerate(headers):
        lines = [line for row in rows for line in str(row[i]).splitlines()] or [""]
        widest = max(display_width(line) for line in lines)
        longest_word = max(display_width(w) for w in header.split() or [""])
        natural.append(max(widest, min(longest_word, NARROW), 2))
    if sum(natural) + 2 * len(natural) <= LINE_CHARS:
        return [{"em": round(0.55 * n + 0.8, 2)} for n in natural]
    return [{"em": round(0.55 * n + 0.8, 2)} if n <= NARROW else {"fr": min(n, 50)} for n in natural]


class PdfEdition:
    """One language's document: the chapters as blocks, and the data the fragments stand for."""

    def __init__(self, data: render.Data, layout: render.Layout, lang: str, scratch: Path):
        self.data, self.layout, self.lang = data, layout, lang
        self.text = TEXT[lang]
        self.edition = render.Edition(data, layout, lang, scratch)
        self.figures: dict[str, str] = {}  # figure name -> SVG path inside the Typst root

    def page_blocks(self, page: str, env) -> list[dict]:
        text = env.get_template(f"{page}.md").render(**self.edition.globals())
        found = blocks(text.splitlines())
        for b in found:
            if b["t"] == "heading" and b["level"] == 1:
                b["label"] = page
                break
        return [self.resolve(b) for b in found]

    def resolve(self, b: dict) -> dict:
        if b["t"] == "box":
            return {**b, "blocks": [self.resolve(x) for x in b["blocks"]]}
        if b["t"] != "fragment":
            return b
        kind, _, name = b["key"].partition("-")
        if kind == "figure" and name in FIGURES:
            return self.figure(name)
        if kind == "table" and name in TABLES:
            return self.table(name)
        if b["key"] == "claims-ledger":
            return self.ledger()
        if b["key"] == "about":
            return self.about()
        if b["key"] == "review-reference":
            return {"t": "par", "inl": self.review_runs()}
        if b["key"] == "key-findings":
            return self.findings(self.edition.views[b["key"]])
        if b["key"] == "swot-matrix":
            return self.swot(self.edition.views[b["key"]])
        if b["key"] in ("other-statements", "data-dictionary"):
            what = self.text["other_statements" if b["key"] == "other-statements" else "data_dictionary"]
            return {"t": "note", "text": self.text["online_only"].format(what=what)}
        raise ValueError(f"the PDF does not know the book's fragment {b['key']!r}")

    def findings(self, view: dict) -> dict:
        """The home page's key findings as a box: the counts by status, as the site states them."""
        sep = "：" if self.lang == "zh" else ": "
        items = [
            [{"s": f"{s['count']} ", "b": True}, {"s": s["label"] + sep + s["meaning"]}]
            for s in view["statuses"]
        ]
        return {
            "t": "box",
            "title": [{"s": view["text"]["title"]}],
            "blocks": [{"t": "list", "ordered": False, "items": items}],
        }

    def swot(self, view: dict) -> dict:
        """The SWOT matrix as a box: each quadrant's title, the review's sentence, its listed items."""
        out = []
        for q in view["quadrants"]:
            quote = [{"s": q["quote_en"] + " "}] if q.get("quote_en") else []
            out.append(
                {
                    "t": "par",
                    "inl": [{"s": f"{q['letter']} {q['title']} §{q['section']}", "b": True}, {"s": "  "}]
                    + quote
                    + [{"s": q["quote_zh"]}],
                }
            )
            if q["items"]:
                out.append({"t": "list", "ordered": False, "items": [[{"s": i["text"]}] for i in q["items"]]})
        return {"t": "box", "title": [{"s": "SWOT"}], "blocks": out}

    def figure(self, name: str) -> dict:
        svg = paths.figure(name, self.lang, "svg")
        width, height = svg_size(self.data.root / svg)
        self.figures[name] = str(svg)
        caption = getattr(FIGURES[name], f"caption_{self.lang}")
        return {
            "t": "figure",
            "name": name,
            "file": f"figures/{svg.name}",
            "ratio": height / width,
            "label": self.layout.label(name, self.lang),
            "caption": " ".join(caption.split()),
        }

    def table(self, name: str) -> dict:
        spec = TABLES[name]
        # The cells as data, as the table job wrote them beside its HTML (never parsed back).
        cells = json.loads((self.data.root / paths.table_cells(name, self.lang)).read_text(encoding="utf-8"))
        headers, rows = cells["headers"], cells["rows"]
        return {
            "t": "table",
            "name": name,
            "label": self.layout.label(name, self.lang),
            "caption": getattr(spec, f"caption_{self.lang}"),
            "headers": headers,
            "rows": rows,
            "widths": column_widths(headers, rows),
            "footnote": getattr(spec, f"footnote_{self.lang}") or "",
        }

    def ledger(self) -> dict:
        rows = []
        for claim in self.data.claims:
            has_value = claim.get("computed") is not None or any(
                v is not None for v in claim.get("computed_bounds") or []
            )
            if has_value:
                computed = components.computed_words(claim, self.lang)
            elif claim.get("source"):
                computed = self.text["source"] + str(claim["source"])
            else:
                computed = "—"
            rows.append(
                [
                    claim["id"],
                    components.stated_words(claim, self.lang),
                    computed,
                    components.status_label(claim["status"], self.lang),
                ]
            )
        return {"t": "ledger", "headers": list(self.text["ledger_headers"]), "rows": rows}

    def review_runs(self) -> list[dict]:
        r = components.review_record(self.data.config)
        parts = [f"{self.text['review']}: "]
        if r.get("authors"):
            parts.append(", ".join(r["authors"]) + ". ")
        parts.append(f"《{r.get('title_zh', '')}》")
        if r.get("title_en"):
            parts.append(f" ({r['title_en']})")
        parts.append(".")
        tail = [str(r[k]) for k in ("journal", "year", "volume", "issue", "pages") if r.get(k)]
        if tail:
            parts.append(" " + ", ".join(tail) + ".")
        if r.get("doi"):
            parts.append(f" doi:{r['doi']}")
        elif r.get("url"):
            parts.append(f" {r['url']}")
        return [{"s": "".join(parts)}]

    def about(self) -> dict:
        root = self.data.root
        citation = components.load_citation(root)
        authors = ", ".join(components._cff_author(a) for a in citation["authors"])
        title = " ".join(str(citation["title"]).split())
        version = f", {self.text['version']} {citation['version']}" if citation.get("version") else ""
        repo = self.data.repo_url
        package = self.data.package
        sources = [
            [
                res["name"] + "\n" + components.described(res, "title", self.lang).text,
                str(res.get("x-licence", "")),
                "\n".join(s["path"] for s in res.get("sources", [])),
            ]
            for res in package["resources"]
        ]
        licences = [f"{self.text['code']}: {citation['license']}"]
        licences += [
            f"{self.text['data']}: {lic['name']} ({lic['path']})" for lic in package.get("licenses", [])
        ]
        licences += [
            f"{self.text['external']}: {s['title']} ({s['path']})" for s in package.get("sources", [])
        ]
        review_bib = components.review_bibtex(components.review_record(self.data.config))
        body = [
            {"t": "heading", "level": 2, "inl": [{"s": self.text["cite"]}]},
            {"t": "par", "inl": [{"s": f"{authors}. "}, {"s": title, "i": True}, {"s": f"{version}."}]},
        ]
        if repo:
            body.append({"t": "par", "inl": [{"s": repo}]})
        body += [
            {"t": "par", "inl": [{"s": self.text["cite_note"]}]},
            {"t": "code", "text": components.companion_bibtex(citation)},
            {"t": "heading", "level": 2, "inl": [{"s": self.text["review"]}]},
            {"t": "par", "inl": self.review_runs()},
        ]
        if review_bib:
            body.append({"t": "code", "text": review_bib})
        body += [
            {"t": "heading", "level": 2, "inl": [{"s": self.text["licences"]}]},
            {"t": "list", "ordered": False, "items": [[{"s": s}] for s in licences]},
            {
                "t": "sources",
                "caption": self.text["sources"],
                "headers": list(self.text["sources_headers"]),
                "rows": sources,
                "widths": column_widths(list(self.text["sources_headers"]), sources),
            },
        ]
        return {"t": "group", "blocks": body}


def resolve_docs(chapters: list[dict]) -> None:
    """``{doc}`page``` runs get the page's title as their text and link to the chapter."""
    titles = {}
    for chapter in chapters:
        for b in chapter["blocks"]:
            if b["t"] == "heading" and b.get("label"):
                titles[b["label"]] = "".join(r["s"] for r in b["inl"])

    def fix(node):
        if isinstance(node, dict):
            if "doc" in node and isinstance(node.get("doc"), str) and "s" in node:
                target = node.pop("doc")
                if target in titles:
                    node["link"] = target
                    node["s"] = node["s"] or titles[target]
                else:
                    node["s"] = node["s"] or target
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(chapters)


def document(
    root: Path, lang: str, data: render.Data, layout: render.Layout, scratch: Path
) -> tuple[dict, dict]:
    """The edition's document as data, and the figures it shows (name -> SVG path under root)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root / paths.BOOK_DIR)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    edition = PdfEdition(data, layout, lang, scratch / "fragments" / lang)
    chapters = [{"page": page, "blocks": edition.page_blocks(page, env)} for page in render.toc_pages(root)]
    resolve_docs(chapters)
    editions = render.editions_config(root)
    doc = {
        "lang": lang,
        "title": editions[lang]["title"],
        "build": TEXT[lang]["build"].format(commit=data.commit[:12], date=data.commit_date),
        "contents": TEXT[lang]["contents"],
        "chapters": chapters,
    }
    return doc, edition.figures


def font_file(package: str, name: str) -> Path:
    """A font shipped by a Python package (config: figures.cjk_font_package / cjk_font_file), the
    same file the figures use, at the version the lock pins."""
    return Path(str(importlib.resources.files(package) / name))


def typeset(doc: dict, figures: dict[str, Path], font_file: Path, root: Path = paths.ROOT) -> bytes:
    """The PDF of a document (``figures``: figure name -> its SVG), typeset in a scratch folder with
    the template, the document as JSON, the SVGs and one font folder holding only ``font_file``."""
    import typst

    with tempfile.TemporaryDirectory(prefix="biomedimg-pdf-") as tmp:
        work = Path(tmp)
        fonts = work / "fonts"
        fonts.mkdir()
        # Only this file and Typst's own built-in fonts: nothing from the system's fonts.
        shutil.copyfile(font_file, fonts / font_file.name)
        (work / "figures").mkdir()
        for svg in figures.values():
            shutil.copyfile(svg, work / "figures" / Path(svg).name)
        (work / "document.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        shutil.copyfile(root / TEMPLATE, work / "companion.typ")
        return typst.compile(
            str(work / "companion.typ"),
            root=str(work),
            font_paths=[str(fonts)],
            ignore_system_fonts=True,
            timestamp=EPOCH,
        )


def build(outputs: dict[str, str], font_file: Path, root: Path = paths.ROOT) -> None:
    """Write each language's PDF (``outputs``: lang -> path)."""
    data = render.Data(root)
    layout = render.Layout.scan(root)
    with tempfile.TemporaryDirectory(prefix="biomedimg-pages-") as scratch:
        for lang, out in outputs.items():
            doc, figures = document(root, lang, data, layout, Path(scratch))
            pdf = typeset(doc, {name: root / svg for name, svg in figures.items()}, font_file, root)
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            Path(out).write_bytes(pdf)
