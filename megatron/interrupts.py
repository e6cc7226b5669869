"""SIGTERM and SIGHUP handled like Ctrl-C, and the leftovers of runs that were killed outright.

Batch schedulers stop jobs with SIGTERM (Slurm, Kubernetes) and closed terminals send SIGHUP;
Python's default for both is to die on the spot, skipping every `finally:` that removes temporary
files and stops worker processes. Inside `terminate_like_interrupt()` both raise `Terminated`, a
KeyboardInterrupt, so the cleanup that already runs for Ctrl-C runs for them too. A SIGKILL cannot
be caught: temporaries carry their writer's pid, and the next run writing the same output removes
those whose writer is gone (`remove_stale_temporaries`).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Callable, Iterator

from megatron.user_files import EXIT_STATUS, UserFileError

CAUGHT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Terminated(KeyboardInterrupt):
    """Raised in the main thread when the process receives SIGTERM or SIGHUP."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_owner_pid: int | None = None


def _raise_terminated(signum: int, frame) -> None:
    if os.getpid() != _owner_pid:
        # A worker forked inside the block (a pool's terminate() sends it SIGTERM): die as usual,
        # without a traceback; the process that installed the handler does the cleanup.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise Terminated(signum)


@contextlib.contextmanager
def terminate_like_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise `Terminated` (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    global _owner_pid
    owner, _owner_pid = _owner_pid, os.getpid()
    previous = {signum: signal.signal(signum, _raise_terminated) for signum in CAUGHT_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _owner_pid = owner


def exit_status(interrupt: KeyboardInterrupt) -> int:
    """The shell's convention: 128 + the signal number (130 for Ctrl-C)."""
    return 128 + getattr(interrupt, "signum", signal.SIGINT)


def run_tool(name: str, main: Callable[[], int]) -> int:
    """Run a command-line tool's `main` with SIGTERM/SIGHUP handled like Ctrl-C: its cleanup runs,
    one line is printed instead of a traceback, and the exit status says which signal stopped it.
    A damaged or cut input file (`megatron.user_files.UserFileError`) is one line too, status 2."""
    with terminate_like_interrupt():
        try:
            return main()
        except UserFileError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_STATUS
        except KeyboardInterrupt as interrupt:
            reason = interrupt.args[0] if isinstance(interrupt, Terminated) else "SIGINT"
            print(f"{name}: stopped by {reason}; partial outputs were removed", file=sys.stderr)
            return exit_status(interrupt)


def pid_tag() -> str:
    """The part of a temporary file's name that identifies its writer."""
    return f"{os.getpid()}.tmp"


def process_alive(pid: int) -> bool:
    """Whether a process `pid` exists (one of another user counts)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(directory: str | Path, prefix: str) -> list[Path]:
    """Remove `{prefix}{pid}.tmp*` files and directories in `directory` whose writer `pid` is not
    running (left by a run that was SIGKILLed); returns what was removed."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    removed = []
    for path in sorted(directory.glob(f"{prefix}*.tmp*")):
        pid_text = path.name[len(prefix):].split(".tmp", 1)[0]
        if not pid_text.isdigit() or process_alive(int(pid_text)):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed
