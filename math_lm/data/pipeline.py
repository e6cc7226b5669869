"""The driver shared by every subset: discover work, process it in parallel, deduplicate, split, shard.

A subset supplies :class:`Subset`: how to turn input paths into picklable units of work, how to process one
unit into documents and drops (this runs in worker processes), and which deduplicators to apply. Results
come back in input order, so deduplication (first copy wins) and the output are the same for any
``workers``.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
import time
from pathlib import Path
from typing import Any, Iterable, Iterator, Protocol, Sequence

from tqdm import tqdm

from math_lm.data.documents import PreparationStats, UnitResult, assign_split, check_inputs_exist
from math_lm.data.shards import ShardedWriter

logger = logging.getLogger(__name__)

_LOG_EVERY_SECONDS = 30.0


class Deduplicator(Protocol):
    """Anything with a drop ``reason`` and an ``is_duplicate(document)`` that remembers what it kept."""

    reason: str

    def is_duplicate(self, document: Any) -> bool: ...


class Subset(Protocol):
    """One Proof-Pile-2 subset preprocessor."""

    name: str

    def work_units(self, inputs: Sequence[Path]) -> list[Any]:
        """Picklable units of work for the given (existing) input paths, in a deterministic order."""
        ...

    def process(self, unit: Any) -> UnitResult:
        """Process one unit; bad input becomes drops, never exceptions."""
        ...

    def deduplicators(self) -> list[Deduplicator]:
        """Fresh deduplicators, applied in order to every document."""
        ...


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


def _results(subset: Subset, units: list[Any], workers: int) -> Iterator[UnitResult]:
    if workers <= 1 or len(units) <= 1:
        for unit in units:
            yield subset.process(unit)
        return
    chunksize = max(1, min(64, len(units) // (workers * 8)))
    # fork where the platform has it: spawned workers must re-import the caller's __main__, which fails
    # (and makes the pool respawn workers forever) when the caller is an interactive or stdin script.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(workers) as pool:
        yield from pool.imap(subset.process, units, chunksize=chunksize)


def run_subset(
    subset: Subset,
    inputs: Sequence[Path],
    output_dir: Path,
    workers: int = 1,
    shard_bytes: int = 256 * 1024 * 1024,
) -> dict[str, Any]:
    """Prepare one subset from ``inputs`` into ``output_dir``; returns the statistics written to stats.json.

    Raises ``FileNotFoundError`` for a missing input path and ``FileExistsError`` when ``output_dir``
    already holds prepared output; both are checked before any work is done.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    input_paths = [Path(path) for path in inputs]
    check_inputs_exist(input_paths)
    units = subset.work_units(input_paths)
    stats = PreparationStats(subset=subset.name, work_units=len(units))
    deduplicators = subset.deduplicators()
    with ShardedWriter(Path(output_dir), prefix=subset.name, shard_bytes=shard_bytes) as writer:
        for result in progress(_results(subset, units, workers), len(units), f"prepare {subset.name}"):
            for drop in result.drops:
                stats.add_drop(drop.reason, drop.nbytes)
            stats.add_counters(result.counters)
            for document in result.documents:
                duplicate_of = next((d for d in deduplicators if d.is_duplicate(document)), None)
                if duplicate_of is not None:
                    stats.add_drop(duplicate_of.reason, len(document.text.encode("utf-8")))
                    continue
                split = assign_split(document.text)
                stats.add_kept(split, document.group, writer.write(split, document))
        summary = stats.to_dict()
        summary["inputs"] = [str(path) for path in input_paths]
        summary = writer.commit(summary)
    for split, entry in summary["splits"].items():
        if entry["documents"] == 0:
            logger.warning("%s: split %r is empty", subset.name, split)
    return summary
