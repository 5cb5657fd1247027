"""The thesis chapters as pages: data markers replaced by tables, HTML shown as text, and links
from a source reference ('6.2.3 Gevinstrealisering') to the heading on the site.

A marker line `<!-- data-table: NAME -->` or `<!-- data-figure: NAME -->` is replaced by a table
rendered from data/ through templates/tables/NAME.md.j2, so chapters and factor pages can never
disagree.
"""

from __future__ import annotations

import re

from ..errors import DataError
from ..inputs.chapters import SITE_DIR, THESES, Chapter

MARKER = re.compile(r"^<!-- data-(table|figure): ([a-z0-9_-]+) -->$")
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
        # an anchor of its own, so that a source can link to the table ("…#tabell12")
        out.append(f'<div class="data-{kind}" id="{name}" markdown>\n\n{block.rstrip()}\n\n</div>')
    return "\n".join(out)


def marker_places(chapters: list[Chapter]) -> dict[str, str]:
    """{marker name: the site path of the chapter that shows it}, e.g. {'tabell12': '…'}."""
    return {match.group(2): chapter.site_path for chapter in chapters
            for match in (MARKER.match(line.strip()) for line in chapter.text.split("\n"))
            if match}


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
