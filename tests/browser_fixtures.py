"""Browser fixtures for the test modules that open the built site in Chromium (a pytest plugin,
named in conftest.py): one build and one server per session, one Chromium, and `open_tab`, a
factory of fresh contexts whose traffic is recorded (`Tab.assert_clean`).
"""

from __future__ import annotations

import os

import pytest
from browser_support import CHROMIUM, SiteServer, Traffic, build_site, launch_chromium

TIMEOUT_MS = 10_000
OVERVIEW_CHARTS = 2  # on /faktorer/: the forest plot, the bivariate and partial correlations
CHARTS_TIMEOUT_MS = 30_000

CHARTS_LIVE = """() => {
  const charts = Array.from(document.querySelectorAll('.vega-chart'));
  return charts.length > 0 && charts.every(chart => chart.classList.contains('is-live')
    && chart.querySelector('.chart-live svg .role-mark > *') !== null);
}"""

CHARTS_LIVE_SCROLLING = """() => {
  const waiting = Array.from(document.querySelectorAll('.vega-chart')).find(chart =>
    !(chart.classList.contains('is-live') && chart.querySelector('.chart-live svg .role-mark > *')));
  if (!waiting) return document.querySelectorAll('.vega-chart').length > 0;
  waiting.scrollIntoView();
  return false;
}"""

SCROLL_TO_EACH_CHART = """async () => {
  for (const chart of document.querySelectorAll('.vega-chart')) {
    chart.scrollIntoView();
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
}"""

CHART_STATES = """() => Array.from(document.querySelectorAll('.vega-chart')).map(chart => ({
  name: chart.dataset.name, classes: chart.className, woken: chart.dataset.woken,
  svgs: chart.querySelectorAll('.chart-live svg').length, top: chart.getBoundingClientRect().top,
  url: location.pathname, scroll: window.scrollY}))"""

CHART_COUNTS = """() => ({
  charts: document.querySelectorAll('.vega-chart').length,
  live: document.querySelectorAll('.vega-chart.is-live').length,
  svgs: document.querySelectorAll('.vega-chart svg').length,
  embeds: document.querySelectorAll('.vega-chart .vega-embed').length,
  tooltips: document.querySelectorAll('#vg-tooltip-element').length,
})"""


# ---- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The HTTP server, bound before the build so the site can be built with its URL."""
    site_dir = tmp_path_factory.mktemp("browser") / "site"
    with SiteServer(site_dir) as running:
        running.site_dir = site_dir
        yield running


@pytest.fixture(scope="session")
def site(root, server):
    result = build_site(root, server.site_dir, server.url)
    assert result.returncode == 0, f"build.py failed:\n{result.stderr}"
    return server.site_dir


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


class Tab:
    """A fresh browser context with one page whose traffic is recorded."""

    def __init__(self, browser, base_url: str, **options) -> None:
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url, **options)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.traffic = Traffic()
        self.traffic.watch(self.page)

    def open(self, path: str, charts: bool = True):
        response = self.page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response}"
        if charts and self.page.locator(".vega-chart").count():
            self.wait_for_charts()
        return self.page

    def wait_for_charts(self) -> dict:
        """Scroll each chart into view, as a reader would (the chart code loads then), and wait
        until every chart is live."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        # Scroll to the first chart not yet live, again on every poll: after an instant
        # navigation the theme restores the page's scroll position a moment later, which can
        # undo a single scroll (a reader scrolls later than a test does).
        self.page.evaluate(SCROLL_TO_EACH_CHART)
        try:  # parsing the chart code takes seconds on a machine busy with the other tests
            self.page.wait_for_function(CHARTS_LIVE_SCROLLING, timeout=CHARTS_TIMEOUT_MS,
                                        polling=200)
        except PlaywrightTimeout:
            raise AssertionError(f"charts not live: {self.page.evaluate(CHART_STATES)}; "
                                 f"console: {self.traffic.console_errors}") from None
        return self.chart_counts()

    def chart_counts(self) -> dict:
        return self.page.evaluate(CHART_COUNTS)

    def assert_one_view_per_chart(self, charts: int, settle: bool = False) -> None:
        """Every chart live with exactly one SVG: no duplicate, no view left from another page."""
        if charts:
            self.wait_for_charts()
        if settle:
            self.page.wait_for_timeout(250)  # a late render of a previous page would land now
        counts = self.chart_counts()
        assert counts["charts"] == charts, counts
        assert counts["live"] == counts["svgs"] == counts["embeds"] == charts, counts
        assert counts["tooltips"] <= 1, counts

    def h1(self):
        return self.page.locator("article h1").first

    def assert_clean(self) -> None:
        self.traffic.assert_clean()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_tab(request):
    """Factory for fresh browser tabs; fails the test under $CI when Chromium is missing."""
    if not CHROMIUM.exists():
        message = (f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y "
                   "chromium); `playwright install` cannot work here")
        if not os.environ.get("CI"):
            pytest.skip(message)

        def missing(**_options):
            pytest.fail(f"CI is set but the browser tests cannot run: {message}", pytrace=False)
        yield missing
        return
    browser = request.getfixturevalue("browser")
    base_url = request.getfixturevalue("server").url
    request.getfixturevalue("site")
    tabs: list[Tab] = []

    def make(**options) -> Tab:
        tab = Tab(browser, base_url, **options)
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.close()


def serious_violations(page) -> str:
    """axe's serious and critical violations on the page as it is now, one line each ('' if
    none)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    "
                     + "\n    ".join(str(node["target"]) + " " + node.get("failureSummary", "")
                                    .replace("\n", " ")[:200] for node in v["nodes"][:8])
                     for v in results.response["violations"]
                     if v["impact"] in ("serious", "critical"))
