"""Best-first proof search over proof states (formal-to-formal, as LLEMMA ran it with LeanDojo).

The frontier is ordered by the summed log-probability of the tactics that lead to a state.
Expanding a state asks the tactic source for N tactics with their log-probabilities and
applies each with the prover; a state whose goals were already reached is dropped. The search
stops at the first complete proof that the checker verifies (pass@1), or when the expansion
budget is spent, the frontier is empty, or the time limit passes.

A finishing step (`finish`, e.g. `portfolio.Portfolio.finish`) may close a state the search
reaches (the root and each new state a model-written tactic leads to) with symbolic tactics: it
returns a whole proof, which is counted only once the prover's `check` verifies it.
"""

from __future__ import annotations

import heapq
import itertools
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from math_lm.formal.prover import ProofState, Prover
from math_lm.formal.statements import Statement

TacticSource = Callable[[ProofState, int], Sequence[tuple[str, float]]]
"""(state, n) -> (tactic, log-probability) pairs, best first: n proposals (a source may add fixed ones)."""

FinishingStep = Callable[[ProofState], "str | None"]
"""state -> a whole proof (the state's tactics, then what closes its goals), or None."""


@dataclass(frozen=True)
class SearchSettings:
    tactics_per_state: int = 8
    expansion_budget: int = 32
    max_depth: int = 24
    time_limit_s: float = 600.0


@dataclass
class SearchResult:
    name: str
    proved: bool
    proof: str | None
    expansions: int
    tactic_calls: int
    seconds: float
    reason: str
    trace: list[dict] = field(default_factory=list)  # every tactic tried: state depth, tactic, logprob, outcome


def proof_text(tactics: Sequence[str]) -> str:
    return "\n".join(tactics) + "\nQed."


def best_first_search(prover: Prover, statement: Statement, propose: TacticSource,
                      settings: SearchSettings = SearchSettings(), finish: FinishingStep | None = None) -> SearchResult:
    started = time.monotonic()
    start = prover.start(statement)
    if not start.elaborates:
        return SearchResult(statement.name, False, None, 0, 0, time.monotonic() - started,
                            f"statement does not elaborate: {start.reason}")
    root = prover.initial_state(statement)
    order = itertools.count()
    frontier: list[tuple[float, int, float, ProofState]] = [(0.0, next(order), 0.0, root)]
    seen_goals = {root.goals}
    expansions = calls = 0
    trace: list[dict] = []

    def result(proved: bool, proof: str | None, reason: str) -> SearchResult:
        return SearchResult(statement.name, proved, proof, expansions, calls, time.monotonic() - started, reason, trace)

    def finished(state: ProofState) -> str | None:
        """The finishing step's proof of `state`, if the checker verifies it."""
        if finish is None:
            return None
        proof = finish(state)
        outcome = "no finishing tactic"
        if proof is not None:
            verdict = prover.check(statement, proof)
            if verdict.verified:
                trace.append({"depth": len(state.tactics), "tactic": proof, "logprob": 0.0, "outcome": "finished", "error": ""})
                return proof
            outcome = f"finishing proof rejected by the checker: {verdict.reason}"
        trace.append({"depth": len(state.tactics), "tactic": None, "logprob": 0.0, "outcome": outcome, "error": ""})
        return None

    proof = finished(root)
    if proof is not None:
        return result(True, proof, "verified (finishing step)")

    while frontier:
        if expansions >= settings.expansion_budget:
            return result(False, None, f"expansion budget ({settings.expansion_budget}) spent")
        if time.monotonic() - started > settings.time_limit_s:
            return result(False, None, f"time limit ({settings.time_limit_s:g} s) passed")
        _, _, score, state = heapq.heappop(frontier)
        expansions += 1
        for tactic, logprob in propose(state, settings.tactics_per_state):
            calls += 1
            step = prover.step(state, tactic)
            trace.append({"depth": len(state.tactics), "tactic": tactic, "logprob": logprob,
                          "outcome": "error" if not step.ok else ("proved" if step.state.complete else "goals"),
                          "error": step.error[:200]})
            if not step.ok:
                continue
            new_state, new_score = step.state, score + logprob
            if new_state.complete:
                proof = proof_text(new_state.tactics)
                verdict = prover.check(statement, proof)
                if verdict.verified:
                    return result(True, proof, "verified")
                trace[-1]["outcome"] = f"rejected by the checker: {verdict.reason}"
                continue
            if new_state.goals in seen_goals or len(new_state.tactics) >= settings.max_depth:
                continue
            seen_goals.add(new_state.goals)
            proof = finished(new_state)
            if proof is not None:
                return result(True, proof, "verified (finishing step)")
            heapq.heappush(frontier, (-new_score, next(order), new_score, new_state))
    return result(False, None, "no state left to expand")


def scripted_tactics(script: Mapping[tuple[str, ...], Sequence[str]]) -> TacticSource:
    """A tactic source that proposes `script[state.tactics]` (scored by order: 0, -1, -2, ...)."""

    def propose(state: ProofState, n: int) -> list[tuple[str, float]]:
        return [(tactic, -float(rank)) for rank, tactic in enumerate(script.get(state.tactics, ())[:n])]

    return propose
