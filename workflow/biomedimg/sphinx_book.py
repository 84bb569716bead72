"""A Sphinx extension for the book: keeps the search index of an incremental build equal to a clean
build's; loads the Chinese word splitter's dictionary and the theme's compiled templates from the
user's cache.

Sphinx loads the previous ``searchindex.js`` and, for each page it rebuilds, removes that page from
every word's list of pages before indexing it again; a word only that page held is left with an
empty list and stays in the index forever (after an edit and its revert, the edit's words remain).
Dropping the emptied words after the prune gives the index a clean build writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle

from sphinx.search import IndexBuilder

from biomedimg import usercache
from biomedimg.templatecache import TemplateCache

_prune = IndexBuilder.prune


def _prune_and_drop_empty(self, docnames):
    _prune(self, docnames)
    for mapping in (self._mapping, self._title_mapping):
        for word in [w for w, pages in mapping.items() if not pages]:
            del mapping[word]


def load_jieba(tokenizer=None) -> None:
    """Give jieba (which Sphinx's Chinese search uses to split words) its dictionary from the user's
    cache: the same prefix dictionary jieba builds, pickled, which loads in a quarter of the second
    jieba's own cache takes (the Chinese edition waited for it on every build). The entry is keyed by
    jieba's version and its dictionary's bytes; without one, jieba loads its dictionary as usual and
    the result is cached."""
    import jieba

    tokenizer = tokenizer or jieba.dt
    if tokenizer.initialized or tokenizer.dictionary != jieba.DEFAULT_DICT:
        tokenizer.initialize()  # already loaded, or a dictionary of its own: jieba's way
        return
    with tokenizer.get_dict_file() as words:
        key = hashlib.sha256(jieba.__version__.encode() + b"\0" + words.read()).hexdigest()
    name = f"jieba/{key}.pickle"
    cached = usercache.read(name)
    if cached is not None:
        with contextlib.suppress(Exception):  # a damaged entry is no entry
            freq, total = pickle.loads(cached)
            with tokenizer.lock:
                tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
            return
    tokenizer.initialize()
    usercache.write(name, pickle.dumps((tokenizer.FREQ, tokenizer.total), protocol=pickle.HIGHEST_PROTOCOL))


def _from_the_cache(app) -> None:
    if (app.config.language or "").startswith("zh"):
        load_jieba()
    # The HTML builder's Jinja environment (the theme's templates), made in builder.init: the templates
    # are compiled when the first page is written, after this event.
    templates = getattr(app.builder, "templates", None)
    if templates is not None and getattr(templates, "environment", None) is not None:
        templates.environment.bytecode_cache = TemplateCache("sphinx-theme")


def setup(app):
    IndexBuilder.prune = _prune_and_drop_empty
    app.connect("builder-inited", _from_the_cache)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
