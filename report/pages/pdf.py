"""The documents people circulate: a one-page A4 faktaark per factor and the findings as one PDF
report, typeset with Typst from the same data as the pages.

Everything a document shows comes from the analysis, the evidence and the citations, gathered into
one JSON payload per document; templates/pdf/*.typ only lay it out. Fonts are Typst's own (they
come with the typst package and are embedded); the machine's fonts are never used. The charts are
vector PDFs from vl-convert (with the Liberation Sans it carries). Dates come from the build date,
so two builds of the same inputs give the same bytes. Documents are kept in the cache by a key of
their payload, templates and the tools' versions.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse

from .. import formatting
from ..analysis.results import RATINGS, Results, by_rating
from ..errors import BuildError
from ..inputs.chapters import citation
from ..inputs.evidence import NO_FIRST_STEPS, FactorEvidence
from ..inputs.seeds import passage
from .citations import AUTHORS, Citations
from .svg import draw_pdf, svg_key

PDF_DIR = "pdf"
SHEET_PAGES = 2          # a faktaark that runs longer has text no sheet can hold
LOCAL_HOSTS = {"localhost", "0.0.0.0", "::1"}  # and 127.*
NBSP = "\u00a0"  # keeps "n = 73" on one line
RESEARCH_QUESTION = "11-13"  # the thesis's research question, in seed 004 (its Sammendrag)


def sheet_path(factor_id: str) -> str:
    return f"{PDF_DIR}/faktaark-{factor_id}.pdf"


REPORT_PATH = f"{PDF_DIR}/rapport-automatisering-i-kommunene.pdf"


def first_sentence(text: str) -> str:
    """A consideration in short, for the sheet: its first sentence."""
    head, _, rest = text.partition(". ")
    return head + "." if rest else text


def strength(rho: float) -> str:
    """How strong a correlation is, in Cohen's words (the site's key figures)."""
    size = abs(rho)
    return "svak" if size < 0.3 else "middels sterk" if size < 0.5 else "sterk"


def factor_payload(factor: dict, evidence: FactorEvidence, cite: Citations,
                   site_url: str | None, flagged: set[str]) -> dict:
    """What a faktaark shows, every text and number as the factor page has it; `flagged`: the
    tables whose printed values for this factor do not hang together (Datakvalitet)."""
    num = formatting.num
    rating = RATINGS[factor["rating"]]
    t15 = cite.table("tabell15", "Tabell 15", [factor["t15_lines"]])
    return {
        "id": factor["factor_id"], "name": factor["name"], "area": factor["area"],
        "what": evidence.what,
        "rating": {"key": rating.key, "label": rating.label,
                   "meaning": rating.meaning_for(factor["rho"])},
        "recommendation": factor["recommendation"], "recommendation_source": t15.text,
        "steps": [{"text": step.text, "quote": step.quote,
                   "source": f"{step.section}, {cite.pages('004', step.lines)}"}
                  for step in evidence.first_steps],
        "no_steps": NO_FIRST_STEPS,
        "figures": [
            {"label": "Hvor enige kommunene var (snitt)",
             "value": f"{num(factor['mean'], 2)} av 5",
             "meaning": f"på skalaen 1 (helt uenig) til 5 (helt enig); N{NBSP}={NBSP}{factor['n']}, "
                        f"95 % KI {formatting.interval(factor['mean_low'], factor['mean_high'])}"},
            {"label": "Sammenheng med automatisering (ρ)", "value": num(factor["rho"], 3),
             "meaning": f"{strength(factor['rho'])} på en skala fra {formatting.MINUS}1 til 1, "
                        f"der 0 er ingen sammenheng; n{NBSP}={NBSP}{factor['n_used']}"
                        + (f" (trykt: {factor['rho_n']})"
                           if factor["n_used"] != factor["rho_n"] else "")},
            {"label": "Med de andre faktorene holdt konstant (partiell r)",
             "value": formatting.printed(factor["partial_r_printed"]),
             "meaning": ("sammenhengen står seg" if factor["partial_holds"]
                         else "sammenhengen kan ikke skilles fra de andre faktorene")
                        + ("; ⚠ trykt slik, men verdien passer ikke med den trykte p-verdien "
                           "(se faktorsiden)" if "Tabell 14" in flagged else "")},
        ],
        "consider": [{"kind": item.kind, "text": first_sentence(item.text),
                      "source": f"{AUTHORS[item.seed]}, {cite.pages(item.seed, item.lines)}"}
                     for item in evidence.consider],
        "sources": [cite.table(name, caption, [factor[line]]).text for name, caption, line in (
            ("tabell12", "Tabell 12", "t12_line"), ("tabell13", "Tabell 13", "t13_line"),
            ("tabell14", "Tabell 14", "t14_line"))] + [t15.text] + (
            [f"{AUTHORS['000']} (masteroppgave, NTNU), sidene ved hvert punkt"]
            if any(item.seed == "000" for item in evidence.consider) else []),
        "url": f"{site_url}faktorer/{factor['factor_id']}/" if site_url else None,
        "shape_key": shape_key(),
    }


def shared_explanations(results: Results) -> list[dict]:
    """The flagged values as the Datakvalitet page lists them: each explanation once, over the
    values it explains (table and factor name; the dependent variable by its own name)."""
    names = dict(zip(results.factors["factor_id"], results.factors["name"], strict=True))
    flags = results.flags
    return [{"explanation": explanation,
             "values": [f"{row.table}, {names.get(row.factor_id, row.variable)}: "
                        f"{row.quantity}" for row in group.itertuples()]}
            for explanation, group in flags.groupby("explanation", sort=False)]


def report_payload(results: Results, sheets: list[dict], citations: dict[str, list[str]]
                   ) -> dict:
    """What the report shows besides the sheets: the question, the sample, the findings, the rule
    and the flagged values, all from the analysis."""
    by_rating = {key: [sheet["name"] for sheet in sheets if sheet["rating"]["key"] == key]
                 for key in RATINGS}
    sample = results.sample
    return {
        "question": passage("004", RESEARCH_QUESTION),
        "sample": [{"label": row.label, "count": formatting.num(row.municipalities, 0)}
                   for row in results.sample_table.itertuples()],
        "response_rate": formatting.percent(results.response_rate),
        "asked": sample["asked"], "participated": sample["participated"],
        "findings": [{"key": key, "label": RATINGS[key].label, "factors": names,
                      "meaning": RATINGS[key].meaning_for(1)}
                     for key, names in by_rating.items() if names],
        "rules": [{"label": rating.label, "rule": rating.rule_for(results.tests)}
                  for rating in RATINGS.values()],
        "flags": shared_explanations(results),
        "citations": citations,
        "tests": results.tests,
    }


SHEET_ROWS = 25  # the most factors a sheet's chart shows: all of the thesis's 17


def sheet_chart(forest_spec: dict, factor_id: str) -> dict:
    """The forest plot for paper: this factor highlighted, sized for half a sheet, no legends
    (the sheet says what the shapes mean in words). With more factors than SHEET_ROWS (a larger
    catalogue), the strongest of them and this one."""
    spec = copy.deepcopy(forest_spec)
    spec.update(width=230, height=170, params=[{"name": "valgt", "value": factor_id}])
    for name, rows in spec["datasets"].items():
        if len(rows) > SHEET_ROWS and "faktor_id" in rows[0]:  # rows in the order shown
            spec["datasets"][name] = [row for index, row in enumerate(rows)
                                      if index < SHEET_ROWS - 1 or row["faktor_id"] == factor_id]
    shown = {row["faktor"] for rows in spec["datasets"].values() for row in rows if "faktor" in row}
    for layer in spec.get("layer", []):
        encoding = layer.get("encoding", {})
        for channel in encoding.values():
            if isinstance(channel, dict) and "legend" in channel:
                channel["legend"] = None
        if isinstance(encoding.get("y"), dict) and isinstance(encoding["y"].get("sort"), list):
            encoding["y"]["sort"] = [name for name in encoding["y"]["sort"] if name in shown]
        if isinstance(encoding.get("x"), dict):
            encoding["x"]["title"] = None  # the sheet's caption says what x is
    spec["config"] = {**spec.get("config", {}), "background": "white",
                      "axis": {"labelFontSize": 7, "labelLimit": 130}}
    return spec


def citation_parts(text: str) -> list[str]:
    """A citation as the thesis pages write it in Markdown, 'A *Title* B', as ['A ', 'Title', ' B']:
    the report sets the title in italics, as the page does."""
    before, _, rest = text.partition("*")
    title, _, after = rest.partition("*")
    return [before, title, after]


GLYPHS = {"circle": "●", "diamond": "◆", "triangle-down": "▼", "cross": "✚"}


def shape_key() -> str:
    """What the forest plot's shapes mean, in words: the sheet's chart has no legend."""
    from .charts import RATING_SHAPES

    return ", ".join(f"{GLYPHS[shape]} {label.lower()}" for label, shape in RATING_SHAPES.items())


def public_url(site_url: str) -> str | None:
    """The site's address as a reader could open it; None for this machine's (a preview build,
    whose PDFs must not send a reader to 127.0.0.1)."""
    host = urlparse(site_url).hostname or ""
    return None if host in LOCAL_HOSTS or host.startswith("127.") else site_url


def qr_svg(url: str) -> str:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=1, xmldecl=False)
    return buffer.getvalue().decode("utf-8")


def shared_key_parts(templates: Path, build_date: str) -> list[str]:
    """What every document depends on besides its own payload: the tools' versions, the build
    date and the Typst templates."""
    return [" ".join(f"{name}=={metadata.version(name)}"
                     for name in ("typst", "vl-convert-python", "segno")), build_date,
            *(path.read_text(encoding="utf-8")
              for path in sorted((templates / "pdf").glob("*.typ")))]


def document_key(payload: dict, charts: list[dict], shared: list[str]) -> str:
    """What a document depends on: its payload, the charts it places and the shared parts."""
    digest = hashlib.sha256()
    for part in (json.dumps([payload, charts], sort_keys=True, ensure_ascii=False), *shared):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def documents(src, forest_spec: dict, site_url: str, build_date: str, templates: Path,
              cache, work: Path) -> dict[str, bytes]:
    """{path under the site: PDF}: a faktaark per factor and the report, from the cache where
    their payload was typeset before; `work` is an empty folder to typeset in."""
    from .chapters import marker_places
    from .render import in_short

    cite = Citations(src.sections, marker_places(src.chapters))
    site_url = public_url(site_url)
    rows = by_rating(src.results.factors)
    flags = src.results.flags
    sheets = [factor_payload(row, src.evidence[row["factor_id"]], cite, site_url,
                             set(flags.loc[flags["factor_id"] == row["factor_id"], "table"]))
              for row in rows.to_dict("records")]
    common = {"authors": [AUTHORS["004"], AUTHORS["000"]], "site_url": site_url}
    jobs = {sheet_path(sheet["id"]): ("faktaark.typ", {**sheet, **common}, [sheet["id"]])
            for sheet in sheets}
    citations = {"004": citation_parts(citation(src.chapters, "olsen-holter-2018")),
                 "000": citation_parts(citation(src.chapters, "ruud-2018"))}
    report = {**report_payload(src.results, sheets, citations), **common,
              "title": "Automatisering i norske kommuner",
              "subtitle": f"Hva to masteroppgaver fra 2018 sier om {len(sheets)} faktorer, med et "
                          "faktaark for hver",
              "sheets": [{**sheet, "recommendation_short": in_short(sheet["recommendation"])}
                         for sheet in sheets]}
    jobs[REPORT_PATH] = ("rapport.typ", report, [sheet["id"] for sheet in sheets])

    sheet_charts = {sheet["id"]: sheet_chart(forest_spec, sheet["id"]) for sheet in sheets}
    shared = shared_key_parts(templates, build_date)
    keys = {path: document_key(payload, [sheet_charts[factor_id] for factor_id in factor_ids],
                               shared)
            for path, (_, payload, factor_ids) in jobs.items()}
    made = {path: cache.load_bytes("pdf", key, ".pdf") for path, key in keys.items()}
    missing = [path for path, pdf in made.items() if pdf is None]
    if not missing:
        return made
    urls = {sheet["id"]: sheet["url"] for sheet in sheets}
    for template in (templates / "pdf").glob("*.typ"):
        (work / template.name).write_bytes(template.read_bytes())
    drawn: set[str] = set()
    for path in missing:
        template, payload, factor_ids = jobs[path]
        for factor_id in sorted(set(factor_ids) - drawn):
            spec = sheet_charts[factor_id]
            chart = cache.load_bytes("pdf-chart", svg_key(spec), ".pdf")
            if chart is None:
                chart = draw_pdf("forest", spec)
                cache.store_bytes("pdf-chart", svg_key(spec), chart, ".pdf")
            (work / f"chart-{factor_id}.pdf").write_bytes(chart)
            if urls[factor_id]:
                (work / f"qr-{factor_id}.svg").write_text(qr_svg(urls[factor_id]),
                                                          encoding="utf-8")
            drawn.add(factor_id)
        made[path] = compile_document(work, template, payload, build_date)
        cache.store_bytes("pdf", keys[path], made[path], ".pdf")
    return made


def compile_document(work: Path, template: str, payload: dict, build_date: str) -> bytes:
    """Typst on a template in the work folder (which holds the templates, the charts and the QR
    codes), with the payload as data.json; a sheet that runs too long names its factor."""
    import typst

    (work / "data.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    try:
        return typst.compile(str(work / template), root=str(work), format="pdf",
                             ignore_system_fonts=True, font_paths=[],
                             timestamp=int(build_date))
    except typst.TypstError as exc:
        message = " ".join(str(exc).split())
        if "faktaark-too-long" in message:
            raise BuildError(f"the faktaark of '{payload['name']}' runs to more than "
                             f"{SHEET_PAGES} A4 pages: shorten its texts (what, first_steps, "
                             "consider)", file=f"content/factors/{payload['id']}.md") from None
        raise BuildError(f"Typst could not typeset {template}: {message[:300]}",
                         file=f"templates/pdf/{template}") from None
