"""Pure statistical functions. No I/O, no formatting.

Conventions: `tails` is 1 or 2; correlations are tested with the t approximation that SPSS also
uses for Spearman's rho, t = r * sqrt(df / (1 - r^2)) with df = n - 2 (or the partial df).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

CONFIDENCE = 0.95


def _special():
    """scipy.special, imported when first needed. Its distribution functions (stdtr, stdtrit,
    ndtri) are what scipy.stats.t and .norm call, without scipy.stats' one-second import."""
    from scipy import special

    return special


ALPHA = 0.05


def p_from_r(r: float, df: int, tails: int = 2) -> float:
    """p-value of a correlation r with df degrees of freedom (t approximation)."""
    if df <= 0:
        raise ValueError("df must be positive")
    if abs(r) >= 1:
        return 0.0
    t = abs(r) * math.sqrt(df / (1.0 - r * r))
    return float(tails * _special().stdtr(df, -t))


def printed_interval(value: float, decimals: int) -> tuple[float, float]:
    """All true values that print as `value` when rounded to `decimals` places."""
    half = 0.5 * 10.0 ** (-decimals)
    return value - half, value + half


def p_interval_from_r(r: float, r_decimals: int, df: int, tails: int) -> tuple[float, float]:
    """Range of p-values for every r that rounds to the printed r (p falls as |r| grows)."""
    low, high = printed_interval(abs(r), r_decimals)
    smallest_abs_r = max(low, 0.0) if not (low <= 0 <= high) else 0.0
    largest_abs_r = min(max(abs(low), abs(high)), 0.9999999)
    return p_from_r(largest_abs_r, df, tails), p_from_r(smallest_abs_r, df, tails)


def p_reconciles(r: float, r_decimals: int, p: float, p_decimals: int, df: int,
                 tails: int) -> bool:
    """Can some r and p that round to the printed values satisfy p = p(r, df)?"""
    p_low, p_high = printed_interval(p, p_decimals)
    rec_low, rec_high = p_interval_from_r(r, r_decimals, df, tails)
    return rec_low <= p_high and rec_high >= max(p_low, 0.0)


def fisher_ci(r: float, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Confidence interval of a correlation by Fisher's z transformation."""
    if n <= 3:
        raise ValueError("Fisher's z needs n > 3")
    z = math.atanh(r)
    half = _special().ndtri(0.5 + confidence / 2) / math.sqrt(n - 3)
    return math.tanh(z - half), math.tanh(z + half)


def mean_ci(mean: float, sd: float, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """t-based confidence interval of a mean from its N and SD."""
    if n <= 1:
        raise ValueError("a mean's CI needs n > 1")
    half = _special().stdtrit(n - 1, 0.5 + confidence / 2) * sd / math.sqrt(n)
    return mean - half, mean + half


def holm(pvalues: list[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values (step-down, monotone, capped at 1)."""
    p = np.asarray(pvalues, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, (m - rank) * p[index])
        adjusted[index] = min(running, 1.0)
    return adjusted.tolist()


def consistent_dfs(r: float, r_decimals: int, p: float, p_decimals: int, tails: int,
                   candidates: range = range(1, 301)) -> list[int]:
    """Degrees of freedom under which the printed r and p reconcile (vectorised over df)."""
    dfs = np.asarray(candidates, dtype=float)
    if dfs.size == 0:
        return []
    low, high = printed_interval(abs(r), r_decimals)
    smallest = 0.0 if low <= 0 <= high else max(low, 0.0)
    largest = min(max(abs(low), abs(high)), 0.9999999)

    def p_at(abs_r: float) -> np.ndarray:
        t = abs_r * np.sqrt(dfs / (1.0 - abs_r * abs_r))
        return tails * _special().stdtr(dfs, -t)

    p_low, p_high = printed_interval(p, p_decimals)
    fits = (p_at(largest) <= p_high) & (p_at(smallest) >= max(p_low, 0.0))
    return [int(df) for df in dfs[fits]]


def consistent_ns(r: float, r_decimals: int, p: float, p_decimals: int, tails: int,
                  max_n: int) -> list[int]:
    """Sample sizes n (df = n - 2) under which the printed r and p reconcile."""
    return [df + 2 for df in consistent_dfs(r, r_decimals, p, p_decimals, tails,
                                            range(1, max_n - 1))]


@dataclass(frozen=True)
class Threshold:
    """What a table's significance labels imply about the level used."""

    agree: bool                 # one threshold separates every 'significant' from every other
    above: float | None         # largest printed p labelled significant
    below: float | None         # smallest printed p labelled not significant
    conventional: tuple[float, ...]  # usual levels inside (above, below]


CONVENTIONAL_LEVELS = (0.1, 0.05, 0.025, 0.01, 0.005, 0.001)


def implied_threshold(p_significant: list[float], p_not_significant: list[float]) -> Threshold:
    above = max(p_significant) if p_significant else None
    below = min(p_not_significant) if p_not_significant else None
    agree = above is None or below is None or above < below
    levels = tuple(level for level in CONVENTIONAL_LEVELS
                   if agree and (above is None or above < level)
                   and (below is None or level <= below))
    return Threshold(agree=agree, above=above, below=below, conventional=levels)
