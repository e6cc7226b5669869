"""Proof checks per second per core: the coqtop worker pool next to fresh coqc, same attempts, same run.

The attempts are search-shaped: short proofs (one tactic call each, most of them failing, as a
prover's candidates do) on miniF2F-rocq valid statements, every tactic on every statement.

  fresh coqc       CoqProver(fresh_coqc=True): a fresh sandboxed coqc per check (the reference)
  pool, cold       CoqProver(pool_size=workers): workers started, statements loaded, axioms
                   of library constants asked for the first time, all inside the timing
  pool, warm       the same attempts again on the same pool (what a search does: many attempts
                   against statements and library constants the pool has already seen)

checks/s per core = checks / (wall seconds x workers); checks per CPU second counts the CPU
time of every process involved (this one and all its sandboxed children), so it does not
depend on the machine's load. Verdicts of the paths are compared.

    python benchmarks/formal_check.py [--workers 2] [--statements 6]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from math_lm.formal.coq import INSTALL_LINE, CoqProver
from math_lm.formal.prover import ProverLimits
from math_lm.formal.statements import DEFAULT_STATEMENTS, load_statements

TACTICS = ("lra.", "nra.", "lia.", "intros; lra.", "intros; nra.", "ring.", "field.", "auto.", "easy.", "intuition.")


def _live_descendants_cpu() -> float:
    """CPU seconds of this process's live descendants (the pool's workers), with their reaped children."""
    parents, times = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
            times[int(entry)] = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    total, me = 0, os.getpid()
    for pid in times:
        ancestor = parents.get(pid)
        while ancestor and ancestor != me:
            ancestor = parents.get(ancestor)
        if ancestor == me:
            total += times[pid]
    return total / os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> float:
    """CPU seconds of this process and of every process it started, running or ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + _live_descendants_cpu()


def run(prover: CoqProver, attempts, workers: int):  # noqa: ANN001, ANN201
    started, cpu = time.perf_counter(), cpu_seconds()
    with ThreadPoolExecutor(workers) as pool:
        verdicts = list(pool.map(lambda attempt: prover.check(attempt[0], attempt[1]), attempts))
    return verdicts, time.perf_counter() - started, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--statements", type=int, default=6, help="miniF2F valid statements (the first N that import Reals)")
    args = parser.parse_args()
    if shutil.which("coqc") is None:
        sys.exit(f"coqc is not installed: {INSTALL_LINE}")
    statements = [s for s in load_statements(DEFAULT_STATEMENTS, "valid").values() if "Reals" in s.header][: args.statements]
    attempts = [(statement, f"{tactic}\nQed.") for statement in statements for tactic in TACTICS]
    limits = ProverLimits(check_timeout_s=60)
    print(f"{len(attempts)} attempts ({len(statements)} miniF2F-rocq valid statements x {len(TACTICS)} one-tactic proofs), "
          f"{args.workers} workers; load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    rows = []
    with CoqProver(limits, fresh_coqc=True) as fresh:
        reference, seconds, cpu = run(fresh, attempts, args.workers)
        rows.append(("fresh coqc", seconds, cpu_seconds() - cpu))
    with CoqProver(limits, pool_size=args.workers) as pool:
        cold, seconds, cpu = run(pool, attempts, args.workers)
        rows.append(("pool, cold", seconds, cpu_seconds() - cpu))
        warm, seconds, cpu = run(pool, attempts, args.workers)
        rows.append(("pool, warm", seconds, cpu_seconds() - cpu))
    n = len(attempts)
    print(f"{'path':<12} {'wall s':>8} {'checks/s/core':>14} {'CPU s':>8} {'checks/CPU s':>13}")
    for name, wall, cpu in rows:
        print(f"{name:<12} {wall:>8.1f} {n / (wall * args.workers):>14.2f} {cpu:>8.1f} {n / cpu:>13.2f}")
    same = sum(r.verified == c.verified == w.verified for r, c, w in zip(reference, cold, warm))
    print(f"verified: fresh {sum(v.verified for v in reference)}, pool {sum(v.verified for v in cold)}, "
          f"{sum(v.verified for v in warm)}; same verdict on {same} of {n}")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if same != n:
        sys.exit("the paths disagree")


if __name__ == "__main__":
    main()
