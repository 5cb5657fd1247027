"""The two theses as text (sources/): their lines, and a passage normalised for comparison."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .printed_pages import page_map

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


def line_numbers(lines: object) -> list[tuple[int, int]]:
    """'5034' -> [(5034, 5034)]; '4589-4591; 4600' -> [(4589, 4591), (4600, 4600)]."""
    ranges = []
    for part in str(lines).split(";"):
        first, _, last = part.strip().partition("-")
        ranges.append((int(first), int(last or first)))
    return ranges


def range_problem(lines: object, seed: str, source_dir: Path = SOURCE_DIR) -> str | None:
    """What is wrong with a line reference into a seed, or None: a range that ends before it
    starts, or one past the end of the text."""
    length = len(seed_lines(seed, source_dir))
    for first, last in line_numbers(lines):
        if last < first:
            return f"the range {first}-{last} ends before it starts"
        if last > length:
            return f"line {last} is past the end of seed {seed} ({length} lines)"
    return None


def printed_pages(seed: str, first_line: int, last_line: int,
                  source_dir: Path = SOURCE_DIR) -> tuple[int, int]:
    """The printed pages (first, last) lines first..last of a seed fall on (printed_pages.py)."""
    return _page_map(seed, source_dir, seed_lines(seed, source_dir)).pages(first_line, last_line)


@lru_cache(maxsize=4)
def _page_map(seed: str, source_dir: Path, lines: tuple[str, ...]):
    return page_map(list(lines))
