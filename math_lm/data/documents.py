"""Records shared by the Proof-Pile-2 preprocessors: documents, drops, decoding, splits and statistics."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import zstandard

logger = logging.getLogger(__name__)

SPLITS: tuple[str, ...] = ("train", "validation", "test")
# Per-mille boundaries of the content-hash split: [0, 990) train, [990, 995) validation, [995, 1000) test.
_TRAIN_PER_MILLE = 990
_VALIDATION_PER_MILLE = 995

_BINARY_SNIFF_BYTES = 8192
# Drops that mean a broken input file (not a page or file that a filter turned down): each is logged as
# a warning naming the file, since stats.json counts drops by reason only.
BROKEN_INPUT_REASONS = frozenset(
    {"unreadable", "bad_archive", "bad_warc", "bad_parquet", "bad_notebook", "bad_jsonl_row", "bad_html"}
)


@dataclass
class Document:
    """One cleaned output document.

    ``group`` is the language (algebraic-stack) or source kind (arxiv, open-web-math) that statistics are
    counted under; ``signature`` is an optional MinHash signature, read only by the in-process
    :class:`~math_lm.data.dedup.MinHashLSHDeduplicator` (the pipeline's datatrove stages hash the text
    themselves), and is never written out.
    """

    text: str
    meta: dict[str, Any]
    group: str
    signature: Any = None

    def to_json_line(self) -> str:
        """The document as one ``{"text", "meta"}`` JSON line (with trailing newline)."""
        return json.dumps({"text": self.text, "meta": self.meta}, ensure_ascii=False) + "\n"


@dataclass
class Drop:
    """An input (file, archive member, row, record, page) that was skipped, and why."""

    reason: str
    nbytes: int = 0
    source: str = ""


@dataclass
class UnitResult:
    """What processing one unit of work produced: kept documents, drops, and named event counters."""

    documents: list[Document] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def drop(self, reason: str, nbytes: int = 0, source: str = "") -> None:
        """Record one skipped input; a broken input (:data:`BROKEN_INPUT_REASONS`) is also logged."""
        if reason in BROKEN_INPUT_REASONS:
            logger.warning("dropped %s (%s)", source, reason)
        self.drops.append(Drop(reason, nbytes, source))

    def count(self, name: str, amount: int = 1) -> None:
        """Add to a named counter (events that are not drops, e.g. theorems removed by decontamination)."""
        self.counters[name] = self.counters.get(name, 0) + amount

    def extend(self, other: "UnitResult") -> None:
        """Merge another result into this one, keeping document order."""
        self.documents.extend(other.documents)
        self.drops.extend(other.drops)
        for name, amount in other.counters.items():
            self.count(name, amount)


class DecodeError(ValueError):
    """Raw bytes that are not usable text; ``reason`` is the drop reason (``empty``, ``binary``, ``encoding``)."""

    def __init__(self, reason: str, source: str):
        super().__init__(f"{source}: {reason}")
        self.reason = reason
        self.source = source


def decode_text(data: bytes, source: str, encoding: str = "utf-8") -> str:
    """Decode file bytes as text, raising :class:`DecodeError` for empty, binary or undecodable input.

    A file is binary when a NUL byte occurs in its first 8 KiB. A UTF-8 byte-order mark is removed.
    No guessing of other encodings is done: input that is not valid in ``encoding`` is rejected.
    """
    if not data.strip():
        raise DecodeError("empty", source)
    if b"\x00" in data[:_BINARY_SNIFF_BYTES]:
        raise DecodeError("binary", source)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise DecodeError("encoding", source) from None
    return text.removeprefix("\ufeff")


def assign_split(text: str) -> str:
    """The split of a document, decided by the SHA-256 of its text: 99% train, 0.5% validation, 0.5% test.

    The same text always lands in the same split, whatever the input order or worker count.
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    per_mille = int.from_bytes(digest[:8], "big") % 1000
    if per_mille < _TRAIN_PER_MILLE:
        return "train"
    if per_mille < _VALIDATION_PER_MILLE:
        return "validation"
    return "test"


def check_inputs_exist(paths: list[Path]) -> None:
    """Raise ``FileNotFoundError`` naming the first input path that does not exist."""
    if not paths:
        raise ValueError("no --input paths given")
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"input path does not exist: {path}")


def walk_files(root: Path) -> list[Path]:
    """All regular files under ``root`` in sorted order, skipping hidden files and directories (``.git``).

    Symlinked directories are not descended into, so a symlink loop cannot be followed; a symlink that
    leads nowhere (a loop of links, or a missing target) is skipped with a warning.
    """
    found: list[Path] = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file():
            found.append(path)
        elif path.is_symlink() and not path.exists():
            logger.warning("skipping %s: a symlink that leads nowhere (a loop of links or a missing target)", path)
    return found


def is_jsonl_path(path: Path | str) -> bool:
    """Whether a file name is a JSON-lines file, plain or compressed (``.jsonl``, ``.jsonl.zst``, ``.jsonl.gz``)."""
    name = str(path).lower()
    return name.endswith((".jsonl", ".jsonl.zst", ".jsonl.gz"))


def open_maybe_compressed(path: Path) -> io.BufferedIOBase:
    """Open a file for binary reading, transparently decompressing ``.zst`` and ``.gz``."""
    name = path.name.lower()
    if name.endswith(".zst"):
        raw = open(path, "rb")
        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, closefd=True))
    if name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


class JsonlRowError(ValueError):
    """A line of a JSON-lines file that is not a JSON object."""


def iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | JsonlRowError]]:
    """Yield ``(line_number, row)`` for every non-blank line; a bad line yields a :class:`JsonlRowError`.

    Bad lines are returned rather than raised so that callers can count them and go on.
    """
    with open_maybe_compressed(path) as handle:
        for line_number, raw_line in enumerate(handle, start=1):
            if not raw_line.strip():
                continue
            try:
                row = json.loads(raw_line)
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                yield line_number, JsonlRowError(f"{path}:{line_number}: not valid JSON ({error})")
                continue
            if not isinstance(row, dict):
                yield line_number, JsonlRowError(f"{path}:{line_number}: JSON value is not an object")
                continue
            yield line_number, row


@dataclass
class PreparationStats:
    """Counts for ``stats.json``: documents and bytes kept per split and group, drops by reason, counters."""

    subset: str
    kept: dict[str, dict[str, dict[str, int]]] = field(
        default_factory=lambda: {split: {} for split in SPLITS}
    )
    dropped: dict[str, dict[str, int]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    work_units: int = 0

    def add_kept(self, split: str, group: str, nbytes: int) -> None:
        """Count one written document."""
        entry = self.kept[split].setdefault(group, {"documents": 0, "bytes": 0})
        entry["documents"] += 1
        entry["bytes"] += nbytes

    def add_drop(self, reason: str, nbytes: int) -> None:
        """Count one dropped input."""
        entry = self.dropped.setdefault(reason, {"documents": 0, "bytes": 0})
        entry["documents"] += 1
        entry["bytes"] += nbytes

    def add_counters(self, counters: dict[str, int]) -> None:
        """Merge named event counters."""
        for name, amount in counters.items():
            self.counters[name] = self.counters.get(name, 0) + amount

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form written to ``stats.json``."""
        splits = {}
        for split in SPLITS:
            groups = dict(sorted(self.kept[split].items()))
            splits[split] = {
                "documents": sum(entry["documents"] for entry in groups.values()),
                "bytes": sum(entry["bytes"] for entry in groups.values()),
                "by_group": groups,
            }
        return {
            "subset": self.subset,
            "work_units": self.work_units,
            "splits": splits,
            "kept_documents": sum(splits[s]["documents"] for s in SPLITS),
            "dropped": dict(sorted(self.dropped.items())),
            "dropped_documents": sum(entry["documents"] for entry in self.dropped.values()),
            "counters": dict(sorted(self.counters.items())),
        }
