"""Map lines of a PDF-dumped thesis to its printed page numbers, calibrated on the numbers that survive.

How it works:

* Page breaks. A PDF page opens with a line that starts with a space. Inside a page, lines are separated
  by blank lines, so a break is a text line starting with a space *right after a text line*; after a blank
  line such a space is a table cell, an indented quote or a caption, not a break. A surviving page number
  is a bare number line that opens its page, followed within two lines by the page's blank first line " ".
  That it opens (not closes) its page is shown by seed 004: "86" comes just before the appendix list,
  which puts Vedlegg A, on the same page, at p. 86, and "95" just before Vedlegg C (listed at p. 95).
* Anchors are the printed numbers: those bare number lines and the entries of a table of contents with
  dot leaders ("Vedlegg B ....88"), placed at the heading they name. Of the chains of anchors whose
  numbers rise with the lines, the one whose numbers agree most often with the breaks counted between
  them wins; a number outvoted that way (or a stray "5" in a table) is not used.
* Between two anchors the breaks are counted. If the count fits the printed numbers, every line gets one
  page; if not (an image-only page left no break, or a false break), a line gets the range of pages that
  covers every way the breaks could be spread.
* Before the first anchor and after the last, pages are counted on from the nearest anchor, with no second
  number to test them against: `PageMap.calibrated` is False there. Lines that count to page 0 or below
  are front matter (title page, preface, summary: roman or no numbers) and get the sentinel FRONT_MATTER.
"""

import re
from dataclasses import dataclass
from itertools import accumulate, pairwise

FRONT_MATTER = 0  # page of lines before printed page 1; cite_pages refuses it: cite them by heading

_BARE_NUMBER = re.compile(r"\s*(\d{1,3})\s*")
_TOC_ENTRY = re.compile(r"\s*(\S.*?)\s*(?:\.{4,}|…{2,})\s*(\d{1,3})\s*")


@dataclass(frozen=True)
class Anchor:
    index: int  # 0-based line index
    page: int
    opens_page: bool  # the line opens its page, rather than just lying on it


@dataclass(frozen=True)
class PageMap:
    low: tuple[int, ...]  # per 0-based line: lowest possible printed page
    high: tuple[int, ...]  # per 0-based line: highest possible printed page
    anchors: tuple[Anchor, ...]

    def pages(self, first_line: int, last_line: int | None = None) -> tuple[int, int]:
        """Printed pages (first, last) that the 1-based line range first_line..last_line falls on."""
        last_line = first_line if last_line is None else last_line
        if not 1 <= first_line <= last_line <= len(self.low):
            raise ValueError(f"bad line range {first_line}..{last_line} for {len(self.low)} lines")
        return self.low[first_line - 1], self.high[last_line - 1]

    def calibrated(self, line: int) -> bool:
        """True if the 1-based line lies between two printed numbers, so its page is tested against them."""
        return self.anchors[0].index <= line - 1 <= self.anchors[-1].index


def cite_pages(first: int, last: int) -> str:
    """Norwegian page citation: "s. 61" or "s. 61–62"."""
    if first < 1 or last < first:
        raise ValueError(f"no printed page to cite for {first}..{last}; cite front matter by its heading")
    return f"s. {first}" if first == last else f"s. {first}–{last}"


def _has_text(line: str) -> bool:
    return bool(line.strip())


def opens_page(lines: list[str], i: int) -> bool:
    """True if line i (0-based) is the first line of a PDF page."""
    if _BARE_NUMBER.fullmatch(lines[i]):
        return any(line.isspace() for line in lines[i + 1:i + 3])
    return i > 0 and lines[i].startswith(" ") and _has_text(lines[i]) and _has_text(lines[i - 1])


def bare_numbers(lines: list[str]) -> list[Anchor]:
    found = (_BARE_NUMBER.fullmatch(line) for line in lines)
    return [Anchor(i, int(m.group(1)), opens_page(lines, i)) for i, m in enumerate(found) if m]


def _normalise(text: str) -> str:
    return " ".join(text.replace("–", "-").replace("—", "-").split()).casefold()


def toc_anchors(lines: list[str]) -> list[Anchor]:
    """Table-of-contents entries with dot leaders, each placed at the first later heading it names."""
    entries = [(i, m.group(1), int(m.group(2))) for i, line in enumerate(lines)
               if (m := _TOC_ENTRY.fullmatch(line))]
    anchors, start = [], entries[-1][0] + 1 if entries else 0
    for _, title, page in entries:
        title = _normalise(title)
        for i in range(start, len(lines)):
            text = _normalise(lines[i])
            # a long heading may be split over two lines, so its first line need only begin the title
            if text and title.startswith(text) and 2 * len(text) >= len(title):
                anchors.append(Anchor(i, page, opens_page(lines, i)))
                start = i + 1
                break
    return anchors


def _counts(breaks: list[int], a: Anchor, b: Anchor) -> tuple[int, int]:
    """(breaks found, breaks needed) strictly between anchor a and the page of anchor b."""
    return breaks[b.index] - breaks[a.index] - b.opens_page, b.page - a.page - b.opens_page


def best_chain(candidates: list[Anchor], breaks: list[int]) -> list[Anchor]:
    """The chain of rising anchors whose numbers agree most often with the breaks between them."""
    cands = sorted(candidates, key=lambda a: a.index)
    best: list[tuple[int, list[Anchor]]] = []  # best[i]: (agreements, chain) for chains ending in cands[i]
    for i, b in enumerate(cands):
        options = [(0, [b])]
        for (agreed, chain), a in zip(best, cands[:i], strict=True):
            # a heading may share the page of the number above it, but a page cannot open twice
            if a.index < b.index and (b.page > a.page or b.page == a.page and not b.opens_page):
                found, needed = _counts(breaks, a, b)
                options.append((agreed + (found == needed), chain + [b]))
        best.append(max(options, key=lambda option: (option[0], len(option[1]))))
    return max(best, key=lambda option: (option[0], len(option[1])), default=(0, []))[1]


def _between(page: int, passed: int, found: int, needed: int) -> tuple[int, int]:
    """Page range of a line after `passed` of the `found` breaks, when `needed` lead to the next anchor."""
    false, missing = max(0, found - needed), max(0, needed - found)
    return page + max(0, passed - false), page + min(passed, needed) + missing


def page_map(lines: list[str]) -> PageMap:
    """Where each printed page begins, from the breaks in `lines`, calibrated on the surviving numbers."""
    breaks = list(accumulate(int(opens_page(lines, i)) for i in range(len(lines))))
    anchors = best_chain(bare_numbers(lines) + toc_anchors(lines), breaks)
    if not anchors:
        raise ValueError("no printed page numbers to calibrate on")

    def counted(i: int, anchor: Anchor) -> tuple[int, int]:
        page = anchor.page + breaks[i] - breaks[anchor.index]
        return page, page

    ranges = [counted(i, anchors[0]) for i in range(anchors[0].index)]
    for a, b in pairwise(anchors):
        found, needed = _counts(breaks, a, b)
        ranges.append((a.page, a.page))
        ranges += [_between(a.page, breaks[i] - breaks[a.index], found, needed)
                   for i in range(a.index + 1, b.index)]
    ranges += [counted(i, anchors[-1]) for i in range(anchors[-1].index, len(lines))]
    low, high = zip(*((max(lo, FRONT_MATTER), max(hi, FRONT_MATTER)) for lo, hi in ranges), strict=True)
    return PageMap(low, high, tuple(anchors))
