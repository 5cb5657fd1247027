"""Rebuilding as a maintainer does: untrusted text inert, unchanged input skipped, a changed
input reaching every page it touches, and the same input giving the same bytes."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from support import CHAPTER, build_here, copy_project, edit

from report.cache import tree_digest

ROOT = Path(__file__).resolve().parent.parent


def test_broken_chart_spec_names_the_chart(tmp_path, built):
    """Chart code that makes an invalid Vega-Lite spec stops the build, naming the chart (the
    break is made in a copy of the project, as a maintainer adding a chart would make it)."""
    project = copy_project(tmp_path / "project")
    edit(project / "report/pages/charts.py",
         'spec = _base(chart.properties(height=len(data) * 20), description)',
         'spec = _base(chart.properties(height=len(data) * 20), description)\n'
         '    spec["mark"] = "sirkel"')
    out = tmp_path / "site"
    shutil.copytree(built, out)  # a site an earlier build made, as in a maintainer's checkout
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
    result = build_here("--quiet", "--out", str(out), "--data", str(tmp_path / "data"),
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
    result = build_here("--out", str(built))
    assert result.returncode == 0
    assert "nothing changed" in result.stdout
    for stage in ("analyse", "render", "mkdocs build"):
        assert stage not in result.stdout


def test_touching_a_file_is_not_a_change(built):
    (ROOT / "data" / "fylker.csv").touch()
    result = build_here("--out", str(built))
    assert "nothing changed" in result.stdout


def test_one_changed_value_reruns_analysis_and_shows_up(tmp_path, inputs):
    shutil.copytree(inputs / "data", tmp_path / "data")
    out = tmp_path / "site"
    first = build_here("--out", str(out), "--data", str(tmp_path / "data"))
    assert first.returncode == 0, first.stderr
    edit(tmp_path / "data/tabell12_deskriptiv.csv", '"3,2750"', '"3,3750"')
    second = build_here("--out", str(out), "--data", str(tmp_path / "data"))
    assert second.returncode == 0, second.stderr
    assert "analyse" in second.stdout and "mkdocs build" in second.stdout
    page = (out / "faktorer/gevinstrealisering/index.html").read_text(encoding="utf-8")
    assert "3,38" in page and "3,28" not in page


def test_template_change_reuses_the_analysis(tmp_path, inputs):
    shutil.copytree(inputs / "templates", tmp_path / "templates")
    out = tmp_path / "site"
    assert build_here("--out", str(out), "--templates", str(tmp_path / "templates")).returncode == 0
    edit(tmp_path / "templates/home.md.j2", "# Automatisering i norske kommuner",
         "# Automatisering i norske kommuner (ny)")
    second = build_here("--out", str(out), "--templates", str(tmp_path / "templates"))
    assert "analysis and charts unchanged" in second.stdout
    assert "mkdocs build" in second.stdout
    assert "(ny)" in (out / "index.html").read_text(encoding="utf-8")


def test_a_new_title_reaches_every_page_whose_navigation_shows_the_factor(tmp_path, inputs):
    """Each page's navigation shows its own section (navigation.prune): every page about the
    factors gets the new title on a rebuild, the factor's page in its <title> too."""
    shutil.copytree(inputs / "data", tmp_path / "data")
    data, out = tmp_path / "data", tmp_path / "site"
    assert build_here("--quiet", "--out", str(out), "--data", str(data)).returncode == 0
    edit(data / "factors.csv", ",Gevinstrealisering,", ",Gevinstrealisering og nytte,")
    rebuilt = build_here("--out", str(out), "--data", str(data))
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
    assert build_here("--quiet", *args).returncode == 0
    edit(tmp_path / "templates/factor.md.j2", "## Hva bør kommunen vurdere?", "## Å vurdere")
    broken = build_here("--quiet", *args)
    assert broken.returncode == 1
    assert "does not contain an anchor '#hva-bør-kommunen-vurdere'" in broken.stderr, broken.stderr


def test_a_page_that_failed_fails_again_on_the_next_build(broken):
    """Nothing is remembered from a failed build, so a warning is not lost."""
    edit(broken / CHAPTER, "\n\n", "\n\n[Se også](finnes-ikke.md)\n\n")
    args = ["--quiet", "--out", str(broken / "site"), "--content", str(broken / "content")]
    for attempt in (1, 2):
        result = build_here(*args)
        assert result.returncode == 1, attempt
        assert "finnes-ikke.md" in result.stderr, attempt


def test_material_search_indexes_every_page_of_a_rebuild(tmp_path, inputs):
    """With --search material, a rebuild indexes every page with Material's own search."""
    shutil.copytree(inputs / "data", tmp_path / "data")
    data, out = tmp_path / "data", tmp_path / "site"
    args = ["--quiet", "--search", "material", "--out", str(out), "--data", str(data)]
    assert build_here(*args).returncode == 0
    edit(data / "tabell13_spearman.csv", "Gevinstrealisering,0.3", "Gevinstrealisering,0.2")
    assert build_here(*args).returncode == 0
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
    assert build_here("--quiet", "--out", str(out), *args).returncode == 0
    edit(tmp_path / "templates/quality.md.j2", "title: Datakvalitet\n",
         "title: Datakvalitet\nsubtitle: Tall som ikke stemmer\n")
    rebuilt = build_here("--out", str(out), *args)
    assert rebuilt.returncode == 0, rebuilt.stderr
    for page in out.rglob("index.html"):
        assert "Tall som ikke stemmer" in page.read_text(encoding="utf-8"), page
