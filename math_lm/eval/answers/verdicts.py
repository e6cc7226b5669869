"""Why an answer was graded as it was: the reason codes of every verdict (math-verify #40 asks for this)."""

from __future__ import annotations

from typing import NamedTuple

REASONS = {
    "no_answer": "no answer was extracted from the generation",
    "too_long": "an answer over the length limit is not compared",
    "degenerate": "unbalanced braces or a zero denominator: equals nothing",
    "exact": "the same text after normalisation",
    "numeric": "plain numbers (integers, decimals, fractions, bases) compared exactly by the project's rules",
    "set_tuple": "sets, tuples, intervals, lists or matrices compared element by element",
    "equation": "equations or assignments compared side by side",
    "symbolic": "expressions compared by SymPy (math-verify or the Minerva checker)",
    "untrusted": "a value the backend cannot be trusted with (tiny or huge magnitudes, factorials, "
                 "constants, quantifiers): decided exactly, else not equal",
    "parse_error": "the backend could not read one of the answers",
    "timeout": "the comparison ran out of time",
    "choice": "multiple-choice letters compared",
    "no_worker": "no answer-checking worker could be started",
    "error": "the comparison failed",
}
"""Reason code -> what it means."""


class Verdict(NamedTuple):
    """One comparison: whether the answers match, and why (a key of `REASONS`)."""

    correct: bool
    reason: str
