// Sort a data table by its headers (mouse, or keyboard: each header is a button, Enter or Space sorts;
// aria-sort tells screen readers the order); filter its rows with the box above it.
// No network, no libraries.
//
// Sort keys: a cell's data-sort-value when the page gives one; otherwise dates (ISO 1995-12-15, or
// Chinese 1995年12月15~17日) as ISO strings, so they sort by day and not by year only; otherwise a
// number at the start (qualifiers such as > or ≈ ignored); otherwise the text. Empty cells sort last.
(function () {
  "use strict";

  // The interface words in the page's language (each edition has its own).
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
  var CHINESE_DATE = /^\s*(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日?)?)?/;
  var ISO_DATE = /^\s*(\d{4})-(\d{2})(?:-(\d{2}))?(?![\d])/;
  var NUMBER = /^\s*[>≥<≤≈~]?\s*(-?\d+(?:\.\d+)?)(?![\d.])/;

  function pad(n) { return n ? ("0" + n).slice(-2) : "00"; }

  function sortKey(cell) {
    var given = cell.getAttribute("data-sort-value");
    var text = (given !== null ? given : cell.textContent).trim();
    if (text === "") return { kind: 3, value: "" };
    var m = CHINESE_DATE.exec(text) || ISO_DATE.exec(text);
    if (m) return { kind: 1, value: m[1] + "-" + pad(m[2]) + "-" + pad(m[3]) };
    m = NUMBER.exec(text);
    if (m) return { kind: 0, value: parseFloat(m[1]) };
    return { kind: 2, value: text };
  }

  function compare(a, b) {
    if (a.kind !== b.kind) return a.kind - b.kind;
    if (a.kind === 0) return a.value - b.value;
    return String(a.value).localeCompare(String(b.value), "zh", { numeric: true });
  }

  function sortBy(table, header, col) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (th.hasAttribute("aria-sort")) th.setAttribute("aria-sort", "none");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (row, index) {
      return { row: row, key: sortKey(row.cells[col] || row), index: index };
    });
    rows.sort(function (a, b) {
      var empty = (a.key.kind === 3) - (b.key.kind === 3);
      if (empty) return empty; // empty cells last in either direction
      var cmp = compare(a.key, b.key);
      return (ascending ? cmp : -cmp) || a.index - b.index;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }

  function makeSortable(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.title = zh ? "排序" : "Sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () { sortBy(table, th, col); });
    });
  }

  function addFilter(table) {
    var body = table.tBodies[0];
    var filter = document.createElement("input");
    filter.type = "search";
    filter.className = "table-filter";
    filter.placeholder = zh ? "筛选" : "Filter";
    filter.setAttribute("aria-label", zh ? "筛选表 " + table.id + " 的行" : "Filter rows of " + table.id);
    table.parentNode.insertBefore(filter, table);
    filter.addEventListener("input", function () {
      var q = filter.value.toLowerCase();
      Array.prototype.forEach.call(body.rows, function (row) {
        row.style.display = row.textContent.toLowerCase().indexOf(q) === -1 ? "none" : "";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.data-table").forEach(function (table) {
      if (!table.tBodies[0] || !table.tHead) return;
      addFilter(table);
      makeSortable(table);
    });
  });

  // For tests and other scripts: how a cell's text sorts.
  window.companionSortKey = function (text) {
    var cell = document.createElement("td");
    cell.textContent = text;
    return sortKey(cell);
  };
})();
