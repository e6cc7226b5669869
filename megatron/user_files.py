"""Files that users hand us, read so that bad bytes end in one line naming the file, never a traceback.

Every reader of a user's file (JSONL, YAML, JSON, safetensors, `.bin`/`.idx`, tokenizers, WARC,
tar and zip) reads through here or inside `reading(path)`. A decoding, parsing or truncation error
then becomes one `UserFileError` naming the file, and the line (text) or the item (a tensor, an
archive member) where known; every command-line tool prints it as one line (`run_tool`:
`error: <file>:<line>: <what>`) and exits with status 2.

The decoding itself stays with the libraries (codecs, json, PyYAML, safetensors, zstandard...):
this module only knows which of their exceptions mean "these bytes are not what the format says",
and where in the file they were.
"""
from __future__ import annotations

import contextlib
import gzip
import json
import lzma
import os
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path
from typing import Any, Iterator

EXIT_STATUS = 2


class UserFileError(ValueError):
    """A user's file cannot be read as what it should be: `path`, then `line` or `item` where known."""

    def __init__(self, path: str | os.PathLike, detail: str, line: int | None = None, item: str | None = None):
        self.path, self.detail, self.line, self.item = str(path), detail, line, item
        where = f"{path}:{line}" if line is not None else str(path)
        if item is not None:
            where += f": {item}"
        super().__init__(f"{where}: {detail}")


def _library_errors() -> tuple[type[BaseException], ...]:
    """The exceptions of the format libraries that mean damaged or truncated input."""
    errors: list[type[BaseException]] = []
    for module, name in (("yaml", "YAMLError"), ("safetensors", "SafetensorError"), ("zstandard", "ZstdError"),
                         ("google.protobuf.message", "DecodeError")):
        try:
            errors.append(getattr(__import__(module, fromlist=[name]), name))
        except (ImportError, AttributeError):
            continue
    return tuple(errors)


DAMAGED_FILE_ERRORS: tuple[type[BaseException], ...] = (
    UnicodeDecodeError, json.JSONDecodeError, EOFError, zlib.error, gzip.BadGzipFile, lzma.LZMAError,
    tarfile.TarError, zipfile.BadZipFile, struct.error, *_library_errors(),
)  # fmt: skip
"""Exceptions that say a file's bytes are damaged or cut short (not: missing, unreadable)."""


def describe(error: BaseException) -> str:
    """One line saying what is wrong, without the library's multi-line decoration."""
    if isinstance(error, UnicodeDecodeError):
        return f"not UTF-8 text (byte 0x{error.object[error.start]:02x} cannot be decoded)"
    if isinstance(error, json.JSONDecodeError):
        return f"not valid JSON ({error.msg}, column {error.colno})"
    if isinstance(error, EOFError):
        return f"cut short ({error or 'ended before the end of its data'})"
    problem = getattr(error, "problem", None)  # PyYAML's MarkedYAMLError
    if problem:
        return f"not valid YAML ({problem})"
    text = " ".join(str(error).split()) or type(error).__name__
    return f"damaged or cut short ({text})"


def _line_of(error: BaseException) -> int | None:
    mark = getattr(error, "problem_mark", None)  # PyYAML
    if mark is not None:
        return mark.line + 1
    if isinstance(error, json.JSONDecodeError):
        return error.lineno
    return None


def damaged(path: str | os.PathLike, error: BaseException, item: str | None = None,
            line: int | None = None) -> UserFileError:
    """The `UserFileError` for `error` (one of `DAMAGED_FILE_ERRORS`) raised reading `path`."""
    return UserFileError(path, describe(error), line if line is not None else _line_of(error), item)


@contextlib.contextmanager
def reading(path: str | os.PathLike, item: str | None = None, line: int | None = None) -> Iterator[None]:
    """Within the block, a damaged-file error (`DAMAGED_FILE_ERRORS`) raised while reading `path`
    becomes a `UserFileError` naming `path` (and `item`, `line`, or the line the parser reports)."""
    try:
        yield
    except UserFileError:
        raise
    except DAMAGED_FILE_ERRORS as error:
        raise damaged(path, error, item, line) from error


def decode_text(path: str | os.PathLike, data: bytes) -> str:
    """`data` (the bytes of `path`) as UTF-8 text; a bad byte is an error naming its line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserFileError(path, describe(error), line=data.count(b"\n", 0, error.start) + 1) from error


def read_text(path: str | os.PathLike) -> str:
    """The whole of a UTF-8 text file (not found and unreadable files raise OSError as usual)."""
    return decode_text(path, Path(path).read_bytes())


def iter_lines(path: str | os.PathLike) -> Iterator[tuple[int, str]]:
    """The lines of a UTF-8 text file with their 1-based numbers, streamed."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise UserFileError(path, describe(error), line=number) from error


def iter_json_lines(path: str | os.PathLike) -> Iterator[tuple[int, Any]]:
    """The JSON values of a `.jsonl` file with their line numbers; blank lines are skipped. A line
    cut short or not JSON is an error naming its line."""
    for number, line in iter_lines(path):
        if line.strip():
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                raise UserFileError(path, describe(error), line=number) from error


def read_json(path: str | os.PathLike) -> Any:
    """A JSON file's value; bad bytes or bad JSON are an error naming the line."""
    text = read_text(path)
    with reading(path):
        return json.loads(text)


def read_yaml(path: str | os.PathLike) -> Any:
    """A YAML file's value (`yaml.safe_load`); bad bytes or bad YAML are an error naming the line."""
    import yaml

    text = read_text(path)
    with reading(path):
        return yaml.safe_load(text)


def check_safetensors(path: str | os.PathLike) -> None:
    """Parse a safetensors file's header, which also checks that the file is as long as it says
    (a cut file is an error naming it); the tensors themselves are not read."""
    from safetensors import safe_open

    with reading(path), safe_open(path, framework="pt") as handle:
        handle.keys()


def check_model_directory(directory: str | os.PathLike) -> None:
    """Check the files of an HF model directory before a library loads it (and reports a damaged
    one without its name): every `.json` parses, every safetensors header is whole, every torch
    `.bin` has a readable zip directory."""
    for path in sorted(Path(directory).iterdir()):
        if path.suffix == ".json":
            read_json(path)
        elif path.suffix == ".safetensors":
            check_safetensors(path)
        elif path.suffix == ".bin":
            with open(path, "rb") as handle:
                zipped = handle.read(4) == b"PK\x03\x04"  # torch's format since 1.6
            if zipped and not zipfile.is_zipfile(path):
                raise UserFileError(path, "cut short (the zip archive has no central directory)")
