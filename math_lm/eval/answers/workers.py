"""SymPy comparisons in worker processes, with time limits that hold.

SymPy (under either backend) can run for minutes or hang inside C code that no signal
interrupts, e.g. expanding `(x+1)^{10^{10}}`. So comparisons run in a worker process, and the
caller waits for the verdict only until its deadline: then it kills the worker and answers
False. Two guarantees:

- A call returns within its timeout (plus the milliseconds of a socket round trip): the
  deadline is fixed when the call starts and covers waiting for the lock, for a worker to be
  ready and for its answer. Killing a worker and starting its replacement happen off that path.
- A spare worker is always running behind the serving one, so the call after a timeout is
  served at once instead of paying for a restart. Workers are forked from a zygote process
  that imported and warmed SymPy, the LaTeX parsers and math-verify once, so a replacement is
  ready in milliseconds, not the ~1.3 s of a fresh import (2-core machine). Only the first
  comparison of a process can wait for the zygote to start, within its own limit;
  `start_workers()` takes that out of the way (the harness and `score` call it).

Why not multiprocessing's forkserver: its children re-run the caller's `__main__` script.
The zygote is a plain subprocess; it hands each forked worker's socket back over a Unix socket
(`socket.send_fds`), and reaps its children itself. A pool inherited through fork is never
shared: the child process starts its own.
"""

from __future__ import annotations

import atexit
import gc
import importlib.util
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from multiprocessing.connection import Connection

from math_lm.eval.answers.verdicts import Verdict

WORKER_MEMORY_BYTES = 4 << 30
"""Address-space limit of one worker (a runaway expansion fails with MemoryError instead)."""

STARTUP_TIMEOUT_S = 120.0
"""How long `start_workers()` waits for the zygote to import SymPy and math-verify."""


def compare_in_worker(backend: str, prediction: str, reference: str, rel_tol: float) -> tuple[bool, str]:
    """The worker side: one comparison by `backend` ("math_verify" or "minerva"): (equal, reason).

    `backend` "extract" is math-verify's answer extraction from the generation `prediction`:
    (found, the answer text).
    """
    if backend == "extract":
        from math_lm.eval.answers.math_verify_backend import extract_with_math_verify

        extracted = extract_with_math_verify(prediction)
        return extracted is not None, extracted or ""
    if backend == "minerva":
        from math_lm.eval.answers.minerva_sympy import minerva_equal
        from math_lm.eval.answers.normalization import clean_answer

        return minerva_equal(clean_answer(prediction), clean_answer(reference), rel_tol)
    from math_lm.eval.answers.math_verify_backend import math_verify_equal

    return math_verify_equal(prediction, reference, rel_tol)


# ---------------------------------------------------------------------------------------------
# Inside the zygote and its workers
# ---------------------------------------------------------------------------------------------


def _serve(connection: Connection) -> None:
    """Worker main loop: answer `(backend, prediction, reference, rel_tol)` requests."""
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    except (ValueError, OSError):
        pass
    while True:
        try:
            backend, prediction, reference, rel_tol = connection.recv()
        except (EOFError, OSError):
            return
        try:
            verdict = compare_in_worker(str(backend), str(prediction), str(reference), float(rel_tol))
        except BaseException:  # a MemoryError or RecursionError is just a failed comparison
            verdict = (False, "error")
        connection.send((bool(verdict[0]), str(verdict[1])))


def zygote_main(control_fd: int) -> None:
    """The zygote: warm up, then fork one worker per byte received on `control_fd`.

    Each worker gets one end of a fresh socket pair; the other end and the worker's pid go
    back over the control socket. The zygote exits when its parent closes the control socket.
    """
    from math_lm.eval.answers.math_verify_backend import quiet_math_verify_logs

    quiet_math_verify_logs()
    for backend in ("math_verify", "minerva"):  # imports SymPy, the LaTeX parsers, antlr, simplify
        compare_in_worker(backend, "x^2-1", "(x-1)(x+\\frac{1}{2})", 0.0)
        compare_in_worker(backend, "\\{1, 2\\}", "[0, 1)", 0.0)
    compare_in_worker("extract", "So the answer is $\\frac{1}{2}$.", "", 0.0)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    gc.freeze()  # the collector in a worker need not touch (and so copy) the zygote's objects
    control = socket.socket(fileno=control_fd)
    while control.recv(1):
        mine, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            control.close()
            mine.close()
            try:
                _serve(Connection(theirs.detach()))
            finally:
                os._exit(0)
        theirs.close()
        socket.send_fds(control, [str(pid).encode()], [mine.fileno()])
        mine.close()


# ---------------------------------------------------------------------------------------------
# In the caller's process
# ---------------------------------------------------------------------------------------------


class WorkerUnavailable(RuntimeError):
    """No worker process could be started."""


class _Zygote:
    """The warm process that forks workers."""

    def __init__(self) -> None:
        if importlib.util.find_spec("math_verify") is None:
            raise WorkerUnavailable("math-verify is not installed: pip install 'math-verify[antlr4_11_0]>=0.9,<0.10'")
        self._control, theirs = socket.socketpair()
        bootstrap = f"from math_lm.eval.answers.workers import zygote_main; zygote_main({theirs.fileno()})"
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", bootstrap], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                pass_fds=[theirs.fileno()], start_new_session=True,
            )
        except OSError as error:
            raise WorkerUnavailable(str(error)) from error
        finally:
            theirs.close()
        self._lock = threading.Lock()

    def fork_worker(self, deadline: float) -> tuple[int, Connection] | None:
        """A new worker's pid and connection, or None if the zygote does not answer by `deadline`."""
        with self._lock:
            try:
                self._control.sendall(b"F")
                readable, _, _ = select.select([self._control], [], [], max(0.0, deadline - time.monotonic()))
                if not readable:
                    return None
                message, fds, _, _ = socket.recv_fds(self._control, 32, 1)
            except OSError:
                return None
            if not message or len(fds) != 1:
                return None
            return int(message), Connection(fds[0])

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self._control.close()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the zygote and any worker it forked
        except OSError:
            pass
        self.process.wait()


class _Worker:
    """One worker, forked from the zygote on a background thread."""

    def __init__(self, zygote: _Zygote) -> None:
        self._forked = threading.Event()
        self._pid: int | None = None
        self._connection: Connection | None = None
        self._killed = False
        threading.Thread(target=self._fork, args=(zygote,), daemon=True).start()

    def _fork(self, zygote: _Zygote) -> None:
        forked = zygote.fork_worker(time.monotonic() + STARTUP_TIMEOUT_S)
        if forked is not None:
            self._pid, self._connection = forked
        self._forked.set()
        if self._killed:
            self._kill_now()

    def wait_ready(self, deadline: float) -> bool:
        """Whether the worker is running by `deadline`."""
        return self._forked.wait(max(0.0, deadline - time.monotonic())) and self._connection is not None

    def failed(self) -> bool:
        return self._forked.is_set() and self._connection is None

    def ask(self, request: tuple, deadline: float) -> Verdict | None:
        """The worker's verdict on `request`, or None when it is not in by `deadline`."""
        assert self._connection is not None
        try:
            self._connection.send(request)
            if not self._connection.poll(max(0.0, deadline - time.monotonic())):
                return None
            equal, reason = self._connection.recv()
            return Verdict(bool(equal), str(reason))
        except (EOFError, OSError):
            return None

    def kill(self) -> None:
        """SIGKILL the worker (now, or as soon as its fork completes); the zygote reaps it."""
        self._killed = True
        if self._forked.is_set():
            self._kill_now()

    def _kill_now(self) -> None:
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
            self._pid = None
        if self._connection is not None:
            self._connection.close()


class WorkerPool:
    """A serving worker and a spare, forked from one zygote, owned by one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner_pid = os.getpid()
        self._zygote: _Zygote | None = None
        self._serving: _Worker | None = None
        self._spare: _Worker | None = None
        self._warned_cold_start = False
        atexit.register(self.stop)

    def start(self) -> None:
        """Start the zygote, the serving worker and the spare; wait until the serving one is ready."""
        with self._lock:
            self._fill()
            assert self._serving is not None
            if not self._serving.wait_ready(time.monotonic() + STARTUP_TIMEOUT_S):
                self.stop()
                raise WorkerUnavailable("the answer-checking worker did not start")

    def compare(self, backend: str, prediction: str, reference: str, rel_tol: float, timeout: float) -> Verdict:
        """The worker's verdict, or not equal ("timeout") when it is not in by `timeout` seconds from now."""
        deadline = time.monotonic() + timeout
        if not self._lock.acquire(timeout=max(timeout, 0.0)):
            return Verdict(False, "timeout")
        try:
            self._fill()
            worker = self._serving
            assert worker is not None
            if not worker.wait_ready(deadline):
                if worker.failed():
                    self._retire()
                elif not self._warned_cold_start:
                    self._warned_cold_start = True
                    warnings.warn("an answer comparison ran out of time while the SymPy worker was still starting "
                                  "and counts as not equal; call math_lm.eval.answers.start_workers() before grading",
                                  RuntimeWarning, stacklevel=3)
                return Verdict(False, "timeout")
            verdict = worker.ask((backend, prediction, reference, rel_tol), deadline)
            if verdict is None:
                self._retire()
                return Verdict(False, "timeout")
            return verdict
        finally:
            self._lock.release()

    def extract(self, generation: str, timeout: float) -> str | None:
        """math-verify's extraction of the answer in `generation`, or None (none found, or not in time)."""
        found, text = self.compare("extract", generation, "", 0.0, timeout)
        return text if found else None

    def _fill(self) -> None:
        """Make sure the zygote, a serving worker and a spare exist (starting them, not waiting)."""
        if self._owner_pid != os.getpid():  # inherited through fork: those sockets are the parent's
            self._zygote = self._serving = self._spare = None
            self._owner_pid = os.getpid()
        if self._zygote is None or not self._zygote.alive():
            if self._zygote is not None:
                self._zygote.stop()
            self._zygote = _Zygote()
            self._serving = self._spare = None
        if self._serving is None or self._serving.failed():
            self._serving, self._spare = self._spare, None
        if self._serving is None:
            self._serving = _Worker(self._zygote)
        if self._spare is None or self._spare.failed():
            self._spare = _Worker(self._zygote)

    def _retire(self) -> None:
        """Kill the serving worker (timed out or broken) and promote the spare."""
        assert self._serving is not None
        self._serving.kill()
        self._serving = None
        self._fill()

    def stop(self) -> None:
        """Kill every worker and the zygote (at exit, or to start afresh)."""
        if self._owner_pid != os.getpid():
            return
        for worker in (self._serving, self._spare):
            if worker is not None:
                worker.kill()
        if self._zygote is not None:
            self._zygote.stop()
        self._zygote = self._serving = self._spare = None
        self._warned_cold_start = False


POOL = WorkerPool()


def start_workers() -> None:
    """Start this process's answer-checking workers now and wait until they can serve.

    Optional: without it the first comparison that needs SymPy waits for the start within its
    own time limit. Raises WorkerUnavailable when no worker starts.
    """
    POOL.start()
