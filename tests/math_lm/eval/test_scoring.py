"""`python -m math_lm.eval score`: offline re-scoring, parallel and resumable without double scoring."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from math_lm.eval import scoring
from math_lm.eval.scoring import ScoreError, read_scored, reference_text, score_samples

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


# Runs `python -m math_lm.eval score` with scoring wrapped so that, before the MATH problem after
# the first BLOCK_AFTER (gsm8k_greedy.jsonl is scored first, in full), it says so on stdout and
# waits for a signal: the test interrupts there, a point fixed by the count of problems, not by
# how fast this machine scores them.
BLOCK_AFTER = 7
BLOCKING_SCORE = f"""
import signal, sys
import math_lm.eval.scoring as scoring
from math_lm.eval.cli import main

score_record, done = scoring.score_record, []

def blocking_score_record(record):
    if record["task"] == "math":
        if len(done) == {BLOCK_AFTER} and "--block" in sys.argv:
            print("blocked", flush=True)
            signal.pause()
        done.append(record["doc_id"])
    return score_record(record)

scoring.score_record = blocking_score_record
sys.exit(main([arg for arg in sys.argv[1:] if arg != "--block"]))
"""


@pytest.mark.slow
def test_interrupted_command_resumes_without_scoring_anything_twice(tmp_path):
    samples = write_samples(tmp_path / "samples", problems=40, symbolic=True)
    scored = samples / "scored" / "math_maj3.scored.jsonl"
    command = [sys.executable, "-c", BLOCKING_SCORE, "score", "--samples", str(samples), "--workers", "1"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([*command, "--block"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout.readline() == b"blocked\n"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130 and b"run the same command again to resume" in stderr
    partial = doc_ids(scored)
    assert partial == list(range(BLOCK_AFTER))

    completed = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert f"{BLOCK_AFTER} of 40 problems already scored, resuming" in completed.stderr
    assert "rescoring" not in completed.stderr
    assert sorted(doc_ids(scored)) == list(range(40))
    assert doc_ids(scored)[:BLOCK_AFTER] == partial
    header = [cell.strip() for cell in completed.stdout.splitlines()[0].strip("|").split("|")]
    assert header == ["Model", "Decoding", "GSM8k", "GSM8k (Minerva)", "MATH", "MATH (Minerva)"]


def rewrite_math_samples(directory: Path, change) -> None:
    path = directory / "math_maj3.jsonl"
    records = [json.loads(line) for line in path.read_text().splitlines()]
    path.write_text("".join(json.dumps(change(record)) + "\n" for record in records))


@pytest.mark.slow
def test_regenerated_samples_are_rescored_not_resumed(tmp_path, caplog):
    samples = write_samples(tmp_path / "samples", problems=6)
    assert score_samples(samples, workers=1).accuracy["math"]["maj@3"] == 1.0

    def all_wrong(record):  # a new generation run into the same folder
        if record["doc_id"] % 2 == 0:
            record["generations"] = ["\\boxed{7}"] * 3
        return record

    rewrite_math_samples(samples, all_wrong)
    with caplog.at_level(logging.INFO, logger="math_lm.eval.scoring"):
        summary = score_samples(samples, workers=1)
    assert summary.accuracy["math"]["maj@3"] == 0.5
    assert "math_maj3.jsonl: 3 scored problem(s) have changed samples, reference or grader since" in caplog.text
    assert sorted(doc_ids(samples / "scored" / "math_maj3.scored.jsonl")) == list(range(6))

    rewrite_math_samples(samples, lambda record: {**record, "reference": "7"})  # the reference changes
    assert score_samples(samples, workers=1).accuracy["math"]["maj@3"] == 0.5  # even ids now right, odd wrong


@pytest.mark.slow
def test_a_changed_grader_configuration_rescores(tmp_path, monkeypatch, caplog):
    samples = write_samples(tmp_path / "samples", problems=2)
    score_samples(samples, workers=1)
    monkeypatch.setitem(scoring.GRADER_CONFIG, "rules_version", -1)
    with caplog.at_level(logging.INFO, logger="math_lm.eval.scoring"):
        score_samples(samples, workers=1)
    assert "math_maj3.jsonl: 2 scored problem(s) have changed" in caplog.text
    assert "gsm8k_greedy.jsonl: 4 scored problem(s) have changed" in caplog.text


@pytest.mark.parametrize("reference,text", [
    (42, "42"), (-7, "-7"), (0, "0"), (2.5, "2.5"), (1e-05, "0.00001"), (1e20, "100000000000000000000"),
    (0.1, "0.1"), (3.0, "3"), (12345678901234567890, "12345678901234567890"), ("\\frac{1}{2}", "\\frac{1}{2}"),
])
def test_numeric_references_are_their_decimal_text(reference, text):
    assert reference_text(reference, "f:1") == text


@pytest.mark.parametrize("reference", [None, True, [42], {"value": 42}, float("nan"), float("inf")])
def test_null_or_non_scalar_reference_is_refused_naming_the_line(tmp_path, reference):
    samples = tmp_path / "samples"
    samples.mkdir()
    good = {"task": "gsm8k", "pass": "greedy", "doc_id": 0, "reference": "1", "generations": ["The answer is 1."]}
    bad = {**good, "doc_id": 1, "reference": reference}
    (samples / "gsm8k_greedy.jsonl").write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(ScoreError, match=r"gsm8k_greedy.jsonl:2: 'reference' must be a"):
        score_samples(samples, workers=1)
    assert not (samples / "scored" / "scores.json").exists()


@pytest.mark.slow
def test_a_number_reference_is_graded_and_reasons_are_counted(tmp_path):
    samples = tmp_path / "samples"
    samples.mkdir()
    rows = [(42, "So 40 plus 2. The answer is 42."), (0.5, "Half. The answer is 0.50."), (3, "I don't know.")]
    with (samples / "gsm8k_greedy.jsonl").open("w") as handle:
        for doc_id, (reference, generation) in enumerate(rows):
            handle.write(json.dumps({"task": "gsm8k", "pass": "greedy", "doc_id": doc_id, "reference": reference,
                                     "generations": [generation]}) + "\n")
    (samples / "math_greedy.jsonl").write_text(json.dumps(
        {"task": "math", "pass": "greedy", "doc_id": 0, "reference": "\\{1, 2\\}",
         "generations": ["I give up."]}) + "\n")
    summary = score_samples(samples, workers=1)
    assert summary.accuracy["gsm8k"]["greedy"] == pytest.approx(2 / 3)
    records = [json.loads(line) for line in (samples / "scored" / "gsm8k_greedy.scored.jsonl").read_text().splitlines()]
    assert [r["reference"] for r in records] == ["42", "0.5", "3"]
    assert [r["graders"]["math_verify"]["reason"] for r in records] == ["exact", "numeric", "no_answer"]
    assert [r["extracted"] for r in records] == [["42"], ["0.50"], [None]]
    report = json.loads((samples / "scored" / "scores.json").read_text())
    assert report["reasons"]["math"]["greedy"]["math_verify"] == {"no_answer": {"correct": 0, "wrong": 1}}
    assert report["reasons"]["gsm8k"]["greedy"]["minerva"]["exact"] == {"correct": 1, "wrong": 0}
    assert all(len(r["input_hash"]) == 64 for r in records)
