"""The item reconstruction check.

Vedlegg E (which questionnaire statements make up which variable) is missing from the source
text. The statements the discussion quotes under each factor, with their printed means, are in
data/survey_items.csv. Averaging them (reverse-scored where marked) should reproduce the variable's
mean in Tabell 12. Printed statement means may be rounded or cut off (the thesis cuts off, e.g.
3,6995 is written 3,69), so each printed mean stands for an interval.
"""

from __future__ import annotations

import pandas as pd

SCALE_MAX = 5  # reverse scoring on the 1-5 scale: 6 - x
# A range of possible true means wider than this (a quoted mean printed as "4") fits almost any
# printed mean, so a match says little.
LOOSE_RANGE = 0.25


# The self-assessment scores a variable only when at least this share of its statements has an
# answer from 1 to 5 (the page reads it from the form, rendered from here).
MIN_ANSWERED_SHARE = 0.5


def scored(value: float, reversed_item: bool) -> float:
    """A statement's value on its variable's scale: a reversed statement counts 6 - x."""
    return SCALE_MAX + 1 - value if reversed_item else value


def variable_score(answers: dict[int, float | None], statements: list[dict]) -> float | None:
    """One municipality's score on a variable, as the self-assessment computes it: the mean of its
    answered statements (1-5; None is "vet ikke" or no answer), reversed ones scored 6 - x, as
    the reconstruction averages them; None when fewer than MIN_ANSWERED_SHARE are answered."""
    values = [scored(answers[row["item"]], row["reversed"] == "true") for row in statements
              if answers.get(row["item"]) is not None]
    if not values or len(values) < MIN_ANSWERED_SHARE * len(statements):
        return None
    return sum(values) / len(values)


def printed_mean_interval(value: float, decimals: int) -> tuple[float, float]:
    """Every true mean that prints as `value`, whether rounded or cut off."""
    step = 10.0 ** (-decimals)
    return value - step / 2, value + step


def reverse(interval: tuple[float, float]) -> tuple[float, float]:
    low, high = interval
    return SCALE_MAX + 1 - high, SCALE_MAX + 1 - low


def reconstruct(items: list[dict], target_mean: float, target_decimals: int,
                reversed_items: bool) -> dict:
    """Average the quoted statement means and compare with the printed variable mean."""
    values, lows, highs = [], [], []
    for row in items:
        if pd.isna(row["quoted_mean"]):
            continue
        interval = printed_mean_interval(row["quoted_mean"], row["quoted_mean_decimals"])
        value = row["quoted_mean"]
        if reversed_items and row["reversed"] == "true":
            interval, value = reverse(interval), scored(value, True)
        values.append(value)
        lows.append(interval[0])
        highs.append(interval[1])
    if not values:
        return {"items": 0, "average": None, "low": None, "high": None, "agrees": None,
                "difference": None, "loose": None}
    average = sum(values) / len(values)
    low, high = sum(lows) / len(lows), sum(highs) / len(highs)
    half = 0.5 * 10.0 ** (-target_decimals)
    agrees = low <= target_mean + half and high >= target_mean - half
    return {"items": len(values), "average": average, "low": low, "high": high,
            "agrees": agrees, "difference": average - target_mean,
            "loose": high - low > LOOSE_RANGE}


def item_checks(items: pd.DataFrame, descriptives: pd.DataFrame) -> pd.DataFrame:
    """One row per variable (17 factors and Automatisering)."""
    by_variable: dict[str, list[dict]] = {}
    for row in items.to_dict("records"):  # plain rows: pandas per small group costs more
        by_variable.setdefault(row["variable"], []).append(row)
    rows = []
    for target in descriptives.itertuples():
        variable = target.factor_id if isinstance(target.factor_id, str) else "automatisering"
        own = by_variable.get(variable, [])
        with_reversal = reconstruct(own, target.mean, target.mean_decimals, True)
        without = reconstruct(own, target.mean, target.mean_decimals, False)
        rows.append({
            "variable": variable, "table_name": target.variable, "table_mean": target.mean,
            "statements": len(own), "reversed": sum(row["reversed"] == "true" for row in own),
            **{k: with_reversal[k] for k in ("items", "average", "low", "high", "agrees",
                                               "difference", "loose")},
            "average_unreversed": without["average"], "agrees_unreversed": without["agrees"],
        })
    return pd.DataFrame(rows)
