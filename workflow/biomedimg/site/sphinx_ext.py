"""A Sphinx extension for the book: keeps the search index of an incremental build equal to a clean
build's; loads the Chinese word splitter's dictionary from the user's cache; the ``claim`` role that
links a number of the chapters to its row of the claims ledger.

Sphinx loads the previous ``searchindex.js`` and, for each page it rebuilds, removes that page from
every word's list of pages before indexing it again; a word only that page held is left with an
empty list and stays in the index forever (after an edit and its revert, the edit's words remain).
Dropping the emptied words after the prune (biomedimg.patches.drop_emptied_search_words) gives the
index a clean build writes.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from docutils import nodes

from biomedimg import patches, usercache


def _jieba_entry(cached) -> tuple[dict[str, int], int] | None:
    """The prefix dictionary and total of a cache entry, or None unless it has exactly that shape."""
    if not isinstance(cached, dict):
        return None
    words, freqs, total = cached.get("words"), cached.get("freqs"), cached.get("total")
    if not (isinstance(words, list) and isinstance(freqs, list) and len(words) == len(freqs)):
        return None
    # type() rather than isinstance: a bool is no count.
    if type(total) is not int or not set(map(type, words)) <= {str} or not set(map(type, freqs)) <= {int}:
        return None
    return dict(zip(words, freqs, strict=True)), total


def load_jieba(tokenizer=None) -> None:
    """Give jieba (which Sphinx's Chinese search uses to split words) its dictionary from the user's
    cache: the prefix dictionary jieba builds from its word list, kept as JSON data (two lists, words
    and counts), which costs half the CPU time of building it (`make bench`, docs/benchmark.md; the
    Chinese edition waits for it on every build). The entry is keyed by jieba's version and its word
    list's bytes; without a usable one, the dictionary is built by jieba's own code and kept. Never
    jieba's own marshal cache (biomedimg.patches says why)."""
    import jieba

    tokenizer = tokenizer or jieba.dt
    source = patches.jieba_default_words(tokenizer)
    if source is None:
        tokenizer.initialize()  # already loaded, or a dictionary of its own: jieba's way
        return
    key = hashlib.sha256(jieba.__version__.encode() + b"\0" + source).hexdigest()
    name = f"jieba/{key}.json"
    entry = _jieba_entry(usercache.read_json(name))
    if entry is None:
        entry = patches.jieba_build(tokenizer, source)
        freq, total = entry
        usercache.write_json(name, {"total": total, "words": list(freq), "freqs": list(freq.values())})
    patches.jieba_install(tokenizer, *entry)


def _from_the_cache(app) -> None:
    if (app.config.language or "").startswith("zh"):
        load_jieba()


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
    patches.drop_emptied_search_words()
    app.connect("builder-inited", _from_the_cache)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
