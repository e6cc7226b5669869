"""Proof checks per second per core: the coqtop worker pool next to fresh coqc, same attempts, same run.

The attempts are search-shaped: short proofs (one tactic call each, most of them failing, as a
prover's candidates do) on miniF2F-rocq valid statements, every tactic on every statement.

  fresh coqc       CoqProver(fresh_coqc=True): a fresh sandboxed coqc per check (the reference)
  pool, cold       CoqProver(pool_size=workers): workers started, statements loaded, axioms
                   of library constants asked for the first time, all inside the timing
  pool, warm       the same attempts again on the same pool (what a search does: many attempts
                   against statements and library constants the pool has already seen)

checks/s per core = checks / (wall seconds x workers); checks per CPU second counts the CPU
time of the prover processes (coqc, coqtop and the sandbox around them; not this Python
process), which depends much less on the machine's load. Verdicts of the paths are compared.

    python benchmarks/formal_check.py [--workers 2] [--statements 6]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from math_lm.formal.coq import INSTALL_LINE, CoqProver
from math_lm.formal.prover import ProverLimits
from math_lm.formal.statements import DEFAULT_STATEMENTS, load_statements

TACTICS = ("lra.", "nra.", "lia.", "intros; lra.", "intros; nra.", "ring.", "field.", "auto.", "easy.", "intuition.")


class ProverCpu:
    """CPU seconds used by this process's descendants (coqc, coqtop, the sandbox around them) while
    it runs: /proc is read every 50 ms (bubblewrap's PID namespace does not hand its children's
    times back to us on exit), each process counted from its first to its last reading inside the
    window, so a process is missed by at most one period."""

    def __init__(self) -> None:
        self._first: dict[tuple[int, str], float] = {}
        self._last: dict[tuple[int, str], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _scan(self) -> None:
        parents, times = {}, {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as handle:
                        fields = handle.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry)] = int(fields[1])
                times[(int(entry), fields[19])] = sum(int(value) for value in fields[11:13]) / _TICKS  # utime stime
        me = os.getpid()
        for key, seconds in times.items():
            ancestor = parents.get(key[0])
            while ancestor and ancestor != me:
                ancestor = parents.get(ancestor)
            if ancestor == me:
                self._first.setdefault(key, seconds if self._started else 0.0)
                self._last[key] = seconds

    def _watch(self) -> None:
        while not self._stop.wait(0.05):
            self._scan()

    def __enter__(self) -> ProverCpu:
        self._started = True
        self._scan()  # processes alive at the start count from here
        self._started = False
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self._started = False
        self._scan()

    @property
    def seconds(self) -> float:
        return sum(self._last[key] - self._first[key] for key in self._last)


_TICKS = os.sysconf("SC_CLK_TCK")


def run(prover: CoqProver, attempts, workers: int):  # noqa: ANN001, ANN201
    started = time.perf_counter()
    with ProverCpu() as cpu, ThreadPoolExecutor(workers) as pool:
        verdicts = list(pool.map(lambda attempt: prover.check(attempt[0], attempt[1]), attempts))
    return verdicts, time.perf_counter() - started, cpu.seconds


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
        rows.append(("fresh coqc", seconds, cpu))
    with CoqProver(limits, pool_size=args.workers) as pool:
        cold, seconds, cpu = run(pool, attempts, args.workers)
        rows.append(("pool, cold", seconds, cpu))
        warm, seconds, cpu = run(pool, attempts, args.workers)
        rows.append(("pool, warm", seconds, cpu))
    n = len(attempts)
    print(f"{'path':<12} {'wall s':>8} {'checks/s/core':>14} {'prover CPU s':>13} {'checks/CPU s':>13}")
    for name, wall, cpu in rows:
        print(f"{name:<12} {wall:>8.1f} {n / (wall * args.workers):>14.2f} {cpu:>13.1f} {n / cpu:>13.2f}")
    same = sum(r.verified == c.verified == w.verified for r, c, w in zip(reference, cold, warm))
    print(f"verified: fresh {sum(v.verified for v in reference)}, pool {sum(v.verified for v in cold)}, "
          f"{sum(v.verified for v in warm)}; same verdict on {same} of {n}")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if same != n:
        sys.exit("the paths disagree")


if __name__ == "__main__":
    main()
