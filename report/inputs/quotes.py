"""The source texts in sources/, and the check that a quote occurs verbatim in its line range."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..errors import DataError
from .evidence import field_line
from .files import display_path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIR = ROOT / "sources"
SEED_FILES = {"004": "004_7fb928c46b35f9ed.txt", "000": "000_aa1a458bfad4e8c4.txt"}


def normalise(text: str) -> str:
    """Whitespace and line breaks do not count; a hyphen at a line end joins the next word."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(\w)- (?=\w)", r"\1-", text)


def seed_lines(seed: str, source_dir: Path = SOURCE_DIR) -> tuple[str, ...]:
    path = source_dir / SEED_FILES[seed]
    stat = path.stat()  # a process that builds again (make serve) rereads an edited file
    return _lines(path, (stat.st_ino, stat.st_size, stat.st_mtime_ns))


@lru_cache(maxsize=4)
def _lines(path: Path, _version: tuple) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").split("\n"))


def passage(seed: str, lines: str, source_dir: Path = SOURCE_DIR) -> str:
    """The normalised text of a line range like '4589-4591' (1-based, inclusive)."""
    start, end = (int(x) for x in lines.split("-"))
    return normalise(" ".join(seed_lines(seed, source_dir)[start - 1:end]))


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
