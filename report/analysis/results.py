"""Turn the validated study into results: one row per factor, plus the study-level facts.

Everything the site shows as a number is in `Results`; templates only format it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..inputs.tables import DEPENDENT_VARIABLE, Study
from . import consistency, stats
from .items import item_checks

STRONG_RHO = 0.3  # Cohen's "medium" correlation


@dataclass(frozen=True)
class Rating:
    key: str
    label: str
    rule: str  # {tests}: the number of factors tested together

    def rule_for(self, tests: int) -> str:
        return self.rule.format(tests=tests)


RATINGS = {
    "sterk": Rating("sterk", "Sterk",
                    "ρ er minst 0,3, sammenhengen tåler Holm-justering for {tests} tester, og den"
                    " partielle korrelasjonen er fortsatt signifikant (p < 0,05 tosidig)."),
    "moderat": Rating("moderat", "Moderat",
                      "Sammenhengen tåler Holm-justering for {tests} tester, men forsvinner når de"
                      " andre faktorene holdes konstant (partiell korrelasjon ikke signifikant)."),
    "svak": Rating("svak", "Svak",
                   "Signifikant (p < 0,05 tosidig) før justering, men ikke etter Holm-justering"
                   " for {tests} tester."),
    "ingen": Rating("ingen", "Ikke påvist",
                    "Ikke signifikant selv uten justering (p ≥ 0,05 tosidig)."),
}


def rate(rho: float, p_holm: float, p_two: float, partial_holds: bool) -> str:
    """The evidence-strength rule documented on the method page."""
    if p_holm < stats.ALPHA:
        return "sterk" if abs(rho) >= STRONG_RHO and partial_holds else "moderat"
    if p_two < stats.ALPHA:
        return "svak"
    return "ingen"


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
    def partial_n(self) -> int:
        """The listwise n the inferred df implies: df = n - 2 - number of controls (each partial
        correlation holds the other factors constant)."""
        return self.partial_df + 2 + (len(self.factors) - 1)


def factor_table(study: Study, n_dependent: int) -> pd.DataFrame:
    """Join catalogue, Tabell 12-15 and the derived statistics, one row per factor.
    n_dependent: N of the dependent variable, the most pairs a correlation with it can have."""
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
        rho_low, rho_high = stats.fisher_ci(s["rho"], n_rho)
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
            "partial_p": p["p"], "partial_p_printed": p["p_printed"],
            "partial_label": p["label"], "t14_line": int(p["source_line"]),
            "recommendation": r["recommendation"], "t15_lines": r["source_lines"],
        })
    table = pd.DataFrame(rows)
    table["p_holm"] = stats.holm(list(table["p_two"]))
    table["p_bh"] = stats.benjamini_hochberg(list(table["p_two"]))
    table["holm_significant"] = table["p_holm"] < stats.ALPHA
    table["bh_significant"] = table["p_bh"] < stats.ALPHA
    # Tabell 14's p is one-tailed (see the consistency check); doubled it is the two-tailed p.
    # The printed p is used rather than one recomputed from r, because one printed r is flagged.
    table["partial_p_two"] = (2 * table["partial_p"]).clip(upper=1.0)
    table["partial_holds"] = table["partial_p_two"] < stats.ALPHA
    table["rating"] = [rate(row.rho, row.p_holm, row.p_two, row.partial_holds)
                       for row in table.itertuples()]
    # Several printed n exceed the pairs a correlation with the dependent variable can have (a
    # consistency flag). The rating keeps the printed n; this is the rating with n at that bound,
    # so a factor page can say where the printed n decides the rating.
    table["n_pairs"] = table["rho_n"].clip(upper=n_dependent)
    table["p_two_pairs"] = [stats.p_from_r(row.rho, row.n_pairs - 2, 2)
                            for row in table.itertuples()]
    table["p_holm_pairs"] = stats.holm(list(table["p_two_pairs"]))
    table["rating_pairs"] = [rate(row.rho, row.p_holm_pairs, row.p_two_pairs, row.partial_holds)
                             for row in table.itertuples()]
    return table


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
        factors=factor_table(study, int(dep["n"])),
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
