"""A small reader for WARC files (``.warc``, ``.warc.gz``) and the HTTP responses they hold.

A WARC file is a sequence of records: a ``WARC/1.x`` version line, ``Name: value`` header lines, a blank
line, ``Content-Length`` bytes of payload, then two line breaks. ``.warc.gz`` files are gzip members
concatenated, one per record, which :mod:`gzip` reads as one stream.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator


class WarcFormatError(ValueError):
    """A WARC file that does not follow the record format; the message names the file and byte offset."""


@dataclass
class WarcRecord:
    """One WARC record: headers (names lower-cased) and raw payload bytes."""

    headers: dict[str, str]
    payload: bytes

    @property
    def record_type(self) -> str:
        """The ``WARC-Type`` (``response``, ``request``, ``warcinfo`` …), lower-cased."""
        return self.headers.get("warc-type", "").lower()

    @property
    def target_uri(self) -> str | None:
        """The ``WARC-Target-URI`` when the record has one."""
        return self.headers.get("warc-target-uri")


def _open(path: Path) -> BinaryIO:
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def _parse_headers(lines: list[bytes]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in lines:
        text = line.decode("utf-8", errors="replace")
        if ":" not in text:
            continue
        name, value = text.split(":", 1)
        headers[name.strip().lower()] = value.strip()
    return headers


def iter_warc_records(path: Path) -> Iterator[WarcRecord]:
    """Yield every record of a WARC file; raises :class:`WarcFormatError` at the first malformed record."""
    with _open(Path(path)) as stream:
        offset = 0
        while True:
            line = stream.readline()
            if not line:
                return
            if not line.strip():
                offset += len(line)
                continue
            if not line.startswith(b"WARC/"):
                raise WarcFormatError(f"{path}: byte {offset}: expected a 'WARC/' version line, got {line[:40]!r}")
            record_offset = offset
            offset += len(line)
            header_lines = []
            while True:
                header = stream.readline()
                if not header:
                    raise WarcFormatError(f"{path}: byte {record_offset}: file ends inside record headers")
                offset += len(header)
                if not header.strip():
                    break
                header_lines.append(header.rstrip(b"\r\n"))
            headers = _parse_headers(header_lines)
            try:
                length = int(headers["content-length"])
            except (KeyError, ValueError):
                raise WarcFormatError(f"{path}: byte {record_offset}: record has no valid Content-Length") from None
            payload = stream.read(length)
            if len(payload) != length:
                raise WarcFormatError(
                    f"{path}: byte {record_offset}: payload truncated ({len(payload)} of {length} bytes)"
                )
            offset += length
            yield WarcRecord(headers, payload)


@dataclass
class HttpResponse:
    """An HTTP response parsed from a WARC ``response`` payload."""

    status: int
    headers: dict[str, str]
    body: bytes


def parse_http_response(payload: bytes) -> HttpResponse:
    """Split an HTTP/1.x response into status, headers (lower-cased names) and body.

    Raises ``ValueError`` when the payload is not an HTTP response. Chunked transfer encoding and
    content encodings are not undone (Common Crawl stores bodies already decoded).
    """
    separator = payload.find(b"\r\n\r\n")
    separator_length = 4
    if separator < 0:
        separator = payload.find(b"\n\n")
        separator_length = 2
    if separator < 0:
        raise ValueError("no end of HTTP headers")
    head = payload[:separator].split(b"\n")
    status_line = head[0].decode("latin-1").strip()
    parts = status_line.split()
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ValueError(f"not an HTTP status line: {status_line[:60]!r}")
    headers = _parse_headers([line.rstrip(b"\r") for line in head[1:]])
    return HttpResponse(int(parts[1]), headers, payload[separator + separator_length :])
