"""A pool of long-lived, header-loaded `coqtop` workers: checking at the speed of search.

A fresh `coqc` per check spends most of its 1.5-5 s loading the statement's libraries (Reals,
Coquelicot). A worker here is one sandboxed `coqtop` (`math_lm.eval.sandbox.start_command`:
the same file-system isolation, identity and limits as a fresh coqc) that has read a statement
file's imports once; workers are kept by imports, so one serves every statement that imports
the same libraries. Inside a worker the session is the one a fresh check compiles
(`coq.statement_source` + attempt + audit), cut at two reset points:

    imports                      read once, when the worker starts
    Module LlemmaStatement. End  reset point of the statement (`Reset LlemmaStatement.`)
    rest of the statement file, its goals and hypothesis names (= `start`), Admitted, preamble
    Module LlemmaAttempt. ...    one attempt and its audit (`Reset LlemmaAttempt.` afterwards)

`Reset` restores Coq's whole state (environment, libraries, options, notations) as it was
before the named object; the tests check that verdicts equal the fresh path's on the soundness
suite and on real proofs.

coqtop, unlike coqc, goes on after an error. Its errors (and prompts) go to stderr, what the
proof prints (idtac) to stdout. Each request is framed on both streams by markers that the
proof cannot know (a random name in `Check llemma_<what>_<hex>.`, whose error names it on
stderr; an `idtac` of `<<hex:end>>` on stdout): a request fails if stderr shows an error
between its frame markers, which is where coqc would have stopped. Between the attempt and the
audit a third marker splits the errors of the proof from those of the audit.

Each request has a wall-clock limit (`ProverLimits.check_timeout_s`); a worker that overruns
it, prints more than `MAX_OUTPUT_BYTES`, or dies is killed and replaced. A worker is retired
after `RETIRE_AFTER` requests, to bound its memory.

Why our own pool: the Coq world's servers (coq-lsp, SerAPI, coqidetop's XML protocol) are
not packaged for Debian's Coq 8.16 here except coqidetop, whose asynchronous document model
reports errors by state id rather than in order; the Kimina Lean server, which this mirrors
(header-keyed REPL workers), is Lean-only.
"""

from __future__ import annotations

import os
import re
import secrets
import select
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from math_lm.formal import coq
from math_lm.formal.prover import ProverLimits, Start
from math_lm.formal.statements import Statement
from math_lm.eval.sandbox import Mounts, SandboxedProcess, start_command

RETIRE_AFTER = 400
MAX_OUTPUT_BYTES = coq.MAX_OUTPUT_BYTES
_WORKER_CPU_SECONDS = 24 * 3600.0
_PROMPT = re.compile(r"^(?:[\w'.]+ < )+", re.MULTILINE)
_ERROR_LINE = re.compile(r"^(?:Error|Anomaly)\b", re.MULTILINE)


class WorkerError(RuntimeError):
    """A worker that could not be started, or that overran, died or flooded its output."""


@dataclass
class Transcript:
    """What one request printed: stdout between its frame markers, and the errors on stderr in
    each region of the request (the parts it was given, in order)."""

    stdout: str
    errors: list[str]
    seconds: float


def _frame_marker() -> str:
    return secrets.token_hex(8)


def _stderr_marker(what: str, marker: str) -> str:
    return f"Check llemma_{what}_{marker}.\n"


class CoqWorker:
    """One sandboxed coqtop with a statement file's imports loaded."""

    def __init__(self, argv: Sequence[str], mounts: Mounts, imports: str, limits: ProverLimits) -> None:
        self.imports = imports
        self.limits = limits
        self.statement: str | None = None  # the loaded statement's key, when one is
        self.start: Start | None = None
        self.requests = 0
        self._attempt_open = False
        self.preamble_error = ""
        self.printed_as: dict[str, str] = {}  # the current statement's context: printed name -> allowed kernel name
        self.kernel_names: dict[str, str | None] = {}  # the current statement's context: name -> kernel name
        self.statement_axioms: dict[str, frozenset[str]] = {}  # the current statement's own constants
        self._process: SandboxedProcess | None = start_command(
            argv, mounts=mounts, environment=coq.PSATZ_ENVIRONMENT, cpu_seconds=_WORKER_CPU_SECONDS,
            memory_mb=limits.memory_mb, max_file_mb=256, disk_quota_mb=256, processes=coq.PSATZ_PROCESSES)
        try:
            transcript = self.request("", [imports + "\n" + coq.PRELOAD], limits.check_timeout_s)
        except WorkerError:
            self.close()
            raise
        self.import_error = transcript.errors[0] if transcript.errors[0] else ""

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.alive

    def close(self) -> None:
        if self._process is not None:
            self._process.close()
            self._process = None

    def request(self, prelude: str, parts: Sequence[str], timeout_s: float) -> Transcript:
        """Send `prelude` (whose errors do not count), then `parts`; wait for the frame's end. Raises
        WorkerError (and closes the worker) on timeout, death or too much output."""
        if self._process is None:
            raise WorkerError("the worker is closed")
        started = time.monotonic()
        marker = _frame_marker()
        text = [prelude, "Abort All.\n", _stderr_marker("begin", marker), coq.printed(marker, "begin", "")]
        for index, part in enumerate(parts):
            text += [part.rstrip() + "\n", _stderr_marker(f"region{index}", marker)]
        text += ["Abort All.\n", coq.printed(marker, "end", ""), _stderr_marker("end", marker)]
        self.requests += 1
        try:
            stdout, stderr = self._exchange("".join(text).encode(), marker, started + timeout_s)
        except WorkerError:
            self.close()
            raise
        sections = coq.sections_of(stdout, marker)
        stdout = sections.get("begin", "")
        # stderr, cut at the errors that the frame markers raise: before begin, region 0, region 1, ...
        pieces = re.split(rf"Error:\s+The\s+reference\s+llemma_\w+?_{marker}\s+was\s+not\s+found\s+in\s+the\s+current"
                          r"\s+environment\.", stderr)
        errors = [_first_error(pieces[index + 1]) if index + 1 < len(pieces) else "the region's end was not seen"
                  for index in range(len(parts))]
        return Transcript(stdout, errors, time.monotonic() - started)

    def _exchange(self, text: bytes, marker: str, deadline: float) -> tuple[str, str]:
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        assert process.stderr is not None
        pending = memoryview(text)  # written as coqtop reads, so that neither side blocks on a full pipe
        stdin = process.stdin.fileno()
        os.set_blocking(stdin, False)
        streams = {process.stdout.fileno(): bytearray(), process.stderr.fileno(): bytearray()}
        stdout_end = re.compile(coq.section_marker(marker, "end").encode())
        stderr_end = re.compile(rf"llemma_end_{marker}\s+was\s+not\s+found\s+in\s+the\s+current\s+environment\.".encode())
        done = {process.stdout.fileno(): False, process.stderr.fileno(): False}
        while not all(done.values()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerError("timeout")
            readable, writable, _ = select.select([fd for fd, finished in done.items() if not finished],
                                                  [stdin] if pending else [], [], remaining)
            if writable:
                try:
                    pending = pending[os.write(stdin, pending[: 1 << 16]) :]
                except BlockingIOError:
                    pass
                except OSError as error:
                    raise WorkerError(f"coqtop stopped reading: {error}") from error
            for fd in readable:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    raise WorkerError("coqtop died")
                buffer = streams[fd]
                buffer += chunk
                if len(buffer) > MAX_OUTPUT_BYTES:
                    raise WorkerError(f"coqtop printed more than {MAX_OUTPUT_BYTES} bytes")
                end = stdout_end if fd == process.stdout.fileno() else stderr_end
                if end.search(buffer, max(0, len(buffer) - len(chunk) - 400)):
                    done[fd] = True
        decode = lambda data: bytes(data).decode("utf-8", errors="replace")  # noqa: E731
        return decode(streams[process.stdout.fileno()]), decode(streams[process.stderr.fileno()])


def _first_error(stderr: str) -> str:
    """Coq's first error in a region of coqtop's stderr (prompts removed), on one line; "" if none."""
    text = _PROMPT.sub("", stderr)
    match = _ERROR_LINE.search(text)
    return " ".join(text[match.start() :].split())[:500] if match else ""


@dataclass
class _Slot:
    worker: CoqWorker
    busy: bool = False
    last_used: float = field(default_factory=time.monotonic)


class CoqPool:
    """At most `size` workers, kept by the imports they have loaded; a request takes an idle
    worker with the right imports, else starts one (closing the least recently used idle worker
    when the pool is full), else waits."""

    def __init__(self, argv: Sequence[str], mounts: Mounts, limits: ProverLimits, size: int) -> None:
        self.argv, self.mounts, self.limits, self.size = list(argv), mounts, limits, size
        self._slots: list[_Slot] = []
        self._starting = 0
        self._changed = threading.Condition()
        self._closed = False
        self.library_axioms: dict[str, frozenset[str]] = {}  # library constants' axioms, for all workers

    def close(self) -> None:
        with self._changed:
            self._closed = True
            slots, self._slots = self._slots, []
            self._changed.notify_all()
        for slot in slots:
            slot.worker.close()

    @contextmanager
    def _worker(self, imports: str) -> Iterator[CoqWorker]:
        slot = self._take(imports)
        try:
            yield slot.worker
        finally:
            with self._changed:
                slot.busy = False
                slot.last_used = time.monotonic()
                if not slot.worker.alive or slot.worker.requests >= RETIRE_AFTER:
                    slot.worker.close()
                    if slot in self._slots:
                        self._slots.remove(slot)
                self._changed.notify_all()

    def _take(self, imports: str) -> _Slot:
        with self._changed:
            while True:
                if self._closed:
                    raise WorkerError("the pool is closed")
                idle = [slot for slot in self._slots if not slot.busy]
                mine = [slot for slot in idle if slot.worker.imports == imports]
                if mine:
                    slot = max(mine, key=lambda s: s.last_used)
                    slot.busy = True
                    return slot
                if len(self._slots) + self._starting < self.size:
                    break
                if idle:
                    oldest = min(idle, key=lambda s: s.last_used)
                    self._slots.remove(oldest)
                    oldest.worker.close()
                    break
                self._changed.wait()
            self._starting += 1
        try:
            worker = CoqWorker(self.argv, self.mounts, imports, self.limits)
        finally:
            with self._changed:
                self._starting -= 1
                self._changed.notify_all()
        slot = _Slot(worker, busy=True)
        with self._changed:
            self._slots.append(slot)
        return slot

    def _load(self, worker: CoqWorker, statement: Statement) -> Start:
        """Make `statement` the worker's current statement: its Start (goals, hypothesis names)."""
        key = f"{statement.path}\0{statement.header}"
        if worker.statement == key and worker.start is not None:
            return worker.start
        started = time.monotonic()
        if worker.import_error:
            worker.statement, worker.start = None, None
            return Start(statement.name, False, reason=worker.import_error)
        _, rest = coq.split_header(statement.header)
        marker = coq.new_marker()
        prelude = f"Reset {coq.STATEMENT_MODULE}.\n" if worker.statement is not None else ""
        worker.statement, worker.start = None, None
        worker._attempt_open = False
        locate = "".join(coq.printed(marker, f"locate{index}", f"Locate {target}.")
                         for index, target in enumerate(coq.allowed_kernel_names(statement)))
        transcript = worker.request(prelude, [coq.statement_load(rest) + coq.start_script(marker) + "Admitted.\n",
                                              coq.PREAMBLE, locate], self.limits.check_timeout_s)
        seconds = time.monotonic() - started
        if transcript.errors[0]:
            start = Start(statement.name, False, reason=transcript.errors[0], seconds=seconds)
        else:
            start = coq.parse_start(statement.name, transcript.stdout, marker, seconds)
        worker.statement, worker.start = key, start
        worker.preamble_error = transcript.errors[1] or transcript.errors[2]
        worker.printed_as = coq.printed_names(coq.sections_of(transcript.stdout, marker), statement)
        worker.kernel_names, worker.statement_axioms = {}, {}
        return start

    def start(self, statement: Statement) -> Start:
        imports, _ = coq.split_header(statement.header)
        try:
            with self._worker(imports) as worker:
                return self._load(worker, statement)
        except WorkerError as error:
            reason = "timeout while elaborating the statement" if str(error) == "timeout" else str(error)
            return Start(statement.name, False, reason=reason)

    def check(self, statement: Statement, attempt: str, marker: str) -> tuple[bool, str, tuple[str, ...]]:
        """The verdict (verified, reason, axioms) on `attempt` (see `coq`)."""
        imports, _ = coq.split_header(statement.header)
        try:
            with self._worker(imports) as worker:
                start = self._load(worker, statement)
                if not start.elaborates:
                    return False, f"statement does not elaborate: {start.reason}", ()
                if worker.preamble_error:
                    return False, worker.preamble_error, ()
                prelude = f"Reset {coq.ATTEMPT_MODULE}.\n" if worker._attempt_open else ""
                worker._attempt_open = True
                audit = coq.printed(marker, "term", coq.term_query())
                transcript = worker.request(prelude, [attempt, audit], self.limits.check_timeout_s)
                if transcript.errors[0]:
                    return False, transcript.errors[0], ()
                if transcript.errors[1]:
                    return False, f"the audit failed: {transcript.errors[1]}", ()
                term = coq.sections_of(transcript.stdout, marker).get("term", "")
                refusal = coq.term_refusal(term)
                if refusal:
                    return False, refusal, ()
                axioms = self._axioms_of(worker, coq.term_references(term))
        except WorkerError as error:
            if str(error) == "timeout":
                return False, f"timeout after {self.limits.check_timeout_s:g} s", ()
            return False, f"coqtop: {error}", ()
        return coq.axiom_verdict(sorted(axioms), statement)

    def _axioms_of(self, worker: CoqWorker, names: set[str]) -> set[str]:
        """The axioms the constants `names` rely on (what `Print Assumptions` of a term that uses them
        says): each name resolved to its kernel name (`About`), each kernel name's axioms asked once
        (`Print Assumptions`) and kept: a library constant's for the pool's life (the installed
        libraries do not change), a constant of the statement file's while it is loaded."""
        unknown = sorted(name for name in names if name not in worker.kernel_names)
        if unknown:
            marker = coq.new_marker()
            parts = [coq.printed(marker, f"q{index}", f"About {name}.") for index, name in enumerate(unknown)]
            transcript = worker.request("", parts, self.limits.check_timeout_s)
            sections = coq.sections_of(transcript.stdout, marker)
            for index, name in enumerate(unknown):
                error = transcript.errors[index]
                if error and not _NOT_A_REFERENCE.search(error):
                    raise WorkerError(f"About {name}: {error}")
                found = _EXPANDS_TO.search(sections.get(f"q{index}", "")) if not error else None
                worker.kernel_names[name] = found.group(1) if found else None
        kernels = {worker.kernel_names[name] for name in names} - {None}
        own = lambda kernel: kernel.startswith(coq.TOPLEVEL_MODULE + ".")  # noqa: E731
        missing = sorted(k for k in kernels if k not in (worker.statement_axioms if own(k) else self.library_axioms))
        if missing:
            marker = coq.new_marker()
            parts = [coq.printed(marker, f"q{index}", f"Print Assumptions {kernel}.") for index, kernel in enumerate(missing)]
            transcript = worker.request("", parts, self.limits.check_timeout_s)
            sections = coq.sections_of(coq.INFO_LINE.sub("", transcript.stdout), marker)
            for index, kernel in enumerate(missing):
                if transcript.errors[index] or f"q{index}" not in sections:
                    raise WorkerError(f"Print Assumptions {kernel}: {transcript.errors[index] or 'no answer'}")
                found = frozenset(worker.printed_as.get(axiom, axiom) for axiom in coq.axioms_in(sections[f"q{index}"]))
                (worker.statement_axioms if own(kernel) else self.library_axioms)[kernel] = found
        axioms: set[str] = set()
        for kernel in kernels:
            axioms |= (worker.statement_axioms if own(kernel) else self.library_axioms)[kernel]
        return axioms


_NOT_A_REFERENCE = re.compile(r"not found in the current environment|not a defined object|Syntax error|No object of")
_EXPANDS_TO = re.compile(r"Expands to: (?:Constant|Inductive|Constructor) (\S+)")
