"""End to end: build.py into a temporary directory; pages and CSVs carry the right numbers."""

import csv
import html
import itertools
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from support import build_here

from report.analysis.results import RATINGS
from report.cache import tree_digest
from report.formatting import num, p_value, words


@pytest.fixture(scope="module")
def site(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("built") / "site"
    result = build_here("--quiet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def page_text(site, relative):
    raw = (site / relative).read_text(encoding="utf-8")
    article = re.search(r"<article[^>]*>(.*)</article>", raw, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", " ", article))


def test_pages_exist(site):
    for relative in ["index.html", "metode/index.html", "faktorer/index.html",
                     "datakvalitet/index.html", "faktorer/gevinstrealisering/index.html"]:
        assert (site / relative).is_file(), relative


def test_overview_lists_the_factors_by_rating_with_their_recommendations(site, results):
    text = " ".join(page_text(site, "faktorer/index.html").split())
    order = results.factors.sort_values(["rating_order", "rho"], ascending=[True, False])
    positions = [text.index(name) for name in order["name"]]
    assert positions == sorted(positions)  # the clearest association first
    assert "Vi anbefaler at kommuner oppretter og følger en digitaliseringsstrategi" in text


def test_the_statisticians_table_shows_every_number_with_a_decimal_comma(site, results):
    text = page_text(site, "metode/index.html")
    for row in results.factors.itertuples():
        assert row.name in text
        assert num(row.rho, 3) in text  # e.g. 0,326
        assert num(row.mean, 2) in text
        assert p_value(row.p_holm) in text
    assert "0,645" in text and "0.645" not in text


def test_factor_page_shows_recommendation_and_key_figures(site, study):
    text = page_text(site, "faktorer/gevinstrealisering/index.html")
    recommendation = study.recommendations.set_index("factor_id").loc["gevinstrealisering",
                                                                      "recommendation"]
    assert recommendation in " ".join(text.split())
    assert "0,326" in text and "3,28" in text and "N = 80" in text


def test_consistency_csv_has_the_required_columns_and_flags(site, results):
    with (site / "data" / "consistency.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["table", "variable", "quantity", "reported", "recomputed", "status"]
    assert {r["status"] for r in rows} == {"ok", "flag"}
    flagged = {(r["table"], r["variable"]) for r in rows
               if r["status"] == "flag" and r["quantity"].startswith("p ")}
    assert ("Tabell 14", "Fellesløsninger") in flagged
    assert len([r for r in rows if r["status"] == "flag"]) == len(results.flags)


def test_quality_page_explains_each_flag_once(site, results):
    """Flags with the same explanation (one fault in several rows) share it: said once."""
    text = " ".join(page_text(site, "datakvalitet/index.html").split())
    explanations = results.flags["explanation"]
    assert explanations.duplicated().any()  # the n (parvis) flags share theirs
    for explanation in explanations.unique():
        assert text.count(" ".join(explanation.split())) == 1, explanation[:60]


def test_lists_of_factors_read_as_norwegian_lists(site, results):
    """'A, B og C i Tabell 14': names joined with commas and 'og', a space before the next word."""
    def words(relative):  # the text as a reader sees it: inline tags add no space
        raw = (site / relative).read_text(encoding="utf-8")
        inline = re.sub(r"</?(a|strong|em|code|span)\b[^>]*>", "", raw)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())
    quality = words("datakvalitet/index.html")
    bivariate = list(results.significant_only_at_05["name"])
    partial = list(results.partial_significant_only_at_05["name"])
    assert bivariate and partial, "the data no longer give the lists this test reads"
    def listed(names):
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]
    assert f"ville også {listed(bivariate)} vært signifikante i Tabell 13" in quality
    assert f"og {listed(partial)} i Tabell 14." in quality
    home = words("index.html")
    shared = list(results.factors.loc[results.factors["rating"] == "delt", "name"])
    assert f"({len(shared)} av {len(results.factors)}): " in home
    assert all(name in home for name in shared)


def test_the_sites_scripts_and_styles_are_shipped_minified(site, root):
    """What every page loads carries no comments or indentation (the browser tests run it)."""
    for source in (root / "assets").glob("*.*"):
        shipped = (site / "assets" / source.name).read_bytes()
        if source.suffix in (".js", ".css"):
            assert len(shipped) < 0.85 * source.stat().st_size, source.name
            assert b"\n  " not in shipped, source.name
        else:
            assert shipped == source.read_bytes(), source.name


def test_every_table_is_downloadable(site, root):
    for source in (root / "data").glob("*.csv"):
        assert (site / "data" / source.name).read_bytes() == source.read_bytes()
    assert (site / "data" / "faktorer.csv").read_text(encoding="utf-8").count("\n") == 18


class Resources(HTMLParser):
    """Collects what a page would load (src, <link href>) and where its links point."""

    def __init__(self):
        super().__init__()
        self.loads, self.links = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") != "canonical":
            self.loads.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def is_other_host(url: str, own: str = "127.0.0.1") -> bool:
    host = urlparse(url).hostname
    return host is not None and host != own


def test_no_request_to_other_hosts(site):
    for page in site.rglob("*.html"):
        parser = Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        assert not [u for u in parser.loads if is_other_host(u)], page
        # Links out are only the thesis's own references (URLs printed in its text).
        if "oppgaver" not in page.parts:
            assert not [u for u in parser.links if is_other_host(u)], page
    for css in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css


def test_search_index_is_norwegian(site):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["nb"]  # Pagefind stems in Norwegian bokmål
    assert entry["languages"]["nb"]["page_count"] >= 40
    assert 'lang="nb"' in (site / "index.html").read_text(encoding="utf-8")


def test_heading_anchors_keep_norwegian_letters(site):
    raw = (site / "metode" / "index.html").read_text(encoding="utf-8")
    assert 'id="spørreundersøkelsen"' in raw



def test_bad_data_leaves_the_previous_site_untouched(root, site, data_copy):
    before = tree_digest(site)
    bad = data_copy / "tabell13_spearman.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace("Samarbeid,0.372", "Samarbeid,1.372"),
                   encoding="utf-8")
    result = build_here("--quiet", "--out", str(site), "--data", str(data_copy))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "tabell13_spearman.csv, row 3 (line 4), column 'rho'" in lines[0]
    assert tree_digest(site) == before


def test_help_explains_options(root):
    result = subprocess.run([sys.executable, str(root / "build.py"), "--help"],
                            capture_output=True, text=True, cwd=root)
    assert result.returncode == 0
    assert "--out" in result.stdout and "--data" in result.stdout


FACTOR_SECTIONS = ["Hva bør kommunen vurdere?", "Forutsetninger", "Risiko og fallgruver",
                   "Forskjeller mellom kommuner", "Hva sier forskningen?", "Intervjuene",
                   "Litteraturen", "Drøftingen i oppgaven", "Husbanken-studien (Ruud 2018)",
                   "Tallene bak vurderingen", "Faktoren blant de 17",
                   "Påstandene i spørreundersøkelsen", "Relaterte faktorer", "Kilder og sitering"]


def headings(raw: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", h)).replace("¶", "").strip()
            for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", raw, re.S)]


def test_every_factor_page_has_every_part(site, results):
    for row in results.factors.itertuples():
        raw = (site / "faktorer" / row.factor_id / "index.html").read_text(encoding="utf-8")
        found = headings(raw)
        assert found[0] == row.name
        for section in FACTOR_SECTIONS:
            assert section in found, (row.factor_id, section)
        assert 'class="vega-chart"' in raw and f'data-highlight="{row.factor_id}"' in raw
        # it links back to its own discussion in chapter 6
        assert f"06-diskusjon/#faktor-{row.factor_id}" in raw


def test_flags_are_shown_on_the_factor_pages_they_concern(site, results):
    for factor_id in set(results.flags["factor_id"].dropna()):
        raw = (site / "faktorer" / factor_id / "index.html").read_text(encoding="utf-8")
        assert "Tall som ikke henger sammen" in raw, factor_id
    clean = set(results.factors["factor_id"]) - set(results.flags["factor_id"].dropna())
    for factor_id in clean:
        raw = (site / "faktorer" / factor_id / "index.html").read_text(encoding="utf-8")
        assert "Tall som ikke henger sammen" not in raw, factor_id


def test_a_factor_without_husbanken_evidence_says_so(site):
    text = " ".join(page_text(site, "faktorer/prosesseierskap/index.html").split())
    part = text.split("Husbanken-studien (Ruud 2018)")[1].split("Tallene bak vurderingen")[0]
    assert "ikke" in part


def test_four_area_pages_list_their_factors_and_recommendations(site, results, study):
    for area in study.areas.itertuples():
        text = " ".join(page_text(site, f"omrader/{area.area_id}/index.html").split())
        members = results.factors[results.factors["area"] == area.name]
        assert len(members) >= 2
        for row in members.itertuples():
            assert row.name in text
            assert " ".join(row.recommendation.split()) in text
            # each rating's meaning once, not again under every factor that shares it
            assert text.count(RATINGS[row.rating].meaning_for(row.rho)) == 1, (area.name, row.name)


def test_a_chapter_says_its_thesis_and_ends_with_a_link_to_the_next(site):
    raw = (site / "oppgaver/olsen-holter-2018/06-diskusjon/index.html").read_text(encoding="utf-8")
    assert '<p class="chapter-of">Fra <a href="../">Olsen og Holter (2018)</a></p>' in raw
    foot = raw.split('<footer class="md-footer">')[1]
    assert re.search(r'<a href="\.\./07-konklusjon-og-videre-forskning/" class="md-footer__link '
                     r'md-footer__link--next"', foot), foot[:400]


def test_a_misprint_in_a_recommendation_is_kept_and_marked_sic(site, study):
    """Tabell 15 is quoted as printed; a misprint is marked, so it is not read as the site's."""
    page = page_text(site, "faktorer/digital-modenhetsgrad/index.html")
    assert "hvorfor arbeidsoppgaver automatoseres [sic] og kompetanse" in " ".join(page.split())
    marked = study.recommendations[study.recommendations["sic"] != ""]
    assert len(marked) == 3
    for row in marked.itertuples():
        html = page_text(site, f"faktorer/{row.factor_id}/index.html")
        assert f"{row.sic} [sic]" in " ".join(html.split()), row.factor_id


def test_no_thesis_table_has_an_empty_header_cell(site):
    """A screen reader reads each cell with its headers: an empty header row (a table the thesis
    printed without one) is dropped, and the row labels under an empty corner are row headers."""
    for page in (site / "oppgaver").rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<th[^>]*>\s*</th>", html), page
    chapter = (site / "oppgaver/olsen-holter-2018/02-litteratur-og-tidligere-forskning/index.html"
               ).read_text(encoding="utf-8")
    assert '<th scope="row">Profil</th>' in chapter  # Tabell 1: heavyweight and lightweight IT


def test_chapter_factor_headings_and_tabell15_link_to_factor_pages(site, results):
    raw = (site / "oppgaver/olsen-holter-2018/06-diskusjon/index.html").read_text(encoding="utf-8")
    for row in results.factors.itertuples():
        assert f'id="faktor-{row.factor_id}"' in raw
        assert raw.count(f"../../../faktorer/{row.factor_id}/") >= 2  # heading link + Tabell 15


@pytest.mark.parametrize("seed", ["004", "000"])
def test_nothing_lost_on_the_built_site(site, seed):
    """Every body-text sentence of the thesis is on the built chapter pages."""
    from test_chapters_textcheck import own_segments

    from importer import textcheck as tc
    from importer.layout import DEFAULT_SEEDS, SEED_FILES, THESES

    thesis = THESES[seed]
    text = (DEFAULT_SEEDS / SEED_FILES[seed]).read_text(encoding="utf-8")
    pages = sorted((site / "oppgaver" / thesis.dir).rglob("index.html"))
    assert len(pages) >= 9
    permalink = re.compile(r'<a class="headerlink"[^>]*>.*?</a>')
    blob = "\n".join(tc.html_to_text(permalink.sub("", page.read_text(encoding="utf-8")))
                     for page in pages)
    ranges = [(c.start, c.end) for c in thesis.chapters]
    missing = tc.missing_sentences(text, blob, ranges, tc.excluded_lines(seed),
                                   own_segments(seed))
    assert missing == []


def test_page_urls_are_ascii_and_stable(site, results):
    pages = [p.relative_to(site).as_posix() for p in site.rglob("index.html")]
    assert all(page.isascii() for page in pages), [p for p in pages if not p.isascii()]
    # factor pages live at their catalogue id, which is what keeps their URLs stable
    for row in results.factors.itertuples():
        assert f"faktorer/{row.factor_id}/index.html" in pages


def test_method_page_keeps_each_finding_in_one_sentence(site, results):
    # A number at the start of a line of Markdown would become a numbered list and split it.
    text = " ".join(page_text(site, "metode/index.html").split())
    two_tailed = results.spearman_tail_counts[2]
    assert f"tosidig bare {two_tailed}. Oppgaven har altså brukt" in text


def test_quality_table_shows_norwegian_numbers_and_factor_names(site, results):
    raw = (site / "datakvalitet" / "index.html").read_text(encoding="utf-8")
    table = raw[raw.index('id="alle-kontroller"'):]
    table = table[table.index("<table"):table.index("</table>")]
    cells = [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
    assert len(cells) == 6 * len(results.consistency)
    values = cells[3::6] + cells[4::6]  # Trykt, Omregnet
    assert not [value for value in values if re.search(r"\d\.\d", value)]  # decimal commas
    assert {"0,000", "< 0,0001", "Signifikant (grense p < 0,005)"} <= set(values)
    assert set(cells[5::6]) == {"i orden", "⚠ flagget"}
    for factor in results.factors.itertuples():  # the site's names, linked to the factor pages
        assert f'href="../faktorer/{factor.factor_id}/">{html.escape(factor.name)}</a>' in table


def test_partial_r_is_shown_as_printed_in_the_chart_table(site, results):
    fellesloesninger = results.factors.set_index("factor_id").loc["felleslosninger"]
    assert fellesloesninger["partial_r_printed"] == "-0.57"  # printed with two decimals
    raw = (site / "faktorer" / "index.html").read_text(encoding="utf-8")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())
    assert f"Fellesløsninger {num(fellesloesninger['rho'], 3)} −0,57 " in text
    assert "−0,570" not in text


LINE_REFERENCE = re.compile(r"\blinje(?:r|ne)?\s+\d")


def test_no_page_cites_a_line_number(site):
    """Readers get printed pages; line numbers are for maintainers (data/ and the CSVs)."""
    cited = []
    for page in site.rglob("*.html"):
        raw = re.sub(r"<script.*?</script>", "", page.read_text(encoding="utf-8"), flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
        cited += [f"{page.relative_to(site)}: {m.group(0)}" for m in LINE_REFERENCE.finditer(text)]
    assert cited == []


def test_sources_give_the_printed_page_and_link_to_the_table(site, results):
    raw = (site / "faktorer/gevinstrealisering/index.html").read_text(encoding="utf-8")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())
    assert "Olsen og Holter 2018, s. 61, Tabell 12" in text  # the issue's own example
    assert 'href="../../oppgaver/olsen-holter-2018/05-resultater/#tabell12"' in raw
    chapter = (site / "oppgaver/olsen-holter-2018/05-resultater/index.html").read_text("utf-8")
    assert 'id="tabell12"' in chapter


def test_factor_page_grammar_for_one_cited_statement(site, results):
    single = [check.Index for check in results.item_checks.set_index("variable").itertuples()
              if check.items == 1]
    assert single  # two factors have one cited statement
    for factor_id in single:
        text = " ".join(page_text(site, f"faktorer/{factor_id}/index.html").split())
        assert "Snittet av den ene siterte påstanden" in text and "de 1 siterte" not in text


def test_not_found_page_is_norwegian(site):
    raw = (site / "404.html").read_text(encoding="utf-8")
    assert "<h1>Fant ikke siden</h1>" in raw and "Not found" not in raw
    assert "Gå til forsiden" in raw


def test_theme_labels_are_norwegian(site):
    """Material's Norwegian translation leaves some labels in English, among them the header
    landmark a screen reader announces on every page; no English label of the theme's may reach
    a page (as an aria-label, title or placeholder)."""
    import material

    languages = Path(material.__file__).parent / "templates" / "partials" / "languages"
    english = dict(re.findall(r'"([\w.]+)": "([^"]*)"',
                              (languages / "en.html").read_text(encoding="utf-8")))
    labels = {label for page in site.rglob("*.html")
              for label in re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"',
                                      page.read_text(encoding="utf-8"))}
    assert "Toppfelt" in labels
    assert not labels & set(english.values()), labels & set(english.values())


def test_the_pages_count_the_factors_in_the_data(root, tmp_path):
    """A maintainer who adds factors gets pages and charts that count them: no count of the
    thesis's 17 is written into the templates or the chart builders (here every factor twice)."""
    from tools.bench import synthetic_catalogue

    data, content = synthetic_catalogue(2, into=tmp_path)
    out = tmp_path / "site"
    result = build_here("--quiet", "--clean", "--out", str(out), "--data", str(data),
                       "--content", str(content))
    assert result.returncode == 0, result.stderr
    home, overview, method, factor = (" ".join(page_text(out, page).split()) for page in (
        "index.html", "faktorer/index.html", "metode/index.html",
        "faktorer/gevinstrealisering/index.html"))
    assert "undersøkte 34 faktorer" in home and "av 34)" in home
    assert "De 34 faktorene" in overview
    assert "justert for 68 tester (Holm)" in factor and "Faktoren blant de 34" in factor
    assert "Holm-justering for alle 68 testene" in method and "Når 33 andre" in method
    for name, rows in (("forest", 34), ("means", 35), ("bivariat-partiell", 34)):
        spec = json.loads((out / "assets" / "charts" / f"{name}.vl.json").read_text("utf-8"))
        assert spec["height"] == rows * 24, name
        assert " 17 " not in spec["description"] and f" {rows - (name == 'means')} " in \
            spec["description"], name


def test_home_page_title_names_the_site_once(site):
    raw = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Automatisering i norske kommuner</title>" in raw


def test_a_factor_page_says_when_the_printed_n_is_not_used(site, results):
    for factor in results.factors.itertuples():
        text = " ".join(page_text(site, f"faktorer/{factor.factor_id}/index.html").split())
        capped = f"(ikke n = {factor.rho_n} som oppgaven trykker" in text
        assert capped == (factor.n_used != factor.rho_n), factor.factor_id
        assert f"med n = {factor.n_used}" in text


def test_a_loose_reconstruction_is_not_called_a_match(site, results):
    for check in results.item_checks.itertuples():
        if check.variable == "automatisering" or not check.agrees:
            continue
        text = " ".join(page_text(site, f"faktorer/{check.variable}/index.html").split())
        assert ("strider ikke mot" in text) == bool(check.loose), check.variable
        assert ("Det stemmer" in text) == (not check.loose), check.variable
    loose = results.item_checks.set_index("variable")["loose"]
    assert loose["personopplysninger"] and loose.sum() == 1  # one of its quoted means is printed "4"


def test_flags_on_counts_say_what_is_possible(site, results):
    bounds = results.flags[results.flags["recomputed"].str.startswith("<=")]
    assert len(bounds)  # n in Tabell 13 above Automatisering's N
    text = " ".join(page_text(site, "datakvalitet/index.html").split())
    for check in bounds.itertuples():
        assert f"trykt {check.reported}, men høyst {check.recomputed[2:].strip()} er mulig" in text
    assert "omregnet ≤" not in text


def test_area_pages_give_small_counts_in_words(site, results):
    for area in results.areas.itertuples():
        count = (results.factors["area"] == area.name).sum()
        text = " ".join(page_text(site, f"omrader/{area.area_id}/index.html").split())
        assert f"disse {words(count)} faktorene" in text


def test_factor_download_carries_the_rating_and_what_it_is_computed_from(site, results):
    with (site / "data" / "faktorer.csv").open(encoding="utf-8") as handle:
        rows = {row["factor_id"]: row for row in csv.DictReader(handle)}
    for factor in results.factors.itertuples():
        row = rows[factor.factor_id]
        assert row["vurdering"] == factor.rating
        assert int(row["n_brukt"]) == factor.n_used <= results.dependent["n"]
        assert float(row["partiell_p_holm"]) == pytest.approx(factor.partial_p_holm, rel=1e-5)


def test_the_thesiss_own_labels_are_named_as_the_thesiss(site, results):
    text = " ".join(page_text(site, "faktorer/personopplysninger/index.html").split())
    level = num(results.threshold.conventional[0], 3)
    assert "Oppgaven merker sammenhengen i Tabell 13 som «n.s»" in text
    assert f"p < {level} ensidig, som dette nettstedet har utledet" in text
    holm = results.factors.set_index("factor_id").loc["personopplysninger", "p_holm"]
    assert f"justert for 34 tester (Holm): {p_value(holm)}" in text


def test_the_sanitiser_keeps_a_form_that_can_send_nothing():
    """The self-assessment is a real form; one pasted into content/ cannot post or load."""
    from report.site.sanitise import sanitise

    clean = sanitise('<form action="https://example.org/x" method="post">'
                     '<input type="image" src="https://example.org/i.png">'
                     '<input type="radio" name="p1" value="3" checked>'
                     '<input type="file" accept=".csv"><button type="submit">Send</button></form>')
    assert "example.org" not in clean and "action" not in clean and "post" not in clean
    assert 'method="dialog"' in clean  # outside a <dialog>, submitting sends nothing
    assert '<button type="button">' in clean
    assert '<input type="radio" name="p1" value="3" checked="">' in clean
    assert '<input type="file" accept=".csv">' in clean
    assert 'type="image"' not in clean


def test_the_sanitiser_keeps_only_this_sites_images_in_a_picture():
    from report.site.sanitise import sanitise

    clean = sanitise('<picture><source media="(max-width: 599px)" srcset="a-smal.svg">'
                     '<source srcset="b.svg 1x, https://example.org/c.svg 2x">'
                     '<img src="a.svg" alt="A"></picture>')
    assert '<source media="(max-width: 599px)" srcset="a-smal.svg">' in clean
    assert "example.org" not in clean and '<img src="a.svg" alt="A">' in clean


def test_next_page_follows_the_area_pages_order(site, study):
    """Forrige/Neste walks an area's factors in the order its page lists them (clearest first)."""
    for area in study.areas.itertuples():
        raw = (site / "omrader" / area.area_id / "index.html").read_text(encoding="utf-8")
        listed = re.findall(r'<h2 id="[^"]*"><a href="\.\./\.\./faktorer/([a-z0-9-]+)/"', raw)
        assert len(listed) > 1, area.area_id
        for here, following in itertools.pairwise(listed):
            page = (site / "faktorer" / here / "index.html").read_text(encoding="utf-8")
            foot = page.split('<footer class="md-footer">')[1]
            assert re.search(rf'href="\.\./{following}/" class="md-footer__link md-footer__link--next"',
                             foot), (here, following)
