// The reader's components: copy buttons (hashes, commands, BibTeX) and the ledger's filters.
// No network and no libraries; without JavaScript the page still shows every row and hash.
(function () {
  "use strict";

  function langOf(el) {
    var holder = el.closest("[lang]");
    return holder && holder.getAttribute("lang").indexOf("zh") === 0 ? "zh" : "en";
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var label = button.textContent;
    var zh = langOf(button) === "zh";
    copyText(button.getAttribute("data-copy")).then(function () {
      button.textContent = zh ? "已复制" : "Copied";
    }, function () {
      button.textContent = zh ? "请手动复制" : "Select and copy";
    });
    setTimeout(function () { button.textContent = label; }, 1800);
  });

  function setUpLedger(form) {
    // The table next to the form (its id may be shared with the page's section of the same name).
    var block = form.closest(".ledger-block");
    var table = block && block.querySelector("table.ledger");
    if (!table || !table.tBodies[0]) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var status = form.querySelector("[data-filter=status]");
    var section = form.querySelector("[data-filter=section]");
    var query = form.querySelector("[data-filter=text]");
    var count = form.querySelector(".ledger-count");
    var template = count.getAttribute("data-template");

    function apply() {
      var q = query.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var match = (!status.value || row.getAttribute("data-status") === status.value) &&
          (!section.value || row.getAttribute("data-section") === section.value) &&
          (!q || row.textContent.toLowerCase().indexOf(q) !== -1);
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = template.replace("{shown}", shown).replace("{total}", rows.length);
    }

    function showTarget() {
      var id = decodeURIComponent(location.hash.slice(1));
      var row = id && document.getElementById(id);
      row = row && table.contains(row) ? row : table.querySelector("tr[id='" + id.replace(/'/g, "") + "']");
      if (row && row.hidden) {
        form.reset();
        apply();
        row.scrollIntoView();
      }
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    window.addEventListener("hashchange", showTarget);
    apply();
  }

  function start() {
    document.querySelectorAll("form.ledger-filters").forEach(setUpLedger);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
