"""The prover interface the tasks use: start a statement, check a whole proof, step one tactic.

Every call runs the prover in the sandbox (`math_lm.eval.sandbox`: a fresh process, or a
pooled worker that a backend keeps loaded) under the prover's time and memory limits
(`ProverLimits`); a call that runs out of time is a failure with reason "timeout", never a hang.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from math_lm.formal.statements import Statement


class ProverUnavailable(RuntimeError):
    """The prover's toolchain is not installed here (the message says how to install it)."""


@dataclass(frozen=True)
class ProverLimits:
    check_timeout_s: float = 60.0
    step_timeout_s: float = 20.0
    memory_mb: int = 4096


@dataclass(frozen=True)
class Start:
    """A statement as the prover sees it: whether it elaborates, and its goals when it does."""

    name: str
    elaborates: bool
    goals: str = ""
    reason: str = ""
    seconds: float = 0.0
    hypotheses: tuple[str, ...] = ()  # what the statement's binders put in the context, in order


@dataclass(frozen=True)
class ProofState:
    """The tactics applied so far to a statement, and the goals they leave."""

    statement: Statement
    tactics: tuple[str, ...]
    goals: str
    complete: bool = False


@dataclass(frozen=True)
class Step:
    """One tactic applied to a state: the new state, or the prover's error."""

    state: ProofState | None
    error: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.state is not None


@dataclass(frozen=True)
class Check:
    """The verdict on a whole proof. `statement_ok` is False when the statement itself does not
    elaborate (then the attempt is not a proof failure and is not scored)."""

    name: str
    verified: bool
    reason: str
    seconds: float
    statement_ok: bool = True
    assumptions: tuple[str, ...] = field(default=())


class Prover(Protocol):
    name: str
    limits: ProverLimits

    def start(self, statement: Statement) -> Start: ...

    def check(self, statement: Statement, proof: str) -> Check: ...

    def initial_state(self, statement: Statement) -> ProofState: ...

    def step(self, state: ProofState, tactic: str) -> Step: ...
