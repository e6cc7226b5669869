"""megatron.run_lock: one run per save directory, stale locks taken over."""
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap

import pytest

from megatron.launcher import launch
from megatron.neox_arguments import ConfigError
from megatron.run_lock import LOCK_FILE, STALE_AFTER_S, RunLock, SaveDirectoryBusy
from tests.megatron.training_harness import REPO, TOKENIZER, write_corpus

HOLD = textwrap.dedent("""
    import sys
    from megatron.run_lock import RunLock
    lock = RunLock(sys.argv[1])
    lock.acquire()
    print("held", flush=True)
    sys.stdin.read()
    lock.release()
""")


@pytest.fixture
def holder(tmp_path):
    """A live process holding the lock of tmp_path/ckpt until the test ends."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "ckpt")], cwd=REPO,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "held\n"
    yield process
    if process.poll() is None:
        process.stdin.close()
        process.wait(timeout=30)


def test_a_live_holder_refuses_a_second_run_naming_it(tmp_path, holder):
    with pytest.raises(SaveDirectoryBusy) as busy:
        RunLock(tmp_path / "ckpt").acquire()
    message = str(busy.value)
    assert f"save directory {tmp_path / 'ckpt'} is in use" in message
    assert f"host {socket.gethostname()}, pid {holder.pid}, started 20" in message
    assert json.loads((tmp_path / "ckpt" / LOCK_FILE).read_text())["pid"] == holder.pid


@pytest.mark.slow
def test_deepy_refuses_a_busy_save_directory_before_any_rank_starts(tmp_path, holder):
    corpus = write_corpus(tmp_path, documents=40)
    config = tmp_path / "run.yml"
    config.write_text(f"num_layers: 2\nhidden_size: 64\nnum_attention_heads: 4\ntrain_micro_batch_size_per_gpu: 2\n"
                      f"vocab_file: {TOKENIZER}\ndata_path: [{corpus}]\nsave: {tmp_path / 'ckpt'}\n")
    with pytest.raises(ConfigError, match=rf"run.yml:7: 'save': save directory .*ckpt is in use by another run "
                                          rf"\(host .*, pid {holder.pid}, started"):
        launch("train.py", [config])  # would start the ranks if the lock were free


def test_a_lock_of_a_dead_process_is_taken_over_with_a_warning(tmp_path, capsys):
    dead = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "ckpt")], cwd=REPO,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert dead.stdout.readline() == "held\n"
    dead.send_signal(signal.SIGKILL)
    dead.wait(timeout=30)
    lock = RunLock(tmp_path / "ckpt")
    lock.acquire()
    warning = capsys.readouterr().err
    assert f"took over the lock of save directory {tmp_path / 'ckpt'} from a run that is gone" in warning
    assert f"pid {dead.pid}" in warning and "is not running" in warning
    assert json.loads((tmp_path / "ckpt" / LOCK_FILE).read_text())["pid"] == os.getpid()
    lock.release()
    assert not (tmp_path / "ckpt" / LOCK_FILE).exists()


def _foreign_lock(save, host, pid, process_start=None):
    save.mkdir(parents=True, exist_ok=True)
    (save / LOCK_FILE).write_text(json.dumps({"host": host, "pid": pid, "start_time": 1.0e9, "token": "theirs",
                                              "process_start": process_start}))
    return save / LOCK_FILE


def test_another_hosts_lock_is_busy_while_its_heartbeat_is_fresh_and_taken_over_when_stale(tmp_path, capsys):
    lock_file = _foreign_lock(tmp_path / "ckpt", "node-elsewhere", 4242)
    with pytest.raises(SaveDirectoryBusy, match="host node-elsewhere, pid 4242"):
        RunLock(tmp_path / "ckpt").acquire()
    old = lock_file.stat().st_mtime - STALE_AFTER_S - 60
    os.utime(lock_file, (old, old))
    lock = RunLock(tmp_path / "ckpt")
    lock.acquire()
    assert "its heartbeat is" in capsys.readouterr().err
    lock.release()


def test_a_reused_pid_does_not_keep_a_lock(tmp_path, capsys):
    _foreign_lock(tmp_path / "ckpt", socket.gethostname(), os.getppid(), process_start=1)
    lock = RunLock(tmp_path / "ckpt")
    lock.acquire()
    assert f"pid {os.getppid()} now belongs to another process" in capsys.readouterr().err
    lock.release()


def test_a_second_lock_in_the_same_process_is_refused_and_release_frees_it(tmp_path):
    first = RunLock(tmp_path / "ckpt")
    first.acquire()
    with pytest.raises(SaveDirectoryBusy):
        RunLock(tmp_path / "ckpt").acquire()
    first.release()
    second = RunLock(tmp_path / "ckpt")
    second.acquire()
    second.release()
    assert [p.name for p in (tmp_path / "ckpt").iterdir()] == []
