"""Time per sandboxed program call, next to the same program run without a sandbox.

  bare python     subprocess.run([python, "-I", "-c", program]): no limits, no isolation (the floor)
  weak isolation  run_program(..., allow_weak_isolation=True) with bubblewrap hidden from PATH: limits,
                  nobody, audit hook, no file-system isolation
  sandbox         run_program(...): the default, under bubblewrap (file system, namespaces)

for two programs: `print(6 * 7)` and one that imports sympy (what MATH+Python programs do).
Each is the median of --calls calls after one warm-up call.

    python benchmarks/sandbox_call.py [--calls 20]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time


from math_lm.eval.sandbox import isolation, run_program

PROGRAMS = {
    "print": "print(6 * 7)\n",
    "sympy": "import sympy\n\ndef solution():\n    return sympy.simplify(sympy.sqrt(8) + sympy.Rational(1, 2))\n",
}


def median_seconds(call, calls: int) -> float:
    call()
    timings = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def without_bubblewrap(program: str):  # noqa: ANN201
    path = os.environ["PATH"]
    os.environ["PATH"] = ""  # bubblewrap is looked up on the PATH
    try:
        return run_program(program, timeout_s=30, allow_weak_isolation=True)
    finally:
        os.environ["PATH"] = path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    if isolation.bubblewrap() is None:
        sys.exit("bubblewrap cannot isolate here: apt-get install bubblewrap")

    def check(result) -> None:  # noqa: ANN001
        if not result.ok:
            raise SystemExit(f"sandboxed call failed: {result.error}\n{result.stderr}")

    print(f"median seconds per call over {args.calls} calls ({sys.executable})")
    print(f"{'program':8} {'bare python':>12} {'weak isolation':>15} {'sandbox':>9} {'sandbox - bare':>15}")
    for name, program in PROGRAMS.items():
        standalone = program + ("print(solution())\n" if "def solution" in program else "")
        bare = median_seconds(lambda: subprocess.run([sys.executable, "-I", "-c", standalone], check=True,
                                                     capture_output=True), args.calls)
        try:
            weak = f"{median_seconds(lambda: check(without_bubblewrap(program)), args.calls):15.3f}"
        except SystemExit:  # e.g. as root, nobody cannot read an interpreter under /root
            weak = f"{'fails':>15}"
        sandboxed = median_seconds(lambda: check(run_program(program, timeout_s=30)), args.calls)
        print(f"{name:8} {bare:12.3f} {weak} {sandboxed:9.3f} {sandboxed - bare:15.3f}")


if __name__ == "__main__":
    main()
