"""What a reader meets, in a real browser: no serious accessibility violation in light and dark
mode, a factor page whose first screen answers the leader at 1280 and 390 px, a chart used from
the keyboard, the factor page on paper, and charts that follow dark mode. The fixtures (one build,
one server, a fresh context per test) are browser_fixtures.py's, as for test_browser.py."""

from __future__ import annotations

import os

import pytest
from browser_fixtures import OVERVIEW_CHARTS, TIMEOUT_MS, serious_violations

if not os.environ.get("CI"):
    pytest.importorskip("playwright")  # under CI a missing playwright is an error
from playwright.sync_api import expect  # noqa: E402

expect.set_options(timeout=TIMEOUT_MS)

# ---- 8. accessibility ----------------------------------------------------------------------

A11Y_PAGES = ["/", "/faktorer/", "/faktorer/gevinstrealisering/",
              "/omrader/organisatoriske-faktorer/", "/oppgaver/olsen-holter-2018/05-resultater/",
              "/metode/", "/datakvalitet/"]


DARK_PAGES = ["/", "/faktorer/", "/faktorer/gevinstrealisering/", "/metode/"]


@pytest.mark.parametrize("path,scheme", [(path, "light") for path in A11Y_PAGES]
                         + [(path, "dark") for path in DARK_PAGES])
def test_no_serious_accessibility_violations(open_tab, path, scheme):
    tab = open_tab(color_scheme=scheme)
    page = tab.open(path)
    expect(page.locator("body")).to_have_attribute(
        "data-md-color-scheme", "slate" if scheme == "dark" else "default")
    report = serious_violations(page)
    assert not report, f"{path}:\n{report}"
    tab.assert_clean()


SCROLLING_TABLES = """() => Array.from(document.querySelectorAll(
    ".md-typeset__scrollwrap, .table-wrap"))
  .filter(box => box.scrollWidth > box.clientWidth + 1
                 && !box.querySelector(".md-typeset__scrollwrap, .table-wrap"))
  .map(box => ({focusable: box.tabIndex === 0, role: box.getAttribute("role"),
                name: box.getAttribute("aria-label"),
                caption: box.querySelector("caption") && box.querySelector("caption").textContent,
                chartData: Boolean(box.closest("details.chart-data"))}))"""


@pytest.mark.parametrize("path", ["/", "/faktorer/endringsorientering/", "/datakvalitet/"])
def test_on_a_phone_a_table_that_scrolls_is_a_named_region_for_the_keyboard(open_tab, path):
    tab = open_tab(viewport={"width": 390, "height": 844})
    page = tab.open(path, charts=False)
    for summary in page.locator("article details:not(.chart-data) > summary").all():
        summary.click()  # a folded table (all the checks on Datakvalitet) is checked when opened
    tables = page.evaluate(SCROLLING_TABLES)
    assert tables, "no table scrolls sideways at 390 px: the test checks nothing"
    assert all(table["focusable"] and table["role"] == "region" for table in tables), tables
    assert all(table["name"] for table in tables), tables
    # a table's own name, not that of a heading above it; a chart's numbers name their chart
    assert all(table["caption"] for table in tables if table["chartData"]), tables
    assert all(table["name"] == table["caption"].strip() for table in tables
               if table["caption"]), tables
    names = page.evaluate("""() => Array.from(document.querySelectorAll("[role=region]"))
                                    .map(region => region.getAttribute("aria-label"))""")
    assert len(set(names)) == len(names), names  # axe landmark-unique
    tab.assert_clean()


# ---- 11. the factor page a leader reads ------------------------------------------------------

FIRST_SCREEN = [".first-screen .verdict", ".first-screen blockquote.recommendation",
                ".first-screen ol"]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["1280", "390"])
@pytest.mark.parametrize("factor", ["gevinstrealisering", "digital-modenhetsgrad"])
def test_the_first_screen_answers_the_leader(open_tab, viewport, factor):
    """What the factor is, the one rating, the recommendation and the first steps, in that
    order, begin on the first screen; the statistics come after, under their own heading."""
    tab = open_tab(viewport=viewport)
    page = tab.open(f"/faktorer/{factor}/", charts=False)
    tops = [page.locator(selector).first.bounding_box()["y"] for selector in FIRST_SCREEN]
    assert tops == sorted(tops)
    assert tops[-1] < viewport["height"], tops  # the first steps start on the first screen
    details = page.locator("#tallene").bounding_box()["y"]
    assert details > tops[-1]
    steps = page.get_by_role("heading", name="Slik kan kommunen begynne")  # reached by heading
    assert steps.bounding_box()["y"] < tops[-1]
    labels = set(page.locator("article .rating").all_inner_texts())
    assert len(labels) == 1, labels  # one verdict, wherever it is shown
    article = page.locator("article").inner_text()
    for old_verdict in ("Sterk", "Moderat", "Svak", "ville vært", "Evidensstyrke"):
        assert old_verdict not in article
    tab.assert_clean()


@pytest.mark.parametrize("factor", ["gevinstrealisering", "endringsorientering"])
def test_on_a_phone_the_survey_statements_are_read_without_scrolling_sideways(open_tab, factor):
    """The statement, not its number or source, has the table's width: the whole table fits."""
    tab = open_tab(viewport={"width": 390, "height": 844})
    page = tab.open(f"/faktorer/{factor}/", charts=False)
    widths = page.locator(".statements table").evaluate("""table => ({
        table: table.getBoundingClientRect().width,
        overflow: table.closest(".md-typeset__scrollwrap").scrollWidth
                  - table.closest(".md-typeset__scrollwrap").clientWidth,
        statement: Math.min(...Array.from(table.querySelectorAll("tbody td:nth-child(2)"))
                                 .map(cell => cell.getBoundingClientRect().width))})""")
    assert widths["overflow"] <= 1, widths
    assert widths["statement"] >= 0.5 * widths["table"], widths
    tab.assert_clean()


NAMELESS_STOPS = """() => Array.from(document.querySelectorAll(
    "a[href], button, input, [tabindex='0']"))
  .filter(el => el.tabIndex >= 0 && el.getClientRects().length && !el.closest("[hidden]"))
  .filter(el => !(el.textContent.trim() || el.getAttribute("aria-label") || el.title
                  || (el.labels && el.labels.length) || el.querySelector("img[alt]")))
  .map(el => el.outerHTML.slice(0, 120))"""


@pytest.mark.parametrize("path", ["/", "/faktorer/gevinstrealisering/"])
def test_everything_the_keyboard_reaches_has_a_name(open_tab, path):
    """A screen reader says something at every stop of the Tab key (Material's toggle for a
    navigation section with a page of its own is an icon alone)."""
    tab = open_tab()
    page = tab.open(path, charts=False)
    assert page.evaluate(NAMELESS_STOPS) == []
    tab.assert_clean()


def test_a_chart_is_usable_from_the_keyboard(open_tab):
    """Every factor the forest plot shows is a link in the list beside it: Tab to one, press
    Enter, and its page opens."""
    tab = open_tab()
    page = tab.open("/faktorer/")
    links = page.locator("#figur-forest + nav.chart-links a")
    assert links.count() == 17
    first = links.first
    name = first.inner_text()
    first.focus()
    page.keyboard.press("Enter")
    expect(tab.h1()).to_contain_text(name)
    assert "/faktorer/mal-om-digitalisering/" in page.url
    tab.assert_clean()


@pytest.mark.parametrize("path", ["/", "/faktorer/", "/faktorer/gevinstrealisering/", "/metode/",
                                  "/datakvalitet/", "/hvor-star-var-kommune/"])
def test_on_paper_nothing_is_wider_than_the_page(open_tab, path):
    """A table wider than A4 (718 px between the margins) makes the browser shrink the whole
    page to fit, and the text with it."""
    tab = open_tab(viewport={"width": 718, "height": 1000})
    page = tab.open(path, charts=False)
    page.emulate_media(media="print")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert page.evaluate("document.documentElement.scrollWidth") <= 718
    expect(page.locator(".print-address")).to_contain_text("Skrevet ut fra http")
    tab.assert_clean()


def test_a_factor_page_prints_its_first_screen_and_its_chart(open_tab, tmp_path):
    """On A4: page 1 has the rating and the recommendation (no header or navigation), the chart
    is printed (the static SVG, as vectors with its text), nothing is lost."""
    from pypdf import PdfReader

    tab = open_tab()
    page = tab.open("/faktorer/gevinstrealisering/")
    recommendation = page.locator(".first-screen blockquote.recommendation p").first.inner_text()
    pdf = tmp_path / "faktor.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages]
    first = pages[0]
    assert "Usikker sammenheng" in first
    assert " ".join(recommendation.split())[:60] in first
    assert "Slik kan kommunen begynne" in first
    assert "Søk" not in first and "Forside" not in first  # no header, no navigation
    everything = " ".join(pages)
    assert "Spearmans ρ med 95 % konfidensintervall" in everything  # the chart's own text
    assert "Tallene bak figuren" in everything
    assert first.index("Oppgavens anbefaling") < (first.index("Tall som ikke henger sammen")
                                                  if "Tall som ikke henger sammen" in first
                                                  else len(first))


# ---- 9. dark mode --------------------------------------------------------------------------

LABEL_FILL = """() => {
  const label = document.querySelector('.vega-chart .chart-live svg .role-axis-label text');
  return label && label.getAttribute('fill');
}"""


def test_charts_follow_dark_mode(open_tab):
    tab = open_tab(color_scheme="dark")
    page = tab.open("/faktorer/")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    tab.assert_one_view_per_chart(OVERVIEW_CHARTS)
    assert page.evaluate(LABEL_FILL) == "#fff"  # vega's dark theme: white axis labels

    palette = page.locator("form[data-md-component='palette'] label:visible")
    palette.click()  # to light
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.locator(".vega-chart").first.scroll_into_view_if_needed()  # drawn again when in view
    page.wait_for_function(f"({LABEL_FILL})() !== '#fff'")
    tab.assert_one_view_per_chart(OVERVIEW_CHARTS)

    palette.click()  # back to dark
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.locator(".vega-chart").first.scroll_into_view_if_needed()
    page.wait_for_function(f"({LABEL_FILL})() === '#fff'")
    tab.assert_one_view_per_chart(OVERVIEW_CHARTS)
    tab.assert_clean()
