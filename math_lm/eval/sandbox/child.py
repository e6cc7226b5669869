"""The process inside the sandbox: apply the limits, give up root, then run a program or a command.

Started by `math_lm.eval.sandbox.runner` as `python -I -B -m llemma_sandbox_child CONFIG_JSON` inside the
bubblewrap file system (see `math_lm.eval.sandbox`); it imports only the standard library, since
the project's checkout is not visible there. CONFIG_JSON says which `mode`:

- "python": run the Python program at `config["program"]` in this interpreter, with an audit
  hook as defence in depth, and write the outcome (answer or exception) as JSON on
  `config["result_fd"]`;
- "exec": replace this process with `config["argv"]` (e.g. `coqc`), under the same limits.

Under bubblewrap it first mounts its working directory as a fresh tmpfs of `disk_quota_bytes`
bytes and `disk_quota_files` inodes, in a mount namespace of its own (bubblewrap's `--size` bounds
bytes only; the inode count needs the `nr_inodes` option, which only a mount call can pass): what
the program writes lives in memory, within the quota, and vanishes with the namespace.
When started as root (bubblewrap keeps only CAP_SETUID, CAP_SETGID and, for that mount,
CAP_SYS_ADMIN), it becomes `nobody`, which clears every capability, and checks that none is left
before going on.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import resource
import shutil
import signal
import sys
import traceback

import _posixsubprocess  # before giving up root: the interpreter may live where nobody cannot read

_LINUX_CAPABILITY_VERSION_3 = 0x20080522
_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_IS_SET = 47, 1
_CLONE_NEWNS, _CLONE_NEWUSER, _CLONE_NEWNET = 0x00020000, 0x10000000, 0x40000000
_MS_NOSUID, _MS_NODEV = 2, 4
_QUOTA_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_LAST_CAPABILITY = 40


def _limit(name: str, soft: int, hard: int | None = None) -> None:
    kind = getattr(resource, name)
    hard = soft if hard is None else hard
    _, current_hard = resource.getrlimit(kind)
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    resource.setrlimit(kind, (soft, hard))


def _capability_sets(libc: ctypes.CDLL) -> list[int]:
    """Effective, permitted and inheritable capability sets of this process (two words each)."""
    header = (ctypes.c_uint32 * 2)(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    if libc.capget(header, data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    return list(data)


def mount_quota_workdir(config: dict, libc: ctypes.CDLL) -> None:
    """Mount a fresh tmpfs of the disk quota (bytes and inodes) over the working directory, in a
    mount namespace of its own, owned by the identity the program will run as."""
    uid, gid = (config["uid"], config["gid"]) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    options = (f"size={config['disk_quota_bytes']},nr_inodes={config['disk_quota_files']},"
               f"mode=0700,uid={uid},gid={gid}")
    if libc.unshare(_CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS) for the quota tmpfs")
    if libc.mount(b"tmpfs", config["workdir"].encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, options.encode()) != 0:
        raise OSError(ctypes.get_errno(), f"mount tmpfs ({options}) on {config['workdir']}")


def copy_inputs(config: dict) -> None:
    """Copy the input files (read-only at `config["inputs"]`) into the working directory."""
    if config.get("inputs"):
        for name in os.listdir(config["inputs"]):
            shutil.copyfile(os.path.join(config["inputs"], name), name)


def quota_exhausted(config: dict) -> bool:
    """Whether the quota tmpfs is full, in bytes or in inodes (False when there is none)."""
    if not config.get("mount_workdir"):
        return False
    usage = os.statvfs(config["workdir"])
    return usage.f_bavail == 0 or usage.f_favail == 0


def give_up_privileges(config: dict, libc: ctypes.CDLL) -> None:
    """Become `config["uid"]`/`gid` when root; then insist that no capability is left."""
    if os.geteuid() == 0:
        os.setgroups([])
        os.setresgid(config["gid"], config["gid"], config["gid"])
        os.setresuid(config["uid"], config["uid"], config["uid"])
    header = (ctypes.c_uint32 * 2)(_LINUX_CAPABILITY_VERSION_3, 0)
    if libc.capset(header, (ctypes.c_uint32 * 6)()) != 0:  # the inheritable set survives setresuid
        raise OSError(ctypes.get_errno(), "capset")
    if any(_capability_sets(libc)):
        raise PermissionError(f"sandbox: capabilities left after dropping privileges: {_capability_sets(libc)}")
    for capability in range(_LAST_CAPABILITY + 1):
        if libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_IS_SET, capability, 0, 0) == 1:
            raise PermissionError(f"sandbox: ambient capability {capability} left")


def apply_limits(config: dict) -> None:
    _limit("RLIMIT_AS", config["memory_bytes"])
    _limit("RLIMIT_CPU", config["cpu_seconds"], config["cpu_seconds"] + 1)  # SIGXCPU, then SIGKILL
    _limit("RLIMIT_FSIZE", config["file_bytes"])
    _limit("RLIMIT_NOFILE", config["open_files"])
    _limit("RLIMIT_CORE", 0)
    _limit("RLIMIT_NPROC", config["processes"])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _audit_hook(config: dict):
    """Refuses sockets, new processes, ctypes calls, raising limits, and writes outside the workdir."""
    workdir = os.path.realpath(config["workdir"])
    refused = frozenset(config["refused_events"])
    path_events = {name: tuple(positions) for name, positions in config["path_events"].items()}
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

    def inside_workdir(path) -> bool:  # noqa: ANN001
        if isinstance(path, int):
            return True
        path = os.path.realpath(os.fsdecode(path))
        return path == workdir or path.startswith(workdir + os.sep) or path == os.devnull

    def audit(event: str, args: tuple) -> None:
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

    return audit


def _render(value: object) -> str:
    if type(value).__module__.split(".")[0] == "sympy":
        return sys.modules["sympy"].latex(value)
    return str(value)


def run_python(config: dict, result_file) -> None:  # noqa: ANN001
    """Run the program; its outcome goes to `result_file` as JSON. Does not return."""
    with open(config["program"], encoding="utf-8") as program_file:
        source = program_file.read()

    def refuse_fork_exec(*args, **kwargs):  # noqa: ANN002, ANN003
        raise PermissionError("sandbox: _posixsubprocess.fork_exec is not allowed")

    _posixsubprocess.fork_exec = refuse_fork_exec  # the one way to start a process without an audit event
    sys.addaudithook(_audit_hook(config))
    sys.argv = [config["program"]]
    outcome: dict[str, str] = {}
    namespace = {"__name__": "__main__", "__file__": config["program"], "__builtins__": __builtins__}
    try:
        exec(compile(source, config["program"], "exec"), namespace)
        solution = namespace.get("solution")
        if callable(solution):
            value = solution()
            if value is not None:
                outcome["answer"] = _render(value)[: config["max_answer_chars"]]
    except SystemExit as exit_request:
        if exit_request.code not in (None, 0):
            outcome["exception"] = "SystemExit"
            outcome["message"] = str(exit_request.code)[:500]
    except BaseException as error:  # noqa: BLE001 - every failure of the program is reported
        outcome["exception"] = type(error).__name__
        outcome["message"] = str(error)[:500]
        if isinstance(error, OSError) and error.errno in _QUOTA_ERRNOS:
            outcome["errno"] = errno.errorcode[error.errno]
        traceback.print_exc()
    if "exception" in outcome and quota_exhausted(config):
        outcome["disk_full"] = "yes"
    sys.stdout.flush()
    sys.stderr.flush()
    result_file.write(json.dumps(outcome))
    result_file.close()
    os._exit(1 if "exception" in outcome else 0)


def main() -> None:
    config = json.loads(sys.argv[1])
    result_file = os.fdopen(config["result_fd"], "w", encoding="utf-8")
    os.set_inheritable(config["result_fd"], False)
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        if config["unshare_network"]:  # only without bubblewrap, which gives a network namespace itself
            libc.unshare(_CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET)
        if config["mount_workdir"]:
            mount_quota_workdir(config, libc)
        give_up_privileges(config, libc)
        os.chdir(config["workdir"])
        copy_inputs(config)
        apply_limits(config)
    except OSError as error:
        result_file.write(json.dumps({"exception": "SandboxError", "message": str(error)}))
        result_file.close()
        os._exit(2)
    del libc
    if config["mode"] == "exec":
        result_file.close()
        os.execv(config["argv"][0], config["argv"])
    run_python(config, result_file)


if __name__ == "__main__":
    main()
