"""A portfolio of symbolic Coq tactics, tried on a statement in one sandboxed `coqc` run.

Coq's own decision procedures (`lia`, `nia`, `lra`, `nra`, `psatz`, `ring`, `field`), its
automation (`easy`, `auto`, `intuition`), CoqHammer's `sauto`, `qauto` and `hammer`, and
combinations of them with intros, unfolding and case splits are tried one after another on the
same goal. They run in ONE coqc process per statement, so the statement's header (Reals,
Coquelicot) is loaded once: the file states the goal once per attempt, as the checker does
(`coq.CoqProver`), and runs `Fail Timeout N solve [ tactic ].`. A tactic that fails or runs
out of time lets the file go on to the next attempt; the first that succeeds makes the `Fail`
itself fail ("The command has not failed!"), which ends coqc there: the last attempt marker it
printed names the tactic. Each tactic has Coq's `Timeout` (wall clock); the whole run has a
CPU cap (`ulimit -t`, with a wall-clock backstop), and `sh`'s `times` reports the CPU that coqc
and the programs it ran (csdp, the ATPs) used.

Coq has no such driver (CoqHammer's `hammer` runs ATPs, not a tactic list; `Timeout` and
`Fail` are the building blocks), hence this module. A tactic found here is never counted on
coqc's word: it is re-checked as the proof `tactic. Qed.` with the prover's own `check`
(sound checker, allowlisted axioms), and only a verified proof counts.

CoqHammer runs with E and CVC4 only: `z3_tptp`, which it calls for Z3, is not in Debian's z3,
and Vampire is not packaged. The proof `hammer` prints ("Replace the hammer tactic with: ...")
is what is re-checked (hammer sees the statement's own theorem, left Admitted, among the lemmas
it may cite; the checker refuses a proof that cites it, as it is an axiom); the checker's preamble (`coq.PREAMBLE`) loads Hammer's tactic library, so
`sauto`, `qauto` and the reconstructions are proofs it can check. psatz runs the `csdp` solver
again when the proof is checked: the checker's sandbox has it too (`coq.psatz_mounts`).
"""

from __future__ import annotations

import math
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from typing import Sequence

from math_lm.eval.sandbox import Mounts, run_command
from math_lm.eval.sandbox.isolation import shared_libraries
from math_lm.formal.coq import HAMMER_TACTICS, PREAMBLE, coq_mounts, psatz_mounts
from math_lm.formal.prover import ProofState, Prover, ProverUnavailable
from math_lm.formal.script import ScriptError, validate_tactic
from math_lm.formal.statements import Statement


@dataclass(frozen=True)
class Tactic:
    """One entry of the portfolio: `script` is one tactic expression (a proof is `script. Qed.`)."""

    name: str
    script: str
    hammer: bool = False  # needs CoqHammer (see `usable`)
    timeout_s: float | None = None  # this entry's own limit (else the portfolio's per-tactic limit)


_RABS_CASES = ("repeat match goal with | |- context [Rabs ?x] => unfold Rabs; destruct (Rcase_abs x) "
               "| H : context [Rabs ?x] |- _ => unfold Rabs in H; destruct (Rcase_abs x) end")
_SQUARES = ("repeat match goal with | x : R |- _ => lazymatch goal with | _ : 0 <= x * x |- _ => fail "
            "| _ => pose proof (Rle_0_sqr x); unfold Rsqr in * end end")
_REWRITE_HYPOTHESES = ("repeat match goal with H : forall _, _ |- _ => rewrite H in * by (first [lia | lra]) end")
_NAT_DIVISION_FACTS = ("pose proof (Nat.div_mod a b ltac:(discriminate)); pose proof (Nat.mod_upper_bound a b ltac:(discriminate)); "
                       "set (R := Nat.modulo a b) in *; set (Q := Nat.div a b) in *; clearbody R Q")
_NAT_DIVISION = ("repeat match goal with H : exists _, _ |- _ => destruct H end; repeat match goal with "
                 "| |- context [Nat.modulo ?a ?b] => let Q := fresh \"q\" in let R := fresh \"r\" in " + _NAT_DIVISION_FACTS
                 + " | H : context [Nat.modulo ?a ?b] |- _ => let Q := fresh \"q\" in let R := fresh \"r\" in "
                 + _NAT_DIVISION_FACTS + " end")
"""Each `a mod b` of naturals (b a numeral) becomes a variable r with a = b * q + r and r < b (zify
does not see Nat.mod unless ZifyNat is loaded); witnesses of `exists` hypotheses are named first."""
_HYPOTHESIS_PRODUCTS = ("repeat match goal with | H1 : 0 < ?a, H2 : 0 < ?b |- _ => lazymatch goal with "
                        "| _ : 0 < a * b |- _ => fail | _ => pose proof (Rmult_lt_0_compat a b H1 H2) end end")

PORTFOLIO: tuple[Tactic, ...] = (
    Tactic("easy", "easy"),
    Tactic("lia", "intros; lia"),
    Tactic("lra", "intros; lra"),
    Tactic("ring", "intros; ring"),
    Tactic("field", "intros; field"),
    Tactic("vm_compute", "vm_compute; reflexivity"),
    Tactic("subst; lia", "intros; subst; simpl in *; lia"),
    Tactic("subst; compute", "intros; subst; simpl in *; first [reflexivity | (vm_compute; reflexivity) | nia]"),
    Tactic("split; lia", "intros; repeat split; intros; lia"),
    Tactic("split; lra", "intros; repeat split; intros; lra"),
    Tactic("rewrite; close", f"intros; {_REWRITE_HYPOTHESES}; first [reflexivity | lra | lia | field]"),
    Tactic("nia", "intros; nia"),
    Tactic("nra", "intros; nra"),
    Tactic("Rabs cases; lra", f"intros; {_RABS_CASES}; lra"),
    Tactic("field_simplify; lra", "intros; field_simplify; lra"),
    Tactic("field_simplify; nra", "intros; field_simplify; nra"),
    Tactic("field_simplify_eq", "intros; field_simplify_eq; try assumption; first [lra | nra]"),
    Tactic("subst; simpl; field", "intros; subst; simpl in *; first [field | lra | nra]"),
    Tactic("split hyps; close", "intros; repeat match goal with H : _ /\\ _ |- _ => destruct H end; repeat split; "
                                "first [lra | nra | lia | nia]"),
    Tactic("euclid; lia", "intros; zify; Z.to_euclidean_division_equations; lia"),
    Tactic("euclid; nia", "intros; zify; Z.to_euclidean_division_equations; nia"),
    Tactic("Nat.div_mod; lia", f"intros; {_NAT_DIVISION}; lia"),
    Tactic("squares; nra", f"intros; {_SQUARES}; nra"),
    Tactic("products; nra", f"intros; {_HYPOTHESIS_PRODUCTS}; nra"),
    Tactic("rewrite; nra", f"intros; {_REWRITE_HYPOTHESES}; first [nra | nia]"),
    Tactic("psatz", "intros; first [psatz R 3 | psatz Z 3]"),
    Tactic("auto", "intros; auto with zarith real"),
    Tactic("intuition", "intuition"),
    Tactic("intuition lia", "intros; intuition lia"),
    Tactic("induction; nia", "intros; match goal with n : nat |- _ => induction n end; simpl in *; nia"),
    Tactic("sauto", "sauto", hammer=True),
    Tactic("qauto", "qauto", hammer=True),
    Tactic("hammer", "hammer", hammer=True),
)
"""Cheap and likely first: the run stops at the first tactic that proves the goal."""

DEFAULT_PORTFOLIO: tuple[Tactic, ...] = tuple(t for t in PORTFOLIO if t.script != "hammer")
"""What runs unless `hammer` is asked for (`--hammer`): it costs about 20 s of CPU on every
statement it does not prove, and its ATPs see the statement's own theorem, left Admitted, so the
"proofs" it finds of a false goal only cost a check that refuses them."""


@dataclass(frozen=True)
class PortfolioSettings:
    tactic_timeout_s: float = 5.0
    statement_timeout_s: float = 120.0  # CPU cap on one statement's coqc run (wall-clock backstop: 2x + 30 s)
    hammer_timeout_s: float = 20.0  # the `hammer` entry's limit (ATPs plus reconstruction)
    memory_mb: int = 4096
    tactics: tuple[Tactic, ...] = DEFAULT_PORTFOLIO


@dataclass
class PortfolioResult:
    name: str
    statement_ok: bool
    proved: bool = False
    tactic: str | None = None  # the portfolio entry that proved it
    proof: str | None = None  # verified by the prover's check
    reason: str = ""
    tried: int = 0  # entries started before it stopped
    seconds: float = 0.0  # wall clock: start, portfolio run and check
    cpu_seconds: float | None = 0.0  # CPU of the portfolio's coqc runs and their programs (None: killed, unknown)
    found_unverified: list[str] = field(default_factory=list)  # coqc said proved, check refused


_HAMMER_SETTINGS = "From Hammer Require Import Hammer.\nUnset Hammer Vampire.\nUnset Hammer Z3.\n"
_ATP_BINARIES = ("eprover", "cvc4", "sh", "grep", "rm")  # hammer runs the ATPs through sh, grep, rm
_HAMMER_LIBEXEC = "/usr/libexec/coq-hammer"
_HAMMER_PLUGIN = "/usr/lib/ocaml/coq-hammer"  # under /usr/lib/ocaml, which `coq_mounts` shows
_KILLED_BY_CPU_LIMIT = (128 + 9, 128 + 24)  # sh's status for coqc killed by SIGKILL or SIGXCPU (ulimit -t)
_REPLACEMENT = re.compile(r"Replace the hammer tactic with:\s*(.+?)\.\s*$", re.MULTILINE | re.DOTALL)


def portfolio_mounts(coqc: str) -> Mounts:
    """coqc's mounts (`coq.coq_mounts`), what psatz runs (`coq.psatz_mounts`, as the checker does), plus
    CoqHammer's helper programs and what hammer calls: `eprover` and `cvc4`, and `sh`, `grep`, `rm`
    (it runs the ATPs through them)."""
    programs = [path for path in (shutil.which(name) for name in _ATP_BINARIES) if path]
    helpers = [os.path.join(_HAMMER_LIBEXEC, name) for name in sorted(os.listdir(_HAMMER_LIBEXEC))] \
        if os.path.isdir(_HAMMER_LIBEXEC) else []
    plugins = [os.path.join(top, name) for top, _, names in os.walk(_HAMMER_PLUGIN) for name in names
               if name.endswith(".cmxs")]
    readonly = (*programs, *([_HAMMER_LIBEXEC] if helpers else []))
    resolved = tuple(sorted({os.path.realpath(p) for p in (*programs, *helpers, *plugins)}))
    extra = tuple(p for p in resolved if p not in readonly)
    shell = (("/bin/sh", os.path.realpath(shutil.which("sh") or "/bin/sh")),)  # what OCaml's Sys.command runs
    return coq_mounts(coqc) + psatz_mounts() + Mounts(readonly + extra + shared_libraries(resolved), readonly_at=shell)


def usable(tactic: Tactic) -> bool:
    """Whether this machine can run `tactic`: CoqHammer's tactics need its library (which the checker
    then loads too), `hammer` itself also an ATP (E or CVC4)."""
    if not tactic.hammer:
        return True
    if not HAMMER_TACTICS:
        return False
    return tactic.script != "hammer" or any(shutil.which(atp) for atp in ("eprover", "cvc4"))


def proof_of(tactic_script: str, prefix: Sequence[str] = ()) -> str:
    """The proof: the prefix tactics, then the portfolio's tactic on every goal they leave."""
    if not prefix:
        return f"{tactic_script}.\nQed."
    return "".join(tactic.rstrip() + "\n" for tactic in prefix) + f"all: solve [ {tactic_script} ].\nQed."


def session_source(statement: Statement, hypotheses: Sequence[str], tactics: Sequence[Tactic],
                   settings: PortfolioSettings, marker: str, prefix: Sequence[str] = ()) -> str:
    """The coqc file of one portfolio run: the statement (left Admitted), the checker's preamble, then
    per tactic: the goal as the checker states it, the `prefix` tactics (a proof's first steps), a
    marker line, `Fail Timeout N solve [ tactic ].` (`all: solve [ tactic ]` after a prefix)."""
    intros = f"intros {' '.join(hypotheses)}.\n" if hypotheses else ""
    intros += "".join(tactic.rstrip() + "\n" for tactic in prefix)
    selector = "all: " if prefix else ""
    parts = [statement.header, "Admitted.\n", PREAMBLE]
    if any(t.hammer for t in tactics):
        parts.append(_HAMMER_SETTINGS + f"Set Hammer ATPLimit {max(1, int(settings.hammer_timeout_s // 2))}.\n")
    for index, tactic in enumerate(tactics):
        limit = tactic.timeout_s or (settings.hammer_timeout_s if tactic.script == "hammer" else settings.tactic_timeout_s)
        parts.append(f"Goal ltac:(let T := type of {statement.name} in exact T).\n{intros}"
                     f'idtac "<<{marker}:try:{index}>>".\n'
                     f"Fail Timeout {max(1, round(limit))} {selector}solve [ {tactic.script} ].\nAbort.\n")
    parts.append(f'Goal True. idtac "<<{marker}:none>>". Abort.\n')
    return "".join(parts)


@dataclass(frozen=True)
class Found:
    """What one portfolio run found: the index of the first tactic that proved the goal (None if
    none did) and its proof script, how many tactics were started, why none did, and the CPU
    seconds of coqc and what it ran (None if the run was killed before they could be read)."""

    index: int | None
    script: str
    tried: int
    reason: str
    cpu_seconds: float | None
    wall_seconds: float


class Portfolio:
    """Runs the portfolio on statements; `prover` (from `backends.get_prover`) states and checks them."""

    def __init__(self, prover: Prover, settings: PortfolioSettings = PortfolioSettings()) -> None:
        coqc = shutil.which("coqc")
        if coqc is None:
            raise ProverUnavailable("coqc is not installed")
        self.prover = prover
        self.settings = settings
        self.tactics = tuple(t for t in settings.tactics if usable(t))
        self.coqc = coqc
        self._mounts = portfolio_mounts(coqc)

    def find(self, statement: Statement, tactics: Sequence[Tactic] | None = None,
             hypotheses: Sequence[str] = (), prefix: Sequence[str] = ()) -> Found:
        """Run the tactics in one coqc, in order, up to the first that proves the goal."""
        tactics = list(self.tactics if tactics is None else tactics)
        marker = secrets.token_hex(16)
        source = session_source(statement, hypotheses, tactics, self.settings, marker, prefix)
        cap = self.settings.statement_timeout_s
        # sh runs coqc under a CPU cap and prints, with `times`, the CPU its children used (coqc and
        # the ATPs and csdp that coqc ran); the wall-clock limit is a backstop above the CPU cap.
        script = f'ulimit -t {math.ceil(cap)}; "$0" -q Portfolio.v; status=$?; echo "<<{marker}:cpu>>" >&2; times >&2; exit $status'
        outcome = run_command(["/bin/sh", "-c", script, self.coqc], mounts=self._mounts, files={"Portfolio.v": source},
                              environment={"PATH": f"{_HAMMER_LIBEXEC}:/usr/bin:/bin"}, timeout_s=2 * cap + 30,
                              memory_mb=self.settings.memory_mb, max_file_mb=256, processes=256,
                              max_output_bytes=256 * 1024)
        started = [int(i) for i in re.findall(rf"<<{marker}:try:(\d+)>>", outcome.stdout)]
        stderr, _, timing = outcome.stderr.partition(f"<<{marker}:cpu>>")
        times = re.findall(r"(\d+)m([\d.]+)s", timing)
        cpu = sum(60 * int(m) + float(sec) for m, sec in times[2:4]) if len(times) >= 4 else None

        def found(index: int | None, script: str = "", reason: str = "") -> Found:
            return Found(index, script, len(started), reason, cpu, outcome.duration_s)

        if outcome.sandbox_error:
            return found(None, reason=f"sandbox: {outcome.sandbox_error}")
        if outcome.timed_out or outcome.exit_code in _KILLED_BY_CPU_LIMIT or (cpu is not None and cpu >= cap):
            return found(None, reason=f"per-statement cap ({cap:g} s) reached")
        if f"<<{marker}:none>>" in outcome.stdout and outcome.exit_code == 0:
            return found(None, reason="no tactic proved it")
        if started and "The command has not failed" in stderr:
            index = started[-1]
            script = tactics[index].script
            if script == "hammer":
                replacement = _REPLACEMENT.search(outcome.stdout.split(f"<<{marker}:try:{index}>>", 1)[-1])
                if not replacement:
                    return found(None, reason="hammer succeeded without printing its replacement tactic")
                script = " ".join(replacement.group(1).split())
            return found(index, script)
        lines = [line for line in (stderr + outcome.stdout).splitlines() if line.startswith("Error")]
        return found(None, reason=" ".join(lines[0].split())[:300] if lines else f"coqc exited with {outcome.exit_code}")

    def prove(self, statement: Statement, prefix: Sequence[str] = ()) -> PortfolioResult:
        """Start the statement, run the portfolio (after the `prefix` tactics, if any), and check the
        proof it finds; when the checker refuses it, the portfolio goes on after that tactic."""
        wall = time.monotonic()
        start = self.prover.start(statement)
        result = PortfolioResult(statement.name, start.elaborates)
        if not start.elaborates:
            result.reason = f"statement does not elaborate: {start.reason}"
        try:
            prefix = [validate_tactic(tactic) for tactic in prefix]  # model-written: tactics only
        except ScriptError as error:
            result.reason = f"prefix is not a tactic script: {error}"
            return result
        offset = 0
        while start.elaborates and offset < len(self.tactics):
            found = self.find(statement, self.tactics[offset:], start.hypotheses, prefix)
            result.tried += found.tried
            result.cpu_seconds = None if found.cpu_seconds is None or result.cpu_seconds is None \
                else result.cpu_seconds + found.cpu_seconds
            if found.index is None:
                result.reason = found.reason
                break
            index, script = found.index, found.script
            tactic = self.tactics[offset + index]
            proof = proof_of(script, prefix)
            verdict = self.prover.check(statement, proof)
            if verdict.verified:
                result.proved, result.tactic, result.proof, result.reason = True, tactic.name, proof, "verified"
                break
            result.found_unverified.append(f"{tactic.name}: {verdict.reason[:200]}")
            result.reason = f"the checker refused what {tactic.name} found: {verdict.reason[:200]}"
            offset += index + 1
        result.seconds = time.monotonic() - wall
        return result

    def finish(self, state: ProofState) -> str | None:
        """The finishing step of model-guided search: a verified proof that is the state's tactics
        followed by one portfolio tactic on every goal they leave, or None."""
        return self.prove(state.statement, state.tactics).proof
