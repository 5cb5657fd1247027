"""Stage 3: render results into Markdown pages and CSV downloads through jinja2 templates.

Pure in the sense that `render_site` returns {relative path: text}; `write_tree` does the I/O.
Text from data/ or content/ goes through the `text` filter, which escapes HTML, so a quote that
contains markup shows as text and never runs.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import escape

from . import formatting
from .analyse import RATINGS, Results
from .consistency import COLUMNS as CONSISTENCY_COLUMNS
from .errors import TemplateError
from .load import Study, display_path


def text(value: object) -> str:
    """Escape a value for Markdown/HTML output (HTML special characters, table pipes)."""
    return str(escape(str(value))).replace("|", "&#124;")


def make_environment(template_dir: Path) -> jinja2.Environment:
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
        ci=formatting.interval,
        printed=formatting.printed,
        pct=formatting.percent,
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


def render(env: jinja2.Environment, template_dir: Path, name: str, **context) -> str:
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        filename, line = _template_line(exc, template_dir)
        where = display_path(Path(filename)) if filename else name
        raise TemplateError(f"{type(exc).__name__}: {exc.message or exc}", file=where,
                            line=line) from None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        filename, line = _template_line(exc, template_dir)
        if filename is None:
            raise
        raise TemplateError(f"{type(exc).__name__}: {exc}", file=display_path(Path(filename)),
                            line=line) from None


def to_csv(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.6g")
    return buffer.getvalue()


def overview_frame(results: Results) -> pd.DataFrame:
    """The factor overview as a download: machine-readable, with dot decimals."""
    columns = {
        "factor_id": "factor_id", "name": "faktor", "area": "omrade", "n": "n_tabell12",
        "mean": "snitt", "mean_low": "snitt_ki_lav", "mean_high": "snitt_ki_hoy",
        "rho": "rho", "rho_n": "n_tabell13", "rho_low": "rho_ki_lav", "rho_high": "rho_ki_hoy",
        "p_printed": "p_trykt", "p_one": "p_ensidig_beregnet", "p_two": "p_tosidig_beregnet",
        "p_holm": "p_holm", "p_bh": "p_bh", "label": "merke_tabell13",
        "partial_r_printed": "partiell_r_trykt", "partial_p_printed": "partiell_p_trykt",
        "rating": "evidensstyrke",
    }
    return results.factors[list(columns)].rename(columns=columns)


def downloads(study: Study, results: Results) -> dict[str, str]:
    """Every table on the site as a CSV under data/: the source tables as printed, and derived."""
    files = {f"data/{name}": path.read_text(encoding="utf-8")
             for name, path in sorted(study.files.items())}
    files["data/faktorer.csv"] = to_csv(overview_frame(results))
    files["data/consistency.csv"] = to_csv(results.consistency[CONSISTENCY_COLUMNS])
    return files


@dataclass(frozen=True)
class Page:
    path: str        # relative to docs/, e.g. "faktorer/samarbeid.md"
    template: str
    context: dict


def pages(results: Results) -> list[Page]:
    factors = results.factors
    common = {"r": results, "factors": factors, "ratings": RATINGS}
    listing = [
        Page("index.md", "home.md.j2", common),
        Page("metode.md", "method.md.j2", common),
        Page("faktorer/index.md", "overview.md.j2", common),
        Page("datakvalitet.md", "quality.md.j2", common),
    ]
    for factor in factors.to_dict("records"):
        listing.append(Page(f"faktorer/{factor['factor_id']}.md", "factor.md.j2",
                            {**common, "f": factor}))
    return listing


def render_site(study: Study, results: Results, template_dir: Path) -> dict[str, str]:
    env = make_environment(template_dir)
    output = {page.path: render(env, template_dir, page.template, **page.context)
              for page in pages(results)}
    output.update(downloads(study, results))
    return output


def nav(results: Results) -> list:
    """The site's navigation, in reading order."""
    factor_pages = [{row.name: f"faktorer/{row.factor_id}.md"}
                    for row in results.factors.itertuples()]
    return [
        {"Forside": "index.md"},
        {"Faktorene": [{"Oversikt": "faktorer/index.md"}, *factor_pages]},
        {"Metode": "metode.md"},
        {"Datakvalitet": "datakvalitet.md"},
    ]


def write_tree(files: dict[str, str], root: Path) -> None:
    for relative, content in sorted(files.items()):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - a debugging aid
    sys.exit("run build.py")
