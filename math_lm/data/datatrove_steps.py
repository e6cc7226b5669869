"""datatrove pipeline steps for the Proof-Pile-2 subsets: read work units, extract, deduplicate, write shards.

The stages (built by :func:`math_lm.data.pipeline.prepare_subset`) are, for ``T`` extraction tasks:

1. ``T`` tasks: :class:`WorkUnitReader` → :class:`SubsetExtractor` → datatrove's ``JsonlWriter``
   (``documents/{rank}.jsonl.gz``) → for web pages :class:`RerunSafeMinhashSignature` (datatrove's
   ``MinhashDedupSignature``, safe to re-run after a failed attempt);
2. web pages only: datatrove's ``MinhashDedupBuckets`` (one task per bucket), then
   :class:`FirstCopyMinhashCluster` (one task), which checks each candidate pair against the Jaccard
   threshold;
3. one task: :class:`SplitShardWriter` applies datatrove's ``MinhashDedupFilter`` and the subset's own
   in-order deduplicators (exact text, AlgebraicStack's 2048-character chunks), then splits and shards.

Determinism: task ``r`` of ``T`` takes a contiguous slice of the subset's sorted work units, so the pair
(task, position in task) orders documents exactly as one sequential pass would, whatever ``T`` is. Our
cluster step keeps the copy that comes first in that order (datatrove's ``MinhashDedupCluster`` keeps the
root of a size-balanced union-find, which depends on how the documents were spread over tasks), and the
final step reads the tasks in rank order. The output is therefore the same for any number of tasks or
workers.

MinHash settings that keep math apart (:func:`math_minhash_config`): no lowercasing, punctuation and
digits kept (datatrove's defaults lowercase, strip punctuation and replace every number by ``0``, which
makes ``x^2+1`` and ``x^3-7`` the same shingle), SHA-1 64-bit shingle hashes (the default xxhash path
needs ``xxhash<4``), and :class:`MathWordTokenizer`, a regex word splitter that keeps each operator as
its own token (datatrove's English word tokenizer needs spaCy, and splits ``x^2+1`` as one word).
"""

from __future__ import annotations

import json
import logging
import shutil
import struct
import sys
import time
from collections import deque
from pathlib import Path
from types import TracebackType
from typing import Any, Iterable, Iterator

import numpy as np
import regex
from datatrove.data import Document as DatatroveDocument
from datatrove.data import DocumentsPipeline
from datatrove.io import get_datafolder
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.dedup.minhash import (
    SENTINEL,
    MinhashConfig,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.utils.binaryio import read_tuples_from_file
from datatrove.utils.hashing import HashConfig
from datatrove.utils.text import TextNormConfig, ngrams, simplify_text
from datatrove.utils.word_tokenizers import WordTokenizer
from tqdm import tqdm

from math_lm.data.budget import DocumentBudget
from math_lm.data.dedup import MinHashLSHDeduplicator
from math_lm.data.documents import Document, PreparationStats, UnitResult, assign_split
from math_lm.data.shards import ShardedWriter
from math_lm.data.watchdog import DocumentWorker
from megatron.io import write_text_atomically

DOCUMENTS_DIR = "documents"
DROPS_DIR = "drops"
MINHASH_DIR = "minhash"
MINHASH_REMOVE_DIR = f"{MINHASH_DIR}/remove"  # the cluster step's .remove files, read by the final step
DROP_EXAMPLES_PER_REASON = 20
_LOG_EVERY_SECONDS = 30.0
_SIGNATURE_BLOCK = 8192  # shingles per block: 8 MiB of uint64 at 128 hashes
_MERSENNE_PRIME = np.uint64((1 << 61) - 1)  # datatrove's modulus for its hash permutations

logger = logging.getLogger(__name__)


def progress(items: Iterable[Any], total: int, description: str) -> Iterator[Any]:
    """Iterate with a tqdm bar on a terminal, or with a log line every 30 seconds otherwise."""
    if sys.stderr.isatty():
        yield from tqdm(items, total=total, desc=description, unit="unit")
        return
    started = last_log = time.monotonic()
    done = 0
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - last_log >= _LOG_EVERY_SECONDS:
            logger.info("%s: %d/%d units, %.0f s", description, done, total, now - started)
            last_log = now
    logger.info("%s: %d/%d units done in %.1f s", description, done, total, time.monotonic() - started)


DOCUMENTS_FILENAME = "${rank}.jsonl.gz"  # datatrove's writer fills in the rank as five digits


def documents_file(rank: int) -> str:
    """The intermediate documents of extraction task ``rank``, relative to ``DOCUMENTS_DIR``."""
    return DOCUMENTS_FILENAME.replace("${rank}", f"{rank:05d}")


def drops_file(work_dir: Path, rank: int) -> Path:
    """The drops and counters of extraction task ``rank``."""
    return Path(work_dir) / DROPS_DIR / f"{rank:05d}.json"


def unit_slice(total: int, rank: int, world_size: int) -> range:
    """The contiguous share ``[start, stop)`` of ``total`` ordered units taken by task ``rank``."""
    return range(total * rank // world_size, total * (rank + 1) // world_size)


class MathWordTokenizer(WordTokenizer):
    """Words, numbers, and every other non-space character as its own token: ``x^2+1`` → ``x ^ 2 + 1``."""

    _TOKEN_RE = regex.compile(r"\w+|[^\w\s]", regex.UNICODE)

    def __init__(self) -> None:
        super().__init__("math")

    def word_tokenize(self, text: str) -> list[str]:
        return self._TOKEN_RE.findall(text)

    def sent_tokenize(self, text: str) -> list[str]:
        return [line for line in text.splitlines() if line.strip()]

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        spans, offset = [], 0
        for line in text.splitlines(keepends=True):
            if line.strip():
                spans.append((offset, offset + len(line.rstrip("\r\n"))))
            offset += len(line)
        return spans


def math_minhash_config(deduplicator: MinHashLSHDeduplicator) -> MinhashConfig:
    """datatrove's MinHash configuration with the subset's bands, rows and shingle size (word n-grams) and
    math-preserving normalisation.

    Pairs become candidates when all rows of one band agree, which happens mostly above the banding's
    S-curve point ``(1 / bands) ** (1 / rows)`` (0.71 for 16 x 8); the deduplicator's ``threshold`` is then
    checked on each candidate (:class:`FirstCopyMinhashCluster`). A threshold well below the curve point
    would find few of its pairs: a warning says so.
    """
    curve = (1.0 / deduplicator.bands) ** (1.0 / deduplicator.rows)
    if deduplicator.threshold < curve - 0.05:
        logger.warning(
            "MinHash threshold %.2f is below what %d bands x %d rows find (about %.2f): use more bands",
            deduplicator.threshold, deduplicator.bands, deduplicator.rows, curve,
        )  # fmt: skip
    return MinhashConfig(
        n_grams=deduplicator.shingle_words,
        num_buckets=deduplicator.bands,
        hashes_per_bucket=deduplicator.rows,
        norm_config=TextNormConfig(lowercase=False, remove_punctuation=False, norm_numbers=False),
        hash_config=HashConfig(precision=64, hash_fc="sha1"),
    )


class WorkUnitReader(PipelineStep):
    """Reader: one datatrove document per work unit of this task's contiguous slice (the unit rides in metadata)."""

    name = "work units"
    type = "📖 - READER"

    def __init__(self, subset: Any, inputs: list[str]):
        super().__init__()
        self.subset = subset
        self.inputs = [str(path) for path in inputs]

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        units = self.subset.work_units([Path(path) for path in self.inputs])
        share = unit_slice(len(units), rank, world_size)
        for index in progress(share, len(share), f"{self.subset.name} task {rank}/{world_size}"):
            self.stat_update("units")
            yield DatatroveDocument(text="", id=str(index), metadata={"unit": units[index]})


class SubsetExtractor(PipelineStep):
    """Extract and filter: ``subset.process`` on each unit; kept documents go on, drops go to ``drops/{rank}.json``.

    Each document is extracted in a :class:`~math_lm.data.watchdog.DocumentWorker` under the subset's
    :class:`~math_lm.data.budget.DocumentBudget`; a document over ``max_text_chars`` is dropped here
    (``text_too_long``), whatever the subset. The drops file (written atomically at the end of the task)
    holds the unit count, the drops by reason with their first sources, and the subset's counters.
    """

    name = "extract and filter"
    type = "🔻 - FILTER"

    def __init__(self, subset: Any, work_dir: str):
        super().__init__()
        self.subset = subset
        self.work_dir = str(work_dir)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        summary: dict[str, Any] = {"units": 0, "dropped": {}, "examples": {}, "counters": {}}
        budget: DocumentBudget = getattr(self.subset, "budget", DocumentBudget())
        # Documents are extracted in a worker process with a deadline (see math_lm.data.watchdog); it is
        # killed on the way out, whatever stops this task (the end, an error, SIGTERM).
        with DocumentWorker(budget.max_seconds, budget.max_worker_memory_bytes) as worker:
            for unit_document in data:
                summary["units"] += 1
                with self.track_time():
                    result: UnitResult = self.subset.process(unit_document.metadata["unit"], worker)
                for drop in result.drops:
                    count_drop(summary, drop.reason, drop.nbytes, drop.source)
                    self.stat_update(f"dropped_{drop.reason}")
                for name, amount in result.counters.items():
                    summary["counters"][name] = summary["counters"].get(name, 0) + amount
                for position, document in enumerate(result.documents):
                    source = f"{unit_document.metadata['unit']} (document {position})"
                    if not document.text:  # datatrove's readers skip empty texts, which would shift MinHash ids
                        count_drop(summary, "empty", 0, source)
                        continue
                    if len(document.text) > budget.max_text_chars:  # before MinHash and tokenising
                        source = document.meta.get("source") or source
                        count_drop(summary, "text_too_long", len(document.text.encode("utf-8", "replace")), source)
                        continue
                    self.stat_update("kept")
                    yield DatatroveDocument(
                        text=document.text,
                        id=f"{unit_document.id}/{position}",
                        metadata={"meta": document.meta, "group": document.group},
                    )
        write_text_atomically(drops_file(Path(self.work_dir), rank), json.dumps(summary, ensure_ascii=False))


def count_drop(summary: dict[str, Any], reason: str, nbytes: int, source: str) -> None:
    """Count one drop in a task's drops summary, remembering the first sources of each reason."""
    entry = summary["dropped"].setdefault(reason, {"documents": 0, "bytes": 0})
    entry["documents"] += 1
    entry["bytes"] += nbytes
    examples = summary["examples"].setdefault(reason, [])
    if len(examples) < DROP_EXAMPLES_PER_REASON:
        examples.append(source)


def signature_file(bucket: int, task: int) -> str:
    """Where datatrove's signature step puts one task's signatures for one bucket (in the signatures folder)."""
    return f"bucket_{bucket:03d}/{task:05d}.minhash.sig"


class RerunSafeMinhashSignature(MinhashDedupSignature):
    """datatrove's MinHash signature step, made safe to run a task again after a failed attempt, and
    bounded in memory for long documents (the same signatures, computed block by block).

    datatrove's step opens one file per bucket and closes them only when its input ends normally. When
    the extraction before it raises, the open files live on in the exception's traceback (a reference
    cycle) until the garbage collector frees them, and then flush their partial, unsorted records into
    the same files: in the same process that can be after the re-run of the task wrote and sorted them,
    and the bucket stage stops with "Hash order error". This step closes the files of a failed attempt
    when it fails, and starts every attempt on new files, so a handle left by an earlier attempt (in this
    process or a reused worker) can only write to a file no longer in the folder.
    """

    def get_shingles(self, text: str) -> np.ndarray:
        """datatrove's shingles, hashed as they are made (datatrove first builds a list of every n-gram)."""
        words = self.word_tokenizer.word_tokenize(simplify_text(text, self.config.norm_config))
        hashes = (self._hash_func(" ".join(gram)) for gram in ngrams(words, self.config.n_grams))
        return np.fromiter(hashes, dtype=np.uint64).reshape((-1, 1))

    def get_signature(self, shingles: np.ndarray) -> list[list[int]]:
        """datatrove's signature, computed over blocks of shingles: datatrove's own makes one
        (shingles x hashes) array, 1 KiB per shingle at 128 hashes (24 GiB for a 50 MB one-line page)."""
        a, b = self.parameters
        signature = np.full(a.shape[1], np.iinfo(np.uint64).max, dtype=np.uint64)
        for start in range(0, len(shingles), _SIGNATURE_BLOCK):
            hashed = (shingles[start : start + _SIGNATURE_BLOCK] * a + b) % _MERSENNE_PRIME
            if self.config.hash_config.precision == 32:
                hashed = np.bitwise_and(hashed, self.config.hash_config.max)
            np.minimum(signature, hashed.min(axis=0), out=signature)
        per_bucket = np.split(signature.astype(self.config.hash_config.np_dtype), self.config.num_buckets)
        return [bucket.tolist() for bucket in per_bucket]

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> None:
        for bucket in range(self.config.num_buckets):
            if self.output_folder.exists(signature_file(bucket, rank)):
                self.output_folder.rm(signature_file(bucket, rank))
        try:
            super().run(data, rank, world_size)
        except BaseException as error:
            _clear_frames_of(error.__traceback__, MinhashDedupSignature.run.__code__)
            raise


def _clear_frames_of(traceback: TracebackType | None, code: Any) -> None:
    """Drop the local variables (here: open files) of the finished frames of ``code`` in ``traceback``."""
    while traceback is not None:
        if traceback.tb_frame.f_code is code:
            traceback.tb_frame.clear()
        traceback = traceback.tb_next


class FirstCopyMinhashCluster(MinhashDedupCluster):
    """MinHash stage 3: check candidate pairs against a Jaccard threshold, keep each cluster's first copy.

    Reads datatrove's ``*.dups`` pairs of ``(task, document)`` ids and writes its ``{task:06d}.remove``
    files (sorted little-endian uint32 document ids), so datatrove's ``MinhashDedupFilter`` applies them.
    Since tasks hold contiguous slices of the ordered input, ``(task, document)`` order is input order.

    datatrove pairs two documents when one band of their signatures agrees, which also pairs documents
    that merely share a long passage (Jaccard 0.3-0.6 on pages with common blocks). With ``threshold``
    set, a pair joins a cluster only when the fraction of equal entries over the whole signature (read
    back from the signature stage's files in ``signatures_folder``) reaches it, as the in-process
    deduplicator checks.
    """

    name = "🎯 MinHash stage 3 (checked, first copy kept)"

    def __init__(
        self,
        input_folder: str,
        output_folder: str,
        config: MinhashConfig,
        signatures_folder: str | None = None,
        threshold: float | None = None,
    ):
        super().__init__(input_folder, output_folder, config=config)
        if threshold is not None and signatures_folder is None:
            raise ValueError("checking pairs against a threshold needs the signatures folder")
        self.signatures_folder = get_datafolder(signatures_folder) if signatures_folder is not None else None
        self.threshold = threshold

    def _candidate_pairs(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        pairs = set()
        for dup_file in sorted(self.input_folder.list_files(glob_pattern="*.dups")):
            with self.input_folder.open(dup_file, "rb") as handle:
                for f1, d1, f2, d2 in read_tuples_from_file(handle, "4I", lines_to_buffer=self.lines_to_buffer):
                    if (f1, d1) != (SENTINEL, SENTINEL):  # matches against an external index are not used here
                        pairs.add(((f1, d1), (f2, d2)))
        return sorted(pairs)

    def _signatures(self, nodes: set[tuple[int, int]]) -> dict[tuple[int, int], np.ndarray]:
        """The full signatures of ``nodes``, gathered from every bucket's sorted signature files."""
        rows, buckets = self.config.hashes_per_bucket, self.config.num_buckets
        record = np.dtype([("hashes", f"<{self.config.hash_config.struct_format}", (rows,)), ("doc", "<u4")])
        wanted: dict[int, list[int]] = {}
        for task, document in nodes:
            wanted.setdefault(task, []).append(document)
        signatures = {node: np.zeros(rows * buckets, dtype=record["hashes"].base) for node in nodes}
        for task, documents in wanted.items():
            documents_array = np.asarray(documents, dtype=np.uint32)
            for bucket in range(buckets):
                with self.signatures_folder.open(signature_file(bucket, task), "rb") as handle:
                    records = np.frombuffer(handle.read(), dtype=record)
                for entry in records[np.isin(records["doc"], documents_array)]:
                    signatures[(task, int(entry["doc"]))][bucket * rows : (bucket + 1) * rows] = entry["hashes"]
        return signatures

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if world_size != 1:
            raise ValueError(f"clustering runs as one task, got {world_size}")
        parent: dict[tuple[int, int], tuple[int, int]] = {}

        def root(node: tuple[int, int]) -> tuple[int, int]:
            path = []
            while parent.setdefault(node, node) != node:
                path.append(node)
                node = parent[node]
            for visited in path:
                parent[visited] = node
            return node

        with self.track_time():
            pairs = self._candidate_pairs()
            if self.threshold is not None:
                signatures = self._signatures({node for pair in pairs for node in pair})
                similar = [(a, b) for a, b in pairs if np.mean(signatures[a] == signatures[b]) >= self.threshold]
                self.stat_update("pairs_below_threshold", value=len(pairs) - len(similar))
                pairs = similar
            for a, b in pairs:
                first, second = root(a), root(b)
                if first != second:
                    parent[max(first, second)] = min(first, second)
            removals: dict[int, list[int]] = {}
            for node in parent:
                if root(node) != node:
                    removals.setdefault(node[0], []).append(node[1])
            for task, documents in sorted(removals.items()):
                with self.output_folder.open(f"{task:06d}.remove", "wb") as handle:
                    handle.write(struct.pack(f"<{len(documents)}I", *sorted(documents)))
                self.stat_update("to_remove", value=len(documents))
        return
        yield  # a generator, as pipeline steps are


class _MinhashRemoval:
    """The subset's near-duplicate deduplicator, answered from the flags of the MinHash filter."""

    reason = MinHashLSHDeduplicator.reason

    def __init__(self) -> None:
        self.removed = False

    def is_duplicate(self, document: Document) -> bool:
        return self.removed


def _with_removal_flags(documents: Iterator[DatatroveDocument], minhash_filter: MinhashDedupFilter, rank: int):
    """``(document, removed)`` for every document, in order, as datatrove's MinHash filter decides."""
    pending: deque[DatatroveDocument] = deque()

    def feed() -> Iterator[DatatroveDocument]:
        for document in documents:
            pending.append(document)
            yield document

    for kept in minhash_filter.run(feed(), rank=rank):
        while pending[0] is not kept:
            yield pending.popleft(), True
        yield pending.popleft(), False
    while pending:
        yield pending.popleft(), True


class SplitShardWriter(PipelineStep):
    """Writer: the final single task; deduplicates in input order, splits by content hash, writes shards atomically.

    Reads ``documents/{rank}.jsonl.gz`` and ``drops/{rank}.json`` for ranks ``0 .. tasks-1``, applies the
    subset's deduplicators in order (its MinHash one answered by datatrove's ``MinhashDedupFilter`` over
    ``minhash/remove``), writes ``{train,validation,test}`` shards and ``stats.json`` through
    :class:`~math_lm.data.shards.ShardedWriter`, and removes the intermediate documents.
    """

    name = "split and shard"
    type = "💽 - WRITER"

    def __init__(
        self, subset: Any, inputs: list[str], work_dir: str, output_dir: str, tasks: int, shard_bytes: int, minhash: bool
    ):
        super().__init__()
        self.subset = subset
        self.inputs = [str(path) for path in inputs]
        self.work_dir = str(work_dir)
        self.output_dir = str(output_dir)
        self.tasks = tasks
        self.shard_bytes = shard_bytes
        self.minhash = minhash

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if world_size != 1:
            raise ValueError(f"shard writing runs as one task, got {world_size}")
        work_dir = Path(self.work_dir)
        deduplicators = [
            _MinhashRemoval() if isinstance(d, MinHashLSHDeduplicator) else d for d in self.subset.deduplicators()
        ]
        minhash_flags = [d for d in deduplicators if isinstance(d, _MinhashRemoval)]
        stats = PreparationStats(subset=self.subset.name)
        examples: dict[str, list[str]] = {}
        documents_folder = get_datafolder(str(work_dir / DOCUMENTS_DIR))
        reader = JsonlReader(documents_folder, compression="gzip")
        minhash_filter = MinhashDedupFilter(str(work_dir / MINHASH_REMOVE_DIR)) if self.minhash else None
        with ShardedWriter(Path(self.output_dir), prefix=self.subset.name, shard_bytes=self.shard_bytes) as writer:
            for task in range(self.tasks):
                summary = json.loads(drops_file(work_dir, task).read_text(encoding="utf-8"))
                stats.work_units += summary["units"]
                for reason, entry in summary["dropped"].items():
                    total = stats.dropped.setdefault(reason, {"documents": 0, "bytes": 0})
                    total["documents"] += entry["documents"]
                    total["bytes"] += entry["bytes"]
                for reason, sources in summary["examples"].items():
                    kept = examples.setdefault(reason, [])
                    kept.extend(sources[: DROP_EXAMPLES_PER_REASON - len(kept)])
                stats.add_counters(summary["counters"])
                if not documents_folder.exists(documents_file(task)):
                    continue  # a task whose units kept no document writes no file
                documents = reader.read_file(documents_file(task))
                if minhash_filter is not None and minhash_filter.data_folder.isfile(f"{task:06d}.remove"):
                    flagged = _with_removal_flags(documents, minhash_filter, task)
                else:
                    flagged = ((document, False) for document in documents)
                for record, removed in flagged:
                    for flag in minhash_flags:
                        flag.removed = removed
                    document = Document(record.text, record.metadata["meta"], record.metadata["group"])
                    self.stat_update("documents")
                    duplicate_of = next((d for d in deduplicators if d.is_duplicate(document)), None)
                    if duplicate_of is not None:
                        stats.add_drop(duplicate_of.reason, len(document.text.encode("utf-8")))
                        self.stat_update(f"dropped_{duplicate_of.reason}")
                        continue
                    split = assign_split(document.text)
                    stats.add_kept(split, document.group, writer.write(split, document))
            summary = stats.to_dict()
            summary["inputs"] = self.inputs
            summary["drop_examples"] = dict(sorted(examples.items()))
            writer.commit(summary)
        for name in (DOCUMENTS_DIR, MINHASH_DIR):
            shutil.rmtree(work_dir / name, ignore_errors=True)
        return
        yield  # a generator, as pipeline steps are
