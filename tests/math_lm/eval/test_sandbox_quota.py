"""The sandbox's disk quota: a program that fills its disk is stopped with status "disk quota",
in bytes and in files, alone and several at once, under bubblewrap and with weak isolation, and
leaves nothing in the host's temporary directory."""

import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from math_lm.eval.sandbox import (
    DEFAULT_DISK_QUOTA_FILES,
    DEFAULT_DISK_QUOTA_MB,
    Mounts,
    isolation,
    run_command,
    run_program,
)
from math_lm.eval.tasks import TASKS_DIR, utils

needs_bubblewrap = pytest.mark.skipif(isolation.bubblewrap() is None,
                                      reason="bubblewrap cannot isolate here (apt-get install bubblewrap)")

DISK_FILLER = "i = 0\nwhile True:\n    with open(f'part{i}', 'wb') as out:\n        out.write(b'x' * (16 << 20))\n    i += 1\n"
FILE_FILLER = "import os\nos.mkdir('many')\nfor i in range(100_000):\n    open(f'many/{i}', 'w').close()\n"
LIMITS = {"timeout_s": 10.0, "memory_mb": 512}


@pytest.fixture
def host_tmp(monkeypatch):
    """The host's temporary directory for this test alone, so that what is left in it is ours (in
    the real one: with weak isolation, `nobody` must be able to reach it)."""
    directory = Path(tempfile.mkdtemp(prefix="llemma-quota-test-"))
    directory.chmod(0o711)
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    yield directory
    shutil.rmtree(directory)


def _assert_empty(directory) -> None:
    assert list(directory.iterdir()) == []


@needs_bubblewrap
def test_disk_filler_is_stopped_at_its_quota_and_leaves_nothing(host_tmp):
    result = run_program(DISK_FILLER, **LIMITS)
    assert result.status == "disk quota" and result.answer is None, result
    assert f"{DEFAULT_DISK_QUOTA_MB} MB" in result.error and "No space left on device" in result.error
    _assert_empty(host_tmp)
    size = "import os\nstats = os.statvfs('.')\nprint(stats.f_blocks * stats.f_frsize >> 20, stats.f_files)\n"
    assert run_program(size, **LIMITS).answer == f"{DEFAULT_DISK_QUOTA_MB} {DEFAULT_DISK_QUOTA_FILES}"  # the quota tmpfs


@needs_bubblewrap
def test_file_count_is_bounded_too(host_tmp):
    result = run_program(FILE_FILLER, **LIMITS)
    assert result.status == "disk quota", result
    assert run_program(FILE_FILLER.replace("100_000", "100"), **LIMITS).ok
    _assert_empty(host_tmp)


@needs_bubblewrap
def test_quota_keyword_and_other_errors_stay_errors(host_tmp):
    forty_mb = "for i in range(5):\n    open(f'part{i}', 'wb').write(b'x' * (8 << 20))\nprint('wrote')\n"
    assert run_program(forty_mb, **LIMITS).status == "disk quota"
    assert run_program(forty_mb, disk_quota_mb=64, **LIMITS).answer == "wrote"
    assert run_program("open('big', 'wb').write(b'x' * (20 << 20))\n", disk_quota_mb=64, **LIMITS).status == "disk quota"
    assert run_program("open('/nonexistent/file', 'w')\n", **LIMITS).status == "error"  # not a quota error
    caught = "try:\n" + "".join(f"    {line}\n" for line in DISK_FILLER.splitlines()) + "except OSError:\n    print(7)\n"
    assert run_program(caught, **LIMITS).answer == "7"  # a program that handles the full disk goes on
    with pytest.raises(ValueError, match="disk_quota_mb"):
        run_program("print(1)", disk_quota_mb=0)
    _assert_empty(host_tmp)


@needs_bubblewrap
def test_several_workers_at_once_each_get_their_own_quota(host_tmp):
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda code: run_program(code, **LIMITS), [DISK_FILLER] * 3 + [FILE_FILLER]))
    assert [r.status for r in results] == ["disk quota"] * 4, [r.error for r in results]
    _assert_empty(host_tmp)


@needs_bubblewrap
def test_commands_get_the_quota_and_their_input_files(host_tmp):
    script = ("print(open('input.txt').read())\n"
              "try:\n    open('out', 'wb').write(b'x' * (2 << 20))\nexcept OSError as error:\n    print(error.strerror)\n")
    result = run_command([sys.executable, "-I", "-c", script], mounts=Mounts(), files={"input.txt": "given"},
                         disk_quota_mb=1, timeout_s=10)
    assert result.sandbox_error is None, result.sandbox_error
    assert result.stdout.split("\n")[:2] == ["given", "No space left on device"]
    _assert_empty(host_tmp)


def test_weak_isolation_is_bounded_by_a_watchdog(host_tmp, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no bwrap on the PATH
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda code: run_program(code, allow_weak_isolation=True, **LIMITS),
                                [DISK_FILLER, DISK_FILLER, FILE_FILLER]))
    assert [r.status for r in results] == ["disk quota"] * 3, [r.error for r in results]
    assert run_program("open('note', 'w').write('x')\nprint(3)\n", allow_weak_isolation=True, **LIMITS).answer == "3"
    _assert_empty(host_tmp)


@needs_bubblewrap
@pytest.mark.slow
def test_tool_use_tasks_take_their_quota_from_the_yaml_and_run_workers_at_once(host_tmp):
    from lm_eval.tasks import TaskManager

    data = TASKS_DIR.parents[2] / "data/eval_samples"
    manager = TaskManager(include_path=str(TASKS_DIR), include_defaults=False, metadata={"data_dir": str(data)})
    tasks = manager.load(["llemma_math_python", "llemma_gsm8k_python"])["tasks"]
    for task in tasks.values():
        (make_filter,) = task._filters[0].filters
        assert make_filter.keywords["disk_quota_mb"] == 32 and make_filter.keywords["disk_quota_files"] == 256
        program_filter = make_filter(workers=3)
        docs = list(task.test_docs())[:2]
        fillers = [f"```python\n{DISK_FILLER}```", f"```python\n{FILE_FILLER}```", "```python\nprint(6)\n```"]
        records = program_filter.apply([fillers, fillers[:2]], docs)
        assert [r["statuses"] for r in records] == [["disk quota", "disk quota", "ok"], ["disk quota", "disk quota"]]
    _assert_empty(host_tmp)
