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


def test_holm_and_bh_over_all_17_factors(results):
    f = results.factors
    assert len(f) == 17
    assert list(f["p_holm"]) == pytest.approx(stats.holm(list(f["p_two"])))
    # BH is never stricter than Holm
    assert (f["p_bh"] <= f["p_holm"] + 1e-12).all()


def test_rating_rule(results):
    ratings = results.factors.set_index("factor_id")["rating"]
    # Only these two keep a two-tailed significant partial correlation (2 x 0.001, 2 x 0.014)
    assert set(ratings[ratings == "sterk"].index) == {"mal-om-digitalisering", "strukturert"}
    assert ratings["leverandormarked"] == "ingen"
    assert ratings["ressursbegrensninger"] == "ingen"


def test_a_changed_value_changes_the_flags(data_copy):
    """Correcting the printed p of Gevinstrealisering to its recomputation removes its flag."""
    from report.inputs.tables import load_study
    path = data_copy / "tabell13_spearman.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Gevinstrealisering,0.326,0.000", "Gevinstrealisering,0.326,0.002"), encoding="utf-8")
    results = analyse(load_study(data_copy))
    p_flags = {v for t, v, q in flagged(results) if q.startswith("p ")}
    assert "Gevinstrealisering" not in p_flags and "Personopplysninger" in p_flags


def test_rating_with_n_at_the_pairwise_bound(results):
    factors, n_dependent = results.factors, results.dependent["n"]
    assert (factors["n_pairs"] == factors["rho_n"].clip(upper=n_dependent)).all()
    assert (factors["p_two_pairs"] >= factors["p_two"] - 1e-15).all()  # fewer pairs, larger p
    unchanged = factors["n_pairs"] == factors["rho_n"]
    assert (factors.loc[unchanged, "rating_pairs"] == factors.loc[unchanged, "rating"]).all()
    # Personopplysninger's printed p fits n = 73, not its printed n = 80; at 73 it fails Holm.
    row = factors.set_index("factor_id").loc["personopplysninger"]
    assert (row["rho_n"], row["n_pairs"]) == (80, 73)
    assert (row["rating"], row["rating_pairs"]) == ("moderat", "svak")
