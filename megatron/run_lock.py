"""One run per save directory: a lock file that the launcher holds from launch to exit.

    <save>/run.lock   {"host", "pid", "start_time", "heartbeat", "token", ...} as JSON

Taking the lock is one atomic `link()` of a fully written private file onto `run.lock`: it
fails with EEXIST when another run holds it, on a local disk and on NFS alike (where `flock`
and `O_EXCL` were long unreliable; `link` is what NFS-safe lock files have always used). A
second run is refused at once, with the holder's host, pid and start time.

A lock whose holder is gone is taken over with a warning:
- on the same host, when its pid is not running (or now belongs to a process that started
  later: the pid was reused);
- on another host, whose processes cannot be seen, when its heartbeat is stale: the holder
  touches the file every `HEARTBEAT_INTERVAL_S`, and a lock whose modification time is more
  than `STALE_AFTER_S` behind the file system's clock (read from a probe file written in the
  same directory, so the hosts' clocks need not agree) is taken over.
A take-over is serialised by an atomic `mkdir` of `run.lock.takeover`, so two runs that find
the same stale lock cannot both win. Not covered: a launcher that is SIGKILLed (SIGTERM and Ctrl-C
stop its ranks first) leaves DeepSpeed's per-node launcher and the ranks running; its lock is
then taken over while they still may save.

Standard-library `fcntl`/`filelock` locks die with the process that holds them, which is what
makes them attractive, but they are advisory per host on NFS and say nothing of the holder;
hence this small module.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from megatron.interrupts import process_alive

LOCK_FILE = "run.lock"
HEARTBEAT_INTERVAL_S = 30.0
STALE_AFTER_S = 300.0
"""A lock held from another host is stale when its heartbeat is this old (ten missed beats)."""
TAKEOVER_STALE_S = 60.0
"""A take-over mutex (`run.lock.takeover`) older than this was left by a process that died in it."""


class SaveDirectoryBusy(RuntimeError):
    """Another live run holds the save directory's lock."""


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int
    start_time: float
    token: str
    process_start: Optional[int] = None
    """The holder's start in clock ticks since boot (/proc/<pid>/stat field 22), to tell a reused pid."""

    def describe(self) -> str:
        started = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(self.start_time))
        return f"host {self.host}, pid {self.pid}, started {started}"


def _process_start_ticks(pid: int) -> Optional[int]:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def _read_holder(lock: Path) -> Optional[Holder]:
    """The holder recorded in `lock`; None when the file is gone. An unreadable file is a holder
    with an unknown pid (judged by its heartbeat only)."""
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
        return Holder(str(data["host"]), int(data["pid"]), float(data["start_time"]), str(data["token"]),
                      data.get("process_start"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return Holder("unknown", -1, 0.0, "unreadable")


def _file_system_now(directory: Path) -> float:
    """The modification time the file system gives a file written now (its own clock)."""
    probe = directory / f".run.lock.clock-{uuid.uuid4().hex}"
    try:
        probe.write_bytes(b"")
        return probe.stat().st_mtime
    finally:
        probe.unlink(missing_ok=True)


def stale_reason(lock: Path, holder: Holder, host: str) -> Optional[str]:
    """Why `holder` no longer holds `lock` (None: it is alive, as far as can be told)."""
    if holder.host == host and holder.pid > 0:
        if not process_alive(holder.pid):
            return f"its process {holder.pid} is not running"
        now_start = _process_start_ticks(holder.pid)
        if holder.process_start is not None and now_start is not None and now_start != holder.process_start:
            return f"pid {holder.pid} now belongs to another process"
        return None
    try:
        age = _file_system_now(lock.parent) - lock.stat().st_mtime
    except FileNotFoundError:
        return "it was released"
    if age > STALE_AFTER_S:
        return f"its heartbeat is {age:.0f} s old (stale after {STALE_AFTER_S:.0f} s)"
    return None


class RunLock:
    """The lock on one save directory; `acquire()` then `release()` (or use `hold_run_lock`)."""

    def __init__(self, save_dir: str | Path):
        self.save_dir = Path(save_dir)
        self.path = self.save_dir / LOCK_FILE
        self.host = socket.gethostname()
        self.holder = Holder(self.host, os.getpid(), time.time(), uuid.uuid4().hex, _process_start_ticks(os.getpid()))
        self._stop = threading.Event()
        self._heartbeat: Optional[threading.Thread] = None

    def _record(self) -> bytes:
        data = {"host": self.holder.host, "pid": self.holder.pid, "start_time": self.holder.start_time,
                "start": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(self.holder.start_time)),
                "heartbeat_interval_s": HEARTBEAT_INTERVAL_S, "token": self.holder.token,
                "process_start": self.holder.process_start, "argv": sys.argv[:4]}
        return (json.dumps(data, indent=1) + "\n").encode("utf-8")

    def _try_link(self) -> bool:
        """One atomic attempt: True when this run now holds the lock."""
        private = self.save_dir / f".run.lock.{self.host}.{self.holder.pid}.{self.holder.token[:8]}"
        private.write_bytes(self._record())
        try:
            os.link(private, self.path)
            return True
        except FileExistsError:
            return False
        except OSError as error:
            # NFS may report a failure for a link that the server did make (a lost reply): the
            # private file then has two names.
            if error.errno in (errno.EIO, errno.ETIMEDOUT) and os.stat(private).st_nlink == 2:
                return True
            raise
        finally:
            private.unlink(missing_ok=True)

    def acquire(self) -> None:
        """Take the lock, taking over a stale one with a warning; SaveDirectoryBusy when a live run holds it."""
        self.save_dir.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            if self._try_link():
                self._start_heartbeat()
                return
            holder = _read_holder(self.path)
            if holder is None:
                continue  # released between the two calls: try again
            reason = stale_reason(self.path, holder, self.host)
            if reason is None:
                raise SaveDirectoryBusy(
                    f"save directory {self.save_dir} is in use by another run ({holder.describe()}; lock file "
                    f"{self.path}): two runs saving to one directory replace each other's checkpoints. Stop "
                    f"that run or choose another 'save' directory"
                )
            if self._take_over(holder, reason):
                self._start_heartbeat()
                return
        raise SaveDirectoryBusy(f"save directory {self.save_dir}: could not take the lock {self.path} "
                                f"(other runs are taking it at the same moment)")

    def _take_over(self, stale: Holder, reason: str) -> bool:
        mutex = self.save_dir / f"{LOCK_FILE}.takeover"
        try:
            mutex.mkdir()
        except FileExistsError:
            with contextlib.suppress(OSError):
                if _file_system_now(self.save_dir) - mutex.stat().st_mtime > TAKEOVER_STALE_S:
                    mutex.rmdir()
            return False
        try:
            if _read_holder(self.path) != stale:
                return False  # someone else took it over (or it was released) meanwhile
            self.path.unlink(missing_ok=True)
            if not self._try_link():
                return False
        finally:
            mutex.rmdir()
        print(f"warning: took over the lock of save directory {self.save_dir} from a run that is gone "
              f"({stale.describe()}): {reason}", file=sys.stderr, flush=True)
        return True

    def _start_heartbeat(self) -> None:
        self._heartbeat = threading.Thread(target=self._beat, name="run-lock-heartbeat", daemon=True)
        self._heartbeat.start()

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_INTERVAL_S):
            holder = _read_holder(self.path)
            if holder is None or holder.token != self.holder.token:
                now = holder.describe() if holder else "gone"
                print(f"warning: the lock {self.path} is no longer this run's (now {now}); "
                      f"another run may write to {self.save_dir}", file=sys.stderr, flush=True)
                return
            with contextlib.suppress(OSError):
                os.utime(self.path)

    def release(self) -> None:
        self._stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join(timeout=5)
        holder = _read_holder(self.path)
        if holder is not None and holder.token == self.holder.token:
            self.path.unlink(missing_ok=True)


@contextlib.contextmanager
def hold_run_lock(save_dir: Optional[str | Path]) -> Iterator[Optional[RunLock]]:
    """Hold the lock of `save_dir` for the block (nothing when there is no save directory)."""
    if not save_dir:
        yield None
        return
    lock = RunLock(save_dir)
    lock.acquire()
    try:
        yield lock
    finally:
        lock.release()
