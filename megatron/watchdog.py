"""A hang watchdog in every rank: a stuck step is reported with every thread's stack, and the rank exits.

DeepSpeed and gloo/NCCL wait for a collective without a useful bound (30 minutes by default, or
forever), so one rank stuck in a kernel, a read or a deadlock leaves the whole job waiting.
NVIDIA's resiliency extension finds hangs, but under Slurm only; torch's NCCL watchdog covers
NCCL collectives only. This one needs neither: the train loop marks what it is doing
(`phase("train step", iteration)`, `phase("eval")`, `phase("save")`, the data wait inside a
step as `label("data")`), and a daemon thread checks a monotonic deadline.

The bound of a phase is `hang_timeout_factor` times the median time that phase has taken so far
(the last 50), never below `hang_timeout_min_s`; until a phase has been timed (three times, for
train steps, whose first ones compile and warm up) the floor alone applies. When a deadline
passes, the rank writes every thread's Python stack (faulthandler) and one line naming itself,
the phase and the iteration to stderr, then exits with `HANG_EXIT_CODE`. DeepSpeed's launcher
then stops the other ranks with SIGTERM, on which each writes its stacks too (faulthandler,
registered while the watchdog runs); where no launcher does (other launchers), their own
watchdogs fire, as their step waits on the stuck rank.
"""
from __future__ import annotations

import contextlib
import faulthandler
import os
import signal
import statistics
import sys
import threading
import time
from collections import defaultdict, deque
from typing import Callable, Iterator, Optional

HANG_EXIT_CODE = 124
"""What `timeout(1)` returns: the rank ran out of time."""
TIMED_BEFORE_MEDIAN = {"train step": 3}
"""How many times a phase is timed before its median counts (default 1)."""
HISTORY = 50


class HangWatchdog:
    """Arms a deadline per phase; a daemon thread ends the process when one passes.

    `factor` 0 disables it (the phases still run, nothing is watched). `on_hang(line)` runs just
    before the exit (e.g. to record the event in the metrics)."""

    def __init__(self, rank: int, factor: float, min_seconds: float,
                 on_hang: Optional[Callable[[str], None]] = None):
        self.rank = rank
        self.factor = factor
        self.min_seconds = min_seconds
        self.on_hang = on_hang
        self._durations: dict[str, deque] = defaultdict(lambda: deque(maxlen=HISTORY))
        self._lock = threading.Lock()
        self._armed: Optional[tuple[str, str, Optional[int], float, float]] = None  # phase, label, it, start, bound
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    @property
    def enabled(self) -> bool:
        return self.factor > 0

    def start(self) -> "HangWatchdog":
        if self.enabled and self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="hang-watchdog", daemon=True)
            self._thread.start()
            # The launcher stops the other ranks with SIGTERM once one has exited: they write
            # their stacks too, then terminate as before.
            faulthandler.register(signal.SIGTERM, file=sys.__stderr__ or sys.stderr, all_threads=True, chain=True)
        return self

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            self._armed = None
        if self._thread is not None:
            faulthandler.unregister(signal.SIGTERM)

    def bound(self, phase: str) -> float:
        """Seconds `phase` may take now."""
        history = self._durations[phase]
        if len(history) < TIMED_BEFORE_MEDIAN.get(phase, 1):
            return self.min_seconds
        return max(self.min_seconds, self.factor * statistics.median(history))

    @contextlib.contextmanager
    def phase(self, name: str, iteration: Optional[int] = None) -> Iterator[None]:
        """Watch the block as `name`; its duration joins the phase's history when it completes."""
        start = time.monotonic()
        with self._lock:
            outer, self._armed = self._armed, (name, name, iteration, start, self.bound(name))
        try:
            yield
        finally:
            self._durations[name].append(time.monotonic() - start)
            with self._lock:
                self._armed = outer if outer is None else (*outer[:3], time.monotonic(), outer[4])

    @contextlib.contextmanager
    def label(self, name: str) -> Iterator[None]:
        """Name what the current phase is doing (the deadline stays the phase's)."""
        with self._lock:
            armed = self._armed
            if armed is not None:
                self._armed = (armed[0], name, *armed[2:])
        try:
            yield
        finally:
            with self._lock:
                if self._armed is not None and armed is not None:
                    self._armed = (armed[0], armed[1], *self._armed[2:])

    def _watch(self) -> None:
        while not self._stop.wait(min(1.0, self.min_seconds / 10)):
            with self._lock:
                armed = self._armed
            if armed is None:
                continue
            phase, label, iteration, start, bound = armed
            elapsed = time.monotonic() - start
            if elapsed > bound:
                self._fire(label, iteration, elapsed, bound)

    def _fire(self, label: str, iteration: Optional[int], elapsed: float, bound: float) -> None:
        at = f" at iteration {iteration}" if iteration is not None else ""
        line = (f"hang watchdog: rank {self.rank} stuck in phase '{label}'{at}: no progress for {elapsed:.1f} s "
                f"(bound {bound:.1f} s: hang_timeout_factor {self.factor:g} x the phase's median, at least "
                f"hang_timeout_min_s {self.min_seconds:g}); exiting with {HANG_EXIT_CODE}")
        stream = sys.__stderr__ or sys.stderr
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            print(f"hang watchdog: rank {self.rank}: stacks of every thread follow", file=stream, flush=True)
            faulthandler.dump_traceback(file=stream, all_threads=True)
            if self.on_hang is not None:
                self.on_hang(line)
        with contextlib.suppress(Exception):
            print(line, file=stream, flush=True)
        os._exit(HANG_EXIT_CODE)
