"""The committed content/theses is exactly what the importer produces, and has the promised shape."""

import csv
import filecmp
import re
from pathlib import Path

import pytest
import yaml

from importer.generate import generate
from importer.layout import DEFAULT_OUT, DEFAULT_SEEDS, FACTORS_CSV, SEED_FILES, THESES
from importer.references import is_stray_url, reference_entries


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("theses")
    generate(out, DEFAULT_SEEDS)
    return out


def all_files(root: Path):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_rerun_reproduces_committed_output(fresh):
    assert all_files(fresh) == all_files(DEFAULT_OUT)
    for rel in all_files(fresh):
        assert filecmp.cmp(fresh / rel, DEFAULT_OUT / rel, shallow=False), \
            f"{rel} differs: re-run python -m importer"


def front_matter(text):
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end])


def test_front_matter_and_file_names(fresh):
    for thesis in THESES.values():
        files = sorted((fresh / thesis.dir).glob("*.md"))
        orders = []
        for p in files:
            assert re.fullmatch(r"(\d\d-[a-z0-9-]+|index|referanser|kilder)\.md", p.name), p.name
            text = p.read_text(encoding="utf-8")
            fm = front_matter(text)
            assert set(fm) == {"title", "order", "seed", "lines"}, p
            assert fm["seed"] == thesis.seed and isinstance(fm["order"], int)
            assert re.fullmatch(r"\d+-\d+", fm["lines"])
            orders.append(fm["order"])
            assert "{{" not in text and "{%" not in text
        assert len(orders) == len(set(orders))


def test_no_html_except_markers(fresh):
    for p in fresh.rglob("*.md"):
        for line in p.read_text(encoding="utf-8").splitlines():
            for tag in re.findall(r"<[^>\s]+", line):
                assert tag.startswith(("<!--", "<http")), (p.name, line)


def test_data_markers(fresh):
    text = "\n".join(p.read_text(encoding="utf-8") for p in (fresh / "olsen-holter-2018").glob("*.md"))
    for name in ("tabell9", "tabell12", "tabell13", "tabell14", "tabell15", "fylker"):
        assert text.count(f"\n\n<!-- data-table: {name} -->\n\n") == 1, name
    for name in ("figur12", "figur14"):
        assert text.count(f"<!-- data-figure: {name} -->") == 1
    assert "*Tabell 12 - Deskriptiv statistikk*" in text
    assert "Østfold 5" not in text and "Mål_Om_Digitalisering 73" not in text


def test_factor_headings_link_to_factor_pages(fresh):
    text = (fresh / "olsen-holter-2018" / "06-diskusjon.md").read_text(encoding="utf-8")
    with open(FACTORS_CSV, encoding="utf-8") as fh:
        factors = list(csv.DictReader(fh))
    assert len(factors) == 17
    for f in factors:
        block = (f"#### {f['name']} {{ #faktor-{f['factor_id']} }}\n\n"
                 f"[Les mer på faktorsiden: {f['name']}](../../faktorer/{f['factor_id']}.md)\n")
        assert block in text, f["factor_id"]


def test_sections_csv(fresh):
    with open(fresh / "sections.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["seed", "file", "section", "heading", "anchor", "start_line", "end_line"]
    for r in rows:
        md = (fresh / THESES[r["seed"]].dir / r["file"]).read_text(encoding="utf-8")
        assert f"{{ #{r['anchor']} }}" in md, r
        assert int(r["start_line"]) <= int(r["end_line"])
    by_line = {(r["seed"], int(r["start_line"])): r for r in rows}
    assert by_line[("004", 6184)]["anchor"] == "faktor-gevinstrealisering"
    assert by_line[("004", 6184)]["section"] == "6.2.3"
    assert by_line[("004", 2158)]["section"] == "2.5.3"
    assert by_line[("004", 4574)]["anchor"] == "intervju-gevinstrealisering"


def test_references_004():
    lines = (DEFAULT_SEEDS / SEED_FILES["004"]).read_text(encoding="utf-8").split("\n")
    entries = reference_entries(lines, 6785, 7169)
    assert len(entries) == 78
    joined = " ".join(t for _, _, t in entries)
    stray = [lines[i] for i in range(6785, 7169) if is_stray_url(lines, i)]
    assert len(stray) == 31
    for url in stray:  # every dropped URL is kept in its entry
        assert url.rstrip(".") in joined, url
    assert all(not t.startswith("http") for _, _, t in entries)


def test_headings_structure(fresh):
    ch2 = (fresh / "olsen-holter-2018" / "02-litteratur-og-tidligere-forskning.md").read_text(
        encoding="utf-8")
    assert "### 2.2.2 Automatiseringsstrategi for samarbeid med maskiner og programvare {" in ch2
    assert "## 2.1 Den digitale transformasjon og digitalisering {" in ch2
    ch5 = (fresh / "olsen-holter-2018" / "05-resultater.md").read_text(encoding="utf-8")
    assert "#### Teknologiske faktorer {" in ch5 and "##### Infrastruktur { #intervju-infrastruktur }" in ch5
    assert ch5.count("\n> «") >= 20
    ruud4 = (fresh / "ruud-2018" / "04-digitalisering-i-husbanken.md").read_text(encoding="utf-8")
    assert ruud4.count("\n> ") >= 21
    ruud = "".join(p.read_text(encoding="utf-8") for p in (fresh / "ruud-2018").glob("0*.md"))
    assert "Læringsmål" not in ruud


def test_index_pages(fresh):
    i004 = (fresh / "olsen-holter-2018" / "index.md").read_text(encoding="utf-8")
    assert "Tittelen mangler i kildeteksten" in i004 and "Universitetet i Agder" in i004
    i000 = (fresh / "ruud-2018" / "index.md").read_text(encoding="utf-8")
    assert "Margrethe Aune og Nora Levold" in i000 and "utelatt" in i000
    kilder = (fresh / "ruud-2018" / "kilder.md").read_text(encoding="utf-8")
    assert "rekonstruert" in kilder.lower() and "Latour (1987)" in kilder
