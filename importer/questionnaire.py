"""Vedlegg B of seed 004 (the survey questionnaire) as Markdown.

The flattened survey form is rebuilt as: intro paragraphs, the three
background questions with their answer options, and the 71 Likert statements
as one numbered list per survey page ("I vår kommune.." starts a page). The
answer-scale artefacts ("(1)  (2)  (3)  (4)  (5)" and "Helt uenig 1 2 3 4 Helt
enig 5") and the blank e-mail form lines are left out.
"""

from __future__ import annotations

import re

from . import convert as cv

SCALE_ROW = re.compile(r"^\(1\)\s+\(2\)\s+\(3\)\s+\(4\)\s+\(5\)$")
SCALE_HEADER = re.compile(r"^Helt uenig 1 2 3 4 Helt enig 5$")
INLINE_SCALE = re.compile(r"\(1\)\s+\(2\)\s+\(3\)\s+\(4\)\s+\(5\)")
OPTION = re.compile(r"^\((\d+)\)\s+(.*)$")
FORM_LINE = re.compile(r"^_{5,}$")
PAGE_START = "I vår kommune.."

#: line patterns deliberately removed from the questionnaire (see textcheck)
REMOVED_PATTERNS = (SCALE_ROW, SCALE_HEADER, FORM_LINE)


def is_removed(text: str) -> bool:
    return any(p.match(text.strip()) for p in REMOVED_PATTERNS)


def questionnaire_markdown(lines: list[str], start: int, end: int, width: int = 85) -> str:
    src = cv.source_lines(lines)
    seq = [src[n] for n in range(start, end + 1) if n in src and not is_removed(src[n].text)]
    out: list[str] = []
    prose: list[cv.SrcLine] = []
    statements: list[str] = []
    options: list[str] = []
    page = 0
    counter = 0
    form_note = False

    def flush_prose() -> None:
        if prose:
            for para in cv.split_paragraphs(prose, width):
                out.append(cv.escape_markdown(cv.clean_inline(cv.join_lines([p.text for p in para]))))
            prose.clear()

    def flush_statements() -> None:
        nonlocal counter
        if statements:
            items = []
            for s in statements:
                counter += 1
                items.append(f"{counter}. " + cv.escape_markdown(cv.clean_inline(s)))
            out.append("\n".join(items))
            statements.clear()

    def flush_options() -> None:
        if options:
            out.append("\n".join("- " + o for o in options))
            options.clear()

    in_statement = False
    for sl in seq:
        t = sl.text
        if t == PAGE_START:
            flush_prose()
            flush_options()
            flush_statements()
            page += 1
            out.append(f"### Påstander, side {page} {{ #pastander-side-{page} }}")
            out.append("*I vår kommune..*")
            in_statement = False
            continue
        if page and t.startswith(".."):
            statements.append(INLINE_SCALE.sub("", t).strip())
            in_statement = True
            continue
        if page and in_statement and not t.endswith(("!", ".")) and not t.startswith("Takk"):
            statements[-1] = cv.join_lines([statements[-1], t])
            continue
        m = OPTION.match(t)
        if m and not page:
            flush_prose()
            options.append(f"({m.group(1)}) " + cv.escape_markdown(m.group(2)))
            continue
        if t.endswith("?") and not page:
            flush_prose()
            flush_options()
            out.append(f"### {cv.escape_heading(t)} {{ #{cv.slugify(t)} }}")
            continue
        # running text (intro, instructions, closing form)
        flush_options()
        flush_statements()
        in_statement = False
        prose.append(sl)
        if t.startswith("E-postadresse for mottagelse"):
            form_note = True
    flush_prose()
    flush_options()
    flush_statements()
    if form_note:
        out.append("*(Skjemaet har her tomme linjer for e-postadresse.)*")
    return "\n\n".join(out)
