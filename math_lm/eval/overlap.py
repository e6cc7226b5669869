"""N-gram overlap between a test set and a training corpus (the LLEMMA paper's 30-gram analysis).

For every test example and field (e.g. a MATH problem and its solution) the question is whether
any n-gram of its normalised words (lower-cased runs of letters and digits) occurs in a corpus
document, and in which documents. Only the test set is held in memory: its n-grams are hashed
(a 64-bit polynomial hash of per-word CRC32 values) into a sorted array, which the workers probe
with every n-gram of every corpus document; a hash hit is then confirmed word for word, so hash
collisions never count. The corpus is streamed in chunks through `megatron.pool.OrderedPool` (results in corpus order):
`.jsonl`/`.jsonl.zst` (and the other raw formats of `megatron.data.corpus_reader`), or a
preprocessed `.bin`/`.idx` prefix decoded with its tokenizer.

`find_overlap` returns per-example hits; `summarize` turns them into hit rates overall and per
difficulty level, and, given per-problem results of `python -m math_lm.eval`, accuracy with and
without a hit per level.
"""

from __future__ import annotations

import json
import os
import re
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np
from tqdm import tqdm

from megatron.data.corpus_reader import CorpusChunk, CorpusReadError, expand_inputs, iter_chunks
from megatron.pool import OrderedPool
from math_lm.jsonl import read_json_objects

DEFAULT_N = 30
MAX_DOCUMENTS_PER_HIT = 20
"""Matching documents kept per example and field (the count of all of them is kept too)."""

_WORD = re.compile(r"[^\W_]+")
_BASE = np.uint64(0x100000001B3)
_SPREAD = np.uint64(0x9E3779B97F4A7C15)


class OverlapError(ValueError):
    """Bad input to the overlap analysis: a missing field, an unreadable corpus, a bad n."""


# ---------------------------------------------------------------------------------------------
# Words and n-grams
# ---------------------------------------------------------------------------------------------


def normalize_words(text: str) -> list[str]:
    """The normalised words of `text`: lower-cased runs of letters and digits (punctuation,
    LaTeX backslashes, braces and whitespace separate words and are dropped)."""
    return _WORD.findall(text.lower())


def _word_values(words: Sequence[str]) -> np.ndarray:
    crc = np.fromiter((zlib.crc32(word.encode("utf-8")) for word in words), dtype=np.uint64, count=len(words))
    with np.errstate(over="ignore"):
        return crc * _SPREAD + np.uint64(1)


def ngram_hashes(words: Sequence[str], n: int) -> np.ndarray:
    """64-bit hashes of the `len(words) - n + 1` n-grams of `words`, in order (empty if fewer words)."""
    count = len(words) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    values = _word_values(words)
    hashes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(n):
            hashes = hashes * _BASE + values[offset : offset + count]
    return hashes


# ---------------------------------------------------------------------------------------------
# The test-set index
# ---------------------------------------------------------------------------------------------


@dataclass
class TestIndex:
    """The n-grams of the test set: sorted hashes to probe, and the words behind each hash."""

    n: int
    hashes: np.ndarray  # sorted, unique uint64
    ngrams: dict[int, list[tuple[str, ...]]]  # hash -> distinct word n-grams with that hash
    owners: dict[tuple[int, tuple[str, ...]], list[tuple[int, str]]]  # (hash, n-gram) -> (example, field)

    def matches(self, words: Sequence[str]) -> set[tuple[int, tuple[str, ...]]]:
        """The test n-grams (as (hash, words)) that occur in the word sequence `words`."""
        hashes = ngram_hashes(words, self.n)
        if hashes.size == 0 or self.hashes.size == 0:
            return set()
        slots = np.searchsorted(self.hashes, hashes)
        slots[slots == self.hashes.size] = 0
        found: set[tuple[int, tuple[str, ...]]] = set()
        for position in np.flatnonzero(self.hashes[slots] == hashes):
            key = int(hashes[position])
            window = tuple(words[position : position + self.n])
            if window in self.ngrams[key]:
                found.add((key, window))
        return found


def build_index(examples: Sequence[dict[str, Any]], fields: Sequence[str], n: int) -> TestIndex:
    """Index the n-grams of `fields` of every example. Raises OverlapError for a missing field."""
    if n < 1:
        raise OverlapError(f"n must be at least 1, got {n}")
    ngrams: dict[int, list[tuple[str, ...]]] = defaultdict(list)
    owners: dict[tuple[int, tuple[str, ...]], list[tuple[int, str]]] = defaultdict(list)
    for index, example in enumerate(examples):
        for name in fields:
            if name not in example:
                raise OverlapError(f"test example {index}: no field {name!r} (has {', '.join(example)})")
            words = normalize_words(str(example[name]))
            for position, value in enumerate(ngram_hashes(words, n)):
                key = int(value)
                gram = tuple(words[position : position + n])
                if gram not in ngrams[key]:
                    ngrams[key].append(gram)
                if (index, name) not in owners[(key, gram)]:
                    owners[(key, gram)].append((index, name))
    hashes = np.array(sorted(ngrams), dtype=np.uint64)
    return TestIndex(n, hashes, dict(ngrams), dict(owners))


# ---------------------------------------------------------------------------------------------
# Corpus units and the worker side
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexedRange:
    """Documents [start, stop) of a preprocessed `.bin`/`.idx` corpus, decoded with `tokenizer`."""

    prefix: str
    tokenizer_type: str
    tokenizer: str
    start: int
    stop: int


@dataclass
class UnitResult:
    """What scanning one corpus unit found: text bytes and documents seen, confirmed hits."""

    text_bytes: int = 0
    documents: int = 0
    hits: list[tuple[int, tuple[str, ...], str]] = field(default_factory=list)  # (hash, n-gram, document)


_WORKER_INDEX: TestIndex | None = None
_WORKER_TEXT_KEY = "text"
_READERS: dict[tuple[str, str, str], tuple[Any, Any]] = {}


def _init_worker(index: TestIndex, text_key: str) -> None:
    global _WORKER_INDEX, _WORKER_TEXT_KEY
    _WORKER_INDEX, _WORKER_TEXT_KEY = index, text_key


def _scan_text(text: str, document: str, result: UnitResult) -> None:
    assert _WORKER_INDEX is not None
    result.text_bytes += len(text.encode("utf-8"))
    result.documents += 1
    for key, gram in _WORKER_INDEX.matches(normalize_words(text)):
        result.hits.append((key, gram, document))


def _scan_chunk(chunk: CorpusChunk) -> UnitResult:
    result = UnitResult()
    for offset, record in enumerate(chunk.records):
        if not record.strip():
            continue
        location = chunk.location(offset)
        if chunk.is_json:
            try:
                document = json.loads(record)
            except ValueError as error:
                raise OverlapError(f"{location}: not a JSON object ({error})") from error
            text = document.get(_WORKER_TEXT_KEY) if isinstance(document, dict) else None
            if not isinstance(text, str):
                raise OverlapError(f"{location}: no string field {_WORKER_TEXT_KEY!r}")
        else:
            text = record.decode("utf-8", errors="replace")
        _scan_text(text, location, result)
    return result


def _scan_indexed(unit: IndexedRange) -> UnitResult:
    from megatron.data.indexed_dataset import IndexedDatasetReader
    from megatron.tokenizer import build_tokenizer

    key = (unit.prefix, unit.tokenizer_type, unit.tokenizer)
    if key not in _READERS:
        _READERS[key] = (IndexedDatasetReader(unit.prefix), build_tokenizer(unit.tokenizer_type, unit.tokenizer))
    reader, tokenizer = _READERS[key]
    result = UnitResult()
    for document in range(unit.start, unit.stop):
        text = tokenizer.detokenize(reader.document(document).tolist())
        _scan_text(text, f"{unit.prefix}#{document}", result)
    return result


def scan_unit(unit: CorpusChunk | IndexedRange) -> UnitResult:
    """Scan one corpus unit in a worker (after `_init_worker`)."""
    return _scan_indexed(unit) if isinstance(unit, IndexedRange) else _scan_chunk(unit)


# ---------------------------------------------------------------------------------------------
# Driving the scan
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusSpec:
    """The corpus: raw files (any `corpus_reader` format) and/or `.bin`/`.idx` prefixes."""

    paths: tuple[str, ...]
    text_key: str = "text"
    tokenizer: str | None = None
    tokenizer_type: str = "SPMTokenizer"
    documents_per_unit: int = 256


def _is_indexed_prefix(path: str) -> bool:
    stem = path[:-4] if path.endswith((".bin", ".idx")) else path
    return os.path.isfile(stem + ".bin") and os.path.isfile(stem + ".idx")


def corpus_units(corpus: CorpusSpec) -> Iterator[CorpusChunk | IndexedRange]:
    """The corpus as work units, streamed: chunks of raw records, or ranges of indexed documents."""
    raw: list[str] = []
    for path in corpus.paths:
        if _is_indexed_prefix(path):
            yield from _flush_raw(raw)
            raw = []
            prefix = path[:-4] if path.endswith((".bin", ".idx")) else path
            if corpus.tokenizer is None:
                raise OverlapError(f"{path}: a .bin/.idx corpus needs --tokenizer (its tokenizer model)")
            from megatron.data.indexed_dataset import IndexedDatasetReader

            count = IndexedDatasetReader(prefix).document_count
            for start in range(0, count, corpus.documents_per_unit):
                yield IndexedRange(prefix, corpus.tokenizer_type, corpus.tokenizer, start,
                                   min(count, start + corpus.documents_per_unit))
        else:
            if not os.path.exists(path):
                raise OverlapError(f"corpus path {path} does not exist")
            raw.append(path)
    yield from _flush_raw(raw)


def _flush_raw(paths: list[str]) -> Iterator[CorpusChunk]:
    if not paths:
        return
    try:
        yield from iter_chunks(expand_inputs(paths))
    except CorpusReadError as error:
        raise OverlapError(str(error)) from error


@dataclass
class FieldHits:
    """The corpus documents in which one example's field has an n-gram (up to a cap), and their count."""

    documents: list[str] = field(default_factory=list)
    document_count: int = 0
    ngrams: set[str] = field(default_factory=set)


@dataclass
class OverlapResult:
    """Hits per (example, field), with what the scan read."""

    n: int
    fields: tuple[str, ...]
    example_count: int
    hits: dict[tuple[int, str], FieldHits]
    short_fields: dict[str, int]  # field -> examples with fewer than n words in it
    text_bytes: int
    documents: int
    seconds: float

    @property
    def megabytes_per_second(self) -> float:
        return self.text_bytes / 1e6 / self.seconds if self.seconds > 0 else float("inf")

    def has_hit(self, example: int, name: str) -> bool:
        return (example, name) in self.hits


def find_overlap(examples: Sequence[dict[str, Any]], fields: Sequence[str], corpus: CorpusSpec,
                 n: int = DEFAULT_N, workers: int = 1, progress: bool = True) -> OverlapResult:
    """Scan `corpus` for the n-grams of `fields` of `examples` with `workers` processes (0: in-process)."""
    if workers < 0:
        raise OverlapError(f"workers must be 0 or more, got {workers}")
    index = build_index(examples, fields, n)
    short = {name: sum(len(normalize_words(str(e[name]))) < n for e in examples) for name in fields}
    hits: dict[tuple[int, str], FieldHits] = {}
    seen_pairs: set[tuple[int, str, str]] = set()
    text_bytes = documents = 0
    started = time.monotonic()
    with OrderedPool(workers, _init_worker, (index, corpus.text_key)) as pool:  # forks before tqdm's thread
        bar = tqdm(total=None, unit="B", unit_scale=True, desc="scanning corpus", disable=not progress)
        try:
            for _, result in pool.map(scan_unit, corpus_units(corpus)):
                text_bytes += result.text_bytes
                documents += result.documents
                bar.update(result.text_bytes)
                for key, gram, document in result.hits:
                    for example, name in index.owners[(key, gram)]:
                        entry = hits.setdefault((example, name), FieldHits())
                        entry.ngrams.add(" ".join(gram))
                        if (example, name, document) in seen_pairs:
                            continue
                        seen_pairs.add((example, name, document))
                        entry.document_count += 1
                        if len(entry.documents) < MAX_DOCUMENTS_PER_HIT:
                            entry.documents.append(document)
        finally:
            bar.close()
    seconds = time.monotonic() - started
    return OverlapResult(n, tuple(fields), len(examples), hits, short, text_bytes, documents, seconds)


# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------


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
    with results_path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                raise OverlapError(f"{results_path}:{number}: not a JSON line") from error
            if "problem" not in record or "correct" not in record:
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
