"""Pure text-conversion helpers for the PDF text dumps.

Everything here works on plain strings or on :class:`SrcLine` records and has
no file-system side effects, so it can be unit-tested in isolation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import yaml

# Characters that end a sentence (or a quoted sentence) at the end of a line.
SENTENCE_END = tuple('.!?:»”")')

LIST_BULLET_RE = re.compile(r"^[•–-]\s+(.*)$")
LIST_NUMBER_RE = re.compile(r"^(\d{1,2})[.)]\s+(.*)$")
NUMBERED_HEADING_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,2})\.?\s+([A-ZÆØÅ«].*)$")
URL_RE = re.compile(r"^https?://\S+$")


@dataclass
class SrcLine:
    """One non-blank source line with the layout hints the PDF dump keeps."""

    no: int  # 1-based line number in the seed file
    raw: str  # the line exactly as in the file
    text: str = ""  # stripped text
    trailing: int = 0  # number of trailing spaces
    blank_before: int = 0  # empty / whitespace-only / removed lines just before
    ws_before: bool = False  # a whitespace-only line is among those just before

    def __post_init__(self) -> None:
        if not self.text:
            self.text = self.raw.strip()
        self.trailing = len(self.raw) - len(self.raw.rstrip(" \t"))


def read_lines(text: str) -> list[str]:
    """Split a seed text into lines; index 0 is line 1."""
    return text.split("\n")


def is_blank(raw: str) -> bool:
    return raw.strip() == ""


def is_page_number(lines: list[str], idx: int) -> bool:
    """True if ``lines[idx]`` (0-based) is a bare page number.

    In these dumps a page number sits alone on its line at the top of a page,
    after a run of at least two empty lines.  Table values that merely look
    like page numbers (the county counts "5" and "3" in seed 004) are preceded
    by a single empty line and are therefore kept.
    """
    if not re.fullmatch(r"\s*\d{1,3}\s*", lines[idx]):
        return False
    run = 0
    j = idx - 1
    while j >= 0 and lines[j] == "":
        run += 1
        j -= 1
    return run >= 2


def source_lines(lines: list[str], drop: set[int] | None = None) -> dict[int, SrcLine]:
    """Build :class:`SrcLine` records for every non-blank, non-page-number line.

    ``drop`` holds 1-based line numbers removed on purpose (counted as blank).
    Returns a mapping from line number to record.
    """
    drop = drop or set()
    out: dict[int, SrcLine] = {}
    blanks = 0
    ws = False
    for i, raw in enumerate(lines):
        no = i + 1
        if raw == "":
            blanks += 1
            continue
        if is_blank(raw):
            blanks += 1
            ws = True
            continue
        if no in drop or is_page_number(lines, i):
            blanks += 1
            ws = True
            continue
        out[no] = SrcLine(no=no, raw=raw, blank_before=blanks, ws_before=ws)
        blanks = 0
        ws = False
    return out


# ---------------------------------------------------------------------------
# Word-level repairs
# ---------------------------------------------------------------------------

def mend_split_words(text: str, fixes: list[tuple[str, str]]) -> str:
    """Mend words broken by a stray space, from a list of known breaks.

    ``fixes`` holds (broken, mended) pairs such as ("f ra", "fra") or
    ("kontinuer lig", "kontinuerlig"); each is replaced only where it stands
    as whole words. A general rule is not safe here: "ti l" must become "til"
    while "ha t ilgang" must become "ha tilgang", and "NHO`s vårkonferanse" or
    "innovator's dilemma" must stay, so the breaks are listed in
    ``overrides.yaml`` (``split_words``). Hyphens are never touched, so
    compounds such as "IT-systemer" stay intact.
    """
    for broken, mended in fixes:
        text = re.sub(rf"(?<![\w]){re.escape(broken)}(?![\w])", mended, text)
    return text


_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\w) +([,.;])(?=\s|$)")


def fix_space_before_punctuation(text: str) -> str:
    """Remove a stray space before a comma, full stop or semicolon."""
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


# Prefixes whose hyphen is a real compound hyphen even before a lowercase word.
KEEP_HYPHEN_PREFIXES = ("ikke", "Ikke")


def join_hyphenated(left: str, right: str) -> str:
    """Join two line fragments where ``left`` ends with a hyphen.

    * suspended compounds keep hyphen and space: "Kommunal-" + "og" ->
      "Kommunal- og";
    * compound hyphens stay: "IT-" + "systemer" -> "IT-systemer",
      "Midt-" + "Norge", "30-" + "årene", "ikke-" + "signifikante";
    * a true line-end hyphenation is removed: "forholdsmessighets-" +
      "vurderinger" -> "forholdsmessighetsvurderinger".
    """
    assert left.endswith("-")
    first = right.split(" ", 1)[0]
    last = left.rsplit(" ", 1)[-1][:-1]  # the word before the hyphen
    if first in ("og", "eller", "and", "or"):
        return left + " " + right
    keep = (
        not first[:1].islower()
        or not last
        or last[-1:].isdigit()
        or any(c.isupper() for c in last[1:])  # IT-, IKT-, KR-
        or last.isupper()
        or "-" in last
        or "/" in last
        or last in KEEP_HYPHEN_PREFIXES
    )
    if keep:
        return left + right
    return left[:-1] + right


def join_lines(texts: list[str]) -> str:
    """Join the stripped lines of one paragraph into a single line."""
    out = ""
    for t in texts:
        if not out:
            out = t
        elif out.endswith("-") and not out.endswith(" -") and not out.endswith("--"):
            out = join_hyphenated(out, t)
        else:
            out = out + " " + t
    return out


def clean_inline(text: str, fixes: list[tuple[str, str]] | None = None) -> str:
    """Inline repairs applied to a joined paragraph."""
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = mend_split_words(text, fixes or [])
    text = fix_space_before_punctuation(text)
    return text.strip()


# ---------------------------------------------------------------------------
# Paragraph segmentation
# ---------------------------------------------------------------------------


def first_word(text: str) -> str:
    return text.split(" ", 1)[0]


def starts_like_sentence(text: str) -> bool:
    c = text[:1]
    return bool(c) and (c.isupper() or c.isdigit() or c in "«\"“(‘'")


MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
          "september", "oktober", "november", "desember")


def list_number(text: str) -> re.Match | None:
    """Match a numbered list item ("1. Tekst", "2) Tekst"), not a date ("27. November")."""
    m = LIST_NUMBER_RE.match(text)
    if m and first_word(m.group(2)).lower().rstrip(".,") in MONTHS:
        return None
    return m


def is_list_start(text: str) -> bool:
    return bool(LIST_BULLET_RE.match(text) or list_number(text))


def paragraph_break(prev: SrcLine, nxt: SrcLine, width: int) -> bool:
    """Decide whether a paragraph ends between two consecutive text lines.

    A line that does not end a sentence followed by one starting in lower
    case always continues the paragraph. Otherwise, hints, strongest first:
    a whitespace-only line or a run of three or more
    empty lines between them; two or more trailing spaces on ``prev``; a list
    marker starting ``nxt``; and finally the reflow test: ``prev`` ends a
    sentence, ``nxt`` starts like one, and the first word of ``nxt`` would
    have fitted on ``prev`` (so the line break was not forced by the margin).
    """
    if not prev.text.endswith(SENTENCE_END) and nxt.text[:1].islower():
        return False  # mid-sentence: whatever the layout hints say
    if nxt.ws_before or nxt.blank_before >= 3:
        return True
    if prev.trailing >= 2:
        return True
    if is_list_start(nxt.text):
        return True
    p = prev.text
    if nxt.text.startswith("(") and p.endswith(("»", '"', "”")):
        return False  # a citation "(Respondent 6)." after a quotation
    if p.endswith(SENTENCE_END) and starts_like_sentence(nxt.text):
        if len(p) + 1 + len(first_word(nxt.text)) <= width:
            return True
    return False


def split_paragraphs(lines: list[SrcLine], width: int,
                     force_break: set[int] | None = None,
                     no_break: set[int] | None = None) -> list[list[SrcLine]]:
    """Group consecutive text lines into paragraphs.

    ``force_break`` / ``no_break`` hold line numbers of lines that must / must
    not start a new paragraph (from ``overrides.yaml``).
    """
    force_break = force_break or set()
    no_break = no_break or set()
    paras: list[list[SrcLine]] = []
    for ln in lines:
        if not paras:
            paras.append([ln])
            continue
        prev = paras[-1][-1]
        if ln.no in no_break:
            brk = False
        elif ln.no in force_break:
            brk = True
        else:
            brk = paragraph_break(prev, ln, width)
        if brk:
            paras.append([ln])
        else:
            paras[-1].append(ln)
    return paras


# ---------------------------------------------------------------------------
# Headings and slugs
# ---------------------------------------------------------------------------


def numbered_heading(text: str) -> tuple[str, int] | None:
    """Return (number, level) if ``text`` looks like a numbered section heading.

    "2.1 Den digitale ..." -> ("2.1", 2); "2.2.1 Generell ..." -> ("2.2.1", 3).
    Chapter headings ("1. Innledning") are given by the chapter layout, not
    detected here, because numbered list items look the same.
    """
    t = text.strip()
    m = NUMBERED_HEADING_RE.match(t)
    if not m or len(t) > 110 or t.endswith((",", ";")):
        return None
    number = m.group(1)
    return number, number.count(".") + 1


_TRANSLIT = {"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"}


def slugify(text: str) -> str:
    """ASCII slug: lowercase, æ->ae, ø->o, å->a, other accents dropped, hyphens."""
    s = "".join(_TRANSLIT.get(c, c) for c in text)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    s = s.lower()
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-")


def heading_anchor(text: str, used: set[str]) -> str:
    """A unique, stable anchor for a heading within one file."""
    base = slugify(text) or "seksjon"
    anchor = base
    n = 2
    while anchor in used:
        anchor = f"{base}-{n}"
        n += 1
    used.add(anchor)
    return anchor


# ---------------------------------------------------------------------------
# Block quotes
# ---------------------------------------------------------------------------

_QUOTE_TAIL = re.compile(r"»[.,]?(\s*\((?:Respondent|respondent)[^)]*\)[.,]?)?\.?$")


def is_standalone_quote(text: str) -> bool:
    """True if a paragraph is one «...» quotation, optionally with a citation.

    "«Vår hindring nå ... tjenester» (Respondent 7)." -> True
    "Respondent 2 finner dette utfordrende: «Det blir ...»" -> False
    """
    t = text.strip()
    if t.startswith(".."):
        t = t.lstrip(".")
    tail = _QUOTE_TAIL.search(t)
    if not t.startswith("«") or not tail:
        return False
    body = t[: tail.start()]
    # no closing guillemet inside the quotation followed by running text
    return body.count("»") <= body.count("«") - 1


# ---------------------------------------------------------------------------
# Markdown helpers
# ---------------------------------------------------------------------------


def escape_markdown(text: str) -> str:
    """Escape the few characters that would otherwise turn into markup."""
    text = text.replace("{{", "{ {").replace("{%", "{ %")
    text = re.sub(r"(?<!\\)([*_`])", r"\\\1", text)
    text = text.replace("<", "&lt;") if re.search(r"<[A-Za-z/!]", text) else text
    # a paragraph starting with "1." or "-" or "#" must not become a list/heading
    text = re.sub(r"^(\d+)\. ", r"\1\\. ", text)
    text = re.sub(r"^([#>+])", r"\\\1", text)
    return text


def escape_heading(text: str) -> str:
    """Escape heading text (no list/heading-start escaping needed)."""
    text = text.replace("{{", "{ {").replace("{%", "{ %").replace("{", "(").replace("}", ")")
    return re.sub(r"(?<!\\)([*_`])", r"\\\1", text)


def italic(text: str) -> str:
    return "*" + escape_markdown(text) + "*"


def front_matter(title: str, order: int, seed: str, lines: str) -> str:
    fm = {"title": title, "order": order, "seed": seed, "lines": lines}
    return "---\n" + yaml.safe_dump(fm, allow_unicode=True, sort_keys=False) + "---\n\n"
