"""Starting the sandbox child under bubblewrap, collecting its output, killing it on time.

Disk quota. Under bubblewrap the program's only writable place is its working directory, a tmpfs
of `disk_quota_mb` bytes and `disk_quota_files` inodes mounted in the sandbox's own mount
namespace: a write past it fails with ENOSPC, the program ends with status "disk quota", and
its files never touch the host's disk (they live in that tmpfs and vanish with the namespace).

With weak isolation (no bubblewrap, asked for) the working directory is a host directory, which
the quota cannot be mounted over without privileges we may not have. There the bound is:
`RLIMIT_FSIZE` of at most the quota for each file, plus a watchdog in this process that
measures the directory every `_QUOTA_POLL_S` and kills the program once it holds more than the
quota (bytes or files). A program can overshoot by what it writes in one poll interval (and the
kill grace), never by more, and whatever it wrote is removed with the directory when it ends.
That is bounded, not exact; the exact quota is bubblewrap's. (Refusing weak isolation outright
would leave no way to run the program tasks where bubblewrap cannot run; asking for it is the
caller's explicit choice.)
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
import tempfile
import time
from dataclasses import dataclass
from typing import Callable, Literal, Mapping, Sequence

from math_lm.eval.sandbox import isolation
from math_lm.eval.sandbox.isolation import CHILD_MODULE, INSIDE_INPUTS, INSIDE_ROOT, INSIDE_WORKDIR, Mounts

ExecutionStatus = Literal["ok", "timeout", "error", "memory", "disk quota"]

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MEMORY_MB = 1024
DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024
DEFAULT_MAX_FILE_MB = 16
DEFAULT_DISK_QUOTA_MB = 32
"""Total bytes a program may keep in its working directory (a math program needs none)."""
DEFAULT_DISK_QUOTA_FILES = 256
"""Total files and directories a program may create there."""

_NOBODY_ID = 65534
_KILL_GRACE_S = 1.0
_MAX_OPEN_FILES = 64
_QUOTA_POLL_S = 0.05

_MINIMAL_ENVIRONMENT = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}

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


@dataclass(frozen=True)
class ExecutionResult:
    """What one sandboxed program did.

    `status` is "ok" (exited normally), "timeout" (wall-clock or CPU limit), "memory"
    (ran out of its address space), "disk quota" (failed writing past its disk quota, in bytes or
    files, or past the size limit of one file) or "error" (an exception, a refused operation, a
    crash, a non-zero exit). `answer` is set only when the status is "ok" (see `math_lm.eval.sandbox`).
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


@dataclass(frozen=True)
class CommandResult:
    """What one sandboxed command (`run_command`) did: its output, exit status, whether it was killed."""

    stdout: str
    stderr: str
    exit_code: int | None
    duration_s: float
    timed_out: bool
    sandbox_error: str | None = None
    disk_quota_exceeded: bool = False


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


def _over_quota(directory: str, max_bytes: int, max_files: int) -> bool:
    """Whether `directory` holds more than `max_bytes` (allocated) or `max_files` entries; stops
    counting at the first bound passed."""
    used_bytes, entries, pending = 0, 0, [directory]
    while pending:
        try:
            with os.scandir(pending.pop()) as listing:
                for entry in listing:
                    entries += 1
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    else:
                        used_bytes += entry.stat(follow_symlinks=False).st_blocks * 512
                    if entries > max_files or used_bytes > max_bytes:
                        return True
        except OSError:
            continue  # removed or made unreadable meanwhile
    return False


def _collect(
    process: subprocess.Popen[bytes], result_fd: int, deadline: float, max_output_bytes: int,
    over_quota: Callable[[], bool] | None = None,
) -> tuple[_CappedBuffer, _CappedBuffer, bytes, bool, bool]:
    """Read stdout, stderr and the result pipe until they close; kill the group at `deadline`, or
    as soon as `over_quota()` (checked every `_QUOTA_POLL_S`) says so."""
    assert process.stdout is not None and process.stderr is not None
    buffers = {
        process.stdout.fileno(): _CappedBuffer(max_output_bytes),
        process.stderr.fileno(): _CappedBuffer(max_output_bytes),
    }
    result = bytearray()
    open_fds = [*buffers, result_fd]
    timed_out = quota_killed = False
    while open_fds:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if timed_out or quota_killed:
                break  # something still holds a pipe after the kill grace period
            timed_out = True
            _kill_group(process)
            deadline = time.monotonic() + _KILL_GRACE_S
            continue
        if over_quota is not None and not (timed_out or quota_killed) and over_quota():
            quota_killed = True
            _kill_group(process)
            deadline = time.monotonic() + _KILL_GRACE_S
            continue
        readable, _, _ = select.select(open_fds, [], [], remaining if over_quota is None else
                                       min(remaining, _QUOTA_POLL_S))
        for fd in readable:
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.remove(fd)
            elif fd == result_fd:
                if len(result) < 1 << 20:
                    result += chunk
            else:
                buffers[fd].add(chunk)
    return buffers[process.stdout.fileno()], buffers[process.stderr.fileno()], bytes(result), timed_out, quota_killed


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


@dataclass
class _Outcome:
    stdout: _CappedBuffer
    stderr: _CappedBuffer
    report: dict
    timed_out: bool
    exit_code: int | None
    duration_s: float
    start_error: str | None = None
    quota_killed: bool = False


def _run_child(
    config: dict,
    *,
    python: str,
    mounts: Mounts,
    files: Mapping[str, str],
    program: str | None,
    timeout_s: float,
    max_output_bytes: int,
    allow_weak_isolation: bool | None,
    environment: Mapping[str, str],
) -> _Outcome:
    """Run the child, isolated by bubblewrap when possible; its files are staged in a fresh host
    directory (the program, the input `files`), removed afterwards."""
    started = time.monotonic()
    bwrap = isolation.require_isolation(allow_weak_isolation)
    root = tempfile.mkdtemp(prefix="llemma-sandbox-")
    try:
        inputs = os.path.join(root, "inputs")
        os.mkdir(inputs, 0o755)
        os.chmod(root, 0o711)
        for name, text in files.items():
            with open(os.path.join(inputs, name), "w", encoding="utf-8") as handle:
                handle.write(text)
        program_path = None
        if program is not None:
            program_path = os.path.join(root, "program.py")
            with open(program_path, "w", encoding="utf-8") as program_file:
                program_file.write(program)
        workdir = os.path.join(root, "work")  # the working directory with weak isolation only
        os.mkdir(workdir, 0o700)
        if os.geteuid() == 0:
            os.chown(workdir, _NOBODY_ID, _NOBODY_ID)
        result_read, result_write = os.pipe()
        config = {**config, "result_fd": result_write, "uid": _NOBODY_ID, "gid": _NOBODY_ID}
        over_quota = None
        if bwrap:
            inside_workdir, child = INSIDE_WORKDIR, ["-m", CHILD_MODULE]
            config.update(program=f"{INSIDE_ROOT}/program.py", inputs=INSIDE_INPUTS if files else None)
            prefix = isolation.bubblewrap_argv(bwrap, mounts, inputs if files else None, program_path,
                                               isolation.child_module_path(python), config["disk_quota_bytes"])
        else:  # weak isolation, asked for: the host interpreter runs the same file
            inside_workdir, child, prefix = workdir, [isolation.CHILD_SOURCE], []
            config.update(program=program_path, inputs=inputs if files else None)

            def over_quota() -> bool:
                return _over_quota(workdir, config["disk_quota_bytes"], config["disk_quota_files"])

        config.update(workdir=inside_workdir, unshare_network=not bwrap, mount_workdir=bool(bwrap))
        env = {**_MINIMAL_ENVIRONMENT, "HOME": inside_workdir, "TMPDIR": inside_workdir, **environment}
        argv = [*prefix, python, "-I", "-B", "-X", "utf8", *child, json.dumps(config)]
        try:
            process = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                cwd=root, env=env, start_new_session=True, pass_fds=(result_write,),
            )
        except OSError as error:
            os.close(result_read)
            empty = _CappedBuffer(1)
            return _Outcome(empty, empty, {}, False, None, time.monotonic() - started, f"could not start: {error}")
        finally:
            os.close(result_write)
        try:
            stdout, stderr, report, timed_out, quota_killed = _collect(
                process, result_read, started + timeout_s, max_output_bytes, over_quota)
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
        try:
            outcome = json.loads(report.decode("utf-8", errors="replace")) if report else {}
            outcome = outcome if isinstance(outcome, dict) else {}
        except ValueError:
            outcome = {}
        return _Outcome(stdout, stderr, outcome, timed_out, process.returncode, time.monotonic() - started,
                        quota_killed=quota_killed)
    finally:
        _remove_tree(root)


def _limits_config(timeout_s: float, memory_mb: int, max_file_mb: int, disk_quota_mb: int, disk_quota_files: int,
                   processes: int) -> dict:
    return {
        "memory_bytes": int(memory_mb) << 20,
        "cpu_seconds": math.ceil(timeout_s) + 1,
        "file_bytes": int(min(max_file_mb, disk_quota_mb)) << 20,
        "disk_quota_bytes": int(disk_quota_mb) << 20,
        "disk_quota_files": int(disk_quota_files),
        "open_files": _MAX_OPEN_FILES,
        "processes": processes,
    }


def _check_limits(**limits: float) -> None:
    for name, value in limits.items():
        if not value > 0:
            raise ValueError(f"sandbox: {name} must be positive, got {value!r}")


def run_program(
    code: str,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
    max_file_mb: int = DEFAULT_MAX_FILE_MB,
    disk_quota_mb: int = DEFAULT_DISK_QUOTA_MB,
    disk_quota_files: int = DEFAULT_DISK_QUOTA_FILES,
    isolate_network: bool = True,
    python: str | None = None,
    packages: Sequence[str] = isolation.DEFAULT_PACKAGES,
    allow_weak_isolation: bool | None = None,
) -> ExecutionResult:
    """Run the Python program `code` in the sandbox (see `math_lm.eval.sandbox`) and report on it.

    `timeout_s` bounds wall-clock time (start-up included), `memory_mb` the address space,
    `max_output_bytes` what is kept of stdout and of stderr (head and tail), `max_file_mb` any
    file it writes, `disk_quota_mb` and `disk_quota_files` all it writes together (see the module
    docstring; going past either ends it with status "disk quota"). `python` defaults to this
    interpreter; `packages` are the site-packages the program may import. Never raises because
    of the program. Raises ValueError for a non-positive limit, and `SandboxUnavailable` where no
    file-system isolation is possible (unless `allow_weak_isolation`, or the environment variable
    it names, allows running without).
    `isolate_network` is kept for callers: the network is always cut.
    """
    del isolate_network
    _check_limits(timeout_s=timeout_s, memory_mb=memory_mb, max_output_bytes=max_output_bytes, max_file_mb=max_file_mb,
                  disk_quota_mb=disk_quota_mb, disk_quota_files=disk_quota_files)
    python = python or isolation.sandbox_python()
    config = {
        "mode": "python",
        **_limits_config(timeout_s, memory_mb, max_file_mb, disk_quota_mb, disk_quota_files, processes=0),
        "refused_events": list(_REFUSED_EVENTS),
        "path_events": _PATH_EVENTS,
        "max_answer_chars": 10_000,
    }
    mounts = isolation.python_mounts(python, tuple(packages)) if isolation.bubblewrap() else Mounts()
    outcome = _run_child(config, python=python, mounts=mounts, files={}, program=code, timeout_s=timeout_s,
                         max_output_bytes=max_output_bytes, allow_weak_isolation=allow_weak_isolation, environment={})
    return _execution_result(outcome, timeout_s, memory_mb, min(max_file_mb, disk_quota_mb), disk_quota_mb,
                             disk_quota_files)


def _execution_result(outcome: _Outcome, timeout_s: float, memory_mb: int, max_file_mb: int, disk_quota_mb: int,
                      disk_quota_files: int) -> ExecutionResult:
    stdout_text, stderr_text = outcome.stdout.text(), outcome.stderr.text()
    truncated = bool(outcome.stdout.dropped or outcome.stderr.dropped)
    exit_code, duration = outcome.exit_code, outcome.duration_s

    def failed(status: ExecutionStatus, error: str) -> ExecutionResult:
        return ExecutionResult(status, None, stdout_text, stderr_text, exit_code, duration, error, truncated)

    if outcome.start_error:
        return failed("error", outcome.start_error)
    if outcome.timed_out or exit_code == -signal.SIGXCPU:
        return failed("timeout", f"killed after {duration:.1f} s (limit {timeout_s} s)")
    quota = f"its disk quota of {disk_quota_mb} MB and {disk_quota_files} files"
    if outcome.quota_killed:
        return failed("disk quota", f"killed for writing past {quota}")
    exception = outcome.report.get("exception")
    if outcome.report.get("disk_full") or outcome.report.get("errno") in ("ENOSPC", "EDQUOT"):
        return failed("disk quota", f"wrote past {quota} ({exception}: {outcome.report.get('message', '')})")
    if outcome.report.get("errno") == "EFBIG":
        return failed("disk quota", f"wrote a file past the {max_file_mb} MB limit of one file")
    if exception == "MemoryError" or re.search(r"MemoryError|Cannot allocate memory", stderr_text[-2000:]):
        return failed("memory", f"ran out of its {memory_mb} MB address space")
    if exception:
        return failed("error", f"{exception}: {outcome.report.get('message', '')}".strip())
    if exit_code != 0:
        return failed("error", f"exited with status {exit_code}")
    answer = outcome.report.get("answer")
    if not isinstance(answer, str):
        answer = _last_line(stdout_text)
    return ExecutionResult("ok", answer, stdout_text, stderr_text, exit_code, duration, None, truncated)


def run_command(
    argv: Sequence[str],
    *,
    mounts: Mounts,
    files: Mapping[str, str] | None = None,
    environment: Mapping[str, str] | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
    max_file_mb: int = DEFAULT_MAX_FILE_MB,
    disk_quota_mb: int = DEFAULT_DISK_QUOTA_MB,
    disk_quota_files: int = DEFAULT_DISK_QUOTA_FILES,
    processes: int = 0,
    allow_weak_isolation: bool | None = None,
) -> CommandResult:
    """Run the binary `argv` in the sandbox: it sees `mounts` read-only and, as its working
    directory (`math_lm.eval.sandbox.isolation.INSIDE_WORKDIR`), a fresh directory holding `files`.

    The same limits (disk quota included) and privilege drop as `run_program`, no audit hook (it is
    not Python), at most `processes` child processes. Raises `SandboxUnavailable` as `run_program`
    does. A write past the quota fails inside with ENOSPC, which the command reports as it does;
    with weak isolation the quota watchdog kills it (`disk_quota_exceeded`).
    """
    _check_limits(timeout_s=timeout_s, memory_mb=memory_mb, max_output_bytes=max_output_bytes, max_file_mb=max_file_mb,
                  disk_quota_mb=disk_quota_mb, disk_quota_files=disk_quota_files)
    python = isolation.sandbox_python()
    mounts = (isolation.python_mounts(python, ()) + mounts) if isolation.bubblewrap() else mounts
    config = {"mode": "exec", "argv": list(argv),
              **_limits_config(timeout_s, memory_mb, max_file_mb, disk_quota_mb, disk_quota_files, processes)}
    outcome = _run_child(config, python=python, mounts=mounts, files=files or {}, program=None, timeout_s=timeout_s,
                         max_output_bytes=max_output_bytes, allow_weak_isolation=allow_weak_isolation,
                         environment=environment or {})
    sandbox_error = outcome.start_error
    if outcome.report.get("exception"):
        sandbox_error = f"{outcome.report['exception']}: {outcome.report.get('message', '')}"
    return CommandResult(outcome.stdout.text(), outcome.stderr.text(), outcome.exit_code, outcome.duration_s,
                         outcome.timed_out or outcome.exit_code == -signal.SIGXCPU, sandbox_error,
                         outcome.quota_killed)


def _last_line(text: str) -> str | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else None


_FENCED_BLOCK = re.compile(r"```[ \t]*(?:python|py|python3)?[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL)


def extract_program(generation: str) -> str:
    """The program in a generation: its first fenced code block, else the whole text."""
    match = _FENCED_BLOCK.search(generation)
    return match.group(1) if match else generation
