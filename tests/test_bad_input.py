"""Bad input refused safely: every kind of mistake a maintainer can make in data/, content/ or
templates/ stops the build with one line naming the place, and the site built before stays byte
for byte as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import CHAPTER, edit, line_of, run_build

from report.cache import tree_digest


def drop_lines(path: Path, startswith: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(startswith)),
                    encoding="utf-8")


def drop_field(path: Path, name: str) -> None:
    """A front-matter field removed, its folded lines with it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(number for number, line in enumerate(lines) if line.startswith(f"{name}:"))
    end = start + 1
    while lines[end].startswith("  "):
        end += 1
    path.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")


def semicolons(path: Path) -> None:
    """The file as a spreadsheet in a Norwegian locale saves it."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    path.write_text("\n".join(";".join(row) for row in rows) + "\n", encoding="utf-8")


def to_latin1(path: Path) -> None:
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))


T13 = "data/tabell13_spearman.csv"
GEVINST = "content/factors/gevinstrealisering.md"
UTVALG_CHART = '{{ chart("forest") }}'

# (id, how to break the copy, pieces the single error line must contain)
CASES = [
    ("malformed-csv", lambda d: edit(d / "data/tabell15_anbefalinger.csv",
                                     'Samarbeid,"Vi anbefaler', 'Samarbeid,"Vi "anbefaler'),
     ["tabell15_anbefalinger.csv", "malformed CSV", "line"]),
    ("missing-column", lambda d: edit(d / T13, "variable,rho,p,n,label", "variable,rho,p,label"),
     ["tabell13_spearman.csv", "line 1", "missing column 'n'"]),
    ("wrong-type", lambda d: edit(d / T13, "Alignment,0.412,0.000,80", "Alignment,0.412,0.000,80.5"),
     ["tabell13_spearman.csv", "row 4 (line 5)", "column 'n'"]),
    ("r-above-1", lambda d: edit(d / T13, "Samarbeid,0.372", "Samarbeid,1.372"),
     ["tabell13_spearman.csv", "row 3 (line 4)", "column 'rho'", "between -1 and 1"]),
    ("p-outside-0-1", lambda d: edit(d / "data/tabell14_partiell.csv", "0.412,0.001", "0.412,-0.001"),
     ["tabell14_partiell.csv", "row 1 (line 2)", "column 'p'"]),
    ("mean-outside-1-5", lambda d: edit(d / "data/tabell12_deskriptiv.csv", '"2,7606"', '"0,7606"'),
     ["tabell12_deskriptiv.csv", "row 12 (line 13)", "column 'mean'", "1-5 scale"]),
    ("n-zero", lambda d: edit(d / "data/tabell12_deskriptiv.csv", "Alignment,80", "Alignment,0"),
     ["tabell12_deskriptiv.csv", "row 5 (line 6)", "column 'n'", "above 0"]),
    ("unknown-factor", lambda d: edit(d / T13, "Politiske krav,", "Politisk krav,"),
     ["tabell13_spearman.csv", "row 15 (line 16)", "column 'variable'", "'Politisk krav'"]),
    ("duplicate-factor-id", lambda d: edit(d / "data/factors.csv", "strukturert,Strukturert",
                                           "alignment,Strukturert"),
     ["factors.csv", "column 'factor_id'", "duplicate"]),
    ("no-recommendation", lambda d: drop_lines(d / "data/tabell15_anbefalinger.csv", "Samarbeid,"),
     ["tabell15_anbefalinger.csv", "no row for factor 'samarbeid'"]),
    ("unknown-area", lambda d: edit(d / "data/factors.csv", "Samarbeid,Organisatoriske faktorer",
                                    "Samarbeid,Organisatorisk"),
     ["factors.csv", "row 7 (line 8)", "column 'area'", "unknown area"]),
    # names become page titles and navigation entries, which the theme writes unescaped (its
    # <title> even unescapes entities): markup there is refused
    ("markup-in-factor-name", lambda d: edit(d / "data/factors.csv",
                                             "gevinstrealisering,Gevinstrealisering,",
                                             'gevinstrealisering,"""><script>alert(2)</script>",'),
     ["factors.csv", "row 12 (line 13)", "column 'name'", "a page title"]),
    ("markup-in-area-name", lambda d: edit(d / "data/areas.csv", ",Offentlige føringer,",
                                           ",Offentlige føringer &lt;/title&gt;,"),
     ["areas.csv", "column 'name'", "a page title"]),
    ("markup-in-chapter-title", lambda d: edit(d / CHAPTER, "title: ", "title: <b>Konklusjon</b> "),
     ["07-konklusjon-og-videre-forskning.md", "line 2", "a page title"]),
    ("missing-content-file", lambda d: (d / GEVINST).unlink(),
     ["gevinstrealisering.md", "file is missing"]),
    ("empty-content-file", lambda d: (d / GEVINST).write_text("", encoding="utf-8"),
     ["gevinstrealisering.md", "file is empty"]),
    ("not-utf8", lambda d: to_latin1(d / "data/fylker.csv"),
     ["fylker.csv", "line 2", "not UTF-8"]),
    ("content-field-wrong", lambda d: edit(d / GEVINST, 'lines: "4589-4591"', 'lines: "4589"'),
     ["gevinstrealisering.md", "line ", "interviews.quotes.0.lines"]),
    ("unknown-related-factor", lambda d: edit(d / GEVINST, "discussed_with: [",
                                              "discussed_with: [fellesloesninger, "),
     ["gevinstrealisering.md", f"line {line_of(GEVINST, 'discussed_with:')}",
      "unknown factor_id 'fellesloesninger'"]),
    ("quote-not-verbatim", lambda d: edit(d / GEVINST, "Det finnes en plan,", "Det fins en plan,"),
     ["gevinstrealisering.md", f"line {line_of(GEVINST, 'Det finnes en plan,')}",
      "not found verbatim", "4589-4591", 'then has "fins en plan']),
    ("recommendation-not-verbatim", lambda d: edit(d / "data/tabell15_anbefalinger.csv",
                                                   "arbeidet er politiske forankret",
                                                   "arbeidet er politisk forankret"),
     ["tabell15_anbefalinger.csv", "row 1 (line 2)", "column 'recommendation'",
      "not found verbatim in seed 004", 'then has "politisk forankret']),
    ("sic-not-in-recommendation", lambda d: edit(d / "data/tabell15_anbefalinger.csv",
                                                 "6465-6471,politiske", "6465-6471,politisk krav"),
     ["tabell15_anbefalinger.csv", "row 1 (line 2)", "column 'sic'",
      "'politisk krav' must occur exactly once in the recommendation (it occurs 0 times)"]),
    ("statement-not-verbatim", lambda d: edit(d / "data/survey_items.csv",
                                              "en positiv innvirkning", "en god innvirkning"),
     ["survey_items.csv", "row 53 (line 54)", "column 'statement'",
      "not found verbatim in seed 004", 'then has "god innvirkning']),
    # a spreadsheet set to Norwegian saves CSV with semicolons (and decimal commas)
    ("spreadsheet-semicolons", lambda d: semicolons(d / "data/fylker.csv"),
     ["fylker.csv", "line 1", "separated by semicolons", "comma-separated"]),
    ("header-with-spaces", lambda d: edit(d / T13, "variable,rho,p,", "variable, rho ,p,"),
     ["tabell13_spearman.csv", "line 1", "column 'rho'", "spaces around it"]),
    ("duplicate-column", lambda d: edit(d / "data/fylker.csv", "county,participants,",
                                        "county,county,"),
     ["fylker.csv", "line 1", "column 'county'", "appears twice"]),
    ("duplicate-yaml-key", lambda d: edit(d / GEVINST, "aliases:", "summary: igjen\naliases:"),
     ["gevinstrealisering.md", f"line {line_of(GEVINST, 'aliases:')}", "'summary' is given twice"]),
    ("line-past-the-end-in-data", lambda d: edit(d / T13, "Tabell 13,5123", "Tabell 13,95123"),
     ["tabell13_spearman.csv", "row 8 (line 9)", "column 'source_line'",
      "line 95123 is past the end of seed 004"]),
    ("range-past-the-end-in-content", lambda d: edit(d / GEVINST, 'lines: "4589-4591"',
                                                     'lines: "4589-94591"'),
     ["gevinstrealisering.md", f"line {line_of(GEVINST, '4589-4591')}",
      "interviews.quotes.0.lines", "past the end of seed 004"]),
    ("image-in-factor-name", lambda d: edit(d / "data/factors.csv",
                                            "gevinstrealisering,Gevinstrealisering,",
                                            "gevinstrealisering,Gevinst ![x](https://example.org/t.png),"),
     ["factors.csv", "row 12 (line 13)", "column 'name'", "must not carry markup"]),
    # a recommendation longer than a one-page faktaark can hold
    ("over-long-recommendation", lambda d: edit(d / "data/tabell15_anbefalinger.csv",
                                                "arbeidet er politiske forankret.",
                                                "arbeidet er politiske forankret." + " Mer." * 120),
     ["tabell15_anbefalinger.csv", "row 1 (line 2)", "column 'recommendation'", "at most 700"]),
    ("missing-field-for-the-pdf", lambda d: drop_field(d / GEVINST, "what"),
     ["gevinstrealisering.md", "line 2", "what: Field required"]),
    ("template-syntax", lambda d: edit(d / "templates/area.md.j2", "{% endfor %}", "{% endfro %}"),
     ["area.md.j2", f"line {line_of('templates/area.md.j2', '{% endfor %}')}",
      "TemplateSyntaxError", "endfro"]),
    ("template-undefined", lambda d: edit(d / "templates/method.md.j2", "{{ r.sample.asked }}",
                                          "{{ r.sample_size }}"),
     ["method.md.j2", f"line {line_of('templates/method.md.j2', '{{ r.sample.asked }}')}",
      "UndefinedError"]),
    ("unknown-chart", lambda d: edit(d / "templates/home.md.j2", UTVALG_CHART,
                                     '{{ chart("forestt") }}'),
     ["home.md.j2", f"line {line_of('templates/home.md.j2', UTVALG_CHART)}",
      "no chart named 'forestt'"]),
    ("link-to-missing-page", lambda d: edit(d / CHAPTER, "\n\n", "\n\n[Se også](finnes-ikke.md)\n\n"),
     ["07-konklusjon-og-videre-forskning.md", "line 8", "finnes-ikke.md"]),
    ("unknown-table-marker", lambda d: edit(d / "content/theses/olsen-holter-2018/06-diskusjon.md",
                                            "<!-- data-table: tabell14 -->",
                                            "<!-- data-table: tabell99 -->"),
     ["06-diskusjon.md", "line 16", "unknown table marker 'tabell99'"]),
]


def build_here(capsys, *args: str) -> tuple[int, str]:
    """build.py's main() in this process (pandas and MkDocs imported once for all the cases):
    its exit status and what it printed on stderr. The same cases through a real process, where
    stderr holds everything, are in test_a_case_in_a_real_process_prints_one_line."""
    import build

    capsys.readouterr()
    status = build.main(list(args), environ={"SOURCE_DATE_EPOCH": "1700000000"})
    return status, capsys.readouterr().err


@pytest.mark.parametrize("case,breaker,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_the_site_kept(built, broken, capsys, case, breaker, expected):
    before = tree_digest(built)
    breaker(broken)
    status, stderr = build_here(capsys, "--quiet", "--out", str(built),
                                "--data", str(broken / "data"),
                                "--content", str(broken / "content"),
                                "--templates", str(broken / "templates"))
    assert status == 1, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    for piece in expected:
        assert piece in lines[0], f"{piece!r} not in: {lines[0]}"
    assert tree_digest(built) == before


IN_A_PROCESS = [c for c in CASES if c[0] in ("malformed-csv", "statement-not-verbatim",
                                              "template-syntax", "link-to-missing-page")]


@pytest.mark.parametrize("case,breaker,expected", IN_A_PROCESS, ids=[c[0] for c in IN_A_PROCESS])
def test_a_case_in_a_real_process_prints_one_line(built, broken, case, breaker, expected):
    before = tree_digest(built)
    breaker(broken)
    result = run_build("--quiet", "--out", str(built), "--data", str(broken / "data"),
                       "--content", str(broken / "content"),
                       "--templates", str(broken / "templates"))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for piece in expected:
        assert piece in lines[0], f"{piece!r} not in: {lines[0]}"
    assert tree_digest(built) == before
