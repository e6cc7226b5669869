"""Scoring saved generations apart from generation: `python -m math_lm.eval score --samples DIR`.

LLEMMA sampled with vLLM and scored offline, because SymPy is slow: at maj@256 on MATH that is
1.28 million answers to extract, vote on and check. `score_samples` reads the per-problem JSONL
files that `python -m math_lm.eval` writes (`<task>_<pass>.jsonl`: task, pass, doc_id,
reference, generations, and for program tasks the programs' answers as `extracted`), and for
every problem extracts the answers, votes under each grading backend and checks the votes.

- Parallel: problems are scored in `workers` processes (each with its own answer-checking
  workers, `math_lm.eval.answers.workers`).
- Resumable: each scored problem is appended to `<output>/<task>_<pass>.scored.jsonl` as soon as
  it is done, with a content hash of what it was scored from (task, reference, generations or
  program answers, grader configuration). A rerun reuses a scored problem only when that hash
  still matches; a problem whose samples, reference or grader changed is scored again (a line
  says how many), and a line cut short by the interruption is dropped and scored again, so
  nothing is scored twice and no score outlives its samples.
- References: a string, or a number graded as its decimal text (`42` -> "42", `1e-05` ->
  "0.00001"); null, booleans, lists and objects are refused with file:line.
- Progress: a bar on a terminal, a log line every 30 s otherwise.

The result is `<output>/scores.json` and the Table 1 printout, math-verify and Minerva/SymPy
side by side.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator

from math_lm.data.datatrove_steps import progress
from math_lm.eval.answers import BACKENDS, DEFAULT_BACKEND, GRADER_CONFIG, answer_verdict, extract_answer, start_workers
from math_lm.eval.harness import TASKS, Summary
from math_lm.eval.voting import votes_by_backend
from math_lm.jsonl import read_json_objects

logger = logging.getLogger(__name__)

SCORED_SUFFIX = ".scored.jsonl"

TASK_STYLES = {
    "math": "math", "math_python": "math", "gsm8k": "gsm8k", "gsm8k_python": "gsm8k", "ocw": "ocw",
    "mmlu_stem": "multiple_choice", "sat": "multiple_choice",
}  # fmt: skip
"""The answer style of each task's references."""

PROGRAM_TASKS = frozenset({"math_python", "gsm8k_python"})
"""Tasks whose answers are program outputs, saved as `extracted` (programs are not rerun)."""

REQUIRED_FIELDS = ("task", "pass", "doc_id", "reference", "generations")


class ScoreError(ValueError):
    """A samples file or a scored file that cannot be read as such."""


@dataclass(frozen=True)
class SampleFile:
    """One `<task>_<pass>.jsonl` of saved generations and where its scores go."""

    path: Path
    scored_path: Path


def input_hash(record: dict[str, Any]) -> str:
    """Content hash of what a problem's score depends on: task, reference, answers, grader."""
    content = {"task": record["task"], "reference": record["reference"], "generations": record["generations"],
               "extracted": record.get("extracted") if record["task"] in PROGRAM_TASKS else None,
               "grader": GRADER_CONFIG}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def reference_text(reference: Any, where: str) -> str:
    """The reference as the text it is graded as; numbers as their decimal text.

    Raises ScoreError naming `where` for null, booleans, lists, objects and non-finite numbers.
    """
    if isinstance(reference, str):
        return reference
    if isinstance(reference, bool) or not isinstance(reference, (int, float)):
        kind = "null" if reference is None else type(reference).__name__
        raise ScoreError(f"{where}: 'reference' must be a string or a number, got {kind}")
    if isinstance(reference, int):
        return str(reference)
    if not math.isfinite(reference):
        raise ScoreError(f"{where}: 'reference' must be a finite number, got {reference!r}")
    text = format(Decimal(repr(reference)), "f")  # shortest round-trip digits, never `1e-05`
    return text.rstrip("0").rstrip(".") if "." in text else text


def score_record(record: dict[str, Any]) -> dict[str, Any]:
    """Extract, vote and check one problem's generations under every backend.

    Each backend's entry holds the voted answer, the vote counts, the verdict and its reason
    code (`math_lm.eval.answers.REASONS`); `extracted` holds every generation's answer.
    """
    task = record["task"]
    style = TASK_STYLES[task]
    if task in PROGRAM_TASKS:
        answers = list(record.get("extracted") or [])
    else:
        answers = [extract_answer(style, text) if isinstance(text, str) else None for text in record["generations"]]
    graded = {}
    for backend, (vote, counts) in votes_by_backend(style, answers).items():
        verdict = answer_verdict(style, vote, record["reference"], backend=backend)
        graded[backend] = {"vote": vote, "votes": counts, "correct": verdict.correct, "reason": verdict.reason}
    return {"task": task, "pass": record["pass"], "doc_id": record["doc_id"], "reference": record["reference"],
            "input_hash": input_hash(record), "extracted": answers, "graders": graded}


def find_sample_files(samples: Path, output: Path) -> list[SampleFile]:
    """The generation files under `samples` (`*.jsonl`, not scored outputs), sorted by name."""
    if not samples.is_dir():
        raise ScoreError(f"--samples {samples}: not a directory")
    paths = sorted(p for p in samples.glob("*.jsonl") if not p.name.endswith(SCORED_SUFFIX))
    if not paths:
        raise ScoreError(f"--samples {samples}: no <task>_<pass>.jsonl files of saved generations")
    return [SampleFile(path, output / (path.stem + SCORED_SUFFIX)) for path in paths]


def read_samples(path: Path) -> list[dict[str, Any]]:
    """The records of one generations file, checked for the fields scoring needs."""
    records = []
    seen: set[Any] = set()
    for number, record in read_json_objects(path, ScoreError):
        missing = [key for key in REQUIRED_FIELDS if key not in record]
        if missing:
            raise ScoreError(f"{path}:{number}: missing field(s) {', '.join(missing)}; has {', '.join(record)}")
        if record["task"] not in TASK_STYLES:
            raise ScoreError(f"{path}:{number}: unknown task {record['task']!r}; known: {', '.join(TASK_STYLES)}")
        if not isinstance(record["generations"], list):
            raise ScoreError(f"{path}:{number}: 'generations' must be a list of strings")
        record["reference"] = reference_text(record["reference"], f"{path}:{number}")
        if record["doc_id"] in seen:
            raise ScoreError(f"{path}:{number}: doc_id {record['doc_id']!r} appears twice")
        seen.add(record["doc_id"])
        records.append(record)
    return records


def read_scored(path: Path) -> dict[Any, dict[str, Any]]:
    """Scores already written to `path`, by doc_id; a last line cut short is removed from the file.

    A damaged line anywhere else, or a doc_id scored twice, is an error naming the line.
    """
    if not path.exists():
        return {}
    data = path.read_bytes()
    complete_end = data.rfind(b"\n") + 1
    if complete_end < len(data):  # the interrupted write of the last record
        with path.open("r+b") as handle:
            handle.truncate(complete_end)
        logger.info("%s: dropped an unfinished last line; it is scored again", path)
    scored: dict[Any, dict[str, Any]] = {}
    for number, record in read_json_objects(path, ScoreError):
        if "doc_id" not in record or "graders" not in record:
            raise ScoreError(f"{path}:{number}: not a scored record (needs doc_id and graders)")
        if record["doc_id"] in scored:
            raise ScoreError(f"{path}:{number}: doc_id {record['doc_id']!r} is scored twice")
        scored[record["doc_id"]] = record
    return scored


def _scored_in_parallel(records: list[dict[str, Any]], workers: int) -> Iterator[dict[str, Any]]:
    """Scores of `records` as they finish, from `workers` processes (in this process for 1)."""
    if workers <= 1:
        start_workers()
        for record in records:
            yield score_record(record)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=start_workers) as pool:
        pending = iter(records)
        running: set[Future] = set()
        try:
            while True:
                while len(running) < 4 * workers and (record := next(pending, None)) is not None:
                    running.add(pool.submit(score_record, record))
                if not running:
                    return
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        yield future.result()
                    except BrokenProcessPool as error:
                        raise ScoreError("a scoring process died (interrupted, or out of memory); the problems "
                                         "scored so far are kept: run the same command again to resume") from error
        finally:
            for future in running:
                future.cancel()


def score_file(sample_file: SampleFile, workers: int) -> list[dict[str, Any]]:
    """Score every problem of one generations file not scored yet; return all its scores."""
    records = read_samples(sample_file.path)
    scored = read_scored(sample_file.scored_path)
    unknown = set(scored) - {record["doc_id"] for record in records}
    if unknown:
        raise ScoreError(f"{sample_file.scored_path}: doc_id(s) {sorted(unknown, key=str)[:5]} are not in "
                         f"{sample_file.path}; was it scored from another samples file?")
    hashes = {record["doc_id"]: input_hash(record) for record in records}
    stale = [doc_id for doc_id, result in scored.items() if result.get("input_hash") != hashes[doc_id]]
    if stale:
        for doc_id in stale:
            del scored[doc_id]
        _rewrite(sample_file.scored_path, scored.values())
        logger.info("%s: %d scored problem(s) have changed samples, reference or grader since; rescoring them",
                    sample_file.path.name, len(stale))
    todo = [record for record in records if record["doc_id"] not in scored]
    if scored:
        logger.info("%s: %d of %d problems already scored, resuming", sample_file.path.name, len(scored), len(records))
    sample_file.scored_path.parent.mkdir(parents=True, exist_ok=True)
    with sample_file.scored_path.open("a", encoding="utf-8") as handle:
        for result in progress(_scored_in_parallel(todo, workers), len(todo), f"scoring {sample_file.path.name}"):
            handle.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
            handle.flush()
            scored[result["doc_id"]] = result
    return [scored[record["doc_id"]] for record in records]


def _rewrite(path: Path, results: Iterable[dict[str, Any]]) -> None:
    """Replace `path` by `results`, one JSON line each (atomically: never half written)."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        for result in results:
            handle.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
    temporary.replace(path)


def summarize(scores: dict[tuple[str, str], list[dict[str, Any]]], name: str) -> Summary:
    """Accuracy per task and pass under both backends, as a `Summary` for `format_table`."""
    tasks = [key for key in TASKS if any(task == key for task, _ in scores)]
    passes = sorted({pass_name for _, pass_name in scores}, key=lambda p: (p != "greedy", len(p), p))
    summary = Summary(model=name, passes=passes, tasks=tasks)
    for (task, pass_name), results in scores.items():
        summary.counts[task] = len(results)
        for backend, table in ((DEFAULT_BACKEND, summary.accuracy), ("minerva", summary.accuracy_minerva)):
            correct = sum(bool(result["graders"][backend]["correct"]) for result in results)
            table.setdefault(task, {})[pass_name] = correct / len(results) if results else 0.0
    return summary


def count_reasons(scores: dict[tuple[str, str], list[dict[str, Any]]]) -> dict[str, Any]:
    """Verdicts by reason code: {task: {pass: {backend: {reason: {"correct": n, "wrong": m}}}}}."""
    counts: dict[str, Any] = {}
    for (task, pass_name), results in scores.items():
        for result in results:
            for backend, graded in result["graders"].items():
                by_reason = counts.setdefault(task, {}).setdefault(pass_name, {}).setdefault(backend, {})
                tally = by_reason.setdefault(graded.get("reason", "unknown"), {"correct": 0, "wrong": 0})
                tally["correct" if graded["correct"] else "wrong"] += 1
    return counts


def score_samples(samples: Path, output: Path | None = None, workers: int | None = None) -> Summary:
    """Score (or finish scoring) every generations file under `samples`; write `scores.json`."""
    output = output or samples / "scored"
    workers = workers or min(8, os.cpu_count() or 1)
    files = find_sample_files(samples, output)
    scores: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for sample_file in files:
        results = score_file(sample_file, workers)
        if results:
            scores[(results[0]["task"], results[0]["pass"])] = results
    summary = summarize(scores, samples.resolve().name)
    report = {**summary.as_json(), "backends": list(BACKENDS), "reasons": count_reasons(scores),
              "grader": GRADER_CONFIG, "files": [str(f.path) for f in files]}
    temporary = output / "scores.json.tmp"
    temporary.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    temporary.replace(output / "scores.json")
    return summary
