"""Chart builders are pure functions from analysis results to valid Vega-Lite specs."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from report.cache import Cache
from report.errors import ChartError
from report.pages import charts, svg

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(results):
    return {chart.name: chart for chart in charts.all_charts(results, page_prefix="/faktorer/")}


def inline_rows(spec):
    """All data rows carried inside the spec (Altair puts them under `datasets`)."""
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def test_every_chart_is_valid_described_and_self_contained(built):
    assert set(built) == {"forest", "means", "bivariat-partiell", "fylker", "selvvurdering"}
    for chart in built.values():
        assert charts.validate(chart) is chart
        assert chart.spec["description"] == chart.description and len(chart.description) > 40
        assert "url" not in json.dumps(chart.spec.get("data", {}))  # data inline, never fetched
        assert inline_rows(chart.spec), chart.name
        assert len(chart.table) > 0


def test_forest_plot_has_every_factor_with_its_interval_and_adjustment(built, results):
    rows = [r for r in inline_rows(built["forest"].spec) if "rho" in r]
    assert len(rows) == 17
    by_id = {r["faktor_id"]: r for r in rows}
    gevinst = results.factors.set_index("factor_id").loc["gevinstrealisering"]
    assert by_id["gevinstrealisering"]["rho"] == pytest.approx(gevinst["rho"])
    assert by_id["gevinstrealisering"]["rho_lav"] == pytest.approx(gevinst["rho_low"], abs=1e-3)
    assert by_id["leverandormarked"]["vurdering"] == "Ingen påvist sammenheng"
    assert by_id["mal-om-digitalisering"]["vurdering"] == "Tydelig sammenheng"
    assert by_id["mal-om-digitalisering"]["url"] == "/faktorer/mal-om-digitalisering/"
    # the highlight parameter a factor page sets
    assert built["forest"].spec["params"] == [{"name": "valgt", "value": ""}]


def test_the_self_assessment_chart_waits_for_the_readers_scores(built, results):
    """The 2018 means and CIs are in the spec; the municipality's points (dataset 'kommunen')
    are empty until the page fills them in, so the chart has no static drawing or CSV."""
    chart = built["selvvurdering"]
    assert chart.spec["datasets"]["kommunen"] == [] and chart.fallback is False
    means = {r["faktor"]: r["snitt"] for r in inline_rows(chart.spec) if "snitt" in r}
    assert len(means) == 18  # 17 factors and Automatisering
    for f in results.factors.itertuples():
        assert means[f.name] == pytest.approx(f.mean, abs=1e-3)


def test_the_county_chart_carries_the_printed_counts(built):
    counties = inline_rows(built["fylker"].spec)
    assert len(counties) == 18 and sum(r["deltakere"] for r in counties) == 105


def test_broken_spec_is_refused_with_the_charts_name(built):
    broken = copy.deepcopy(built["means"])
    spec = dict(broken.spec)
    spec["layer"] = [{**spec["layer"][0], "mark": "boble"}, *spec["layer"][1:]]
    # the error names the place and the fault, not only that the spec fits no kind of spec
    with pytest.raises(ChartError, match=r"chart 'means' is not a valid Vega-Lite spec: at "
                                         r"layer/0/mark: 'boble' is not one of \['arc', "):
        charts.validate(charts.Chart("means", broken.title, broken.description, spec,
                                     broken.table))


def test_static_fallback_uses_a_decimal_comma(built):
    drawn = svg.draw("forest", built["forest"].spec)
    assert drawn.lstrip().startswith("<svg")
    assert ">0,2<" in drawn and ">0.2<" not in drawn
    assert "Spearmans ρ med 95 % konfidensintervall" in drawn


INSTALLED_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


@pytest.mark.skipif(not INSTALLED_FONT.exists(), reason="needs a font installed on the machine")
def test_static_fallbacks_do_not_depend_on_the_fonts_the_machine_has():
    # Drawn in a fresh process: vl-convert makes its font database once per process. A label
    # font installed here is measured like one that exists nowhere, so the SVG's size is the
    # same on a machine without it (vl-convert's own Liberation Sans is used for every text).
    program = """if True:
        import os, re
        from report.pages import svg
        def width(font):
            spec = {"mark": "bar", "data": {"values": [{"a": "Gevinstrealisering", "b": 1}]},
                    "encoding": {"y": {"field": "a", "type": "nominal",
                                       "axis": {"labelFont": font}},
                                 "x": {"field": "b", "type": "quantitative"}}}
            return re.search(r'<svg[^>]* width="([0-9.]+)"', svg.draw("t", spec)).group(1)
        print(width("DejaVu Sans Mono"), width("Ingen slik skrift"),
              "FONTCONFIG_FILE" in os.environ)
    """
    shown = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    assert shown[0] == shown[1]
    assert shown[2] == "False"  # set only while vl-convert reads it: a browser started later
    #                             by the same process must see the machine's fonts


def test_drawings_come_from_the_cache_by_spec_and_new_ones_are_kept(built, tmp_path):
    svg_cache = Cache(tmp_path)
    stale = "<svg>a cached drawing</svg>"
    svg_cache.store_text("svg", svg.svg_key(built["means"].spec), stale)
    drawn = svg.drawings([built["means"], built["fylker"]], svg_cache)
    assert drawn["means"] == stale  # taken from the cache, not drawn again
    assert drawn["fylker"] == svg.draw("fylker", built["fylker"].spec)
    assert svg_cache.load_text("svg", svg.svg_key(built["fylker"].spec)) == drawn["fylker"]


def test_a_chart_that_cannot_be_drawn_is_named(built):
    with pytest.raises(ChartError, match="chart 'ødelagt' could not be drawn"):
        svg.draw("ødelagt", {"data": {"values": [{"x": 1}]}, "mark": "sirkel"})


def tooltip_fields(spec):
    """Every field a tooltip shows, with its format (if any)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "tooltip" and isinstance(value, list):
                    found.extend((t["field"], t.get("format")) for t in value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return found


def test_tooltips_show_the_numbers_as_the_tables_do(built, results):
    from report.formatting import num

    factors = results.factors.set_index("name")
    for name in ("forest", "means", "bivariat-partiell"):
        # no number is rounded by the browser (3.275 would show as 3,27 there, 3,28 in tables)
        assert all(format_ is None for _, format_ in tooltip_fields(built[name].spec)), name
    means = {row["faktor"]: row for row in inline_rows(built["means"].spec) if "snitt_t" in row}
    forest = {row["faktor"]: row for row in inline_rows(built["forest"].spec) if "rho_t" in row}
    for factor in factors.itertuples():
        assert means[factor.Index]["snitt_t"] == num(factor.mean, 2)
        assert forest[factor.Index]["rho_t"] == num(factor.rho, 3)
        assert forest[factor.Index]["rho_lav_t"] == num(factor.rho_low, 2)
    assert means["Digital modenhetsgrad i de forskjellige sektorene"]["snitt_t"] == "4,33"
