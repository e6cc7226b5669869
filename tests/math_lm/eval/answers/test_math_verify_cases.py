"""math-verify's own test cases (`math_verify_cases`), graded the way `score` grades MATH.

Each prediction goes through `extract_answer("math", ...)` and the default backend, against the
gold's answer (its boxed or Minerva final answer, else the gold as written). No case that
math-verify expects unequal may be graded correct. The cases where the project disagrees are
listed below with the reason; the list may only shrink.
"""

import pytest

from math_lm.eval.answers import extract_final_answer, grade, start_workers
from tests.math_lm.eval.answers.math_verify_cases import MATH_VERIFY_CASES

# Where math-verify's expectation is a tolerance or a misreading that the project refuses (issue 21 §1).
PROJECT_REFUSES = {
    ("$\\frac{1}{12}$", "$0.0833333333333333$"): "an exact fraction against a truncated decimal: not the same number",
    ("4.123105625617661", "$\\sqrt{17}$"): "an exact root against a decimal reference, like \\pi against 3.14159265",
    ("$1 - \\frac{1}{\\mathrm{e}}$", "$1 + \\frac{1}{\\mathrm{e}}$"): "math-verify misreads \\mathrm{e}: different values",
}
# Not graded equal yet (false negatives the project has, math-verify has not).
NOT_YET = {
    ("$\\\\boxed{35 cm} ++++++ \\\\boxed{4}$", "${35 cm,4}$"),  # `\\boxed` after a row break
    ("\\\\boxed{W(n) = 1 \\\\text{ and } W(n) = -1", "W(x)=1orW(x)=-1"),  # unbalanced gold, `or` unspaced
}


LOADED_MACHINE_TIMEOUT_S = 120.0  # verdicts, not speed: a loaded 2-core machine must not turn them into timeouts


def reference_answer(gold: str) -> str:
    return extract_final_answer(gold) or gold


def test_the_table_is_math_verify_suite():
    assert len(MATH_VERIFY_CASES) == 255
    assert len({(gold, prediction) for _, gold, prediction, _ in MATH_VERIFY_CASES}) == 255
    assert sum(expected for *_, expected in MATH_VERIFY_CASES) == 217


@pytest.mark.slow
def test_agreement_with_math_verify_suite_and_no_false_positive():
    start_workers()
    false_positives, disagreements = [], []
    for source, gold, prediction, expected in MATH_VERIFY_CASES:
        graded = grade("math", prediction, reference_answer(gold), timeout=LOADED_MACHINE_TIMEOUT_S)
        if graded.correct and not expected:
            false_positives.append((source, gold, prediction, graded))
        elif graded.correct != bool(expected):
            disagreements.append((gold, prediction))
    assert false_positives == []
    unexplained = [pair for pair in disagreements if pair not in PROJECT_REFUSES and pair not in NOT_YET]
    assert unexplained == []
    assert len(MATH_VERIFY_CASES) - len(disagreements) >= 246
