"""Web pages out of WARC files (``.warc``, ``.warc.gz``), read with FastWARC, HTTP bodies decoded.

FastWARC frames the records and parses the HTTP headers. HTTP bodies are decoded here, per record: chunked
transfer encoding (FastWARC's ``ChunkedReader``), then ``gzip``/``x-gzip``/``deflate`` content encoding
(zlib; ``deflate`` as sent by servers in both its zlib-wrapped and raw forms) and ``br`` (Brotli), each
inflated as a stream within the :class:`~math_lm.data.budget.DocumentBudget`.
FastWARC can decode bodies itself (``auto_decode``), but a body that fails to decode then ends the
iteration of the whole file, and raw deflate fails; decoding each body apart keeps one bad body a drop.

What FastWARC lets through silently is checked: a record cut short (its block shorter than its
``Content-Length``) and a non-empty file in which no record is found raise :class:`WarcFormatError`.
Gzipped files are decompressed by Python's :mod:`gzip` and handed to FastWARC as a stream, because
FastWARC's own gzip reader ends quietly at a truncated gzip member; Python's raises. (Measured on a
synthetic 3,000-record ``.warc.gz`` with 32 MB of bodies: 0.14 s against FastWARC's own 0.05 s, about 1% of
the time extracting those pages takes.)
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

import brotli
from fastwarc.stream_io import ChunkedReader
from fastwarc.warc import ArchiveIterator, WarcRecordType

from math_lm.data.budget import BudgetExceeded, DocumentBudget, inflate, unbrotli

_PAGE_RECORD_TYPES = (WarcRecordType.response, WarcRecordType.resource)
# zlib's automatic header detection: gzip or zlib-wrapped deflate.
_GZIP_OR_ZLIB = 32 + zlib.MAX_WBITS
_RAW_DEFLATE = -zlib.MAX_WBITS


class WarcFormatError(ValueError):
    """A WARC file that is not one, or is cut short; the message names the file and record."""


class HttpBodyError(ValueError):
    """An HTTP body whose transfer or content encoding cannot be undone."""


@dataclass
class WarcPage:
    """One ``response`` or ``resource`` record.

    ``status`` is ``None`` for resource records (no HTTP); ``problem`` is a drop reason
    (``bad_http_response``, ``bad_http_body``, ``too_large``, ``decompression_bomb``) when the record
    holds no usable body, else ``None``.
    """

    index: int
    record_type: str
    target_uri: str | None
    status: int | None
    content_type: str | None
    body: bytes
    problem: str | None = None
    nbytes: int | None = None  # bytes of the record as stored, when the body was not read

    @property
    def size(self) -> int:
        """The page's size for drop statistics: the record's when it was not read, else the body's."""
        return self.nbytes if self.nbytes is not None else len(self.body)


def decode_http_body(
    body: bytes, transfer_encoding: str | None, content_encoding: str | None, budget: DocumentBudget = DocumentBudget()
) -> bytes:
    """Undo chunked transfer encoding, then each content encoding (in reverse order of application).

    Content encodings are inflated as streams: past ``budget.max_source_bytes`` of output the body is
    :class:`~math_lm.data.budget.BudgetExceeded` ``too_large``, past ``max_decompressed_bytes``
    ``decompression_bomb`` (both raised without holding more than the first).
    """
    try:
        if transfer_encoding and "chunked" in transfer_encoding.lower():
            body = ChunkedReader(io.BytesIO(body)).read()
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        keep, limit = budget.max_source_bytes, budget.max_decompressed_bytes
        for coding in reversed(codings):
            if coding in ("gzip", "x-gzip"):
                body = inflate(body, _GZIP_OR_ZLIB, keep, limit)
            elif coding == "deflate":
                try:
                    body = inflate(body, _GZIP_OR_ZLIB, keep, limit)
                except zlib.error:
                    body = inflate(body, _RAW_DEFLATE, keep, limit)
            elif coding == "br":
                body = unbrotli(body, keep, limit)
            elif coding != "identity":
                raise HttpBodyError(f"unsupported content encoding {coding!r}")
    except (OSError, zlib.error, brotli.error) as error:
        raise HttpBodyError(str(error)) from None
    return body


def iter_warc_pages(path: Path, budget: DocumentBudget = DocumentBudget()) -> Iterator[WarcPage]:
    """Every response and resource record of a WARC file, in order (``index`` counts all records).

    A record whose block is over ``budget.max_input_bytes`` is not read (``problem`` ``too_large``, empty
    ``body``); bodies are decoded within the budget (see :func:`decode_http_body`).

    Raises :class:`WarcFormatError` for a file FastWARC cannot read, a truncated record, or a non-empty
    file without records; pages read before the error may have been yielded by then.
    """
    path = Path(path)
    index = -1
    try:
        with _open(path) as stream:
            for index, record in enumerate(ArchiveIterator(stream, parse_http=True, auto_decode="none")):
                if record.headers.get("Content-Length") is None:
                    raise WarcFormatError(f"{path}: record {index} has no Content-Length (file cut short?)")
                if record.record_type not in _PAGE_RECORD_TYPES:
                    continue
                yield _page(record, index, path, budget)
    except (OSError, EOFError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
        raise WarcFormatError(f"{path}: record {index + 1}: {error or type(error).__name__}") from None
    if index < 0 and path.stat().st_size > 0:
        raise WarcFormatError(f"{path}: no WARC record found")


def _open(path: Path) -> BinaryIO:
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else open(path, "rb")  # type: ignore[return-value]


def _page(record, index: int, path: Path, budget: DocumentBudget) -> WarcPage:
    record_type = "response" if record.record_type == WarcRecordType.response else "resource"
    uri = record.headers.get("WARC-Target-URI")
    if record.content_length > budget.max_input_bytes:
        return WarcPage(index, record_type, uri, None, None, b"", problem="too_large", nbytes=record.content_length)
    body = record.reader.read()
    if len(body) < record.content_length:
        raise WarcFormatError(f"{path}: record {index} is truncated ({len(body)} of {record.content_length} bytes)")
    if record_type == "resource":
        return WarcPage(index, record_type, uri, None, record.headers.get("Content-Type"), body)
    headers = record.http_headers
    if not record.is_http or headers is None or headers.status_code is None:
        return WarcPage(index, record_type, uri, None, None, body, problem="bad_http_response")
    page = WarcPage(index, record_type, uri, headers.status_code, headers.get("Content-Type"), body)
    try:
        page.body = decode_http_body(
            body, headers.get("Transfer-Encoding"), headers.get("Content-Encoding"), budget
        )  # fmt: skip
    except HttpBodyError:
        page.problem = "bad_http_body"
    except BudgetExceeded as error:
        page.problem = error.reason
    return page
