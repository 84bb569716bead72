// Let the search find numbers (years, counts, the ledger's values). Sphinx's search page drops every
// query word made only of digits; this is its query parser (Sphinx 7.4 searchtools.js) without that
// rule. The index already holds the numbers. Runs before Search.init, which is also a DOMContentLoaded
// handler registered later.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Search === "undefined" || typeof splitQuery === "undefined") return;
  Search._parseQuery = function (query) {
    const stemmer = new Stemmer();
    const searchTerms = new Set();
    const excludedTerms = new Set();
    const highlightTerms = new Set();
    const objectTerms = new Set(splitQuery(query.toLowerCase().trim()));
    splitQuery(query.trim()).forEach(function (queryTerm) {
      const queryTermLower = queryTerm.toLowerCase();
      if (stopwords.indexOf(queryTermLower) !== -1) return;
      const word = stemmer.stemWord(queryTermLower);
      if (word[0] === "-") excludedTerms.add(word.substr(1));
      else {
        searchTerms.add(word);
        highlightTerms.add(queryTermLower);
      }
    });
    if (typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined" && SPHINX_HIGHLIGHT_ENABLED) {
      localStorage.setItem("sphinx_highlight_terms", [...highlightTerms].join(" "));
    }
    return [query, searchTerms, excludedTerms, highlightTerms, objectTerms];
  };
});
