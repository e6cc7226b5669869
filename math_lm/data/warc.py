"""Web pages out of WARC files (``.warc``, ``.warc.gz``), read with FastWARC, HTTP bodies decoded.

FastWARC frames the records and parses the HTTP headers. HTTP bodies are decoded here, per record: chunked
transfer encoding (FastWARC's ``ChunkedReader``), then ``gzip``/``x-gzip``/``deflate`` content encoding
(zlib; ``deflate`` as sent by servers in both its zlib-wrapped and raw forms) and ``br`` (Brotli).
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
    (``bad_http_response``, ``bad_http_body``) when the record holds no usable body, else ``None``.
    """

    index: int
    record_type: str
    target_uri: str | None
    status: int | None
    content_type: str | None
    body: bytes
    problem: str | None = None


def decode_http_body(body: bytes, transfer_encoding: str | None, content_encoding: str | None) -> bytes:
    """Undo chunked transfer encoding, then each content encoding (in reverse order of application)."""
    try:
        if transfer_encoding and "chunked" in transfer_encoding.lower():
            body = ChunkedReader(io.BytesIO(body)).read()
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        for coding in reversed(codings):
            if coding in ("gzip", "x-gzip"):
                body = _inflate(body, _GZIP_OR_ZLIB)
            elif coding == "deflate":
                try:
                    body = _inflate(body, _GZIP_OR_ZLIB)
                except zlib.error:
                    body = _inflate(body, _RAW_DEFLATE)
            elif coding == "br":
                body = brotli.decompress(body)
            elif coding != "identity":
                raise HttpBodyError(f"unsupported content encoding {coding!r}")
    except (OSError, zlib.error, brotli.error) as error:
        raise HttpBodyError(str(error)) from None
    return body


def _inflate(data: bytes, wbits: int) -> bytes:
    decompressor = zlib.decompressobj(wbits)
    result = decompressor.decompress(data) + decompressor.flush()
    if not decompressor.eof:
        raise zlib.error("compressed body is truncated")
    return result


def iter_warc_pages(path: Path) -> Iterator[WarcPage]:
    """Every response and resource record of a WARC file, in order (``index`` counts all records).

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
                yield _page(record, index, path)
    except (OSError, EOFError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
        raise WarcFormatError(f"{path}: record {index + 1}: {error or type(error).__name__}") from None
    if index < 0 and path.stat().st_size > 0:
        raise WarcFormatError(f"{path}: no WARC record found")


def _open(path: Path) -> BinaryIO:
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else open(path, "rb")  # type: ignore[return-value]


def _page(record, index: int, path: Path) -> WarcPage:
    record_type = "response" if record.record_type == WarcRecordType.response else "resource"
    uri = record.headers.get("WARC-Target-URI")
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
        page.body = decode_http_body(body, headers.get("Transfer-Encoding"), headers.get("Content-Encoding"))
    except HttpBodyError:
        page.problem = "bad_http_body"
    return page
