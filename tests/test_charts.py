"""Chart builders are pure functions from analysis results to valid Vega-Lite specs."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import charts, vega
from analysis.cache import Cache
from analysis.errors import ChartError
from analysis.worker import ChartProcess

ROOT = Path(__file__).resolve().parent.parent


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
    # the error names the place and the fault, not only that the spec fits no kind of spec
    with pytest.raises(ChartError, match=r"chart 'means' is not a valid Vega-Lite spec: at "
                                         r"layer/0/mark: 'boble' is not one of \['arc', "):
        charts.validate(charts.Chart("means", broken.title, broken.description, spec,
                                     broken.table))


def test_static_fallback_uses_a_decimal_comma(built):
    drawn = vega.draw("forest", built["forest"].spec)
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
        from analysis import vega
        def width(font):
            spec = {"mark": "bar", "data": {"values": [{"a": "Gevinstrealisering", "b": 1}]},
                    "encoding": {"y": {"field": "a", "type": "nominal",
                                       "axis": {"labelFont": font}},
                                 "x": {"field": "b", "type": "quantitative"}}}
            return re.search(r'<svg[^>]* width="([0-9.]+)"', vega.draw("t", spec)).group(1)
        print(width("DejaVu Sans Mono"), width("Ingen slik skrift"),
              "FONTCONFIG_FILE" in os.environ)
    """
    shown = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    assert shown[0] == shown[1]
    assert shown[2] == "False"  # set only while vl-convert reads it: a browser started later
    #                             by the same process must see the machine's fonts


def test_chart_process_sends_the_specs_then_every_svg_drawing_only_uncached_ones(
        results, built, tmp_path):
    svg_cache = Cache(tmp_path)
    stale = "<svg>a cached drawing</svg>"
    svg_cache.store_text("svg", vega.svg_key(built["utvalg"].spec), stale)
    worker = ChartProcess()
    try:
        worker.request_charts(results, "/faktorer/", svg_cache)
        made = {chart.name: chart for chart in worker.charts()}
        drawn = worker.drawings()
    finally:
        worker.close()
    assert made["forest"].spec == built["forest"].spec
    assert set(drawn) == set(charts.CHART_NAMES)
    assert drawn["utvalg"] == stale  # taken from the cache, not drawn again
    assert drawn["fylker"] == vega.draw("fylker", built["fylker"].spec)
    assert svg_cache.load_text("svg", vega.svg_key(built["fylker"].spec)) == drawn["fylker"]


def test_chart_process_names_a_chart_it_cannot_draw(built, tmp_path):
    broken = charts.Chart("ødelagt", "", "", {"data": {"values": [{"x": 1}]}, "mark": "sirkel"},
                          built["utvalg"].table)
    worker = ChartProcess()
    try:
        worker.request_svgs([built["utvalg"], broken], Cache(tmp_path))
        with pytest.raises(ChartError, match="chart 'ødelagt' could not be drawn"):
            worker.drawings()
    finally:
        worker.close()


def test_a_forked_chart_process_has_its_svgs_drawn_by_a_drawing_process_of_its_own(
        built, tmp_path):
    """As a build run as a command starts it: forked, with a drawing process forked before it.
    Run in a fresh interpreter, as such a build is (this one has started vl-convert's threads,
    which a forked copy would not have)."""
    program = """if True:
        import json, sys
        from pathlib import Path
        from analysis import charts
        from analysis.cache import Cache
        from analysis.errors import ChartError
        from analysis.worker import ChartProcess
        chart = charts.Chart(**json.loads(sys.argv[1]), table=None)
        broken = charts.Chart("ødelagt", "", "", {"mark": "sirkel", "data": {"values": []}}, None)
        worker = ChartProcess(fork=True)
        processes = [worker._process, worker._drawer]
        try:
            worker.request_svgs([chart], Cache(Path(sys.argv[2])))
            svg = worker.drawings()[chart.name]
            worker.request_svgs([broken], Cache(Path(sys.argv[2])))
            try:
                worker.drawings()
                error = None
            except ChartError as exc:
                error = str(exc)
        finally:
            worker.close()
        print(json.dumps({"svg": svg, "error": error, "pids": len({p.pid for p in processes}),
                          "alive": [p.is_alive() for p in processes]}))
    """
    chart = built["utvalg"]
    fields = {"name": chart.name, "title": chart.title, "description": chart.description,
              "spec": chart.spec}
    shown = json.loads(subprocess.run(
        [sys.executable, "-c", program, json.dumps(fields), str(tmp_path)], cwd=ROOT,
        capture_output=True, text=True, check=True, timeout=120).stdout)
    assert shown["svg"] == vega.draw(chart.name, chart.spec)
    assert shown["error"].startswith("chart 'ødelagt' could not be drawn")
    assert shown["pids"] == 2  # two processes besides this one
    assert shown["alive"] == [False, False]  # both ended by close()


def test_a_spec_is_checked_again_only_when_its_structure_changes(built, tmp_path, monkeypatch):
    seen = Cache(tmp_path)
    forest = built["forest"]
    charts.checked(forest, seen)
    calls = []
    monkeypatch.setattr(charts, "validate", lambda chart: calls.append(chart.name) or chart)
    rows = forest.spec["datasets"]
    other_values = {name: [{**row, "rho": 0.5} for row in data] for name, data in rows.items()}
    charts.checked(charts.Chart("forest", forest.title, forest.description,
                                {**forest.spec, "datasets": other_values}, forest.table), seen)
    assert calls == []  # same structure, other numbers: passed before
    charts.checked(charts.Chart("forest", forest.title, forest.description,
                                {**forest.spec, "mark": "boble"}, forest.table), seen)
    assert calls == ["forest"]


def test_a_broken_structure_is_refused_after_a_valid_one_passed(built, tmp_path):
    seen = Cache(tmp_path)
    charts.checked(built["means"], seen)
    broken = {**built["means"].spec}
    broken["layer"] = [{**broken["layer"][0], "mark": "boble"}, *broken["layer"][1:]]
    with pytest.raises(ChartError, match="chart 'means' is not a valid Vega-Lite spec"):
        charts.checked(charts.Chart("means", "", "", broken, built["means"].table), seen)


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
    from analysis.formatting import num

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
