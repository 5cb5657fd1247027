"""Turn the validated study into results: one row per factor, plus the study-level facts.

Everything the site shows as a number is in `Results`; templates only format it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..formatting import num
from ..inputs.quotes import marked_misprints
from ..inputs.tables import DEPENDENT_VARIABLE, Study
from . import consistency, stats
from .items import item_checks


@dataclass(frozen=True)
class Rating:
    """One level of the site's single verdict on a factor: how clear and how independent of the
    other factors its association with automation is (an association, never an effect)."""

    key: str
    label: str     # the verdict in words, wherever a factor is rated
    meaning: str   # what it means, for a municipal leader; {more}: "mer" or "mindre"
    rule: str      # the rule, on the method page; {tests}: the tests adjusted for; {alpha}

    def rule_for(self, tests: int) -> str:
        return self.rule.format(tests=tests, alpha=num(stats.ALPHA, 2))

    def meaning_for(self, rho: float) -> str:
        """The meaning in the direction of the association."""
        return self.meaning.format(more="mer" if rho >= 0 else "mindre")


RATINGS = {  # strongest first
    "tydelig": Rating(
        "tydelig", "Tydelig sammenheng",
        "Kommuner som skårer høyt her, oppgir også {more} automatisering, og sammenhengen står "
        "seg når de andre faktorene holdes konstant.",
        "Sammenhengen med automatisering holder etter Holm-justering for alle {tests} testene, "
        "og det gjør også den partielle korrelasjonen (de andre faktorene holdt konstant)."),
    "delt": Rating(
        "delt", "Sammenheng som deles med andre faktorer",
        "Kommuner som skårer høyt her, oppgir også {more} automatisering, og sammenhengen er for "
        "sterk til å skyldes tilfeldigheter alene. Når de andre faktorene holdes konstant, kan "
        "den ikke skilles fra dem: den kan komme av det faktoren har felles med de andre.",
        "Sammenhengen holder etter Holm-justering for alle {tests} testene, men den partielle "
        "korrelasjonen gjør det ikke."),
    "usikker": Rating(
        "usikker", "Usikker sammenheng",
        "Det er tegn til en sammenheng, men den er for svak til å skilles fra tilfeldigheter når "
        "så mange faktorer er testet samtidig.",
        "p < {alpha} tosidig før justering, men ikke etter Holm-justering for alle {tests} "
        "testene."),
    "ingen": Rating(
        "ingen", "Ingen påvist sammenheng",
        "Undersøkelsen har ikke påvist noen sammenheng med automatisering. Det betyr ikke at "
        "det ikke finnes en.",
        "p ≥ {alpha} tosidig, selv uten justering."),
}


def rate(bivariate_holds: bool, partial_holds: bool, p_two: float) -> str:
    """The rule documented on the method page: bivariate_holds and partial_holds after the
    adjustment for every test the rule uses, p_two before it."""
    if bivariate_holds:
        return "tydelig" if partial_holds else "delt"
    return "usikker" if p_two < stats.ALPHA else "ingen"


@dataclass
class Results:
    factors: pd.DataFrame        # one row per factor, catalogue order
    dependent: dict              # N, mean, SD and CI of Automatisering
    consistency: pd.DataFrame    # every check, with explanations
    spearman_tails: int
    spearman_tail_counts: dict
    partial_df: int
    partial_df_fits: int
    partial_tails: int
    threshold: stats.Threshold   # from the labels of Tabell 13 and 14 together
    sample_table: pd.DataFrame   # asked, participated, completed, with labels and sources
    counties: pd.DataFrame
    interviews: pd.DataFrame
    areas: pd.DataFrame
    item_checks: pd.DataFrame    # statement means vs Tabell 12, per variable

    @property
    def sample(self) -> dict:
        """{'asked': 422, 'participated': 105, 'completed': 71}"""
        table = self.sample_table
        return dict(zip(table["stage"], (int(v) for v in table["municipalities"]), strict=True))

    @property
    def response_rate(self) -> float:
        """Municipalities that took part, as a share of those invited."""
        return self.sample["participated"] / self.sample["asked"]

    @property
    def flags(self) -> pd.DataFrame:
        return self.consistency[self.consistency["status"] == consistency.FLAG]

    @property
    def significant_only_at_05(self) -> pd.DataFrame:
        """Factors the thesis marks not significant that the usual 0.05 (one-tailed) would pass."""
        f = self.factors
        return f[(f["label"] != "Signifikant") & (f["p_one"] < stats.ALPHA)]

    @property
    def partial_significant_only_at_05(self) -> pd.DataFrame:
        """Factors whose partial correlation the thesis marks not significant that the usual
        0.05 (one-tailed, as Tabell 14 prints p) would pass."""
        f = self.factors
        return f[(f["partial_label"] != "Signifikant") & (f["partial_p"] < stats.ALPHA)]

    @property
    def tests(self) -> int:
        """How many tests the rating's adjustment covers: a bivariate and a partial correlation
        per factor."""
        return 2 * len(self.factors)

    @property
    def partial_n(self) -> int:
        """The listwise n the inferred df implies: df = n - 2 - number of controls (each partial
        correlation holds the other factors constant)."""
        return self.partial_df + 2 + (len(self.factors) - 1)


def factor_table(study: Study, n_dependent: int, partial_df: int, partial_tails: int
                 ) -> pd.DataFrame:
    """Join catalogue, Tabell 12-15 and the derived statistics, one row per factor.
    n_dependent: N of the dependent variable, the most pairs a correlation with it can have;
    partial_df and partial_tails: what Tabell 14's printed values imply (no n is printed)."""
    areas = study.areas.set_index("name")
    desc = study.descriptives.dropna(subset=["factor_id"]).set_index("factor_id")
    rho = study.spearman.set_index("factor_id")
    part = study.partial.set_index("factor_id")
    rec = study.recommendations.set_index("factor_id")
    rows = []
    for factor in study.factors.itertuples(index=False):
        fid = factor.factor_id
        d, s, p, r = desc.loc[fid], rho.loc[fid], part.loc[fid], rec.loc[fid]
        n_rho = int(s["n"])
        mean_low, mean_high = stats.mean_ci(d["mean"], d["sd"], int(d["n"]))
        # at most as many pairs as Automatisering has answers (see `rated`)
        rho_low, rho_high = stats.fisher_ci(s["rho"], min(n_rho, n_dependent))
        rows.append({
            "factor_id": fid,
            "name": factor.name,
            "area": factor.area,
            "area_id": areas.loc[factor.area, "area_id"],
            "n": int(d["n"]), "mean": d["mean"], "sd": d["sd"],
            "mean_printed": d["mean_printed"], "sd_printed": d["sd_printed"],
            "mean_low": mean_low, "mean_high": mean_high,
            "t12_line": int(d["source_line"]),
            "rho": s["rho"], "rho_printed": s["rho_printed"], "rho_n": n_rho,
            "rho_low": rho_low, "rho_high": rho_high,
            "p_printed": s["p_printed"], "label": s["label"], "t13_line": int(s["source_line"]),
            "p_one": stats.p_from_r(s["rho"], n_rho - 2, 1),
            "p_two": stats.p_from_r(s["rho"], n_rho - 2, 2),
            "partial_r": p["r"], "partial_r_printed": p["r_printed"],
            "partial_r_decimals": p["r_decimals"], "partial_p_decimals": p["p_decimals"],
            "partial_p": p["p"], "partial_p_printed": p["p_printed"],
            "partial_label": p["label"], "t14_line": int(p["source_line"]),
            "recommendation": marked_misprints(r["recommendation"], r["sic"]),
            "t15_lines": r["source_lines"],
        })
    return rated(pd.DataFrame(rows), n_dependent, partial_df, partial_tails)


def rated(table: pd.DataFrame, n_dependent: int, partial_df: int, partial_tails: int
          ) -> pd.DataFrame:
    """The columns of the site's single rating, computed conservatively:
    - a correlation with Automatisering can have no more pairs than Automatisering has answers
      (n_dependent), so a printed n above that is replaced by it (n_used);
    - the partial p is recomputed, two-tailed, from the printed r at the inferred df where r and p
      agree, and is the printed p made two-tailed where they do not (a flagged r);
    - Holm's adjustment runs over every test the rule uses: the bivariate and the partial
      correlations of all factors together."""
    table = table.copy()
    table["n_used"] = table["rho_n"].clip(upper=n_dependent)
    table["p_used"] = [stats.p_from_r(row.rho, row.n_used - 2, 2) for row in table.itertuples()]
    table["partial_p_used"] = [
        stats.p_from_r(row.partial_r, partial_df, 2)
        if stats.p_reconciles(row.partial_r, row.partial_r_decimals, row.partial_p,
                              row.partial_p_decimals, partial_df, partial_tails)
        else min(row.partial_p * (2 if partial_tails == 1 else 1), 1.0)
        for row in table.itertuples()]
    adjusted = stats.holm([*table["p_used"], *table["partial_p_used"]])
    table["p_holm"], table["partial_p_holm"] = adjusted[:len(table)], adjusted[len(table):]
    table["bivariate_holds"] = table["p_holm"] < stats.ALPHA
    table["partial_holds"] = table["partial_p_holm"] < stats.ALPHA
    table["rating"] = [rate(row.bivariate_holds, row.partial_holds, row.p_used)
                       for row in table.itertuples()]
    table["rating_order"] = table["rating"].map(list(RATINGS).index)
    return table


def by_rating(factors: pd.DataFrame) -> pd.DataFrame:
    """The factors in the site's order: the clearest rating first, then the strongest rho."""
    return factors.sort_values(["rating_order", "rho"], ascending=[True, False], kind="stable")


def analyse(study: Study) -> Results:
    tails, tail_counts = consistency.infer_tails(study.spearman, "rho", lambda row: row["n"] - 2)
    partial_tails = tails  # the same analyst and software printed both tables
    partial_df, partial_fits = consistency.infer_partial_df(study.partial, partial_tails)
    both = pd.concat([study.spearman[["p", "label"]], study.partial[["p", "label"]]])
    threshold = consistency.threshold_for(both, "Signifikant")
    checks = (
        consistency.spearman_checks(study, tails)
        + consistency.label_checks(study.spearman, "Tabell 13", ("Signifikant", "n.s"), threshold)
        + consistency.partial_checks(study, partial_df, partial_tails)
        + consistency.label_checks(study.partial, "Tabell 14", ("Signifikant", "(n.s.)"),
                                   threshold)
        + consistency.n_bounds(study)
        + consistency.count_checks(study)
    )
    dep = study.descriptives.set_index("variable").loc[DEPENDENT_VARIABLE]
    dep_low, dep_high = stats.mean_ci(dep["mean"], dep["sd"], int(dep["n"]))
    return Results(
        factors=factor_table(study, int(dep["n"]), partial_df, partial_tails),
        dependent={"name": DEPENDENT_VARIABLE, "n": int(dep["n"]), "mean": dep["mean"],
                   "sd": dep["sd"], "mean_low": dep_low, "mean_high": dep_high,
                   "mean_printed": dep["mean_printed"], "sd_printed": dep["sd_printed"],
                   "line": int(dep["source_line"])},
        consistency=consistency.to_frame(checks),
        spearman_tails=tails, spearman_tail_counts=tail_counts,
        partial_df=partial_df, partial_df_fits=partial_fits, partial_tails=partial_tails,
        threshold=threshold, sample_table=study.sample, counties=study.counties,
        interviews=study.interviews, areas=study.areas,
        item_checks=item_checks(study.items, study.descriptives),
    )
