"""Compare every printed value with its recomputation, allowing for rounding.

A value is flagged only when no true values that round to the printed ones can reconcile it.
Each check returns rows of the consistency table; `explanation` says in plain Norwegian why a
row is flagged (and is empty for rows that are fine).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from ..formatting import P_FLOOR, num, p_is, printed
from ..inputs.tables import DEPENDENT_VARIABLE, Study
from . import stats

COLUMNS = ["table", "variable", "quantity", "reported", "recomputed", "status"]
OK, FLAG = "ok", "flag"
TAILS_WORD = {1: "ensidig", 2: "tosidig"}


@dataclass(frozen=True)
class Check:
    table: str
    variable: str
    quantity: str
    reported: str
    recomputed: str
    status: str
    factor_id: str | None = None
    explanation: str = ""


def infer_tails(frame: pd.DataFrame, r: str, df_of) -> tuple[int, dict[int, int]]:
    """Which convention (one- or two-tailed) reconciles the most printed p-values."""
    counts = {tails: sum(stats.p_reconciles(row[r], row[r + "_decimals"], row["p"],
                                            row["p_decimals"], df_of(row), tails)
                         for _, row in frame.iterrows())
              for tails in (1, 2)}
    best = max(counts, key=lambda tails: (counts[tails], -tails))
    return best, counts


def infer_partial_df(partial: pd.DataFrame, tails: int) -> tuple[int, int]:
    """The df reconciling the most rows of Tabell 14 (it has no n column), and how many it fits."""
    coverage = Counter()
    for _, row in partial.iterrows():
        coverage.update(stats.consistent_dfs(row["r"], row["r_decimals"], row["p"],
                                             row["p_decimals"], tails))
    if not coverage:
        raise ValueError("no degrees of freedom reconcile any row of Tabell 14")
    best_fit = max(coverage.values())
    df = min(d for d, fits in coverage.items() if fits == best_fit)
    return df, best_fit


MAX_N = 500


def _n_hint(ns: list[int], n: int) -> str:
    """What sample size would make a flagged printed p fit its printed rho."""
    if not ns:
        return "Ingen n kan få den trykte p-verdien til å passe med den trykte ρ."
    if max(ns) < n:
        span = f"n = {ns[0]}" if len(ns) == 1 else f"n mellom {ns[0]} og {ns[-1]}"
        return (f"Den trykte p-verdien passer derimot med {span}; kanskje ble korrelasjonen"
                " regnet på færre svar enn tabellen oppgir.")
    if min(ns) > n:
        return (f"Den trykte p-verdien ville kreve minst {ns[0]} svar, flere enn de {n} tabellen"
                " oppgir, så antallet svar kan ikke forklare forskjellen.")
    return f"Den trykte p-verdien passer med n mellom {ns[0]} og {ns[-1]}."


def _p_text(p: float) -> str:
    """A recomputed p for the CSV: four decimals, or '< 0.0001' (as the pages show it)."""
    return f"< {P_FLOOR}" if p < P_FLOOR else f"{p:.4f}"


def spearman_checks(study: Study, tails: int) -> list[Check]:
    """Tabell 13: p from rho and n; n against N in Tabell 12 and the pairwise bound."""
    checks = []
    descriptives = study.descriptives.set_index("variable")
    n_dependent = int(descriptives.loc[DEPENDENT_VARIABLE, "n"])
    n_by_factor = study.descriptives.dropna(subset=["factor_id"]).set_index("factor_id")["n"]
    word = TAILS_WORD[tails]
    for _, row in study.spearman.iterrows():
        n = int(row["n"])
        recomputed = stats.p_from_r(row["rho"], n - 2, tails)
        fits = stats.p_reconciles(row["rho"], row["rho_decimals"], row["p"], row["p_decimals"],
                                  n - 2, tails)
        explanation = ""
        if not fits:
            explanation = (
                f"Med ρ = {printed(row['rho_printed'])} og n = {n} gir t-tilnærmingen"
                f" {p_is(recomputed)} ({word}), som ikke kan avrundes til den trykte"
                f" {printed(row['p_printed'])}, uansett hvordan ρ og p er avrundet.")
            ns = stats.consistent_ns(row["rho"], row["rho_decimals"], row["p"],
                                     row["p_decimals"], tails, max_n=MAX_N)
            explanation += " " + _n_hint(ns, n)
        checks.append(Check("Tabell 13", row["variable"], f"p ({word})", row["p_printed"],
                            _p_text(recomputed), OK if fits else FLAG, row["factor_id"],
                            explanation))
        n_alone = int(n_by_factor[row["factor_id"]])
        checks.append(Check(
            "Tabell 13", row["variable"], "n (mot N i Tabell 12)", str(n), str(n_alone),
            OK if n == n_alone else FLAG, row["factor_id"],
            "" if n == n_alone else f"n i Tabell 13 ({n}) er ikke lik N i Tabell 12 ({n_alone})."))
        within = n <= n_dependent
        checks.append(Check(
            "Tabell 13", row["variable"], "n (parvis)", str(n), f"<= {n_dependent}",
            OK if within else FLAG, row["factor_id"],
            "" if within else (
                f"Korrelasjonen med {DEPENDENT_VARIABLE} kan bare bruke kommuner som har svart på"
                f" begge variablene, og {DEPENDENT_VARIABLE} har N = {n_dependent} (Tabell 12)."
                f" Da kan n ikke være {n}. Tallet ser ut til å være faktorens egen N fra"
                " Tabell 12, ikke antall par i korrelasjonen.")))
    return checks


def partial_checks(study: Study, df: int, tails: int) -> list[Check]:
    """Tabell 14: p from the partial r at the inferred df."""
    checks = []
    word = TAILS_WORD[tails]
    for _, row in study.partial.iterrows():
        recomputed = stats.p_from_r(row["r"], df, tails)
        fits = stats.p_reconciles(row["r"], row["r_decimals"], row["p"], row["p_decimals"],
                                  df, tails)
        explanation = ""
        if not fits:
            explanation = (f"Med r = {printed(row['r_printed'])} og df = {df} blir"
                           f" {p_is(recomputed)}, ikke {printed(row['p_printed'])}.")
            shifted = row["r"] / 10
            if stats.p_reconciles(shifted, row["r_decimals"] + 1, row["p"], row["p_decimals"],
                                  df, tails):
                explanation += (f" Verdien r = {num(shifted, row['r_decimals'] + 1)} ville passet"
                                " med den trykte p-verdien, så trolig mangler en null etter"
                                " desimaltegnet. Vi retter ikke tallet, men viser det som trykt.")
        checks.append(Check("Tabell 14", row["variable"], f"p ({word}, df = {df})",
                            row["p_printed"], _p_text(recomputed), OK if fits else FLAG,
                            row["factor_id"], explanation))
    return checks


def label_checks(frame: pd.DataFrame, table: str, labels: tuple[str, str],
                 threshold: stats.Threshold) -> list[Check]:
    """Each printed label against the single threshold the printed p-values imply.

    `labels` is (significant, not significant) as the table prints them.
    """
    checks = []
    level = threshold.conventional[0] if threshold.conventional else None
    for _, row in frame.iterrows():
        if level is None:
            fits, recomputed = False, "ingen felles grense"
        else:
            expected = labels[0] if row["p"] < level else labels[1]
            fits, recomputed = expected == row["label"], f"{expected} (grense p < {level:g})"
        checks.append(Check(
            table, row["variable"], "signifikansmerke", row["label"], recomputed,
            OK if fits else FLAG, row["factor_id"],
            "" if fits else "Merket passer ikke med én felles signifikansgrense for tabellen."))
    return checks


def threshold_for(frame: pd.DataFrame, significant_label: str) -> stats.Threshold:
    significant = frame["label"] == significant_label
    return stats.implied_threshold(list(frame.loc[significant, "p"]),
                                   list(frame.loc[~significant, "p"]))


def count_checks(study: Study) -> list[Check]:
    """Totals the text states (data/tekstverdier.csv), recomputed from the tables."""
    sample = study.sample.set_index("stage")["municipalities"]
    claims = study.claims.set_index("claim")
    county_sum = int(study.counties["participants"].sum())
    participated, asked = int(sample["participated"]), int(sample["asked"])
    significant = int((study.spearman["label"] == "Signifikant").sum())
    share = round(100 * participated / asked)

    def claim(key: str, variable: str, quantity: str, recomputed: int, wrong: str) -> Check:
        row = claims.loc[key]
        printed = int(row["printed"])
        where = row["source_table"]
        return Check(where, variable, quantity, str(printed), str(recomputed),
                     OK if printed == recomputed else FLAG, None,
                     "" if printed == recomputed else wrong.format(printed=printed))

    return [
        Check("Fylkesliste", "Sum av fylkene", "deltakere", str(participated), str(county_sum),
              OK if county_sum == participated else FLAG, None,
              "" if county_sum == participated else
              f"Fylkene summerer til {county_sum}, men teksten oppgir {participated} deltakere."),
        claim("response_rate_percent", "Svarprosent", "prosent", share,
              f"{participated} av {asked} er {share} %, ikke {{printed}} %."),
        claim("significant_factor_count", "Signifikante faktorer", "antall", significant,
              f"Tabell 13 merker {significant} faktorer som signifikante, ikke {{printed}}."),
    ]


def n_bounds(study: Study) -> list[Check]:
    """No N in Tabell 12 may exceed the number of municipalities that took part."""
    participated = int(study.sample.set_index("stage").loc["participated", "municipalities"])
    checks = []
    for _, row in study.descriptives.iterrows():
        fits = int(row["n"]) <= participated
        checks.append(Check("Tabell 12", row["variable"], "N (mot deltakere)", str(row["n"]),
                            f"<= {participated}", OK if fits else FLAG, row["factor_id"],
                            "" if fits else f"N kan ikke være større enn {participated},"
                            " antallet kommuner som deltok."))
    return checks


def to_frame(checks: list[Check]) -> pd.DataFrame:
    return pd.DataFrame([c.__dict__ for c in checks])
