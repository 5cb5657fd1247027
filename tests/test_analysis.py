"""The analysis of the real tables: what the thesis did, and what cannot be reconciled."""

import pytest
from scipy import stats as sps

from report.analysis import stats
from report.analysis.results import analyse


def test_thesis_used_one_tailed_p_values(results):
    assert results.spearman_tails == 1
    assert results.spearman_tail_counts[1] > results.spearman_tail_counts[2]


def test_partial_correlations_imply_53_degrees_of_freedom(results):
    assert results.partial_df == 53
    assert results.partial_df_fits == 16  # every row but the misprinted one
    assert results.partial_n == 71  # df = n - 2 - 16 controls: the 71 who completed


def test_labels_agree_with_one_threshold_of_0_005(results):
    assert results.threshold.agree
    assert results.threshold.conventional[0] == 0.005


def flagged(results):
    flags = results.flags
    return set(zip(flags["table"], flags["variable"], flags["quantity"], strict=True))


def test_flags_exactly_the_irreconcilable_p_values(results):
    p_flags = {(t, v) for t, v, q in flagged(results) if q.startswith("p ")}
    assert p_flags == {
        ("Tabell 13", "Gevinstrealisering"),       # printed 0.000, recomputed 0.0016
        ("Tabell 13", "Digital_modenhetsgrad_sektorer"),  # printed 0.017, recomputed 0.0127
        ("Tabell 13", "Personopplysninger"),       # printed 0.006, recomputed 0.0044
        ("Tabell 14", "Fellesløsninger"),          # printed r -0.57 with p 0.340
    }


def test_pairwise_n_above_the_dependent_variables_n_is_flagged(results, study):
    n_flags = {v for t, v, q in flagged(results) if q == "n (parvis)"}
    spearman = results.factors.set_index("factor_id")
    expected = set(study.spearman.loc[study.spearman["n"] > 73, "variable"])
    assert n_flags == expected and len(expected) == 8
    assert (spearman["rho_n"] > results.dependent["n"]).sum() == 8


def test_every_flag_is_explained_and_every_ok_row_is_not(results):
    table = results.consistency
    assert (table.loc[table.status == "flag", "explanation"].str.len() > 40).all()
    assert (table.loc[table.status == "ok", "explanation"] == "").all()


def test_misprinted_partial_r_is_kept_as_printed_and_explained(results, study):
    row = study.partial.set_index("variable").loc["Fellesløsninger"]
    assert row["r_printed"] == "-0.57"
    flag = results.flags.set_index("variable").loc["Fellesløsninger"]
    assert "\u22120,057" in flag["explanation"]


def test_recomputed_p_equals_independent_scipy_value(results):
    gevinst = results.factors.set_index("factor_id").loc["gevinstrealisering"]
    t = 0.326 * (78 / (1 - 0.326**2)) ** 0.5
    assert gevinst["p_one"] == pytest.approx(sps.t.sf(t, 78))
    assert gevinst["p_two"] == pytest.approx(2 * sps.t.sf(t, 78))


def independent_rating(data_dir) -> dict[str, str]:
    """The rule of the method page, computed again from the CSV files with scipy and a Holm
    adjustment written out here (not the site's code): {factor name in Tabell 13: rating}."""
    import csv

    def rows(name):
        with (data_dir / name).open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def number(text):
        return float(text.replace(",", "."))

    n_automation = next(int(row["n"]) for row in rows("tabell12_deskriptiv.csv")
                        if row["variable"] == "Automatisering")
    names = {row["name_tabell13"]: row["name_tabell14"] for row in rows("factors.csv")}
    partial = {row["variable"]: row for row in rows("tabell14_partiell.csv")}
    tests = []  # (factor, kind, two-tailed p)
    for row in rows("tabell13_spearman.csv"):
        rho, n = number(row["rho"]), min(int(row["n"]), n_automation)
        t = abs(rho) * ((n - 2) / (1 - rho * rho)) ** 0.5
        tests.append((row["variable"], "bivariate", 2 * sps.t.sf(t, n - 2), rho))
        p_row = partial[names[row["variable"]]]
        r, printed_p = number(p_row["r"]), number(p_row["p"])
        t = abs(r) * (53 / (1 - r * r)) ** 0.5
        recomputed_one = sps.t.sf(t, 53)
        # the printed p is used where no r that rounds to the printed r gives it (Fellesløsninger)
        half_r = 0.5 * 10 ** -len(p_row["r"].split(".")[1])
        one_tailed = [sps.t.sf(abs(x) * (53 / (1 - x * x)) ** 0.5, 53)
                      for x in (abs(r) - half_r, abs(r) + half_r)]
        agrees = min(one_tailed) <= printed_p + 0.0005 and max(one_tailed) >= printed_p - 0.0005
        tests.append((row["variable"], "partial", 2 * (recomputed_one if agrees else printed_p),
                      r))
    order = sorted(range(len(tests)), key=lambda index: tests[index][2])
    adjusted, running = {}, 0.0
    for rank, index in enumerate(order):
        running = max(running, (len(tests) - rank) * tests[index][2])
        adjusted[index] = min(running, 1.0)
    holds = {(tests[i][0], tests[i][1]): adjusted[i] < 0.05 for i in range(len(tests))}
    raw = {(tests[i][0], tests[i][1]): tests[i][2] for i in range(len(tests))}
    ratings = {}
    for name in {test[0] for test in tests}:
        if holds[(name, "bivariate")]:
            ratings[name] = "tydelig" if holds[(name, "partial")] else "delt"
        else:
            ratings[name] = "usikker" if raw[(name, "bivariate")] < 0.05 else "ingen"
    return ratings


def test_the_rating_rule_computed_again_independently(results, study, root):
    expected = independent_rating(root / "data")
    by_table13 = dict(zip(study.spearman["variable"], study.spearman["factor_id"], strict=True))
    site = dict(zip(results.factors["factor_id"], results.factors["rating"], strict=True))
    assert {by_table13[name]: rating for name, rating in expected.items()} == site
    # the finding: only Mål om digitalisering keeps the top rating
    assert [f for f, rating in site.items() if rating == "tydelig"] == ["mal-om-digitalisering"]


def test_holm_runs_over_every_test_the_rating_uses(results):
    f = results.factors
    assert results.tests == 2 * len(f) == 34
    adjusted = stats.holm([*f["p_used"], *f["partial_p_used"]])
    assert list(f["p_holm"]) == pytest.approx(adjusted[:17])
    assert list(f["partial_p_holm"]) == pytest.approx(adjusted[17:])


def test_n_above_what_automation_allows_is_capped(results):
    factors, n_dependent = results.factors, results.dependent["n"]
    assert (factors["n_used"] == factors["rho_n"].clip(upper=n_dependent)).all()
    row = factors.set_index("factor_id").loc["personopplysninger"]
    assert (row["rho_n"], row["n_used"]) == (80, 73)
    t = 0.291 * (71 / (1 - 0.291**2)) ** 0.5
    assert row["p_used"] == pytest.approx(2 * sps.t.sf(t, 71))


def test_a_changed_value_changes_the_flags(data_copy):
    """Correcting the printed p of Gevinstrealisering to its recomputation removes its flag."""
    from report.inputs.tables import load_study
    path = data_copy / "tabell13_spearman.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Gevinstrealisering,0.326,0.000", "Gevinstrealisering,0.326,0.002"), encoding="utf-8")
    results = analyse(load_study(data_copy))
    p_flags = {v for t, v, q in flagged(results) if q.startswith("p ")}
    assert "Gevinstrealisering" not in p_flags and "Personopplysninger" in p_flags




def test_a_variable_score_is_the_mean_of_its_answers_with_reversed_ones_turned():
    from report.analysis.items import variable_score

    statements = [{"item": 1, "reversed": "false"}, {"item": 2, "reversed": "true"},
                  {"item": 3, "reversed": "false"}]
    assert variable_score({1: 4, 2: 2, 3: 5}, statements) == pytest.approx((4 + 4 + 5) / 3)
    assert variable_score({1: 4, 2: 1, 3: None}, statements) == pytest.approx((4 + 5) / 2)
    assert variable_score({1: 4}, statements) is None  # 1 of 3: fewer than half
    assert variable_score({}, statements) is None
    assert variable_score({2: 5}, statements[1:2]) == 1
