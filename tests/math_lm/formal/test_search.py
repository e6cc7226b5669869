"""Best-first search, the tasks and `python -m math_lm.formal run` end to end (needs coqc)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from math_lm.formal.cli import _ModelSettings
from math_lm.formal.coq import INSTALL_LINE
from math_lm.formal.generation import Sampling, model_tactics
from math_lm.formal.prompts import INFORMAL2FORMAL_EXEMPLARS, formal2formal_prompt, informal2formal_prompt
from math_lm.formal.backends import get_prover
from math_lm.formal.prover import ProverLimits
from math_lm.formal.search import SearchSettings, best_first_search, scripted_tactics
from math_lm.formal.statements import DEFAULT_STATEMENTS, informal_problem, load_statements, parse_statement
from math_lm.eval.sandbox import isolation
from tests.hf_llama import write_tiny_hf_model

REPO = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.skipif(shutil.which("coqc") is None or isolation.bubblewrap() is None,
                                 reason=f"coqc or bubblewrap missing: {INSTALL_LINE}"), pytest.mark.slow]
KNOWN_PROOF = {(): ["lia.", "unfold Rabs.", "reflexivity."],
               ("unfold Rabs.",): ["lra.", "destruct (Rcase_abs _); lra."]}


@pytest.fixture(scope="module")
def coq():
    return get_prover("coq", ProverLimits(check_timeout_s=30, step_timeout_s=20))


@pytest.fixture(scope="module")
def algebra_10():
    return load_statements(DEFAULT_STATEMENTS, "valid")["mathd_algebra_10"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    return write_tiny_hf_model(tmp_path_factory.mktemp("tiny-llama"), max_positions=4096)


def test_scripted_search_finds_the_known_proof(coq, algebra_10):
    found = best_first_search(coq, algebra_10, scripted_tactics(KNOWN_PROOF), SearchSettings(tactics_per_state=3))
    assert found.proved and found.proof == "unfold Rabs.\ndestruct (Rcase_abs _); lra.\nQed."
    assert found.expansions == 2 and found.reason == "verified"
    outcomes = [(t["tactic"], t["outcome"]) for t in found.trace]
    assert outcomes[:3] == [("lia.", "error"), ("unfold Rabs.", "goals"), ("reflexivity.", "error")]
    assert coq.check(algebra_10, found.proof).verified


def test_search_stops_at_the_expansion_budget(coq, algebra_10):
    found = best_first_search(coq, algebra_10, scripted_tactics(KNOWN_PROOF), SearchSettings(expansion_budget=1))
    assert not found.proved and found.expansions == 1 and "expansion budget" in found.reason


def test_search_with_a_tiny_model_scoring_scripted_tactics(coq, algebra_10, tiny_model):
    from math_lm.eval.harness import build_model

    lm = build_model(_ModelSettings(str(tiny_model), "hf", "float32", 2, "cpu", 0))
    source = model_tactics(lm, Sampling(temperature=0.6, max_gen_toks=6), extra=lambda state: KNOWN_PROOF.get(state.tactics, []))
    root = coq.initial_state(algebra_10)
    proposals = source(root, 2)
    assert {"lia.", "unfold Rabs.", "reflexivity."} <= {tactic for tactic, _ in proposals} and len(proposals) <= 5
    assert all(logprob < 0 for _, logprob in proposals)
    assert [p[1] for p in proposals] == sorted((p[1] for p in proposals), reverse=True)  # best first
    found = best_first_search(coq, algebra_10, source, SearchSettings(tactics_per_state=1, expansion_budget=6))
    assert found.proved and coq.check(algebra_10, found.proof).verified, found.trace


def test_tiny_model_search_with_the_portfolio_as_finishing_step(coq, algebra_10, tiny_model):
    from math_lm.eval.harness import build_model
    from math_lm.formal.portfolio import PORTFOLIO, Portfolio, PortfolioSettings

    lm = build_model(_ModelSettings(str(tiny_model), "hf", "float32", 2, "cpu", 0))
    steps = {(): ["unfold Rabs."], ("unfold Rabs.",): ["destruct (Rcase_abs _)."]}
    source = model_tactics(lm, Sampling(temperature=0.6, max_gen_toks=6), extra=lambda state: steps.get(state.tactics, []))
    lra = tuple(t for t in PORTFOLIO if t.name == "lra")
    finish = Portfolio(coq, PortfolioSettings(tactic_timeout_s=20, statement_timeout_s=300, tactics=lra)).finish
    found = best_first_search(coq, algebra_10, source, SearchSettings(tactics_per_state=1, expansion_budget=6), finish)
    assert found.proved and found.reason == "verified (finishing step)", found.trace
    assert found.proof.endswith("destruct (Rcase_abs _).\nall: solve [ intros; lra ].\nQed.")
    assert coq.check(algebra_10, found.proof).verified


def test_exemplars_are_verified_proofs_of_their_statements(coq, tmp_path):
    for exemplar in INFORMAL2FORMAL_EXEMPLARS:
        path = tmp_path / f"{exemplar.name}.v"
        path.write_text(exemplar.header + "Admitted.\n")
        verdict = coq.check(parse_statement(path), exemplar.proof)
        assert verdict.verified, (exemplar.name, verdict.reason)


def test_prompts_hold_the_informal_and_formal_statements(algebra_10):
    informal = informal_problem("mathd_algebra_10", "valid")
    prompt = informal2formal_prompt(algebra_10, informal)
    assert prompt.endswith(f"{informal.proof} *)\n\nFormal:\n{algebra_10.theorem}\nProof.\n")
    assert prompt.count("Informal:") == len(INFORMAL2FORMAL_EXEMPLARS) + 1 and "mathd_algebra_10" not in prompt[:-500]
    assert formal2formal_prompt("1 goal\nx = 1").endswith("[GOAL]\n1 goal\nx = 1\n[PROOFSTEP]\n")


def _run(tiny_model: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "math_lm.formal", "run", "--model", str(tiny_model), "--split", "valid,test",
         "--names", "mathd_algebra_10,mathd_algebra_107,amc12a_2016_p3", "--device", "cpu", "--output", str(out), *args],
        capture_output=True, text=True, timeout=900, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"})


def test_cli_runs_both_tasks_end_to_end(tiny_model, tmp_path):
    out = tmp_path / "f2f"
    completed = _run(tiny_model, out, "--task", "formal2formal", "--tactics-per-state", "2", "--expansion-budget", "1",
                     "--max-tactic-toks", "4", "--finish", "none")
    assert completed.returncode == 0, completed.stderr[-3000:]
    valid = [json.loads(line) for line in (out / "formal2formal_valid.jsonl").read_text().splitlines()]
    assert [r["name"] for r in valid] == ["amc12a_2016_p3", "mathd_algebra_10"]
    assert all(r["expansions"] == 1 and not r["verified"] and r["trace"] for r in valid)
    assert "formal2formal test" in completed.stderr  # progress bar per split
    table = (out / "summary.md").read_text()
    assert "formal-to-formal" in table and "pass@1" in table and "miniF2F valid" in table and "miniF2F test" in table
    assert table in completed.stdout

    out = tmp_path / "i2f"
    completed = _run(tiny_model, out, "--task", "informal2formal", "--k", "2", "--max-gen-toks", "6")
    assert completed.returncode == 0, completed.stderr[-3000:]
    attempts = [json.loads(line) for line in (out / "informal2formal_valid.jsonl").read_text().splitlines()]
    assert [(r["name"], r["attempt"]) for r in attempts] == [
        ("amc12a_2016_p3", 0), ("amc12a_2016_p3", 1), ("mathd_algebra_10", 0), ("mathd_algebra_10", 1)]
    assert all(r["proof"].endswith("Qed.") and r["verified"] is False and r["reason"] for r in attempts)
    results = json.loads((out / "results.json").read_text())
    assert [(r["split"], r["metric"], r["scored"]) for r in results["results"]] == [("valid", "pass@2", 2), ("test", "pass@2", 1)]
    assert "informal-to-formal" in (out / "summary.md").read_text()
