"""tools/preprocess_data.py end to end: a .jsonl.zst corpus in, a pair megatron-core reads back out."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import zstandard

from megatron.tokenizer import build_tokenizer
from tests.processes import child_pids, is_running

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOL = REPO_ROOT / "tools" / "preprocess_data.py"
LLAMA_MODEL = str(REPO_ROOT / "data" / "tokenizers" / "llama2.model")


def run_tool(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(TOOL), "--tokenizer-type", "SPMTokenizer", "--vocab-file", LLAMA_MODEL, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)


def write_corpus(path: Path, rows: list) -> Path:
    data = b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in rows)
    path.write_bytes(zstandard.ZstdCompressor().compress(data))
    return path


@pytest.mark.multirank
def test_two_workers_write_what_megatron_core_reads_back(tmp_path):
    from megatron.core.datasets.indexed_dataset import IndexedDataset

    texts = [f"Lemma {i}. If $a \\mid b$ and $b \\mid c$ then $a \\mid c$." * (1 + i % 7) for i in range(400)]
    corpus = write_corpus(tmp_path / "corpus.jsonl.zst", [{"text": t, "question": f"q{i}?"} for i, t in enumerate(texts)])
    result = run_tool("--input", str(corpus), "--output-prefix", str(tmp_path / "out"), "--jsonl-keys", "text",
                      "question", "--append-eod", "--workers", "2", "--log-interval", "100", "--dataset-impl", "mmap")
    assert result.returncode == 0, result.stderr
    assert "read 400 documents" in result.stdout and "skipped: none" in result.stdout
    assert (result.stdout + result.stderr).count("read 400 documents") == 1  # the summary once, not also logged
    assert "INFO processed 400 documents" in result.stderr  # plain log lines when not on a terminal

    tokenizer = build_tokenizer("SPMTokenizer", LLAMA_MODEL)
    for key, key_texts in (("text", texts), ("question", [f"q{i}?" for i in range(400)])):
        dataset = IndexedDataset(str(tmp_path / f"out_{key}_document"))
        assert len(dataset) == 400
        assert list(dataset.document_indices) == list(range(401))
        for doc, text in enumerate(key_texts):
            np.testing.assert_array_equal(dataset[doc], tokenizer.tokenize(text) + [tokenizer.eod])


@pytest.mark.slow
def test_errors_exit_nonzero_with_a_clear_message(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl.zst", [{"text": "fine"}, b'{"text": 3}', {"text": "fine too"}])
    prefix = str(tmp_path / "out")
    result = run_tool("--input", str(corpus), "--output-prefix", prefix, "--workers", "0")
    assert result.returncode == 1
    assert f"error: {corpus}:2: non_string: key 'text' holds a JSON number" in result.stderr
    assert not list(tmp_path.glob("out*"))

    result = run_tool("--input", str(corpus), "--output-prefix", prefix, "--workers", "0", "--skip-bad")
    assert result.returncode == 0, result.stderr
    assert "non_string 1" in result.stdout and "2 documents" in result.stdout
    assert f"skipping {corpus}:2: non_string" in result.stderr

    result = run_tool("--input", str(corpus), "--output-prefix", prefix, "--workers", "0", "--skip-bad")
    assert result.returncode == 1 and "output exists" in result.stderr and "--overwrite" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("signum", ["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_stop_workers_and_remove_temporaries(tmp_path, signum):
    import os
    import signal

    from megatron.fault_injection import FAULT_ENV

    rows = [{"text": f"Theorem {i}. " + "Let $x_k = k^2$ and sum over k. " * 200} for i in range(600)]
    corpus = write_corpus(tmp_path / "big.jsonl.zst", rows)
    command = [sys.executable, str(TOOL), "--tokenizer-type", "SPMTokenizer", "--vocab-file", LLAMA_MODEL,
               "--input", str(corpus), "--output-prefix", str(tmp_path / "out"), "--workers", "2", "--append-eod"]
    # The tool stops itself once its first chunk is written to the staged outputs, and says so: the
    # signal lands at that point, whatever the machine's speed.
    environment = {**os.environ, FAULT_ENV: "hang@preprocess_chunk_written"}
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=environment)
    try:
        for line in process.stdout:
            if line.startswith("fault injection: hang at preprocess_chunk_written"):
                break
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert list(tmp_path.glob("out_text_document.bin.*.tmp")), "the staged output exists while the run is stopped"
        workers = child_pids(process.pid)
        assert len(workers) >= 2
        process.send_signal(getattr(signal, signum))
        _, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 128 + getattr(signal, signum)
    assert "Traceback" not in stderr and f"preprocess_data.py: stopped by {signum}" in stderr
    assert stderr.strip().splitlines()[-1].startswith("preprocess_data.py: stopped by")
    assert not list(tmp_path.glob("out_*")), "no output or temporary file is left"
    assert _all_stopped(workers), "the workers stopped with the tool"


def _all_stopped(pids: list[int], within_s: float = 60.0) -> bool:
    """Whether every process in `pids` is gone (an orphaned worker is reaped a moment after its parent)."""
    import time

    deadline = time.monotonic() + within_s
    while any(is_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(is_running(pid) for pid in pids)


@pytest.mark.slow
def test_temporaries_of_a_killed_run_are_removed_by_the_next(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    for suffix in (".bin", ".idx"):
        (tmp_path / f"out_text_document{suffix}.{dead.pid}.tmp").write_bytes(b"partial")
    (tmp_path / f"out_text_document.bin.{__import__('os').getpid()}.tmp").write_bytes(b"a live writer's")
    corpus = write_corpus(tmp_path / "corpus.jsonl.zst", [{"text": "One document."}])
    result = run_tool("--input", str(corpus), "--output-prefix", str(tmp_path / "out"), "--workers", "0")
    assert result.returncode == 0, result.stderr
    left = sorted(path.name for path in tmp_path.glob("out_*"))
    assert left == ["out_text_document.bin", f"out_text_document.bin.{__import__('os').getpid()}.tmp",
                    "out_text_document.idx"]
    assert "left by a run that was killed" in result.stderr
