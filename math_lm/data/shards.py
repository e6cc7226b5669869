"""Sharded ``.jsonl.zst`` output under ``DIR/{train,validation,test}/``, written atomically.

Everything is written inside a hidden staging directory in ``DIR``; :meth:`ShardedWriter.commit` moves the
split directories and ``stats.json`` into place only after every shard is closed, so an interrupted run
never leaves output that looks complete. ``stats.json`` is moved last and marks a finished run.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

import zstandard

from megatron.interrupts import pid_tag, remove_stale_temporaries

from math_lm.data.documents import SPLITS, Document

logger = logging.getLogger(__name__)

STATS_FILE = "stats.json"
STAGING_PREFIX = ".prepare-incomplete-"


class OutputExistsError(FileExistsError):
    """The output directory already holds prepared data."""


def check_output_free(output_dir: Path) -> None:
    """Raise :class:`OutputExistsError` when ``output_dir`` already holds a split directory or ``stats.json``."""
    for name in (*SPLITS, STATS_FILE):
        target = Path(output_dir) / name
        if target.exists():
            raise OutputExistsError(f"{target} already exists: choose an empty --output-dir or remove the old output")


class ShardedWriter:
    """Writes documents to per-split zstd-compressed JSON-lines shards of about ``shard_bytes`` each.

    Shards are named ``{prefix}-{split}-{index:05d}.jsonl.zst``; a new shard starts once the uncompressed
    size of the current one reaches ``shard_bytes``. Use as a context manager: leaving the block with an
    exception removes the staging directory.
    """

    def __init__(self, output_dir: Path, prefix: str, shard_bytes: int = 256 * 1024 * 1024, level: int = 3):
        if shard_bytes < 1:
            raise ValueError(f"shard_bytes must be positive, got {shard_bytes}")
        self.output_dir = Path(output_dir)
        self.prefix = prefix
        self.shard_bytes = shard_bytes
        check_output_free(self.output_dir)
        self.output_dir.mkdir(parents=True, exist_ok=True)
        for stale in remove_stale_temporaries(self.output_dir, STAGING_PREFIX):
            logger.info("removed %s, left by a run that was killed", stale)
        self._staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{pid_tag()}-", dir=self.output_dir))
        for split in SPLITS:
            (self._staging / split).mkdir()
        self._level = level
        self._open: dict[str, tuple[BinaryIO, Any]] = {}
        self._shard_index = {split: 0 for split in SPLITS}
        self._shard_written = {split: 0 for split in SPLITS}
        self.shard_paths: dict[str, list[str]] = {split: [] for split in SPLITS}
        self._committed = False

    def _writer(self, split: str) -> Any:
        if split not in self._open:
            name = f"{self.prefix}-{split}-{self._shard_index[split]:05d}.jsonl.zst"
            raw = open(self._staging / split / name, "wb")
            # one compressor per open shard: a zstandard compressor runs one stream at a time
            self._open[split] = (raw, zstandard.ZstdCompressor(level=self._level).stream_writer(raw))
            self._shard_written[split] = 0
            self.shard_paths[split].append(f"{split}/{name}")
        return self._open[split][1]

    def _close_shard(self, split: str) -> None:
        raw, stream = self._open.pop(split)
        stream.close()  # flushes the zstd frame and closes ``raw``
        if not raw.closed:
            raw.close()
        self._shard_index[split] += 1

    def write(self, split: str, document: Document) -> int:
        """Append a document to ``split``; returns the UTF-8 byte length of its text."""
        if split not in SPLITS:
            raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
        line = document.to_json_line().encode("utf-8")
        self._writer(split).write(line)
        self._shard_written[split] += len(line)
        if self._shard_written[split] >= self.shard_bytes:
            self._close_shard(split)
        return len(document.text.encode("utf-8"))

    def commit(self, stats: dict[str, Any]) -> dict[str, Any]:
        """Close all shards, write ``stats.json`` and move everything into ``output_dir``.

        Returns the statistics as written, with ``shards`` (relative shard paths per split) added.
        """
        for split in list(self._open):
            self._close_shard(split)
        stats = dict(stats)
        stats["shards"] = self.shard_paths
        stats_tmp = self._staging / STATS_FILE
        stats_tmp.write_text(json.dumps(stats, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        for split in SPLITS:
            os.replace(self._staging / split, self.output_dir / split)
        os.replace(stats_tmp, self.output_dir / STATS_FILE)
        self._staging.rmdir()
        self._committed = True
        return stats

    def abort(self) -> None:
        """Close open shards and delete the staging directory."""
        for split in list(self._open):
            try:
                self._close_shard(split)
            except OSError:
                pass
        shutil.rmtree(self._staging, ignore_errors=True)

    def __enter__(self) -> "ShardedWriter":
        return self

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        if not self._committed:
            self.abort()
