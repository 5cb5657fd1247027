"""The curated evidence: quotes verbatim in the sources, and the item reconstruction check."""

import difflib

import pytest

from report.analysis.items import item_checks, printed_mean_interval
from report.inputs.evidence import load_evidence
from report.inputs.quotes import occurs, where_it_differs
from report.inputs.seeds import normalise


@pytest.fixture(scope="module")
def evidence(study, root):
    return load_evidence(root / "content", list(study.factors["factor_id"]))


def all_quotes(evidence):
    return [(fid, q) for fid, item in evidence.items() for q in item.quotes()]


def test_every_quote_occurs_verbatim_in_its_source_lines(evidence):
    quotes = all_quotes(evidence)
    assert len(quotes) > 100
    missing = [(fid, q.seed, q.lines, q.text[:50]) for fid, q in quotes
               if not occurs(q.text, q.seed, q.lines)]
    assert missing == []


def test_quote_check_notices_a_changed_word_or_wrong_lines():
    # Respondent 4 on gevinstrealisering (seed 004, lines 4589-4591)
    quote = "Det finnes en plan, men hvor stor den tas opp og følges opp videre"
    assert occurs(quote, "004", "4589-4591")
    assert not occurs(quote.replace("finnes", "fins"), "004", "4589-4591")
    assert not occurs(quote, "004", "4600-4610")


def test_every_recommendation_of_tabell15_occurs_verbatim_in_its_source_lines(study):
    """The factor pages show Tabell 15's recommendation as the thesis's words."""
    rows = study.recommendations.to_dict("records")
    assert len(rows) == len(study.factors)
    assert [row["factor"] for row in rows
            if not occurs(row["recommendation"], "004", row["source_lines"])] == []


def test_no_first_step_repeats_the_recommendation_above_it(evidence, study):
    """The first screen shows Tabell 15's recommendation and then the first steps: a step that
    only says the recommendation again (the discussion's sentence Tabell 15 sums up) takes a
    phone's screen from a step the reader can act on."""
    names = dict(zip(study.factors["factor_id"], study.factors["name"], strict=True))
    recommendations = dict(zip(study.recommendations["factor"],
                               study.recommendations["recommendation"], strict=True))
    def share_in_recommendation(step: str, factor_id: str) -> float:
        """How much of the step's text occurs, in order, in the recommendation (1: all of it)."""
        step = normalise(step).lower()
        matcher = difflib.SequenceMatcher(None, step, normalise(
            recommendations[names[factor_id]]).lower(), autojunk=False)
        return sum(block.size for block in matcher.get_matching_blocks()) / len(step)

    repeats = [(factor_id, step.text[:60]) for factor_id, item in evidence.items()
               for step in item.first_steps if share_in_recommendation(step.text, factor_id) > 0.8]
    assert repeats == []


def test_a_quote_that_is_not_verbatim_is_shown_where_it_leaves_the_source():
    quote = "Det fins en plan, men hvor stor den tas opp"
    assert where_it_differs(quote, "004", "4589-4591") == \
        'it follows them up to "…Det", then has "fins en plan, men hvor stor…"'
    assert where_it_differs("Planen finnes", "004", "4589-4591") == \
        'its first word "Planen" is not in those lines'


def test_normalising_joins_line_breaks_and_hyphenated_line_ends():
    assert normalise("IT-\n\n avdelingens   ansvar") == "IT-avdelingens ansvar"


def test_every_factor_has_interview_evidence_or_says_it_has_none(evidence):
    for fid, item in evidence.items():
        assert item.interviews.quotes or "ikke" in item.interviews.summary, fid
        if not item.husbanken.quotes:
            assert item.husbanken.chapter is None
            assert any(word in item.husbanken.summary for word in ("ikke", "ingen")), fid


def test_printed_mean_interval_covers_rounding_and_truncation():
    low, high = printed_mean_interval(3.69, 2)  # 3,6995 is printed 3,69 in the thesis
    assert low <= 3.685 and high >= 3.6995


def test_reconstruction_reproduces_most_factor_means(results):
    checks = results.item_checks.set_index("variable")
    factors = checks.drop(index="automatisering")
    agreeing = set(factors.index[factors["agrees"] == True])  # noqa: E712 - pandas mask
    assert len(agreeing) >= 15
    # The two the discussion cannot fully reconstruct are reported, not hidden:
    assert not checks.loc["ledelsesinvolvering", "agrees"]
    assert not checks.loc["automatisering", "agrees"]


def test_reverse_scoring_is_what_makes_gevinstrealisering_agree(results):
    row = results.item_checks.set_index("variable").loc["gevinstrealisering"]
    assert row["reversed"] == 1
    assert row["agrees"] and not row["agrees_unreversed"]
    assert row["average"] == pytest.approx(3.275)


def test_reconstruct_by_hand(study):
    # Strukturert: its two quoted statement means, 2,92 and 3,46, against Tabell 12's 3,1914
    row = item_checks(study.items, study.descriptives).set_index("variable").loc["strukturert"]
    assert row["items"] == 2
    assert row["average"] == pytest.approx((2.92 + 3.46) / 2)
    assert row["agrees"]


def test_item_checks_cover_all_18_variables(study):
    checks = item_checks(study.items, study.descriptives)
    assert len(checks) == 18
