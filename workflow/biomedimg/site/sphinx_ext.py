"""A Sphinx extension for the book: the ``claim`` role that links a number of the chapters to its row
of the claims ledger; and no Sphinx search index (the site's search is Pagefind's, built after Sphinx
by biomedimg.site.build.index_search; the search page is one of html_additional_pages).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes

from biomedimg import patches


def _no_search_index(app) -> None:
    patches.no_sphinx_search_index(app.builder)


# Where biomedimg.site.render writes each claim's anchor, status and preview (render.CLAIM_REFS; the
# extension does not import the renderer, which imports the whole data floor).
CLAIM_REFS = "_fragments/claim-refs.json"
LEDGER_PAGE = "claims.html"
CLAIM_TEXT = re.compile(r"(?P<shown>[^<>`]+?)\s*<(?P<claim>[\w.-]+)>", re.S)


class claim_reference(nodes.reference):
    """A number linked to its claim's row, with the claim's preview (status, values, evidence) that
    the HTML writer adds to the link as ``data-preview`` (JSON, escaped as an attribute value);
    book/_static/components.js shows it on hover, focus or a first tap, as text."""


def visit_claim_reference(self, node):
    self.visit_reference(node)
    preview = json.dumps(node["preview"], ensure_ascii=False, sort_keys=True)
    # The writer's start tag ends with ">": the attribute goes just before it.
    start = self.body[-1]
    self.body[-1] = f'{start[:-1]} data-preview="{self.attval(preview)}">'


def depart_claim_reference(self, node):
    self.depart_reference(node)


def claim_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{claim}`27 <pubs_2019_china>```: the printed number 27, unchanged, as a link to the claim's
    row of the ledger, followed by the claim's status as text (its badge colour too), with the
    status and values in the link's title. Built as docutils nodes, which the HTML writer escapes."""
    env = inliner.document.settings.env
    m = CLAIM_TEXT.fullmatch(text)
    path = Path(env.srcdir) / CLAIM_REFS
    if m is None or not path.is_file():
        why = "expected `number <claim_id>`" if m is None else f"{CLAIM_REFS} is missing"
        msg = inliner.reporter.error(f"claim role: {why}: {text!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    env.note_dependency(str(path))  # a changed status rereads the page
    ref = json.loads(path.read_text(encoding="utf-8")).get(m["claim"])
    if ref is None:
        msg = inliner.reporter.error(f"claim role: no claim {m['claim']!r} in the ledger", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    link = claim_reference(
        rawtext,
        "",
        refuri=f"{LEDGER_PAGE}#{ref['anchor']}",
        reftitle=ref["title"],
        preview=ref["preview"],
        classes=["claim-ref", f"claim-ref-{ref['status']}"],
    )
    link += nodes.inline(m["shown"], m["shown"], classes=["claim-ref-number"])
    link += nodes.inline(
        ref["label"], ref["label"], classes=["claim-ref-status", "badge", f"badge-{ref['status']}"]
    )
    return [link], []


def setup(app):
    app.add_role("claim", claim_role)
    app.add_node(claim_reference, html=(visit_claim_reference, depart_claim_reference))
    app.connect("builder-inited", _no_search_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
