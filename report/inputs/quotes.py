"""The checks that every quote, every recommendation of Tabell 15 and every survey statement
occurs verbatim in its lines of the source texts."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DataError
from .evidence import field_line
from .files import display_path
from .seeds import SOURCE_DIR, normalise, passage


def occurs(quote: str, seed: str, lines: str, source_dir: Path = SOURCE_DIR,
           layout: re.Pattern | None = None) -> bool:
    return normalise(quote) in _source(seed, lines, source_dir, layout)


def _source(seed: str, lines: str, source_dir: Path, layout: re.Pattern | None) -> str:
    """The passage, without what `layout` matches (print layout between a text's words)."""
    text = passage(seed, lines, source_dir)
    return layout.sub("", text) if layout else text


def check_quotes(evidence: dict, content_dir: Path, source_dir: Path = SOURCE_DIR) -> None:
    """Every quotation in content/factors must occur verbatim in its stated seed lines."""
    for factor_id, item in evidence.items():
        path = Path(content_dir) / "factors" / f"{factor_id}.md"
        for location, quote in item.located_quotes():
            if not occurs(quote.text, quote.seed, quote.lines, source_dir):
                differs = where_it_differs(quote.text, quote.seed, quote.lines, source_dir)
                raise DataError(f"quote not found verbatim in seed {quote.seed}, lines "
                                f"{quote.lines}: {differs}",
                                file=display_path(path), line=field_line(path, location))


def check_recommendations(recommendations, data_dir: Path, source_dir: Path = SOURCE_DIR) -> None:
    """Tabell 15's recommendations are shown as the thesis's own words: each must occur
    verbatim in its source lines of seed 004, and each misprint it marks [sic] occur in it once."""
    path = Path(data_dir) / "tabell15_anbefalinger.csv"
    _check_rows(recommendations, "recommendation", "source_lines", path, source_dir)
    for row in recommendations.to_dict("records"):
        for words in misprints(row["sic"]):
            if row["recommendation"].count(words) != 1:
                raise DataError(f"'{words}' must occur exactly once in the recommendation (it "
                                f"occurs {row['recommendation'].count(words)} times)",
                                file=display_path(path), row=row["_line"] - 1, line=row["_line"],
                                column="sic")


def misprints(sic: str) -> list[str]:
    """The sic column: the words that end each misprint, separated by ';'."""
    return [words.strip() for words in sic.split(";") if words.strip()]


def marked_misprints(text: str, sic: str) -> str:
    """The text with [sic] after each misprint it keeps as printed."""
    for words in misprints(sic):
        text = text.replace(words, f"{words} [sic]", 1)
    return text


# The questionnaire's answer scale, printed between the lines of a statement that a page break
# cuts (Vedlegg B): layout, not words of the statement.
ANSWER_SCALE = re.compile(r" ?(\(1\) \(2\) \(3\) \(4\) \(5\)|Helt uenig 1 2 3 4 Helt enig 5)")


def check_statements(items, data_dir: Path, source_dir: Path = SOURCE_DIR) -> None:
    """The self-assessment asks the survey's statements in the questionnaire's own words: each
    must occur verbatim in its lines of Vedlegg B (seed 004)."""
    _check_rows(items, "statement", "statement_lines", Path(data_dir) / "survey_items.csv",
                source_dir, layout=ANSWER_SCALE)


def _check_rows(table, text_column: str, lines_column: str, path: Path, source_dir: Path,
                layout: re.Pattern | None = None) -> None:
    for row in table.to_dict("records"):
        text, lines = row[text_column], row[lines_column]
        if not occurs(text, "004", lines, source_dir, layout):
            raise DataError(f"{text_column} not found verbatim in seed 004, lines {lines}: "
                            f"{where_it_differs(text, '004', lines, source_dir, layout)}",
                            file=display_path(path), row=row["_line"] - 1, line=row["_line"],
                            column=text_column)


def where_it_differs(text: str, seed: str, lines: str, source_dir: Path = SOURCE_DIR,
                     layout: re.Pattern | None = None) -> str:
    """Where a text stops following its source passage: the words before and after."""
    words, source = normalise(text).split(" "), f" {_source(seed, lines, source_dir, layout)} "
    agree = 0  # the most leading words found together, as whole words, in the passage
    while agree < len(words) and f" {' '.join(words[:agree + 1])} " in source:
        agree += 1
    if agree == 0:
        return f"its first word \"{words[0]}\" is not in those lines"
    return (f"it follows them up to \"…{' '.join(words[max(0, agree - 6):agree])}\", then has "
            f"\"{' '.join(words[agree:agree + 6])}…\"")
