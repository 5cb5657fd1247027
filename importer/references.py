"""Reference list of seed 004 (chapter 8 Referanser) as a Markdown list."""

from __future__ import annotations

import re

from . import convert as cv

ENTRY_START = re.compile(r'^[A-ZÆØÅ"][^()]{0,100}\(\d{4}[a-z]?(?:,[^)]*)?\)')
URL_IN_TEXT = re.compile(r"https?://\S+")


def is_stray_url(lines: list[str], idx: int) -> bool:
    """A bare link URL dumped from the PDF's link layer (0-based ``idx``).

    Such lines have no trailing space and stand between empty lines or other
    bare URLs; URLs that belong to an entry carry a trailing space, follow
    the entry's "Hentet fra" line or run on directly into the next line.
    """
    raw = lines[idx]
    if not cv.URL_RE.match(raw):
        return False
    prev = lines[idx - 1] if idx > 0 else ""
    nxt = lines[idx + 1] if idx + 1 < len(lines) else ""
    return (prev == "" or bool(cv.URL_RE.match(prev))) and (nxt == "" or bool(cv.URL_RE.match(nxt)))


def reference_entries(lines: list[str], start: int, end: int) -> list[tuple[int, int, str]]:
    """Return (first line, last line, text) per reference entry.

    ``start`` is the heading line "8 Referanser"; entries follow it. Lines
    without a trailing space were broken inside a word or URL and are joined
    without a space (hyphens kept: they are part of URLs, DOIs and names).
    """
    entries: list[list] = []
    for no in range(start + 1, end + 1):
        idx = no - 1
        raw = lines[idx]
        if cv.is_blank(raw) or cv.is_page_number(lines, idx) or is_stray_url(lines, idx):
            continue
        text = raw.strip()
        if ENTRY_START.match(text) or not entries:
            entries.append([no, no, text, raw])
            continue
        e = entries[-1]
        prev_raw = e[3]
        glue = "" if prev_raw == prev_raw.rstrip() else " "
        e[2] = e[2] + glue + text
        e[1] = no
        e[3] = raw
    return [(a, b, re.sub(r"\s{2,}", " ", t)) for a, b, t, _ in entries]


def link_urls(text: str) -> str:
    """Escape Markdown in the entry text and turn URLs into autolinks."""
    out = []
    pos = 0
    for m in URL_IN_TEXT.finditer(text):
        url = m.group(0)
        tail = ""
        while url and url[-1] in ".,;":
            tail = url[-1] + tail
            url = url[:-1]
        out.append(cv.escape_markdown(text[pos:m.start()]))
        out.append(f"<{url}>{tail}")
        pos = m.end()
    out.append(cv.escape_markdown(text[pos:]))
    return "".join(out)


def references_markdown(lines: list[str], start: int, end: int) -> str:
    heading = lines[start - 1].strip()
    items = [f"- {link_urls(t)}" for _, _, t in reference_entries(lines, start, end)]
    return f"# {heading} {{ #referanser }}\n\n" + "\n".join(items) + "\n"
