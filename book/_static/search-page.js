// The search page (book/_templates/search.html): the query (?q=) looked up in Pagefind's index of this
// edition, served from the site (_pagefind/). Each result links to the passage, not only the page: the
// element with an id nearest before the first match (a claim's row, a figure, a table, a section), with
// ?highlight= so that the page it opens marks the terms and scrolls to the first mark in the passage
// (highlightArrival, which takes the terms before Sphinx's own highlighter can). Snippets are Pagefind's excerpts
// rebuilt as text and <mark> elements only (no HTML of the index reaches the page).
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

  function snippet(excerpt) {
    var p = document.createElement("p");
    p.className = "search-snippet";
    var doc = new DOMParser().parseFromString("<body>" + excerpt + "</body>", "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  // The passage: of the stretches the page's ids cut it into (each from an element with an id to the
  // next), the one holding the most matches (the first of equals); its element's id is the anchor.
  function passage(data) {
    var anchors = (data.anchors || []).slice().sort(function (a, b) { return a.location - b.location; });
    var counts = new Map();
    (data.locations || []).forEach(function (loc) {
      var owner = null;
      anchors.forEach(function (a) { if (a.location <= loc) owner = a; });
      if (owner) counts.set(owner, (counts.get(owner) || 0) + 1);
    });
    var best = null;
    anchors.forEach(function (a) {
      if (counts.has(a) && (!best || counts.get(a) > counts.get(best))) best = a;
    });
    return best;
  }

  function show(data) {
    // Pagefind gives the page's path from the site's root as it found the bundle (/zh/claims.html).
    var page = data.url;
    var anchor = passage(data);
    var shown = snippet(data.excerpt || "");
    // The words to mark on arrival: the query and the words Pagefind matched (Chinese is split into
    // words, so 冷冻电镜 may match 冷冻 and 电镜 apart).
    var words = [query];
    shown.querySelectorAll("mark").forEach(function (m) {
      var w = m.textContent.trim();
      if (w && words.indexOf(w) < 0) words.push(w);
    });
    var href = page + (page.indexOf("?") < 0 ? "?" : "&") + "highlight=" + encodeURIComponent(words.join(" ")) +
      (anchor ? "#" + encodeURIComponent(anchor.id) : "");
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

  import(new URL(list.dataset.bundle, location.href).href).then(function (pagefind) {
    return pagefind.options({ excerptLength: 24 }).then(function () {
      return pagefind.search(query);
    }).then(function (search) {
      var results = (search && search.results) || [];
      if (summary) {
        var template = results.length ? summary.dataset.found : summary.dataset.none;
        summary.textContent = template.replace("{n}", String(results.length)).replace("{q}", query);
      }
      return Promise.all(results.slice(0, 20).map(function (r) { return r.data(); }));
    }).then(function (all) {
      // Pages that hold the query as typed first (Pagefind also finds the words of a split query
      // apart, and its text of a Chinese page has spaces between words); otherwise Pagefind's order.
      var squeeze = function (t) { return t.toLowerCase().replace(/\s+/g, ""); };
      var exact = squeeze(query);
      var holds = function (d) { return squeeze(d.content || "").indexOf(exact) >= 0 ? 0 : 1; };
      all.map(function (d, i) { return [holds(d), i, d]; })
        .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
        .forEach(function (x) { show(x[2]); });
      list.setAttribute("data-ready", "true");
    });
  });
}
// A page opened from a result: each term of ?highlight= marked in the page's text (text nodes split,
// <mark> elements made with textContent), the parameter dropped from the address, and the first mark
// in the passage (the #anchor), or on the page, scrolled into view with its <details> opened.
// The terms are taken from ?highlight= while the page is parsed (this script is in the head), and the
// parameter dropped from the address at once: Sphinx's own highlighter (sphinx_highlight.js, on every
// page) would otherwise take it first when the page is ready, and mark the terms its own way.
var ARRIVAL_TERMS = (function () {
  var url = new URL(location.href);
  var terms = url.searchParams.get("highlight") || "";
  if (terms) {
    url.searchParams.delete("highlight");
    history.replaceState(history.state, "", url.href);
  }
  return terms;
})();

function highlightArrival() {
  var words = ARRIVAL_TERMS.toLowerCase().split(/\s+/).filter(Boolean);
  var root = document.querySelector("article.bd-article");
  if (!words.length || !root) return;
  var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: function (node) {
      return node.parentElement.closest("script, style, mark") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    }
  });
  var nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  nodes.forEach(function (node) {
    var text = node.nodeValue, lower = text.toLowerCase(), pos = 0, parts = [];
    while (pos < text.length) {
      var next = -1, word = "";
      words.forEach(function (w) {
        var at = lower.indexOf(w, pos);
        if (at >= 0 && (next < 0 || at < next)) { next = at; word = w; }
      });
      if (next < 0) break;
      if (next > pos) parts.push(document.createTextNode(text.slice(pos, next)));
      var mark = document.createElement("mark");
      mark.className = "search-hit";
      mark.textContent = text.slice(next, next + word.length);
      parts.push(mark);
      pos = next + word.length;
    }
    if (!parts.length) return;
    if (pos < text.length) parts.push(document.createTextNode(text.slice(pos)));
    var parent = node.parentNode;
    parts.forEach(function (part) { parent.insertBefore(part, node); });
    parent.removeChild(node);
  });
  var target = null;
  try { target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) {}
  var first = (target && target.querySelector("mark.search-hit")) || root.querySelector("mark.search-hit");
  if (!first) return;
  for (var d = first.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
  first.scrollIntoView({ block: "center" });
}

// Jupyter Book loads this script on every page, in the head.
function start() { searchPage(); highlightArrival(); }
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
