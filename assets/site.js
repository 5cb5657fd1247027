// Page behaviour, run on first load and after every instant navigation (Material's document$):
// sortable tables, and the interactive Vega-Lite charts (whose static SVG stays without JS).
(function () {
  "use strict";

  // ---- sortable tables -------------------------------------------------------------------

  function sortValue(cell) {
    const raw = cell.getAttribute("data-sort");
    const text = raw !== null ? raw : cell.textContent.trim();
    const number = Number(text);
    return Number.isNaN(number) || text === "" ? text.toLocaleLowerCase("nb") : number;
  }

  function sortTable(table, column, header) {
    const body = table.tBodies[0];
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    const rows = Array.from(body.rows);
    rows.sort(function (a, b) {
      const x = sortValue(a.cells[column]);
      const y = sortValue(b.cells[column]);
      const order = typeof x === "number" && typeof y === "number"
        ? x - y : String(x).localeCompare(String(y), "nb");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("thead th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function makeSortable(table) {
    if (table.dataset.sortable === "ready") return;
    table.dataset.sortable = "ready";
    table.querySelectorAll("thead th").forEach(function (header, column) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = header.textContent;
      button.title = "Sorter etter " + header.textContent.toLowerCase();
      header.textContent = "";
      header.appendChild(button);
      button.addEventListener("click", function () { sortTable(table, column, header); });
    });
  }

  // ---- charts ------------------------------------------------------------------------------

  const FORMAT_LOCALE = { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"] };
  let views = [];  // live Vega views on the current page, finalized before the next one

  function isDark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function navigate(url) {
    // Material's instant navigation when it is on; an ordinary page load otherwise.
    if (window.location$ && typeof window.location$.next === "function") {
      window.location$.next(new URL(url, window.location.href));
    } else {
      window.location.assign(url);
    }
  }

  function finalizeViews() {
    views.forEach(function (view) { view.finalize(); });
    views = [];
  }

  function renderChart(container) {
    if (typeof window.vegaEmbed !== "function") return;  // keep the static SVG
    const target = container.querySelector(".chart-live");
    const spec = JSON.parse(container.getAttribute("data-spec"));
    target.textContent = "";
    window.vegaEmbed(target, spec, {
      renderer: "svg",
      actions: false,
      formatLocale: FORMAT_LOCALE,
      theme: isDark() ? "dark" : undefined,
      tooltip: { theme: isDark() ? "dark" : "light" },
    }).then(function (result) {
      views.push(result.view);
      container.classList.add("is-live");
      result.view.addEventListener("click", function (event, item) {
        const url = item && item.datum && item.datum.url;
        if (url) navigate(url);
      });
    }).catch(function (error) {
      container.classList.remove("is-live");
      console.warn("Figuren kunne ikke tegnes interaktivt; viser den statiske versjonen.", error);
    });
  }

  function renderCharts() {
    finalizeViews();
    document.querySelectorAll(".vega-chart[data-spec]").forEach(renderChart);
  }

  // Re-draw the charts when the reader switches between light and dark mode.
  let schemeObserver = null;
  function watchScheme() {
    if (schemeObserver) return;
    schemeObserver = new MutationObserver(function () { renderCharts(); });
    schemeObserver.observe(document.body, { attributes: true,
                                            attributeFilter: ["data-md-color-scheme"] });
  }

  function init() {
    document.querySelectorAll("table.sortable").forEach(makeSortable);
    renderCharts();
    watchScheme();
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
