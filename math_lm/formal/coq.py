"""The Coq backend: Debian's `coqc` (8.16), run in the sandbox, one fresh process per call.

Each call writes one `.v` file and compiles it with `coqc -q` inside the sandbox's file-system
isolation (it sees only coqc, its libraries, Coq's library directory and its own working
directory), under a time and memory limit. A call is stateless: `step` replays the tactics
of the state, then the new one, then `Show.` (0.7-2 s with the Reals library loaded, on
these CPUs; a long-running `coqtop` would be faster per step but harder to keep clean).

What `check` accepts (see also `script`): the proof is tactic sentences then `Qed.`, checked
by `validate_proof`. It is compiled in one file: the statement file's text, unchanged, with its
theorem left `Admitted`; then the fixed `PREAMBLE`; then `Theorem llemma_attempt`, whose type
is the original theorem's type itself (`type of`, so the preamble cannot change what is
proved), with the original's binders introduced under their names; then the proof. coqc must
succeed; then the harness prints, behind a random marker the proof cannot know,
`Print Assumptions llemma_attempt`: every axiom must be in `ALLOWED_AXIOMS` or declared by the
statement file itself with `Axiom`/`Parameter` (not the Admitted original theorem, nor a lemma
the file leaves Admitted). coqc is never given unsafe flags (`-type-in-type`,
`-impredicative-set`, `-noinit`, ...), and a statement header that unsets a checker is refused.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import time

from math_lm.formal.prover import Check, ProofState, ProverLimits, ProverUnavailable, Start, Step
from math_lm.formal.script import ScriptError, sentences, validate_proof, validate_tactic
from math_lm.formal.statements import Statement
from math_lm.eval.sandbox import Mounts, run_command
from math_lm.eval.sandbox.isolation import shared_libraries

INSTALL_LINE = "apt-get install -y coq libcoq-coquelicot libcoq-mathcomp-ssreflect bubblewrap"

HAMMER_TACTICS = os.path.isdir("/usr/lib/ocaml/coq/user-contrib/Hammer/Tactics")
"""CoqHammer's tactic library (Debian `libcoq-hammer`) is installed: its `sauto`, `qauto`, ... (what
`hammer` reconstructs proofs with) may then be used in proofs."""

PREAMBLE = ("From Coq Require Import Arith ZArith Lia Lra Psatz Field Ring Reals.\n"
            + ("From Hammer Require Import Tactics.\n" if HAMMER_TACTICS else ""))
"""Appended to every statement: the decision procedures a proof may call (lia, nia, lra, nra,
psatz, field, ring; CoqHammer's sauto, qauto, ...) and the libraries they work over."""

ALLOWED_AXIOMS = frozenset({
    "ClassicalDedekindReals.sig_forall_dec",  # the classical real numbers of Coq's Reals
    "ClassicalDedekindReals.sig_not_dec",
    "FunctionalExtensionality.functional_extensionality_dep",  # used by Reals and Coquelicot
    "Classical_Prop.classic",  # excluded middle, used by Reals' classical lemmas
    "PropExtensionality.propositional_extensionality",
    "ProofIrrelevance.proof_irrelevance",
    "Eqdep.Eq_rect_eq.eq_rect_eq",
    "ClassicalEpsilon.constructive_indefinite_description",  # Coquelicot's limits
})
"""The axioms of the libraries miniF2F statements import (classical reals, extensionality)."""

_UNSAFE_HEADER = re.compile(r"^(?:Local\s+|Global\s+|#\[[^\]]*\]\s*)*(?:Unset|Set)\s+(?:Guard|Positivity|Universe)\s+Checking")
_COQC = "coqc"
_FILE = "Attempt"
_ATTEMPT = "llemma_attempt"


def coq_mounts(coqc: str) -> Mounts:
    """What coqc needs to see: itself, its shared libraries, the OCaml library directory (Coq's library
    and plugins, CoqHammer's tactics plugin), findlib's config."""
    # The whole OCaml library directory: findlib resolves plugin dependencies (CoqHammer's tactics
    # plugin needs threads, unix, ...) through the META files of many packages there.
    library_dirs = ["/usr/lib/ocaml"]
    readonly = [coqc, *(path for path in library_dirs if os.path.isdir(path))]
    readonly += [path for path in ("/etc/ocamlfind.conf", "/usr/lib/ocaml/findlib.conf") if os.path.exists(path)]
    plugins = [os.path.join(top, name) for plugin_dir in ("/usr/lib/ocaml/coq-core/plugins", "/usr/lib/ocaml/coq-hammer-tactics")
               for top, _, names in os.walk(plugin_dir) for name in names if name.endswith(".cmxs")]
    return Mounts(tuple(readonly) + shared_libraries(tuple(sorted([os.path.realpath(coqc), *plugins]))))


class CoqProver:
    """The prover interface (`math_lm.formal.prover.Prover`) over coqc."""

    name = "coq"

    def __init__(self, limits: ProverLimits | None = None) -> None:
        coqc = shutil.which(_COQC)
        if coqc is None:
            raise ProverUnavailable(f"coqc is not installed: {INSTALL_LINE}")
        self.coqc = coqc
        self.limits = limits or ProverLimits()
        self._mounts = coq_mounts(coqc)
        self._starts: dict[str, Start] = {}

    def _compile(self, source: str, timeout_s: float):  # noqa: ANN202
        return run_command([self.coqc, "-q", f"{_FILE}.v"], mounts=self._mounts, files={f"{_FILE}.v": source},
                           timeout_s=timeout_s, memory_mb=self.limits.memory_mb, max_file_mb=256)

    def start(self, statement: Statement) -> Start:
        """Elaborate the statement exactly as its file says (no preamble): its goals, and the names of
        the hypotheses its binders put in the context."""
        if statement.name in self._starts:
            return self._starts[statement.name]
        started = time.monotonic()
        unsafe = [s.text for s in sentences(statement.header) if _UNSAFE_HEADER.match(s.text)]
        if unsafe:
            result = Start(statement.name, False, reason=f"statement header sets {unsafe[0]!r}")
        else:
            marker = _marker()
            # The last hypothesis first: print its name, revert it, repeat.
            names = f'repeat match goal with H : _ |- _ => idtac "<<{marker}:hypothesis>>" H; revert H end.\n'
            outcome = self._compile(statement.header + "Show.\n" + names + "Admitted.\n", self.limits.check_timeout_s)
            seconds = time.monotonic() - started
            if outcome.timed_out:
                result = Start(statement.name, False, reason="timeout while elaborating the statement", seconds=seconds)
            elif outcome.exit_code != 0 or outcome.sandbox_error:
                result = Start(statement.name, False, reason=_error_text(outcome), seconds=seconds)
            else:
                shown, _, listed = outcome.stdout.partition(f"<<{marker}:")
                hypotheses = re.findall(rf"<<{marker}:hypothesis>> (\S+)", f"<<{marker}:" + listed)
                result = Start(statement.name, True, goals=_last_goals(shown), seconds=seconds,
                               hypotheses=tuple(reversed(hypotheses)))
        self._starts[statement.name] = result
        return result

    def _attempt(self, statement: Statement, start: Start) -> str:
        """The file a proof is compiled in, up to the proof: the statement file unchanged (its theorem
        left Admitted), the preamble, then a theorem whose type is the original theorem's type, taken
        from it (not elaborated again), with the original's hypotheses introduced under their names."""
        intros = f"intros {' '.join(start.hypotheses)}.\n" if start.hypotheses else ""
        return (statement.header + "Admitted.\n" + PREAMBLE
                + f"Theorem {_ATTEMPT} : ltac:(let T := type of {statement.name} in exact T).\nProof.\n" + intros)

    def check(self, statement: Statement, proof: str) -> Check:
        started = time.monotonic()

        def verdict(verified: bool, reason: str, statement_ok: bool = True, assumptions: tuple[str, ...] = ()) -> Check:
            return Check(statement.name, verified, reason, time.monotonic() - started, statement_ok, assumptions)

        start = self.start(statement)
        if not start.elaborates:
            return verdict(False, f"statement does not elaborate: {start.reason}", statement_ok=False)
        try:
            validate_proof(proof)
        except ScriptError as error:
            return verdict(False, f"not a tactic proof: {error}")
        marker = _marker()
        source = (self._attempt(statement, start) + proof.rstrip() + "\n"
                  + _printed(marker, "assumptions", f"Print Assumptions {_ATTEMPT}."))
        outcome = self._compile(source, self.limits.check_timeout_s)
        if outcome.timed_out:
            return verdict(False, f"timeout after {self.limits.check_timeout_s:g} s")
        if outcome.exit_code != 0 or outcome.sandbox_error:
            return verdict(False, _error_text(outcome))
        sections = _sections(outcome.stdout, marker)
        if "assumptions" not in sections:
            return verdict(False, "coqc did not print the assumptions of the theorem")
        axioms = _axioms(sections["assumptions"])
        declared = declared_axioms(statement.header)
        unexpected = [axiom for axiom in axioms if axiom not in ALLOWED_AXIOMS and axiom not in declared]
        if unexpected:
            return verdict(False, f"relies on axioms outside the allowlist: {', '.join(unexpected)}", assumptions=tuple(axioms))
        return verdict(True, "verified", assumptions=tuple(axioms))

    def initial_state(self, statement: Statement) -> ProofState:
        start = self.start(statement)
        if not start.elaborates:
            raise ValueError(f"{statement.name}: statement does not elaborate: {start.reason}")
        return ProofState(statement, (), start.goals)

    def step(self, state: ProofState, tactic: str) -> Step:
        """Apply `tactic` after the state's tactics: the goals left, or the error."""
        started = time.monotonic()
        try:
            tactic = validate_tactic(tactic)
        except ScriptError as error:
            return Step(None, f"not a tactic: {error}", time.monotonic() - started)
        if state.complete:
            return Step(None, "the proof is already complete", 0.0)
        marker = _marker()
        source = (self._attempt(state.statement, self.start(state.statement)) + "\n".join(state.tactics) + "\n"
                  + f'idtac "<<{marker}:goals>>".\n{tactic}\nShow.\nAbort.\n')
        outcome = self._compile(source, self.limits.step_timeout_s)
        seconds = time.monotonic() - started
        if outcome.timed_out:
            return Step(None, f"timeout after {self.limits.step_timeout_s:g} s", seconds)
        if outcome.exit_code != 0 or outcome.sandbox_error:
            return Step(None, _error_text(outcome), seconds)
        shown = outcome.stdout.split(f"<<{marker}:goals>>", 1)[-1]
        goals = _last_goals(shown)
        complete = goals.startswith("No more goals")
        return Step(ProofState(state.statement, (*state.tactics, tactic), goals, complete), "", seconds)


_DECLARATION = re.compile(r"^(?:Local\s+)?(?:Axioms?|Parameters?|Conjectures?|Hypothes[ie]s|Variables?)\s+(.*?)\s*:", re.DOTALL)


def declared_axioms(header: str) -> set[str]:
    """Names the statement itself declares as axioms or parameters (`Parameter Rfloor : R -> Z.`):
    part of the statement, so a proof may use them. A lemma the statement leaves `Admitted` is not."""
    names: set[str] = set()
    for sentence in sentences(header):
        match = _DECLARATION.match(sentence.text)
        if match:
            names.update(name for name in re.split(r"[\s()]+", match.group(1)) if name)
    return names


def _marker() -> str:
    return secrets.token_hex(16)


def _printed(marker: str, section: str, command: str) -> str:
    """`command`, preceded by a line `<<marker:section>>` in coqc's output."""
    return f'Goal True. idtac "<<{marker}:{section}>>". Abort.\n{command}\n'


def _sections(stdout: str, marker: str) -> dict[str, str]:
    parts = re.split(rf"<<{marker}:(\w+)>>\n?", stdout)
    return {parts[index]: parts[index + 1] for index in range(1, len(parts) - 1, 2)}


_GOALS_HEADER = re.compile(r"^(?:\d+ goals?|No more goals\.?|This subproof is complete.*)$", re.MULTILINE)


def _last_goals(text: str) -> str:
    """The last `Show.` output in `text`."""
    headers = list(_GOALS_HEADER.finditer(text))
    return text[headers[-1].start() :].strip() if headers else text.strip()


def _axioms(printed: str) -> list[str]:
    """Axiom names in `Print Assumptions` output (none when "Closed under the global context")."""
    if "Closed under the global context" in printed:
        return []
    names = []
    for line in printed.splitlines():
        if line and not line[0].isspace() and not line.endswith(":"):
            names.append(line.split(" : ")[0].strip())
    return names


def _error_text(outcome) -> str:  # noqa: ANN001
    if outcome.sandbox_error:
        return f"sandbox: {outcome.sandbox_error}"
    text = (outcome.stderr.strip() or outcome.stdout.strip())
    errors = [line for line in text.splitlines() if line.startswith("Error")]
    if errors:
        index = text.find(errors[0])
        return " ".join(text[index:].split())[:500]
    return " ".join(text.split())[-500:] or f"coqc exited with status {outcome.exit_code}"
