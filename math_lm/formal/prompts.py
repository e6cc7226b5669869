"""Prompts of the two formal tasks, with few-shot exemplars written for this project in Coq.

informal-to-formal follows LLEMMA's Isabelle prompt (Draft-Sketch-Prove style): the informal
statement and proof in a comment, then the formal statement, then `Proof.`; the model writes the
tactic script up to `Qed.`. formal-to-formal follows LLEMMA's Lean prompt: `[GOAL]`, the goals
as the prover prints them, `[PROOFSTEP]`, and the model writes one tactic.

The exemplars are our own problems (none from miniF2F), each with a proof that the checker
verifies (tested), so that no evaluation problem leaks into the prompt.
"""

from __future__ import annotations

from dataclasses import dataclass

from math_lm.formal.statements import InformalProblem, Statement


@dataclass(frozen=True)
class Exemplar:
    name: str
    imports: str
    theorem: str
    informal_statement: str
    informal_proof: str
    proof: str  # tactic sentences, then Qed.

    @property
    def header(self) -> str:
        return f"{self.imports}\n\n{self.theorem}\nProof.\n"


INFORMAL2FORMAL_EXEMPLARS = (
    Exemplar(
        "exemplar_linear_system", "Require Import Reals.\nOpen Scope R_scope.",
        "Theorem exemplar_linear_system (x y : R) (h0 : x + y = 10) (h1 : x - y = 2) : x = 6.",
        "If $x + y = 10$ and $x - y = 2$, show that $x = 6$.",
        "Adding the two equations gives $2x = 12$, so $x = 6$.",
        "lra.\nQed.",
    ),
    Exemplar(
        "exemplar_sum_of_digits", "Require Import Arith.\nRequire Import Lia.",
        "Theorem exemplar_sum_of_digits (n : nat) (h0 : 3 * n + 4 = 25) : n = 7.",
        "A natural number $n$ satisfies $3n + 4 = 25$. Show that $n = 7$.",
        "Subtracting 4 gives $3n = 21$, and dividing by 3 gives $n = 7$.",
        "lia.\nQed.",
    ),
    Exemplar(
        "exemplar_square_nonneg", "Require Import Reals.\nOpen Scope R_scope.",
        "Theorem exemplar_square_nonneg (a b : R) : 2 * a * b <= a ^ 2 + b ^ 2.",
        "Show that $2ab \\le a^2 + b^2$ for all real numbers $a$ and $b$.",
        "We have $a^2 + b^2 - 2ab = (a - b)^2 \\ge 0$.",
        "assert (h : 0 <= (a - b) ^ 2) by apply pow2_ge_0.\nnra.\nQed.",
    ),
    Exemplar(
        "exemplar_fraction", "Require Import Reals.\nOpen Scope R_scope.",
        "Theorem exemplar_fraction (x : R) (h0 : x <> 0) (h1 : 6 / x = 2) : x = 3.",
        "If $\\frac{6}{x} = 2$, what is $x$? Show that it is 3.",
        "Multiplying both sides by $x$ gives $6 = 2x$, so $x = 3$.",
        "assert (h2 : 6 = 2 * x) by (rewrite <- h1; field; exact h0).\nlra.\nQed.",
    ),
)


def _informal_block(statement: str, proof: str, formal_theorem: str) -> str:
    return f"Informal:\n(*### Problem\n\n{statement}\n\n### Solution\n\n{proof} *)\n\nFormal:\n{formal_theorem}\nProof.\n"


def informal2formal_prompt(statement: Statement, informal: InformalProblem) -> str:
    """The few-shot prompt for one problem; the model continues with the proof, up to `Qed.`."""
    shots = [_informal_block(e.informal_statement, e.informal_proof, e.theorem) + e.proof
             for e in INFORMAL2FORMAL_EXEMPLARS]
    return "\n\n".join([*shots, _informal_block(informal.statement, informal.proof, statement.theorem)])


FORMAL2FORMAL_EXEMPLARS = (
    ("x, y : R\nh0 : x + y = 10\nh1 : x - y = 2\n============================\nx = 6", "lra."),
    ("n : nat\nh0 : 3 * n + 4 = 25\n============================\nn = 7", "lia."),
    ("============================\nforall a b : R, 2 * a * b <= a ^ 2 + b ^ 2", "intros a b."),
)


def formal2formal_prompt(goals: str) -> str:
    """The prompt for one proof state; the model continues with one tactic (one line)."""
    shots = [f"[GOAL]\n{goal}\n[PROOFSTEP]\n{tactic}\n" for goal, tactic in FORMAL2FORMAL_EXEMPLARS]
    return "\n".join([*shots, f"[GOAL]\n{goals}\n[PROOFSTEP]\n"])


def proof_from_generation(generation: str) -> str:
    """The proof in a generation: everything up to and including the first `Qed.`
    (the generation itself when it has none: the checker then rejects it)."""
    index = generation.find("Qed.")
    return generation[: index + len("Qed.")].strip() if index >= 0 else generation.strip()
