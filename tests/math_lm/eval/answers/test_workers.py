"""Time limits that hold: a comparison returns within its timeout, and a spare worker takes over."""

import time

import pytest

from math_lm.eval.answers import BACKENDS, answers_match, is_equiv, start_workers
from math_lm.eval.answers.workers import POOL

SLACK_S = 0.25  # a pipe round trip and a process kill, on a loaded 2-core machine


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_hanging_comparison_returns_within_its_timeout_and_the_next_call_is_not_billed(backend):
    start_workers()
    # Timeouts longer than a worker's start (~1.3 s here), so each timeout finds the spare ready.
    for hanging, timeout in [("(x+1)^{10^{10}}", 3.0), ("x^{10^{10^{8}}}", 2.0)]:
        started = time.monotonic()
        # The first expands a huge power in SymPy; the second evaluates 10**(10**8)-sized
        # integers inside C code, where no signal stops it.
        assert not answers_match("math", hanging, "x+2", backend=backend, timeout=timeout)
        elapsed = time.monotonic() - started
        assert elapsed < timeout * 1.1 + SLACK_S, elapsed
        started = time.monotonic()
        assert is_equiv("x+1", "1+x", backend=backend)  # served by the spare, not a restart
        assert time.monotonic() - started < 0.5


@pytest.mark.slow
def test_back_to_back_timeouts_each_find_a_ready_spare():
    start_workers()
    time.sleep(2.0)  # the spare started by start_workers() is importing SymPy
    for _ in range(3):
        started = time.monotonic()
        assert not is_equiv("x^{10^{10^{8}}}", "x", backend="minerva", timeout=2.5)
        assert time.monotonic() - started < 2.5 * 1.1 + SLACK_S


@pytest.mark.slow
def test_a_cold_first_call_still_keeps_its_timeout():
    POOL.stop()  # as in a fresh process: no worker running
    started = time.monotonic()
    is_equiv("x^{10^{10^{8}}}", "x", timeout=1.0)
    assert time.monotonic() - started < 1.0 * 1.1 + SLACK_S
    start_workers()
    assert is_equiv("x^2-1", "(x-1)(x+1)")
