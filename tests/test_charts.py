"""Chart builders are pure functions from analysis results to valid Vega-Lite specs."""

import copy
import json

import pytest

from analysis import charts, vega
from analysis.errors import ChartError
from analysis.worker import ChartProcess


@pytest.fixture(scope="module")
def built(results):
    return {chart.name: chart for chart in charts.all_charts(results, page_prefix="/faktorer/")}


def test_chart_names_are_known_before_the_charts_are_made(built):
    assert tuple(built) == charts.CHART_NAMES


def inline_rows(spec):
    """All data rows carried inside the spec (Altair puts them under `datasets`)."""
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def test_every_chart_is_valid_described_and_self_contained(built):
    assert set(built) == {"forest", "means", "bivariat-partiell", "fylker", "utvalg", "omrader"}
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
    assert by_id["leverandormarked"]["holm"] == "Tåler ikke Holm-justering"
    assert by_id["mal-om-digitalisering"]["url"] == "/faktorer/mal-om-digitalisering/"
    # the highlight parameter a factor page sets
    assert built["forest"].spec["params"] == [{"name": "valgt", "value": ""}]


def test_participation_charts_carry_the_printed_counts(built):
    counties = inline_rows(built["fylker"].spec)
    assert len(counties) == 18 and sum(r["deltakere"] for r in counties) == 105
    funnel = [r["kommuner"] for r in inline_rows(built["utvalg"].spec)]
    assert funnel == [422, 105, 71]


def test_broken_spec_is_refused_with_the_charts_name(built):
    broken = copy.deepcopy(built["means"])
    spec = dict(broken.spec)
    spec["layer"] = [{**spec["layer"][0], "mark": "boble"}, *spec["layer"][1:]]
    with pytest.raises(ChartError, match="chart 'means' is not a valid Vega-Lite spec"):
        charts.validate(charts.Chart("means", broken.title, broken.description, spec,
                                     broken.table))


def test_static_fallback_uses_a_decimal_comma(built):
    drawn = vega.draw("forest", built["forest"].spec)
    assert drawn.lstrip().startswith("<svg")
    assert ">0,2<" in drawn and ">0.2<" not in drawn
    assert "Spearmans ρ med 95 % konfidensintervall" in drawn


def test_chart_process_makes_the_specs_and_draws_each_svg_by_name(results, built):
    worker = ChartProcess()
    try:
        worker.request_charts(results, "/faktorer/")
        made = {chart.name: chart for chart in worker.charts()}
        for name in ("utvalg", "fylker"):
            worker.draw(name, made[name].spec)
        drawn = worker.drawings()
    finally:
        worker.close()
    assert made["forest"].spec == built["forest"].spec
    assert set(drawn) == {"utvalg", "fylker"}
    assert drawn["fylker"] == vega.draw("fylker", built["fylker"].spec)


def test_chart_process_names_a_chart_it_cannot_draw(built):
    worker = ChartProcess()
    try:
        worker.draw("utvalg", built["utvalg"].spec)
        worker.draw("ødelagt", {"data": {"values": [{"x": 1}]}, "mark": "sirkel"})
        with pytest.raises(ChartError, match="chart 'ødelagt' could not be drawn"):
            worker.drawings()
    finally:
        worker.close()
