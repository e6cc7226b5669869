"""Run model-written Python programs (the MATH+Python and GSM8k+Python tasks) in a sandbox.

Each program runs in a fresh `python -I -B` process in its own session (process group), with:

- resource limits: address space (`memory_mb`), CPU time, size of written files, open files,
  and no new processes or threads (`RLIMIT_NPROC` 0, which binds once the process is not root);
- when started as root, privileges dropped to `nobody` before the program runs;
- a fresh temporary working directory (also `HOME` and `TMPDIR`), removed afterwards;
- a minimal environment (none of the caller's variables), stdin closed, output size capped;
- best-effort network isolation (a new network namespace where the kernel allows it), and
  always an audit hook that refuses sockets, subprocesses, fork/exec, signals to other
  processes, `ctypes` foreign calls, raising resource limits, and writes outside the working
  directory;
- a wall-clock limit, after which the whole process group is killed.

Audit hooks are defence in depth, not a security boundary; the limits, the separate process,
the dropped privileges and the kill are what bound a hostile program. Whatever the program
does, `run_program` returns an `ExecutionResult` and never raises because of it.

The answer of a program follows the PAL / LLEMMA convention: if the program defines a
top-level callable `solution`, it is called with no arguments after the program body has run
and its return value is the answer (SymPy objects rendered as LaTeX, anything else with
`str`); otherwise, or if `solution()` returns None, the answer is the last non-empty line the
program printed.
"""

from __future__ import annotations

import json
import math
import os
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from typing import Literal

ExecutionStatus = Literal["ok", "timeout", "error", "memory"]

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MEMORY_MB = 1024
DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024
DEFAULT_MAX_FILE_MB = 16

_NOBODY_ID = 65534
_KILL_GRACE_S = 1.0
_MAX_OPEN_FILES = 64

_MINIMAL_ENVIRONMENT = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


@dataclass(frozen=True)
class ExecutionResult:
    """What one sandboxed program did.

    `status` is "ok" (exited normally), "timeout" (wall-clock or CPU limit), "memory"
    (ran out of its address space) or "error" (an exception, a refused operation, a crash, a
    non-zero exit). `answer` is set only when the status is "ok" (see the module docstring).
    """

    status: ExecutionStatus
    answer: str | None
    stdout: str
    stderr: str
    exit_code: int | None
    duration_s: float
    error: str | None = None
    output_truncated: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "ok"


# The child's entry point, passed with `python -c`. It applies the limits, drops privileges,
# installs the audit hook, runs the program and reports on the result descriptor.
_BOOTSTRAP = r'''
import json, os, resource, signal, sys, traceback
config = json.loads(sys.argv[1])
sys.argv = [config["program"]]
with open(config["program"], encoding="utf-8") as program_file:
    source = program_file.read()
result_file = os.fdopen(config["result_fd"], "w", encoding="utf-8")
os.set_inheritable(config["result_fd"], False)

def limit(name, soft, hard=None):
    kind = getattr(resource, name)
    hard = soft if hard is None else hard
    _, current_hard = resource.getrlimit(kind)
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    resource.setrlimit(kind, (soft, hard))

limit("RLIMIT_AS", config["memory_bytes"])
limit("RLIMIT_CPU", config["cpu_seconds"], config["cpu_seconds"] + 1)  # SIGXCPU, then SIGKILL
limit("RLIMIT_FSIZE", config["file_bytes"])
limit("RLIMIT_NOFILE", config["open_files"])
limit("RLIMIT_CORE", 0)
limit("RLIMIT_NPROC", 0)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

import ctypes  # imported before the hook so that the program may import it; calls stay refused
libc = ctypes.CDLL(None, use_errno=True)
if config["isolate_network"]:
    new_network, new_user = 0x40000000, 0x10000000
    libc.unshare(new_network if os.geteuid() == 0 else new_user | new_network)
if os.geteuid() == 0:
    # Become `nobody`. Where the interpreter lives in a directory others cannot read, keep
    # only the capability to read and search files (CAP_DAC_READ_SEARCH), nothing else.
    keep_read = config["keep_read_capability"]
    if keep_read and libc.prctl(8, 1, 0, 0, 0) != 0:  # PR_SET_KEEPCAPS
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_KEEPCAPS)")
    os.setgroups([])
    os.setgid(config["gid"])
    os.setuid(config["uid"])
    if keep_read:
        header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
        read_search = 1 << 2
        data = (ctypes.c_uint32 * 6)(read_search, read_search, 0, 0, 0, 0)
        if libc.capset(header, data) != 0:
            raise OSError(ctypes.get_errno(), "capset(CAP_DAC_READ_SEARCH)")
import _posixsubprocess

def refuse_fork_exec(*args, **kwargs):
    raise PermissionError("sandbox: _posixsubprocess.fork_exec is not allowed")

_posixsubprocess.fork_exec = refuse_fork_exec  # the one way to start a process without an audit event

workdir = os.path.realpath(config["workdir"])
refused = frozenset(config["refused_events"])
path_events = {name: tuple(positions) for name, positions in config["path_events"].items()}
write_flags = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

def inside_workdir(path):
    if isinstance(path, int):
        return True
    path = os.path.realpath(os.fsdecode(path))
    return path == workdir or path.startswith(workdir + os.sep) or path == os.devnull

def audit(event, args):
    if event == "open":
        path, mode, flags = args
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & write_flags)
        if writes and not inside_workdir(path):
            raise PermissionError(f"sandbox: writing {path!r} outside the working directory is not allowed")
    elif event in refused:
        raise PermissionError(f"sandbox: {event} is not allowed")
    elif event in path_events:
        for position in path_events[event]:
            if position < len(args) and args[position] is not None and not inside_workdir(args[position]):
                raise PermissionError(
                    f"sandbox: {event} on {args[position]!r} outside the working directory is not allowed")

sys.addaudithook(audit)
del limit, libc

def render(value):
    if type(value).__module__.split(".")[0] == "sympy":
        return sys.modules["sympy"].latex(value)
    return str(value)

outcome = {}
namespace = {"__name__": "__main__", "__file__": config["program"], "__builtins__": __builtins__}
try:
    exec(compile(source, config["program"], "exec"), namespace)
    solution = namespace.get("solution")
    if callable(solution):
        value = solution()
        if value is not None:
            outcome["answer"] = render(value)[: config["max_answer_chars"]]
except SystemExit as exit_request:
    if exit_request.code not in (None, 0):
        outcome["exception"] = "SystemExit"
        outcome["message"] = str(exit_request.code)[:500]
except BaseException as error:
    outcome["exception"] = type(error).__name__
    outcome["message"] = str(error)[:500]
    traceback.print_exc()
sys.stdout.flush()
sys.stderr.flush()
result_file.write(json.dumps(outcome))
result_file.close()
os._exit(1 if "exception" in outcome else 0)
'''

_REFUSED_EVENTS = (
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "subprocess.Popen", "os.kill", "os.killpg", "signal.pthread_kill",
    "socket.__new__", "socket.bind", "socket.connect", "socket.sendto", "socket.getaddrinfo",
    "socket.gethostbyname", "socket.gethostbyaddr", "socket.sethostname",
    "ctypes.dlopen", "ctypes.dlsym", "ctypes.call_function", "ctypes.cdata",
    "resource.setrlimit", "resource.prlimit", "os.chroot",
)  # fmt: skip

# Audit events that modify the file system, with the positions of their path arguments.
_PATH_EVENTS = {
    "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.rename": (0, 1),
    "os.link": (0, 1), "os.symlink": (1,), "os.truncate": (0,), "os.chmod": (0,),
    "os.chown": (0,), "os.utime": (0,), "os.chflags": (0,), "os.setxattr": (0,),
    "os.removexattr": (0,), "shutil.rmtree": (0,), "shutil.copyfile": (1,),
}  # fmt: skip


class _CappedBuffer:
    """Keeps the first and the last `limit // 2` bytes of a stream, counting what it drops."""

    def __init__(self, limit: int) -> None:
        self._half = max(limit // 2, 1)
        self._head = bytearray()
        self._tail = bytearray()
        self.dropped = 0

    def add(self, chunk: bytes) -> None:
        room = self._half - len(self._head)
        if room > 0:
            self._head += chunk[:room]
            chunk = chunk[room:]
        self._tail += chunk
        if len(self._tail) > self._half:
            self.dropped += len(self._tail) - self._half
            del self._tail[: len(self._tail) - self._half]

    def text(self) -> str:
        marker = f"\n[... {self.dropped} bytes dropped ...]\n".encode() if self.dropped else b""
        return bytes(self._head + marker + self._tail).decode("utf-8", errors="replace")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        try:
            process.kill()
        except OSError:
            pass


def _collect(
    process: subprocess.Popen[bytes], result_fd: int, deadline: float, max_output_bytes: int
) -> tuple[_CappedBuffer, _CappedBuffer, bytes, bool]:
    """Read stdout, stderr and the result pipe until they close; kill the group at `deadline`."""
    assert process.stdout is not None and process.stderr is not None
    buffers = {
        process.stdout.fileno(): _CappedBuffer(max_output_bytes),
        process.stderr.fileno(): _CappedBuffer(max_output_bytes),
    }
    result = bytearray()
    open_fds = [*buffers, result_fd]
    timed_out = False
    while open_fds:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if timed_out:
                break  # something still holds a pipe after the kill grace period
            timed_out = True
            _kill_group(process)
            deadline = time.monotonic() + _KILL_GRACE_S
            continue
        readable, _, _ = select.select(open_fds, [], [], remaining)
        for fd in readable:
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.remove(fd)
            elif fd == result_fd:
                if len(result) < 1 << 20:
                    result += chunk
            else:
                buffers[fd].add(chunk)
    return buffers[process.stdout.fileno()], buffers[process.stderr.fileno()], bytes(result), timed_out


def _remove_tree(path: str) -> None:
    """Remove the sandbox directory even where the program took away its own permissions."""

    def make_writable_and_retry(function, failed_path, _exc_info) -> None:  # noqa: ANN001
        try:
            os.chmod(os.path.dirname(failed_path), stat.S_IRWXU)
            os.chmod(failed_path, stat.S_IRWXU)
            function(failed_path)
        except OSError:
            pass

    shutil.rmtree(path, onerror=make_writable_and_retry)


def _readable_by_everyone(python: str) -> bool:
    """Whether any user could run `python` and read its standard library and site-packages."""
    probe = (
        "import json, sys, sysconfig; paths = sysconfig.get_paths(); "
        "print(json.dumps([sys.executable, paths['stdlib'], paths['purelib']]))"
    )
    if python == sys.executable:
        paths = [sys.executable, sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"]]
    else:
        try:
            completed = subprocess.run([python, "-I", "-c", probe], capture_output=True, timeout=60, check=True)
            paths = json.loads(completed.stdout)
        except (OSError, subprocess.SubprocessError, ValueError):
            return False
    for path in paths:
        current = os.path.realpath(path)
        while True:
            try:
                mode = os.stat(current).st_mode
            except OSError:
                return False
            if not mode & stat.S_IXOTH or (current == os.path.realpath(path) and not mode & stat.S_IROTH):
                return False
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
    return True


def _last_line(text: str) -> str | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else None


def run_program(
    code: str,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
    max_file_mb: int = DEFAULT_MAX_FILE_MB,
    isolate_network: bool = True,
    python: str | None = None,
) -> ExecutionResult:
    """Run the Python program `code` in a sandbox (see the module docstring) and report on it.

    `timeout_s` bounds wall-clock time (start-up included), `memory_mb` the address space,
    `max_output_bytes` what is kept of stdout and of stderr (head and tail), `max_file_mb` any
    file it writes. `python` defaults to this interpreter. Never raises because of the program.
    Raises ValueError for a non-positive limit.
    """
    limits = {"timeout_s": timeout_s, "memory_mb": memory_mb, "max_output_bytes": max_output_bytes, "max_file_mb": max_file_mb}
    for name, value in limits.items():
        if not value > 0:
            raise ValueError(f"run_program: {name} must be positive, got {value!r}")
    started = time.monotonic()
    root = tempfile.mkdtemp(prefix="llemma-sandbox-")
    try:
        return _run_in(
            root, code, started, timeout_s, memory_mb, max_output_bytes, max_file_mb, isolate_network, python or sys.executable
        )
    finally:
        _remove_tree(root)


def _run_in(
    root: str,
    code: str,
    started: float,
    timeout_s: float,
    memory_mb: int,
    max_output_bytes: int,
    max_file_mb: int,
    isolate_network: bool,
    python: str,
) -> ExecutionResult:
    workdir = os.path.join(root, "work")
    program = os.path.join(root, "program.py")
    os.mkdir(workdir, 0o700)
    os.chmod(root, 0o711)
    with open(program, "w", encoding="utf-8") as program_file:
        program_file.write(code)
    if os.geteuid() == 0:
        os.chown(workdir, _NOBODY_ID, _NOBODY_ID)
    result_read, result_write = os.pipe()
    config = {
        "program": program,
        "workdir": workdir,
        "result_fd": result_write,
        "memory_bytes": int(memory_mb) << 20,
        "cpu_seconds": math.ceil(timeout_s) + 1,
        "file_bytes": int(max_file_mb) << 20,
        "open_files": _MAX_OPEN_FILES,
        "isolate_network": isolate_network,
        "uid": _NOBODY_ID,
        "keep_read_capability": not _readable_by_everyone(python),
        "gid": _NOBODY_ID,
        "refused_events": list(_REFUSED_EVENTS),
        "path_events": _PATH_EVENTS,
        "max_answer_chars": 10_000,
    }
    environment = {**_MINIMAL_ENVIRONMENT, "HOME": workdir, "TMPDIR": workdir}
    try:
        process = subprocess.Popen(
            [python, "-I", "-B", "-X", "utf8", "-c", _BOOTSTRAP, json.dumps(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=workdir,
            env=environment,
            start_new_session=True,
            pass_fds=(result_write,),
        )
    except OSError as error:
        os.close(result_read)
        duration = time.monotonic() - started
        return ExecutionResult("error", None, "", "", None, duration, f"could not start {python}: {error}")
    finally:
        os.close(result_write)
    try:
        stdout, stderr, report, timed_out = _collect(process, result_read, started + timeout_s, max_output_bytes)
    finally:
        os.close(result_read)
        try:
            process.wait(timeout=_KILL_GRACE_S)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    duration = time.monotonic() - started
    try:
        outcome = json.loads(report.decode("utf-8", errors="replace")) if report else {}
        outcome = outcome if isinstance(outcome, dict) else {}
    except ValueError:
        outcome = {}
    stdout_text, stderr_text = stdout.text(), stderr.text()
    truncated = bool(stdout.dropped or stderr.dropped)
    exit_code = process.returncode

    def failed(status: ExecutionStatus, error: str) -> ExecutionResult:
        return ExecutionResult(status, None, stdout_text, stderr_text, exit_code, duration, error, truncated)

    if timed_out or exit_code == -signal.SIGXCPU:
        return failed("timeout", f"killed after {duration:.1f} s (limit {timeout_s} s)")
    exception = outcome.get("exception")
    if exception == "MemoryError" or re.search(r"MemoryError|Cannot allocate memory", stderr_text[-2000:]):
        return failed("memory", f"ran out of its {memory_mb} MB address space")
    if exception:
        return failed("error", f"{exception}: {outcome.get('message', '')}".strip())
    if exit_code != 0:
        return failed("error", f"exited with status {exit_code}")
    answer = outcome.get("answer")
    if not isinstance(answer, str):
        answer = _last_line(stdout_text)
    return ExecutionResult("ok", answer, stdout_text, stderr_text, exit_code, duration, None, truncated)


_FENCED_BLOCK = re.compile(r"```[ \t]*(?:python|py|python3)?[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL)


def extract_program(generation: str) -> str:
    """The program in a generation: its first fenced code block, else the whole text."""
    match = _FENCED_BLOCK.search(generation)
    return match.group(1) if match else generation
