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

  // A table too wide for the screen scrolls inside its wrapper (Material's scrollwrap or our
  // .table-wrap). Make such a wrapper a named, focusable region so that it can be scrolled with
  // the keyboard (WCAG 2.1.1, axe scrollable-region-focusable), and say above it that it scrolls:
  // a table cut at the screen's edge looks broken.
  const SCROLL_BOXES = ".md-typeset__scrollwrap, .table-wrap";

  function makeScrollable(wrapper) {
    if (wrapper.hasAttribute("tabindex") || wrapper.scrollWidth <= wrapper.clientWidth + 1) return;
    if (wrapper.querySelector(SCROLL_BOXES)) return;  // the inner one
    wrapper.tabIndex = 0;
    wrapper.setAttribute("role", "region");
    wrapper.setAttribute("aria-label", tableName(wrapper));
    const hint = document.createElement("p");
    hint.className = "scroll-hint";
    hint.setAttribute("aria-hidden", "true");  // a screen reader reads the table cell by cell
    hint.textContent = "Tabellen er bredere enn siden: rull sideveis i den for å se resten.";
    wrapper.parentNode.insertBefore(hint, wrapper);
  }

  // A region's name: the table's caption, else the heading it stands under (regions on one page
  // need different names, axe landmark-unique).
  function tableName(wrapper) {
    const caption = wrapper.querySelector("caption");
    if (caption) return caption.textContent.trim();
    const headings = Array.from(document.querySelectorAll("article h1, article h2, article h3"))
      .filter(function (heading) {
        return heading.compareDocumentPosition(wrapper) & Node.DOCUMENT_POSITION_FOLLOWING;
      });
    const heading = headings[headings.length - 1];
    return heading ? "Tabell: " + heading.textContent.replace("¶", "").trim()
                   : "Tabell som kan rulles sideveis";
  }

  // ---- loading ------------------------------------------------------------------------------

  const SITE_ROOT = new URL("..", document.currentScript ? document.currentScript.src
                                                         : window.location.href);

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  // ---- charts ------------------------------------------------------------------------------

  const FORMAT_LOCALE = { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"] };
  let views = [];  // live Vega views on the current page, finalized before the next one

  function isDark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function navigate(url) {
    // Follow a real link: Material's instant navigation takes the click when it is on (and
    // pushes the address onto the history); otherwise the browser loads the page as usual.
    // Pushing into location$ directly would swap the content but leave the old address.
    const link = document.createElement("a");
    link.href = url;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function finalizeViews() {
    views.forEach(function (view) { view.finalize(); });
    views = [];
  }

  const specCache = new Map();  // shared spec files (factor pages), fetched once per visit
  let generation = 0;           // bumped on every page; late results of an old page are dropped

  const NARROW = 600;  // px: below this, the spec's own phone settings (usermeta.narrow)

  function narrow(spec) {
    const changes = (spec.usermeta && spec.usermeta.narrow) || {};
    const config = Object.assign({}, spec.config || {});
    Object.keys(changes).forEach(function (key) {
      config[key] = Object.assign({}, config[key], changes[key]);
    });
    return Object.assign({}, spec, { config: config });
  }

  // A shared spec is fetched only from this site, whatever a page's text carries. Its address is
  // relative to the site's root, not to the page: under instant navigation the address bar may
  // still show the previous page when a chart wakes.
  function ownOrigin(address) {
    const url = new URL(address, SITE_ROOT);
    if (url.origin !== window.location.origin) throw new Error("Ikke fra dette nettstedet: " + url.href);
    return url.href;
  }

  // Every spec carries its data, so a chart loads nothing: Vega's loader (data files, images)
  // is one that refuses, whatever a spec asks for.
  function refuse(uri) {
    return Promise.reject(new Error("Figurene laster ingenting: " + uri));
  }
  const REFUSING_LOADER = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

  function loadSpec(container) {
    const src = ownOrigin(container.getAttribute("data-spec-src"));
    if (!specCache.has(src)) {
      specCache.set(src, fetch(src).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status + " for " + src);
        return response.json();
      }));
    }
    return specCache.get(src).then(function (spec) {
      // a copy, with this page's factor highlighted through the spec's `valgt` parameter
      const copy = Object.assign({}, spec);
      const highlight = container.getAttribute("data-highlight");
      if (highlight) copy.params = [{ name: "valgt", value: highlight }];
      return copy;
    });
  }

  // Draw a spec into `target` the one way every chart here is drawn: SVG, no menu, Norwegian
  // numbers, the light or dark theme, narrower on a phone, and a loader that loads nothing.
  function embed(target, spec) {
    target.textContent = "";
    if (target.clientWidth && target.clientWidth < NARROW) spec = narrow(spec);
    return window.vegaEmbed(target, spec, {
      renderer: "svg",
      actions: false,
      loader: REFUSING_LOADER,
      formatLocale: FORMAT_LOCALE,
      theme: isDark() ? "dark" : undefined,
      tooltip: { theme: isDark() ? "dark" : "light" },
    });
  }

  function renderChart(container, mine) {
    if (typeof window.vegaEmbed !== "function") return;  // keep the static SVG
    const target = container.querySelector(".chart-live");
    Promise.resolve(container).then(loadSpec).then(function (spec) {
      if (mine !== generation || !container.isConnected) return null;
      return embed(target, spec);
    }).then(function (result) {
      if (!result) return;
      if (mine !== generation || !container.isConnected) {
        result.view.finalize();
        return;
      }
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

  // A chart's static SVG shows at once. The chart code (Vega, about 900 KB) is fetched only on a
  // page that has a chart, once, when a chart comes into view or the reader reaches for it.
  let vegaLoading = null;
  function loadVega() {
    if (!vegaLoading) vegaLoading = loadScript(new URL("assets/vega-bundle.js", SITE_ROOT).href);
    return vegaLoading;
  }

  let inView = null;  // the current page's IntersectionObserver

  function renderCharts() {
    finalizeViews();
    if (inView) inView.disconnect();
    generation += 1;
    const mine = generation;
    const charts = document.querySelectorAll(".vega-chart[data-spec-src]");
    function wake(container) {
      if (container.dataset.woken === String(mine)) return;
      container.dataset.woken = String(mine);
      if (inView) inView.unobserve(container);
      loadVega().then(function () { renderChart(container, mine); }).catch(function (error) {
        console.warn("Figurkoden kunne ikke lastes; viser den statiske versjonen.", error);
      });
    }
    charts.forEach(function (container) {
      container.classList.remove("is-live");  // the static SVG until drawn again
      ["pointerenter", "focusin", "touchstart"].forEach(function (name) {
        container.addEventListener(name, function () { wake(container); }, { passive: true });
      });
    });
    if (!("IntersectionObserver" in window)) {
      charts.forEach(wake);
      return;
    }
    inView = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { if (entry.isIntersecting) wake(entry.target); });
    }, { rootMargin: "100px" });
    charts.forEach(function (container) { inView.observe(container); });
  }

  // Re-draw the charts when the reader switches between light and dark mode. The theme also
  // sets the attribute again, unchanged, on a page change: that must not start the page's
  // charts over (a chart already scrolled past would wait for the next scroll).
  let schemeObserver = null;
  let darkNow = null;
  function watchScheme() {
    darkNow = isDark();
    if (schemeObserver) return;
    schemeObserver = new MutationObserver(function () {
      if (isDark() === darkNow) return;
      darkNow = isDark();
      renderCharts();
    });
    schemeObserver.observe(document.body, { attributes: true,
                                            attributeFilter: ["data-md-color-scheme"] });
  }

  // ---- search ---------------------------------------------------------------------------
  // The header keeps its place across instant navigation, so the search box is made once. Its
  // code (assets/search.js, Pagefind and the site's word list) loads when the reader opens it.

  function setUpSearch() {
    const header = document.querySelector(".md-header__inner");
    if (!header || document.getElementById("site-search") ||
        document.querySelector(".md-search")) return;  // Material's own search is on
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "md-header__button md-icon site-search__toggle";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", "site-search");
    toggle.title = "Søk";
    toggle.innerHTML = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" ' +
      'aria-hidden="true"><path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 ' +
      '4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 ' +
      '3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/>' +
      '</svg><span class="md-visually-hidden">Søk</span>';
    const panel = document.createElement("div");
    panel.id = "site-search";
    panel.className = "site-search";
    panel.setAttribute("role", "search");
    panel.hidden = true;
    header.appendChild(toggle);
    header.appendChild(panel);

    let input = null;
    let loading = null;
    function open() {
      panel.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
      if (!loading) {
        loading = loadScript(new URL("assets/search.js", SITE_ROOT).href).then(function () {
          input = window.siteSearch.create(panel, new URL("pagefind/", SITE_ROOT).pathname,
                                           new URL("assets/search-words.json", SITE_ROOT).href);
        });
      }
      loading.then(function () { if (input) input.focus(); }).catch(function (error) {
        loading = null;
        panel.textContent = "Søket kunne ikke lastes. Prøv igjen, eller bruk menyen.";
        console.warn("Søket kunne ikke lastes.", error);
      });
    }
    function close() {
      panel.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
    }
    toggle.addEventListener("click", function () { panel.hidden ? open() : close(); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { close(); toggle.focus(); }
      const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (!typing && (event.key === "/" || event.key === "s") && panel.hidden) {
        event.preventDefault();
        open();
      }
    });
    // A chosen result opens with instant navigation (Material intercepts the link click);
    // Enter on the input opens the first result the same way.
    panel.addEventListener("click", function (event) {
      if (event.target.closest("a")) close();
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
      const first = panel.querySelector(".site-search__link");
      if (first) { event.preventDefault(); close(); navigate(first.href); }
    });
  }

  // ---- printing ---------------------------------------------------------------------------
  // On paper nothing can be clicked open: collapsed notes open for printing, and close after.
  const openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.splice(0).forEach(function (details) { details.open = false; });
  });

  // ---- the self-assessment ----------------------------------------------------------------
  // Its code is fetched only on its page; it draws its chart with the same Vega and settings.

  window.reportSite = { loadVega: loadVega, loadSpec: loadSpec, embed: embed };
  let selfAssessment = null;

  function setUpSelfAssessment() {
    const form = document.getElementById("selvvurdering");
    if (!form) return;
    if (!selfAssessment) {
      selfAssessment = loadScript(new URL("assets/self-assessment.js", SITE_ROOT).href);
    }
    selfAssessment.then(function () {
      if (form.isConnected) window.selfAssessment.setUp(form);
    }).catch(function (error) {
      console.warn("Skjemaet kunne ikke lastes.", error);
    });
  }

  // A table in a closed <details> has no width until it is opened in browsers that hide it with
  // display: none (Chromium lays it out hidden): check it then. Set up once: the listener on the
  // document outlives instant navigation.
  let watchingDetails = false;
  function watchDetails() {
    if (watchingDetails) return;
    watchingDetails = true;
    document.addEventListener("toggle", function (event) {
      if (event.target.open) event.target.querySelectorAll(SCROLL_BOXES).forEach(makeScrollable);
    }, true);
  }

  // Material's toggle for a navigation section that has its own page is an icon alone: give it
  // a name a screen reader can say (as text: a label may not carry aria-label).
  function nameSectionToggles() {
    document.querySelectorAll(".md-nav__container > label.md-nav__link").forEach(function (label) {
      const link = label.parentElement.querySelector("a.md-nav__link");
      if (!label.textContent.trim() && link) {
        const name = document.createElement("span");
        name.className = "visually-hidden";
        name.textContent = "Vis eller skjul sidene under " + link.textContent.trim();
        label.appendChild(name);
      }
    });
  }

  function init() {
    nameSectionToggles();
    document.querySelectorAll("table.sortable").forEach(makeSortable);
    document.querySelectorAll(SCROLL_BOXES).forEach(makeScrollable);
    watchDetails();
    renderCharts();
    watchScheme();
    setUpSearch();
    setUpSelfAssessment();
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
