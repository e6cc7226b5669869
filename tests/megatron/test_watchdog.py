"""megatron.watchdog: a hung rank is reported with its stacks and the run exits, without Slurm."""
import re
import subprocess
import sys
import time

import pytest
import yaml

from megatron.watchdog import HANG_EXIT_CODE, HangWatchdog
from tests.megatron.training_harness import REPO, tiny_config, write_corpus


def test_the_bound_is_the_floor_until_timed_then_a_multiple_of_the_median():
    watchdog = HangWatchdog(rank=0, factor=4.0, min_seconds=0.5)
    assert watchdog.bound("train step") == 0.5
    for _ in range(3):
        with watchdog.phase("train step", 1):
            time.sleep(0.2)
    assert 0.8 <= watchdog.bound("train step") < 2.0  # 4 x ~0.2 s, above the floor
    assert watchdog.bound("save") == 0.5  # another phase keeps its own history
    with watchdog.phase("save"):
        pass
    assert watchdog.bound("save") == 0.5  # a quick save: the floor


def test_a_phase_that_overruns_dumps_every_stack_and_exits_with_one_line(tmp_path):
    script = (
        "import threading\n"
        "from megatron.watchdog import HangWatchdog\n"
        "watchdog = HangWatchdog(rank=3, factor=10, min_seconds=1.0).start()\n"
        "with watchdog.phase('eval', 12):\n"
        "    with watchdog.label('data'):\n"
        "        threading.Event().wait()\n"
    )
    process = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert process.returncode == HANG_EXIT_CODE
    lines = process.stderr.strip().splitlines()
    assert re.fullmatch(r"hang watchdog: rank 3 stuck in phase 'data' at iteration 12: no progress for [\d.]+ s "
                        r"\(bound 1.0 s: .*\); exiting with 124", lines[-1]), lines[-1]
    assert "Thread 0x" in process.stderr and 'File "<string>", line 6 in <module>' in process.stderr


@pytest.mark.slow
@pytest.mark.multirank
def test_a_rank_that_hangs_inside_a_step_stops_the_run_within_twice_the_bound(tmp_path):
    corpus = write_corpus(tmp_path, documents=120)
    bound = 8.0
    config = tiny_config(corpus, train_iters=6, num_gpus=2, hang_timeout_min_s=bound, save=str(tmp_path / "ckpt"),
                         save_interval=100)
    (tmp_path / "run.yml").write_text(yaml.safe_dump(config))
    env = {**__import__("os").environ, "NEOX_TEST_FAULT": "hang@train_step:3/rank1"}
    process = subprocess.run([sys.executable, "deepy.py", "train.py", str(tmp_path / "run.yml")], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=300)
    output = process.stdout + process.stderr
    assert process.returncode != 0, output[-3000:]
    assert "fault injection: hang at train_step (iteration 3, rank 1)" in output
    reports = re.findall(r"hang watchdog: rank (\d) stuck in phase 'train step' at iteration 3: no progress for "
                         r"([\d.]+) s \(bound ([\d.]+) s", output)
    assert reports, output[-3000:]
    for rank, elapsed, reported_bound in reports:
        assert float(reported_bound) == bound and float(elapsed) <= 2 * bound
    assert "stacks of every thread follow" in output and "Thread 0x" in output
    assert not (tmp_path / "ckpt" / "run.lock").exists()  # deepy released the save directory


def test_a_rank_stopped_by_sigterm_while_watched_writes_its_stacks(tmp_path):
    script = (
        "import os, signal, threading\n"
        "from megatron.watchdog import HangWatchdog\n"
        "watchdog = HangWatchdog(rank=0, factor=10, min_seconds=600).start()\n"
        "with watchdog.phase('train step', 1):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    threading.Event().wait(60)\n"
    )
    process = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert process.returncode == -15
    assert 'File "<string>", line 5 in <module>' in process.stderr
