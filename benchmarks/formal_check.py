"""Proofs checked per second by the Coq checker, next to bare coqc on the same proofs.

  bare coqc   `coqc -q` on preamble + statement + proof, no sandbox, no checks (the floor)
  checker     CoqProver.check: the statement elaborated on its own once (cached per statement),
              then the proof compiled in the sandbox with Print Assumptions and the type check
  checker, warm   the same proofs again (statements already elaborated)

over the hand-written proofs of tests/math_lm/formal/proofs.jsonl (miniF2F-rocq valid),
with 1 and --workers checks in parallel.

    python benchmarks/formal_check.py [--workers 2]
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

from math_lm.formal.coq import PREAMBLE, CoqProver
from math_lm.formal.statements import DEFAULT_STATEMENTS, load_statements

PROOFS = REPO_ROOT / "tests/math_lm/formal/proofs.jsonl"


def bare_coqc(statements, attempts, workers: int) -> float:
    with tempfile.TemporaryDirectory() as directory:
        def compile_one(index_attempt):
            index, (name, proof) = index_attempt
            path = Path(directory) / f"P{index}.v"
            path.write_text(PREAMBLE + statements[name].header + proof + "\n")
            return subprocess.run(["coqc", "-q", path.name], cwd=directory, capture_output=True).returncode == 0

        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            assert all(pool.map(compile_one, enumerate(attempts)))
        return time.perf_counter() - started


def checker(prover: CoqProver, statements, attempts, workers: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        verdicts = list(pool.map(lambda attempt: prover.check(statements[attempt[0]], attempt[1]), attempts))
    assert all(v.verified for v in verdicts), [v.reason for v in verdicts if not v.verified]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("coqc") is None:
        sys.exit("coqc is not installed: apt-get install -y coq libcoq-coquelicot bubblewrap")
    statements = load_statements(DEFAULT_STATEMENTS, "valid")
    attempts = [(r["name"], r["proof"]) for r in map(json.loads, PROOFS.read_text().splitlines())]
    print(f"{len(attempts)} proofs (miniF2F-rocq valid); proofs checked per second")
    print(f"{'workers':>7} {'bare coqc':>10} {'checker':>9} {'checker, warm':>14}")
    for workers in dict.fromkeys([1, args.workers]):
        prover = CoqProver()
        bare = bare_coqc(statements, attempts, workers)
        cold = checker(prover, statements, attempts, workers)
        warm = checker(prover, statements, attempts, workers)
        n = len(attempts)
        print(f"{workers:>7} {n / bare:>10.2f} {n / cold:>9.2f} {n / warm:>14.2f}")


if __name__ == "__main__":
    main()
