"""Streaming reader for raw corpora: .jsonl, .jsonl.zst, .json.zst, .jsonl.zst.tar, .jsonl.gz, .txt, .gz.

The reader only splits files into records and counts their positions; decoding and
validating each record is the tokenizing worker's job, so it runs in parallel. Records
come in `CorpusChunk`s of consecutive records of one file.

Formats (lm-dataformat's conventions, with errors instead of silent truncation):
    .jsonl, .jsonl.zst, .jsonl.gz, .json.gz   one JSON object per line
    .jsonl.zst.tar                            a tar of .jsonl.zst (or .jsonl) members
    .json.zst                                 a JSON array of objects, or JSON lines
    .txt                                      the whole file is one document (key "text")
    .gz (other)                               each line is one document (key "text")
A directory stands for its files with these extensions, in name order.
"""
from __future__ import annotations

import gzip
import json
import os
import tarfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import zstandard

JSON_FORMATS = ("jsonl.zst.tar", "jsonl.zst", "json.zst", "jsonl.gz", "json.gz", "jsonl")
TEXT_FORMATS = ("txt", "gz")
SUPPORTED_SUFFIXES = tuple("." + fmt for fmt in JSON_FORMATS + TEXT_FORMATS)
TEXT_KEY = "text"
_READ_BLOCK = 1 << 20
_ZSTD_READ_BLOCK = 1 << 16  # compressed bytes per step, which bounds the decompressed size per step


class CorpusReadError(ValueError):
    """An input file that cannot be read: missing, unsupported, truncated or corrupt."""


@dataclass
class CorpusChunk:
    """Consecutive records of one input file.

    Attributes:
        source: the file (for tar members, "archive.tar:member").
        first_record: 1-based line (or array element) number of `records[0]`.
        records: the raw bytes of each record, without the line break.
        is_json: records are JSON objects (else each record is a document's text).
        unit: "line", or "element" for the items of a JSON array.
    """

    source: str
    first_record: int
    records: list[bytes]
    is_json: bool
    unit: str = "line"

    def location(self, index: int, line_offset: int = 0) -> str:
        """Where record `index` of this chunk is, as "file:line" (or "file: element n")."""
        if self.unit == "element":
            return f"{self.source}: element {self.first_record + index}"
        return f"{self.source}:{self.first_record + index + line_offset}"


def input_format(path: str) -> str:
    """The format of `path`, named by its suffix without the leading dot ("jsonl.zst", "txt", ...)."""
    for fmt in JSON_FORMATS + TEXT_FORMATS:
        if path.endswith("." + fmt):
            return fmt
    raise CorpusReadError(f"{path}: unsupported input type; expected one of {', '.join(SUPPORTED_SUFFIXES)}")


def is_json_format(fmt: str) -> bool:
    """Whether records of this format are JSON objects with keys (rather than plain text)."""
    return fmt in JSON_FORMATS


def expand_inputs(inputs: str | Sequence[str]) -> list[str]:
    """The input files: a comma-separated string or a list, directories expanded to their supported files."""
    items = inputs.split(",") if isinstance(inputs, str) else list(inputs)
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise ValueError("no input files given")
    paths: list[str] = []
    for item in items:
        if os.path.isdir(item):
            found = sorted(
                os.path.join(item, name) for name in os.listdir(item)
                if name.endswith(SUPPORTED_SUFFIXES) and os.path.isfile(os.path.join(item, name))
            )
            if not found:
                raise CorpusReadError(f"{item}: directory holds no input files ({', '.join(SUPPORTED_SUFFIXES)})")
            paths.extend(found)
        elif os.path.isfile(item):
            input_format(item)
            paths.append(item)
        else:
            raise FileNotFoundError(f"input file not found: {item}")
    return paths


def iter_chunks(paths: Sequence[str], chunk_bytes: int = 256 * 1024, chunk_records: int = 4096) -> Iterator[CorpusChunk]:
    """Yield the records of `paths`, in order, in chunks of about `chunk_bytes` and at most `chunk_records`."""
    for path in paths:
        fmt = input_format(path)
        if fmt == "txt":
            with open(path, "rb") as handle:
                yield CorpusChunk(path, 1, [handle.read()], is_json=False)
        elif fmt == "json.zst":
            yield from _json_zst_chunks(path, chunk_bytes, chunk_records)
        elif fmt == "jsonl.zst.tar":
            yield from _tar_chunks(path, chunk_bytes, chunk_records)
        else:
            blocks = {
                "jsonl": _plain_blocks, "jsonl.zst": _zstd_file_blocks,
                "jsonl.gz": _gzip_blocks, "json.gz": _gzip_blocks, "gz": _gzip_blocks,
            }[fmt](path)
            yield from _line_chunks(path, blocks, is_json_format(fmt), chunk_bytes, chunk_records)


def _line_chunks(
    source: str, blocks: Iterable[bytes], is_json: bool, chunk_bytes: int, chunk_records: int,
) -> Iterator[CorpusChunk]:
    """Split a stream of byte blocks into lines and group them into chunks."""
    next_line = 1
    pending: list[bytes] = []
    pending_bytes = 0
    carry: list[bytes] = []  # pieces of a line that has not ended yet
    for block in blocks:
        if b"\n" not in block:
            carry.append(block)
            continue
        lines = (b"".join(carry) + block if carry else block).split(b"\n")
        carry = [lines.pop()]
        for line in lines:
            pending.append(line if is_json else line.rstrip(b"\r"))
            pending_bytes += len(line) + 1
            if pending_bytes >= chunk_bytes or len(pending) >= chunk_records:
                yield CorpusChunk(source, next_line, pending, is_json)
                next_line += len(pending)
                pending, pending_bytes = [], 0
    last_line = b"".join(carry)
    if last_line:
        pending.append(last_line if is_json else last_line.rstrip(b"\r"))
    if pending:
        yield CorpusChunk(source, next_line, pending, is_json)


def _plain_blocks(path: str) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while block := handle.read(_READ_BLOCK):
            yield block


def _gzip_blocks(path: str) -> Iterator[bytes]:
    try:
        with gzip.open(path, "rb") as handle:
            while block := handle.read(_READ_BLOCK):
                yield block
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise CorpusReadError(f"{path}: corrupt or truncated gzip file ({error})") from error


def _zstd_file_blocks(path: str) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        yield from _zstd_blocks(handle, path)


def _zstd_blocks(compressed: BinaryIO, name: str) -> Iterator[bytes]:
    """Decompress every zstd frame of `compressed`; a frame cut short is an error naming `name`."""
    decompressor = zstandard.ZstdDecompressor()
    frame = decompressor.decompressobj()
    frame_started = False
    try:
        while block := compressed.read(_ZSTD_READ_BLOCK):
            while block:
                output = frame.decompress(block)
                frame_started = True
                if output:
                    yield output
                if frame.eof:
                    block = frame.unused_data
                    frame = decompressor.decompressobj()
                    frame_started = False
                else:
                    block = b""
    except zstandard.ZstdError as error:
        raise CorpusReadError(f"{name}: corrupt zstd data ({error})") from error
    if frame_started:
        raise CorpusReadError(f"{name}: truncated zstd file (the last frame is incomplete)")


def _json_zst_chunks(path: str, chunk_bytes: int, chunk_records: int) -> Iterator[CorpusChunk]:
    """A .json.zst holds either one JSON array of documents or JSON lines."""
    content = b"".join(_zstd_file_blocks(path))
    if not content.lstrip()[:1] == b"[":
        yield from _line_chunks(path, [content], True, chunk_bytes, chunk_records)
        return
    try:
        items = json.loads(content)
    except UnicodeDecodeError as error:
        raise CorpusReadError(f"{path}: invalid UTF-8 at byte {error.start} of the JSON array") from error
    except json.JSONDecodeError as error:
        raise CorpusReadError(f"{path}:{error.lineno}: not a valid JSON array ({error.msg})") from error
    # Items are re-encoded so that workers validate them like JSON lines; a lone surrogate
    # escape survives as bytes that fail UTF-8 decoding there.
    for start in range(0, len(items), chunk_records):
        records = [
            json.dumps(item, ensure_ascii=False).encode("utf-8", "surrogatepass")
            for item in items[start : start + chunk_records]
        ]
        yield CorpusChunk(path, start + 1, records, is_json=True, unit="element")


def _tar_chunks(path: str, chunk_bytes: int, chunk_records: int) -> Iterator[CorpusChunk]:
    try:
        with tarfile.open(path, mode="r|") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                source = f"{path}:{member.name}"
                handle = archive.extractfile(member)
                if member.name.endswith(".jsonl.zst"):
                    blocks = _zstd_blocks(handle, source)
                elif member.name.endswith(".jsonl"):
                    blocks = iter(lambda: handle.read(_READ_BLOCK), b"")
                else:
                    raise CorpusReadError(f"{source}: tar member is neither .jsonl.zst nor .jsonl")
                yield from _line_chunks(source, blocks, True, chunk_bytes, chunk_records)
    except tarfile.TarError as error:
        raise CorpusReadError(f"{path}: corrupt or truncated tar file ({error})") from error
