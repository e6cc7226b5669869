"""`python -m math_lm.eval` end to end on a tiny random HF Llama (CPU), plus its table and errors."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from math_lm.eval.answers import answers_match, extract_answer
from math_lm.eval.cli import main
from math_lm.eval.harness import EvalError, Summary, format_table, plot_title, resolve_tasks
from math_lm.eval.tasks import utils
from math_lm.eval.tasks.loaders import load_documents
from math_lm.eval.voting import majority_vote
from tests.hf_llama import write_tiny_hf_model

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "data/eval_samples"


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A random 2-layer Llama with the project's Llama-2 tokenizer export, as `convert_neox_to_hf` writes it."""
    return write_tiny_hf_model(tmp_path_factory.mktemp("tiny-llama"), max_positions=2048)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.slow
def test_two_tasks_greedy_and_maj_end_to_end(tiny_model, tmp_path):
    out = tmp_path / "eval"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "PYTHONPATH": str(REPO)}
    completed = subprocess.run(
        [sys.executable, "-m", "math_lm.eval", "--model", str(tiny_model), "--tasks", "gsm8k,sat",
         "--data-dir", str(DATA), "--limit", "2", "--maj", "3", "--batch-size", "2", "--max-gen-toks", "6",
         "--output", str(out)],
        capture_output=True, text=True, timeout=300, cwd=REPO, env=env)
    assert completed.returncode == 0, completed.stderr[-3000:]
    table = completed.stdout.splitlines()
    assert [cell.strip() for cell in table[0].strip("|").split("|")] == [
        "Model", "Decoding", "GSM8k", "GSM8k (Minerva)", "SAT", "SAT (Minerva)"]
    assert [row.split("|")[2].strip() for row in table[2:4]] == ["greedy", "maj@3"]
    assert "Running generate_until requests" in completed.stderr  # the harness's progress bar

    results = json.loads((out / "results.json").read_text())
    assert results["passes"] == ["greedy", "maj@3"] and results["counts"] == {"gsm8k": 2, "sat": 2}
    assert (out / "results.png").stat().st_size > 1000
    for task, style, prompt_of in [("gsm8k", "gsm8k", utils.gsm8k_prompt), ("sat", "multiple_choice", utils.choice_prompt)]:
        docs = load_documents(task, DATA)
        equivalent = functools.partial(answers_match, style)
        for pass_name, samples in [("greedy", 1), ("maj3", 3)]:
            records = read_jsonl(out / f"{task}_{pass_name}.jsonl")
            assert [r["doc_id"] for r in records] == [0, 1]
            for record, doc in zip(records, docs):
                assert record["prompt"] == prompt_of(doc) and record["reference"] == doc["reference"]
                assert len(record["generations"]) == samples
                assert record["extracted"] == [extract_answer(style, g) for g in record["generations"]]
                assert record["vote"] == majority_vote(record["extracted"], equiv=equivalent)[0]
                assert record["correct"] == answers_match(style, record["vote"], record["reference"])
                assert record["correct_minerva"] == answers_match(style, record["vote_minerva"], record["reference"],
                                                                  backend="minerva")
            accuracy = sum(r["correct"] for r in records) / len(records)
            pass_key = "greedy" if samples == 1 else "maj@3"
            assert results["accuracy"][task][pass_key] == accuracy
            assert results["lm_eval_results"][pass_key][f"llemma_{task}"]["acc,vote"] == accuracy
            minerva = sum(r["correct_minerva"] for r in records) / len(records)
            assert results["accuracy_minerva"][task][pass_key] == minerva
            assert results["lm_eval_results"][pass_key][f"llemma_{task}"]["acc_minerva,vote"] == minerva
    sampled = [g for r in read_jsonl(out / "gsm8k_maj3.jsonl") for g in r["generations"]]
    assert len(set(sampled)) > 1  # temperature 0.6 sampling, not three copies of the greedy answer


def test_table_has_the_paper_layout():
    summary = Summary(model="/ckpt/llemma-7b-hf", passes=["greedy", "maj@16"], tasks=["gsm8k", "math"],
                      accuracy={"gsm8k": {"greedy": 0.364, "maj@16": 0.54}, "math": {"greedy": 0.18, "maj@16": 0.293}},
                      counts={"gsm8k": 1319, "math": 5000})
    lines = format_table(summary).splitlines()
    assert [c.strip() for c in lines[0].strip("|").split("|")] == ["Model", "Decoding", "GSM8k", "MATH"]
    assert [c.strip() for c in lines[2].strip("|").split("|")] == ["llemma-7b-hf", "greedy", "36.4%", "18.0%"]
    assert [c.strip() for c in lines[3].strip("|").split("|")] == ["llemma-7b-hf", "maj@16", "54.0%", "29.3%"]
    assert [c.strip() for c in lines[4].strip("|").split("|")] == ["problems", "", "1319", "5000"]
    both = Summary(model="llemma-7b-hf", passes=["greedy"], tasks=["math"], accuracy={"math": {"greedy": 0.18}},
                   accuracy_minerva={"math": {"greedy": 0.175}}, counts={"math": 5000})
    lines = format_table(both).splitlines()
    assert [c.strip() for c in lines[0].strip("|").split("|")] == ["Model", "Decoding", "MATH", "MATH (Minerva)"]
    assert [c.strip() for c in lines[2].strip("|").split("|")] == ["llemma-7b-hf", "greedy", "18.0%", "17.5%"]


def test_task_names_and_bad_flags(tiny_model, tmp_path, capsys):
    assert resolve_tasks(["math", "llemma_gsm8k", "sat"]) == ["gsm8k", "sat", "math"]
    assert len(resolve_tasks(["all"])) == 7
    with pytest.raises(EvalError, match="unknown task 'mathh'"):
        resolve_tasks(["mathh"])
    assert main(["--model", str(tiny_model), "--tasks", "gsm8k,nope", "--output", str(tmp_path)]) == 2
    assert "unknown task 'nope'" in capsys.readouterr().err
    assert main(["--model", str(tmp_path / "missing"), "--tasks", "gsm8k", "--output", str(tmp_path)]) == 2
    assert "not a directory" in capsys.readouterr().err
    assert main(["--model", str(tiny_model), "--tasks", "gsm8k", "--maj", "0", "--output", str(tmp_path)]) == 2
    assert "--maj must be at least 1" in capsys.readouterr().err


def test_the_plot_is_titled_with_the_model_and_the_tasks():
    summary = Summary(model="/models/llemma-7b-hf/", passes=["greedy"], tasks=["math", "gsm8k"])
    assert plot_title(summary) == "llemma-7b-hf: MATH, GSM8k"
    assert plot_title(Summary(model="EleutherAI/llemma_7b", passes=["greedy"], tasks=["ocw"])) == "llemma_7b: OCW"
