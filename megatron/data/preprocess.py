"""Turn raw corpora into indexed datasets: one `{prefix}_{key}_document.bin/.idx` pair per JSON key.

The calling process reads the inputs and writes the outputs; `workers` processes decode,
validate, tokenize and pack the records, chunk by chunk. Chunks are written in input
order, so the output bytes do not depend on the worker count.

Bad records (invalid UTF-8, not JSON, not an object, a missing key, a non-string value)
stop the run with a `BadInputError` naming the file and line, or with `skip_bad=True` are
counted by reason and skipped. Documents that tokenize to nothing are skipped and counted.
Outputs are written under temporary names and renamed only when the run succeeds.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from megatron.data.corpus_reader import (
    TEXT_KEY,
    CorpusChunk,
    expand_inputs,
    input_format,
    is_json_format,
    iter_chunks,
)
from megatron.data.indexed_dataset import StagedIndexedDataset, check_outputs_free, token_dtype
from megatron.fault_injection import fault_point
from megatron.pool import OrderedPool
from megatron.tokenizer import Tokenizer, build_tokenizer

logger = logging.getLogger(__name__)

BAD_RECORD_REASONS = ("invalid_utf8", "not_json", "not_object", "missing_key", "non_string")
EMPTY_DOCUMENT = "empty_document"
MAX_LOGGED_BAD_RECORDS = 100
MAX_KEPT_BAD_RECORDS = 1000


class BadInputError(ValueError):
    """A record of the input that cannot be turned into a document."""

    def __init__(self, location: str, reason: str, detail: str) -> None:
        super().__init__(f"{location}: {reason}: {detail} (pass skip_bad / --skip-bad to skip and count such records)")
        self.location = location
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class BadRecord:
    """One skipped record: where it is ("file:line"), why (one of BAD_RECORD_REASONS), and details."""

    location: str
    reason: str
    detail: str


@dataclass
class PreprocessSummary:
    """What a preprocessing run read and wrote.

    Attributes:
        outputs: output path prefix (without .bin/.idx) for each key.
        documents: input records that were valid for every key.
        documents_written: documents written for each key (valid records minus empty ones).
        tokens: tokens written for each key, EOD tokens included.
        skipped: count of skipped records by reason (BAD_RECORD_REASONS and "empty_document").
        bad_records: the first MAX_KEPT_BAD_RECORDS bad records.
        input_bytes: uncompressed bytes of all records read.
        seconds: wall-clock time of the run.
        workers: tokenizing processes used (0: the calling process).
    """

    outputs: dict[str, str]
    documents: int = 0
    documents_written: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    bad_records: list[BadRecord] = field(default_factory=list)
    input_bytes: int = 0
    seconds: float = 0.0
    workers: int = 0

    @property
    def total_tokens(self) -> int:
        return sum(self.tokens.values())

    def format(self) -> str:
        """A human-readable, multi-line report."""
        seconds = max(self.seconds, 1e-9)
        lines = [
            f"read {self.documents} documents ({self.input_bytes / 1e6:.2f} MB) in {self.seconds:.3f} s with "
            f"{self.workers} worker(s): {self.documents / seconds:.0f} docs/s, "
            f"{self.input_bytes / 1e6 / seconds:.2f} MB/s, {self.total_tokens / seconds:.0f} tokens/s",
        ]
        for key, prefix in self.outputs.items():
            lines.append(
                f"  {key}: {self.documents_written.get(key, 0)} documents, {self.tokens.get(key, 0)} tokens -> "
                f"{prefix}.bin/.idx"
            )
        skipped = ", ".join(f"{reason} {count}" for reason, count in sorted(self.skipped.items()) if count)
        lines.append(f"  skipped: {skipped or 'none'}")
        return "\n".join(lines)


@dataclass(frozen=True)
class _EncodeSettings:
    """What each worker needs to turn records into tokens (picklable)."""

    tokenizer_type: str
    vocab_file: str | None
    merge_file: str | None
    keys: tuple[str, ...]
    append_eod: bool
    ftfy: bool


@dataclass
class _EncodedChunk:
    """A chunk's tokens per key (documents end to end) and what was skipped."""

    tokens: dict[str, np.ndarray]
    lengths: dict[str, np.ndarray]
    documents: int
    bad: list[tuple[int, int, str, str]]  # (record index, line offset inside the record, reason, detail)
    empty: int
    input_bytes: int


class _Encoder:
    """Decodes, validates and tokenizes chunks of records with one tokenizer."""

    def __init__(self, settings: _EncodeSettings) -> None:
        self.settings = settings
        self.tokenizer: Tokenizer = build_tokenizer(settings.tokenizer_type, settings.vocab_file, settings.merge_file)
        self.dtype = np.dtype(token_dtype(self.tokenizer.vocab_size))
        if settings.ftfy:
            import ftfy

            self._fix_text = ftfy.fix_text
        else:
            self._fix_text = None

    def encode(self, records: list[bytes], is_json: bool) -> _EncodedChunk:
        """Validate and tokenize one chunk's records (JSON objects, or plain texts when not `is_json`)."""
        keys = self.settings.keys
        texts: dict[str, list[str]] = {key: [] for key in keys}
        bad: list[tuple[int, int, str, str]] = []
        for index, record in enumerate(records):
            fields = self._fields(record, is_json)
            if isinstance(fields, tuple):
                bad.append((index, *fields))
                continue
            for key in keys:
                texts[key].append(fields[key])
        tokens, lengths, empty = {}, {}, 0
        for key in keys:
            key_texts = texts[key]
            if self._fix_text is not None:
                key_texts = [self._fix_text(text) for text in key_texts]
            tokens[key], lengths[key], key_empty = self._pack(self.tokenizer.tokenize_to_arrays(key_texts))
            empty += key_empty
        return _EncodedChunk(
            tokens, lengths, len(records) - len(bad), bad, empty, sum(len(record) + 1 for record in records)
        )

    def _fields(self, record: bytes, is_json: bool) -> dict[str, str] | tuple[int, str, str]:
        """The record's text for each key, or (line offset, reason, detail) when it is bad."""
        try:
            line = record.decode("utf-8")
        except UnicodeDecodeError as error:
            line_offset = record.count(b"\n", 0, error.start)
            return line_offset, "invalid_utf8", f"invalid UTF-8 byte 0x{record[error.start]:02x} at offset {error.start}"
        if not is_json:
            return {TEXT_KEY: line}
        try:
            value = json.loads(line)
        except ValueError as error:
            return 0, "not_json", f"not JSON ({error})"
        if not isinstance(value, dict):
            return 0, "not_object", f"a JSON {_json_type(value)}, not an object"
        fields = {}
        for key in self.settings.keys:
            if key not in value:
                return 0, "missing_key", f"no key {key!r} (keys: {', '.join(map(repr, list(value)[:10]))})"
            text = value[key]
            if not isinstance(text, str):
                return 0, "non_string", f"key {key!r} holds a JSON {_json_type(text)}, not a string"
            if not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError as error:
                    return 0, "invalid_utf8", f"key {key!r} holds an unpaired surrogate escape at character {error.start}"
            fields[key] = text
        return fields

    def _pack(self, batch: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, int]:
        """Non-empty documents end to end (each followed by EOD if asked), their lengths, and the empty count."""
        kept = [ids for ids in batch if ids.size]
        lengths = np.fromiter((ids.size for ids in kept), dtype=np.int64, count=len(kept))
        if not kept:
            return np.zeros(0, dtype=self.dtype), lengths, len(batch)
        if self.settings.append_eod:
            eod = np.array([self.tokenizer.eod], dtype=kept[0].dtype)
            kept = [piece for ids in kept for piece in (ids, eod)]
            lengths += 1
        return np.concatenate(kept).astype(self.dtype, copy=False), lengths, len(batch) - len(lengths)


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


_worker_encoder: _Encoder | None = None


def _start_worker(settings: _EncodeSettings) -> None:
    global _worker_encoder
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _worker_encoder = _Encoder(settings)


def _encode_in_worker(chunk: CorpusChunk) -> _EncodedChunk:
    assert _worker_encoder is not None, "worker started without _start_worker"
    return _worker_encoder.encode(chunk.records, chunk.is_json)


class _Progress:
    """A tqdm bar on a terminal, else a log line every `log_interval` documents."""

    def __init__(self, total_documents: int | None, log_interval: int, use_bar: bool) -> None:
        self.start = time.perf_counter()
        self.log_interval = log_interval
        self.next_log = log_interval
        self.documents = self.tokens = self.input_bytes = 0
        self.bar = None
        if use_bar:
            from tqdm import tqdm

            self.bar = tqdm(total=total_documents, unit="docs", dynamic_ncols=True, file=sys.stderr)

    def update(self, documents: int, tokens: int, input_bytes: int) -> None:
        self.documents += documents
        self.tokens += tokens
        self.input_bytes += input_bytes
        seconds = max(time.perf_counter() - self.start, 1e-9)
        if self.bar is not None:
            self.bar.update(documents)
            self.bar.set_postfix_str(
                f"{self.input_bytes / 1e6 / seconds:.2f} MB/s, {self.tokens / seconds:,.0f} tokens/s", refresh=False
            )
        elif self.log_interval > 0 and self.documents >= self.next_log:
            self.next_log = (self.documents // self.log_interval + 1) * self.log_interval
            logger.info(
                "processed %d documents (%.1f MB, %d tokens): %.0f docs/s, %.2f MB/s, %.0f tokens/s",
                self.documents, self.input_bytes / 1e6, self.tokens, self.documents / seconds,
                self.input_bytes / 1e6 / seconds, self.tokens / seconds,
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def output_prefix_for(output_prefix: str, key: str) -> str:
    """The dataset path prefix written for `key`: `{output_prefix}_{key}_document`."""
    return f"{output_prefix}_{key}_document"


def preprocess_corpus(
    inputs: str | Sequence[str],
    output_prefix: str,
    *,
    tokenizer_type: str,
    vocab_file: str | None,
    merge_file: str | None = None,
    jsonl_keys: Sequence[str] = (TEXT_KEY,),
    workers: int = 1,
    append_eod: bool = False,
    ftfy: bool = False,
    num_docs: int | None = None,
    skip_bad: bool = False,
    overwrite: bool = False,
    log_interval: int = 1000,
    progress_bar: bool | None = None,
    chunk_bytes: int = 256 * 1024,
) -> PreprocessSummary:
    """Tokenize `inputs` into one indexed dataset per key of `jsonl_keys`.

    Args:
        inputs: files or directories, as a list or a comma-separated string (see corpus_reader for formats).
        output_prefix: outputs are `{output_prefix}_{key}_document.bin/.idx`.
        tokenizer_type, vocab_file, merge_file: passed to `build_tokenizer`.
        jsonl_keys: the JSON keys to read; each goes to its own dataset. Plain-text inputs have only "text".
        workers: tokenizing processes; 0 tokenizes in the calling process.
        append_eod: append the tokenizer's end-of-document id to every document.
        ftfy: repair mojibake with `ftfy.fix_text` before tokenizing.
        num_docs: expected number of documents, for the progress bar's total (does not limit the run).
        skip_bad: count and skip bad records instead of stopping at the first one.
        overwrite: replace existing outputs (otherwise they are an error).
        log_interval: without a terminal, log progress every this many documents (0: never).
        progress_bar: force the tqdm bar on or off; None shows it when stderr is a terminal.
        chunk_bytes: input bytes per unit of work sent to a worker.

    Returns:
        A PreprocessSummary; the caller prints `summary.format()` (the command does, once).

    Raises:
        BadInputError: a bad record, when skip_bad is False.
        CorpusReadError: an unreadable, corrupt or truncated input file.
        FileExistsError: an output exists and overwrite is False.
        ValueError: bad arguments, or no document was left to write for a key.
    """
    started = time.perf_counter()
    keys = tuple(jsonl_keys)
    if not keys or len(set(keys)) != len(keys) or not all(keys):
        raise ValueError(f"jsonl_keys must be distinct non-empty names, got {list(keys)}")
    if workers < 0:
        raise ValueError(f"workers must be >= 0, got {workers}")
    if chunk_bytes < 1:
        raise ValueError(f"chunk_bytes must be positive, got {chunk_bytes}")
    paths = expand_inputs(inputs)
    for path in paths:
        if not is_json_format(input_format(path)) and keys != (TEXT_KEY,):
            raise ValueError(f"{path}: plain-text input has only the key {TEXT_KEY!r}, but jsonl_keys is {list(keys)}")

    settings = _EncodeSettings(tokenizer_type, vocab_file, merge_file, keys, append_eod, ftfy)
    local_encoder = _Encoder(settings)  # validates the tokenizer before any worker starts
    outputs = {key: output_prefix_for(output_prefix, key) for key in keys}
    check_outputs_free(list(outputs.values()), overwrite)
    os.makedirs(os.path.dirname(os.path.abspath(output_prefix)), exist_ok=True)

    summary = PreprocessSummary(
        outputs=outputs, documents_written={key: 0 for key in keys}, tokens={key: 0 for key in keys},
        skipped={reason: 0 for reason in (*BAD_RECORD_REASONS, EMPTY_DOCUMENT)}, workers=workers,
    )
    # Workers start before the progress bar exists, so no thread of ours is running when they fork.
    pool = OrderedPool(workers, _start_worker, (settings,)) if workers else OrderedPool(0)
    use_bar = sys.stderr.isatty() if progress_bar is None else progress_bar
    progress = _Progress(num_docs, log_interval, use_bar)
    staged: dict[str, StagedIndexedDataset] = {}
    succeeded = False
    try:
        for key, prefix in outputs.items():
            staged[key] = StagedIndexedDataset(prefix, local_encoder.dtype)
            for stale in staged[key].removed_stale:
                logger.info("removed %s, left by a run that was killed", stale)
        chunks = iter_chunks(paths, chunk_bytes=chunk_bytes)
        encode = _encode_in_worker if workers else (lambda chunk: local_encoder.encode(chunk.records, chunk.is_json))
        for chunk, encoded in pool.map(encode, chunks):
            _record(chunk, encoded, summary, skip_bad)
            chunk_tokens = 0
            for key in keys:
                staged[key].writer.add_documents(encoded.tokens[key], encoded.lengths[key])
                summary.documents_written[key] += int(encoded.lengths[key].size)
                key_tokens = int(encoded.tokens[key].size)
                summary.tokens[key] += key_tokens
                chunk_tokens += key_tokens
            progress.update(encoded.documents, chunk_tokens, encoded.input_bytes)
            fault_point("preprocess_chunk_written")
        empty_keys = [key for key in keys if summary.documents_written[key] == 0]
        if empty_keys:
            raise ValueError(
                f"no documents to write for key {empty_keys[0]!r} (read {summary.documents} valid records; skipped "
                f"{ {reason: count for reason, count in summary.skipped.items() if count} }); refusing to write an "
                f"empty dataset"
            )
        for output in staged.values():
            output.finalize()
        for output in staged.values():
            output.commit()
        succeeded = True
    finally:
        progress.close()
        pool.close()
        if not succeeded:
            for output in staged.values():
                output.abort()
    summary.seconds = time.perf_counter() - started
    return summary


def _record(chunk: CorpusChunk, encoded: _EncodedChunk, summary: PreprocessSummary, skip_bad: bool) -> None:
    """Count a chunk's documents and skips; raise on its first bad record unless skipping."""
    summary.documents += encoded.documents
    summary.input_bytes += encoded.input_bytes
    summary.skipped[EMPTY_DOCUMENT] += encoded.empty
    for index, line_offset, reason, detail in encoded.bad:
        location = chunk.location(index, line_offset)
        if not skip_bad:
            raise BadInputError(location, reason, detail)
        summary.skipped[reason] += 1
        if len(summary.bad_records) < MAX_KEPT_BAD_RECORDS:
            summary.bad_records.append(BadRecord(location, reason, detail))
        bad_so_far = sum(summary.skipped[r] for r in BAD_RECORD_REASONS)
        if bad_so_far <= MAX_LOGGED_BAD_RECORDS:
            logger.warning("skipping %s: %s: %s", location, reason, detail)
            if bad_so_far == MAX_LOGGED_BAD_RECORDS:
                logger.warning("further bad records are counted but not logged")
