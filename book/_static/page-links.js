// Links that depend on where the reader is. No network and no libraries.
// - The link to this page in the other edition keeps the #anchor (both editions give a figure,
//   table or claim the same id) and the ?query (search terms). Without JavaScript the plain link
//   still opens the same page, at its top.
// - "Cite this" under a figure or table shows the full address of the page the reader has open.
// - Provenance cards (collapsed <details>) print open, also where CSS cannot open them.
(function () {
  "use strict";

  function updateSwitch() {
    document.querySelectorAll("a.lang-switch").forEach(function (link) {
      var page = link.getAttribute("data-page");
      if (!page) {
        page = link.getAttribute("href").split(/[?#]/)[0];
        link.setAttribute("data-page", page);
      }
      link.setAttribute("href", page + window.location.search + window.location.hash);
    });
  }

  function showCiteAddresses() {
    document.querySelectorAll("a.cite-url").forEach(function (link) {
      link.textContent = link.href;
    });
  }

  window.addEventListener("hashchange", updateSwitch);
  window.addEventListener("popstate", updateSwitch);
  // A script may change the address without an event (history.replaceState): read it again when
  // the reader is about to follow the link.
  document.addEventListener("pointerdown", function (event) {
    if (event.target.closest && event.target.closest("a.lang-switch")) updateSwitch();
  }, true);
  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest("a.lang-switch")) updateSwitch();
  });

  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.filter.call(
      document.querySelectorAll("details.provenance-card:not([open])"),
      function (card) { card.open = true; return true; }
    );
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (card) { card.open = false; });
    openedForPrint = [];
  });

  function start() {
    updateSwitch();
    showCiteAddresses();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
