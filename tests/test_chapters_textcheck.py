""""Nothing lost": every body-text sentence of both seeds is in the generated Markdown."""

import csv
import re
from pathlib import Path

import pytest
import yaml

from importer import textcheck as tc
from importer.convert import is_page_number
from importer.layout import DEFAULT_OUT, DEFAULT_SEEDS, SEED_FILES, THESES

HERE = Path(__file__).resolve().parents[1] / "importer"


def seed_lines(seed):
    return (DEFAULT_SEEDS / SEED_FILES[seed]).read_text(encoding="utf-8")


def regions(seed):
    with open(HERE / "tables.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)[seed] or []


def own_segments(seed):
    with open(DEFAULT_OUT / "sections.csv", encoding="utf-8") as fh:
        heads = {int(r["start_line"]) for r in csv.DictReader(fh) if r["seed"] == seed}
    return heads | {r["caption_line"] for r in regions(seed) if r.get("caption_line")}


@pytest.mark.parametrize("seed", ["004", "000"])
def test_page_numbers_listed_are_page_numbers(seed):
    lines = seed_lines(seed).split("\n")
    listed = set(tc.PAGE_NUMBERS[seed])
    found = {i + 1 for i in range(len(lines)) if is_page_number(lines, i)}
    assert found == listed


@pytest.mark.parametrize("seed", ["004", "000"])
def test_nothing_lost(seed):
    thesis = THESES[seed]
    text = seed_lines(seed)
    blob = "\n".join(tc.markdown_to_text(p.read_text(encoding="utf-8"))
                     for p in sorted((DEFAULT_OUT / thesis.dir).glob("*.md")))
    ranges = [(c.start, c.end) for c in thesis.chapters]
    exclude = tc.excluded_lines(seed)
    missing = tc.missing_sentences(text, blob, ranges, exclude, own_segments(seed))
    assert missing == []


def test_textcheck_detects_a_loss():
    seed = "Første setning her. Andre setning her.\n\nTredje setning."
    assert tc.missing_sentences(seed, "Første setning her. Tredje setning.", [(1, 3)], set()) == \
        [(1, "Andre setning her.")]
    text = "Første setning her.\nAndre set- ning her. Tredje setning."
    assert tc.missing_sentences(seed, text, [(1, 3)], set()) == []


@pytest.mark.parametrize("seed", ["004", "000"])
def test_tables_keep_every_word(seed):
    """Markdown tables rebuilt from flattened lines contain every word of their source lines."""
    lines = seed_lines(seed).split("\n")
    for r in regions(seed):
        if not r.get("markdown"):
            continue
        a, b = (int(x) for x in r["lines"].split("-"))
        if r["kind"] == "missing-figure":  # Figur 8: the text moved from 2982-2997
            a, b = 2982, 2997
        src_text = " ".join(lines[n - 1] for n in range(a, b + 1) if n != r.get("title_line"))
        for broken, mended in (("Li tteraturgjennomgang", "Litteraturgjennomgang"),
                               ("l i tteratur", "litteratur")):
            src_text = src_text.replace(broken, mended)
        cap = r.get("caption_line")
        md_text = r["markdown"] + (" " + lines[cap - 1] if cap else "")
        lost = {w for w in tc.words(src_text) if w not in tc.normalise(md_text)}
        assert not lost, (r["lines"], sorted(lost))
        table_only = re.sub(r"(?m)^\d+\. ", "", r["markdown"])  # list numbers are markup
        added = {w for w in tc.words(table_only) if w not in tc.normalise(src_text)}
        assert not added, (r["lines"], sorted(added))
