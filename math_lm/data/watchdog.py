"""Per-document wall-time and memory limits: extraction runs in a worker process that can be killed.

A hostile document can keep a C extension busy for minutes (Resiliparse's main-content pass on deep
nesting), where no Python timeout or signal handler runs until it returns. So each document's work is
sent to a worker process forked from the task: :meth:`DocumentWorker.run` waits at most
``max_seconds`` for the answer, then kills the worker (SIGKILL), counts the document as ``timeout`` and
forks a fresh one for the next document. The worker also runs under an address-space limit
(``RLIMIT_AS``: what it inherited plus ``max_worker_memory_bytes``): an allocation past it raises
``MemoryError`` there and the document is counted as ``out_of_memory``; a worker that dies outright is
counted as ``worker_crashed``. Either way the run goes on.

The worker dies with the task process (Linux ``PR_SET_PDEATHSIG``), so a run stopped by SIGTERM or
SIGKILL leaves no worker behind; the task kills and reaps it on the way out too.

Jobs are module-level functions (or methods of small picklable objects) that return a
:class:`~math_lm.data.documents.UnitResult`; they and their arguments travel by pickle between this
process and its own forked child, never from outside. Python's ``multiprocessing`` pools are not used:
datatrove runs tasks in daemonic pool processes, which ``multiprocessing`` forbids to have children, and
its pools neither kill a stuck worker nor replace it.
"""

from __future__ import annotations

import ctypes
import logging
import os
import pickle
import signal
import sys
import time
import traceback
from multiprocessing.connection import Connection, Pipe
from typing import Any, Callable, Protocol

from math_lm.data.documents import UnitResult

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


class DocumentRunner(Protocol):
    """Runs one document's job: ``job(*args)``, or a drop for ``source`` when the job cannot finish."""

    def run(self, job: Callable[..., UnitResult], *args: Any, source: str, nbytes: int) -> UnitResult: ...

    def close(self) -> None: ...


class InlineRunner:
    """Runs jobs in this process, without limits (unit tests, and callers that bound time themselves)."""

    def run(self, job: Callable[..., UnitResult], *args: Any, source: str, nbytes: int) -> UnitResult:
        return job(*args)

    def close(self) -> None:
        pass


class DocumentWorker:
    """A forked worker process that runs one document's job at a time under a wall-clock deadline."""

    def __init__(self, max_seconds: float, max_memory_bytes: int | None = None):
        self.max_seconds = max_seconds
        self.max_memory_bytes = max_memory_bytes
        self._pid: int | None = None
        self._connection: Connection | None = None
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        """The worker's process id (``None`` before the first job and after :meth:`close`)."""
        return self._pid

    def run(self, job: Callable[..., UnitResult], *args: Any, source: str, nbytes: int) -> UnitResult:
        """``job(*args)`` in the worker; a drop for ``source`` (of ``nbytes``) when it overruns or dies."""
        if self._pid is None:
            self._start()
        assert self._connection is not None
        started = time.monotonic()
        try:
            self._connection.send_bytes(pickle.dumps((job, args), protocol=pickle.HIGHEST_PROTOCOL))
            left = self.max_seconds - (time.monotonic() - started)
            if not self._connection.poll(max(left, 0.0)):
                self._stop()
                logger.warning("%s: extraction passed %.0f s; its worker was killed", source, self.max_seconds)
                return _dropped("timeout", nbytes, source)
            kind, value = pickle.loads(self._connection.recv_bytes())
        except (EOFError, OSError):  # the worker died (a crash, or killed from outside)
            status = self._stop()
            logger.warning("%s: the extraction worker died (%s)", source, _describe(status))
            return _dropped("worker_crashed", nbytes, source)
        if kind == "ok":
            return value
        if kind == "out_of_memory":
            self._stop()  # its heap may be fragmented near the limit: start afresh
            logger.warning("%s: extraction passed the worker's memory limit", source)
            return _dropped("out_of_memory", nbytes, source)
        logger.warning("%s: extraction failed:\n%s", source, value)
        return _dropped("extraction_error", nbytes, source)

    def _start(self) -> None:
        parent_end, child_end = Pipe(duplex=True)
        parent_pid = os.getpid()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                parent_end.close()
                _serve(child_end, parent_pid, self.max_memory_bytes)
            except BaseException:  # noqa: BLE001 - a worker never returns into the task's code
                code = 1
            finally:
                os._exit(code)
        child_end.close()
        self._pid, self._connection = pid, parent_end

    def _stop(self) -> int | None:
        """Kill and reap the worker; returns its wait status."""
        pid, connection = self._pid, self._connection
        self._pid = self._connection = None
        if connection is not None:
            connection.close()
        if pid is None:
            return None
        self.restarts += 1
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return os.waitpid(pid, 0)[1]

    def close(self) -> None:
        """Stop the worker (a no-op when none runs)."""
        self._stop()

    def __enter__(self) -> "DocumentWorker":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


def _dropped(reason: str, nbytes: int, source: str) -> UnitResult:
    result = UnitResult()
    result.drop(reason, nbytes, source)
    return result


def _describe(status: int | None) -> str:
    if status is None:
        return "no status"
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.WEXITSTATUS(status)}"


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(0)


def _limit_memory(extra_bytes: int | None) -> None:
    if extra_bytes is None or not sys.platform.startswith("linux"):
        return
    import resource

    with open("/proc/self/statm", encoding="ascii") as statm:
        inherited = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = inherited + extra_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(connection: Connection, parent_pid: int, max_memory_bytes: int | None) -> None:
    """The worker's loop: run each job sent, answer ``(kind, value)``, until the task closes the pipe."""
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the task stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    _limit_memory(max_memory_bytes)
    while True:
        try:
            message = connection.recv_bytes()
        except EOFError:
            return
        try:
            job, args = pickle.loads(message)
            del message
            answer: tuple[str, Any] = ("ok", job(*args))
            payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("out_of_memory", None))
        except Exception:  # noqa: BLE001 - reported to the task, which drops the document and goes on
            payload = pickle.dumps(("error", traceback.format_exc()))
        connection.send_bytes(payload)
