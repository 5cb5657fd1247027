"""Read the thesis chapters in content/theses/ (written by the importer) and their section index.

Chapters are Markdown with YAML front matter (title, order, seed, lines). `sections.csv` maps every
heading to its file and anchor, so factor pages can link back (see pages/chapters.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataError
from .files import display_path, front_matter_line, listed, read_front_matter, read_utf8
from .tables import TITLE, TITLE_HINT

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
        for path in listed(folder, "*.md"):
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
