"""megatron.pool.OrderedPool: input order, a bounded queue, in-process mode, a dead worker is an error."""
import os
import time
from concurrent.futures.process import BrokenProcessPool

import pytest

from megatron.pool import OrderedPool

_offset = 0


def _set_offset(value: int) -> None:
    global _offset
    _offset = value


def _slow_for_small(item: int) -> tuple[int, int]:
    time.sleep(0.02 * (5 - item % 5))  # early items finish last: order must come from the pool
    return item + _offset, os.getpid()


def _die(item: int) -> int:
    os._exit(3)


def test_results_come_in_input_order_from_the_workers():
    with OrderedPool(2, _set_offset, (100,)) as pool:
        results = list(pool.map(_slow_for_small, range(12)))
    assert [item for item, _ in results] == list(range(12))
    assert [value for _, (value, _) in results] == [i + 100 for i in range(12)]
    assert os.getpid() not in {pid for _, (_, pid) in results}


def test_no_more_than_max_in_flight_items_are_taken_from_the_input():
    taken = []

    def items():
        for i in range(10):
            taken.append(i)
            yield i

    with OrderedPool(1) as pool:
        results = pool.map(_slow_for_small, items(), max_in_flight=3)
        next(results)
        assert len(taken) == 3
        results.close()


def test_zero_workers_run_in_this_process():
    pool = OrderedPool(0, _set_offset, (7,))
    try:
        assert [(i, value) for i, (value, pid) in pool.map(_slow_for_small, [1, 2]) if pid == os.getpid()] == [(1, 8), (2, 9)]
    finally:
        pool.close()
        _set_offset(0)


def test_a_worker_that_dies_is_an_error_not_a_hang():
    with OrderedPool(1) as pool, pytest.raises(BrokenProcessPool):
        list(pool.map(_die, range(3)))
