"""Reports of an n-gram overlap scan: hit rates overall and per difficulty level, and, given
per-problem results of `python -m math_lm.eval`, accuracy with and without a hit per level;
`run_analysis` is the whole analysis (scan, hits.jsonl, summary.json, summary.png).
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator, Sequence

from math_lm.eval.overlap.scan import (
    DEFAULT_N,
    CorpusSpec,
    OverlapError,
    OverlapResult,
    find_overlap,
    normalize_words,
)
from math_lm.jsonl import read_json_objects
from megatron.user_files import iter_json_lines


def _level(example: dict[str, Any], level_field: str) -> str:
    value = example.get(level_field)
    return str(value) if value not in (None, "") else "all"


def _join_key(text: Any) -> str:
    return " ".join(normalize_words(str(text)))


def load_correctness(results_path: Path, examples: Sequence[dict[str, Any]], join_field: str) -> dict[int, bool]:
    """Correctness per test example from a per-problem JSONL of `python -m math_lm.eval`.

    Records are matched to examples by their normalised `problem` text against the examples'
    `join_field`. Raises OverlapError for an unreadable file or records without the fields.
    """
    by_text: dict[str, list[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        by_text[_join_key(example.get(join_field, ""))].append(index)
    correctness: dict[int, bool] = {}
    for number, record in iter_json_lines(results_path):
        if not isinstance(record, dict) or "problem" not in record or "correct" not in record:
            raise OverlapError(f"{results_path}:{number}: needs 'problem' and 'correct' (a per-problem JSONL "
                               "of python -m math_lm.eval)")
        for index in by_text.get(_join_key(record["problem"]), []):
            correctness[index] = bool(record["correct"])
    return correctness


def summarize(result: OverlapResult, examples: Sequence[dict[str, Any]], level_field: str = "level",
              correctness: dict[int, bool] | None = None) -> dict[str, Any]:
    """Hit rates per field, overall and per level; with `correctness`, accuracy with vs without a hit."""
    levels = sorted({_level(e, level_field) for e in examples})
    groups: dict[str, list[int]] = {"overall": list(range(len(examples)))}
    if levels != ["all"]:
        groups.update({level: [i for i, e in enumerate(examples) if _level(e, level_field) == level] for level in levels})
    table: dict[str, Any] = {}
    for group, members in groups.items():
        row: dict[str, Any] = {"examples": len(members)}
        for name in result.fields:
            hit = [i for i in members if result.has_hit(i, name)]
            row[f"{name}_hits"] = len(hit)
            row[f"{name}_hit_rate"] = len(hit) / len(members) if members else 0.0
            if correctness is not None:
                graded_hit = [correctness[i] for i in hit if i in correctness]
                graded_miss = [correctness[i] for i in members if i in correctness and not result.has_hit(i, name)]
                row[f"{name}_accuracy_hit"] = sum(graded_hit) / len(graded_hit) if graded_hit else None
                row[f"{name}_accuracy_no_hit"] = sum(graded_miss) / len(graded_miss) if graded_miss else None
                row[f"{name}_graded_hit"] = len(graded_hit)
                row[f"{name}_graded_no_hit"] = len(graded_miss)
        table[group] = row
    return {
        "n": result.n, "fields": list(result.fields), "examples": result.example_count,
        "fields_shorter_than_n": result.short_fields, "corpus_documents": result.documents,
        "corpus_text_bytes": result.text_bytes, "seconds": round(result.seconds, 3),
        "megabytes_per_second": round(result.megabytes_per_second, 3), "groups": table,
        "graded_examples": len(correctness) if correctness is not None else None,
    }


def format_summary(summary: dict[str, Any]) -> str:
    """The summary as a table: one row per level (and overall), hit rates and accuracies per field."""

    def percent(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.1f}%"

    header = ["group", "examples"]
    for name in summary["fields"]:
        header += [f"{name} hits", f"{name} rate"]
        if summary["graded_examples"] is not None:
            header += [f"acc | {name} hit", f"acc | no {name} hit"]
    rows = []
    for group, row in summary["groups"].items():
        cells = [group, str(row["examples"])]
        for name in summary["fields"]:
            cells += [str(row[f"{name}_hits"]), percent(row[f"{name}_hit_rate"])]
            if summary["graded_examples"] is not None:
                cells += [percent(row[f"{name}_accuracy_hit"]), percent(row[f"{name}_accuracy_no_hit"])]
        rows.append(cells)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in [header, *rows]]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def plot_summary(summary: dict[str, Any], path: Path) -> None:
    """Hit rate per level and field; with correctness, accuracy with vs without a hit per level."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = list(summary["groups"])
    graded = summary["graded_examples"] is not None
    columns = 1 + (len(summary["fields"]) if graded else 0)
    figure, axes = plt.subplots(1, columns, figsize=(4.5 * columns, 3.6), squeeze=False)
    width = 0.8 / len(summary["fields"])
    for index, name in enumerate(summary["fields"]):
        values = [100 * summary["groups"][g][f"{name}_hit_rate"] for g in groups]
        axes[0][0].bar([i + (index - (len(summary["fields"]) - 1) / 2) * width for i in range(len(groups))], values,
                       width, label=name)
    axes[0][0].set_xticks(range(len(groups)), groups, rotation=30, ha="right")
    axes[0][0].set_ylabel(f"examples with a {summary['n']}-gram hit (%)")
    axes[0][0].legend()
    if graded:
        for index, name in enumerate(summary["fields"], start=1):
            axis = axes[0][index]
            for offset, (label, key) in enumerate((("hit", "accuracy_hit"), ("no hit", "accuracy_no_hit"))):
                values = [100 * (summary["groups"][g][f"{name}_{key}"] or 0.0) for g in groups]
                axis.bar([i + (offset - 0.5) * 0.4 for i in range(len(groups))], values, 0.4, label=label)
            axis.set_xticks(range(len(groups)), groups, rotation=30, ha="right")
            axis.set_ylabel("accuracy (%)")
            axis.set_title(f"by {name} hit")
            axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def hit_records(result: OverlapResult, examples: Sequence[dict[str, Any]], level_field: str) -> Iterator[dict[str, Any]]:
    """One JSON-able record per test example: its level and, per field, hit, documents and n-grams."""
    for index, example in enumerate(examples):
        record: dict[str, Any] = {"index": index, "level": _level(example, level_field)}
        for name in result.fields:
            entry = result.hits.get((index, name))
            record[name] = {
                "hit": entry is not None,
                "document_count": entry.document_count if entry else 0,
                "documents": entry.documents if entry else [],
                "ngrams": sorted(entry.ngrams)[:5] if entry else [],
            }
        yield record


def read_test_examples(path: Path) -> list[dict[str, Any]]:
    """The test examples of a .jsonl file (one JSON object a line)."""
    if not path.is_file():
        raise OverlapError(f"test file {path} does not exist")
    examples = [example for _, example in read_json_objects(path, OverlapError)]
    if not examples:
        raise OverlapError(f"{path}: no test examples")
    return examples


def run_analysis(test_path: Path, corpus: CorpusSpec, fields: Sequence[str], output: Path, n: int = DEFAULT_N,
                 workers: int = 1, results_path: Path | None = None, level_field: str = "level",
                 progress: bool = True) -> dict[str, Any]:
    """The whole analysis: scan, then write `hits.jsonl`, `summary.json` and `summary.png` under `output`.

    With `results_path` (a per-problem JSONL of `python -m math_lm.eval`), accuracy is split by
    hit; records are matched to test examples through the first of `fields`.
    """
    examples = read_test_examples(test_path)
    if results_path is not None and not results_path.is_file():
        raise OverlapError(f"results file {results_path} does not exist")
    result = find_overlap(examples, fields, corpus, n=n, workers=workers, progress=progress)
    correctness = load_correctness(results_path, examples, fields[0]) if results_path is not None else None
    summary = summarize(result, examples, level_field, correctness)
    summary.update(test=str(test_path), corpus=list(corpus.paths), results=str(results_path) if results_path else None)
    output.mkdir(parents=True, exist_ok=True)
    with (output / "hits.jsonl").open("w", encoding="utf-8") as handle:
        for record in hit_records(result, examples, level_field):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    (output / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    plot_summary(summary, output / "summary.png")
    return summary
