"""Read the curated evidence in content/factors/, validated with pydantic.

Each file is YAML front matter (see content/factors/FORMAT.md). Errors name the file, the line
in it and the field, like the data errors do.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import DataError
from .files import display_path, front_matter_line, listed, read_front_matter, read_utf8
from .seeds import range_problem

LINES = re.compile(r"^\d+-\d+$")
SEEDS = {"004": "Olsen og Holter (2018)", "000": "Ruud (2018)"}


# Where the thesis gives no step beyond its recommendation, the page and the faktaark say so.
NO_FIRST_STEPS = "Oppgaven gir ingen konkrete steg utover anbefalingen over."


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _lines(value: str) -> str:
    if not LINES.match(value):
        raise ValueError("must be a line range like '4589-4591'")
    start, end = (int(x) for x in value.split("-"))
    if start > end:
        raise ValueError("the range ends before it starts")
    return value


def _no_digits(value: str) -> str:
    """Numbers on the site come from data/ through the analysis, never typed into prose."""
    if re.search(r"\d", value):
        raise ValueError("prose must not contain digits: numbers come from data/")
    return value


class Quote(Strict):
    text: str = Field(min_length=3)
    respondent: str = Field(min_length=1)
    section: str = Field(min_length=1)
    seed: Literal["004", "000"]
    lines: str

    _check_lines = field_validator("lines")(_lines)

    @property
    def source(self) -> str:
        return SEEDS[self.seed]


# What a one-page faktaark holds (pages/pdf.py): longer texts belong on the factor page only.
SHEET_TEXT = 450


class Step(Strict):
    text: str = Field(min_length=3, max_length=SHEET_TEXT)
    quote: bool = False
    section: str
    lines: str

    _check_lines = field_validator("lines")(_lines)


class Interviews(Strict):
    summary: str = Field(min_length=10)
    quotes: list[Quote]

    _check_summary = field_validator("summary")(_no_digits)


class Literature(Strict):
    section: str
    lines: str
    works: list[str]
    summary: str = Field(min_length=10)

    _check_lines = field_validator("lines")(_lines)


class Discussion(Strict):
    section: str
    lines: str
    summary: str = Field(min_length=10)

    _check_lines = field_validator("lines")(_lines)
    _check_summary = field_validator("summary")(_no_digits)


class Husbanken(Strict):
    summary: str = Field(min_length=10)
    chapter: str | None
    quotes: list[Quote]


class Consideration(Strict):
    """Something the theses say a municipality should weigh: a precondition, a risk, or how
    municipalities differ (small and large, sectors). In the site's words, attributed."""

    kind: Literal["forutsetning", "risiko", "forskjeller"]
    text: str = Field(min_length=10, max_length=SHEET_TEXT)
    seed: Literal["004", "000"]
    section: str = Field(min_length=1)
    lines: str

    _check_lines = field_validator("lines")(_lines)
    _check_text = field_validator("text")(_no_digits)


class FactorEvidence(Strict):
    factor_id: str
    what: str = Field(min_length=20, max_length=SHEET_TEXT)  # what it is, in plain words
    consider: list[Consideration] = Field(max_length=6)  # "Hva bør kommunen vurdere?"; [] if silent
    summary: str = Field(min_length=20)
    # never a sentence of Tabell 15's recommendation, which the page shows just above them
    first_steps: list[Step] = Field(max_length=5)
    interviews: Interviews
    literature: list[Literature]
    discussion: Discussion
    husbanken: Husbanken
    discussed_with: list[str]
    aliases: list[str] = []   # words readers use for this factor (shown, and found by search)
    english: list[str] = []   # the English terms its subject goes by (shown, and found by search)
    problem_statements: bool = False  # its survey statements describe a problem (see FORMAT.md)

    _check_summary = field_validator("summary", "what")(_no_digits)

    def quotes(self) -> list[Quote]:
        """Every verbatim passage on the page: interview and Husbanken quotes, quoted steps."""
        return [quote for _, quote in self.located_quotes()]

    def located_quotes(self) -> list[tuple[tuple, Quote]]:
        """Each quote with the place of its text in the file, e.g. ('interviews', 'quotes', 0,
        'text') (content.field_line gives its line)."""
        quoted_steps = [(("first_steps", index, "text"),
                         Quote(text=s.text, respondent="Olsen og Holter", section=s.section,
                               seed="004", lines=s.lines))
                        for index, s in enumerate(self.first_steps) if s.quote]
        return [*((("interviews", "quotes", index, "text"), quote)
                  for index, quote in enumerate(self.interviews.quotes)),
                *((("husbanken", "quotes", index, "text"), quote)
                  for index, quote in enumerate(self.husbanken.quotes)),
                *quoted_steps]


def load_evidence_file(path: Path) -> FactorEvidence:
    label = display_path(path)
    data, source = read_front_matter(read_utf8(path), label)
    try:
        item = FactorEvidence.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        location = tuple(error["loc"])
        field = ".".join(str(part) for part in location)
        raise DataError(f"{field}: {error['msg']}", file=label,
                        line=front_matter_line(source, location), column=None) from None
    for location, seed, lines in line_references(item.model_dump()):
        problem = range_problem(lines, seed)
        if problem:
            raise DataError(f"{'.'.join(map(str, location))}: {problem}", file=label,
                            line=front_matter_line(source, location))
    return item


def line_references(value, location: tuple = ()):
    """(location, seed, lines) of every `lines` field in the evidence; seed 004 unless the
    field's own record names another."""
    if isinstance(value, dict):
        if "lines" in value:
            yield (*location, "lines"), value.get("seed", "004"), value["lines"]
        for key, inner in value.items():
            yield from line_references(inner, (*location, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from line_references(inner, (*location, index))


def field_line(path: Path, location: tuple) -> int | None:
    """The line of a field in a content file, e.g. ('interviews', 'quotes', 0, 'text')."""
    _, source = read_front_matter(read_utf8(path), display_path(path))
    return front_matter_line(source, location)


def load_evidence(content_dir: Path, factor_ids: list[str]) -> dict[str, FactorEvidence]:
    """One evidence file per factor in the catalogue, and no others."""
    folder = Path(content_dir) / "factors"
    evidence = {}
    for factor_id in factor_ids:
        path = folder / f"{factor_id}.md"
        item = load_evidence_file(path)
        if item.factor_id != factor_id:
            raise DataError(f"factor_id '{item.factor_id}' does not match the file name",
                            file=display_path(path), line=2)
        unknown = [index for index, other in enumerate(item.discussed_with)
                   if other not in factor_ids]
        if unknown:
            raise DataError(f"discussed_with: unknown factor_id "
                            f"'{item.discussed_with[unknown[0]]}'", file=display_path(path),
                            line=field_line(path, ("discussed_with", unknown[0])))
        evidence[factor_id] = item
    extra = sorted(p.stem for p in listed(folder, "*.md")
                   if p.stem not in factor_ids and p.name != "FORMAT.md")
    if extra:
        raise DataError(f"no factor '{extra[0]}' in data/factors.csv for this file",
                        file=display_path(folder / f"{extra[0]}.md"))
    return evidence
