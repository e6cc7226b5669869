"""Answer extraction and equivalence checking for the LLEMMA math tasks.

One generation is graded in two steps: an extractor pulls the candidate answer out of the text
(`extract_final_answer` for MATH/OCW, `extract_gsm8k_answer` for GSM8k, `extract_choice` for
multiple choice), then `is_equiv` / `answers_match` decide whether it matches the reference.

Equivalence is built on math-verify (the default backend, `math_verify_backend`); the paper's
metric, Minerva normalisation + SymPy equivalence, is the `minerva` backend
(`normalization`, `structure`, `minerva_sympy`). The project's own rules (`exact`) come first for
both and cover what math-verify lacks: exact integers and rationals, decimal references as the
only approximations, base subscripts, degenerate input. SymPy runs in worker processes whose
time limit holds (`workers`).

Modules: `extraction`, `normalization`, `structure`, `exact`, `math_verify_backend`,
`minerva_sympy`, `workers`, `verdicts` (reason codes), `grading`.
"""

from math_lm.eval.answers.extraction import (
    boxed_reference_answer,
    extract_boxed,
    extract_choice,
    extract_final_answer,
    extract_gsm8k_answer,
    gsm8k_reference_answer,
    math_reference_answer,
)
from math_lm.eval.answers.grading import (
    ANSWER_STYLES,
    BACKENDS,
    DEFAULT_BACKEND,
    DEFAULT_TIMEOUT_S,
    GRADER_CONFIG,
    GRADERS,
    OCW_REL_TOL,
    Graded,
    answer_verdict,
    answers_match,
    compare,
    extract_answer,
    grade,
    is_equiv,
    is_equiv_ocw,
)
from math_lm.eval.answers.normalization import normalize_final_answer
from math_lm.eval.answers.verdicts import REASONS, Verdict
from math_lm.eval.answers.workers import WorkerUnavailable, start_workers

__all__ = [
    "ANSWER_STYLES", "BACKENDS", "DEFAULT_BACKEND", "DEFAULT_TIMEOUT_S", "GRADER_CONFIG", "GRADERS", "OCW_REL_TOL",
    "Graded", "REASONS", "Verdict", "WorkerUnavailable", "answer_verdict", "answers_match", "compare",
    "boxed_reference_answer", "extract_answer", "extract_boxed",
    "extract_choice", "extract_final_answer", "extract_gsm8k_answer", "grade", "gsm8k_reference_answer",
    "is_equiv", "is_equiv_ocw", "math_reference_answer", "normalize_final_answer", "start_workers",
]
