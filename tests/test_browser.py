"""End to end in a real browser: the built site served on 127.0.0.1, opened in Debian's Chromium.

One build and one server per session, one Chromium, a fresh context for every test. Every page
visit records its requests, console errors and uncaught exceptions; `Tab.assert_clean` checks that
nothing went to another host and that nothing went wrong. Without /usr/bin/chromium the browser
tests fail when $CI is set and are skipped otherwise; the link check needs no browser.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from urllib.parse import urlparse

import pytest
from browser_fixtures import OVERVIEW_CHARTS, TIMEOUT_MS
from browser_support import CHROMIUM, SiteServer, Traffic, broken_links

if not os.environ.get("CI"):
    pytest.importorskip("playwright")  # under CI a missing playwright is an error
from playwright.sync_api import expect  # noqa: E402

expect.set_options(timeout=TIMEOUT_MS)

PAGES = {  # path -> the h1 a reader sees
    "/": "Automatisering i norske kommuner",
    "/oppgaver/olsen-holter-2018/05-resultater/": "5. Resultater",
    "/faktorer/gevinstrealisering/": "Gevinstrealisering",
    "/faktorer/": "Hvilke faktorer henger tydeligst sammen med automatisering?",
    "/datakvalitet/": "Datakvalitet",
}

# ---- 1. pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", list(PAGES))
def test_page_loads_with_its_heading(open_tab, path):
    tab = open_tab()
    page = tab.open(path)
    expect(tab.h1()).to_be_visible()
    expect(tab.h1()).to_have_text(re.compile(rf"^{re.escape(PAGES[path])}¶?$"))
    assert "Automatisering i norske kommuner" in page.title()
    tab.assert_clean()


# ---- 2. charts -----------------------------------------------------------------------------

@pytest.mark.parametrize("path, names", [
    ("/faktorer/", ["forest", "bivariat-partiell"]),
    ("/metode/", ["means"]),
    ("/", ["forest"]),
    ("/faktorer/gevinstrealisering/", ["context-gevinstrealisering"]),
    ("/oppgaver/olsen-holter-2018/05-resultater/", ["fylker"]),  # Figur 12
])
def test_charts_become_interactive(open_tab, path, names):
    tab = open_tab()
    page = tab.open(path)
    charts = page.locator(".vega-chart")
    assert [charts.nth(i).get_attribute("data-name") for i in range(charts.count())] == names
    for name in names:
        chart = page.locator(f".vega-chart[data-name='{name}']")
        expect(chart).to_have_class(re.compile(r"\bis-live\b"))
        chart.scroll_into_view_if_needed()
        svg = chart.locator(".chart-live svg")
        expect(svg).to_have_count(1)
        expect(svg).to_be_visible()
        assert svg.locator(".role-mark > *").count() > 0, name
        assert svg.bounding_box()["height"] > 50, name
        expect(chart.locator("img.chart-fallback")).to_be_hidden()  # no double figure
    tab.assert_one_view_per_chart(len(names))
    tab.assert_clean()


# ---- 3. tooltip ----------------------------------------------------------------------------

def forest_point(page, factor: str):
    return page.locator(".vega-chart[data-name='forest'] g.mark-symbol.role-mark path"
                        f"[aria-label*='faktor: {factor};']")


def test_tooltip_shows_norwegian_decimal_comma(open_tab):
    tab = open_tab()
    page = tab.open("/faktorer/")
    tooltip = page.locator("#vg-tooltip-element")
    forest_point(page, "Mål om digitalisering").hover()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("Mål om digitalisering")
    expect(tooltip).to_contain_text("0,645")
    assert "0.645" not in tooltip.inner_text()
    tab.assert_clean()


def test_the_statisticians_table_sorts_by_a_column(open_tab):
    """Clicking the ρ header sorts the 17 factors by their correlation, then reverses."""
    tab = open_tab()
    page = tab.open("/metode/", charts=False)
    table = page.locator("table.factor-table")
    first_factor = table.locator("tbody tr").first.locator("th")
    table.locator("thead th button", has_text=re.compile(r"^ρ")).click()
    expect(table.locator("thead th").nth(2)).to_have_attribute("aria-sort", "ascending")
    expect(first_factor).to_have_text("Leverandørmarked")  # ρ = -0,032, the lowest
    table.locator("thead th button", has_text=re.compile(r"^ρ")).click()
    expect(first_factor).to_have_text("Mål om digitalisering")  # ρ = 0,645, the highest
    tab.assert_clean()


# ---- 4. click and instant navigation -------------------------------------------------------

def sidebar_link(page, text: str):
    return page.locator(".md-sidebar--primary a.md-nav__link").filter(
        has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).first


def test_clicking_a_factor_opens_its_page_without_reload(open_tab):
    tab = open_tab()
    page = tab.open("/faktorer/")
    page.evaluate("window.__marker = 1")

    forest_point(page, "Gevinstrealisering").click()
    page.wait_for_url(re.compile(r"/faktorer/gevinstrealisering/(#.*)?$"))
    expect(tab.h1()).to_contain_text("Gevinstrealisering")
    context_chart = page.locator(".vega-chart[data-name='context-gevinstrealisering']")
    context_chart.scroll_into_view_if_needed()  # below the first screen: drawn when in view
    expect(context_chart).to_have_class(re.compile(r"\bis-live\b"))
    tab.assert_one_view_per_chart(1, settle=True)
    assert page.evaluate("window.__marker") == 1, "the click reloaded the whole page"

    # Back and forth through the navigation: each page's charts live, once each.
    for text, path, charts in [("Faktorene", "/faktorer/", OVERVIEW_CHARTS), ("Forside", "/", 1),
                               ("Datakvalitet", "/datakvalitet/", 0),
                               ("Faktorene", "/faktorer/", OVERVIEW_CHARTS)]:
        sidebar_link(page, text).click()
        page.wait_for_url(re.compile(rf"{re.escape(path)}(#.*)?$"))
        expect(tab.h1()).not_to_have_text("")
        expect(page.locator(".vega-chart")).to_have_count(charts)
        tab.assert_one_view_per_chart(charts, settle=True)
    for move, path, charts in [("back", "/datakvalitet/", 0), ("back", "/", 1),
                               ("forward", "/datakvalitet/", 0), ("forward", "/faktorer/", OVERVIEW_CHARTS)]:
        page.go_back() if move == "back" else page.go_forward()
        page.wait_for_url(re.compile(rf"{re.escape(path)}(#.*)?$"))
        expect(page.locator(".vega-chart")).to_have_count(charts)
        tab.assert_one_view_per_chart(charts, settle=True)
    assert page.evaluate("window.__marker") == 1, "a navigation reloaded the whole page"
    tab.assert_clean()


# ---- 5. without JavaScript -----------------------------------------------------------------

def test_without_javascript_the_static_svg_shows(open_tab):
    tab = open_tab(java_script_enabled=False)
    page = tab.open("/faktorer/", charts=False)
    charts = page.locator(".vega-chart")
    expect(charts).to_have_count(OVERVIEW_CHARTS)
    for i in range(OVERVIEW_CHARTS):
        chart = charts.nth(i)
        image = chart.locator("img.chart-fallback")
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        expect(image).to_have_attribute("alt", re.compile(r"\w{10}"))
        assert image.evaluate("img => img.complete && img.naturalWidth") > 0
        assert chart.locator(".chart-live").inner_html() == ""
        expect(chart).not_to_have_class(re.compile(r"\bis-live\b"))
    tab.assert_clean()


@pytest.mark.parametrize("width, drawing", [(390, "forest-smal.svg"), (1280, "forest.svg")])
def test_the_static_chart_is_drawn_for_the_screen_and_shown_unscaled(open_tab, width, drawing):
    """A phone gets the narrow drawing, a wide screen the wide one, each at its own size: a wide
    drawing shrunk to a phone's width had 5-6 px text."""
    tab = open_tab(viewport={"width": width, "height": 844}, java_script_enabled=False)
    page = tab.open("/faktorer/", charts=False)
    image = page.locator("#figur-forest img.chart-fallback")
    image.scroll_into_view_if_needed()
    shown = image.evaluate("img => ({src: img.currentSrc, natural: img.naturalWidth, "
                           "width: img.getBoundingClientRect().width})")
    assert shown["src"].endswith("/assets/charts/" + drawing), shown
    assert shown["natural"] > 0 and abs(shown["width"] - shown["natural"]) < 1, shown
    other = "forest.svg" if drawing == "forest-smal.svg" else "forest-smal.svg"
    assert not [url for url in tab.traffic.requests if url.endswith("/" + other)]  # not fetched
    tab.assert_clean()


def test_a_table_wider_than_the_phone_says_it_scrolls_and_keeps_its_caption_in_view(open_tab):
    tab = open_tab(viewport={"width": 390, "height": 844})
    page = tab.open("/metode/", charts=False)
    wrapper = page.locator("#alle-testene ~ .table-wrap").first
    expect(wrapper).to_have_attribute("role", "region")
    hint = page.locator("#alle-testene ~ .scroll-hint").first
    expect(hint).to_contain_text("rull sideveis")
    assert hint.evaluate("p => p.nextElementSibling.classList.contains('table-wrap')")
    wrapper.evaluate("box => { box.scrollLeft = 400; }")
    caption = wrapper.locator("caption").evaluate("c => c.getBoundingClientRect().toJSON()")
    assert caption["left"] >= 0 and caption["right"] <= 390, caption  # in view, and wrapped
    tab.assert_clean()


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_on_a_phone_nothing_is_cut_off(open_tab, java_script):
    """At 390 px the overview's cards fit the screen; the statisticians' wide table scrolls inside
    its own box, keeps its first column in view, and wraps a factor's name between words only
    (Material breaks links anywhere, which squeezed the column to a few letters)."""
    tab = open_tab(viewport={"width": 390, "height": 844}, java_script_enabled=java_script)
    page = tab.open("/faktorer/", charts=False)
    expect(page.locator(".factor-card")).to_have_count(17)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page = tab.open("/metode/", charts=False)
    names = page.locator("table.factor-table tbody th a")
    expect(names).to_have_count(17)
    broken = page.evaluate("""() => [...document.querySelectorAll(
        'table.factor-table tbody th a')].filter(link => {
            const words = link.textContent.trim().split(/[\\s-]+/).length;  // may wrap at a hyphen
            return link.getClientRects().length > words;  // more lines than words
        }).map(link => link.textContent.trim())""")
    assert broken == [], f"names broken inside a word: {broken}"
    wrapper = page.locator(".table-wrap.wide").first
    assert wrapper.evaluate("el => el.scrollWidth > el.clientWidth"), "the table does not scroll"
    wrapper.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    first_cell = page.locator("table.factor-table tbody th").first
    assert abs(first_cell.bounding_box()["x"] - wrapper.bounding_box()["x"]) < 2  # still in view
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    tab.assert_clean()


# ---- 6. search -----------------------------------------------------------------------------

@pytest.mark.parametrize("viewport, choose", [
    ({"width": 1280, "height": 800}, "enter"),
    ({"width": 390, "height": 844}, "click"),
])
def test_search_finds_and_opens_a_factor(open_tab, viewport, choose):
    tab = open_tab(viewport=viewport)
    page = tab.open("/metode/")
    page.evaluate("window.__marker = 1")
    toggle = page.locator(".site-search__toggle")
    expect(toggle).to_be_visible()
    toggle.click()
    search_input = page.locator("#site-search input")
    expect(search_input).to_be_focused()
    search_input.fill("gevinster")
    first = page.locator("#site-search .site-search__link").first
    expect(first.locator(".site-search__title")).to_have_text("Gevinstrealisering")
    expect(page.locator("#site-search .site-search__excerpt mark").first).to_be_visible()
    if choose == "enter":
        search_input.press("Enter")
    else:
        first.click()
    page.wait_for_url(re.compile(r"/faktorer/gevinstrealisering/(#.*)?$"))
    expect(tab.h1()).to_contain_text("Gevinstrealisering")
    expect(page.locator("#site-search")).to_be_hidden()
    tab.wait_for_charts()
    assert page.evaluate("window.__marker") == 1, "the search result reloaded the whole page"
    tab.assert_clean()


# ---- 7. internal links ---------------------------------------------------------------------

def test_every_internal_link_resolves(site, server):
    checked, problems = broken_links(site, server.url)
    assert checked > 1000, f"only {checked} links checked: is the parser finding them?"
    assert not problems, "\n".join(problems[:50])


# ---- 12. light pages ------------------------------------------------------------------------

def chart_code(traffic: Traffic) -> list[str]:
    return [url for url in traffic.requests if "vega-bundle" in url or url.endswith(".vl.json")]


def test_a_page_without_a_chart_requests_no_chart_code(open_tab):
    tab = open_tab()
    page = tab.open("/oppgaver/olsen-holter-2018/02-litteratur-og-tidligere-forskning/")
    page.mouse.wheel(0, 20000)  # read to the end
    page.wait_for_timeout(500)
    assert chart_code(tab.traffic) == []
    assert not [url for url in tab.traffic.requests if url.endswith((".map", "search_index.json"))
                or "/lunr/" in url or "/workers/" in url]
    tab.assert_clean()


def test_a_chart_comes_to_life_when_scrolled_into_view(open_tab):
    """The static SVG shows at once; the chart code is fetched only when the chart comes into
    view, and the live chart's tooltip still has a decimal comma."""
    tab = open_tab(viewport={"width": 390, "height": 844})
    page = tab.open("/faktorer/gevinstrealisering/", charts=False)
    fallback = page.locator(".vega-chart img.chart-fallback")
    assert fallback.evaluate("img => img.complete && img.naturalWidth") > 0
    page.wait_for_timeout(300)
    assert chart_code(tab.traffic) == []  # the chart is below the first screen
    chart = page.locator(".vega-chart")
    chart.scroll_into_view_if_needed()
    expect(chart).to_have_class(re.compile(r"\bis-live\b"))
    assert any("vega-bundle" in url for url in tab.traffic.requests)
    point = page.locator(".vega-chart g.mark-symbol.role-mark path"
                         "[aria-label*='faktor: Gevinstrealisering;']")
    point.hover()
    tooltip = page.locator("#vg-tooltip-element")
    expect(tooltip).to_contain_text("0,326")
    tab.assert_clean()


def test_instant_navigation_from_a_chapter_brings_a_factor_chart_to_life(open_tab):
    tab = open_tab()
    page = tab.open("/oppgaver/olsen-holter-2018/07-konklusjon-og-videre-forskning/")
    page.evaluate("window.__marker = 1")
    sidebar_link(page, "Faktorene").click()
    page.wait_for_url(re.compile(r"/faktorer/(#.*)?$"))
    page.locator(".factor-card a", has_text="Gevinstrealisering").first.click()
    page.wait_for_url(re.compile(r"/faktorer/gevinstrealisering/(#.*)?$"))
    tab.assert_one_view_per_chart(1, settle=True)
    page.go_back()
    page.wait_for_url(re.compile(r"/faktorer/(#.*)?$"))
    tab.assert_one_view_per_chart(OVERVIEW_CHARTS, settle=True)
    assert page.evaluate("window.__marker") == 1, "a navigation reloaded the whole page"
    bundles = [url for url in tab.traffic.requests if "vega-bundle" in url]
    assert len(bundles) == 1, bundles  # fetched once, kept across pages
    tab.assert_clean()


# ---- 10. hostile input ---------------------------------------------------------------------

OTHER_HOST = "https://example.org"
HOSTILE_CHAPTER = "content/theses/olsen-holter-2018/07-konklusjon-og-videre-forskning.md"
HOSTILE_TEXT = (  # everything in it would make a browser fetch from another host by itself
    f"![bilde]({OTHER_HOST}/a.png) <img src={OTHER_HOST}/b.png> "
    f'<img srcset="{OTHER_HOST}/c.png x"> <iframe src="{OTHER_HOST}/d"></iframe> '
    f'<link rel="stylesheet" href="{OTHER_HOST}/e.css"> <video src="{OTHER_HOST}/f.mp"> '
    f'<svg><image href="{OTHER_HOST}/g.png"/></svg> <audio src="{OTHER_HOST}/h.mp">'
)  # (no digits: a factor's summary may not hold any)
HOSTILE_BLOCKS = (  # Markdown attribute lists that make a paragraph look like a chart
    f"Første figur\n{{: .vega-chart data-spec-src=\"{OTHER_HOST}/i.json\" }}\n\n"
    "Andre figur\n{: .vega-chart data-spec='{\"data\": {\"url\": \"" + OTHER_HOST
    + "/j.csv\"}, \"mark\": \"point\"}' }\n\n"
    f"![Bilde i kapitlet]({OTHER_HOST}/k.png)\n\n"
)


@pytest.fixture(scope="module")
def hostile_site(root, tmp_path_factory):
    """The site built from inputs that try to load from another host: in a chapter, a factor's
    summary and a label of the sample table (data/)."""
    base = tmp_path_factory.mktemp("hostile")
    for name in ("data", "content"):
        shutil.copytree(root / name, base / name)
    chapter = base / HOSTILE_CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "\n\n", f"\n\n{HOSTILE_TEXT}\n\n{HOSTILE_BLOCKS}", 1), encoding="utf-8")
    evidence = base / "content/factors/gevinstrealisering.md"
    evidence.write_text(evidence.read_text(encoding="utf-8").replace(
        "summary: >-\n", f"summary: >-\n  {HOSTILE_TEXT}\n", 1), encoding="utf-8")
    sample = base / "data/utvalg.csv"
    sample.write_text(sample.read_text(encoding="utf-8").replace(
        "Invitert (alle landets kommuner)", f"![x]({OTHER_HOST}/l.png) Invitert", 1),
        encoding="utf-8")
    site_dir = base / "site"
    with SiteServer(site_dir) as running:
        result = subprocess.run(
            [sys.executable, str(root / "build.py"), "--quiet", "--out", str(site_dir),
             "--site-url", running.url, "--data", str(base / "data"), "--content",
             str(base / "content")], capture_output=True, text=True, cwd=root, timeout=300)
        assert result.returncode == 0, result.stderr
        yield running


@pytest.mark.parametrize("path, shown", [
    ("/oppgaver/olsen-holter-2018/07-konklusjon-og-videre-forskning/", f'<iframe src="{OTHER_HOST}/d">'),
    ("/faktorer/gevinstrealisering/", f'<iframe src="{OTHER_HOST}/d">'),
    ("/", f"![x]({OTHER_HOST}/l.png)"),
    ("/hvor-star-var-kommune/", "Hvor står vår kommune?"),  # a form, with the same sanitiser
])
def test_hostile_input_makes_no_request_to_another_host(browser, hostile_site, path, shown):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    context = browser.new_context(base_url=hostile_site.url)
    blocked = []

    def only_loopback(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    traffic = Traffic()
    traffic.watch(page)
    try:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)  # the chart code runs after the load
        assert blocked == [] and traffic.other_hosts() == []
        assert shown in page.locator("article").inner_text()  # as text
    finally:
        context.close()
