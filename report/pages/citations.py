"""Sources as a reader can open them: the thesis, its printed page and the place on this site.

Line numbers (in data/ and content/) are for maintainers; a reader sees "Olsen og Holter 2018,
s. 61, Tabell 12", linked to that table, section or chapter on the site. Printed pages come from
the page breaks in the source text (inputs/printed_pages.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..inputs.chapters import SITE_DIR, THESES
from ..inputs.printed_pages import FRONT_MATTER, cite_pages
from ..inputs.seeds import line_numbers, printed_pages

AUTHORS = {"004": "Olsen og Holter 2018", "000": "Ruud 2018"}


@dataclass(frozen=True)
class Source:
    text: str        # e.g. "Olsen og Holter 2018, s. 61, Tabell 12"
    target: str      # docs-relative path with anchor, e.g. "oppgaver/…/05-resultater.md#tabell12"


class Citations:
    """Cites line references of the two theses by printed page, and finds their place on the site:
    the data table a marker put in a chapter, or else the narrowest section holding the lines."""

    def __init__(self, sections: list[dict], tables: dict[str, str]) -> None:
        self.sections = sections
        self.tables = tables  # marker name ('tabell12') -> chapter path on the site

    def pages(self, seed: str, lines: object) -> str:
        """'s. 61', 's. 61–62', or 'før s. 1' for the front matter, for each range of lines."""
        cited = []
        for first, last in line_numbers(lines):
            low, high = printed_pages(seed, first, last)
            text = "før s. 1" if high == FRONT_MATTER else cite_pages(max(low, 1), high)
            if text not in cited:
                cited.append(text)
        return " og ".join(cited)

    def section(self, seed: str, lines: object) -> str:
        """The site path (with anchor) of the narrowest section that holds the first line."""
        line = line_numbers(lines)[0][0]
        holding = [row for row in self.sections if row["seed"] == seed
                   and int(row["start_line"]) <= line <= int(row["end_line"])]
        row = min(holding, key=lambda row: int(row["end_line"]) - int(row["start_line"]))
        thesis = next(name for name, code in THESES.items() if code == seed)
        return f"{SITE_DIR}/{thesis}/{row['file']}#{row['anchor']}"

    def cite(self, seed: str, lines: object, what: str = "") -> Source:
        """A passage: author and year, printed page, what it is; linked to its section."""
        text = f"{AUTHORS[seed]}, {self.pages(seed, lines)}" + (f", {what}" if what else "")
        return Source(text, self.section(seed, lines))

    def table(self, name: str, caption: str, lines: list) -> Source:
        """A table of seed 004 that a chapter shows from data/ (marker `name`), cited by the pages
        its rows are printed on."""
        numbers = [number for value in lines for pair in line_numbers(value) for number in pair]
        pages = self.pages("004", f"{min(numbers)}-{max(numbers)}")
        return Source(f"{AUTHORS['004']}, {pages}, {caption}", f"{self.tables[name]}#{name}")
