"""Majority voting by equivalence and the per-task sampling settings."""

import pytest

from math_lm.eval.answers import answers_match
from math_lm.eval.voting import GREEDY, SamplingSettings, majority_vote, sampling_settings


def test_votes_are_grouped_by_equivalence_not_by_string():
    winner, counts = majority_vote(["3", "\\frac12", "3", "0.5", "\\dfrac{1}{2}", "3.0"])
    assert winner == "3" and counts == {"3": 3, "\\frac12": 3}
    winner, counts = majority_vote(["(1,2)", "\\left(1, 2\\right)", "7", "(1, 2)"])
    assert winner == "(1,2)" and counts == {"(1,2)": 3, "7": 1}


def test_ties_go_to_the_first_answer_seen():
    assert majority_vote(["2", "1", "1", "2"])[0] == "2"
    assert majority_vote(["1", "2", "2", "1"])[0] == "1"


def test_missing_answers_never_win():
    winner, counts = majority_vote([None, None, "", "  ", "5"])
    assert winner == "5" and counts == {"5": 1}
    assert majority_vote([None, ""]) == (None, {})
    assert majority_vote([]) == (None, {})


def test_custom_equivalence():
    def ocw(prediction: str, reference: str) -> bool:
        return answers_match("ocw", prediction, reference)

    winner, counts = majority_vote(["9.80", "9.81", "9.85", "4"], equiv=ocw)
    assert winner == "9.80" and counts == {"9.80": 3, "4": 1}
    exact_winner, exact_counts = majority_vote(["9.80", "9.81", "9.85", "4"], equiv=str.__eq__)
    assert exact_winner == "9.80" and len(exact_counts) == 4


def test_paper_sampling_settings():
    for task in ("math", "gsm8k", "ocw", "llemma_math"):
        assert sampling_settings(task, samples=16) == SamplingSettings(temperature=0.6, top_p=0.95)
    for task in ("mmlu_stem", "sat"):
        assert sampling_settings(task, samples=16) == SamplingSettings(temperature=0.3, top_p=0.95)
    assert sampling_settings("math", samples=1) == GREEDY and GREEDY.greedy
    with pytest.raises(ValueError, match="no maj@k sampling settings"):
        sampling_settings("chemistry", samples=4)
    with pytest.raises(ValueError, match="at least 1"):
        sampling_settings("math", samples=0)
