"""The tactic portfolio and `python -m math_lm.formal baseline` (the Coq tests need coqc and bubblewrap)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from math_lm.formal.backends import get_prover
from math_lm.formal.baseline import BaselineRecord, format_table, problem_source, proofs_lines
from math_lm.formal.coq import INSTALL_LINE
from math_lm.formal.portfolio import PORTFOLIO, Portfolio, PortfolioResult, PortfolioSettings, Tactic, proof_of
from math_lm.formal.prover import ProverLimits
from math_lm.formal.search import SearchSettings, best_first_search, scripted_tactics
from math_lm.formal.statements import DEFAULT_STATEMENTS, load_statements, parse_statement
from math_lm.eval.sandbox import isolation

REPO = Path(__file__).resolve().parents[3]
needs_coq = pytest.mark.skipif(shutil.which("coqc") is None or isolation.bubblewrap() is None,
                               reason=f"coqc or bubblewrap missing: {INSTALL_LINE}")
EASY = ("mathd_algebra_144", "mathd_numbertheory_269", "mathd_algebra_10")  # valid: lia, easy (Z arithmetic), Rabs cases


def by_name(*names: str) -> tuple[Tactic, ...]:
    known = {tactic.name: tactic for tactic in PORTFOLIO}
    return tuple(known[name] for name in names)


@pytest.fixture(scope="module")
def coq():
    return get_prover("coq", ProverLimits(check_timeout_s=120))


@pytest.fixture(scope="module")
def valid():
    return load_statements(DEFAULT_STATEMENTS, "valid")


def test_problem_sources_follow_the_name_prefixes():
    assert [problem_source(name) for name in ("mathd_algebra_10", "amc12a_2019_p21", "amc12_2000_p5", "aime_1983_p1",
                                              "aimeI_2000_p7", "imo_1959_p1", "imosl_2007_algebra_p6",
                                              "induction_12dvd4expnp1p20", "algebra_sqineq_at2malt1",
                                              "numbertheory_4x3m7y3neq2003")] == [
        "mathd", "amc", "amc", "aime", "aime", "imo", "imo", "induction", "other", "other"]


def test_table_counts_per_source_and_first_proving_tactic():
    def record(name: str, split: str, tactic: str | None, ok: bool = True) -> BaselineRecord:
        result = PortfolioResult(name, ok, proved=tactic is not None, tactic=tactic,
                                 proof=proof_of(tactic) if tactic else None, cpu_seconds=2.0)
        return BaselineRecord(split, problem_source(name), result)

    records = [record("mathd_a", "test", "lia"), record("mathd_b", "test", None), record("mathd_c", "test", None, ok=False),
               record("imo_a", "test", "nra"), record("amc12_a", "test", None), record("mathd_d", "test", "lia")]
    table = format_table(records, ["easy", "lia", "nra"])
    assert "### miniF2F-rocq test" in table
    by_source, by_tactic = ({line.split("|")[1].strip(): [cell.strip() for cell in line.split("|")[2:-1]]
                             for line in part.splitlines() if line.startswith("| ")}
                            for part in table.split("Proved, by the first tactic"))
    assert by_source["mathd"] == ["4", "3", "2", "50.0%", "66.7%", "8", "2.0"]
    assert by_source["all"][:5] == ["6", "5", "3", "50.0%", "60.0%"] and "aime" not in by_source
    assert by_tactic["tactic"] == ["mathd", "amc", "imo", "all"]
    assert by_tactic["lia"] == ["2", "0", "0", "2"] and by_tactic["nra"] == ["0", "0", "1", "1"] and "easy" not in by_tactic
    assert by_tactic["all"] == ["2", "0", "1", "3"]
    lines = [json.loads(line) for line in proofs_lines(records).splitlines()]
    assert [(line["name"], line["proof"]) for line in lines] == [
        ("mathd_a", "lia.\nQed."), ("imo_a", "nra.\nQed."), ("mathd_d", "lia.\nQed.")]


@needs_coq
@pytest.mark.slow
def test_portfolio_proves_easy_statements_and_the_checker_verifies(coq, valid):
    portfolio = Portfolio(coq, PortfolioSettings(tactic_timeout_s=20, statement_timeout_s=300))
    for name in EASY:
        result = portfolio.prove(valid[name])
        assert result.proved and result.reason == "verified", (name, result)
        assert coq.check(valid[name], result.proof).verified
        assert result.cpu_seconds is not None and result.cpu_seconds > 0
    assert portfolio.prove(valid["mathd_numbertheory_269"]).tactic == "easy"


@needs_coq
@pytest.mark.slow
def test_portfolio_leaves_a_false_statement_unproved_and_honours_its_limits(coq, tmp_path):
    path = tmp_path / "false_square.v"
    path.write_text("Require Import Reals.\nOpen Scope R_scope.\n\nTheorem false_square (x : R) : x * x < 0.\nProof.\nAdmitted.\n")
    statement = parse_statement(path)
    portfolio = Portfolio(coq, PortfolioSettings(tactic_timeout_s=5, statement_timeout_s=300))
    result = portfolio.prove(statement)
    assert result.statement_ok and not result.proved and result.proof is None
    assert result.reason == "no tactic proved it" and result.tried == len(portfolio.tactics)

    # A tactic that never ends is cut at the per-tactic limit, and the next one still runs ...
    loop = Tactic("loop", "do 1000000000 idtac")  # minutes of work
    true_path = tmp_path / "true_square.v"
    true_path.write_text("Require Import Reals.\nOpen Scope R_scope.\n\nTheorem true_square (x : R) : 0 <= x * x.\nProof.\n")
    found = Portfolio(coq, PortfolioSettings(tactic_timeout_s=1, statement_timeout_s=300,
                                             tactics=(loop, *by_name("nra")))).prove(parse_statement(true_path))
    assert found.proved and found.tactic == "nra" and found.tried == 2
    # ... and the per-statement cap stops the whole run.
    capped = Portfolio(coq, PortfolioSettings(tactic_timeout_s=10_000, statement_timeout_s=3,
                                              tactics=(loop, *by_name("nra")))).prove(parse_statement(true_path))
    assert not capped.proved and "per-statement cap" in capped.reason and capped.tried == 1


@needs_coq
@pytest.mark.slow
def test_finishing_step_closes_a_state_the_search_reached(coq, valid):
    portfolio = Portfolio(coq, PortfolioSettings(tactic_timeout_s=20, statement_timeout_s=300, tactics=by_name("lra")))
    script = {(): ["unfold Rabs."], ("unfold Rabs.",): ["destruct (Rcase_abs _)."]}
    found = best_first_search(coq, valid["mathd_algebra_10"], scripted_tactics(script), SearchSettings(), portfolio.finish)
    assert found.proved and found.reason == "verified (finishing step)"
    assert found.proof == "unfold Rabs.\ndestruct (Rcase_abs _).\nall: solve [ intros; lra ].\nQed."
    outcomes = [t["outcome"] for t in found.trace]
    assert outcomes == ["no finishing tactic", "goals", "no finishing tactic", "goals", "finished"]
    assert coq.check(valid["mathd_algebra_10"], found.proof).verified


@needs_coq
@pytest.mark.slow
def test_cli_baseline_writes_table_and_proofs_that_check_verifies(tmp_path):
    out, more = tmp_path / "baseline", tmp_path / "extended"
    names = "mathd_algebra_144,mathd_numbertheory_269,mathd_algebra_67,imo_1965_p1"
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def formal(*args: str) -> subprocess.CompletedProcess:
        completed = subprocess.run([sys.executable, "-m", "math_lm.formal", *args], capture_output=True, text=True,
                                   timeout=900, cwd=REPO, env=env)
        assert completed.returncode == 0, completed.stderr[-3000:]
        return completed

    completed = formal("baseline", "--split", "valid", "--names", names, "--workers", "2", "--tactics", "easy,lia,lra,nra",
                       "--tactic-timeout", "20", "--output", str(out))
    assert "baseline" in completed.stderr  # the progress bar
    table = (out / "table.md").read_text()
    assert table in completed.stdout and "### miniF2F-rocq valid" in table
    proofs = [json.loads(line) for line in (out / "proofs.jsonl").read_text().splitlines()]
    assert sorted(p["name"] for p in proofs) == ["mathd_algebra_144", "mathd_numbertheory_269"]
    every = [json.loads(line) for line in (out / "baseline.jsonl").read_text().splitlines()]
    assert sorted(r["name"] for r in every) == sorted(names.split(",")) and all(r["split"] == "valid" for r in every)

    # --extend runs more tactics on the statements the first run left unproved, and keeps its proofs
    formal("baseline", "--split", "valid", "--names", names, "--tactics", "rewrite; close", "--tactic-timeout", "20",
           "--extend", str(out), "--output", str(more))
    extended = {json.loads(line)["name"]: json.loads(line) for line in (more / "baseline.jsonl").read_text().splitlines()}
    assert extended["mathd_algebra_67"]["tactic"] == "rewrite; close" and extended["mathd_algebra_67"]["tried"] == 4 + 1
    assert extended["mathd_algebra_144"] == next(r for r in every if r["name"] == "mathd_algebra_144")
    assert not extended["imo_1965_p1"]["proved"] and extended["imo_1965_p1"]["tried"] == 4 + 1

    checked = formal("check", "--statements", str(DEFAULT_STATEMENTS), "--proofs", str(more / "proofs.jsonl"),
                     "--output", str(tmp_path / "check"))
    assert "verified 3 of 3 proofs" in checked.stdout
