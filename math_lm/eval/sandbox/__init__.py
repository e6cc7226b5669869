"""Run model-written Python programs (MATH+Python, GSM8k+Python) and provers in a sandbox.

What a sandboxed process sees and may do:

- File system (bubblewrap, `isolation`): an empty read-only root holding only, read-only, the
  interpreter with its standard library, the site-packages the program may import (default
  sympy, mpmath, numpy) and the shared libraries they load; its own empty working directory
  (also `HOME` and `TMPDIR`): a tmpfs of `disk_quota_mb` bytes (default 32 MiB) and
  `disk_quota_files` files (default 256) in the sandbox's own mount namespace, so nothing it
  writes reaches the host's disk or outlives it; `/dev/null` and `/dev/urandom`. Not /etc,
  /proc, /root, /home, /tmp, the checkout, or the data.
- Identity: root callers run it as `nobody` (a real uid, not a user-namespace alias) with no
  capabilities, which the child checks before going on; other callers run it in a user namespace
  under their own uid, with no capabilities.
- Namespaces: own PID, IPC, UTS and network (no interface but loopback) namespaces.
- Limits: address space (`memory_mb`), CPU time, size of each written file and of all of them
  together (the disk quota: past it, status "disk quota"), open files, no new
  processes or threads (`RLIMIT_NPROC` 0); the wall-clock limit is enforced by this process,
  which kills the child's whole process group; output is capped; stdin is closed; the
  environment is minimal (none of the caller's variables).
- Python programs also run under an audit hook refusing sockets, subprocesses, ctypes calls,
  raising limits and writes outside the working directory: defence in depth only.

Where no isolation can be set up (bubblewrap missing, or user namespaces disabled for a user
other than root), `run_program` raises `SandboxUnavailable` naming the fix, unless weak
isolation is asked for (`allow_weak_isolation=True` or `LLEMMA_SANDBOX_ALLOW_WEAK_ISOLATION=1`):
then the limits, `nobody`, a network namespace and the audit hook apply, but the machine's
world-readable files are open to the program, and the disk quota is enforced by a watchdog
(bounded, not exact: see `runner`).

The answer of a program follows the PAL / LLEMMA convention: if the program defines a
top-level callable `solution`, it is called with no arguments after the program body has run
and its return value is the answer (SymPy objects rendered as LaTeX, anything else with
`str`); otherwise, or if `solution()` returns None, the answer is the last non-empty line the
program printed. Whatever the program does, `run_program` returns an `ExecutionResult`.

The child (`child.py`, standard library only) is a real module, run inside as
`python -I -B -m llemma_sandbox_child`: it is mounted under that name into the interpreter's own
site-packages directory there, since the checkout holding `math_lm` is exactly what the sandbox
does not show. (With weak isolation, asked for, the host interpreter runs the same file.)
"""

from math_lm.eval.sandbox import isolation
from math_lm.eval.sandbox.isolation import Mounts, SandboxUnavailable
from math_lm.eval.sandbox.runner import (
    DEFAULT_DISK_QUOTA_FILES,
    DEFAULT_DISK_QUOTA_MB,
    DEFAULT_MAX_FILE_MB,
    DEFAULT_MAX_OUTPUT_BYTES,
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT_S,
    CommandResult,
    ExecutionResult,
    ExecutionStatus,
    extract_program,
    run_command,
    run_program,
)

__all__ = [
    "DEFAULT_DISK_QUOTA_FILES", "DEFAULT_DISK_QUOTA_MB", "DEFAULT_MAX_FILE_MB", "DEFAULT_MAX_OUTPUT_BYTES", "DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT_S",
    "CommandResult", "ExecutionResult", "ExecutionStatus", "Mounts", "SandboxUnavailable",
    "extract_program", "isolation", "run_command", "run_program",
]  # fmt: skip
