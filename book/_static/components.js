// The reader's components: copy buttons (hashes, commands, BibTeX) and the ledger's filters, sort
// buttons and sections.
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
    // The ledger next to the form: one <details> per section of the review, each with its table.
    var block = form.closest(".ledger-block");
    var tables = block ? Array.prototype.slice.call(block.querySelectorAll("table.ledger")) : [];
    if (!tables.length) return;
    var groups = Array.prototype.slice.call(block.querySelectorAll("details.ledger-group"));
    var rows = [];
    tables.forEach(function (table) {
      if (table.tBodies[0]) rows = rows.concat(Array.prototype.slice.call(table.tBodies[0].rows));
    });
    var status = form.querySelector("[data-filter=status]");
    var statusOrder = Array.prototype.map.call(status.options, function (o) { return o.value; })
      .filter(function (v) { return v; });
    var section = form.querySelector("[data-filter=section]");
    var query = form.querySelector("[data-filter=text]");
    var count = form.querySelector(".ledger-count");
    var template = count.getAttribute("data-template");

    function apply() {
      var q = query.value.trim().toLowerCase();
      var filtering = Boolean(status.value || section.value || q);
      var shown = 0;
      rows.forEach(function (row) {
        var match = (!status.value || row.getAttribute("data-status") === status.value) &&
          (!section.value || row.getAttribute("data-section") === section.value) &&
          (!q || row.textContent.toLowerCase().indexOf(q) !== -1);
        row.hidden = !match;
        if (match) shown += 1;
      });
      // A filter works across the sections: those with matches open (and say how many), the others hide.
      groups.forEach(function (group) {
        var inGroup = group.querySelectorAll("tbody tr:not([hidden])").length;
        var note = group.querySelector(".ledger-group-shown");
        var openedByFilter = group.hasAttribute("data-opened-by-filter");
        if (filtering && inGroup) {
          group.hidden = false;
          if (!group.open) { group.open = true; group.setAttribute("data-opened-by-filter", ""); }
        } else {
          group.hidden = filtering;  // no match: hidden; no filter: every section, as the reader left it
          if (openedByFilter) { group.open = false; group.removeAttribute("data-opened-by-filter"); }
        }
        note.textContent = note.getAttribute("data-template").replace("{shown}", inGroup);
        note.hidden = !filtering;
      });
      count.textContent = template.replace("{shown}", shown).replace("{total}", rows.length);
    }

    // Sorting: a header's button sorts every section's table by that column (stable: equal keys keep
    // their order); aria-sort says the order on that column's header in every table.
    function sortKey(row, key, kind) {
      var text;
      if (key === "claim") {
        text = row.id;
      } else if (key === "status") {
        // The statuses' order is the status filter's (the ledger's order of statuses).
        var i = statusOrder.indexOf(row.getAttribute("data-status"));
        text = i < 0 ? "" : String(i);
      } else if (key === "stated") {
        text = row.getAttribute("data-sort-stated") || "";
      } else {
        var cell = row.querySelector(key === "quote" ? ".col-quote q" : ".col-note");
        text = cell ? cell.textContent.trim() : "";
      }
      if (text === "") return null;
      return kind === "number" ? parseFloat(text) : text;
    }

    function sortBy(key, kind, ascending) {
      tables.forEach(function (table) {
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
          var button = th.querySelector("button[data-sort]");
          th.setAttribute("aria-sort", button && button.getAttribute("data-sort") === key ?
            (ascending ? "ascending" : "descending") : "none");
        });
        var body = table.tBodies[0];
        var list = Array.prototype.map.call(body.rows, function (row, index) {
          return { row: row, key: sortKey(row, key, kind), index: index };
        });
        list.sort(function (a, b) {
          if (a.key === null || b.key === null) {  // no value: last in either order
            return (a.key === null) - (b.key === null) || a.index - b.index;
          }
          var cmp = kind === "number" ? a.key - b.key : String(a.key).localeCompare(String(b.key), "zh", { numeric: true });
          return (ascending ? cmp : -cmp) || a.index - b.index;
        });
        list.forEach(function (item) { body.appendChild(item.row); });
      });
    }

    block.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-sort]");
      if (!button || !block.contains(button)) return;
      var th = button.closest("th");
      sortBy(button.getAttribute("data-sort"), button.getAttribute("data-sort-kind"),
        th.getAttribute("aria-sort") !== "ascending");
    });

    // A link to a claim (claims.html#claim_id) opens its section, shows it if a filter hid it, and
    // scrolls to it: on load and whenever the fragment changes.
    function showTarget() {
      var id;
      try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
      var target = id && document.getElementById(id);
      if (!target || !block.contains(target)) return;
      var row = target.closest("tr");
      if (row && row.hidden) {
        form.reset();
        status.value = ""; section.value = ""; query.value = "";
        apply();
      }
      var group = target.closest("details.ledger-group");
      if (group) {
        group.hidden = false;
        group.open = true;
      }
      target.scrollIntoView();
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    window.addEventListener("hashchange", showTarget);
    apply();
    showTarget();
  }

  // A link to one of the other stated numbers (claims.html#statement_id) opens its section.
  function openStatement() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var target = id && document.getElementById(id);
    var group = target && target.closest("details.statements-group");
    if (!group) return;
    group.open = true;
    target.scrollIntoView();
  }

  // A number of the chapters linked to its claim (a.claim-ref[data-preview], biomedimg.site.sphinx_ext):
  // a preview of the check (status, stated and computed, the evidence in one line) on hover and on
  // keyboard focus, built as text from the link's data. A tap on a touch screen has no hover, so the
  // first tap opens the preview, with a link to the row ("Go to the check"); a second tap on the
  // number goes there too. A mouse click or Enter goes to the row at once. Escape closes it.
  var preview = null, previewFor = null, lastPointer = "";

  function previewBox() {
    if (preview) return preview;
    preview = document.createElement("div");
    preview.id = "claim-preview";
    preview.className = "claim-preview";
    preview.setAttribute("role", "tooltip");
    preview.hidden = true;
    preview.addEventListener("mouseleave", function (event) {
      if (event.relatedTarget !== previewFor) hidePreview();
    });
    document.body.appendChild(preview);
    return preview;
  }

  function line(cls, label, value) {
    var el = document.createElement("span");
    el.className = cls;
    if (label) {
      var b = document.createElement("span");
      b.className = "value-label";
      b.textContent = label;
      el.appendChild(b);
      el.appendChild(document.createTextNode(" "));
    }
    el.appendChild(document.createTextNode(value));
    return el;
  }

  function showPreview(link, withLink) {
    var data;
    try { data = JSON.parse(link.getAttribute("data-preview")); } catch (e) { return; }
    var box = previewBox();
    box.textContent = "";
    box.setAttribute("lang", langOf(link));
    var badge = document.createElement("span");
    badge.className = "badge badge-" + data.status;
    badge.textContent = data.label;
    box.appendChild(badge);
    box.appendChild(line("claim-preview-values", data.stated[0], data.stated[1]));
    box.appendChild(line("claim-preview-values", data.computed[0], data.computed[1]));
    if (data.evidence) box.appendChild(line("claim-preview-evidence", "", data.evidence));
    if (withLink) {
      var go = document.createElement("a");
      go.className = "claim-preview-go";
      go.href = link.getAttribute("href");
      go.textContent = data.go;
      box.appendChild(go);
    }
    box.dataset.claim = link.getAttribute("href").split("#")[1] || "";
    box.hidden = false;
    previewFor = link;
    link.setAttribute("aria-describedby", box.id);
    // Below the number, kept inside the window's width (a phone's too).
    var r = link.getBoundingClientRect();
    var width = box.offsetWidth;
    var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - width - 8));
    box.style.left = (left + window.scrollX) + "px";
    // Touching the number, so that the pointer can move onto it (and its link) without closing it.
    box.style.top = (r.bottom + window.scrollY) + "px";
  }

  function hidePreview() {
    if (!preview || preview.hidden) return;
    preview.hidden = true;
    if (previewFor) previewFor.removeAttribute("aria-describedby");
    previewFor = null;
  }

  function setUpPreviews() {
    var links = document.querySelectorAll("a.claim-ref[data-preview]");
    if (!links.length) return;
    links.forEach(function (link) {
      // The preview says what the title said; both at once would cover each other.
      link.removeAttribute("title");
      link.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType; });
      link.addEventListener("mouseenter", function () {
        if (lastPointer !== "touch") showPreview(link, false);
      });
      link.addEventListener("mouseleave", function (event) {
        if (previewFor === link && !(preview && preview.contains(event.relatedTarget))) hidePreview();
      });
      link.addEventListener("focus", function () {
        if (lastPointer !== "touch") showPreview(link, false);
      });
      link.addEventListener("blur", function (event) {
        if (previewFor === link && !(preview && preview.contains(event.relatedTarget))) hidePreview();
      });
      link.addEventListener("click", function (event) {
        if (lastPointer === "touch" && !(previewFor === link && preview.querySelector(".claim-preview-go"))) {
          event.preventDefault();
          showPreview(link, true);
        }
        lastPointer = "";
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && preview && !preview.hidden) {
        var link = previewFor;
        hidePreview();
        if (link && preview.contains(document.activeElement)) link.focus();
      }
    });
    // A tap or click elsewhere closes it.
    document.addEventListener("pointerdown", function (event) {
      if (preview && !preview.hidden && !preview.contains(event.target) &&
          !(previewFor && previewFor.contains(event.target))) hidePreview();
    });
  }

  function start() {
    setUpPreviews();
    document.querySelectorAll("form.ledger-filters").forEach(setUpLedger);
    window.addEventListener("hashchange", openStatement);
    openStatement();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
