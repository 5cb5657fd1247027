""""Nothing lost" check: every sentence of a seed's body text must appear in the output.

Pure functions; they take a seed text and a text blob, so the same check can
be run on the generated Markdown (via :func:`markdown_to_text`) or on the
built HTML site (via :func:`html_to_text`).

Normalisation removes all whitespace and hyphens, so the check is blind to
paragraph joining, line-end hyphenation, split words mended by the importer
("f ra" -> "fra") and stray spaces before punctuation, but not to any lost,
added or changed letter, digit or punctuation mark.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from .convert import is_page_number
from .questionnaire import FORM_LINE, INLINE_SCALE, SCALE_HEADER

# ---------------------------------------------------------------------------
# What is deliberately left out of the generated text (1-based line ranges).
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Exclusion:
    start: int
    end: int
    reason: str


#: Bare page numbers (checked against convert.is_page_number by the tests).
PAGE_NUMBERS = {
    "004": [171, 1889, 2829, 6264, 6781, 6865, 6935, 7018, 7091, 7166, 7500, 7940],
    "000": [1080, 1384, 3243],
}

EXCLUSIONS = {
    "004": [
        # flattened tables whose content is re-rendered from data/ by the pipeline
        Exclusion(3071, 3101, "Tabell 9 (data-table tabell9)"),
        Exclusion(4978, 5022, "county list (data-table fylker)"),
        Exclusion(5034, 5072, "Tabell 12 (data-table tabell12)"),
        Exclusion(5101, 5141, "Tabell 13 (data-table tabell13)"),
        Exclusion(5186, 5226, "Tabell 14 (data-table tabell14)"),
        Exclusion(6461, 6644, "Tabell 15 (data-table tabell15)"),
        # flattened tables rebuilt as Markdown tables: cell order changes, so
        # they are checked word by word instead (tests/test_importer_tables.py)
        Exclusion(839, 879, "Tabell 1 (Markdown table)"),
        Exclusion(942, 964, "Tabell 2 (Markdown table)"),
        Exclusion(1039, 1089, "Tabell 3 (Markdown table)"),
        Exclusion(1747, 1757, "Tabell 4 (Markdown table)"),
        Exclusion(2354, 2459, "Tabell 5 (Markdown table)"),
        Exclusion(2553, 2575, "Tabell 6 (Markdown list)"),
        Exclusion(2735, 2773, "Tabell 7 (Markdown table)"),
        Exclusion(3979, 4027, "Tabell 10 (Markdown table)"),
        Exclusion(4897, 4947, "Tabell 11 (Markdown table)"),
        Exclusion(7302, 7310, "factor grid in Vedlegg A (Markdown table)"),
        Exclusion(7951, 8032, "Vedlegg F (Markdown table)"),
        # displaced text of the Figur 8 boxes: moved under the Figur 8 caption,
        # checked word by word
        Exclusion(2982, 2997, "Figur 8 box text (moved)"),
        # appendix table of contents (dot leaders + page numbers)
        Exclusion(7172, 7184, "appendix table of contents"),
    ],
    "000": [
        Exclusion(1, 25, "title page (summarised on index.md)"),
        Exclusion(26, 64, "NTNU learning-goals boilerplate (left out)"),
        Exclusion(1202, 1240, "informant table (Markdown table)"),
        Exclusion(2078, 2079, "duplicated footnote URL (rendered once as a note)"),
    ],
}

#: Line patterns deliberately removed wherever they occur (questionnaire form
#: artefacts in Vedlegg B of seed 004): Likert answer boxes, the repeated scale
#: header and empty e-mail form lines.
REMOVED_LINE_PATTERNS = [INLINE_SCALE, SCALE_HEADER, FORM_LINE]

#: List markers at the start of a line: Markdown list syntax in the output
#: (ordered-list numbers and bullets are not part of the rendered text).
LIST_MARKER = re.compile(r"^(?:[•–-]|\d{1,2}[.)])\s+")

#: Stray link-URL lines in the reference list of seed 004 (URL dumps from the
#: PDF link layer; each URL also stands in its reference entry).
STRAY_URL_RANGES = {"004": [(6853, 6862), (7002, 7015), (7085, 7088), (7161, 7163)]}


def excluded_lines(seed: str) -> set[int]:
    """All 1-based line numbers deliberately left out for ``seed``."""
    out: set[int] = set(PAGE_NUMBERS.get(seed, []))
    for ex in EXCLUSIONS.get(seed, []):
        out.update(range(ex.start, ex.end + 1))
    for a, b in STRAY_URL_RANGES.get(seed, []):
        out.update(range(a, b + 1))
    return out


def clean_seed_line(raw: str) -> str:
    """A seed line without removed form artefacts and without a list marker."""
    text = raw.strip()
    for p in REMOVED_LINE_PATTERNS:
        text = p.sub("", text).strip()
    return LIST_MARKER.sub("", text)


# ---------------------------------------------------------------------------
# Normalisation and text extraction
# ---------------------------------------------------------------------------

_DROP_CHARS = re.compile(r"[\s\-\u2013\u00ad\u200b]+")


def normalise(text: str) -> str:
    """Canonical form for comparison: NFC, no whitespace, no hyphens."""
    text = unicodedata.normalize("NFC", html.unescape(text))
    return _DROP_CHARS.sub("", text)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # noqa: D401
        if tag in ("script", "style"):
            self._skip += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html_text: str) -> str:
    """Visible text of an HTML document (tags, comments, scripts dropped)."""
    p = _TextExtractor()
    p.feed(html_text)
    p.close()
    return "".join(p.parts)


def strip_front_matter(md: str) -> str:
    if md.startswith("---\n"):
        end = md.find("\n---\n", 4)
        if end != -1:
            return md[end + 5:]
    return md


def markdown_to_text(md: str) -> str:
    """Render Markdown (with the site's extensions) and return its text."""
    import markdown  # imported lazily: only the check needs it

    body = strip_front_matter(md)
    rendered = markdown.markdown(body, extensions=["tables", "attr_list", "admonition", "sane_lists"])
    return html_to_text(rendered)


# ---------------------------------------------------------------------------
# Sentences of the seed
# ---------------------------------------------------------------------------

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?»)])\s+(?=[A-ZÆØÅ«\"(])")


def seed_segments(seed_text: str, ranges: list[tuple[int, int]], exclude: set[int],
                  own_segment: set[int] | None = None) -> list[tuple[int, str]]:
    """Body text of the seed in ``ranges`` as (first line, text) segments.

    Lines in ``exclude`` and bare page numbers are skipped and end a segment.
    Lines in ``own_segment`` (headings) form a segment of their own, because
    the output may put text (anchors, links) right after a heading.
    """
    lines = seed_text.split("\n")
    own_segment = own_segment or set()
    segs: list[tuple[int, str]] = []
    cur: list[str] = []
    cur_start = 0

    def flush():
        nonlocal cur
        if cur:
            segs.append((cur_start, " ".join(cur)))
        cur = []

    for a, b in ranges:
        flush()
        for no in range(a, b + 1):
            if no in exclude or is_page_number(lines, no - 1):
                flush()
                continue
            text = clean_seed_line(lines[no - 1])
            if not text:
                if lines[no - 1].strip():
                    flush()  # a removed artefact ends the segment
                continue
            if no in own_segment:
                flush()
                segs.append((no, text))
                continue
            if not cur:
                cur_start = no
            cur.append(text)
            if any(p.search(lines[no - 1]) for p in REMOVED_LINE_PATTERNS):
                flush()  # text before a removed artefact ends the segment
        flush()
    return segs


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def missing_sentences(seed_text: str, blob: str, ranges: list[tuple[int, int]],
                      exclude: set[int], own_segment: set[int] | None = None,
                      min_chars: int = 2) -> list[tuple[int, str]]:
    """Sentences of the seed (in ``ranges``) that do not occur in ``blob``.

    ``blob`` is plain text (see :func:`markdown_to_text`, :func:`html_to_text`).
    Returns (first line of the segment, sentence) pairs; empty means nothing lost.
    """
    hay = normalise(blob)
    missing = []
    for start, seg in seed_segments(seed_text, ranges, exclude, own_segment):
        for sent in split_sentences(seg):
            n = normalise(sent)
            if len(n) >= min_chars and n not in hay:
                missing.append((start, sent))
    return missing


def words(text: str) -> list[str]:
    """Word tokens (letters/digits) used by the table word check."""
    return re.findall(r"[0-9A-Za-zÆØÅæøåÖöÄäÉéÈèÃã]+", unicodedata.normalize("NFC", text))
