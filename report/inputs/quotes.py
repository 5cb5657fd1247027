"""The checks that every quote and every recommendation of Tabell 15 occurs verbatim in its lines
of the source texts."""

from __future__ import annotations

from pathlib import Path

from ..errors import DataError
from .evidence import field_line
from .files import display_path
from .seeds import SOURCE_DIR, normalise, passage


def occurs(quote: str, seed: str, lines: str, source_dir: Path = SOURCE_DIR) -> bool:
    return normalise(quote) in passage(seed, lines, source_dir)


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
    verbatim in its source lines of seed 004."""
    for row in recommendations.to_dict("records"):
        text, lines = row["recommendation"], row["source_lines"]
        if not occurs(text, "004", lines, source_dir):
            raise DataError(f"recommendation not found verbatim in seed 004, lines {lines}: "
                            f"{where_it_differs(text, '004', lines, source_dir)}",
                            file=display_path(Path(data_dir) / "tabell15_anbefalinger.csv"),
                            row=row["_line"] - 1, line=row["_line"], column="recommendation")


def where_it_differs(text: str, seed: str, lines: str, source_dir: Path = SOURCE_DIR) -> str:
    """Where a text stops following its source passage: the words before and after."""
    words, source = normalise(text).split(" "), f" {passage(seed, lines, source_dir)} "
    agree = 0  # the most leading words found together, as whole words, in the passage
    while agree < len(words) and f" {' '.join(words[:agree + 1])} " in source:
        agree += 1
    if agree == 0:
        return f"its first word \"{words[0]}\" is not in those lines"
    return (f"it follows them up to \"…{' '.join(words[max(0, agree - 6):agree])}\", then has "
            f"\"{' '.join(words[agree:agree + 6])}…\"")
