"""One ordered worker pool: a function over a stream of items in `workers` processes, results in
input order, with a bounded number of items in flight (memory stays flat on any input size).

Workers are forked on Linux (fast start; spawned elsewhere) and all started before the caller
starts any thread of its own; `workers=0` runs the initializer and the function in this process.
A worker that dies makes the pending results raise `BrokenProcessPool` instead of hanging.
"""
from __future__ import annotations

import multiprocessing
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, TypeVar

Item = TypeVar("Item")


def _started() -> bool:
    return True


class OrderedPool:
    def __init__(self, workers: int, initializer: Optional[Callable[..., None]] = None, initargs: Sequence[Any] = ()):
        if workers < 0:
            raise ValueError(f"workers must be 0 or more, got {workers}")
        self.workers = workers
        self._executor: Optional[ProcessPoolExecutor] = None
        if workers == 0:
            if initializer is not None:
                initializer(*initargs)
            return
        method = "fork" if sys.platform.startswith("linux") else "spawn"  # forking is unsafe on macOS
        self._executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                             initializer=initializer, initargs=tuple(initargs))
        try:
            self._executor.submit(_started).result()  # forks every process now (and fails if they cannot start)
        except BaseException:
            self.close()
            raise

    def map(self, fn: Callable[[Item], Any], items: Iterable[Item], max_in_flight: Optional[int] = None
            ) -> Iterator[tuple[Item, Any]]:
        """Yield (item, fn(item)) in input order; at most `max_in_flight` (default 2 x workers + 2) queued."""
        if self._executor is None:
            for item in items:
                yield item, fn(item)
            return
        limit = max_in_flight or 2 * self.workers + 2
        pending: deque[tuple[Item, Future]] = deque()
        try:
            for item in items:
                pending.append((item, self._executor.submit(fn, item)))
                if len(pending) >= limit:
                    done, future = pending.popleft()
                    yield done, future.result()
            while pending:
                done, future = pending.popleft()
                yield done, future.result()
        finally:
            for _, future in pending:
                future.cancel()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> "OrderedPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
