"""The Coq checker on real miniF2F-rocq statements and on every way of cheating (needs coqc)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from math_lm.formal.coq import INSTALL_LINE
from math_lm.formal.backends import get_prover
from math_lm.formal.prover import ProverLimits
from math_lm.formal.statements import DEFAULT_STATEMENTS, load_statements, parse_statement
from math_lm.eval.sandbox import isolation

REPO = Path(__file__).resolve().parents[3]
PROOFS = Path(__file__).with_name("proofs.jsonl")
needs_coq = pytest.mark.skipif(shutil.which("coqc") is None or isolation.bubblewrap() is None,
                               reason=f"coqc or bubblewrap missing: {INSTALL_LINE}")
pytestmark = [needs_coq, pytest.mark.slow]


@pytest.fixture(scope="module")
def coq():
    return get_prover("coq", ProverLimits(check_timeout_s=30, step_timeout_s=20))


@pytest.fixture(scope="module")
def valid():
    return load_statements(DEFAULT_STATEMENTS, "valid")


def _statement(tmp_path: Path, name: str, text: str):
    path = tmp_path / f"{name}.v"
    path.write_text(text)
    return parse_statement(path)


def test_cli_verifies_hand_written_proofs_in_input_order(tmp_path):
    out = tmp_path / "out"
    completed = subprocess.run(
        [sys.executable, "-m", "math_lm.formal", "check", "--prover", "coq", "--statements",
         str(DEFAULT_STATEMENTS / "valid"), "--proofs", str(PROOFS), "--output", str(out), "--workers", "2"],
        capture_output=True, text=True, timeout=900, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert completed.returncode == 0, completed.stderr[-2000:]
    expected = [json.loads(line)["name"] for line in PROOFS.read_text().splitlines()]
    results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(expected) >= 10 and [r["name"] for r in results] == expected
    assert all(r["verified"] and r["reason"] == "verified" and r["seconds"] > 0 for r in results), results
    assert f"verified {len(expected)} of {len(expected)} proofs" in completed.stdout
    assert "checking proofs" in completed.stderr  # the progress bar


def test_wrong_proofs_fail_with_coqs_error(coq, valid):
    verdict = coq.check(valid["mathd_algebra_109"], "intros h1 h2. lia.\nQed.")  # lia knows no reals
    assert not verdict.verified and verdict.reason.startswith("Error") and verdict.statement_ok
    unfinished = coq.check(valid["mathd_algebra_101"], "intros x h. split.\nQed.")
    assert not unfinished.verified and "Error" in unfinished.reason


@pytest.mark.parametrize("proof", [
    "lra.\nAdmitted.",
    "admit.\nQed.",
    "give_up.\nQed.",
    "Abort.\nTheorem mathd_algebra_109 : True. Proof. exact I.\nQed.",
    "Unset Guard Checking.\nintros h1 h2. lra.\nQed.",
    'Redirect "leak" Print Assumptions Reals.\nintros h1 h2. lra.\nQed.',
    'Declare ML Module "coq-core.plugins.ltac".\nintros h1 h2. lra.\nQed.',
    "Definition b := 0.\nintros h1 h2. lra.\nQed.",
    'Load "Attempt".\nQed.',
])
def test_cheats_in_the_script_are_refused_before_coq_runs(coq, valid, proof):
    verdict = coq.check(valid["mathd_algebra_109"], proof)
    assert not verdict.verified and verdict.reason.startswith("not a tactic proof"), verdict


def test_axioms_outside_the_allowlist_are_refused(coq, tmp_path):
    statement = _statement(tmp_path, "cheat_axiom", (
        "Require Import Reals.\nOpen Scope R_scope.\n"
        "Lemma helper : False.\nProof.\nAdmitted.\n"
        "Theorem cheat_axiom : 1 = 2.\nProof.\nAdmitted.\n"))
    verdict = coq.check(statement, "destruct helper.\nQed.")
    assert not verdict.verified and "outside the allowlist: helper" in verdict.reason, verdict
    honest = coq.check(statement, "lra.\nQed.")  # 1 = 2 is false: lra cannot prove it
    assert not honest.verified


def test_the_admitted_original_theorem_cannot_prove_itself(coq, valid):
    verdict = coq.check(valid["mathd_algebra_10"], "exact mathd_algebra_10.\nQed.")
    assert not verdict.verified and "outside the allowlist: mathd_algebra_10" in verdict.reason, verdict
    binders = coq.check(valid["mathd_algebra_104"], "exact (mathd_algebra_104 x h0).\nQed.")  # (x : R) (h0 : ...)
    assert not binders.verified and "outside the allowlist: mathd_algebra_104" in binders.reason, binders


def test_axioms_the_statement_declares_and_the_reals_axioms_are_allowed(coq, tmp_path):
    statement = _statement(tmp_path, "uses_parameter", (
        "Require Import Reals.\nOpen Scope R_scope.\nParameter c : R.\nAxiom c_pos : 0 < c.\n"
        "Theorem uses_parameter : 0 < 2 * c.\nProof.\nAdmitted.\n"))
    verdict = coq.check(statement, "pose proof c_pos. lra.\nQed.")
    assert verdict.verified, verdict
    assert {"Attempt.c_pos", "Coq.Reals.ClassicalDedekindReals.sig_forall_dec"} <= set(verdict.assumptions)


def test_unsafe_flags_in_the_statement_make_it_unusable(coq, tmp_path):
    statement = _statement(tmp_path, "unguarded", (
        "Unset Guard Checking.\nFixpoint loop (n : nat) : False := loop n.\n"
        "Theorem unguarded : False.\nProof.\nAdmitted.\n"))
    verdict = coq.check(statement, "exact (loop 0).\nQed.")
    assert not verdict.verified and not verdict.statement_ok and "Guard Checking" in verdict.reason


def test_a_non_terminating_proof_is_a_failure_not_a_hang(tmp_path):
    quick = get_prover("coq", ProverLimits(check_timeout_s=4, step_timeout_s=4))
    statement = _statement(tmp_path, "loops", "Theorem loops : True.\nProof.\nAdmitted.\n")
    assert quick.check(statement, "exact I.\nQed.").verified
    started = time.monotonic()
    verdict = quick.check(statement, "let rec spin n := spin (S n) in spin 0.\nQed.")
    assert not verdict.verified and verdict.reason.startswith("timeout")
    assert time.monotonic() - started < 60  # spin never ends by itself; the margin over 4 s is for loaded machines
    assert quick.check(statement, "exact I.\nQed.").verified  # the overrunning worker was replaced
    step = quick.step(quick.initial_state(statement), "do 1000000000 idtac.")
    assert not step.ok and step.error.startswith("timeout")


def test_a_long_proof_that_makes_coq_print_much_is_read_while_it_is_written(coq, tmp_path):
    """coqtop prints the goals after each tactic: the pool must read while it writes, or both block."""
    statement = _statement(tmp_path, "chatty", "Theorem chatty : True.\nProof.\nAdmitted.\n")
    proof = "idtac.\n" * 25_000 + "exact I.\nQed."
    assert len(proof) < 200_000
    assert coq.check(statement, proof).verified
    assert not coq.check(statement, "idtac.\n" * 40_000 + "exact I.\nQed.").verified  # over the proof-size bound


def test_statements_that_do_not_elaborate_are_reported_not_failed(coq, tmp_path):
    missing = _statement(tmp_path, "missing_library", (
        "Require Import NoSuchLibrary.\nTheorem missing_library : True.\nProof.\nAdmitted.\n"))
    verdict = coq.check(missing, "exact I.\nQed.")
    assert not verdict.verified and not verdict.statement_ok
    assert verdict.reason.startswith("statement does not elaborate") and "NoSuchLibrary" in verdict.reason


def test_rocq9_stdlib_names_and_coquelicot_statements_elaborate(coq):
    rocq9 = parse_statement(DEFAULT_STATEMENTS / "test" / "amc12a_2021_p18.v")  # From Stdlib Require Import Qreals
    assert "From Stdlib" not in rocq9.header and coq.start(rocq9).elaborates
    coquelicot = parse_statement(DEFAULT_STATEMENTS / "valid" / "mathd_algebra_110.v")
    assert "Coquelicot" in coquelicot.header and coq.start(coquelicot).elaborates


def test_step_returns_new_goals_or_the_error(coq, valid):
    state = coq.initial_state(valid["mathd_algebra_10"])
    assert "Rabs (120 / 100 * 30 - 130 / 100 * 20) = 10" in state.goals
    failed = coq.step(state, "lia.")
    assert not failed.ok and "Error" in failed.error
    unfolded = coq.step(state, "unfold Rabs.")
    assert unfolded.ok and "Rcase_abs" in unfolded.state.goals and not unfolded.state.complete
    done = coq.step(unfolded.state, "destruct (Rcase_abs _); lra.")
    assert done.ok and done.state.complete and done.state.tactics == ("unfold Rabs.", "destruct (Rcase_abs _); lra.")
    assert not coq.step(state, "Admitted.").ok


def test_prover_sees_only_its_own_files(coq, tmp_path):
    outside = tmp_path / "outside.v"
    outside.write_text("Definition outside := 1.\n")
    text = f'Load "{outside.with_suffix("")}".\nTheorem peek : outside = 1.\nProof.\nAdmitted.\n'
    statement = _statement(tmp_path, "peek", text)
    assert subprocess.run(["coqc", "-q", "peek.v"], cwd=tmp_path, capture_output=True).returncode == 0  # outside: it can
    start = coq.start(statement)
    assert not start.elaborates and "outside" in start.reason, start  # inside the sandbox the file is not there


def test_cli_fresh_coqc_flag_gives_the_reference_path(tmp_path):
    proofs = tmp_path / "p.jsonl"
    proofs.write_text('{"name": "mathd_algebra_104", "proof": "lra.\\nQed."}\n'
                      '{"name": "mathd_algebra_109", "proof": "intros h1 h2. lia.\\nQed."}\n')
    results = {}
    for flags in ([], ["--fresh-coqc"]):
        out = tmp_path / ("fresh" if flags else "pool")
        completed = subprocess.run(
            [sys.executable, "-m", "math_lm.formal", "check", "--statements", str(DEFAULT_STATEMENTS / "valid"),
             "--proofs", str(proofs), "--output", str(out), *flags],
            capture_output=True, text=True, timeout=600, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert completed.returncode == 0, completed.stderr[-2000:]
        results[bool(flags)] = [json.loads(line)["verified"] for line in (out / "results.jsonl").read_text().splitlines()]
    assert results[False] == results[True] == [True, False]


def test_cli_stops_with_the_install_line_without_coqc(tmp_path):
    proofs = tmp_path / "p.jsonl"
    proofs.write_text('{"name": "mathd_algebra_10", "proof": "lra.\\nQed."}\n')
    completed = subprocess.run(
        [sys.executable, "-m", "math_lm.formal", "check", "--statements", str(DEFAULT_STATEMENTS / "valid"),
         "--proofs", str(proofs), "--output", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "PATH": str(tmp_path)})
    assert completed.returncode == 3 and "apt-get install -y coq" in completed.stderr
    assert not (tmp_path / "out" / "results.jsonl").exists()


def test_cli_names_the_bad_line(tmp_path):
    proofs = tmp_path / "p.jsonl"
    proofs.write_text('{"name": "mathd_algebra_10", "proof": "lra.\\nQed."}\n{"name": "no_such_problem", "proof": "Qed."}\n')
    completed = subprocess.run(
        [sys.executable, "-m", "math_lm.formal", "check", "--statements", str(DEFAULT_STATEMENTS / "valid"),
         "--proofs", str(proofs), "--output", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert completed.returncode == 2 and f"{proofs}:2: no statement 'no_such_problem'" in completed.stderr


@pytest.mark.skipif(shutil.which("csdp") is None, reason="csdp missing: apt-get install coinor-csdp")
def test_psatz_proofs_run_csdp_in_the_sandbox_on_both_paths(tmp_path, valid):
    """psatz runs csdpcert, which runs csdp through /bin/sh: both checker paths let it, with the same verdicts."""
    square = _statement(tmp_path, "two_ab", "Require Import Reals Psatz.\nOpen Scope R_scope.\n"
                        "Theorem two_ab : forall a b : R, 2 * a * b <= a * a + b * b.\nProof.\n")
    cases = [(square, "intros; psatz R 2.\nQed.", True),
             (square, "intros; lra.\nQed.", False),  # needs the SDP certificate: lra alone cannot
             (valid["mathd_algebra_410"], "intros; first [psatz R 3 | psatz Z 3].\nQed.", True)]
    limits = ProverLimits(check_timeout_s=120)
    from math_lm.formal.coq import CoqProver

    verdicts = {}
    for fresh in (True, False):
        with CoqProver(limits, fresh_coqc=fresh, pool_size=2) as prover:
            verdicts[fresh] = [prover.check(statement, proof) for statement, proof, _ in cases]
    for fresh, checks in verdicts.items():
        assert [c.verified for c in checks] == [expected for _, _, expected in cases], (fresh, [c.reason for c in checks])
    assert [(c.verified, c.assumptions) for c in verdicts[True]] == [(c.verified, c.assumptions) for c in verdicts[False]]
