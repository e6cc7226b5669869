"""Generation for the formal tasks through the suite's lm-evaluation-harness model (`hf` or `vllm`,
built by `math_lm.eval.harness.build_model`): sampling proofs, proposing and scoring tactics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from math_lm.formal.prompts import formal2formal_prompt
from math_lm.formal.prover import ProofState


@dataclass(frozen=True)
class Sampling:
    temperature: float = 0.6
    top_p: float = 0.95
    max_gen_toks: int = 256


def _instances(request_type: str, arguments: Sequence[tuple]) -> list[Any]:
    from lm_eval.api.instance import Instance

    return [Instance(request_type=request_type, doc={}, arguments=args, idx=index) for index, args in enumerate(arguments)]


def generate(lm: Any, prompts: Sequence[str], until: Sequence[str], sampling: Sampling) -> list[str]:
    """One sample per prompt (greedy when the temperature is 0)."""
    kwargs: dict[str, Any] = {"until": list(until), "max_gen_toks": sampling.max_gen_toks}
    if sampling.temperature > 0:
        kwargs.update(do_sample=True, temperature=sampling.temperature, top_p=sampling.top_p)
    else:
        kwargs.update(do_sample=False, temperature=0.0)
    return list(lm.generate_until(_instances("generate_until", [(p, dict(kwargs)) for p in prompts]), disable_tqdm=True))


def log_probabilities(lm: Any, context: str, continuations: Sequence[str]) -> list[float]:
    """log p(continuation | context) under the model, for each continuation."""
    if not continuations:
        return []
    scored = lm.loglikelihood(_instances("loglikelihood", [(context, c) for c in continuations]), disable_tqdm=True)
    return [float(logprob) for logprob, _ in scored]


def clean_tactic(generation: str) -> str:
    """The tactic in a formal-to-formal generation: its first line, stripped."""
    lines = [line.strip() for line in generation.strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def model_tactics(lm: Any, sampling: Sampling, extra: Callable[[ProofState], Sequence[str]] | None = None):
    """A tactic source (`math_lm.formal.search.TacticSource`): n samples from the model for the
    state's goals, distinct, plus the tactics `extra(state)` gives (e.g. fixed decision procedures, always
    tried), each scored by its log-probability under the model, best first."""

    def propose(state: ProofState, n: int) -> list[tuple[str, float]]:
        prompt = formal2formal_prompt(state.goals)
        sampled = [clean_tactic(text) for text in generate(lm, [prompt] * n, ["\n"], sampling)]
        candidates = list(dict.fromkeys(t for t in [*(extra(state) if extra else ()), *sampled] if t))
        scores = log_probabilities(lm, prompt, candidates)
        return sorted(zip(candidates, scores), key=lambda pair: -pair[1])

    return propose
