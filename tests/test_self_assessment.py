"""'Hvor står vår kommune?': the survey's statements as a form, scored in the browser.

The expected scores come from Python (report.analysis.items.variable_score, the rule the page
states) for fixed answer sets; the browser fills the form as a reader would and must show the same
scores, the same 'Her kan dere begynne' order, send nothing anywhere, and move answers through a
CSV file and back.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from browser_fixtures import TIMEOUT_MS, serious_violations

from report.analysis.items import variable_score
from report.inputs.evidence import load_evidence
from report.inputs.tables import DEPENDENT_VARIABLE

if not os.environ.get("CI"):
    pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402

expect.set_options(timeout=TIMEOUT_MS)

ROOT = Path(__file__).resolve().parent.parent
PATH = "/hvor-star-var-kommune/"
KEPT = "() => localStorage.getItem('hvor-star-var-kommune:svar')"  # what the page keeps, if any
UNKNOWN = "vet ikke"


def assigned(study) -> list[dict]:
    items = study.items
    return items[items["variable"] != ""].to_dict("records")


def mixed(item: int) -> str:
    """A mixed answer set: every value 1-5, 'vet ikke' on every seventh statement (so that
    Leverandørmarked, items 21 and 42, has too few answers for a score)."""
    return UNKNOWN if item % 7 == 0 else str(item % 5 + 1)


ANSWER_SETS = {"all-3": lambda item: "3", "all-5": lambda item: "5", "mixed": mixed}


def expected_scores(study, results, answer) -> dict[str, float | None]:
    """{name shown in the result table: score or None}, as the analysis scores."""
    statements = assigned(study)
    answers = {row["item"]: (None if answer(row["item"]) == UNKNOWN else int(answer(row["item"])))
               for row in statements}
    names = {DEPENDENT_VARIABLE.lower(): DEPENDENT_VARIABLE,
             **dict(zip(results.factors["factor_id"], results.factors["name"], strict=True))}
    scores = {}
    for variable, name in names.items():
        own = [row for row in statements if row["variable"] == variable]
        scores[name] = variable_score(answers, own)
    return scores


def problem_factors(results) -> set[str]:
    """The factors whose statements describe a problem (content/factors: problem_statements)."""
    evidence = load_evidence(ROOT / "content", list(results.factors["factor_id"]))
    return {f.name for f in results.factors.itertuples()
            if evidence[f.factor_id].problem_statements}


def expected_start(results, scores) -> list[str]:
    """The factors scored below the 2018 mean, the site's strongest rating first; never one
    whose statements describe a problem (there a low score is less of the problem)."""
    factors = results.factors.sort_values(["rating_order", "rho"], ascending=[True, False],
                                          kind="stable")
    return [f.name for f in factors.itertuples()
            if scores[f.name] is not None and scores[f.name] < f.mean
            and f.name not in problem_factors(results)]


def fill(page, answer) -> None:
    """Click each statement's answer, as a reader does (the clicks run in the page: 57
    Playwright round trips each would make the suite slow; test_the_form_works_from_the_keyboard
    answers with the keyboard)."""
    items = page.locator(".self-item").evaluate_all("els => els.map(e => e.dataset.item)")
    choices = {item: answer(int(item)) for item in items}
    page.evaluate("""choices => Object.entries(choices).forEach(([item, value]) =>
        document.querySelector(`input[name='p${item}'][value='${value}']`).click())""", choices)


def shown_scores(page) -> dict[str, float | None]:
    rows = page.locator(".self-result tbody tr")
    shown = {}
    for index in range(rows.count()):
        row = rows.nth(index)
        score = row.locator(".self-score")
        exact = score.get_attribute("data-score")
        shown[row.get_attribute("data-name")] = float(exact) if exact else None
        text = score.inner_text().strip()
        if exact:  # the same number in Norwegian format, two decimals
            assert text == f"{float(exact):.2f}".replace(".", ","), text
        else:
            assert text == "–"
    return shown


# ---- the form --------------------------------------------------------------------------------

def asked(row) -> str:
    """A statement as one sentence: Vedlegg B's stem and its words, without the ".." between."""
    return f"I vår kommune {row['statement'].removeprefix('..')}"


def test_the_form_asks_every_assigned_statement_in_vedlegg_b_words(open_tab, study):
    tab = open_tab()
    page = tab.open(PATH, charts=False)
    statements = assigned(study)
    legends = page.locator(".self-item > legend")
    expect(legends).to_have_count(len(statements))
    shown = {int(text.split(".", 1)[0]): text.split(" ", 1)[1]
             for text in legends.all_inner_texts()}
    for row in statements:
        words = " ".join(asked(row).split())
        assert shown[row["item"]].startswith(words), (row["item"], shown[row["item"]])
        radios = page.locator(f"input[type=radio][name='p{row['item']}']")
        assert radios.evaluate_all("els => els.map(e => e.value)") == ["1", "2", "3", "4", "5",
                                                                        UNKNOWN]
    left_out = len(study.items) - len(statements)
    article = page.locator("article").inner_text()
    assert f"Skjemaet har {len(statements)} av de {len(study.items)} påstandene" in article
    assert f"De {left_out} andre drøfter ikke oppgaven under noen faktor" in article
    # the statements counted reversed are named in the guide, not marked in the questions
    reversed_items = [str(row["item"]) for row in statements if row["reversed"] == "true"]
    assert f"På påstand {', '.join(reversed_items[:-1])} og {reversed_items[-1]} teller 1 som 5" \
        in " ".join(article.split())
    assert not [text for text in legends.all_inner_texts() if "snudd" in text]
    expect(page.locator(".self-progress")).to_have_text(f"0 av {len(statements)} besvart")
    tab.assert_clean()


def test_the_page_is_reached_from_home_and_from_every_factor_page(site, results):
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="hvor-star-var-kommune/"' in home
    for factor_id in results.factors["factor_id"]:
        page = (site / "faktorer" / factor_id / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<a [^>]*href="\.\./\.\./hvor-star-var-kommune/"[^>]*>'
                         r'Hvor står vår kommune\?</a>', page), factor_id
        assert 'id="anbefaling"' in page, factor_id  # where the start list links to


def test_the_2018_means_on_the_page_come_from_the_analysis(site, results):
    html = (site / "hvor-star-var-kommune" / "index.html").read_text(encoding="utf-8")
    rows = {attributes["data-variable"]: attributes for attributes in
            (dict(re.findall(r'([\w-]+)="([^"]*)"', tag)) for tag in re.findall(r"<tr [^>]*>", html))
            if "data-variable" in attributes}
    assert len(rows) == len(results.factors) + 1  # and Automatisering
    for f in results.factors.itertuples():
        row = rows[f.factor_id]
        assert (float(row["data-mean"]), float(row["data-low"]), float(row["data-high"])) == (
            f.mean, f.mean_low, f.mean_high), row
    dependent = rows[DEPENDENT_VARIABLE.lower()]
    assert float(dependent["data-mean"]) == results.dependent["mean"]


# ---- scoring --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(ANSWER_SETS))
def test_the_page_scores_as_the_analysis_does(open_tab, study, results, name):
    answer = ANSWER_SETS[name]
    expected = expected_scores(study, results, answer)
    tab = open_tab()
    page = tab.open(PATH, charts=False)
    fill(page, answer)
    total = len(assigned(study))
    expect(page.locator(".self-progress")).to_have_text(f"{total} av {total} besvart")
    shown = shown_scores(page)
    assert shown.keys() == expected.keys()
    for variable, score in expected.items():
        if score is None:
            assert shown[variable] is None, variable
        else:
            assert shown[variable] == pytest.approx(score, abs=1e-9), variable
    start = page.locator(".self-start li a")
    assert start.all_inner_texts() == expected_start(results, expected)
    for link in start.evaluate_all("els => els.map(e => e.href)"):
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/faktorer/[a-z-]+/#anbefaling", link), link
    if name == "mixed":
        # Ressursbegrensninger scores below 2018 here, but its statements describe a problem
        assert "Ressursbegrensninger" in problem_factors(results)
        assert expected["Ressursbegrensninger"] < results.factors.set_index("name").loc[
            "Ressursbegrensninger", "mean"]
        assert "Ressursbegrensninger" not in start.all_inner_texts()
        note = page.locator(".self-start-problem")
        for factor in problem_factors(results):
            expect(note).to_contain_text(factor)
        assert expected["Leverandørmarked"] is None  # two 'vet ikke' of two statements
        row = page.locator(".self-result tr[data-variable='leverandormarked']")
        expect(row.locator(".self-compare")).to_contain_text("Ingen skår: 0 av 2")
    expect(page.locator(".self-chart")).to_have_class(re.compile(r"\bis-live\b"))
    tab.assert_clean()


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_before_any_answer_the_result_says_what_comes_and_what_it_needs(open_tab, java_script):
    """Only a browser without JavaScript is told it needs JavaScript; no row reports a missing
    score before anything is answered."""
    tab = open_tab(java_script_enabled=java_script)
    page = tab.open(PATH, charts=False)
    if java_script:
        expect(page.locator(".self-form")).to_have_attribute("data-ready", "true")
    expect(page.locator(".self-empty")).to_contain_text("Resultatet kommer her")
    needs = page.locator(".self-empty .self-needs-js")
    expect(needs).to_be_hidden() if java_script else expect(needs).to_be_visible()
    expect(page.locator(".self-no-start")).to_be_hidden()  # not a result before any answer
    compare = page.locator(".self-result .self-compare").all_inner_texts()
    assert compare and set(compare) == {"–"}, set(compare)
    tab.assert_clean()


def test_a_factor_needs_half_of_its_statements_answered(open_tab, study):
    process = [row["item"] for row in assigned(study) if row["variable"] == "prosessorientering"]
    tab = open_tab()
    page = tab.open(PATH, charts=False)
    score = page.locator(".self-result tr[data-variable='prosessorientering'] .self-score")
    half = (len(process) + 1) // 2
    for item in process[:half - 1]:
        page.locator(f"input[name='p{item}'][value='4']").check()
    expect(score).to_have_text("–")
    page.locator(f"input[name='p{process[half - 1]}'][value='4']").check()
    expect(score).to_have_attribute("data-score", re.compile(r"^[0-9.]+$"))
    tab.assert_clean()


# ---- private by construction ----------------------------------------------------------------

def test_answers_never_leave_the_browser(open_tab, study, tmp_path):
    tab = open_tab(viewport={"width": 390, "height": 844})
    sent = []
    tab.page.on("request", lambda request: sent.append(
        (request.method, request.url, request.post_data)))
    page = tab.open(PATH, charts=False)
    loaded = len(sent)
    assert page.evaluate(KEPT) is None
    fill(page, mixed)
    expect(page.locator(".self-chart")).to_have_class(re.compile(r"\bis-live\b"))
    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned svarene (CSV)").click()
    saved = tmp_path / "svar.csv"
    download.value.save_as(saved)
    page.locator(".self-upload").set_input_files(str(saved))
    expect(page.locator(".self-message")).to_contain_text("Lastet inn")
    page.keyboard.press("Enter")  # a form's implicit submission must not send it either
    page.wait_for_timeout(300)
    assert page.url.endswith(PATH)
    assert page.evaluate(KEPT) is None  # not kept unless ticked
    assert "vet ikke" not in page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    after = sent[loaded:]
    assert all(method == "GET" and body is None for method, _, body in sent), sent
    assert all(re.match(r"http://127\.0\.0\.1:\d+/", url) for _, url, _ in sent), sent
    assert not [url for _, url, _ in sent if "?" in url], sent
    # after loading, only the chart code and the chart's spec (and the browser's favicon):
    # static files of this site
    assert {url.rsplit("/", 1)[1] for _, url, _ in after} <= {
        "vega-bundle.js", "selvvurdering.vl.json", "favicon.png"}, after
    tab.assert_clean()


def test_answers_are_kept_only_when_ticked_and_cleared_with_one_button(open_tab):
    tab = open_tab()
    page = tab.open(PATH, charts=False)
    page.locator("input[name='p1'][value='2']").check()
    page.get_by_label("Husk svarene i denne nettleseren").check()
    page.locator("input[name='p2'][value='5']").check()
    assert page.evaluate(KEPT) == '{"1":"2","2":"5"}'
    page.reload()
    expect(page.locator("input[name='p1'][value='2']")).to_be_checked()
    expect(page.locator("input[name='p2'][value='5']")).to_be_checked()
    expect(page.locator(".self-progress")).to_contain_text("2 av")
    page.get_by_role("button", name="Tøm alle svarene").click()
    expect(page.locator(".self-progress")).to_contain_text("0 av")
    assert page.evaluate(KEPT) is None
    page.reload()
    expect(page.locator("input[name='p1'][value='2']")).not_to_be_checked()
    tab.assert_clean()


# ---- moving answers as a CSV file -------------------------------------------------------------

def test_the_csv_round_trip_restores_the_answers_and_the_result(open_tab, study, tmp_path):
    tab = open_tab()
    page = tab.open(PATH, charts=False)
    fill(page, mixed)
    before = shown_scores(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Last ned svarene (CSV)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert rows[0] == ["nr", "svar", "påstand"]
    statements = {row["item"]: row for row in assigned(study)}
    assert len(rows) == 1 + len(statements)
    for number, answer, text in rows[1:]:
        assert answer == mixed(int(number))
        assert " ".join(asked(statements[int(number)]).split()) in text
    page.get_by_role("button", name="Tøm alle svarene").click()
    expect(page.locator(".self-progress")).to_contain_text("0 av")
    page.locator(".self-upload").set_input_files(str(saved))
    expect(page.locator(".self-message")).to_contain_text(f"Lastet inn {len(statements)} svar")
    assert shown_scores(page) == before
    tab.assert_clean()


REFUSED = {  # file content -> what the message must say
    "fylke,deltakere\nAgder,12\n": "linje 1 skal begynne med «nr,svar»",
    "nr,svar,påstand\n1,3,x\n99,4,x\n": "Linje 3: «99» er ikke nummeret på en påstand",
    "nr,svar,påstand\n1,3,x\n2,7,x\n": "Linje 3: svaret «7» på påstand 2 er ikke et tall fra 1 til 5",
    "nr,svar,påstand\n1,3,x\n1,4,x\n": "Linje 3: påstand 1 er besvart to ganger",
    "": "Filen er tom",
}


def test_a_file_that_is_not_a_saved_answer_set_is_refused_and_the_answers_kept(open_tab,
                                                                                tmp_path):
    tab = open_tab()
    page = tab.open(PATH, charts=False)
    page.locator("input[name='p5'][value='4']").check()
    page.locator("input[name='p6'][value='vet ikke']").check()
    for index, (content, message) in enumerate(REFUSED.items()):
        bad = tmp_path / f"feil-{index}.csv"
        bad.write_text(content, encoding="utf-8")
        page.locator(".self-upload").set_input_files(str(bad))
        alert = page.locator(".self-message")
        expect(alert).to_contain_text(message)
        expect(alert).to_contain_text(f"«feil-{index}.csv»")
        expect(alert).to_contain_text("Svarene på siden er beholdt")
        expect(page.locator("input[name='p5'][value='4']")).to_be_checked()
        expect(page.locator("input[name='p6'][value='vet ikke']")).to_be_checked()
        expect(page.locator("input[name='p1']:checked")).to_have_count(0)
    tab.assert_clean()


# ---- reading, keyboard, phone, paper, no chart code -----------------------------------------

def test_the_form_works_from_the_keyboard(open_tab):
    tab = open_tab()
    page = tab.open(PATH, charts=False)
    first = page.locator(".self-item input[type=radio]").first
    first.focus()
    page.keyboard.press("Space")
    name = first.get_attribute("name")
    expect(page.locator(f"input[name='{name}'][value='1']")).to_be_checked()
    page.keyboard.press("ArrowRight")  # the next value in the same group
    expect(page.locator(f"input[name='{name}'][value='2']")).to_be_checked()
    expect(page.locator(".self-progress")).to_contain_text("1 av")
    page.keyboard.press("Tab")  # on to the next statement
    page.keyboard.press("Space")
    expect(page.locator(".self-progress")).to_contain_text("2 av")
    tab.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations_with_a_result(open_tab, scheme):
    tab = open_tab(color_scheme=scheme)
    page = tab.open(PATH, charts=False)
    fill(page, mixed)
    expect(page.locator(".self-chart")).to_have_class(re.compile(r"\bis-live\b"))
    report = serious_violations(page)
    assert not report, report
    tab.assert_clean()


def test_on_a_phone_the_form_and_the_result_fit(open_tab):
    tab = open_tab(viewport={"width": 390, "height": 844})
    page = tab.open(PATH, charts=False)
    fill(page, mixed)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table = page.locator(".self-result table")
    assert table.evaluate("el => el.scrollWidth <= el.parentElement.clientWidth + 1")
    target = page.locator(".self-scale label").first.bounding_box()
    assert target["height"] >= 24 and target["width"] >= 24  # WCAG 2.5.8 target size
    tab.assert_clean()


def test_without_the_chart_code_the_table_is_the_result(open_tab, study, results):
    tab = open_tab()
    tab.context.route("**/vega-bundle.js", lambda route: route.abort())
    page = tab.open(PATH, charts=False)
    fill(page, ANSWER_SETS["all-5"])
    expected = expected_scores(study, results, ANSWER_SETS["all-5"])
    assert shown_scores(page) == pytest.approx(expected)
    expect(page.locator(".self-start li")).to_have_count(len(expected_start(results, expected)))
    expect(page.locator(".self-chart")).not_to_have_class(re.compile(r"\bis-live\b"))
    assert tab.traffic.page_errors == []


def test_it_works_after_instant_navigation_from_a_factor_page(open_tab):
    tab = open_tab()
    page = tab.open("/faktorer/gevinstrealisering/", charts=False)
    page.get_by_role("article").get_by_role("link", name="Hvor står vår kommune?").click()
    expect(page.locator("article h1")).to_contain_text("Hvor står vår kommune?")
    page.locator("input[name='p38'][value='2']").check()
    page.locator("input[name='p39'][value='5']").check()
    row = page.locator(".self-result tr[data-variable='gevinstrealisering']")
    expect(row.locator(".self-score")).to_have_text("4,50")  # item 38 reversed: (6-2 + 5) / 2
    row.locator("a").click()  # and on to the factor page, and back
    expect(page.locator("article h1")).to_contain_text("Gevinstrealisering")
    page.go_back()
    expect(page.locator("article h1")).to_contain_text("Hvor står vår kommune?")
    page.locator("input[name='p1'][value='3']").check()
    expect(page.locator(".self-progress")).to_contain_text("besvart")
    tab.assert_clean()


def test_the_result_prints_on_a4_without_the_form(open_tab, tmp_path):
    from pypdf import PdfReader

    tab = open_tab()
    page = tab.open(PATH, charts=False)
    fill(page, mixed)
    expect(page.locator(".self-chart")).to_have_class(re.compile(r"\bis-live\b"))
    pdf = tmp_path / "resultat.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    assert "Her kan dere begynne" in text
    assert "Kommunens skår ved siden av snittet" in text
    assert "Mål om digitalisering" in text
    assert "vet ikke / ikke relevant" not in text  # the questionnaire itself is not printed
    assert len(PdfReader(pdf).pages) <= 4


def test_before_any_answer_the_form_prints_to_be_filled_in_by_hand(open_tab, study, tmp_path):
    from pypdf import PdfReader

    tab = open_tab()
    page = tab.open(PATH, charts=False)
    pdf = tmp_path / "skjema.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    for row in assigned(study):
        assert " ".join(asked(row).split()) in text, row["item"]
    assert text.count("vet ikke / ikke relevant") == len(assigned(study))
    assert "Her kan dere begynne" not in text  # no empty result
    assert "Tøm alle svarene" not in text and "Last ned svarene" not in text
    tab.assert_clean()
