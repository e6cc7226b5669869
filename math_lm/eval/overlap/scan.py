"""N-gram overlap between a test set and a training corpus (the LLEMMA paper's 30-gram analysis).

For every test example and field (e.g. a MATH problem and its solution) the question is whether
any n-gram of its normalised words (lower-cased runs of letters and digits) occurs in a corpus
document, and in which documents. Only the test set is held in memory: its n-grams are hashed
(a 64-bit polynomial hash of per-word CRC32 values) into a sorted array, which the workers probe
with every n-gram of every corpus document; a hash hit is then confirmed word for word, so hash
collisions never count. The corpus is streamed in chunks through `megatron.pool.OrderedPool` (results in corpus order):
`.jsonl`/`.jsonl.zst` (and the other raw formats of `megatron.data.corpus_reader`), or a
preprocessed `.bin`/`.idx` prefix decoded with its tokenizer.

`find_overlap` returns per-example hits; `math_lm.eval.overlap.report` turns them into hit rates
and accuracy with and without a hit.
"""

from __future__ import annotations

import json
import os
import re
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

import numpy as np
from tqdm import tqdm

from megatron.data.corpus_reader import CorpusChunk, CorpusReadError, expand_inputs, iter_chunks
from megatron.pool import OrderedPool

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
