"""`python -m math_lm.eval score`: offline re-scoring, parallel and resumable without double scoring."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from math_lm.eval.scoring import ScoreError, read_scored, score_samples

REPO = Path(__file__).resolve().parents[3]


def write_samples(directory: Path, problems: int, symbolic: bool = False) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "math_maj3.jsonl").open("w") as handle:
        for i in range(problems):
            if symbolic:  # each answer needs SymPy under both backends
                reference = f"(x+{i})^2"
                generations = [f"$\\boxed{{x^2+{2 * i}x+{i * i}}}$", f"\\boxed{{x^2+{i * i}}}", f"\\boxed{{(x+{i})^2}}"]
            else:
                reference = str(1000 * i)
                generations = [f"\\boxed{{{1000 * i}}}", f"\\boxed{{{1000 * i + 1}}}", f"\\boxed{{{1000 * i},\\!000}}"]
            record = {"task": "math", "pass": "maj@3", "doc_id": i, "reference": reference, "generations": generations}
            handle.write(json.dumps(record) + "\n")
    with (directory / "gsm8k_greedy.jsonl").open("w") as handle:
        for i in range(4):
            generation = f"So {i} more. The answer is {1450000 + (i % 2)}."
            record = {"task": "gsm8k", "pass": "greedy", "doc_id": i, "reference": "1450000", "generations": [generation]}
            handle.write(json.dumps(record) + "\n")
    return directory


def doc_ids(path: Path) -> list[int]:
    return [json.loads(line)["doc_id"] for line in path.read_text().splitlines()]


@pytest.mark.slow
def test_scores_both_backends_and_resumes_a_partial_file_without_rescoring(tmp_path):
    samples = write_samples(tmp_path / "samples", problems=12)
    summary = score_samples(samples, workers=2)
    assert summary.accuracy == {"math": {"maj@3": 1.0}, "gsm8k": {"greedy": 0.5}}
    assert summary.accuracy_minerva == summary.accuracy
    scored = samples / "scored" / "math_maj3.scored.jsonl"
    lines = scored.read_text().splitlines()

    # As if interrupted after five problems, in the middle of writing the sixth: the kept
    # problems carry a marker that a re-score would overwrite.
    kept = [json.loads(line) for line in lines[:5]]
    for record in kept:
        record["marker"] = "scored before the interruption"
    scored.write_text("".join(json.dumps(r) + "\n" for r in kept) + lines[5][: len(lines[5]) // 2])
    summary = score_samples(samples, workers=2)
    assert summary.accuracy["math"]["maj@3"] == 1.0
    assert sorted(doc_ids(scored)) == list(range(12))  # each problem once
    records = [json.loads(line) for line in scored.read_text().splitlines()]
    assert [r.get("marker") for r in records[:5]] == ["scored before the interruption"] * 5
    assert all("marker" not in r for r in records[5:])
    report = json.loads((samples / "scored" / "scores.json").read_text())
    assert report["accuracy_minerva"]["gsm8k"]["greedy"] == 0.5 and report["counts"]["math"] == 12


def test_bad_files_are_errors_naming_the_line(tmp_path):
    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "math_greedy.jsonl").write_text(json.dumps({"task": "math", "pass": "greedy", "doc_id": 0}) + "\n")
    with pytest.raises(ScoreError, match=r"math_greedy.jsonl:1: missing field\(s\) reference, generations"):
        score_samples(samples, workers=1)
    scored = tmp_path / "x.scored.jsonl"
    scored.write_text('{"doc_id": 1, "graders": {}}\nnot json\n{"doc_id": 2, "graders": {}}\n')
    with pytest.raises(ScoreError, match=r"x.scored.jsonl:2: not valid JSON"):
        read_scored(scored)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ScoreError, match="no <task>_<pass>.jsonl"):
        score_samples(empty, workers=1)


@pytest.mark.slow
def test_interrupted_command_resumes_without_scoring_anything_twice(tmp_path):
    samples = write_samples(tmp_path / "samples", problems=40, symbolic=True)
    scored = samples / "scored" / "math_maj3.scored.jsonl"
    command = [sys.executable, "-m", "math_lm.eval", "score", "--samples", str(samples), "--workers", "1"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not scored.exists() or len(scored.read_bytes().splitlines()) < 3):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    partial = doc_ids(scored) if scored.read_text().endswith("\n") else doc_ids(scored)[:-1]
    assert 3 <= len(partial) < 40, "the run was not interrupted part way"
    assert process.returncode == 130 and b"run the same command again to resume" in stderr

    completed = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "already scored, resuming" in completed.stderr
    assert sorted(doc_ids(scored)) == list(range(40))
    assert doc_ids(scored)[: len(partial)] == partial
    header = [cell.strip() for cell in completed.stdout.splitlines()[0].strip("|").split("|")]
    assert header == ["Model", "Decoding", "GSM8k", "GSM8k (Minerva)", "MATH", "MATH (Minerva)"]
