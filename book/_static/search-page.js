// The search page (book/_templates/search.html): the query (?q=) looked up in Pagefind's index of this
// edition, served from the site (_pagefind/). Each result links to the passage, not only the page: the
// element with an id (a claim's row, a figure, a table, a section) whose stretch of the page holds the
// most matches, with ?highlight= so that the page it opens marks the terms and scrolls to the first mark
// in the passage (highlightArrival, which takes the terms before Sphinx's own highlighter can). Snippets
// are made of text and <mark> elements only (no HTML of the index reaches the page).
//
// The query is first looked for as typed, with its synonyms (biomedimg.vocab.SEARCH_SYNONYMS, served as
// _static/search-synonyms.json), in the text Pagefind keeps of every page: Pagefind's own index holds
// words as its segmenter cut them, and the Chinese one cuts 2.94 into 2|.|94, 42万篇 into 42|万篇,
// 诺贝尔 into 诺贝|尔 and 冷冻电镜 into 冷冻|电|镜, so a number or a term asked of the index finds other
// numbers (29) or pages holding one half. Matching the stored text finds exactly what the page prints,
// in both editions, whatever the segmenter does; the text of all pages is Pagefind's fragments (about
// 100 KB an edition), loaded once. A query of several words not found together is looked for word by
// word (a page must hold each). Only when nothing holds them as typed (another form of a word, a word
// cut short) are Pagefind's own results shown, ranked its way.

// A term as a pattern of the text: spaces match any run of white space, letters any case; a term that
// starts with a letter or digit does not start inside a word, a number or an identifier ("CT" is not in
// "fact", "94" not in "2.94", "MRI" not in "rank_mri"), a number does not end inside a number ("1/3" is
// not in "1/30", "2.9" not in "2.94"), and a term in capitals ends a word ("PET" is not in "PETER").
// Other words may go on as words (prize finds prizes), not into an identifier (nobel_prizes).
function searchPattern(term) {
  "use strict";
  var words = term.trim().split(/\s+/).map(function (w) {
    // A thousands separator may be left out (the English prose prints 420000, its ledger 420,000).
    return w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&").replace(/([0-9]),(?=[0-9]{3}(?![0-9]))/g, "$1,?");
  });
  var start = /^[A-Za-z0-9]/.test(term) ? "(?<![A-Za-z0-9_]|[0-9][.,/])" : "";
  var end = /[0-9]$/.test(term) ? "(?![0-9_]|[.,/][0-9])"
    : /^[^a-z]*[A-Z][^a-z]*$/.test(term) ? "(?![A-Za-z0-9_])"
    : /[A-Za-z]$/.test(term) ? "(?![0-9_])" : "";
  return start + words.join("\\s+") + end;
}

// Every match of the terms in a text, in order, none overlapping (where two start together, the longer).
function searchMatches(text, terms) {
  "use strict";
  if (!terms.length) return [];
  var re = new RegExp(terms.slice().sort(function (a, b) { return b.length - a.length; }).map(searchPattern).join("|"), "giu");
  var found = [], m;
  while ((m = re.exec(text)) !== null) {
    if (!m[0].length) { re.lastIndex++; continue; }
    found.push({ start: m.index, end: m.index + m[0].length });
  }
  return found;
}

function searchPage() {
  "use strict";
  var list = document.getElementById("search-results");
  if (!list || !list.dataset.bundle) return;
  var summary = document.querySelector(".search-summary");
  var query = (new URLSearchParams(location.search).get("q") || "").trim();
  document.querySelectorAll(".bd-search-container form input[name='q']").forEach(function (input) {
    input.value = query;
  });
  if (!query) return;

  function text(node, value) { node.appendChild(document.createTextNode(value)); }

  // Pagefind's excerpt (its own results) rebuilt as text and <mark> elements.
  function pagefindSnippet(excerpt) {
    var p = document.createElement("p");
    p.className = "search-snippet";
    var doc = new DOMParser().parseFromString("<body>" + excerpt + "</body>", "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        text(p, node.textContent);
      }
    });
    return p;
  }

  // A page's text as Pagefind split it into words (its locations count these words): the Chinese
  // edition's words are joined by zero-width spaces, the English one's by white space. Returns the text
  // with the words joined as the page prints them, and where each word starts in it.
  function pageText(data) {
    var raw = data.raw_content || "";
    var zws = raw.indexOf("\u200B") >= 0;
    var words = (zws ? raw.split("\u200B") : raw.split(/[\r\n\s]+/g)).map(function (w) {
      return w.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    });
    var starts = [], at = 0, joiner = zws ? "" : " ";
    words.forEach(function (w) { starts.push(at); at += w.length + joiner.length; });
    return { text: words.join(joiner), starts: starts, spaced: !zws };
  }

  function wordAt(starts, offset) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // The passage: of the stretches the page's ids cut it into (each from an element with an id to the
  // next), the one holding the most matches (the first of equals); its element's id is the anchor.
  function passage(data, locations) {
    var anchors = (data.anchors || []).slice().sort(function (a, b) { return a.location - b.location; });
    var counts = new Map(), firsts = new Map();
    locations.forEach(function (loc, i) {
      var owner = null;
      anchors.forEach(function (a) { if (a.location <= loc) owner = a; });
      if (!owner) return;
      counts.set(owner, (counts.get(owner) || 0) + 1);
      if (!firsts.has(owner)) firsts.set(owner, i);
    });
    var best = null;
    anchors.forEach(function (a) {
      if (counts.has(a) && (!best || counts.get(a) > counts.get(best))) best = a;
    });
    return best ? { anchor: best, first: firsts.get(best) } : { anchor: null, first: 0 };
  }

  // The page's text around a match, cut at white space where there is some, every match in it marked.
  // It starts no earlier than the passage does (floor: where the passage's element starts).
  function exactSnippet(page, matches, i, floor) {
    var reach = page.spaced ? 90 : 45;  // characters each side: English words are longer
    var m = matches[i], from = Math.max(floor, m.start - reach), to = Math.min(page.text.length, m.end + reach);
    var space = page.text.indexOf(" ", from);
    if (from > 0 && space >= 0 && space < m.start) from = space + 1;
    space = page.text.lastIndexOf(" ", to);
    if (to < page.text.length && space >= m.end) to = space;
    var p = document.createElement("p");
    p.className = "search-snippet";
    var at = from;
    if (from > 0) text(p, "…");
    matches.forEach(function (x) {
      if (x.start < from || x.end > to) return;
      if (x.start > at) text(p, page.text.slice(at, x.start));
      var mark = document.createElement("mark");
      mark.textContent = page.text.slice(x.start, x.end);
      p.appendChild(mark);
      at = x.end;
    });
    if (to > at) text(p, page.text.slice(at, to));
    if (to < page.text.length) text(p, "…");
    return p;
  }

  function show(data, anchor, shown, terms) {
    // Pagefind gives the page's path from the site's root as it found the bundle (/zh/claims.html).
    var page = data.url;
    var params = terms.map(function (t) { return "highlight=" + encodeURIComponent(t); }).join("&");
    var href = page + (page.indexOf("?") < 0 ? "?" : "&") + params + (anchor ? "#" + encodeURIComponent(anchor.id) : "");
    var item = document.createElement("li");
    item.className = "search-result";
    var link = document.createElement("a");
    link.href = href;
    link.className = "search-result-link";
    link.textContent = (data.meta && data.meta.title) || page;
    var heading = document.createElement("p");
    heading.className = "search-result-title";
    heading.appendChild(link);
    if (anchor && anchor.text) {
      var where = document.createElement("span");
      where.className = "search-result-passage";
      where.textContent = " › " + anchor.text.slice(0, 80);
      heading.appendChild(where);
    }
    item.appendChild(heading);
    item.appendChild(shown);
    list.appendChild(item);
  }

  // The page's matches of the terms as typed; null unless it holds a term of each set (the query, or
  // each of its words, with their synonyms).
  function exact(data, sets) {
    var page = pageText(data);
    if (!sets.every(function (terms) { return searchMatches(page.text, terms).length; })) return null;
    var matches = searchMatches(page.text, [].concat.apply([], sets));
    var where = passage(data, matches.map(function (m) { return wordAt(page.starts, m.start); }));
    // The terms to mark on arrival: those found on this page, as the page prints them.
    var seen = [];
    matches.forEach(function (m) {
      var t = page.text.slice(m.start, m.end).replace(/\s+/g, " ");
      if (seen.map(function (s) { return s.toLowerCase(); }).indexOf(t.toLowerCase()) < 0) seen.push(t);
    });
    var floor = where.anchor ? page.starts[Math.min(where.anchor.location, page.starts.length - 1)] : 0;
    var snippet = exactSnippet(page, matches, where.first, Math.min(floor, matches[where.first].start));
    return { data: data, count: matches.length, anchor: where.anchor, snippet: snippet, terms: seen };
  }

  var synonyms = fetch(list.dataset.synonyms).then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
  function widen(groups, q) { return groups[q.replace(/\s+/g, " ").toLowerCase()] || [q]; }

  function report(n) {
    if (summary) {
      var template = n ? summary.dataset.found : summary.dataset.none;
      summary.textContent = template.replace("{n}", String(n)).replace("{q}", query);
    }
    list.setAttribute("data-ready", "true");
  }

  var loading = import(new URL(list.dataset.bundle, location.href).href);
  Promise.all([loading, synonyms]).then(function (got) {
    var pagefind = got[0], terms = widen(got[1], query);
    var words = query.split(/\s+/).map(function (w) { return widen(got[1], w); });
    return pagefind.options({ excerptLength: 24 }).then(function () {
      return pagefind.search(null);
    }).then(function (all) {
      return Promise.all(all.results.map(function (r) { return r.data(); }));
    }).then(function (pages) {
      // The query as typed, or else, if it has several words, the pages that hold each of them.
      var found = pages.map(function (d) { return exact(d, [terms]); }).filter(Boolean);
      if (!found.length && words.length > 1) found = pages.map(function (d) { return exact(d, words); }).filter(Boolean);
      if (found.length) {
        // Most matches first; pages of equal count in the order of their addresses (deterministic).
        found.sort(function (a, b) { return b.count - a.count || (a.data.url < b.data.url ? -1 : a.data.url > b.data.url ? 1 : 0); });
        found.forEach(function (f) { show(f.data, f.anchor, f.snippet, f.terms); });
        return report(found.length);
      }
      // Nothing holds the query or its words as typed: Pagefind's results for each term, merged (a page once, at
      // its best rank), each leading to the passage of Pagefind's matches.
      return Promise.all(terms.map(function (t) { return pagefind.search(t); })).then(function (searches) {
        var seen = new Set(), results = [];
        searches.forEach(function (s) {
          ((s && s.results) || []).forEach(function (r) {
            if (!seen.has(r.id)) { seen.add(r.id); results.push(r); }
          });
        });
        return Promise.all(results.slice(0, 20).map(function (r) { return r.data(); })).then(function (datas) {
          datas.forEach(function (d) {
            var shown = pagefindSnippet(d.excerpt || "");
            var words = terms.slice();
            shown.querySelectorAll("mark").forEach(function (m) {
              var w = m.textContent.trim();
              if (w && words.indexOf(w) < 0) words.push(w);
            });
            show(d, passage(d, d.locations || []).anchor, shown, words);
          });
          report(results.length);
        });
      });
    });
  });
}
// A page opened from a result: each term of ?highlight= (one a parameter) marked in the page's text
// (matched as the search matched it, across the elements a phrase may span; text nodes split, <mark>
// elements made with textContent), the parameter dropped from the address, and the first mark of the
// passage (from the #anchor on), or of the page, scrolled into view with its <details> opened.
// The terms are taken from ?highlight= while the page is parsed (this script is in the head), and the
// parameter dropped from the address at once: Sphinx's own highlighter (sphinx_highlight.js, on every
// page) would otherwise take it first when the page is ready, and mark the terms its own way.
var ARRIVAL_TERMS = (function () {
  var url = new URL(location.href);
  var terms = url.searchParams.getAll("highlight").map(function (t) { return t.trim(); }).filter(Boolean);
  if (terms.length) {
    url.searchParams.delete("highlight");
    history.replaceState(history.state, "", url.href);
  }
  return terms;
})();

var ARRIVAL_BLOCKS = "p, li, dt, dd, td, th, caption, summary, figcaption, pre, blockquote, h1, h2, h3, h4, h5, h6, div, section";

function highlightArrival() {
  var root = document.querySelector("article.bd-article");
  if (!ARRIVAL_TERMS.length || !root) return;
  var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: function (node) {
      return node.parentElement.closest("script, style, mark") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    }
  });
  // The page's text, a line break between blocks (cells, paragraphs) so that a term does not run on
  // from one into the next ("proton" and "NMR" in two cells are not "protonNMR").
  var nodes = [], starts = [], all = "", block = null;
  while (walker.nextNode()) {
    var inBlock = walker.currentNode.parentElement.closest(ARRIVAL_BLOCKS);
    if (nodes.length && inBlock !== block) all += "\n";
    block = inBlock;
    nodes.push(walker.currentNode);
    starts.push(all.length);
    all += walker.currentNode.nodeValue;
  }
  // From the last match back, and in each node from its end: the part of a node before a split stays
  // the node, so the offsets of the matches still to mark hold.
  searchMatches(all, ARRIVAL_TERMS).reverse().forEach(function (m) {
    for (var i = nodes.length - 1; i >= 0; i--) {
      var from = Math.max(m.start - starts[i], 0), to = Math.min(m.end - starts[i], nodes[i].nodeValue.length);
      if (to <= 0 || from >= nodes[i].nodeValue.length || from >= to) continue;
      var node = nodes[i];
      if (to < node.nodeValue.length) node.splitText(to);
      var hit = from > 0 ? node.splitText(from) : node;
      var mark = document.createElement("mark");
      mark.className = "search-hit";
      hit.parentNode.insertBefore(mark, hit);
      mark.appendChild(hit);
      if (from === 0) {
        // The whole head of the node is marked now: an empty text node stands in for it.
        nodes[i] = document.createTextNode("");
        mark.parentNode.insertBefore(nodes[i], mark);
      }
    }
  });
  var target = null;
  try { target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) {}
  // The passage runs from its element to the next element with an id (as the search counted it): its
  // first mark is the first in or after the element.
  var marks = Array.prototype.slice.call(root.querySelectorAll("mark.search-hit"));
  var first = (target && marks.filter(function (m) {
    return target.compareDocumentPosition(m) & (Node.DOCUMENT_POSITION_FOLLOWING | Node.DOCUMENT_POSITION_CONTAINED_BY);
  })[0]) || marks[0];
  if (!first) return;
  for (var d = first.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
  var toMark = function () { first.scrollIntoView({ block: "center" }); };
  toMark();
  // The browser scrolls to the #anchor itself until the page has loaded (its element may start well
  // above the mark: a figure before its values), and a figure above the mark takes its height only
  // when its image has loaded (the images carry no size): back to the mark after each.
  if (document.readyState !== "complete") window.addEventListener("load", toMark, { once: true });
  root.querySelectorAll("img").forEach(function (img) {
    if (!img.complete && img.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING) {
      img.addEventListener("load", toMark, { once: true });
    }
  });
}

// Jupyter Book loads this script on every page, in the head.
function start() { searchPage(); highlightArrival(); }
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
