"""The lm-evaluation-harness hooks of the LLEMMA tasks (the YAML files here name them with `!function`).

A task is: a dataset loader (`custom_dataset`), a prompt builder (`doc_to_text`: a fixed few-shot
prefix, then the problem), a filter that turns each document's generations into a graded-ready
record, and `process_results`, which scores that record against the reference answer:

    generations --filter--> {"answers": [one per generation], "vote": majority answer, "votes": counts}
                --process_results--> {"acc": 1.0 if the vote matches the reference, "acc_minerva": ...}

With one generation per problem (greedy decoding) the vote is that generation's answer; with k
sampled generations (the harness's `repeats: k`) it is maj@k. Answers are extracted and compared
by `math_lm.eval.answers`, under both grading backends (`acc`: math-verify, `acc_minerva`: the
paper's Minerva/SymPy metric); votes are grouped by equivalence (`math_lm.eval.voting`); the program
tasks run each generated program in `math_lm.eval.sandbox` and take its result as the answer.

lm-eval imports this file by its path, so `math_lm` must be installed (`pip install -e .`) for the
`lm_eval` console script to use these tasks.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, NamedTuple, Sequence

if importlib.util.find_spec("math_lm") is None:  # pragma: no cover - depends on how lm_eval was started
    raise ImportError(f"{__file__}: the math_lm package is not installed; run `pip install -e .` in the repository "
                      "before `lm_eval --include_path math_lm/eval/tasks`")

from lm_eval.api.filter import Filter
from tqdm import tqdm

from math_lm.eval.answers import BACKENDS, DEFAULT_BACKEND, answers_match, extract_answer, start_workers
from math_lm.eval.sandbox import DEFAULT_DISK_QUOTA_FILES, DEFAULT_DISK_QUOTA_MB, extract_program, run_program
from math_lm.eval.tasks import prompts
from math_lm.eval.tasks.loaders import DATA_DIR_ENVIRONMENT, Document, load_documents
from math_lm.eval.voting import votes_by_backend

PROGRAM_TIMEOUT_S = 10.0
"""Wall-clock limit of one generated program."""
PROGRAM_MEMORY_MB = 1024
"""Address-space limit of one generated program."""


# ---------------------------------------------------------------------------------------------
# Prompts
# ---------------------------------------------------------------------------------------------


class PromptFormat(NamedTuple):
    """How one exemplar or the test problem is laid out, and how exemplars are joined."""

    template: str  # with {question} and {answer}; the test problem gets an empty answer
    answer_prefix: str  # between the template's answer cue ("Solution:", "A:") and an exemplar's answer
    separator: str = "\n\n"


MINERVA_FORMAT = PromptFormat("Problem:\n{question}\n\nSolution:{answer}", "\n")
CHOICE_FORMAT = PromptFormat("Problem:\n{question}\nSolution:{answer}", "\n")
QA_FORMAT = PromptFormat("Q: {question}\nA:{answer}", " ")


def build_prompt(examples: Sequence[prompts.Example], layout: PromptFormat, question: str) -> str:
    """The few-shot prompt: every exemplar with its answer, then `question` with the answer left open."""
    shots = [layout.template.format(question=e.question, answer=layout.answer_prefix + e.answer) for e in examples]
    return layout.separator.join([*shots, layout.template.format(question=question, answer="")])


def math_prompt(doc: Document) -> str:
    """MATH: Minerva's 4-shot prompt."""
    return build_prompt(prompts.MINERVA_MATH_EXAMPLES, MINERVA_FORMAT, doc["question"])


def gsm8k_prompt(doc: Document) -> str:
    """GSM8k: the 8-shot chain-of-thought prompt ("Q: ... A: ... The answer is N.")."""
    return build_prompt(prompts.GSM8K_COT_EXAMPLES, QA_FORMAT, doc["question"])


def ocw_prompt(doc: Document) -> str:
    """OCWCourses: 4-shot, Minerva's format."""
    return build_prompt(prompts.OCW_EXAMPLES, MINERVA_FORMAT, doc["question"])


def choice_prompt(doc: Document) -> str:
    """MMLU-STEM and SAT: Minerva's 4-shot multiple-choice prompt."""
    return build_prompt(prompts.MULTIPLE_CHOICE_EXAMPLES, CHOICE_FORMAT, doc["question"])


def math_program_prompt(doc: Document) -> str:
    """MATH+Python: 4 problems solved by programs that define `solution()`."""
    return build_prompt(prompts.MATH_PROGRAM_EXAMPLES, MINERVA_FORMAT, doc["question"])


def gsm8k_program_prompt(doc: Document) -> str:
    """GSM8k+Python: the 8 GSM8k exemplars solved by programs that define `solution()`."""
    return build_prompt(prompts.GSM8K_PROGRAM_EXAMPLES, MINERVA_FORMAT, doc["question"])


# ---------------------------------------------------------------------------------------------
# Datasets (`custom_dataset`: called with the task's metadata, which carries `data_dir`)
# ---------------------------------------------------------------------------------------------


def _dataset(benchmark: str, metadata: dict[str, Any]):
    import datasets

    data_dir = metadata.get("data_dir") or os.environ.get(DATA_DIR_ENVIRONMENT)
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(load_documents(benchmark, data_dir))})


def load_math(**metadata: Any):
    """MATH test set (see `loaders` for the layouts); `data_dir` in the metadata selects local files."""
    return _dataset("math", metadata)


def load_gsm8k(**metadata: Any):
    """GSM8k test set."""
    return _dataset("gsm8k", metadata)


def load_ocw(**metadata: Any):
    """OCWCourses (local files only)."""
    return _dataset("ocw", metadata)


def load_mmlu_stem(**metadata: Any):
    """MMLU test questions of the 18 STEM subjects."""
    return _dataset("mmlu_stem", metadata)


def load_sat(**metadata: Any):
    """SAT math, May 2023."""
    return _dataset("sat", metadata)


# ---------------------------------------------------------------------------------------------
# Filters and metric
# ---------------------------------------------------------------------------------------------


def _record(doc: Document, answers: list[str | None], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The filter's record: the answers, the vote of the default backend, and every backend's vote."""
    votes = votes_by_backend(doc["answer_style"], answers)
    vote, counts = votes[DEFAULT_BACKEND]
    return {"answers": answers, "vote": vote, "votes": counts,
            "backend_votes": {backend: {"vote": v, "votes": c} for backend, (v, c) in votes.items()}, **(extra or {})}


def extract_and_vote(resps: Sequence[Sequence[str]], docs: Sequence[Document]) -> list[dict[str, Any]]:
    """Filter: per document, the answer of each generation and their majority vote.

    `resps[i]` are the generations for `docs[i]`; answers are extracted with the document's
    `answer_style`, and votes grouped by that style's equivalence.
    """
    start_workers()
    records = []
    for generations, doc in tqdm(list(zip(resps, docs)), desc="grading", unit="doc", leave=False):
        answers = [extract_answer(doc["answer_style"], text) if isinstance(text, str) else None for text in generations]
        records.append(_record(doc, answers))
    return records


class ProgramOutcome(NamedTuple):
    """What running one generated program gave: its answer (None unless it ran) and its status."""

    answer: str | None
    status: str


def run_generated_program(generation: str, timeout_s: float = PROGRAM_TIMEOUT_S,
                          memory_mb: int = PROGRAM_MEMORY_MB, disk_quota_mb: int = DEFAULT_DISK_QUOTA_MB,
                          disk_quota_files: int = DEFAULT_DISK_QUOTA_FILES) -> ProgramOutcome:
    """Run the program in `generation` in the sandbox; a failure of any kind gives no answer."""
    if not isinstance(generation, str) or not generation.strip():
        return ProgramOutcome(None, "empty")
    result = run_program(extract_program(generation), timeout_s=timeout_s, memory_mb=memory_mb,
                         disk_quota_mb=disk_quota_mb, disk_quota_files=disk_quota_files)
    return ProgramOutcome(result.answer if result.status == "ok" else None, result.status)


def run_and_vote(resps: Sequence[Sequence[str]], docs: Sequence[Document],
                 runner: Callable[[str], ProgramOutcome] = run_generated_program,
                 workers: int | None = None) -> list[dict[str, Any]]:
    """Filter for the program tasks: run every generated program, vote over their results.

    Programs run in parallel sandboxes (`workers`, default the number of CPUs); each record also
    lists the programs' statuses (ok, timeout, memory, disk quota, error, empty).
    """
    start_workers()
    jobs = [text for generations in resps for text in generations]
    workers = workers or min(32, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(tqdm(pool.map(runner, jobs), total=len(jobs), desc="running programs", unit="program",
                             leave=False))
    records, start = [], 0
    for generations, doc in zip(resps, docs):
        mine = outcomes[start : start + len(generations)]
        start += len(generations)
        records.append(_record(doc, [o.answer for o in mine], {"statuses": [o.status for o in mine]}))
    return records


class ProgramVoteFilter(Filter):
    """`run_and_vote` as an lm-eval filter, with the sandbox's limits set by the task's YAML:

        filter:
          - function: !function utils.ProgramVoteFilter
            timeout_s: 10
            memory_mb: 1024
            disk_quota_mb: 32
            disk_quota_files: 256
    """

    def __init__(self, timeout_s: float = PROGRAM_TIMEOUT_S, memory_mb: int = PROGRAM_MEMORY_MB,
                 disk_quota_mb: int = DEFAULT_DISK_QUOTA_MB, disk_quota_files: int = DEFAULT_DISK_QUOTA_FILES,
                 workers: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runner = functools.partial(run_generated_program, timeout_s=float(timeout_s), memory_mb=int(memory_mb),
                                        disk_quota_mb=int(disk_quota_mb), disk_quota_files=int(disk_quota_files))
        self.workers = workers

    def apply(self, resps: Sequence[Sequence[str]], docs: Sequence[Document]) -> list[dict[str, Any]]:
        return run_and_vote(resps, docs, runner=self.runner, workers=self.workers)


def process_results(doc: Document, results: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Metrics: `acc` (math-verify) and `acc_minerva` (the paper's Minerva/SymPy metric): 1.0 when
    that backend's vote matches the document's reference answer under that backend, else 0.0."""
    (record,) = results
    return {metric_name(backend): float(answers_match(doc["answer_style"], record["backend_votes"][backend]["vote"],
                                                      doc["reference"], backend=backend))
            for backend in BACKENDS}


def metric_name(backend: str) -> str:
    """The lm-eval metric of a grading backend: `acc` for the default, `acc_<backend>` otherwise."""
    return "acc" if backend == DEFAULT_BACKEND else f"acc_{backend}"
