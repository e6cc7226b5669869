import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from math_lm.data.documents import Document, UnitResult
from math_lm.data.watchdog import DocumentWorker, InlineRunner
from tests.processes import is_running

REPO_ROOT = Path(__file__).resolve().parents[3]


def _echo(text: str) -> UnitResult:
    result = UnitResult()
    result.documents.append(Document(text=text, meta={"pid": os.getpid()}, group="g"))
    return result


def _block_forever(marker: str) -> UnitResult:
    Path(marker).write_text(str(os.getpid()))
    signal.pause()  # like a C extension that never returns: only SIGKILL gets it out
    raise AssertionError("unreachable")


def _die() -> UnitResult:
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def _allocate(nbytes: int) -> UnitResult:
    block = bytearray(nbytes)
    return _echo(str(len(block)))


def _fail() -> UnitResult:
    raise KeyError("a bug in an extractor")


def _drops(result: UnitResult) -> list[tuple[str, str]]:
    return [(drop.reason, drop.source) for drop in result.drops]


def _gone(pid: int) -> bool:
    return not is_running(pid)


def test_jobs_run_in_one_reused_worker_process():
    with DocumentWorker(max_seconds=600) as worker:
        first = worker.run(_echo, "a", source="s1", nbytes=1)
        second = worker.run(_echo, "b", source="s2", nbytes=1)
        assert [d.text for d in first.documents + second.documents] == ["a", "b"]
        assert first.documents[0].meta["pid"] == second.documents[0].meta["pid"] == worker.pid != os.getpid()
    assert InlineRunner().run(_echo, "c", source="s", nbytes=1).documents[0].meta["pid"] == os.getpid()


def test_a_job_past_its_deadline_is_killed_and_the_worker_replaced(tmp_path: Path):
    with DocumentWorker(max_seconds=600) as worker:
        first_pid = worker.run(_echo, "first", source="s", nbytes=1).documents[0].meta["pid"]
        worker.max_seconds = 0.5  # only for the job that never returns, whatever the machine's load
        result = worker.run(_block_forever, str(tmp_path / "inside"), source="page.html", nbytes=42)
        worker.max_seconds = 600
        assert _drops(result) == [("timeout", "page.html")] and result.drops[0].nbytes == 42
        assert _gone(first_pid) and worker.restarts == 1
        after = worker.run(_echo, "next", source="s", nbytes=1)
        assert after.documents[0].text == "next" and after.documents[0].meta["pid"] not in (first_pid, os.getpid())


def test_a_worker_that_dies_is_counted_and_replaced():
    with DocumentWorker(max_seconds=600) as worker:
        assert _drops(worker.run(_die, source="crash.tex", nbytes=1)) == [("worker_crashed", "crash.tex")]
        assert worker.run(_echo, "next", source="s", nbytes=1).documents[0].text == "next"


def test_memory_past_the_worker_limit_is_a_drop():
    with DocumentWorker(max_seconds=600, max_memory_bytes=256 * 1024 * 1024) as worker:
        result = worker.run(_allocate, 2 * 1024**3, source="huge.html", nbytes=1)
        assert _drops(result) == [("out_of_memory", "huge.html")]
        assert worker.run(_allocate, 16 * 1024 * 1024, source="ok", nbytes=1).documents[0].text == str(16 * 1024 * 1024)


def test_an_exception_in_a_job_is_a_logged_drop(caplog: pytest.LogCaptureFixture):
    with DocumentWorker(max_seconds=600) as worker:
        assert _drops(worker.run(_fail, source="odd.html", nbytes=1)) == [("extraction_error", "odd.html")]
        assert worker.run(_echo, "next", source="s", nbytes=1).documents[0].text == "next"
    assert "odd.html: extraction failed" in caplog.text and "a bug in an extractor" in caplog.text


@pytest.mark.slow
def test_the_worker_dies_with_its_task_process(tmp_path: Path):
    """A task killed outright (SIGKILL: no cleanup runs) takes its worker with it."""
    marker = tmp_path / "inside"
    script = (
        "import sys; from math_lm.data.watchdog import DocumentWorker; "
        "from tests.math_lm.data.test_watchdog import _block_forever; "
        f"DocumentWorker(max_seconds=3600).run(_block_forever, {str(marker)!r}, source='s', nbytes=0)"
    )
    task = subprocess.Popen([sys.executable, "-c", script], cwd=REPO_ROOT)
    try:
        while not marker.exists() or not marker.read_text():  # wait for the worker to be inside its job
            assert task.poll() is None, "the task ended before its worker started"
            time.sleep(0.05)
        worker_pid = int(marker.read_text())
        task.kill()
        task.wait(timeout=60)
        deadline = time.monotonic() + 60
        while not _gone(worker_pid):  # the kernel delivers the parent-death signal; wait for that event
            assert time.monotonic() < deadline, f"worker {worker_pid} outlived its task"
            time.sleep(0.05)
    finally:
        task.kill()
        task.wait()
