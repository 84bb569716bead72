// The interactive figures: "Explore" (交互图) swaps a figure's image for its chart, drawn by Vega-Lite from
// the figure's values CSV (the specs sit in the page, biomedimg.outputs.interactive), with a tooltip
// giving each row's exact values; tapping again brings the image back. The charting library is served
// from this site (vendor/vega-embed.js, built by the workflow) and loaded on the first tap only, so a
// page costs nothing more until the reader asks. Without JavaScript the button stays hidden.
(function () {
  "use strict";

  var self = document.currentScript;
  // In the edition's vendor/ folder (biomedimg.site.render), beside _static/.
  var library = self ? new URL("../vendor/vega-embed.js", self.src).href : "vendor/vega-embed.js";
  var loading = null;

  function loadLibrary() {
    if (window.vegaEmbed) return Promise.resolve(window.vegaEmbed);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = library;
        tag.onload = function () { resolve(window.vegaEmbed); };
        tag.onerror = function () { loading = null; reject(new Error("could not load " + library)); };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function isDark() { return document.documentElement.dataset.theme === "dark"; }

  function draw(block) {
    var specs = JSON.parse(block.querySelector("script.explore-spec").textContent);
    var holder = block.querySelector(".explore-charts");
    (block.views || []).forEach(function (result) { result.finalize(); });
    block.views = [];
    holder.textContent = "";
    var dark = isDark();
    return loadLibrary().then(function (vegaEmbed) {
      return Promise.all(specs.map(function (spec) {
        var div = document.createElement("div");
        div.className = "explore-chart";
        holder.appendChild(div);
        return vegaEmbed(div, spec, {
          renderer: "svg",
          actions: false,  // the figure's card offers the downloads; no link leaves the site
          theme: dark ? "dark" : undefined,
          config: { background: "transparent" },
          tooltip: { theme: dark ? "dark" : "light" },
        }).then(function (result) { block.views.push(result); });
      }));
    }).then(function () { block.setAttribute("data-drawn", dark ? "dark" : "light"); });
  }

  function show(block, on) {
    var figure = block.closest("figure");
    var image = figure && figure.querySelector(".figure-full");
    var button = block.querySelector(".explore-button");
    var holder = block.querySelector(".explore-charts");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = button.getAttribute(on ? "data-static" : "data-explore");
    holder.hidden = !on;
    if (image) image.hidden = on;
    if (!on) { block.removeAttribute("data-drawn"); return; }
    draw(block).catch(function (error) {
      // The image comes back, and the reason is in the console for whoever investigates.
      console.warn(error);
      holder.hidden = true;
      if (image) image.hidden = false;
      button.setAttribute("aria-pressed", "false");
      button.textContent = button.getAttribute("data-explore");
    });
  }

  function setUp() {
    document.querySelectorAll(".figure-explore").forEach(function (block) {
      var button = block.querySelector(".explore-button");
      button.hidden = false;
      button.addEventListener("click", function () {
        show(block, button.getAttribute("aria-pressed") !== "true");
      });
    });
  }
  // Loaded in the page's head: the figures exist once the document is parsed.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();

  // The theme's light/dark toggle (or the system setting) changes data-theme: open charts follow.
  new MutationObserver(function () {
    document.querySelectorAll(".figure-explore[data-drawn]").forEach(function (block) {
      if (block.getAttribute("data-drawn") !== (isDark() ? "dark" : "light")) draw(block);
    });
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
})();
