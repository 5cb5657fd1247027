"""Rebuilding as a maintainer does: bad input refused safely, untrusted text inert,
unchanged input skipped, and the same input giving the same bytes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support import copy_project

from report.cache import tree_digest

ROOT = Path(__file__).resolve().parent.parent


def line_of(relative: str, text: str) -> int:
    """The number of the first line of a project file that contains text."""
    lines = (ROOT / relative).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def run_build(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=600, env={**os.environ, **(env or {})})



@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """A pristine copy of data/, content/ and templates/ for the module's builds."""
    base = tmp_path_factory.mktemp("inputs")
    for name in ("data", "content", "templates"):
        shutil.copytree(ROOT / name, base / name)
    return base


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out") / "site"
    result = run_build("--quiet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def broken(tmp_path, inputs) -> Path:
    """A writable copy of the inputs for one case to break."""
    for name in ("data", "content", "templates"):
        shutil.copytree(inputs / name, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


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
CHAPTER = "content/theses/olsen-holter-2018/07-konklusjon-og-videre-forskning.md"

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


@pytest.mark.parametrize("case,breaker,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_the_site_kept(built, broken, case, breaker, expected):
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


def test_broken_chart_spec_names_the_chart(tmp_path):
    """Chart code that makes an invalid Vega-Lite spec stops the build, naming the chart (the
    break is made in a copy of the project, as a maintainer adding a chart would make it)."""
    project = copy_project(tmp_path / "project")
    edit(project / "report/pages/charts.py",
         'spec = _base(chart.properties(title=title, height=len(data) * 20), description)',
         'spec = _base(chart.properties(title=title, height=len(data) * 20), description)\n'
         '    spec["mark"] = "sirkel"')
    out = tmp_path / "site"
    shutil.copytree(ROOT / "site", out) if (ROOT / "site").exists() else out.mkdir()
    (out / "marker.txt").write_text("the previous site", encoding="utf-8")
    before = tree_digest(out)
    result = subprocess.run([sys.executable, str(project / "build.py"), "--quiet", "--out",
                             str(out)], capture_output=True, text=True, cwd=project, timeout=600)
    error = result.stderr.strip().splitlines()
    assert result.returncode == 1
    assert len(error) == 1 and "chart 'fylker'" in error[0] and "mark" in error[0], error
    assert tree_digest(out) == before


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.handlers, self.text = [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        self.handlers += [name for name, _ in attrs if name.lower().startswith("on")]

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)
        self.text.append(data)


PAYLOAD = "<script>alert('x')</script> og <img src=x onerror=alert(1)>"


def test_untrusted_text_is_shown_not_run(tmp_path, inputs):
    for name in ("data", "content"):
        shutil.copytree(inputs / name, tmp_path / name)
    # a label of the sample table (data/) and a chapter's text (content/); recommendations,
    # quotes and survey statements must be verbatim in the sources, and names may not hold
    # markup at all (next test)
    edit(tmp_path / "data/utvalg.csv", "Invitert (alle landets kommuner)",
         PAYLOAD + " Invitert")
    edit(tmp_path / CHAPTER, "\n\n", f"\n\nTekst med {PAYLOAD} i et kapittel.\n\n")
    out = tmp_path / "site"
    result = run_build("--quiet", "--out", str(out), "--data", str(tmp_path / "data"),
                       "--content", str(tmp_path / "content"))
    assert result.returncode == 0, result.stderr
    for page in ("index.html",
                 "oppgaver/olsen-holter-2018/07-konklusjon-og-videre-forskning/index.html"):
        parser = Elements()
        parser.feed((out / page).read_text(encoding="utf-8"))
        assert not any("alert" in script for script in parser.scripts), page
        assert parser.handlers == [], page
        assert PAYLOAD in " ".join("".join(parser.text).split()), page  # shown as text


def test_nothing_changed_runs_no_stage(built):
    result = run_build("--out", str(built))
    assert result.returncode == 0
    assert "nothing changed" in result.stdout
    for stage in ("analyse", "render", "mkdocs build"):
        assert stage not in result.stdout


def test_touching_a_file_is_not_a_change(built):
    (ROOT / "data" / "fylker.csv").touch()
    result = run_build("--out", str(built))
    assert "nothing changed" in result.stdout


def test_one_changed_value_reruns_analysis_and_shows_up(tmp_path, inputs):
    shutil.copytree(inputs / "data", tmp_path / "data")
    out = tmp_path / "site"
    first = run_build("--out", str(out), "--data", str(tmp_path / "data"))
    assert first.returncode == 0, first.stderr
    edit(tmp_path / "data/tabell12_deskriptiv.csv", '"3,2750"', '"3,3750"')
    second = run_build("--out", str(out), "--data", str(tmp_path / "data"))
    assert second.returncode == 0, second.stderr
    assert "analyse" in second.stdout and "mkdocs build" in second.stdout
    page = (out / "faktorer/gevinstrealisering/index.html").read_text(encoding="utf-8")
    assert "3,38" in page and "3,28" not in page


def test_template_change_reuses_the_analysis(tmp_path, inputs):
    shutil.copytree(inputs / "templates", tmp_path / "templates")
    out = tmp_path / "site"
    assert run_build("--out", str(out), "--templates", str(tmp_path / "templates")).returncode == 0
    edit(tmp_path / "templates/home.md.j2", "# Automatisering i norske kommuner",
         "# Automatisering i norske kommuner (ny)")
    second = run_build("--out", str(out), "--templates", str(tmp_path / "templates"))
    assert "analysis and charts unchanged" in second.stdout
    assert "mkdocs build" in second.stdout
    assert "(ny)" in (out / "index.html").read_text(encoding="utf-8")


def test_two_clean_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = run_build("--quiet", "--clean", "--out", str(out))
        assert result.returncode == 0, result.stderr
    assert tree_digest(first) == tree_digest(second)


def test_rebuild_after_one_value_equals_a_clean_build(tmp_path, inputs):
    shutil.copytree(inputs / "data", tmp_path / "data")
    data, out, fresh = tmp_path / "data", tmp_path / "site", tmp_path / "fresh"
    assert run_build("--quiet", "--out", str(out), "--data", str(data)).returncode == 0
    edit(data / "tabell13_spearman.csv", "Gevinstrealisering,0.3", "Gevinstrealisering,0.2")
    rebuilt = run_build("--out", str(out), "--data", str(data))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "read, check and analyse" in rebuilt.stdout
    clean = run_build("--quiet", "--clean", "--out", str(fresh), "--data", str(data))
    assert clean.returncode == 0, clean.stderr
    assert tree_digest(out) == tree_digest(fresh)


def test_a_new_commit_date_reaches_the_sitemap(tmp_path, inputs):
    """The build date is part of the cache key: a build after a new commit dates the sitemap
    anew, as a clean build does."""
    shutil.copytree(inputs / "data", tmp_path / "data")
    data, out, fresh = tmp_path / "data", tmp_path / "site", tmp_path / "fresh"
    assert run_build("--quiet", "--out", str(out), "--data", str(data),
                     env={"SOURCE_DATE_EPOCH": "1600000000"}).returncode == 0
    edit(data / "tabell13_spearman.csv", "Gevinstrealisering,0.3", "Gevinstrealisering,0.2")
    later = {"SOURCE_DATE_EPOCH": "1700000000"}
    rebuilt = run_build("--out", str(out), "--data", str(data), env=later)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "2023-11-14" in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert run_build("--quiet", "--clean", "--out", str(fresh), "--data", str(data),
                     env=later).returncode == 0
    assert tree_digest(out) == tree_digest(fresh)


def test_a_new_title_reaches_every_page_whose_navigation_shows_the_factor(tmp_path, inputs):
    """Each page's navigation shows its own section (navigation.prune): every page about the
    factors gets the new title on a rebuild, the factor's page in its <title> too."""
    shutil.copytree(inputs / "data", tmp_path / "data")
    data, out = tmp_path / "data", tmp_path / "site"
    assert run_build("--quiet", "--out", str(out), "--data", str(data)).returncode == 0
    edit(data / "factors.csv", ",Gevinstrealisering,", ",Gevinstrealisering og nytte,")
    rebuilt = run_build("--out", str(out), "--data", str(data))
    assert rebuilt.returncode == 0, rebuilt.stderr
    area = out / "omrader" / "organisatoriske-faktorer" / "index.html"  # Gevinstrealisering's
    for page in [*(out / "faktorer").rglob("index.html"), area]:
        assert "Gevinstrealisering og nytte" in page.read_text(encoding="utf-8"), page
    page = (out / "faktorer" / "gevinstrealisering" / "index.html").read_text(encoding="utf-8")
    assert "<title>Gevinstrealisering og nytte - " in page


def test_a_page_linking_to_a_removed_anchor_fails_on_rebuild(tmp_path, inputs):
    """The chapter is unchanged, the factor page loses the anchor it links to."""
    for name in ("content", "templates"):
        shutil.copytree(inputs / name, tmp_path / name)
    args = ["--out", str(tmp_path / "site"), "--content", str(tmp_path / "content"),
            "--templates", str(tmp_path / "templates")]
    edit(tmp_path / CHAPTER, "\n\n",
         "\n\n[Å vurdere](../../faktorer/gevinstrealisering.md#hva-bør-kommunen-vurdere)\n\n")
    assert run_build("--quiet", *args).returncode == 0
    edit(tmp_path / "templates/factor.md.j2", "## Hva bør kommunen vurdere?", "## Å vurdere")
    broken = run_build("--quiet", *args)
    assert broken.returncode == 1
    assert "does not contain an anchor '#hva-bør-kommunen-vurdere'" in broken.stderr, broken.stderr


def test_a_page_that_failed_fails_again_on_the_next_build(broken):
    """Nothing is remembered from a failed build, so a warning is not lost."""
    edit(broken / CHAPTER, "\n\n", "\n\n[Se også](finnes-ikke.md)\n\n")
    args = ["--quiet", "--out", str(broken / "site"), "--content", str(broken / "content")]
    for attempt in (1, 2):
        result = run_build(*args)
        assert result.returncode == 1, attempt
        assert "finnes-ikke.md" in result.stderr, attempt


def test_material_search_indexes_every_page_of_a_rebuild(tmp_path, inputs):
    """With --search material, a rebuild indexes every page with Material's own search."""
    shutil.copytree(inputs / "data", tmp_path / "data")
    data, out = tmp_path / "data", tmp_path / "site"
    args = ["--quiet", "--search", "material", "--out", str(out), "--data", str(data)]
    assert run_build(*args).returncode == 0
    edit(data / "tabell13_spearman.csv", "Gevinstrealisering,0.3", "Gevinstrealisering,0.2")
    assert run_build(*args).returncode == 0
    index = json.loads((out / "search/search_index.json").read_text(encoding="utf-8"))
    indexed = {entry["location"].split("#")[0] for entry in index["docs"]}
    pages = {page.parent.relative_to(out).as_posix() + "/" for page in out.rglob("index.html")}
    assert {"" if page == "./" else page for page in pages} <= indexed


def test_stored_texts_are_pruned_to_the_newest(tmp_path):
    from report.cache import KEEP_TEXTS, Cache

    cache = Cache(tmp_path / "cache")
    for number in range(KEEP_TEXTS + 5):
        cache.store_text("svg", f"key{number}", f"<svg>{number}</svg>")
    kept = sorted(path.stem for path in (tmp_path / "cache" / "svg").iterdir())
    assert len(kept) == KEEP_TEXTS
    gone = next(f"key{n}" for n in range(KEEP_TEXTS + 5) if f"key{n}" not in kept)
    assert cache.load_text("svg", gone) is None  # a pruned text is a miss, not an error


def test_a_pages_subtitle_reaches_the_sidebar_of_every_page(tmp_path, inputs):
    """Material's sidebar shows each page's subtitle from its front matter."""
    shutil.copytree(inputs / "templates", tmp_path / "templates")
    out, args = tmp_path / "site", ["--templates", str(tmp_path / "templates")]
    assert run_build("--quiet", "--out", str(out), *args).returncode == 0
    edit(tmp_path / "templates/quality.md.j2", "title: Datakvalitet\n",
         "title: Datakvalitet\nsubtitle: Tall som ikke stemmer\n")
    rebuilt = run_build("--out", str(out), *args)
    assert rebuilt.returncode == 0, rebuilt.stderr
    for page in out.rglob("index.html"):
        assert "Tall som ikke stemmer" in page.read_text(encoding="utf-8"), page


def test_incremental_builds_through_edits_reverts_and_commits_equal_clean_builds(tmp_path):
    """Everything that reaches the site is in the cache keys, the commit date that dates the
    sitemap included: after each step, a rebuild equals a clean build byte for byte."""
    project = copy_project(tmp_path / "project")
    day = 86400

    def git(*args: str, date: int | None = None) -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
        if date is not None:
            env.update(GIT_AUTHOR_DATE=f"@{date} +0000", GIT_COMMITTER_DATE=f"@{date} +0000")
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, env=env)

    def build(*args: str) -> subprocess.CompletedProcess:
        env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
        return subprocess.run([sys.executable, str(project / "build.py"), *args], cwd=project,
                              capture_output=True, text=True, timeout=600, env=env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "first", date=1_700_000_000)
    mean = project / "data/tabell12_deskriptiv.csv"
    template = project / "templates/home.md.j2"
    steps = [
        ("a value edited", lambda: edit(mean, '"3,2750"', '"3,3750"')),
        ("committed a day later", lambda: git("commit", "-qam", "mean", date=1_700_000_000 + day)),
        ("a template edited", lambda: edit(template, "# Automatisering", "# Automatiseringen")),
        ("the template reverted", lambda: git("checkout", "--", "templates")),
        ("the value reverted", lambda: git("revert", "--no-edit", "HEAD",
                                           date=1_700_000_000 + 2 * day)),
    ]
    assert build("--quiet").returncode == 0
    for step, change in steps:
        change()
        incremental = build()
        assert incremental.returncode == 0, (step, incremental.stderr)
        clean = build("--quiet", "--clean", "--out", str(tmp_path / "clean"))
        assert clean.returncode == 0, (step, clean.stderr)
        assert tree_digest(project / "site") == tree_digest(tmp_path / "clean"), step
    assert "2023-11-16" in (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
