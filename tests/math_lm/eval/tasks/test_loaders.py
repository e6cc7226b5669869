"""The benchmarks as their public copies are distributed: field aliases, folder names, OCW's boxed
references, and errors that name what was found and what was expected."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from math_lm.eval.tasks.loaders import DATA_DIR_ENVIRONMENT, DataError, load_documents

REPO = Path(__file__).resolve().parents[4]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def test_ocw_reference_is_the_final_boxed_answer_of_the_solution(tmp_path):
    solution = ("The rate is $k = \\frac{\\ln 2}{t_{1/2}} = \\boxed{0.0231} \\mathrm{~s^{-1}}$, so after one "
                "half-life the fraction left is $\\boxed{0.5}$.")
    write_jsonl(tmp_path / "ocw/test.jsonl", [{"problem": "Subproblem 0: ...", "solution": solution}])
    (doc,) = load_documents("ocw", tmp_path)
    assert doc["reference"] == "0.5" and doc["question"] == "Subproblem 0: ..."
    write_jsonl(tmp_path / "ocw/test.jsonl", [{"problem": "p", "solution": "The answer is 4 m/s."}])
    with pytest.raises(DataError, match=r"ocw/test.jsonl:1: OCWCourses solution has no \\boxed"):
        load_documents("ocw", tmp_path)


def test_sat_rows_with_lower_case_fields_and_option_lists(tmp_path):
    rows = [{"id": 7, "question": "If $2x = 6$, what is $x$?", "options": ["A) 2", "B) 3", "C) 6", "D) 12"],
             "Answer": "B"},
            {"id": 8, "question": "What is $1+1$?", "options": ["1", "2", "3", "4"], "Answer": "(B)"}]
    write_jsonl(tmp_path / "SAT/test.jsonl", rows)
    docs = load_documents("sat", tmp_path)
    assert [d["reference"] for d in docs] == ["B", "B"]
    assert docs[0]["question"].endswith("(A) 2, (B) 3, (C) 6, (D) 12")
    assert docs[1]["question"].endswith("(A) 1, (B) 2, (C) 3, (D) 4") and docs[0]["problem"] == rows[0]["question"]


def test_mmlu_stem_jsonl_without_subject_is_taken_whole(tmp_path):
    rows = [{"question": "2+2?", "choices": ["1", "2", "3", "4"], "answer": 3},
            {"question": "3+3?", "choices": ["6", "2", "3", "4"], "answer": "A"}]
    write_jsonl(tmp_path / "mmlu/test.jsonl", rows)
    assert [d["reference"] for d in load_documents("mmlu_stem", tmp_path)] == ["D", "A"]


def test_folder_names_match_in_any_case_and_by_alias(tmp_path):
    math_row = {"problem": "What is $1+1$?", "solution": "It is $\\boxed{2}$.", "level": "Level 1", "type": "Algebra"}
    write_jsonl(tmp_path / "math/test.jsonl", [math_row])
    assert load_documents("math", tmp_path)[0]["reference"] == "2"
    write_jsonl(tmp_path / "GSM8K/test.jsonl", [{"question": "q", "answer": "so\n#### 1,200"}])
    assert load_documents("gsm8k", tmp_path)[0]["reference"] == "1200"
    write_jsonl(tmp_path / "OCWCourses/test.jsonl", [{"problem": "p", "solution": "$\\boxed{3}$"}])
    assert load_documents("ocw", tmp_path)[0]["reference"] == "3"
    write_jsonl(tmp_path / "Math/test.jsonl", [math_row])
    with pytest.raises(DataError, match="several folders for MATH: Math, math"):
        load_documents("math", tmp_path)


def test_unknown_layout_lists_fields_found_and_expected(tmp_path):
    write_jsonl(tmp_path / "MATH/test.jsonl", [{"prompt": "What is 1+1?", "response": "2"}])
    with pytest.raises(DataError, match=r"MATH/test.jsonl:1: no problem field: expected one of problem, question, "
                                        r"Problem; fields found: prompt, response"):
        load_documents("math", tmp_path)


def test_offline_hub_error_names_the_option_and_the_environment_variable():
    code = ("from math_lm.eval.tasks.loaders import load_documents, DataError\n"
            "try:\n    load_documents('gsm8k')\nexcept DataError as error:\n    print(error)\n")
    env = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "PYTHONPATH": str(REPO), "HOME": "/nonexistent",
           "HF_HOME": "/nonexistent/hf", "PATH": "/usr/bin:/bin"}
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    message = completed.stdout
    assert "could not read the hub copy" in message, completed.stdout + completed.stderr[-2000:]
    assert "--metadata '{\"data_dir\": \"DIR\"}'" in message and f"{DATA_DIR_ENVIRONMENT}=DIR" in message
    assert "--data-dir DIR" in message
