"""The Coq backend: Debian's Coq 8.16, run in the sandbox.

Two ways to check a proof give the same verdicts (tests/math_lm/formal/test_soundness.py holds
them to it): a pool of long-lived, header-loaded `coqtop` workers (`math_lm.formal.coq_pool`,
the default, fast), and one fresh `coqc` per check (`fresh_coqc=True`, `--fresh-coqc`: the
reference). `start` goes through the pool when there is one; `step` runs a fresh `coqc` per call.

What `check` accepts (see also `script`): the proof is tactic sentences then `Qed.`, checked by
`validate_proof`. It is checked in one Coq session that reads: the statement file's imports; an
empty module `LlemmaStatement` (the pool's reset point); the rest of the statement file,
unchanged, its theorem left `Admitted`; the fixed `PREAMBLE`; then, inside a module
`LlemmaAttempt`, `Theorem llemma_attempt`, whose type is the original theorem's type itself
(`type of`, so the preamble cannot change what is proved), with the original's binders
introduced under their names; then the proof. Coq must report no error. Then the harness audits
the kernel term, behind a random marker the proof cannot know:

- Axioms. `Print Assumptions llemma_attempt`: every axiom must be one of `ALLOWED_AXIOMS` or one
  that the statement file itself declares with `Axiom`/`Parameter` (not the Admitted original
  theorem, nor a lemma the file leaves Admitted). Coq prints each name by its shortest
  unambiguous qualified name in the current context (`classic` under `Require Import
  Classical`, `Classical_Prop.classic` without the import), so names are never compared as
  strings: the harness asks Coq (`Locate <fully qualified name>`) how it prints each allowed
  kernel name there, and a printed axiom is allowed only if it is the printing of an allowed
  kernel name. Two kernel names cannot have the same shortest name in one context.
- No local fixpoints. Coq 8.16.1's guard checker, which the kernel (and `coqchk`) trusts for
  every `fix` and `cofix`, has known holes reachable from a tactic proof: rocq#20413 (the
  non-structural arguments of a fixpoint are not checked), #20455 ("match on match" taken as a
  subterm), #21839 (reduction in the wrong context) and, with `PropExtensionality` loaded,
  #21053; see rocq's dev/doc/critical-bugs.md. New ones have been found every few months. So a
  proof may not contain a local fixpoint or cofixpoint at all, whatever produced it (the `fix`
  tactic, a `fix` term in `exact`/`refine`/`pose`, `ltac:(...)`, a notation or an Ltac
  definition from the statement file, `abstract`): the harness prints the body of
  `llemma_attempt` with `Set Printing All` (no notations) and a printing depth of 2^30 (nothing
  elided), and refuses it if the text has a `fix` or `cofix` token, an elision (`...`), or a
  reference to a constant of the `LlemmaAttempt` module other than the theorem (an auxiliary
  constant the proof declared; with `Qed`, Coq 8.16 inlines `abstract`'s subproofs, so none
  is expected). Constants of the libraries and of the statement file are kernel names: their
  bodies are not expanded by `Print`, and they were checked when their library was built; the
  standard library's and Coquelicot's fixpoints are also accepted by the fixed guard checkers
  of Coq 9.x. The words `fix`/`cofix` are refused in the proof's text too (`script`): the early,
  readable refusal; the term check is the one that holds. #21053 needs a fixpoint whose guard is
  wrongly accepted and propositional extensionality; with no local fixpoint it has nothing to
  work on, so `propositional_extensionality` stays allowed. Proofs are thereby sound against
  the whole class of guard-checker bugs, known and future. What it costs: a proof whose term
  contains a library fixpoint unfolded into a type is refused too (`unfold Nat.add.
  induction n. ...`); none of the hand-written proofs of the tests is, and `simpl`, `cbv`,
  `vm_compute`, `induction` and the decision procedures leave no `fix` in the term.
- Not covered: soundness bugs outside the guard checker (critical-bugs.md lists conversion,
  universe and VM bugs open in 8.16.1, mostly reachable only with vernacular commands, which
  a proof cannot contain, or with primitive integers/floats, whose operations `Print
  Assumptions` lists as axioms and the allowlist refuses).

psatz. `psatz` asks an external SDP solver for a Positivstellensatz certificate: Coq runs
`csdpcert` (Coq's own program, no shell), which runs `csdp` (Debian's coinor-csdp) through
`/bin/sh -c`, so the checker's Coq (fresh coqc and the pool's coqtop alike) sees these three
programs and their shared libraries, read-only, finds csdp through `PATH=/usr/bin:/bin`, and may
start processes: `RLIMIT_NPROC` is `PSATZ_PROCESSES`, not 0. Measured: one psatz needs 4 processes
of the sandbox's user (with 3, csdpcert cannot start csdp: "Cannot find witness"). The limit
counts every process of that user (`nobody` under root) on the machine, not only this sandbox's,
so 4 would refuse psatz proofs whenever another check runs beside it (a pool of 2 workers
already does); `PSATZ_PROCESSES` leaves room for the sandboxes beside it, and past it psatz fails
and the proof is refused, never accepted. Why this is sound: the solver's output is only a
certificate, which Coq's kernel checks like any other proof term (the audit above applies
unchanged); the started programs see the same sandbox (no network, read-only mounts, an empty
working directory on a quota'd tmpfs, no other executable mounted to start) and each has the
sandbox's memory, CPU and file limits, and the wall-clock limit kills the whole process group.
csdpcert's result cache (`.csdp.cache`) lives in the working directory: fresh per coqc, kept for
a pool worker's life (a cached certificate is checked by the kernel all the same).

coqc is never given unsafe flags (`-type-in-type`, `-impredicative-set`, `-noinit`, ...), and a
statement header that unsets a checker, or names the harness's modules, is refused.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import threading
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
"""Read after the statement: the decision procedures a proof may call (lia, nia, lra, nra,
psatz, field, ring; CoqHammer's sauto, qauto, ...) and the libraries they work over."""
PRELOAD = ("From Coq Require Arith ZArith Lia Lra Psatz Field Ring Reals.\n"
           + ("From Hammer Require Tactics.\n" if HAMMER_TACTICS else ""))
"""Read after the statement's imports, before the rest of it: the preamble's libraries loaded,
not imported (no name or notation of theirs becomes visible), so that a pool worker holds them
once for all the statements that share the imports."""

ALLOWED_AXIOMS = frozenset({
    "Coq.Reals.ClassicalDedekindReals.sig_forall_dec",  # the classical real numbers of Coq's Reals
    "Coq.Reals.ClassicalDedekindReals.sig_not_dec",
    "Coq.Logic.FunctionalExtensionality.functional_extensionality_dep",  # used by Reals and Coquelicot
    "Coq.Logic.Classical_Prop.classic",  # excluded middle, used by Reals' classical lemmas
    "Coq.Logic.PropExtensionality.propositional_extensionality",
    "Coq.Logic.ProofIrrelevance.proof_irrelevance",
    "Coq.Logic.Eqdep.Eq_rect_eq.eq_rect_eq",
    "Coq.Logic.ClassicalEpsilon.constructive_indefinite_description",  # Coquelicot's limits
})
"""The axioms of the libraries miniF2F statements import (classical reals, extensionality), by
fully qualified kernel name."""

STATEMENT_MODULE = "LlemmaStatement"
ATTEMPT_MODULE = "LlemmaAttempt"
MAX_TERM_CHARS = 8_000_000
"""A proof term whose printing is longer is refused (it could not be audited within bounds)."""
MAX_OUTPUT_BYTES = 32 << 20
MAX_PROOF_CHARS = 200_000
"""A longer proof is refused before Coq runs."""

_UNSAFE_HEADER = re.compile(r"^(?:Local\s+|Global\s+|#\[[^\]]*\]\s*)*(?:Unset|Set)\s+(?:Guard|Positivity|Universe)\s+Checking")
_IMPORT = re.compile(r"^(?:From\s+\S+\s+)?(?:Require|Import|Export)\b|^(?:(?:Local|Global)\s+)?(?:Open|Close)\s+Scope\b")
PSATZ_PROGRAMS = ("csdpcert", "csdp")
PSATZ_PROCESSES = 64
"""`RLIMIT_NPROC` of the checker's Coq (see the module docstring): one psatz needs 4 (coqc/coqtop,
csdpcert, /bin/sh, csdp); the limit counts every process of the sandbox's user on the machine, so
the rest is room for the sandboxes running beside it."""
PSATZ_ENVIRONMENT = {"PATH": "/usr/bin:/bin"}
"""csdpcert finds csdp, and Coq checks that it is installed, through PATH."""
_COQC = "coqc"
_COQTOP = "coqtop"
_FILE = "Attempt"
TOPLEVEL_MODULE = _FILE  # the top module of the session: coqc compiles Attempt.v, coqtop runs with -top Attempt
_ATTEMPT = "llemma_attempt"
_PRINTING = "Set Printing All.\nSet Printing Depth 1073741824.\n"
_FIXPOINT = re.compile(r"\b(?:co)?fix\b")
INFO_LINE = re.compile(r"^Fetching opaque proofs from disk for .*$", re.MULTILINE)


def coq_mounts(*binaries: str) -> Mounts:
    """What coqc/coqtop need to see: themselves, their shared libraries, the OCaml library directory
    (Coq's library and plugins, CoqHammer's tactics plugin), findlib's config."""
    # The whole OCaml library directory: findlib resolves plugin dependencies (CoqHammer's tactics
    # plugin needs threads, unix, ...) through the META files of many packages there.
    library_dirs = ["/usr/lib/ocaml"]
    readonly = [*binaries, *(path for path in library_dirs if os.path.isdir(path))]
    readonly += [path for path in ("/etc/ocamlfind.conf", "/usr/lib/ocaml/findlib.conf") if os.path.exists(path)]
    plugins = [os.path.join(top, name)
               for plugin_dir in ("/usr/lib/ocaml/coq-core/plugins", "/usr/lib/ocaml/coq-hammer-tactics")
               for top, _, names in os.walk(plugin_dir) for name in names if name.endswith(".cmxs")]
    elf = sorted({os.path.realpath(binary) for binary in binaries} | set(plugins))
    return Mounts(tuple(readonly) + shared_libraries(tuple(elf)))


def psatz_mounts() -> Mounts:
    """What `psatz` runs (see the module docstring): `csdpcert`, the `csdp` it runs, and `/bin/sh`,
    through which csdpcert runs csdp; with their shared libraries. Nothing where csdp is not installed."""
    programs = [path for path in (shutil.which(name) for name in PSATZ_PROGRAMS) if path]
    if len(programs) < len(PSATZ_PROGRAMS):
        return Mounts(())
    shell = os.path.realpath("/bin/sh")
    resolved = tuple(sorted({os.path.realpath(p) for p in (*programs, shell)}))
    extra = tuple(p for p in resolved if p not in programs)
    return Mounts(tuple(programs) + extra + shared_libraries(resolved), readonly_at=(("/bin/sh", shell),))


def split_header(header: str) -> tuple[str, str]:
    """The statement header's leading imports (`Require`, `Import`, `Open Scope`, ...), and the rest:
    the pool keeps workers with the imports loaded, and reads the rest per statement."""
    cut = 0
    for sentence in sentences(header):
        if not _IMPORT.match(sentence.text):
            break
        cut = sentence.end
    return header[:cut], header[cut:]


def statement_source(statement: Statement) -> str:
    """The session up to the attempt's module: imports, the reset point, the rest of the statement
    file with its theorem Admitted, the preamble."""
    imports, rest = split_header(statement.header)
    return imports + "\n" + PRELOAD + statement_load(rest) + "Admitted.\n" + PREAMBLE


def statement_load(rest: str) -> str:
    return f"\nModule {STATEMENT_MODULE}. End {STATEMENT_MODULE}.\n" + rest


def attempt_source(statement: Statement, start: Start, proof: str) -> str:
    """The attempt: a theorem whose type is the original theorem's type, taken from it (not
    elaborated again), with the original's hypotheses introduced under their names, and the proof."""
    intros = f"intros {' '.join(start.hypotheses)}.\n" if start.hypotheses else ""
    return (f"Module {ATTEMPT_MODULE}.\n"
            f"Theorem {_ATTEMPT} : ltac:(let T := type of {statement.name} in exact T).\nProof.\n" + intros
            + proof.rstrip() + f"\nEnd {ATTEMPT_MODULE}.\n")


def allowed_kernel_names(statement: Statement) -> list[str]:
    return sorted(ALLOWED_AXIOMS) + [f"{_FILE}.{name}" for name in sorted(declared_axioms(statement.header))]


def audit_source(statement: Statement, marker: str) -> str:
    """What the harness asks Coq after the attempt (see the module docstring), each answer behind
    `<<marker:section>>`."""
    theorem = f"{ATTEMPT_MODULE}.{_ATTEMPT}"
    parts = [printed(marker, "assumptions", f"Print Assumptions {theorem}.")]
    parts += [printed(marker, f"locate{index}", f"Locate {target}.")
              for index, target in enumerate(allowed_kernel_names(statement))]
    parts.append(printed(marker, "term", term_query()))
    return "".join(parts)


def term_query() -> str:
    return _PRINTING + f"Print {ATTEMPT_MODULE}.{_ATTEMPT}.\n"


def judge(stdout: str, marker: str, statement: Statement) -> tuple[bool, str, tuple[str, ...]]:
    """The verdict on a session that ran without error, from the audit's answers: (verified, reason, axioms)."""
    sections = sections_of(INFO_LINE.sub("", stdout), marker)
    if "assumptions" not in sections or "term" not in sections:
        return False, "coqc did not print the audit of the theorem", ()
    refusal = term_refusal(sections["term"])
    if refusal:
        return False, refusal, ()
    printed_as = printed_names(sections, statement)
    return axiom_verdict([printed_as.get(axiom, axiom) for axiom in axioms_in(sections["assumptions"])], statement)


def term_refusal(term: str) -> str | None:
    """Why the printed proof term (`Print` under `Set Printing All`) is refused, or None."""
    if len(term) > MAX_TERM_CHARS:
        return f"the proof term is longer than {MAX_TERM_CHARS} characters printed"
    if _FIXPOINT.search(term):
        return "the proof term has a local fixpoint (fix/cofix): not allowed"
    if "..." in term or not term.lstrip().startswith(f"{ATTEMPT_MODULE}.{_ATTEMPT} ="):
        return "the proof term could not be printed whole"
    auxiliary = sorted(set(re.findall(rf"\b{ATTEMPT_MODULE}\.([\w']+)", term)) - {_ATTEMPT})
    if auxiliary:
        return f"the proof declares auxiliary constants: {', '.join(auxiliary)}"
    return None


def printed_names(sections: dict[str, str], statement: Statement) -> dict[str, str]:
    """How Coq prints each allowed kernel name in this context (printed name -> kernel name), from
    the `Locate` answers of the audit."""
    printed_as: dict[str, str] = {}
    for index, target in enumerate(allowed_kernel_names(statement)):
        shown = _located(sections.get(f"locate{index}", ""), target)
        if shown:
            printed_as[shown] = target
    return printed_as


def axiom_verdict(axioms: list[str], statement: Statement) -> tuple[bool, str, tuple[str, ...]]:
    """`axioms` are kernel names (or, where Coq's printing resolved to no allowed one, as printed)."""
    allowed = set(allowed_kernel_names(statement))
    axioms = sorted(set(axioms))
    unexpected = [axiom for axiom in axioms if axiom not in allowed]
    if unexpected:
        return False, f"relies on axioms outside the allowlist: {', '.join(unexpected)}", tuple(axioms)
    return True, "verified", tuple(axioms)


_KEYWORDS = frozenset({"fun", "forall", "let", "in", "match", "with", "end", "return", "as", "Prop", "Set", "Type",
                       "SProp", "Arguments", "exists"})
_QUALID = re.compile(r"(?<![\w'.])[A-Za-z_][\w']*(?:\.[A-Za-z_][\w']*)*")


def term_references(term: str) -> set[str]:
    """Every qualified identifier in a printed term: its global references (each printed by a name
    that resolves to it), and bound names, which resolve to nothing or to a global (more than needed)."""
    body = term.lstrip()
    body = body[body.find("=") + 1 :] if body.startswith(f"{ATTEMPT_MODULE}.{_ATTEMPT} =") else body
    body = body.split("\nArguments ", 1)[0]
    return {name for name in _QUALID.findall(body) if name not in _KEYWORDS}


def _located(text: str, target: str) -> str | None:
    """How Coq prints `target` in the context of a `Locate target` answer; None if it is not there."""
    answer = " ".join(text.split())
    found = re.match(rf"\w+ {re.escape(target)}(?: \(shorter name to refer to it in current context is (\S+)\))?(?: |$)",
                     answer)
    if not found:
        return None
    return found.group(1) or target


def statement_refusal(statement: Statement) -> str | None:
    """Why the statement cannot be used at all, or None."""
    unsafe = [s.text for s in sentences(statement.header) if _UNSAFE_HEADER.match(s.text)]
    if unsafe:
        return f"statement header sets {unsafe[0]!r}"
    if re.search(rf"\b(?:{STATEMENT_MODULE}|{ATTEMPT_MODULE}|llemma_\w+)\b", statement.header):
        return f"statement header uses a name of the checker ({STATEMENT_MODULE}, {ATTEMPT_MODULE}, llemma_*)"
    return None


class CoqProver:
    """The prover interface (`math_lm.formal.prover.Prover`) over Coq.

    `check` runs on a pool of `pool_size` header-loaded coqtop workers (`coq_pool`), or, with
    `fresh_coqc=True`, one fresh coqc per check (the reference path). Call `close()` (or use it as
    a context manager) to stop the workers; they also die with this process."""

    name = "coq"

    def __init__(self, limits: ProverLimits | None = None, *, fresh_coqc: bool = False, pool_size: int = 1) -> None:
        coqc, coqtop = shutil.which(_COQC), shutil.which(_COQTOP)
        if coqc is None or coqtop is None:
            raise ProverUnavailable(f"coqc is not installed: {INSTALL_LINE}")
        if pool_size < 1:
            raise ValueError(f"pool_size must be at least 1, got {pool_size}")
        self.coqc, self.coqtop = coqc, coqtop
        self.limits = limits or ProverLimits()
        self.fresh_coqc = fresh_coqc
        self.screen_fixpoints = True  # the early text check of `script`; tests turn it off to test the term check alone
        self._mounts = coq_mounts(coqc, coqtop) + psatz_mounts()
        self._starts: dict[str, Start] = {}
        self._starts_lock = threading.Lock()
        self._pool = None
        if not fresh_coqc:
            from math_lm.formal.coq_pool import CoqPool

            self._pool = CoqPool([coqtop, "-q", "-top", _FILE], self._mounts, self.limits, pool_size)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()

    def __enter__(self) -> CoqProver:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _compile(self, source: str, timeout_s: float):  # noqa: ANN202
        return run_command([self.coqc, "-q", f"{_FILE}.v"], mounts=self._mounts, files={f"{_FILE}.v": source},
                           environment=PSATZ_ENVIRONMENT, timeout_s=timeout_s, memory_mb=self.limits.memory_mb,
                           max_file_mb=256, disk_quota_mb=256, max_output_bytes=MAX_OUTPUT_BYTES,
                           processes=PSATZ_PROCESSES)

    def start(self, statement: Statement) -> Start:
        """Elaborate the statement exactly as its file says (no preamble): its goals, and the names of
        the hypotheses its binders put in the context."""
        with self._starts_lock:
            if statement.name in self._starts:
                return self._starts[statement.name]
        refusal = statement_refusal(statement)
        if refusal:
            result = Start(statement.name, False, reason=refusal)
        elif self._pool is not None:
            result = self._pool.start(statement)
        else:
            result = self._fresh_start(statement)
        with self._starts_lock:
            self._starts[statement.name] = result
        return result

    def _fresh_start(self, statement: Statement) -> Start:
        started = time.monotonic()
        marker = new_marker()
        outcome = self._compile(statement.header + start_script(marker) + "Admitted.\n", self.limits.check_timeout_s)
        seconds = time.monotonic() - started
        if outcome.timed_out:
            return Start(statement.name, False, reason="timeout while elaborating the statement", seconds=seconds)
        if outcome.exit_code != 0 or outcome.sandbox_error:
            return Start(statement.name, False, reason=_error_text(outcome), seconds=seconds)
        return parse_start(statement.name, outcome.stdout, marker, seconds)

    def check(self, statement: Statement, proof: str) -> Check:
        started = time.monotonic()

        def verdict(verified: bool, reason: str, statement_ok: bool = True, assumptions: tuple[str, ...] = ()) -> Check:
            return Check(statement.name, verified, reason, time.monotonic() - started, statement_ok, assumptions)

        start = self.start(statement)
        if not start.elaborates:
            return verdict(False, f"statement does not elaborate: {start.reason}", statement_ok=False)
        if len(proof) > MAX_PROOF_CHARS:
            return verdict(False, f"not a tactic proof: longer than {MAX_PROOF_CHARS} characters")
        try:
            validate_proof(proof, refuse_fixpoints=self.screen_fixpoints)
        except ScriptError as error:
            return verdict(False, f"not a tactic proof: {error}")
        marker = new_marker()
        if self._pool is not None:
            verified, reason, axioms = self._pool.check(statement, attempt_source(statement, start, proof), marker)
            return verdict(verified, reason, assumptions=axioms)
        source = statement_source(statement) + attempt_source(statement, start, proof) + audit_source(statement, marker)
        outcome = self._compile(source, self.limits.check_timeout_s)
        if outcome.timed_out:
            return verdict(False, f"timeout after {self.limits.check_timeout_s:g} s")
        if outcome.exit_code != 0 or outcome.sandbox_error:
            return verdict(False, _error_text(outcome))
        if "bytes dropped ..." in outcome.stdout:
            return verdict(False, f"coqc printed more than {MAX_OUTPUT_BYTES} bytes: the audit could not be read")
        verified, reason, axioms = judge(outcome.stdout, marker, statement)
        return verdict(verified, reason, assumptions=axioms)

    def initial_state(self, statement: Statement) -> ProofState:
        start = self.start(statement)
        if not start.elaborates:
            raise ValueError(f"{statement.name}: statement does not elaborate: {start.reason}")
        return ProofState(statement, (), start.goals)

    def step(self, state: ProofState, tactic: str) -> Step:
        """Apply `tactic` after the state's tactics: the goals left, or the error (a fresh coqc)."""
        started = time.monotonic()
        try:
            tactic = validate_tactic(tactic)
        except ScriptError as error:
            return Step(None, f"not a tactic: {error}", time.monotonic() - started)
        if state.complete:
            return Step(None, "the proof is already complete", 0.0)
        marker = new_marker()
        statement = state.statement
        start = self.start(statement)
        intros = f"intros {' '.join(start.hypotheses)}.\n" if start.hypotheses else ""
        source = (statement.header + "Admitted.\n" + PREAMBLE
                  + f"Theorem {_ATTEMPT} : ltac:(let T := type of {statement.name} in exact T).\nProof.\n" + intros
                  + "\n".join(state.tactics) + "\n" + f'idtac "<<{marker}:goals>>".\n{tactic}\nShow.\nAbort.\n')
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


def start_script(marker: str) -> str:
    """Run in the statement's open proof: its goals (`Show`), then the names of its hypotheses,
    the last first (print it, revert it, repeat)."""
    return "Show.\n" + f'repeat match goal with H : _ |- _ => idtac "<<{marker}:hypothesis>>" H; revert H end.\n'


def parse_start(name: str, stdout: str, marker: str, seconds: float) -> Start:
    shown, _, listed = stdout.partition(f"<<{marker}:")
    hypotheses = re.findall(rf"<<{marker}:hypothesis>> (\S+)", f"<<{marker}:" + listed)
    return Start(name, True, goals=_last_goals(shown), seconds=seconds, hypotheses=tuple(reversed(hypotheses)))


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


def new_marker() -> str:
    return secrets.token_hex(16)


def printed(marker: str, section: str, command: str) -> str:
    """`command`, preceded in Coq's output by a line naming `section` and `marker` (a `Check`, which
    needs no open proof and works the same in coqc and coqtop)."""
    name = f"llemma_{section}_{marker}"
    return f"Check (fun {name} : unit => {name}).\n{command}\n"


def section_marker(marker: str, section: str = r"(\w+?)") -> str:
    """The regular expression of what `printed`'s `Check` prints (Coq may break its line)."""
    return rf"fun\s+llemma_{section}_{marker}\s+:\s+unit\s+=>\s+llemma_\w+?_{marker}\s+:\s+(?:unit\s+->\s+unit|forall\s+_\s+:\s+unit,\s+unit)\n"


def sections_of(stdout: str, marker: str) -> dict[str, str]:
    parts = re.split(section_marker(marker), stdout)
    return {parts[index]: parts[index + 1] for index in range(1, len(parts) - 1, 2)}


_GOALS_HEADER = re.compile(r"^(?:\d+ goals?|No more goals\.?|This subproof is complete.*)$", re.MULTILINE)


def _last_goals(text: str) -> str:
    """The last `Show.` output in `text`."""
    headers = list(_GOALS_HEADER.finditer(text))
    return text[headers[-1].start() :].strip() if headers else text.strip()


def axioms_in(text: str) -> list[str]:
    """Axiom names in `Print Assumptions` output (none when "Closed under the global context")."""
    if "Closed under the global context" in text:
        return []
    names = []
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.endswith(":"):
            names.append(line.split(" : ")[0].strip())
    return names


def _error_text(outcome) -> str:  # noqa: ANN001
    if outcome.sandbox_error:
        return f"sandbox: {outcome.sandbox_error}"
    return error_text(outcome.stderr.strip() or outcome.stdout.strip()) or f"coqc exited with status {outcome.exit_code}"


def error_text(text: str) -> str:
    """Coq's first error in `text`, on one line (or the end of `text`)."""
    errors = [line for line in text.splitlines() if line.startswith("Error")]
    if errors:
        index = text.find(errors[0])
        return " ".join(text[index:].split())[:500]
    return " ".join(text.split())[-500:]
