"""Public comparison and grading: `is_equiv`, `answers_match`, `grade`, with a choice of backend.

Backends (`BACKENDS`):

- `math_verify` (default): Hugging Face's math-verify (`math_verify_backend`);
- `minerva`: the paper's metric, Minerva normalisation + SymPy equivalence (`minerva_sympy`).

Either way the project's exact rules (`exact`) run first, in this process, and settle plain
numbers, base numerals, degenerate input and equation-against-value; what is left goes to a
worker process (`workers`) under a time limit that holds. Scores can be computed both ways
on the same generations (`GRADERS` names them for tables).
"""

from __future__ import annotations

import time
from typing import NamedTuple

from math_lm.eval.answers import exact
from math_lm.eval.answers.extraction import extract_choice, extract_final_answer, extract_gsm8k_answer
from math_lm.eval.answers.normalization import clean_answer
from math_lm.eval.answers.structure import equivalent_structures
from math_lm.eval.answers.workers import POOL, WorkerUnavailable

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


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"unknown grading backend {backend!r}; expected one of {', '.join(BACKENDS)}")


def is_equiv(
    prediction: str | None,
    reference: str | None,
    *,
    backend: str = DEFAULT_BACKEND,
    rel_tol: float = 0.0,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> bool:
    """Whether a predicted final answer matches the reference answer.

    Both are raw answer strings (LaTeX, possibly with `$`, units, `\\boxed`). `rel_tol` > 0
    is a relative tolerance for decimal references (OCWCourses); otherwise numbers compare
    exactly except as `exact` documents. Returns within `timeout` seconds; never raises on
    bad input (a failure or a timeout is False). Raises ValueError for an unknown backend.
    """
    _check_backend(backend)
    started = time.monotonic()
    try:
        if not isinstance(prediction, str) or not isinstance(reference, str):
            return False
        if len(prediction) > MAX_ANSWER_LENGTH or len(reference) > MAX_ANSWER_LENGTH:
            return False
        decided = exact.decide(prediction, reference, rel_tol)
        if decided is not None:
            return decided
        if backend == "minerva" and _minerva_without_sympy(prediction, reference, rel_tol):
            return True
        return POOL.compare(backend, prediction, reference, rel_tol, timeout - (time.monotonic() - started))
    except WorkerUnavailable:
        return False
    except Exception:
        return False


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
    """One graded generation: the answer extracted from it (None if none) and its verdict."""

    extracted: str | None
    correct: bool


ANSWER_STYLES = ("math", "gsm8k", "ocw", "multiple_choice")
"""Answer styles `grade` knows: Minerva MATH, GSM8k "The answer is N", OCW (1%), A-E choice."""


def _check_style(style: str) -> None:
    if style not in ANSWER_STYLES:
        raise ValueError(f"unknown answer style {style!r}; expected one of {', '.join(ANSWER_STYLES)}")


def answers_match(
    style: str, extracted: str | None, reference: str, *, backend: str = DEFAULT_BACKEND,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> bool:
    """Compare an already extracted answer (or a program's output) with the reference.

    Usable as the `equiv` of majority voting, e.g. `functools.partial(answers_match, "ocw")`.
    Raises ValueError for an unknown style or backend.
    """
    _check_style(style)
    _check_backend(backend)
    if extracted is None:
        return False
    if style == "multiple_choice":
        letter = extract_choice(f"The answer is {reference}") or reference.strip().upper()
        return extracted.strip().strip("()").upper() == letter
    rel_tol = OCW_REL_TOL if style == "ocw" else 0.0
    return is_equiv(extracted, reference, backend=backend, rel_tol=rel_tol, timeout=timeout)


def extract_answer(style: str, generation: str) -> str | None:
    """The answer a generation gives, with the extractor of `style`."""
    _check_style(style)
    if style == "gsm8k":
        return extract_gsm8k_answer(generation)
    if style == "multiple_choice":
        return extract_choice(generation)
    return extract_final_answer(generation)


def grade(
    style: str, generation: str, reference: str, *, backend: str = DEFAULT_BACKEND,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> Graded:
    """Extract the answer from `generation` and check it against the reference answer.

    `reference` is the reference *answer* (e.g. `math_reference_answer(solution)`, or
    `gsm8k_reference_answer(answer_field)`), not a full solution.
    """
    extracted = extract_answer(style, generation)
    return Graded(extracted, answers_match(style, extracted, reference, backend=backend, timeout=timeout))
