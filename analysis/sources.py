"""The source texts in sources/, and the check that a quote occurs verbatim in its line range."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .errors import DataError

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "sources"
SEED_FILES = {"004": "004_7fb928c46b35f9ed.txt", "000": "000_aa1a458bfad4e8c4.txt"}


def normalise(text: str) -> str:
    """Whitespace and line breaks do not count; a hyphen at a line end joins the next word."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(\w)- (?=\w)", r"\1-", text)


def seed_lines(seed: str, source_dir: Path = SOURCE_DIR) -> tuple[str, ...]:
    path = source_dir / SEED_FILES[seed]
    stat = path.stat()  # a process that builds again (make serve, the build server) rereads
    return _lines(path, (stat.st_ino, stat.st_size, stat.st_mtime_ns))  # an edited file


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
        for quote in item.quotes():
            if not occurs(quote.text, quote.seed, quote.lines, source_dir):
                raise DataError(
                    f"quote not found verbatim in seed {quote.seed}, lines {quote.lines}:"
                    f" \"{quote.text[:60]}...\"",
                    file=f"{Path(content_dir).name}/factors/{factor_id}.md")
