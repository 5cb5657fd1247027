// Page behaviour, run on first load and after every instant navigation (Material's document$).
(function () {
  "use strict";

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

  function init() {
    document.querySelectorAll("table.sortable").forEach(makeSortable);
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
