"""SymPy comparisons in worker processes, with time limits that hold.

SymPy (under either backend) can run for minutes or hang inside C code that no signal
interrupts, e.g. expanding `(x+1)^{10^{10}}`. So comparisons run in a worker process, and the
caller waits for the verdict only until its deadline: then it kills the worker and answers
False. Two guarantees:

- A call returns within its timeout (plus the few milliseconds of a pipe round trip): the
  deadline is fixed when the call starts and covers waiting for the lock, for a worker to be
  ready and for its answer. Killing a worker and reaping it happen off that path.
- A spare worker is always started and ready behind the serving one, so the call after a
  timeout is served at once instead of paying for the restart. A worker takes ~1.3 s to import
  SymPy and math-verify (2-core machine), so one spare covers timeouts longer than that (the
  default is 5 s); only the first comparison of a process can wait for a start, within its own
  limit, and `start_workers()` takes that out of the way (the harness and `score` call it).

Requests are JSON lines `[backend, prediction, reference, rel_tol]`; answers are `true`/`false`.
A worker that was inherited through fork is never shared: the child starts its own.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

WORKER_MEMORY_BYTES = 4 << 30
"""Address-space limit of one worker (a runaway expansion fails with MemoryError instead)."""

STARTUP_TIMEOUT_S = 120.0
"""How long `start_workers()` waits for a worker to import SymPy."""


def compare_in_worker(backend: str, prediction: str, reference: str, rel_tol: float) -> bool:
    """The worker side: one comparison by `backend` ("math_verify" or "minerva")."""
    if backend == "minerva":
        from math_lm.eval.answers.minerva_sympy import minerva_equal
        from math_lm.eval.answers.normalization import clean_answer

        return minerva_equal(clean_answer(prediction), clean_answer(reference), rel_tol)
    from math_lm.eval.answers.math_verify_backend import math_verify_equal

    return math_verify_equal(prediction, reference, rel_tol)


def serve() -> None:
    """Worker main loop: warm both backends up, announce `ready`, then answer requests."""
    import resource

    from math_lm.eval.answers.math_verify_backend import quiet_math_verify_logs

    try:
        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    except (ValueError, OSError):
        pass
    quiet_math_verify_logs()
    for backend in ("math_verify", "minerva"):  # imports SymPy, the LaTeX parsers, antlr, simplify
        compare_in_worker(backend, "x^2-1", "(x-1)(x+\\frac{1}{2})", 0.0)
        compare_in_worker(backend, "\\{1, 2\\}", "[0, 1)", 0.0)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for line in sys.stdin:
        try:
            backend, prediction, reference, rel_tol = json.loads(line)
            verdict = compare_in_worker(str(backend), str(prediction), str(reference), float(rel_tol))
        except BaseException:  # a MemoryError or RecursionError is just a failed comparison
            verdict = False
        sys.stdout.write("true\n" if verdict else "false\n")
        sys.stdout.flush()


class WorkerUnavailable(RuntimeError):
    """No worker process could be started."""


class _Worker:
    """One worker process and the bytes read from it so far."""

    def __init__(self) -> None:
        package_root = str(Path(__file__).resolve().parents[3])
        bootstrap = (
            f"import sys; sys.path.insert(0, {package_root!r}); "
            "from math_lm.eval.answers.workers import serve; serve()"
        )
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", bootstrap], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, start_new_session=True,
            )
        except OSError as error:
            raise WorkerUnavailable(str(error)) from error
        self.ready = False
        self._buffer = b""

    def wait_ready(self, deadline: float) -> bool:
        """Whether the worker has announced itself by `deadline`; False if it died or is late."""
        if not self.ready:
            line = self.read_line(deadline)
            if line is None:
                return False
            self.ready = line.strip() == b"ready"
        return self.ready

    def ask(self, request: bytes, deadline: float) -> bytes | None:
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(request)
            self.process.stdin.flush()
        except OSError:
            return None
        return self.read_line(deadline)

    def read_line(self, deadline: float) -> bytes | None:
        assert self.process.stdout is not None
        descriptor = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            readable, _, _ = select.select([descriptor], [], [], remaining)
            if not readable:
                return None
            chunk = os.read(descriptor, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self, reap_now: bool = False) -> None:
        """SIGKILL the worker's process group now; reap it here or on a background thread."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass
        if reap_now:
            self._reap()
        else:
            threading.Thread(target=self._reap, daemon=True).start()

    def _reap(self) -> None:
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class WorkerPool:
    """A serving worker and a ready spare, owned by one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner_pid = os.getpid()
        self._serving: _Worker | None = None
        self._spare: _Worker | None = None
        atexit.register(self.stop)

    def start(self, wait: bool = True) -> None:
        """Start the serving worker and the spare; with `wait`, until the serving one is ready."""
        with self._lock:
            self._fill()
            serving = self._serving
            if wait and serving is not None and not serving.wait_ready(time.monotonic() + STARTUP_TIMEOUT_S):
                self._retire()
                raise WorkerUnavailable("the SymPy worker did not start")

    def compare(self, backend: str, prediction: str, reference: str, rel_tol: float, timeout: float) -> bool:
        """The worker's verdict, or False when it is not in by `timeout` seconds from now."""
        deadline = time.monotonic() + timeout
        request = json.dumps([backend, prediction, reference, rel_tol]).encode() + b"\n"
        if not self._lock.acquire(timeout=max(timeout, 0.0)):
            return False
        try:
            self._fill()
            worker = self._serving
            assert worker is not None
            if not worker.wait_ready(deadline):
                if not worker.alive():
                    self._retire()
                return False
            line = worker.ask(request, deadline)
            if line is None:
                self._retire()
                return False
            return line.strip() == b"true"
        finally:
            self._lock.release()

    def _fill(self) -> None:
        """Make sure a serving worker and a spare exist (starting processes, not waiting)."""
        if self._owner_pid != os.getpid():  # inherited through fork: those pipes are the parent's
            self._serving = self._spare = None
            self._owner_pid = os.getpid()
        if self._serving is not None and not self._serving.alive():
            self._serving = None
        if self._serving is None:
            self._serving, self._spare = (self._spare, None) if self._spare is not None else (_Worker(), None)
        if self._spare is None or not self._spare.alive():
            self._spare = _Worker()

    def _retire(self) -> None:
        """Kill the serving worker (timed out or dead) and promote the spare."""
        if self._serving is not None:
            self._serving.kill()
        self._serving, self._spare = self._spare, None
        if self._serving is None:
            self._serving = _Worker()
        self._spare = _Worker()

    def stop(self) -> None:
        if self._owner_pid != os.getpid():
            return
        for worker in (self._serving, self._spare):
            if worker is not None:
                worker.kill(reap_now=True)
        self._serving = self._spare = None


POOL = WorkerPool()


def start_workers() -> None:
    """Start this process's grading workers now and wait until they can serve.

    Optional: without it the first comparison that needs SymPy waits for the start within its
    own time limit. Raises WorkerUnavailable when no worker starts.
    """
    POOL.start(wait=True)
