"""tools/ngram_overlap.py end to end: planted hits in a .jsonl.zst corpus, outputs, throughput, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import zstandard

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / "tools/ngram_overlap.py"

PROBLEMS = [
    ("Level 1", "Find the number of ways to choose three books from a shelf of ten books if order does not matter."),
    ("Level 1", "What is the least common multiple of twelve eighteen and thirty when written as a single integer?"),
    ("Level 3", "Solve for x in the equation two x plus seven equals nineteen and give your answer as an integer."),
]


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, timeout=120, cwd=REPO)


@pytest.mark.slow
def test_tool_reports_hits_per_level_accuracy_and_throughput(tmp_path):
    test = tmp_path / "test.jsonl"
    test.write_text("".join(json.dumps({"problem": p, "solution": f"The answer is {i}.", "level": lvl}) + "\n"
                            for i, (lvl, p) in enumerate(PROBLEMS)))
    documents = ["filler " * 50, f"A forum post quoting: {PROBLEMS[2][1].upper()} Thanks!", "more filler text"]
    corpus = tmp_path / "shard.jsonl.zst"
    corpus.write_bytes(zstandard.ZstdCompressor().compress(
        "".join(json.dumps({"text": d}) + "\n" for d in documents).encode()))
    results = tmp_path / "math_greedy.jsonl"
    results.write_text("".join(json.dumps({"problem": p, "correct": i == 2}) + "\n" for i, (_, p) in enumerate(PROBLEMS)))
    out = tmp_path / "overlap"
    completed = run_tool("--corpus", str(corpus), "--test", str(test), "--fields", "problem,solution", "--n", "10",
                         "--results", str(results), "--output", str(out), "--workers", "2")
    assert completed.returncode == 0, completed.stderr
    assert "MB/s" in completed.stdout and "Level 3" in completed.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["groups"]["overall"]["problem_hits"] == 1
    assert summary["groups"]["Level 3"]["problem_hit_rate"] == 1.0
    assert summary["groups"]["Level 1"]["problem_hit_rate"] == 0.0
    assert summary["groups"]["overall"]["problem_accuracy_hit"] == 1.0
    assert summary["groups"]["overall"]["problem_accuracy_no_hit"] == 0.0
    assert summary["fields_shorter_than_n"] == {"problem": 0, "solution": 3}
    hits = [json.loads(line) for line in (out / "hits.jsonl").read_text().splitlines()]
    assert [h["problem"]["hit"] for h in hits] == [False, False, True]
    assert hits[2]["problem"]["documents"] == [f"{corpus}:2"]
    assert (out / "summary.png").stat().st_size > 1000


@pytest.mark.slow
def test_tool_errors_name_the_field_and_file(tmp_path):
    test = tmp_path / "test.jsonl"
    test.write_text(json.dumps({"question": "q"}) + "\n")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"text": "t"}) + "\n")
    completed = run_tool("--corpus", str(corpus), "--test", str(test), "--output", str(tmp_path / "o"))
    assert completed.returncode == 2 and "no field 'problem'" in completed.stderr
    completed = run_tool("--corpus", str(tmp_path / "nope.jsonl"), "--test", str(test), "--fields", "question",
                         "--output", str(tmp_path / "o"))
    assert completed.returncode == 2 and "nope.jsonl does not exist" in completed.stderr
