"""Public comparison and grading: `is_equiv`, `answers_match`, `grade`, with a choice of backend.

Backends (`BACKENDS`):

- `math_verify` (default): Hugging Face's math-verify (`math_verify_backend`);
- `minerva`: the paper's metric, Minerva normalisation + SymPy equivalence (`minerva_sympy`).

Either way the project's exact rules (`exact`) run first, in this process, and settle plain
numbers, base numerals, degenerate input and equation-against-value; what is left goes to a
worker process (`workers`) under a time limit that holds. Scores can be computed both ways
on the same generations (`GRADERS` names them for tables).

Every verdict says why (`Verdict.reason`, one of `REASONS`): `compare` and `answer_verdict`
return it, `is_equiv` and `answers_match` keep only the boolean.
"""

from __future__ import annotations

import re
import time
from importlib import metadata
from typing import NamedTuple

from math_lm.eval.answers import exact
from math_lm.eval.answers.extraction import extract_choice, extract_final_answer, extract_gsm8k_answer
from math_lm.eval.answers.normalization import clean_answer
from math_lm.eval.answers.structure import equivalent_structures, shape
from math_lm.eval.answers.workers import POOL, WorkerUnavailable
from math_lm.eval.answers.verdicts import Verdict

BACKENDS = ("math_verify", "minerva")
"""Equivalence backends; the first is the default."""

DEFAULT_BACKEND = BACKENDS[0]

GRADERS = {"math_verify": "math-verify", "minerva": "Minerva/SymPy"}
"""How tables and reports name each backend."""

OCW_REL_TOL = 0.01
"""OCWCourses accepts a numeric answer within 1% of a decimal reference (as in Minerva)."""

DEFAULT_TIMEOUT_S = 5.0
"""Wall-clock limit of one `is_equiv` call."""

MAX_ANSWER_LENGTH = 2000
"""Longer answers are not compared (False): no benchmark's final answer comes close (MATH's
longest boxed answers are matrices of a few hundred characters), and the in-process rules
must stay far inside the time limit."""


RULES_VERSION = 3
"""Bumped whenever extraction or comparison rules change what a verdict is, so that scores
saved by `python -m math_lm.eval score` under older rules are recomputed."""


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


GRADER_CONFIG = {
    "rules_version": RULES_VERSION, "backends": list(BACKENDS), "timeout_s": DEFAULT_TIMEOUT_S,
    "ocw_rel_tol": OCW_REL_TOL, "math_verify": _package_version("math-verify"),
    "latex2sympy2_extended": _package_version("latex2sympy2_extended"), "sympy": _package_version("sympy"),
}
"""Everything a verdict depends on besides the two answers (part of each scored record's hash)."""


_UNTRUSTED_NOTATION = re.compile(
    r"\\(?:forall|exists|nexists|ldots|dots|cdots|dotsc|dotsb|dotsm|vdots)(?![A-Za-z])|\.\.\.")
"""Quantifiers and elided sequences, which neither backend reads (math-verify reads `\\forall x>0,
f(x)=0` as `0`, and `1, 3, 5, \\ldots, 2n-1` like `1, 2, \\ldots, n`): such answers are equal only
as the same text after normalisation."""


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"unknown grading backend {backend!r}; expected one of {', '.join(BACKENDS)}")


def compare(
    prediction: str | None,
    reference: str | None,
    *,
    backend: str = DEFAULT_BACKEND,
    rel_tol: float = 0.0,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> Verdict:
    """Whether a predicted final answer matches the reference answer, and why (`Verdict`).

    Both are raw answer strings (LaTeX, possibly with `$`, units, `\\boxed`). `rel_tol` > 0
    is a relative tolerance for decimal references (OCWCourses); otherwise numbers compare
    exactly except as `exact` documents. Returns within `timeout` seconds; never raises on
    bad input (a failure or a timeout is not equal). Raises ValueError for an unknown backend.
    """
    _check_backend(backend)
    started = time.monotonic()
    try:
        if not isinstance(prediction, str) or not isinstance(reference, str) or not prediction.strip():
            return Verdict(False, "no_answer")
        if len(prediction) > MAX_ANSWER_LENGTH or len(reference) > MAX_ANSWER_LENGTH:
            return Verdict(False, "too_long")
        if _UNTRUSTED_NOTATION.search(prediction) or _UNTRUSTED_NOTATION.search(reference):
            return Verdict(clean_answer(prediction) == clean_answer(reference), "untrusted")
        solutions = exact.solution_tuples(clean_answer(prediction)), exact.solution_tuples(clean_answer(reference))
        if solutions[0] is not None or solutions[1] is not None:
            return _compare_solutions(solutions, prediction, reference, backend, rel_tol, started + timeout)
        lists = exact.assignment_items(clean_answer(prediction)), exact.assignment_items(clean_answer(reference))
        if lists[0] is not None or lists[1] is not None:
            return _compare_assignment_lists(lists, prediction, reference, backend, rel_tol, started + timeout)
        decided = exact.decide_with_reason(prediction, reference, rel_tol)
        if decided is not None:
            return decided
        if backend == "minerva" and _minerva_without_sympy(prediction, reference, rel_tol):
            kind = shape(clean_answer(reference))
            return Verdict(True, "numeric" if kind == "symbolic" else kind)
        return POOL.compare(backend, prediction, reference, rel_tol, timeout - (time.monotonic() - started))
    except WorkerUnavailable:
        return Verdict(False, "no_worker")
    except Exception:
        return Verdict(False, "error")


def _compare_solutions(
    solutions: tuple[tuple[list[str], str] | None, tuple[list[str], str] | None], prediction: str,
    reference: str, backend: str, rel_tol: float, deadline: float,
) -> Verdict:
    """Solutions written as `p=5,q=2;p=7,q=2` (`exact.solution_tuples`), as tuples of values:
    against the same form, only for the same variables in the same order; against values, in
    the order the named side writes them."""
    if solutions[0] is not None and solutions[1] is not None and solutions[0][0] != solutions[1][0]:
        return Verdict(False, "equation")
    texts = [found[1] if found is not None else text for found, text in zip(solutions, (prediction, reference))]
    verdict = compare(texts[0], texts[1], backend=backend, rel_tol=rel_tol, timeout=deadline - time.monotonic())
    return Verdict(verdict.correct, "set_tuple" if verdict.correct else verdict.reason)


def _label_of_values(items: list[str]) -> str | None:
    """`x` for the items of `x = 1, 2, 3` (a label on the first item only), else None."""
    from math_lm.eval.answers.structure import split_top_level

    if len(items) < 2 or any(len(split_top_level(item, "=")) > 1 for item in items[1:]):
        return None
    return exact.assigned_variable(items[0])


def _compare_assignment_lists(
    lists: tuple[list[str] | None, list[str] | None], prediction: str, reference: str, backend: str,
    rel_tol: float, deadline: float,
) -> Verdict:
    """Lists that hold assignments, item by item: the same number of items, each matched once.

    When both sides name every variable, items pair by variable in any order; otherwise in the
    order written (`4, 5` answers `AB=4, CD=5`, not `CD=4, AB=5`).
    """
    from math_lm.eval.answers.structure import split_top_level

    items = [found if found is not None else split_top_level(clean_answer(text), ",")
             for found, text in zip(lists, (prediction, reference))]
    labels = [_label_of_values(side) for side in items]
    if labels[0] or labels[1]:  # `n = 1, 2, 3`: one label for a list of values
        if labels[0] and labels[1] and labels[0] != labels[1]:
            return Verdict(False, "equation")
        if any(exact.assigned_variable(item) for side, label in zip(items, labels) if not label for item in side):
            return Verdict(False, "equation")
        values = [", ".join([exact.value_side(clean_answer(side[0])) or "", *side[1:]]) if label else ", ".join(side)
                  for side, label in zip(items, labels)]
        verdict = compare(values[0], values[1], backend=backend, rel_tol=rel_tol, timeout=deadline - time.monotonic())
        return Verdict(verdict.correct, "equation")
    if len(items[0]) != len(items[1]):
        return Verdict(False, "equation")

    def same(a: str, b: str) -> bool:
        return compare(a, b, backend=backend, rel_tol=rel_tol, timeout=deadline - time.monotonic()).correct

    labelled = all(exact.assigned_variable(item) for side in items for item in side)
    if not labelled:
        return Verdict(all(same(a, b) for a, b in zip(*items)), "equation")
    unmatched = list(items[1])
    for item in items[0]:
        match = next((i for i, candidate in enumerate(unmatched) if same(item, candidate)), None)
        if match is None:
            return Verdict(False, "equation")
        del unmatched[match]
    return Verdict(True, "equation")


def is_equiv(
    prediction: str | None,
    reference: str | None,
    *,
    backend: str = DEFAULT_BACKEND,
    rel_tol: float = 0.0,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> bool:
    """`compare(...).correct`: whether a predicted final answer matches the reference answer."""
    return compare(prediction, reference, backend=backend, rel_tol=rel_tol, timeout=timeout).correct


def _minerva_without_sympy(prediction: str, reference: str, rel_tol: float) -> bool:
    """Structure by structure with string and plain-number leaves: the common cases, no worker."""
    left, right = clean_answer(prediction), clean_answer(reference)
    return equivalent_structures(left, right, lambda a, b: exact.compare_leaves(a, b, rel_tol) is True)


def is_equiv_ocw(
    prediction: str | None, reference: str | None, *, backend: str = DEFAULT_BACKEND,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> bool:
    """`is_equiv` with OCWCourses' numeric tolerance: within 1% of a decimal reference."""
    return is_equiv(prediction, reference, backend=backend, rel_tol=OCW_REL_TOL, timeout=timeout)


class Graded(NamedTuple):
    """One graded generation: the answer extracted from it (None if none), its verdict and why."""

    extracted: str | None
    correct: bool
    reason: str = "no_answer"


ANSWER_STYLES = ("math", "gsm8k", "ocw", "multiple_choice")
"""Answer styles `grade` knows: Minerva MATH, GSM8k "The answer is N", OCW (1%), A-E choice."""


def _check_style(style: str) -> None:
    if style not in ANSWER_STYLES:
        raise ValueError(f"unknown answer style {style!r}; expected one of {', '.join(ANSWER_STYLES)}")


def answer_verdict(
    style: str, extracted: str | None, reference: str, *, backend: str = DEFAULT_BACKEND,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> Verdict:
    """Compare an already extracted answer (or a program's output) with the reference, and say why.

    Raises ValueError for an unknown style or backend.
    """
    _check_style(style)
    _check_backend(backend)
    if extracted is None or not extracted.strip():
        return Verdict(False, "no_answer")
    if style == "multiple_choice":
        letter = extract_choice(f"The answer is {reference}") or reference.strip().upper()
        return Verdict(extracted.strip().strip("()").upper() == letter, "choice")
    rel_tol = OCW_REL_TOL if style == "ocw" else 0.0
    return compare(extracted, reference, backend=backend, rel_tol=rel_tol, timeout=timeout)


def answers_match(
    style: str, extracted: str | None, reference: str, *, backend: str = DEFAULT_BACKEND,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> bool:
    """`answer_verdict(...).correct`; usable as the `equiv` of majority voting, e.g.
    `functools.partial(answers_match, "ocw")`."""
    return answer_verdict(style, extracted, reference, backend=backend, timeout=timeout).correct


def extract_answer(style: str, generation: str, *, timeout: float = DEFAULT_TIMEOUT_S) -> str | None:
    """The answer a generation gives, with the extractor of `style`.

    MATH and OCW: Minerva's "Final Answer: The final answer is ..." first, then the last box
    (`extract_final_answer`); a generation with neither (the answer in prose, `$...$` only) is
    read by math-verify's extraction in a worker, within `timeout`.
    """
    _check_style(style)
    if style == "gsm8k":
        return extract_gsm8k_answer(generation)
    if style == "multiple_choice":
        return extract_choice(generation)
    answer = extract_final_answer(generation)
    if answer is not None or not generation.strip():
        return answer
    try:
        return POOL.extract(generation, timeout)
    except WorkerUnavailable:
        return None


def grade(
    style: str, generation: str, reference: str, *, backend: str = DEFAULT_BACKEND,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> Graded:
    """Extract the answer from `generation` and check it against the reference answer.

    `reference` is the reference *answer* (e.g. `math_reference_answer(solution)`, or
    `gsm8k_reference_answer(answer_field)`), not a full solution.
    """
    extracted = extract_answer(style, generation, timeout=timeout)
    verdict = answer_verdict(style, extracted, reference, backend=backend, timeout=timeout)
    return Graded(extracted, verdict.correct, verdict.reason)
