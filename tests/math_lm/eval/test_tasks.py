"""The LLEMMA lm-eval tasks: loaders in the datasets' layouts, prompt builders, filters and grading.

"Grading is right": the datasets' own reference solutions, passed through each task's filter and
metric as if a model had written them, all score as correct (and score as wrong against another
problem's reference).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from math_lm.eval.answers import extract_boxed, extract_choice, extract_final_answer, extract_gsm8k_answer, is_equiv
from math_lm.eval.sandbox import isolation
from math_lm.eval.tasks import TASKS_DIR, prompts, utils
from math_lm.eval.tasks.loaders import DataError, load_documents, read_math, read_mmlu_stem

DATA = Path(__file__).resolve().parents[3] / "data/eval_samples"
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")


def grade(filter_fn, docs, generations):
    """Run a task's filter over one list of generations per doc, then its metric; accuracy per doc."""
    records = filter_fn([list(g) for g in generations], docs)
    return records, [utils.process_results(doc, [record])["acc"] for doc, record in zip(docs, records)]


# --- loaders ----------------------------------------------------------------------------------


def test_math_layouts_agree_and_references_are_the_boxed_answers(tmp_path):
    docs = load_documents("math", DATA)
    assert len(docs) == 6
    assert [d["reference"] for d in docs][:3] == ["7", "(3,8)", "(2, 5)"]  # algebra 1, 2, 10: numeric file order
    assert {d["level"] for d in docs} >= {"Level 1", "Level 5"} and docs[0]["subject"] == "Algebra"
    jsonl = tmp_path / "test.jsonl"
    jsonl.write_text("".join(json.dumps({k: d[k] for k in ("problem", "level", "type", "solution")}) + "\n" for d in docs))
    assert [d["reference"] for d in read_math(tmp_path)] == [d["reference"] for d in docs]


def test_mmlu_csv_and_hub_jsonl_layouts_agree_and_keep_only_stem(tmp_path):
    docs = load_documents("mmlu_stem", DATA)
    assert [d["subject"] for d in docs] == ["abstract_algebra", "abstract_algebra", "college_physics", "high_school_biology"]
    assert [d["reference"] for d in docs] == ["B", "C", "C", "D"]
    assert docs[0]["question"].endswith("(A) 6, (B) 12, (C) 24, (D) 1")
    rows = [{"question": d["problem"], "subject": d["subject"], "choices": d["choices"], "answer": "ABCD".index(d["reference"])}
            for d in docs] + [{"question": "q", "subject": "world_religions", "choices": ["a", "b", "c", "d"], "answer": 0}]
    (tmp_path / "test.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert [d["question"] for d in read_mmlu_stem(tmp_path)] == [d["question"] for d in docs]


def test_loader_errors_name_file_and_field(tmp_path):
    with pytest.raises(DataError, match="has no gsm8k/ folder"):
        load_documents("gsm8k", tmp_path)
    (tmp_path / "gsm8k").mkdir()
    (tmp_path / "gsm8k/test.jsonl").write_text(json.dumps({"question": "q", "answer": "no marker"}) + "\n")
    with pytest.raises(DataError, match=r"test.jsonl:1: GSM8k answer field has no '####'"):
        load_documents("gsm8k", tmp_path)
    (tmp_path / "sat").mkdir()
    (tmp_path / "sat/train.jsonl").write_text(json.dumps({"Question": "q", "Answer": "B"}) + "\n")
    with pytest.raises(DataError, match="no options field: expected one of Possible Answers, options, choices; "
                                        "fields found: Question, Answer"):
        load_documents("sat", tmp_path)
    with pytest.raises(DataError, match="ocw: could not read the hub copy .*LLEMMA_EVAL_DATA_DIR=DIR"):
        load_documents("ocw", None)  # offline (HF_DATASETS_OFFLINE=1)


# --- prompts ----------------------------------------------------------------------------------


def test_prompt_builders_lay_out_shots_then_the_open_problem():
    math_doc, gsm_doc, sat_doc = (load_documents(b, DATA)[0] for b in ("math", "gsm8k", "sat"))
    prompt = utils.math_prompt(math_doc)
    assert prompt.startswith("Problem:\nFind the domain of the expression  $\\frac{\\sqrt{x-2}}{\\sqrt{5-x}}$.\n\nSolution:\n")
    assert prompt.endswith(f"\n\nProblem:\n{math_doc['problem']}\n\nSolution:")
    assert prompt.count("Problem:") == 5 and prompt.count("I hope it is correct.") == 4
    prompt = utils.gsm8k_prompt(gsm_doc)
    assert prompt.count("Q: ") == 9 and prompt.count("The answer is") == 8
    assert prompt.endswith(f"8.\n\nQ: {gsm_doc['question']}\nA:")
    prompt = utils.choice_prompt(sat_doc)
    assert prompt.endswith("Problem:\nIf $3x + 5 = 20$, what is the value of $x$?\nWhat of the following is the right "
                           "choice? Explain your answer.\n(A) 3; (B) 5; (C) 15; (D) 25\nSolution:")
    assert utils.ocw_prompt(math_doc).count("Final Answer: The final answer is") == 4
    program_prompt = utils.gsm8k_program_prompt(gsm_doc)
    assert program_prompt.count("def solution():") == 8 and program_prompt.endswith("Solution:")
    assert utils.math_program_prompt(math_doc).count("```python") == 4


def test_exemplars_are_self_consistent():
    """Each exemplar's stated answer is what the graders extract from it."""
    for example in prompts.MINERVA_MATH_EXAMPLES + prompts.OCW_EXAMPLES:
        assert is_equiv(extract_final_answer(example.answer), extract_boxed(example.answer))
    cot_answers = [extract_gsm8k_answer(e.answer, fallback_to_last_number=False) for e in prompts.GSM8K_COT_EXAMPLES]
    assert cot_answers == ["6", "5", "39", "8", "9", "29", "33", "8"]
    for example in prompts.MULTIPLE_CHOICE_EXAMPLES:
        letter = extract_choice(example.answer)
        options = example.question.rsplit("\n", 1)[1]
        chosen = options.split(f"({letter}) ", 1)[1].split(", (", 1)[0]
        assert is_equiv(chosen, extract_boxed(example.answer)), (letter, chosen)


# --- grading is right -------------------------------------------------------------------------


def minerva_sentence(answer: str) -> str:
    return f"Some reasoning.\nFinal Answer: The final answer is ${answer}$. I hope it is correct."


@pytest.mark.parametrize("benchmark, as_generation", [
    ("math", lambda d: d["solution"]),  # the dataset's own solution: the boxed answer is extracted
    ("gsm8k", lambda d: d["answer"]),  # the dataset's own solution ending "#### N"
    ("ocw", lambda d: d["solution"]),  # the worked solution: its final boxed answer is extracted
    ("mmlu_stem", lambda d: f"Thinking.\nFinal Answer: The final answer is ({d['reference']}). I hope it is correct."),
    ("sat", lambda d: f"So the answer is ({d['reference']})."),
])
def test_reference_solutions_grade_as_correct_and_others_as_wrong(benchmark, as_generation):
    docs = load_documents(benchmark, DATA)
    references = [as_generation(d) for d in docs]
    records, accuracy = grade(utils.extract_and_vote, docs, [[r] for r in references])
    assert accuracy == [1.0] * len(docs), [r["vote"] for r in records]
    shifted = references[1:] + references[:1]  # each problem answered with the next one's solution
    _, accuracy = grade(utils.extract_and_vote, docs, [[r] for r in shifted])
    assert sum(accuracy) < len(docs)


def test_math_reference_answers_in_other_forms_grade_as_correct():
    docs = load_documents("math", DATA)
    other_forms = {"7": "7.0", "(3,8)": "(3, 8)", "(2, 5)": "(2,5)", "\\dfrac{1}{6}": "\\frac16",
                   "2\\sqrt{2}": "\\sqrt{8}"}
    for doc in docs:
        if doc["reference"] in other_forms:
            _, accuracy = grade(utils.extract_and_vote, [doc], [[minerva_sentence(other_forms[doc["reference"]])]])
            assert accuracy == [1.0], doc["reference"]
    matrix = next(d for d in docs if "pmatrix" in d["reference"])
    _, accuracy = grade(utils.extract_and_vote, [matrix], [[minerva_sentence("\\begin{pmatrix}1&4\\\\0&1\\end{pmatrix}")]])
    assert accuracy == [1.0]


def test_majority_vote_groups_equivalent_answers():
    doc = load_documents("math", DATA)[3]  # reference \dfrac{1}{6}
    generations = [minerva_sentence("\\frac{1}{6}"), minerva_sentence("1/5"), minerva_sentence("\\frac{2}{12}"),
                   "no answer here", minerva_sentence("1/5")]
    records, accuracy = grade(utils.extract_and_vote, [doc], [generations])
    assert records[0]["answers"][3] is None
    assert records[0]["votes"] == {"$\\frac{1}{6}$": 2, "$1/5$": 2} and records[0]["vote"] == "$\\frac{1}{6}$"
    assert accuracy == [1.0]
    _, accuracy = grade(utils.extract_and_vote, [doc], [generations[1:]])
    assert accuracy == [0.0]


@pytest.mark.skipif(isolation.bubblewrap() is None,
                    reason="the sandbox needs bubblewrap that can isolate here (apt-get install bubblewrap)")
@pytest.mark.slow
def test_program_tasks_run_the_exemplar_programs_to_their_answers():
    """The program exemplars, run in the sandbox, give the answers of the CoT exemplars."""
    gsm_docs = [{"answer_style": "gsm8k", "reference": r} for r in ["6", "5", "39", "8", "9", "29", "33", "8"]]
    math_docs = [{"answer_style": "math", "reference": extract_boxed(e.answer)} for e in prompts.MINERVA_MATH_EXAMPLES]
    docs = gsm_docs + math_docs
    programs = [e.answer for e in prompts.GSM8K_PROGRAM_EXAMPLES + prompts.MATH_PROGRAM_EXAMPLES]
    records, accuracy = grade(lambda r, d: utils.run_and_vote(r, d, workers=4), docs, [[p] for p in programs])
    assert accuracy == [1.0] * len(docs), [(r["answers"], r["statuses"]) for r in records]
    broken = ["```python\ndef solution():\n    return 1 / 0\n```", "```python\nwhile True:\n    pass\n```",
              "```python\nprint(6)\n```"]
    runner = lambda text: utils.run_generated_program(text, timeout_s=2.0)  # noqa: E731
    records, accuracy = grade(lambda r, d: utils.run_and_vote(r, d, runner=runner), gsm_docs[:1], [broken])
    assert records[0]["statuses"] == ["error", "timeout", "ok"] and records[0]["answers"] == [None, None, "6"]
    assert accuracy == [1.0]


# --- the YAML definitions through lm-eval ------------------------------------------------------


def test_all_tasks_load_through_the_harness_with_local_data():
    from lm_eval.tasks import TaskManager

    manager = TaskManager(include_path=str(TASKS_DIR), include_defaults=False, metadata={"data_dir": str(DATA)})
    names = ["llemma_math", "llemma_gsm8k", "llemma_ocw", "llemma_mmlu_stem", "llemma_sat", "llemma_math_python",
             "llemma_gsm8k_python"]
    assert set(names) <= set(manager.all_tasks)
    tasks = manager.load(names)["tasks"]
    expected = {"llemma_math": 6, "llemma_gsm8k": 4, "llemma_ocw": 3, "llemma_mmlu_stem": 4, "llemma_sat": 2,
                "llemma_math_python": 6, "llemma_gsm8k_python": 4}
    for name, task in tasks.items():
        docs = list(task.test_docs())
        assert len(docs) == expected[name]
        assert task.doc_to_target(docs[0]) == docs[0]["reference"]
        assert task.config.num_fewshot == 0 and task.config.output_type == "generate_until"
    assert tasks["llemma_gsm8k"].doc_to_text(list(tasks["llemma_gsm8k"].test_docs())[0]).endswith("A:")
    assert tasks["llemma_math_python"].config.unsafe_code and not tasks["llemma_math"].config.unsafe_code
