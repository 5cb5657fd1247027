"""Render the results into Markdown pages and CSV downloads through the jinja2 templates.

`site_files` returns {path under the docs folder: text}; `write_tree` does the I/O. Text from data/
or content/ goes through the `text` filter, which escapes HTML, so a quote that contains markup
shows as text and never runs. Charts exist before any page is rendered: a template places one
with `{{ chart("name") }}`.
"""

from __future__ import annotations

import functools
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import escape

from .. import formatting
from ..analysis.consistency import COLUMNS as CONSISTENCY_COLUMNS
from ..analysis.items import MIN_ANSWERED_SHARE
from ..analysis.results import RATINGS, Results, by_rating
from ..analysis.stats import ALPHA
from ..errors import TemplateError
from ..inputs.chapters import THESES, citation
from ..inputs.evidence import NO_FIRST_STEPS, SEEDS
from ..inputs.files import display_path
from ..inputs.tables import DEPENDENT_VARIABLE, Study
from . import datapackage, pdf
from .chapters import marker_places, section_link, substitute_markers
from .charts import Chart
from .citations import Citations
from .limits import RENDER_MEMORY, TemplateTimeout, limits
from .svg import NARROW_SUFFIX


@dataclass(frozen=True)
class Sources:
    """Everything the pages are rendered from."""

    study: Study
    results: Results
    evidence: dict           # factor_id -> evidence.FactorEvidence
    chapters: list           # chapters.Chapter
    sections: list           # rows of content/theses/sections.csv


# Markdown's inline syntax (links and images, emphasis, code, attribute lists, table cells), as
# character references: text from data/ and content/ shows as written and never becomes markup.
MARKDOWN_INLINE = str.maketrans({char: f"&#{ord(char)};" for char in "\\`*_{}[]|"})


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«])")


def in_short(recommendation: object) -> str:
    """A recommendation in short: its first sentence that recommends ('anbefaler', 'bør'), or
    else its first, with '…' where the quote leaves text out."""
    sentences = SENTENCE_END.split(str(recommendation).strip())
    chosen = next((index for index, sentence in enumerate(sentences)
                   if re.search(r"anbefal|\bbør\b", sentence, re.IGNORECASE)), 0)
    return ("… " if chosen else "") + sentences[chosen] + \
        (" …" if chosen < len(sentences) - 1 else "")


def text(value: object) -> str:
    """Escape a value for Markdown/HTML output: HTML's special characters and Markdown's."""
    return str(escape(str(value))).translate(MARKDOWN_INLINE)


@functools.lru_cache(maxsize=4)
def make_environment(template_dir: Path) -> jinja2.Environment:
    """The templates' environment, kept for the process: make serve compiles a template again
    only when its file changes (jinja2's auto_reload)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; values are escaped with |text
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=formatting.num,
        p=formatting.p_value,
        p_is=formatting.p_is,
        ci=formatting.interval,
        printed=formatting.printed,
        pct=formatting.percent,
        lines=formatting.line_range,
        words=formatting.words,
        listing=formatting.listing,
        in_short=in_short,
        text=text,
    )
    return env


def _template_line(exc: BaseException, template_dir: Path) -> tuple[str | None, int | None]:
    """Find the template and line an exception was raised in (jinja2 rewrites tracebacks)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename or exc.name, exc.lineno
    tb = exc.__traceback__
    found = (None, None)
    root = str(template_dir.resolve())
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(root):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


LIMITS = (MemoryError, TemplateTimeout)  # raised where the template was when it hit a limit
WHY = {  # what a failure of these kinds most likely means in a template
    RecursionError: "a macro that calls itself without end?",
    MemoryError: f"the template used more than {RENDER_MEMORY >> 30} GB of memory and was "
                 "stopped: does it grow without bound?",
}


def render(env: jinja2.Environment, template_dir: Path, name: str, **context) -> str:
    """A template rendered; any failure inside a template becomes a TemplateError naming the
    template and line (a failure outside one, a bug in the build, is raised as it is)."""
    try:
        return env.get_template(name).render(**context)
    except TemplateError:
        raise  # from a template this one called (a chart), already placed
    except Exception as exc:  # noqa: BLE001 - whatever a template does wrong, say where
        filename, line = _template_line(exc, template_dir)
        if filename is None and not isinstance(exc, (jinja2.TemplateError, *LIMITS)):
            raise
        message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message \
            else " ".join(str(exc).split())[:300]
        hint = next((why for kind, why in WHY.items() if isinstance(exc, kind)), "")
        detail = f"{message} ({hint})" if message and hint else message or hint
        raise TemplateError(f"{type(exc).__name__}: {detail}",
                            file=display_path(Path(filename or template_dir / name)),
                            line=line) from None


def to_csv(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.6g")
    return buffer.getvalue()


def url_root(docs_path: str) -> str:
    """The relative path from a page's URL to the site root (directory URLs)."""
    parts = docs_path.split("/")
    depth = len(parts) - 1 if parts[-1] == "index.md" else len(parts)
    return "../" * depth


PRINTED_NUMBER = re.compile(r"-?\d*\.\d+")


def _cell(value: object) -> str:
    """A chart table's cell: a number with three decimals, a printed value with a decimal
    comma, anything else as it is."""
    if isinstance(value, float):
        return formatting.num(value, 3)
    if isinstance(value, str) and PRINTED_NUMBER.fullmatch(value):
        return formatting.printed(value)
    return str(value)


def spec_json(chart: Chart) -> str:
    return json.dumps(chart.spec, ensure_ascii=False, separators=(",", ":"))


class ChartBlocks:
    """The `chart` and `chart_highlight` functions the templates call, for a page at `root`."""

    def __init__(self, env: jinja2.Environment, template_dir: Path, charts: list[Chart],
                 factors: pd.DataFrame) -> None:
        self.env, self.template_dir = env, template_dir
        self.by_name = {chart.name: chart for chart in charts}
        self.ranked = factors.sort_values("rho", ascending=False).to_dict("records")

    def _chart(self, name: str) -> Chart:
        if name not in self.by_name:  # raised inside the template, so the error names its line
            raise KeyError(f"no chart named '{name}' (charts: {', '.join(self.by_name)}; a "
                           "chart is made by a function listed in all_charts, report/pages/charts.py)")
        return self.by_name[name]

    def for_page(self, root: str) -> dict:
        def chart(name: str) -> str:
            return render(self.env, self.template_dir, "chart.html.j2", c=self._chart(name),
                          root=root, cell=_cell, narrow_suffix=NARROW_SUFFIX)

        def chart_highlight(name: str, factor: dict) -> str:
            rank = next(number for number, row in enumerate(self.ranked, start=1)
                        if row["factor_id"] == factor["factor_id"])
            return render(self.env, self.template_dir, "chart_highlight.html.j2",
                          c=self._chart(name), root=root, f=self.ranked[rank - 1], rank=rank,
                          ranked=self.ranked, narrow_suffix=NARROW_SUFFIX)

        return {"chart": chart, "chart_highlight": chart_highlight}


def chart_specs(charts: list[Chart]) -> dict[str, str]:
    """Each chart's spec, for the pages that load it. The SVG fallbacks are drawn apart (svg.py):
    they do not change the Markdown."""
    return {f"assets/charts/{chart.name}.vl.json": spec_json(chart) for chart in charts}


def overview_frame(results: Results) -> pd.DataFrame:
    """The factor overview as a download: machine-readable, with dot decimals."""
    columns = {
        "factor_id": "factor_id", "name": "faktor", "area": "omrade", "n": "n_tabell12",
        "mean": "snitt", "mean_low": "snitt_ki_lav", "mean_high": "snitt_ki_hoy",
        "rho": "rho", "rho_n": "n_tabell13", "rho_low": "rho_ki_lav", "rho_high": "rho_ki_hoy",
        "p_printed": "p_trykt", "p_one": "p_ensidig_beregnet", "p_two": "p_tosidig_beregnet",
        "label": "merke_tabell13", "partial_r_printed": "partiell_r_trykt",
        "partial_p_printed": "partiell_p_trykt", "partial_label": "merke_tabell14",
        # the site's rating and what it is computed from (see analysis/results.py, rated)
        "n_used": "n_brukt", "p_used": "p_tosidig_brukt", "p_holm": "p_holm",
        "partial_p_used": "partiell_p_tosidig_brukt", "partial_p_holm": "partiell_p_holm",
        "rating": "vurdering",
    }
    return results.factors[list(columns)].rename(columns=columns)


def downloads(study: Study, results: Results, charts: list[Chart]) -> dict[str, str]:
    """Every table on the site as a CSV under data/ (the source tables as printed, and derived),
    described in datapackage.json."""
    derived = {"data/faktorer.csv": ("Faktorene med nettstedets utregninger og vurdering",
                                     overview_frame(results)),
               "data/consistency.csv": ("Kontrollen av hver trykt verdi mot en omregning",
                                        results.consistency[CONSISTENCY_COLUMNS]),
               **{f"data/charts/{chart.name}.csv": (f"Tallene bak figuren «{chart.title}»",
                                                    chart.table)
                  for chart in charts if chart.fallback}}
    files = {f"data/{name}": path.read_text(encoding="utf-8")
             for name, path in sorted(study.files.items())}
    files.update({path: to_csv(frame) for path, (_, frame) in derived.items()})
    files["datapackage.json"] = datapackage.descriptor(derived)
    return files


@dataclass(frozen=True)
class Page:
    path: str        # relative to the docs folder, e.g. "faktorer/samarbeid.md"
    template: str
    context: dict


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.to_dict("records")


def factor_pages(src: Sources, common: dict) -> list[Page]:
    rows = _records(src.results.factors)
    by_id = {row["factor_id"]: row for row in rows}
    checks = src.results.item_checks.set_index("variable")
    flags = src.results.flags
    listing = []
    for factor in rows:
        fid = factor["factor_id"]
        evidence = src.evidence[fid]
        listing.append(Page(f"faktorer/{fid}.md", "factor.md.j2", {
            **common,
            "f": factor,
            "e": evidence,
            "statements": src.study.items[src.study.items["variable"] == fid],
            "item_check": checks.loc[fid].to_dict(),
            "flags": flags[flags["factor_id"] == fid],
            "same_area": [row for row in rows
                          if row["area"] == factor["area"] and row["factor_id"] != fid],
            "discussed_with": [by_id[other] for other in evidence.discussed_with],
        }))
    return listing


def area_pages(src: Sources, common: dict) -> list[Page]:
    factors = common["by_rating"]
    listing = []
    for area in _records(src.study.areas):
        link = section_link(src.sections, "004", f"{area['section']} {area['name']}")
        area["anchor"] = link.split("#", 1)[1] if link else ""
        listing.append(Page(f"omrader/{area['area_id']}/index.md", "area.md.j2", {
            **common, "area": area, "members": _records(factors[factors["area"] == area["name"]]),
        }))
    return listing


SELF_ASSESSMENT = "hvor-star-var-kommune.md"


def self_assessment_page(src: Sources, common: dict) -> Page:
    """The questionnaire as a form: the statements the reconstruction assigns to a factor or to
    Automatisering, grouped by area and factor, with the 2018 means to compare with."""
    items = src.study.items
    assigned = items[items["variable"] != ""]
    by_variable = {variable: group.to_dict("records")
                   for variable, group in assigned.groupby("variable", sort=False)}
    factors = src.results.factors
    areas = [{"name": area.name, "area_id": area.area_id, "factors": [
                {**factor, "statements": by_variable.get(factor["factor_id"], [])}
                for factor in _records(factors[factors["area"] == area.name])]}
             for area in src.study.areas.itertuples()]
    checks = src.results.item_checks
    names = {DEPENDENT_VARIABLE.lower(): DEPENDENT_VARIABLE,
             **dict(zip(factors["factor_id"], factors["name"], strict=True))}
    problem = [factor_id for factor_id in factors["factor_id"]
               if src.evidence[factor_id].problem_statements]
    return Page(SELF_ASSESSMENT, "self_assessment.md.j2", {
        **common, "areas": areas, "automation": by_variable.get(DEPENDENT_VARIABLE.lower(), []),
        "assigned": len(assigned), "left_out": len(items) - len(assigned),
        "min_share": MIN_ANSWERED_SHARE,
        "reversed": [int(item) for item in assigned.loc[assigned["reversed"].eq("true"), "item"]],
        "incomplete": [names.get(variable, variable) for variable
                       in checks.loc[checks["agrees"].eq(False), "variable"]],
        "problem": problem, "problem_names": [names[factor_id] for factor_id in problem],
    })


def pages(src: Sources) -> list[Page]:
    results = src.results
    common = {"r": results, "factors": results.factors, "ratings": RATINGS,
              "n_factors": len(results.factors),
              "by_rating": by_rating(results.factors),
              "cite": Citations(src.sections, marker_places(src.chapters)),
              "n_statements": len(src.study.items), "alpha": ALPHA,
              "sheet_pdf": pdf.sheet_path, "report_pdf": pdf.REPORT_PATH,
              "no_first_steps": NO_FIRST_STEPS,
              "citation_004": citation(src.chapters, "olsen-holter-2018"),
              "citation_000": citation(src.chapters, "ruud-2018"),
              "links": lambda seed, section: section_link(src.sections, seed, section)}
    return [
        Page("index.md", "home.md.j2", common),
        Page("metode.md", "method.md.j2", common),
        Page("faktorer/index.md", "overview.md.j2", common),
        Page("datakvalitet.md", "quality.md.j2", common),
        self_assessment_page(src, common),
        *area_pages(src, common),
        *factor_pages(src, common),
    ]


def chapter_files(src: Sources, env: jinja2.Environment, template_dir: Path,
                  blocks: ChartBlocks) -> dict[str, str]:
    """Chapters with their data markers replaced by tables rendered from data/."""
    output = {}
    for chapter in src.chapters:
        charts = blocks.for_page(url_root(chapter.site_path))

        def block(kind: str, name: str, charts: dict = charts) -> str | None:
            template = f"tables/{name}.md.j2"
            if not (template_dir / template).exists():
                return None
            return render(env, template_dir, template, study=src.study, **charts)

        output[chapter.site_path] = substitute_markers(chapter, block)
    return output


def site_files(src: Sources, charts: list[Chart], template_dir: Path) -> dict[str, str]:
    """Every page's Markdown, the charts' specs and tables, and the CSV downloads."""
    env = make_environment(template_dir)
    blocks = ChartBlocks(env, template_dir, charts, src.results.factors)
    with limits():  # the chapters first: a marker they lack would fail a page's citation
        output = chapter_files(src, env, template_dir, blocks)
        output.update({page.path: render(env, template_dir, page.template,
                                         **blocks.for_page(url_root(page.path)), **page.context)
                       for page in pages(src)})
    output.update(chart_specs(charts))
    output.update(downloads(src.study, src.results, charts))
    return output


def nav(src: Sources) -> list:
    """The site's navigation, in reading order; an area's factors as its page lists them."""
    factors = by_rating(src.results.factors)
    areas = []
    for area in src.study.areas.itertuples():
        members = [{row.name: f"faktorer/{row.factor_id}.md"}
                   for row in factors[factors["area"] == area.name].itertuples()]
        areas.append({area.name: [f"omrader/{area.area_id}/index.md", *members]})
    theses = []
    for thesis, seed in THESES.items():
        label = SEEDS[seed]
        files = [c for c in src.chapters if c.thesis == thesis]
        index = [c.site_path for c in files if c.filename == "index.md"]
        rest = [{c.title: c.site_path} for c in files if c.filename != "index.md"]
        theses.append({label: [*index, *rest]})
    return [
        {"Forside": "index.md"},
        {"Faktorene": [{"Oversikt": "faktorer/index.md"}, *areas]},
        {"Hvor står vår kommune?": SELF_ASSESSMENT},
        {"Oppgavene": theses},
        {"Metode": "metode.md"},
        {"Datakvalitet": "datakvalitet.md"},
    ]


def write_tree(files: dict[str, str | bytes], root: Path) -> None:
    for relative, content in sorted(files.items()):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
