"""Charts as Vega-Lite specs, built with Altair from the analysis results.

Every builder is a pure function from results to a `Chart`; `all_charts` lists them and checks
each spec against the Vega-Lite schema. The no-JavaScript fallbacks are drawn from the specs in
svg.py. The data is inline in every spec, so the site needs no other request to draw a chart.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..analysis.results import RATINGS, by_rating
from ..errors import ChartError
from ..formatting import num, printed

AREA_COLOURS = {
    "Teknologiske faktorer": "#1f77b4",
    "Prosessrelaterte faktorer": "#9467bd",
    "Organisatoriske faktorer": "#2ca02c",
    "Offentlige føringer": "#d62728",
}


@dataclass(frozen=True)
class Chart:
    name: str           # file-safe id, e.g. "forest"
    title: str          # Norwegian heading
    description: str    # Norwegian text used as the accessible name
    spec: dict          # Vega-Lite, validated
    table: pd.DataFrame  # the numbers behind it, Norwegian column names
    # (name, factor_id) of each factor a mark opens, in the chart's order: the same links, as a
    # list beside the chart, for a keyboard or a screen reader
    links: tuple = ()
    # False for a chart the page draws only from what the reader enters: no static drawing and
    # no CSV of its own (the page's table says it all)
    fallback: bool = True


def factor_links(data: pd.DataFrame) -> tuple:
    return tuple(zip(data["faktor"], data["faktor_id"], strict=True))


def _area_colour():
    import altair as alt

    return alt.Color("omrade:N", title="Område",
                     scale=alt.Scale(domain=list(AREA_COLOURS), range=list(AREA_COLOURS.values())),
                     legend=alt.Legend(orient="bottom"))


ROW_HEIGHT = 24  # pixels per factor in the charts with a row per factor

# The forest plot's point shape for each rating (the faktaark's caption names them in words)
RATING_SHAPES = dict(zip([rating.label for rating in RATINGS.values()],
                         ["circle", "diamond", "triangle-down", "cross"], strict=True))

# Settings every chart shares, added to the spec as plain Vega-Lite (Altair's .properties() and
# .configure() copy the whole chart on each call, which cost a third of the charts' time).
COMMON = {
    "autosize": {"type": "fit-x", "contains": "padding"},  # the height is the rows', legends aside
    "width": "container",
    "config": {"background": "transparent", "font": "sans-serif", "view": {"stroke": None},
               # Vega cuts legend text at 160 px and titles at 180 px; ours are longer
               "legend": {"columns": 2, "labelLimit": 300, "titleLimit": 340},
               "axis": {"labelLimit": 260}},
    # On a phone (site.js: a chart narrower than 600 px; svg.py: the narrow static SVG) these
    # settings replace the config's: shorter labels, smaller text, one-column legends.
    "usermeta": {"narrow": {"axis": {"labelLimit": 115, "labelFontSize": 9, "titleFontSize": 10},
                            "title": {"fontSize": 11, "anchor": "start"},
                            "legend": {"columns": 1, "labelFontSize": 9, "titleFontSize": 10}}},
}


def narrowed(spec: dict) -> dict:
    """The spec as a phone shows it: its usermeta.narrow settings over its config's."""
    changes = spec.get("usermeta", {}).get("narrow", {})
    config = dict(spec.get("config", {}))
    for key, values in changes.items():
        config[key] = {**config.get(key, {}), **values}
    return {**spec, "config": config}


def _base(chart, description: str) -> dict:
    """Common settings: description (aria-label), transparent background, container width. No
    title: the figure's caption on the page gives it, once."""
    spec = chart.to_dict(validate=False)  # validated once, in validate()
    spec.update(description=description, **copy.deepcopy(COMMON))
    return spec


def factor_frame(factors: pd.DataFrame, page_prefix: str) -> pd.DataFrame:
    """The per-factor rows the charts share, with the link each mark opens."""
    return pd.DataFrame({
        "faktor_id": factors["factor_id"],
        "faktor": factors["name"],
        "omrade": factors["area"],
        "rho": factors["rho"].round(3),
        "rho_lav": factors["rho_low"].round(3),
        "rho_hoy": factors["rho_high"].round(3),
        "n": factors["n_used"],  # the pairs the CI is computed with (Tabell 13's n, at most N)
        "snitt": factors["mean"].round(3),
        "snitt_lav": factors["mean_low"].round(3),
        "snitt_hoy": factors["mean_high"].round(3),
        "partiell_r": factors["partial_r"],
        "vurdering": factors["rating"].map({key: rating.label for key, rating in RATINGS.items()}),
        "url": page_prefix + factors["factor_id"] + "/",
        # Tooltips show these: formatted as the pages' tables are, since the browser's rounding
        # of a float (3.275 -> 3,27) can differ from the tables' (3,28).
        **_texts(factors, TOOLTIP_TEXTS),
    })


# The values tooltips show as text: result key -> (field in the chart data, decimals as on pages).
TOOLTIP_TEXTS = {"rho": ("rho_t", 3), "rho_low": ("rho_lav_t", 2), "rho_high": ("rho_hoy_t", 2),
                 "mean": ("snitt_t", 2), "mean_low": ("snitt_lav_t", 2),
                 "mean_high": ("snitt_hoy_t", 2)}


def _texts(values, keys) -> dict:
    """The TOOLTIP_TEXTS fields of these keys, from a frame's columns or one row (a dict)."""
    def shown(value, places):
        if isinstance(value, pd.Series):
            return value.map(lambda v: num(v, places))
        return num(value, places)

    return {TOOLTIP_TEXTS[key][0]: shown(values[key], TOOLTIP_TEXTS[key][1]) for key in keys}


def forest(factors: pd.DataFrame, page_prefix: str) -> Chart:
    """Spearman's rho with its 95 % CI for every factor; click a factor to open its page."""
    import altair as alt

    data = factor_frame(factors, page_prefix).sort_values("rho", ascending=False)
    order = list(data["faktor"])
    y = alt.Y("faktor:N", sort=order, title=None)
    tooltip = [alt.Tooltip("faktor:N", title="Faktor"), alt.Tooltip("omrade:N", title="Område"),
               alt.Tooltip("rho_t:N", title="ρ"),
               alt.Tooltip("rho_lav_t:N", title="95 % KI fra"),
               alt.Tooltip("rho_hoy_t:N", title="95 % KI til"),
               alt.Tooltip("n:Q", title="n (brukt)"), alt.Tooltip("vurdering:N", title="Vurdering")]
    # `valgt` is a top-level parameter: a factor page sets it to its own id in the browser, so
    # all factor pages share one spec file (the output grows linearly with the factors).
    opacity = alt.condition("valgt === '' || datum.faktor_id === valgt", alt.value(1.0),
                            alt.value(0.25))
    base = alt.Chart(data).encode(y=y, tooltip=tooltip, opacity=opacity)
    rule = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("rho_lav:Q", title="Spearmans ρ med 95 % konfidensintervall",
                scale=alt.Scale(domain=[-0.4, 1]), axis=alt.Axis(format=".1f")),
        x2="rho_hoy:Q", color=_area_colour())
    point = base.mark_point(size=90, filled=True, strokeWidth=2, cursor="pointer").encode(
        x="rho:Q", color=_area_colour(),
        shape=alt.Shape("vurdering:N", title="Nettstedets vurdering av sammenhengen",
                        scale=alt.Scale(domain=list(RATING_SHAPES),
                                        range=list(RATING_SHAPES.values())),
                        # its own row under the area legend would not fit beside it on a
                        # factor page: above the plot, one entry per line
                        legend=alt.Legend(orient="top", columns=1)))
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(strokeDash=[4, 4], color="#888") \
        .encode(x="x:Q")
    title = "Sammenhengen mellom hver faktor og automatisering"
    description = (f"Punktdiagram med Spearmans ρ og 95 % konfidensintervall for {len(data)}"
                   " faktorer mot automatisering, sortert fra sterkest til svakest.")
    spec = _base((zero + rule + point).properties(height=len(data) * ROW_HEIGHT),
                 description)
    spec["params"] = [{"name": "valgt", "value": ""}]
    table = data[["faktor", "omrade", "rho", "rho_lav", "rho_hoy", "n", "vurdering"]].rename(
        columns={"faktor": "Faktor", "omrade": "Område", "rho": "ρ", "rho_lav": "KI fra",
                 "rho_hoy": "KI til", "n": "n (brukt)", "vurdering": "Vurdering"})
    return Chart("forest", title, description, spec, table, factor_links(data))


def means(factors: pd.DataFrame, dependent: dict, page_prefix: str) -> Chart:
    """Survey means with 95 % CI for the 18 variables on the 1-5 scale."""
    import altair as alt

    data = factor_frame(factors, page_prefix)[["faktor_id", "faktor", "omrade", "snitt", "snitt_lav",
                                               "snitt_hoy", "url", "snitt_t", "snitt_lav_t",
                                               "snitt_hoy_t"]]
    data["n"] = factors["n"].values
    dep = pd.DataFrame([{"faktor": dependent["name"] + " (avhengig variabel)",
                         "omrade": "Avhengig variabel", "faktor_id": "",
                         "snitt": round(dependent["mean"], 3),
                         "snitt_lav": round(dependent["mean_low"], 3),
                         "snitt_hoy": round(dependent["mean_high"], 3), "url": "",
                         "n": dependent["n"],
                         **_texts(dependent, ("mean", "mean_low", "mean_high"))}])
    data = pd.concat([dep, data], ignore_index=True).sort_values("snitt", ascending=False)
    colours = {**AREA_COLOURS, "Avhengig variabel": "#444444"}
    colour = alt.Color("omrade:N", title="Område",
                       scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                       legend=alt.Legend(orient="bottom"))
    tooltip = [alt.Tooltip("faktor:N", title="Variabel"),
               alt.Tooltip("snitt_t:N", title="Snitt"),
               alt.Tooltip("snitt_lav_t:N", title="95 % KI fra"),
               alt.Tooltip("snitt_hoy_t:N", title="95 % KI til"),
               alt.Tooltip("n:Q", title="N")]
    base = alt.Chart(data).encode(
        y=alt.Y("faktor:N", sort=list(data["faktor"]), title=None), tooltip=tooltip,
        color=colour)
    x = alt.X("snitt_lav:Q", title="Snitt, 1 (helt uenig) til 5 (helt enig), med 95 % KI",
              scale=alt.Scale(domain=[1, 5]), axis=alt.Axis(format=".1f"))
    chart = base.mark_rule(strokeWidth=2).encode(x=x, x2="snitt_hoy:Q") + \
        base.mark_point(size=80, filled=True, cursor="pointer").encode(x="snitt:Q")
    title = f"Gjennomsnitt for de {len(data)} variablene i spørreundersøkelsen"
    description = ("Punktdiagram med gjennomsnitt og 95 % konfidensintervall for de"
                   f" {len(data) - 1} faktorene og den avhengige variabelen Automatisering, på"
                   " skalaen 1 til 5.")
    spec = _base(chart.properties(height=len(data) * ROW_HEIGHT), description)
    table = data[["faktor", "omrade", "snitt", "snitt_lav", "snitt_hoy", "n"]].rename(
        columns={"faktor": "Variabel", "omrade": "Område", "snitt": "Snitt",
                 "snitt_lav": "KI fra", "snitt_hoy": "KI til", "n": "N"})
    return Chart("means", title, description, spec, table,
                 factor_links(data[data["url"] != ""]))


def bivariate_partial(factors: pd.DataFrame, page_prefix: str) -> Chart:
    """A dumbbell per factor: the bivariate rho against the partial r (as printed)."""
    import altair as alt

    frame = factor_frame(factors, page_prefix)
    long = pd.concat([
        frame.assign(maal="Bivariat ρ (Tabell 13)", verdi=frame["rho"], verdi_t=frame["rho_t"]),
        frame.assign(maal="Partiell r (Tabell 14)", verdi=frame["partiell_r"],
                     verdi_t=factors["partial_r_printed"].map(printed)),
    ])[["faktor", "omrade", "maal", "verdi", "verdi_t", "url"]]
    order = list(frame.sort_values("rho", ascending=False)["faktor"])
    y = alt.Y("faktor:N", sort=order, title=None)
    tooltip = [alt.Tooltip("faktor:N", title="Faktor"), alt.Tooltip("maal:N", title="Mål"),
               alt.Tooltip("verdi_t:N", title="Verdi")]
    line = alt.Chart(long).mark_line(color="#999").encode(y=y, x="verdi:Q", detail="faktor:N")
    dots = alt.Chart(long).mark_point(size=80, filled=True, cursor="pointer").encode(
        y=y, tooltip=tooltip,
        x=alt.X("verdi:Q", title="Korrelasjon med automatisering",
                scale=alt.Scale(domain=[-0.6, 0.8]), axis=alt.Axis(format=".1f")),
        color=alt.Color("maal:N", title=None,
                        scale=alt.Scale(range=["#1f77b4", "#ff7f0e"]),
                        legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("maal:N", title=None, scale=alt.Scale(range=["circle", "square"])))
    title = "Bivariat og partiell korrelasjon"
    description = ("Diagram med to punkter per faktor, forbundet med en strek: for hver av de"
                   f" {len(frame)} faktorene den bivariate korrelasjonen med automatisering og den"
                   " partielle korrelasjonen når de andre faktorene holdes konstant. Det meste"
                   " av sammenhengen forsvinner.")
    spec = _base((line + dots).properties(height=len(frame) * ROW_HEIGHT),
                 description)
    # the partial r as printed (a string): one of them is printed with two decimals, not three
    table = frame[["faktor", "rho"]].assign(trykt=factors["partial_r_printed"]).rename(
        columns={"faktor": "Faktor", "rho": "Bivariat ρ", "trykt": "Partiell r (trykt)"})
    return Chart("bivariat-partiell", title, description, spec, table,
                 factor_links(frame.set_index("faktor").loc[order].reset_index()))


def counties(counties_frame: pd.DataFrame) -> Chart:
    """Municipalities taking part, per county (the data behind the thesis's Figur 12)."""
    import altair as alt

    data = counties_frame[["county", "participants"]].rename(
        columns={"county": "fylke", "participants": "deltakere"})
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("fylke:N", sort="-x", title=None),
        x=alt.X("deltakere:Q", title="Deltakende kommuner", axis=alt.Axis(format="d")),
        tooltip=[alt.Tooltip("fylke:N", title="Fylke"),
                 alt.Tooltip("deltakere:Q", title="Deltakere")])
    title = "Deltakende kommuner per fylke"
    description = (f"Stolpediagram over antall deltakende kommuner i hvert av de"
                   f" {len(data)} fylkene, til sammen {int(data['deltakere'].sum())}.")
    spec = _base(chart.properties(height=len(data) * 20), description)
    return Chart("fylker", title, description, spec,
                 data.rename(columns={"fylke": "Fylke", "deltakere": "Deltakere"}))


@lru_cache(maxsize=1)
def schema_validator():
    import jsonschema
    from altair.vegalite.v6.schema import core

    schema = core.load_schema()
    return jsonschema.validators.validator_for(schema)(schema)


def validate(chart: Chart) -> Chart:
    """Check the spec against the Vega-Lite schema; name the chart if it is broken."""
    error = jsonschema_error(chart.spec)
    if error:
        raise ChartError(f"chart '{chart.name}' is not a valid Vega-Lite spec: {error}")
    return chart


def jsonschema_error(spec: dict) -> str | None:
    """Where the spec breaks the schema, and how, in one line. The schema is a union of every
    kind of spec, so the error at the top says only that the spec fits none of them; the one
    furthest into the spec is the one that names the fault (a misspelt mark, a bad value)."""
    import jsonschema

    leaves = [leaf for error in schema_validator().iter_errors(spec) for leaf in _leaves(error)]
    if not leaves:
        return None
    deepest = max(len(leaf.absolute_path) for leaf in leaves)
    candidates = [leaf for leaf in leaves if len(leaf.absolute_path) == deepest]
    # A value can fail several alternatives: a misspelt mark is not one of the marks, not a
    # mark definition (an object) and not each composite mark ('boxplot' was expected). Name
    # the list of allowed values first, then the type; the composite marks only if nothing else.
    preference = {"enum": 0, "type": 1}
    useful = sorted((leaf for leaf in candidates if leaf.validator != "const"),
                    key=lambda leaf: preference.get(leaf.validator, 2))
    chosen = []
    for leaf in useful:  # one of each kind, at most two
        if len(chosen) < 2 and leaf.validator not in {seen.validator for seen in chosen}:
            chosen.append(leaf)
    chosen = chosen or [jsonschema.exceptions.best_match(candidates)]
    where = "/".join(str(part) for part in chosen[0].absolute_path) or "(top level)"
    messages = (leaf.message if len(leaf.message) <= 160 else leaf.message[:160] + " …"
                for leaf in chosen)
    return f"at {where}: {'; '.join(messages)}"


def _leaves(error):
    """The errors under an error of a union ('not valid under any of the given schemas')."""
    if not error.context:
        yield error
    for sub in error.context:
        yield from _leaves(sub)


def self_assessment(factors: pd.DataFrame, dependent: dict) -> Chart:
    """The self-assessment's result: each factor's 2018 mean with its 95 % CI, and the
    municipality's own score, which the page fills in from the answers (dataset `kommunen`)."""
    import altair as alt

    ordered = by_rating(factors)
    data = pd.DataFrame({"faktor": [dependent["name"], *ordered["name"]],
                         "snitt": [round(dependent["mean"], 3), *ordered["mean"].round(3)],
                         "lav": [round(dependent["mean_low"], 3), *ordered["mean_low"].round(3)],
                         "hoy": [round(dependent["mean_high"], 3),
                                 *ordered["mean_high"].round(3)]})
    y = alt.Y("faktor:N", sort=list(data["faktor"]), title=None)
    x_scale = alt.Scale(domain=[1, 5])
    then = alt.Chart(data).encode(y=y)
    interval = then.mark_rule(color="#9e9e9e", strokeWidth=3).encode(
        x=alt.X("lav:Q", scale=x_scale, title="Skala 1 (helt uenig) til 5 (helt enig)"),
        x2="hoy:Q")
    mean = then.mark_tick(color="#616161", thickness=2, size=14).encode(x="snitt:Q")
    ours = alt.Chart(alt.NamedData("kommunen")).mark_point(
        filled=True, size=90, color="#303f9f").encode(y=y, x=alt.X("skar:Q", scale=x_scale))
    title = "Kommunens skår og snittet i 2018"
    description = ("Punktdiagram: for hver faktor kommunens skår (blå prikk) ved siden av "
                   "snittet for kommunene i 2018 (grå strek) med 95 % konfidensintervall.")
    spec = _base((interval + mean + ours).properties(height=len(data) * ROW_HEIGHT), description)
    spec.setdefault("datasets", {})["kommunen"] = []
    return Chart("selvvurdering", title, description, spec, data, fallback=False)


def all_charts(results, page_prefix: str = "/faktorer/") -> list[Chart]:
    """Every chart, checked against the Vega-Lite schema; templates place one by its name."""
    factors = results.factors
    return [validate(chart) for chart in (
        forest(factors, page_prefix),
        means(factors, results.dependent, page_prefix),
        bivariate_partial(factors, page_prefix),
        counties(results.counties),
        self_assessment(factors, results.dependent),
    )]
