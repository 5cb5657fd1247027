"""The thesis chapters in content/theses/ (written by the importer), ready for the site.

Chapters are Markdown with YAML front matter (title, order, seed, lines). A marker line
`<!-- data-table: NAME -->` or `<!-- data-figure: NAME -->` is replaced by a table rendered from
data/ through templates/tables/NAME.md.j2, so chapters and factor pages can never disagree.
`sections.csv` maps every heading to its file and anchor, so factor pages can link back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import DataError
from .load import (TITLE, TITLE_HINT, display_path, front_matter_line, read_front_matter,
                   read_utf8)

MARKER = re.compile(r"^<!-- data-(table|figure): ([a-z0-9_-]+) -->$")
THESES = {"olsen-holter-2018": "004", "ruud-2018": "000"}
SITE_DIR = "oppgaver"


@dataclass(frozen=True)
class Chapter:
    thesis: str        # folder, e.g. olsen-holter-2018
    filename: str      # e.g. 06-diskusjon.md
    title: str
    order: int
    text: str          # the file as written (front matter included)
    label: str         # path for messages

    @property
    def site_path(self) -> str:
        return f"{SITE_DIR}/{self.thesis}/{self.filename}"


def _front_matter(text: str, label: str) -> dict:
    meta, source = read_front_matter(text, label)
    for key in ("title", "order"):
        if key not in meta:
            raise DataError(f"front matter lacks '{key}'", file=label, line=1)
    if not re.fullmatch(TITLE, str(meta["title"])):
        raise DataError(f"title: expected {TITLE_HINT}", file=label,
                        line=front_matter_line(source, ("title",)))
    return meta


def load_chapters(content_dir: Path) -> list[Chapter]:
    chapters = []
    for thesis in THESES:
        folder = Path(content_dir) / "theses" / thesis
        if not folder.is_dir():
            raise DataError("folder is missing; run `python -m importer`",
                            file=display_path(folder))
        for path in sorted(folder.glob("*.md")):
            label = display_path(path)
            text = read_utf8(path)
            meta = _front_matter(text, label)
            chapters.append(Chapter(thesis, path.name, str(meta["title"]), int(meta["order"]),
                                    text, label))
    return sorted(chapters, key=lambda c: (list(THESES).index(c.thesis), c.order, c.filename))


def citation(chapters: list[Chapter], thesis: str) -> str:
    """The suggested citation on a thesis's landing page (one place states it)."""
    for chapter in chapters:
        if chapter.thesis == thesis and chapter.filename == "index.md":
            match = re.search(r"^## Foreslått kildehenvisning[^\n]*\n\n(.+?)\n", chapter.text,
                              re.M)
            if match:
                return match.group(1).strip()
            raise DataError("the landing page has no '## Foreslått kildehenvisning' paragraph",
                            file=chapter.label)
    raise DataError(f"no index.md for {thesis}", file=f"content/theses/{thesis}")


def load_sections(content_dir: Path) -> list[dict]:
    """sections.csv as rows of text (looked up about two hundred times per build)."""
    path = Path(content_dir) / "theses" / "sections.csv"
    if not path.exists():
        raise DataError("file is missing; run `python -m importer`", file=display_path(path))
    return pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")


AUTOLINK = re.compile(r"<https?://[^\s<>]+>")


def escape_html(line: str) -> str:
    """Chapters are text: any HTML in them shows as text (Markdown autolinks <https://…> stay)."""
    pieces, last = [], 0
    for link in AUTOLINK.finditer(line):
        pieces.append(line[last:link.start()].replace("<", "&lt;"))
        pieces.append(link.group(0))
        last = link.end()
    pieces.append(line[last:].replace("<", "&lt;"))
    return "".join(pieces)


def substitute_markers(chapter: Chapter, render_block) -> str:
    """Replace each marker line by render_block(kind, name); unknown names fail with the line.

    Every other line is escaped, so HTML pasted into a chapter is shown, never run.
    """
    out = []
    for number, line in enumerate(chapter.text.split("\n"), start=1):
        match = MARKER.match(line.strip())
        if not match:
            out.append(escape_html(line))
            continue
        kind, name = match.groups()
        block = render_block(kind, name)
        if block is None:
            raise DataError(f"unknown {kind} marker '{name}'", file=chapter.label, line=number)
        out.append(block.rstrip("\n"))
    return "\n".join(out)


def _named_section(rows: list[dict], section: str) -> list[dict] | None:
    """Match 'Kapittel 3, Heading' or 'Kapittel 3 – Chapter': heading first, then the chapter."""
    remainder = re.sub(r"^[Kk]apittel \d+\s*[,–-]\s*", "", section.strip())
    parts = [remainder] + [p.strip() for p in re.split(r", | – | og kapittel \d+ – ", remainder)]
    for part in parts:
        hit = [row for row in rows if row["heading"].lower() == part.lower()]
        if hit:
            return hit
    chapter = re.search(r"[Kk]apittel (\d+)", section)
    if chapter:
        hit = [row for row in rows if row["section"] == chapter.group(1)]
        if hit:
            return hit
    return None


def section_link(sections: list[dict], seed: str, section: str) -> str | None:
    """The site path (with anchor) of the heading a source reference like '2.5.3 X' names."""
    rows = [row for row in sections if row["seed"] == seed]
    number = re.match(r"^(\d+(?:\.\d+)*)\s+(.*)$", section.strip())
    if number:
        numbered = [row for row in rows if row["section"] == number.group(1)]
        rest = number.group(2).split("(")[0].strip(" –-")
        wanted = rest.split(" – ")[-1].lower()
        named = [row for row in numbered if wanted in row["heading"].lower()] \
            if rest else numbered
        candidates = named or [row for row in numbered if re.match(r"^\d", row["heading"])] \
            or numbered
    else:
        candidates = _named_section(rows, section)
    if not candidates:
        return None
    row = candidates[0]
    thesis = [t for t, s in THESES.items() if s == seed][0]
    return f"{SITE_DIR}/{thesis}/{row['file']}#{row['anchor']}"
