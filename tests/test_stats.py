"""The statistics against values computed independently here with scipy and numpy."""

import math

import numpy as np
import pytest
from scipy import stats as sps

from report.analysis import stats


def independent_p(r, n, tails):
    # scipy's own test of a Pearson r uses the exact same t distribution with n - 2 df;
    # here via the beta distribution, which is scipy's route in pearsonr.
    dist = sps.beta(n / 2 - 1, n / 2 - 1, loc=-1, scale=2)
    two = 2 * dist.cdf(-abs(r))
    return two if tails == 2 else two / 2


@pytest.mark.parametrize("r,n", [(0.645, 73), (0.102, 73), (-0.032, 73), (0.291, 80), (0.5, 10)])
@pytest.mark.parametrize("tails", [1, 2])
def test_p_from_r_matches_scipy_beta_route(r, n, tails):
    assert stats.p_from_r(r, n - 2, tails) == pytest.approx(independent_p(r, n, tails), rel=1e-9)


def test_p_from_r_matches_spearmanr_on_real_data():
    rng = np.random.default_rng(7)
    x = rng.normal(size=40)
    y = x + rng.normal(scale=2, size=40)
    rho, p_two = sps.spearmanr(x, y)
    assert stats.p_from_r(rho, 38, 2) == pytest.approx(p_two, rel=1e-9)


def test_fisher_ci_against_formula():
    low, high = stats.fisher_ci(0.326, 80)
    z, se = math.atanh(0.326), 1 / math.sqrt(77)
    assert low == pytest.approx(math.tanh(z - 1.959963984540054 * se))
    assert high == pytest.approx(math.tanh(z + 1.959963984540054 * se))
    assert low < 0.326 < high


def test_mean_ci_matches_scipy_interval():
    low, high = stats.mean_ci(3.275, 0.63095, 80)
    expected = sps.t.interval(0.95, 79, loc=3.275, scale=0.63095 / math.sqrt(80))
    assert (low, high) == pytest.approx(expected)


def test_holm_by_hand():
    # Sorted p: 0.01 (x4 = 0.04), 0.02 (x3 = 0.06), 0.03 (x2 = 0.06), 0.04 (x1 = 0.04 -> 0.06)
    assert stats.holm([0.03, 0.01, 0.04, 0.02]) == pytest.approx([0.06, 0.04, 0.06, 0.06])


def test_holm_caps_at_one_and_is_never_below_raw():
    raw = [0.5, 0.6, 0.001]
    adjusted = stats.holm(raw)
    assert adjusted[2] == pytest.approx(0.003)
    assert all(a >= p for a, p in zip(adjusted, raw, strict=True))
    assert max(adjusted) == 1.0


@pytest.mark.parametrize("n", [5, 30, 73, 105])
def test_fisher_ci_uses_the_normal_quantile(n):
    low, high = stats.fisher_ci(0.4, n)
    half = sps.norm.ppf(0.975) / (n - 3) ** 0.5
    assert (low, high) == pytest.approx((np.tanh(np.arctanh(0.4) - half),
                                         np.tanh(np.arctanh(0.4) + half)))


def test_printed_interval_and_reconciliation():
    assert stats.printed_interval(0.196, 3) == pytest.approx((0.1955, 0.1965))
    # Tabell 13, Ressursbegrensning: rho 0.102, n 73 -> one-tailed 0.195..0.196
    assert stats.p_reconciles(0.102, 3, 0.196, 3, 71, tails=1)
    assert not stats.p_reconciles(0.102, 3, 0.196, 3, 71, tails=2)
    # printed 0.000 means p < 0.0005: rho 0.326, n 80 gives 0.0016, which cannot print as 0.000
    assert not stats.p_reconciles(0.326, 3, 0.0, 3, 78, tails=1)


def test_consistent_dfs_finds_the_df_that_generated_the_values():
    r, df = 0.2, 53
    p = round(stats.p_from_r(r, df, 1), 3)
    assert df in stats.consistent_dfs(r, 3, p, 3, tails=1)
    assert 5 not in stats.consistent_dfs(r, 3, p, 3, tails=1)


def test_implied_threshold():
    agree = stats.implied_threshold([0.0, 0.001, 0.003], [0.006, 0.2])
    assert agree.agree and agree.conventional == (0.005,)
    clash = stats.implied_threshold([0.02], [0.01])
    assert not clash.agree and clash.conventional == ()


@pytest.mark.parametrize("token, shown", [
    ("0.645", "0,645"), ("-0.57", "−0,57"), ("-.57", "−,57"), ("73", "73"),
    ("n.s", "n.s"), ("(n.s.)", "(n.s.)"), ("Signifikant (grense p < 0.005)",
                                           "Signifikant (grense p < 0,005)"),
])
def test_printed_values_get_a_decimal_comma_and_labels_stay(token, shown):
    from report.formatting import printed

    assert printed(token) == shown


def test_recomputed_p_in_running_text():
    from report.formatting import line_range, p_is

    assert p_is(0.00163) == "p = 0,0016" and p_is(0.00001) == "p < 0,0001"
    assert line_range("4339-4339") == "4339" and line_range("6537-6541") == "6537-6541"


def test_halves_round_up_as_in_norwegian_tables():
    from report.formatting import num

    assert num(4.325) == "4,33" and num(3.9625, 3) == "3,963" and num(-0.0325, 3) == "−0,033"


def test_small_counts_in_words():
    from report.formatting import words

    assert [words(n) for n in (2, 3, 10, 12, 13, 17)] == ["to", "tre", "ti", "tolv", "13", "17"]
