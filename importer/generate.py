"""Turn the two seed texts into Markdown chapter files.

Entry point: :func:`generate` (used by ``python -m importer``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import convert as cv
from .frontpages import index_page, kilder_page
from .layout import FACTORS_CSV, SEED_FILES, THESES, Chapter, Thesis, load_yaml
from .questionnaire import questionnaire_markdown
from .references import references_markdown

MISSING_FIGURE_NOTE = "Bildet er ikke med i kildeteksten; bare figurteksten er bevart."
MISSING_TABLE_NOTE = "Tabellen er ikke med i kildeteksten; bare tabellteksten (overskriften) er bevart."
MISSING_APPENDIX_NOTE = "Innholdet i dette vedlegget mangler i kildeteksten; bare overskriften er bevart."


def parse_range(s: str) -> tuple[int, int]:
    a, _, b = str(s).partition("-")
    return int(a), int(b or a)


def load_factors(path: Path = FACTORS_CSV) -> dict[int, dict]:
    """Map 6.2 factor heading line -> factor row from data/factors.csv."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {int(r["heading_line"]): r for r in csv.DictReader(fh)}


@dataclass
class Overrides:
    headings: dict[int, int] = field(default_factory=dict)
    heading_join: dict[int, list[int]] = field(default_factory=dict)
    replace: list[dict] = field(default_factory=list)
    break_before: set[int] = field(default_factory=set)
    no_break_before: set[int] = field(default_factory=set)
    blockquote: list[tuple[int, int]] = field(default_factory=list)
    list_continuation: set[int] = field(default_factory=set)
    bold_lead: dict[int, str] = field(default_factory=dict)
    list_items: list[tuple[int, int]] = field(default_factory=list)
    drop: set[int] = field(default_factory=set)
    footnotes: list[dict] = field(default_factory=list)
    split_words: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict) -> Overrides:
        d = d or {}
        drop: set[int] = set()
        for item in d.get("drop") or []:
            a, b = parse_range(item["lines"])
            drop.update(range(a, b + 1))
        return cls(
            headings={int(k): int(v) for k, v in (d.get("headings") or {}).items()},
            heading_join={int(k): [int(x) for x in v] for k, v in (d.get("heading_join") or {}).items()},
            replace=list(d.get("replace") or []),
            break_before=set(d.get("break_before") or []),
            no_break_before=set(d.get("no_break_before") or []),
            blockquote=[parse_range(r) for r in d.get("blockquote") or []],
            list_continuation=set(d.get("list_continuation") or []),
            bold_lead={int(k): v for k, v in (d.get("bold_lead") or {}).items()},
            list_items=[parse_range(r) for r in d.get("list_items") or []],
            drop=drop,
            footnotes=list(d.get("footnotes") or []),
            split_words=[(a, b) for a, b in d.get("split_words") or []],
        )


@dataclass
class Heading:
    level: int
    text: str
    line: int
    anchor: str
    number: str = ""
    factor: dict | None = None


# ---------------------------------------------------------------------------
# Regions (tables, figures)
# ---------------------------------------------------------------------------


def caption_text(lines: list[str], no: int | None) -> str:
    if not no:
        return ""
    return cv.clean_inline(lines[no - 1].strip())


def admonition(title: str, body: str) -> str:
    indented = "\n".join(("    " + ln) if ln.strip() else "" for ln in body.split("\n"))
    return f'!!! note "{title}"\n' + indented


def render_region(region: dict, lines: list[str]) -> str:
    kind = region["kind"]
    cap = caption_text(lines, region.get("caption_line"))
    parts: list[str] = []
    if kind == "table":
        parts.append(region["markdown"].strip())
        if cap:
            parts.append(cv.italic(cap))
    elif kind == "data-table":
        parts.append(f"<!-- data-table: {region['name']} -->")
        if cap:
            parts.append(cv.italic(cap))
    elif kind == "data-figure":
        parts.append(f"<!-- data-figure: {region['name']} -->")
        parts.append(cv.italic(cap))
    elif kind == "missing-figure":
        parts.append(cv.italic(cap))
        note = region.get("note", MISSING_FIGURE_NOTE).strip()
        body = note
        if region.get("markdown"):
            body = note + "\n\n" + region["markdown"].strip()
        parts.append(admonition("Figuren mangler i kildeteksten", body))
    elif kind == "missing-table":
        parts.append(cv.italic(cap))
        parts.append(admonition("Tabellen mangler i kildeteksten", region.get("note", MISSING_TABLE_NOTE)))
    elif kind == "drop":
        return ""
    else:  # pragma: no cover - config error
        raise ValueError(f"unknown region kind {kind!r}")
    return "\n\n".join(parts)


# ---------------------------------------------------------------------------
# Chapter conversion
# ---------------------------------------------------------------------------


class ChapterBuilder:
    def __init__(self, thesis: Thesis, lines: list[str], ov: Overrides, regions: list[dict],
                 factors: dict[int, dict]):
        self.thesis = thesis
        self.lines = lines
        self.ov = ov
        self.regions = {parse_range(r["lines"])[0]: r for r in regions}
        self.factors = factors
        joined = {n for v in ov.heading_join.values() for n in v}
        self.src = cv.source_lines(lines, drop=ov.drop | joined)
        # apply line replacements
        for rep in ov.replace:
            sl = self.src.get(int(rep["line"]))
            if sl is None or rep["old"] not in sl.text:
                raise ValueError(f"override replace does not match line {rep['line']}: {rep['old']!r}")
            sl.text = sl.text.replace(rep["old"], rep["new"])
        self.quote_starts = {a for a, _ in ov.blockquote}
        self.quote_end_next: set[int] = set()
        for _, b in ov.blockquote:
            nxt = min((n for n in self.src if n > b), default=None)
            if nxt:
                self.quote_end_next.add(nxt)

    # -- helpers ---------------------------------------------------------
    def in_quote(self, no: int) -> bool:
        return any(a <= no <= b for a, b in self.ov.blockquote)

    def in_list_items(self, no: int) -> bool:
        return any(a <= no <= b for a, b in self.ov.list_items)

    def auto_quote(self, no: int) -> bool:
        return any(a <= no <= b for a, b in self.thesis.auto_quote_ranges)

    def heading_for(self, sl: cv.SrcLine, chapter: Chapter) -> tuple[int, str] | None:
        if sl.no == chapter.start:
            return chapter.heading_level, ""
        if sl.no in self.ov.headings:
            return self.ov.headings[sl.no], ""
        found = cv.numbered_heading(sl.text)
        if found and self.thesis.seed == "004":
            number, level = found
            chap_no = re.match(r"\s*(\d+)", self.lines[chapter.start - 1])
            if chap_no and number.split(".")[0] == chap_no.group(1):
                return level, number
        return None

    # -- main ------------------------------------------------------------
    def build(self, chapter: Chapter) -> tuple[str, list[dict]]:
        items: list[tuple] = []  # ("heading", Heading) | ("region", md, a, b) | ("line", SrcLine)
        used: set[str] = set()
        no = chapter.start
        while no <= chapter.end:
            if no in self.regions:
                region = self.regions[no]
                a, b = parse_range(region["lines"])
                md = render_region(region, self.lines)
                if md:
                    items.append(("region", md, a, b))
                no = b + 1
                continue
            sl = self.src.get(no)
            if sl is None:
                no += 1
                continue
            h = self.heading_for(sl, chapter)
            if h:
                level, number = h
                text = sl.text
                for extra in self.ov.heading_join.get(no, []):
                    text = text + " " + self.lines[extra - 1].strip()
                text = cv.clean_inline(text, self.ov.split_words)
                factor = self.factors.get(no) if self.thesis.seed == "004" else None
                if factor:
                    anchor = "faktor-" + factor["factor_id"]
                    used.add(anchor)
                elif self.thesis.seed == "004" and 4043 <= no <= 4896 and level == 5:
                    anchor = cv.heading_anchor("intervju-" + text, used)
                else:
                    anchor = cv.heading_anchor(text, used)
                items.append(("heading", Heading(level, text, no, anchor, number, factor)))
            else:
                items.append(("line", sl))
            no += 1
        blocks = self.render_items(items)
        sections = self.sections(items, chapter)
        return "\n\n".join(blocks) + "\n", sections

    def render_items(self, items: list[tuple]) -> list[str]:
        out: list[str] = []
        run: list[cv.SrcLine] = []

        def flush() -> None:
            if run:
                out.extend(self.render_paragraphs(list(run)))
                run.clear()

        for it in items:
            if it[0] == "line":
                run.append(it[1])
                continue
            flush()
            if it[0] == "heading":
                h: Heading = it[1]
                out.append("#" * h.level + " " + cv.escape_heading(h.text) + " { #" + h.anchor + " }")
                if h.factor:
                    out.append(f"[Les mer på faktorsiden: {h.factor['name']}]"
                               f"(../../faktorer/{h.factor['factor_id']}.md)")
            else:
                out.append(it[1])
        flush()
        return out

    def render_paragraphs(self, run: list[cv.SrcLine]) -> list[str]:
        force = set(self.ov.break_before) | self.quote_starts | self.quote_end_next
        force |= {a for a, _ in self.ov.list_items}
        paras = cv.split_paragraphs(run, self.thesis.width, force, self.ov.no_break_before)
        out: list[str] = []
        prev_kind = None  # "ol", "ul", "sub", "cont", "quote", None
        top_marker = ""  # marker of the current top-level list item
        for para in paras:
            first = para[0]
            text = cv.clean_inline(cv.join_lines([p.text for p in para]), self.ov.split_words)
            bold = self.ov.bold_lead.get(first.no)
            kind = None
            quoted = self.in_quote(first.no)
            if self.in_list_items(first.no):
                md = "- " + self.bold(text, bold)
                kind = "ul"
            elif not quoted and (m := cv.list_number(text)):
                md = f"{m.group(1)}. " + cv.escape_markdown(m.group(2))
                kind = "ol"
                top_marker = "1."
            elif not quoted and (m := cv.LIST_BULLET_RE.match(text)):
                body = cv.escape_markdown(m.group(1))
                marker = text[0]
                nested = (marker != "•" and top_marker in ("•", "1.")
                          and prev_kind in ("ol", "ul", "sub", "cont"))
                if nested:
                    md = "    - " + body
                    kind = "sub"
                else:
                    md = "- " + body
                    kind = "ul"
                    top_marker = marker
            elif first.no in self.ov.list_continuation and out:
                md = "    " + cv.escape_markdown(text)
                kind = "cont"
            elif quoted or (self.auto_quote(first.no) and cv.is_standalone_quote(text)):
                md = "> " + cv.escape_markdown(text)
                kind = "quote"
            else:
                md = self.bold(text, bold)
            if kind not in ("ol", "ul", "sub", "cont"):
                top_marker = ""
            md = self.add_footnotes(md, para)
            # tight lists: join consecutive items with a single newline
            if out and kind in ("ul", "sub") and prev_kind in ("ul", "sub", "ol") \
                    and md.startswith(("- ", "    - ")) and not (kind == "ul" and prev_kind == "ol"):
                out[-1] = out[-1] + "\n" + md
            elif out and kind == "ol" and prev_kind in ("ol", "sub"):
                out[-1] = out[-1] + "\n" + md
            elif out and kind == "quote" and prev_kind == "quote":
                out[-1] = out[-1] + "\n>\n" + md
            else:
                out.append(md)
            prev_kind = kind
        return out

    @staticmethod
    def bold(text: str, lead: str | None) -> str:
        if lead and text.startswith(lead):
            return "**" + cv.escape_markdown(lead) + "**" + cv.escape_markdown(text[len(lead):])
        return cv.escape_markdown(text)

    def add_footnotes(self, md: str, para: list[cv.SrcLine]) -> str:
        nos = {p.no for p in para}
        for fn in self.ov.footnotes:
            if int(fn["line"]) in nos:
                md += f"\n\nFotnote i kildeteksten: <{fn['text']}>"
        return md

    def sections(self, items: list[tuple], chapter: Chapter) -> list[dict]:
        heads = [it[1] for it in items if it[0] == "heading"]
        rows = []
        current_number = ""
        numbers: dict[int, str] = {}
        for h in heads:
            if h.number:
                current_number = h.number
            elif h.level == 1:
                m = re.match(r"\s*(?:Kapittel\s+)?(\d+)", h.text)
                current_number = m.group(1) if m else ""
            numbers[h.line] = current_number
        for i, h in enumerate(heads):
            end = chapter.end
            for later in heads[i + 1:]:
                if later.level <= h.level:
                    end = later.line - 1
                    break
            rows.append({
                "seed": self.thesis.seed,
                "file": chapter.file,
                "section": numbers[h.line],
                "heading": h.text,
                "anchor": h.anchor,
                "start_line": h.line,
                "end_line": end,
            })
        return rows


def build_thesis(thesis: Thesis, seeds_dir: Path) -> tuple[dict[str, str], list[dict]]:
    """Return {file name: content} and section rows for one thesis."""
    text = (seeds_dir / SEED_FILES[thesis.seed]).read_text(encoding="utf-8")
    lines = cv.read_lines(text)
    ov = Overrides.from_dict(load_yaml("overrides.yaml").get(thesis.seed))
    regions = load_yaml("tables.yaml").get(thesis.seed) or []
    factors = load_factors() if thesis.seed == "004" else {}
    builder = ChapterBuilder(thesis, lines, ov, regions, factors)
    files: dict[str, str] = {}
    sections: list[dict] = []
    chapter_md: dict[str, str] = {}
    for ch in thesis.chapters:
        if ch.file == "referanser.md":
            body = references_markdown(lines, ch.start, ch.end)
            rows = [{"seed": thesis.seed, "file": ch.file, "section": "8", "heading": "Referanser",
                     "anchor": "referanser", "start_line": ch.start, "end_line": ch.end}]
        elif ch.file == "08-vedlegg.md" and thesis.seed == "004":
            body, rows = build_appendix_004(builder, ch, lines)
        else:
            body, rows = builder.build(ch)
        chapter_md[ch.file] = body
        files[ch.file] = cv.front_matter(ch.title, ch.order, thesis.seed, f"{ch.start}-{ch.end}") + body
        sections.extend(rows)
    files["index.md"] = index_page(thesis, lines, chapter_md)
    if thesis.seed == "000":
        files["kilder.md"] = kilder_page(thesis, lines)
    return files, sections


def build_appendix_004(builder: ChapterBuilder, ch: Chapter, lines: list[str]) -> tuple[str, list[dict]]:
    """Vedlegg of seed 004: A is ordinary text, B the questionnaire, C-E and G missing."""
    from dataclasses import replace as dc_replace

    parts: list[str] = []
    rows: list[dict] = []
    # heading "Vedlegg" and appendix A (7170-7310)
    md, r = builder.build(dc_replace(ch, end=7310))
    parts.append(md.rstrip("\n"))
    rows.extend(r)
    # Vedlegg B heading + questionnaire (7311-7943)
    anchor_b = "vedlegg-b-sporreundersokelse"
    parts.append("## " + cv.clean_inline(lines[7311 - 1].strip()) + " { #" + anchor_b + " }")
    parts.append(questionnaire_markdown(lines, 7313, 7943))
    rows.append({"seed": "004", "file": ch.file, "section": "B", "heading": lines[7310].strip(),
                 "anchor": anchor_b, "start_line": 7311, "end_line": 7943})
    # C, D, E: heading only
    for no in (7944, 7945, 7946):
        text = cv.clean_inline(lines[no - 1].strip())
        anchor = cv.slugify(text)
        parts.append("## " + text + " { #" + anchor + " }")
        parts.append(admonition("Vedlegget mangler i kildeteksten", MISSING_APPENDIX_NOTE))
        rows.append({"seed": "004", "file": ch.file, "section": text.split()[1], "heading": text,
                     "anchor": anchor, "start_line": no, "end_line": no})
    # F: heading + table (7947-8033)
    md, r = builder.build(dc_replace(ch, start=7947, end=8033, heading_level=2))
    parts.append(md.rstrip("\n"))
    for row in r:
        row["section"] = "F"
    rows.extend(r)
    # G: heading only
    text = cv.clean_inline(lines[8034 - 1].strip())
    anchor = cv.slugify(text)
    parts.append("## " + text + " { #" + anchor + " }")
    parts.append(admonition("Vedlegget mangler i kildeteksten", MISSING_APPENDIX_NOTE))
    rows.append({"seed": "004", "file": ch.file, "section": "G", "heading": text,
                 "anchor": anchor, "start_line": 8034, "end_line": 8038})
    for row in rows:
        if row["heading"].startswith("Vedlegg A"):
            row["section"] = "A"
        elif row["section"] == "" or row["section"] is None:
            row["section"] = "A" if row["start_line"] < 7311 else row["section"]
    return "\n\n".join(parts) + "\n", rows


SECTION_FIELDS = ["seed", "file", "section", "heading", "anchor", "start_line", "end_line"]


def sections_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=SECTION_FIELDS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


def generate(out_dir: Path, seeds_dir: Path) -> list[Path]:
    """Write all thesis files under ``out_dir``; return the written paths."""
    written: list[Path] = []
    all_rows: list[dict] = []
    for seed in ("004", "000"):
        thesis = THESES[seed]
        files, rows = build_thesis(thesis, seeds_dir)
        tdir = out_dir / thesis.dir
        tdir.mkdir(parents=True, exist_ok=True)
        for name, content in sorted(files.items()):
            assert "{{" not in content and "{%" not in content, name
            p = tdir / name
            p.write_text(content, encoding="utf-8")
            written.append(p)
        all_rows.extend(rows)
    p = out_dir / "sections.csv"
    p.write_text(sections_csv(all_rows), encoding="utf-8")
    written.append(p)
    return written
