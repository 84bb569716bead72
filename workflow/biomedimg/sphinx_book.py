"""A Sphinx extension for the book: keeps the search index of an incremental build equal to a clean
build's.

Sphinx loads the previous ``searchindex.js`` and, for each page it rebuilds, removes that page from
every word's list of pages before indexing it again; a word only that page held is left with an
empty list and stays in the index forever (after an edit and its revert, the edit's words remain).
Dropping the emptied words after the prune gives the index a clean build writes.
"""

from __future__ import annotations

from sphinx.search import IndexBuilder

_prune = IndexBuilder.prune


def _prune_and_drop_empty(self, docnames):
    _prune(self, docnames)
    for mapping in (self._mapping, self._title_mapping):
        for word in [w for w, pages in mapping.items() if not pages]:
            del mapping[word]


def setup(app):
    IndexBuilder.prune = _prune_and_drop_empty
    return {"parallel_read_safe": True, "parallel_write_safe": True}
