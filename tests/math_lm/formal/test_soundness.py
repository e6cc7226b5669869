"""The checker against adversarial proofs: Coq 8.16.1's guard-checker bugs and the older cheats.

adversarial.jsonl holds each proof with its statement (a miniF2F file, or a header of its own)
and what bare coqc 8.16 does with it (`bare_coqc`: "accepted" means the file compiles, usually
with "Closed under the global context"; recorded by `python tests/math_lm/formal/test_soundness.py
--record`, and checked again here). Every one must be refused, by the fresh-coqc reference and
by the pool alike, and with the early text check switched off (the kernel-term audit alone).
Legitimate proofs (the hand-written ones of proofs.jsonl, and `classic` under either way of
importing it) are verified by both paths, with equal verdicts everywhere.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from math_lm.formal.coq import INSTALL_LINE, CoqProver
from math_lm.formal.prover import ProverLimits
from math_lm.formal.statements import DEFAULT_STATEMENTS, Statement, parse_statement
from math_lm.eval.sandbox import isolation

HERE = Path(__file__).parent
ADVERSARIAL = HERE / "adversarial.jsonl"
PROOFS = HERE / "proofs.jsonl"
needs_coq = pytest.mark.skipif(shutil.which("coqc") is None or isolation.bubblewrap() is None,
                               reason=f"coqc or bubblewrap missing: {INSTALL_LINE}")
pytestmark = [needs_coq, pytest.mark.slow]
LIMITS = ProverLimits(check_timeout_s=120, step_timeout_s=60)


def adversarial() -> list[dict]:
    return [json.loads(line) for line in ADVERSARIAL.read_text().splitlines()]


def statement_of(entry: dict, directory: Path) -> Statement:
    if "minif2f" in entry:
        return parse_statement(DEFAULT_STATEMENTS / f"{entry['minif2f']}.v")
    name = "boom"
    path = directory / f"{entry['id']}" / f"{name}.v"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(entry["header"] + "Admitted.\n")
    return parse_statement(path)


def bare_coqc(entry: dict) -> str:
    """What plain coqc does with the statement followed by the proof: "accepted" or "rejected"."""
    with tempfile.TemporaryDirectory() as directory:
        statement = statement_of(entry, Path(directory))
        source = Path(directory) / "Bare.v"
        source.write_text(statement.header + entry["proof"] + "\n")
        completed = subprocess.run(["coqc", "-q", source.name], cwd=directory, capture_output=True, timeout=300)
        return "accepted" if completed.returncode == 0 else "rejected"


@pytest.fixture(scope="module")
def fresh():
    with CoqProver(LIMITS, fresh_coqc=True) as prover:
        yield prover


@pytest.fixture(scope="module")
def pool():
    with CoqProver(LIMITS, pool_size=2) as prover:
        yield prover


@pytest.fixture(scope="module")
def verdicts(fresh, pool, tmp_path_factory):
    """Every adversarial proof through both paths: {id: (fresh Check, pool Check)}."""
    directory = tmp_path_factory.mktemp("statements")
    found = {}
    for entry in adversarial():
        statement = statement_of(entry, directory)
        found[entry["id"]] = (fresh.check(statement, entry["proof"]), pool.check(statement, entry["proof"]))
    return found


def test_the_suite_is_large_and_every_guard_exploit_is_accepted_by_bare_coqc():
    entries = adversarial()
    guard = [e for e in entries if e["class"].startswith("guard")]
    assert len(entries) >= 30 and len(guard) >= 20
    assert {e["class"] for e in guard} == {f"guard rocq#{n}" for n in (20413, 20455, 21839, 21053)}
    assert all(e["bare_coqc"] == "accepted" for e in guard), [e["id"] for e in guard if e["bare_coqc"] != "accepted"]
    assert {e["bare_coqc"] for e in entries} <= {"accepted", "rejected"}


@pytest.mark.parametrize("entry", [e for e in adversarial() if e["class"].startswith("guard")][::5],
                         ids=lambda e: e["id"])
def test_recorded_bare_coqc_outcome_still_holds(entry):
    assert bare_coqc(entry) == entry["bare_coqc"]


def test_no_adversarial_proof_is_verified_by_either_path(verdicts):
    accepted = {key: (f.reason, p.reason) for key, (f, p) in verdicts.items() if f.verified or p.verified}
    assert not accepted


def test_guard_exploits_without_fix_in_their_text_are_caught_by_the_term_audit(verdicts):
    for key in ("20413_ltac_header", "21839_ltac_header", "21839_notation_header"):
        fresh_verdict, pool_verdict = verdicts[key]
        assert "local fixpoint" in fresh_verdict.reason and "local fixpoint" in pool_verdict.reason, key


def test_the_term_audit_alone_refuses_every_guard_exploit(fresh, pool, tmp_path):
    """The early text check (`fix`/`cofix` words) switched off: the kernel term is what refuses."""
    pool.screen_fixpoints = fresh.screen_fixpoints = False
    try:
        for index, entry in enumerate(e for e in adversarial() if e["class"].startswith("guard")):
            statement = statement_of(entry, tmp_path)
            checkers = [pool, fresh] if index % 4 == 0 else [pool]  # the fresh path is slow: a quarter of them
            for checker in checkers:
                verdict = checker.check(statement, entry["proof"])
                assert not verdict.verified, (entry["id"], checker.fresh_coqc)
                assert "fix" in verdict.reason or "auxiliary" in verdict.reason, (entry["id"], verdict.reason)
    finally:
        pool.screen_fixpoints = fresh.screen_fixpoints = True


def test_both_paths_give_the_same_verdicts_on_the_adversarial_suite(verdicts):
    assert {key: f.verified for key, (f, _) in verdicts.items()} == {key: p.verified for key, (_, p) in verdicts.items()}
    assert {key: f.statement_ok for key, (f, _) in verdicts.items()} == {key: p.statement_ok for key, (_, p) in verdicts.items()}


def test_hand_written_proofs_are_verified_by_both_paths_with_the_same_axioms(fresh, pool):
    statements = {}
    for record in map(json.loads, PROOFS.read_text().splitlines()):
        statement = statements.setdefault(record["name"], parse_statement(DEFAULT_STATEMENTS / "valid" / f"{record['name']}.v"))
        by_fresh, by_pool = fresh.check(statement, record["proof"]), pool.check(statement, record["proof"])
        assert by_fresh.verified and by_pool.verified, (record["name"], by_fresh.reason, by_pool.reason)
        assert by_fresh.assumptions == by_pool.assumptions, record["name"]
        assert set(by_fresh.assumptions) <= {"Coq.Reals.ClassicalDedekindReals.sig_forall_dec",
                                             "Coq.Logic.FunctionalExtensionality.functional_extensionality_dep"}


@pytest.mark.parametrize("imports", ["Require Import Classical.\n", "Require Coq.Logic.Classical.\n",
                                     "Require Import Coq.Logic.Classical_Prop.\n"])
def test_allowed_axioms_are_allowed_whatever_name_the_import_gives_them(fresh, pool, tmp_path, imports):
    path = tmp_path / "excluded_middle.v"
    path.write_text(imports + "Theorem excluded_middle : forall P : Prop, P \\/ ~ P.\nProof.\nAdmitted.\n")
    statement = parse_statement(path)
    proof = ("intro P. apply classic.\nQed." if "Import" in imports
             else "intro P. apply Coq.Logic.Classical_Prop.classic.\nQed.")
    for checker in (fresh, pool):
        verdict = checker.check(statement, proof)
        assert verdict.verified, (imports, checker.fresh_coqc, verdict.reason)
        assert verdict.assumptions == ("Coq.Logic.Classical_Prop.classic",)


def test_an_axiom_that_prints_like_an_allowed_one_is_still_refused(fresh, pool, tmp_path):
    """A statement's own `classic` (not Coq's) is allowed as the statement's axiom; a library axiom
    outside the allowlist is refused, under its short name too."""
    path = tmp_path / "own_axiom.v"
    path.write_text("Require Import Coq.Logic.ClassicalChoice.\nTheorem own_axiom : True.\nProof.\nAdmitted.\n")
    statement = parse_statement(path)
    for checker in (fresh, pool):
        verdict = checker.check(statement, "pose proof relational_choice as h. exact I.\nQed.")
        assert not verdict.verified and "outside the allowlist" in verdict.reason, verdict


def _record() -> None:
    entries = adversarial()
    for entry in entries:
        entry["bare_coqc"] = bare_coqc(entry)
        print(entry["id"], entry["bare_coqc"], flush=True)
    ADVERSARIAL.write_text("".join(json.dumps(entry) + "\n" for entry in entries))


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    _record()
