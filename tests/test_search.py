"""The site's search in a real browser, as a reader types: typos corrected against the site's own
words (and said so, with a way back), compounds split and joined, no empty answer when most of the
words are on the site, questions and English terms; loaded only when the reader opens it."""

from __future__ import annotations

import os

import pytest
from browser_fixtures import TIMEOUT_MS, serious_violations

if not os.environ.get("CI"):
    pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402

expect.set_options(timeout=TIMEOUT_MS)

SEARCH_CODE = ("assets/search.js", "pagefind/pagefind.js", "assets/search-words.json")


def search(page, query: str):
    """Type the query into the open search box and wait for its answer; the panel."""
    box = page.locator(".site-search__input")
    box.fill(query)
    panel = page.locator("#site-search")
    expect(panel).to_have_attribute("data-state", "done")
    expect(panel).to_have_attribute("data-query", query)
    return panel


def titles(page) -> list[str]:
    return page.locator("#site-search .site-search__title").all_inner_texts()


@pytest.fixture
def opened(open_tab):
    """A tab on the home page with the search open (a factory: viewport as keyword)."""
    def make(**options):
        tab = open_tab(**options)
        page = tab.open("/", charts=False)
        page.locator(".site-search__toggle").click()
        expect(page.locator(".site-search__input")).to_be_focused()
        return tab, page
    return make


def test_the_search_code_loads_only_when_the_reader_opens_search(open_tab):
    tab = open_tab()
    page = tab.open("/", charts=False)
    page.wait_for_timeout(300)
    assert not [url for url in tab.traffic.requests if url.endswith(SEARCH_CODE)]
    page.locator(".site-search__toggle").click()
    search(page, "gevinster")
    for name in SEARCH_CODE:
        assert any(url.endswith(name) for url in tab.traffic.requests), name
    tab.assert_clean()


def test_a_typo_is_corrected_said_so_and_can_be_undone(opened):
    tab, page = opened()
    panel = search(page, "ledelsesinvolvring")
    notice = panel.locator(".site-search__notice")
    expect(notice).to_contain_text("Viste resultater for «ledelsesinvolvering»")
    assert titles(page)[0] == "Ledelsesinvolvering"
    expect(panel.locator(".site-search__status")).to_contain_text("treff for «ledelsesinvolvering»")
    notice.get_by_role("button", name="Søk etter «ledelsesinvolvring» i stedet").click()
    expect(panel.locator(".site-search__notice")).to_be_empty()
    expect(panel.locator(".site-search__status")).to_contain_text("«ledelsesinvolvring»")
    tab.assert_clean()


def test_a_word_the_site_has_is_never_changed(opened):
    tab, page = opened()
    panel = search(page, "gevinster")
    expect(panel.locator(".site-search__notice")).to_be_empty()
    assert titles(page)[0] == "Gevinstrealisering"
    tab.assert_clean()


def test_a_compound_and_its_parts_find_the_same_page(opened):
    tab, page = opened()
    search(page, "plan for gevinstrealisering")
    words = titles(page)[:3]
    search(page, "gevinstrealiseringsplan")
    assert titles(page)[:3] == words and words[0] == "Gevinstrealisering"
    panel = search(page, "digitaliseringsmål")  # not on the site; both its parts are
    expect(panel.locator(".site-search__notice")).to_contain_text("«digitalisering mål»")
    assert titles(page)[0] == "Mål om digitalisering"
    panel = search(page, "digitaliseringsmal")  # typed without å: "mal" is on the site, rarer
    expect(panel.locator(".site-search__notice")).to_contain_text("«digitalisering mål»")
    assert titles(page)[0] == "Mål om digitalisering"
    tab.assert_clean()


def test_no_empty_answer_when_most_words_are_on_the_site(opened):
    tab, page = opened()
    panel = search(page, "gevinstrealisering xqzvw")
    expect(panel.locator(".site-search__notice")).to_contain_text(
        "Ingen side har alle ordene: «xqzvw» finnes ikke på nettstedet")
    assert titles(page)[0] == "Gevinstrealisering"
    panel = search(page, "xqzvw")
    expect(panel.locator(".site-search__status")).to_have_text("Ingen treff for «xqzvw».")
    tab.assert_clean()


@pytest.mark.parametrize("query, factor", [
    ("change management", "Endringsorientering"),
    ("benefits realisation", "Gevinstrealisering"),
])
def test_an_english_term_finds_its_factor_and_the_page_shows_it(opened, query, factor):
    tab, page = opened()
    search(page, query)
    assert titles(page)[0] == factor
    page.locator("#site-search .site-search__link").first.click()
    expect(tab.h1()).to_contain_text(factor)
    expect(page.locator(".aliases")).to_contain_text(query)  # the match is visible on the page
    tab.assert_clean()


def test_a_question_ranks_its_factor_page_first(opened):
    tab, page = opened(viewport={"width": 390, "height": 844})
    search(page, "hva bør kommunen gjøre med gamle systemer?")
    assert titles(page)[0] == "Gamle IT-systemer"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    panel = page.locator("#site-search").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 390
    tab.assert_clean()


def test_a_chapter_in_the_results_names_its_thesis(opened):
    tab, page = opened()
    panel = search(page, "diskusjon automatisering")
    chapter = panel.locator(".site-search__link", has_text="6 Diskusjon").first
    expect(chapter.locator(".site-search__kind")).to_have_text("Olsen og Holter (2018)")
    tab.assert_clean()


def test_search_works_again_after_instant_navigation(opened):
    tab, page = opened()
    page.evaluate("window.__marker = 1")
    search(page, "prosesseierskap")
    page.locator("#site-search .site-search__link").first.click()
    expect(tab.h1()).to_contain_text("Prosesseierskap")
    page.locator(".site-search__toggle").click()
    search(page, "samarbeid")
    assert titles(page)[0] == "Samarbeid"
    assert page.evaluate("window.__marker") == 1  # no full reload
    tab.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_search_with_a_correction_has_no_serious_accessibility_violations(opened, scheme):
    tab, page = opened(color_scheme=scheme, viewport={"width": 390, "height": 844})
    search(page, "gevinstrealisring plan")
    expect(page.locator(".site-search__notice")).to_contain_text("Viste resultater for")
    report = serious_violations(page)  # the mouse still rests on the search button
    assert not report, report
    tab.assert_clean()
