"""Sampling settings per task and majority voting (maj@k) over sampled answers.

The LLEMMA paper reports greedy accuracy and maj@k: k samples per problem, the answer given
most often wins, where "the same answer" means equivalent (`is_equiv`), not the same string.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Sequence

from math_lm.eval.answers import BACKENDS, answers_match, is_equiv


@dataclass(frozen=True)
class SamplingSettings:
    """Decoding parameters for one task; temperature 0 means greedy decoding."""

    temperature: float
    top_p: float

    @property
    def greedy(self) -> bool:
        return self.temperature == 0.0


GREEDY = SamplingSettings(temperature=0.0, top_p=1.0)

TASK_SAMPLING: dict[str, SamplingSettings] = {
    "math": SamplingSettings(temperature=0.6, top_p=0.95),
    "gsm8k": SamplingSettings(temperature=0.6, top_p=0.95),
    "ocw": SamplingSettings(temperature=0.6, top_p=0.95),
    "mmlu_stem": SamplingSettings(temperature=0.3, top_p=0.95),
    "sat": SamplingSettings(temperature=0.3, top_p=0.95),
}
"""The paper's maj@k decoding settings, by task (the `llemma_` prefix of a task name is optional)."""


def sampling_settings(task: str, *, samples: int) -> SamplingSettings:
    """Decoding settings for `task` when drawing `samples` answers per problem.

    One sample is greedy decoding; more use the task's temperature and top-p. Raises
    ValueError for a task without maj@k settings or a sample count below 1.
    """
    if samples < 1:
        raise ValueError(f"samples must be at least 1, got {samples}")
    if samples == 1:
        return GREEDY
    name = task.removeprefix("llemma_")
    if name not in TASK_SAMPLING:
        raise ValueError(f"no maj@k sampling settings for task {task!r}; known: {', '.join(TASK_SAMPLING)}")
    return TASK_SAMPLING[name]


Equivalence = Callable[[str, str], bool]


def majority_vote(
    answers: Sequence[str | None], equiv: Equivalence = is_equiv
) -> tuple[str | None, dict[str, int]]:
    """The most frequent answer among `answers`, grouping equivalent answers together.

    Returns `(winner, counts)`: `counts` maps each group's representative (its first answer
    as given) to the group's size, in order of first appearance; `winner` is the
    representative of the largest group, the earliest group on a tie. None and blank answers
    are not counted; when nothing else is left, the winner is None.

    Identical answers (up to surrounding whitespace) are grouped without calling `equiv`; the
    distinct ones are merged by `equiv` against each earlier group's representative.
    """
    distinct: dict[str, tuple[str, int]] = {}
    for answer in answers:
        if answer is None or not answer.strip():
            continue
        representative, count = distinct.get(answer.strip(), (answer, 0))
        distinct[answer.strip()] = (representative, count + 1)

    counts: dict[str, int] = {}
    for representative, count in distinct.values():
        for existing in counts:
            if equiv(representative, existing):
                counts[existing] += count
                break
        else:
            counts[representative] = count

    if not counts:
        return None, counts
    best = max(counts.values())
    winner = next(answer for answer, count in counts.items() if count == best)
    return winner, counts


def votes_by_backend(style: str, answers: Sequence[str | None]) -> dict[str, tuple[str | None, dict[str, int]]]:
    """`majority_vote` of `answers` under each grading backend's equivalence for answer `style`.

    Each backend votes with its own equivalence, so maj@k is scored both ways as LLEMMA's
    harness (Minerva/SymPy) and math-verify would each score it.
    """
    return {backend: majority_vote(answers, equiv=functools.partial(answers_match, style, backend=backend))
            for backend in BACKENDS}
