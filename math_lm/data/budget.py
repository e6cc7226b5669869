"""The per-document budget of Proof-Pile-2 preprocessing, and the bounded readers that enforce it.

At web scale some inputs are hostile: archives that inflate to gigabytes, LaTeX macros that expand
forever, pages nested a hundred thousand levels deep. Every limit on one document lives in
:class:`DocumentBudget` (defaults documented in the README); a document over one of them is dropped with
the reason named there (:class:`BudgetExceeded`), counted in ``stats.json``, and the run goes on.

The readers here never hold more than the budget allows: compressed data is inflated as a stream,
64 KiB at a time (``zlib.decompressobj`` with ``max_length``, Brotli's ``Decompressor`` with an output
limit), never by ``gzip.decompress``/``brotli.decompress``, which allocate the whole output first.
The HTML nesting check (:func:`html_depth_exceeds`) is a linear scan of the raw markup, run before
Resiliparse's main-content pass, whose cost grows with the square of the nesting depth (measured on
this machine: 0.3 s at depth 4,000, 1.2 s at 8,000; 100,000 would take minutes inside C, where no
signal reaches it). Written here because neither the standard library nor Resiliparse bounds these.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
import zlib
from dataclasses import dataclass
from typing import Iterable, Iterator

import brotli
import numpy as np

MiB = 1024 * 1024
_CHUNK = 64 * 1024


class BudgetExceeded(Exception):
    """A document over its budget; ``reason`` is its drop reason (``too_large``, ``decompression_bomb``, ...)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class DocumentBudget:
    """The limits on one document (an HTML page or WARC record, an arXiv paper, a source file).

    * ``max_input_bytes``: bytes read for one document as stored, before decompression: an HTML file, a
      WARC record's block, an arXiv source file or bulk-tar member (``too_large``);
    * ``max_decompressed_bytes``: bytes one document's compression may inflate to, counted as the stream is
      read (a ``.tar.gz``'s figures pass through here without being kept) (``decompression_bomb``);
    * ``max_source_bytes``: source text one document keeps in memory: a page's decoded HTML, a paper's
      ``.tex`` files together (``too_large``);
    * ``max_expanded_chars``: characters of a paper's LaTeX after ``\\input`` inlining (each inclusion
      charged the included file's size), and again after macro inlining (``expansion_limit``);
    * ``max_html_depth``: element nesting depth of a page, checked before parsing (``too_deep``);
    * ``max_text_chars``: characters of extracted text, checked before language ID, math scoring,
      MinHash and tokenising (``text_too_long``);
    * ``max_seconds``: wall time to extract one document, enforced by killing the worker process that
      runs it (``timeout``; see :mod:`math_lm.data.watchdog`);
    * ``max_worker_memory_bytes``: address space a worker may add to what it inherited (``out_of_memory``).
    """

    max_input_bytes: int = 64 * MiB
    max_decompressed_bytes: int = 512 * MiB
    max_source_bytes: int = 16 * MiB
    max_expanded_chars: int = 32_000_000
    max_html_depth: int = 512
    max_text_chars: int = 4_000_000
    max_seconds: float = 120.0
    max_worker_memory_bytes: int = 4096 * MiB

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"budget {field.name} must be a positive number, got {value!r}")

    def with_overrides(self, overrides: Iterable[str]) -> "DocumentBudget":
        """A copy with ``name=value`` overrides (``max_seconds=30``, ``max_html_depth=1000``); an unknown
        name or a bad value raises ``ValueError`` naming it."""
        fields = {field.name: field for field in dataclasses.fields(self)}
        changes: dict[str, int | float] = {}
        for override in overrides:
            name, separator, text = override.partition("=")
            name = name.strip().replace("-", "_")
            if not separator or name not in fields:
                known = ", ".join(fields)
                raise ValueError(f"budget override {override!r}: expected NAME=VALUE with NAME one of {known}")
            try:
                changes[name] = float(text) if fields[name].type == "float" else int(text)
            except ValueError:
                raise ValueError(f"budget override {override!r}: {text!r} is not a number") from None
        return dataclasses.replace(self, **changes)


def _collect(chunks: Iterator[bytes], keep_bytes: int, max_bytes: int, what: str) -> bytes:
    """Join decompressed ``chunks`` while they total at most ``keep_bytes``; past that keep inflating
    without keeping, to tell a large document (``too_large``) from a bomb (past ``max_bytes``)."""
    kept = bytearray()
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > max_bytes:
            raise BudgetExceeded("decompression_bomb", f"{what} inflates past {max_bytes} bytes")
        if total <= keep_bytes:
            kept += chunk
    if total > keep_bytes:
        raise BudgetExceeded("too_large", f"{what} inflates to {total} bytes, over {keep_bytes}")
    return bytes(kept)


def _zlib_chunks(data: bytes, wbits: int) -> Iterator[bytes]:
    decompressor = zlib.decompressobj(wbits)
    pending = data
    while True:
        chunk = decompressor.decompress(pending, _CHUNK)
        pending = decompressor.unconsumed_tail
        if chunk:
            yield chunk
        if decompressor.eof:
            return
        if not chunk and not pending:
            raise zlib.error("compressed data is truncated")


def _brotli_chunks(data: bytes) -> Iterator[bytes]:
    decompressor = brotli.Decompressor()
    chunk = decompressor.process(data, output_buffer_limit=_CHUNK)
    while True:
        if chunk:
            yield chunk
        if decompressor.can_accept_more_data():
            break
        chunk = decompressor.process(b"", output_buffer_limit=_CHUNK)
    if not decompressor.is_finished():
        raise brotli.error("compressed data is truncated")


def inflate(data: bytes, wbits: int, keep_bytes: int, max_bytes: int, what: str = "body") -> bytes:
    """zlib-family data (``wbits`` as for ``zlib.decompressobj``) inflated as a stream: the result when
    it is at most ``keep_bytes``, else :class:`BudgetExceeded`; never more than 64 KiB held beyond it.
    Truncated or corrupt data raises ``zlib.error``."""
    return _collect(_zlib_chunks(data, wbits), keep_bytes, max_bytes, what)


def unbrotli(data: bytes, keep_bytes: int, max_bytes: int, what: str = "body") -> bytes:
    """Brotli data decompressed as a stream, bounded as :func:`inflate`; corrupt data raises ``brotli.error``."""
    return _collect(_brotli_chunks(data), keep_bytes, max_bytes, what)


class CappedReader(io.RawIOBase):
    """A read-only stream over ``stream`` that raises :class:`BudgetExceeded` once more than ``max_bytes``
    have been read from it (a decompressing stream: ``reason`` ``decompression_bomb``)."""

    def __init__(self, stream, max_bytes: int, reason: str = "decompression_bomb", what: str = "stream"):
        super().__init__()
        self._stream = stream
        self._left = max_bytes
        self._max_bytes = max_bytes
        self._reason = reason
        self._what = what

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        # Ask for one byte more than is left, so that going over is seen without reading much past it.
        want = min(len(buffer), self._left + 1)
        data = self._stream.read(want)
        if len(data) > self._left:
            raise BudgetExceeded(self._reason, f"{self._what} inflates past {self._max_bytes} bytes")
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def read_at_most(stream, max_bytes: int, what: str) -> bytes:
    """All of ``stream`` when it holds at most ``max_bytes``, else ``BudgetExceeded('too_large')``.

    Past ``max_bytes`` the rest is read and dropped, 64 KiB at a time, so that a decompressing
    :class:`CappedReader` underneath can still call it a ``decompression_bomb``.
    """
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        del data
        while stream.read(_CHUNK):
            pass
        raise BudgetExceeded("too_large", f"{what} is over {max_bytes} bytes")
    return data


# ---- HTML nesting depth -------------------------------------------------------------------------------

# Elements that never hold children, and elements whose end tag the parser supplies when a sibling
# starts (a `<p>` or `<li>` left open does not nest the next one): neither adds depth in the scan.
_NO_DEPTH_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen basefont bgsound frame "
    "p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption rb rt rtc rp".split()
)
_RAW_TEXT_ELEMENTS = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext")
_TAG_RE = re.compile(
    r"<!--.*?(?:-->|\Z)"  # a comment (an unclosed one runs to the end)
    r"|<(?P<close>/?)(?P<name>[A-Za-z][^\s/<>]*)(?P<rest>[^<>]*)>?",  # a tag ends at `>` or the next `<`
    re.DOTALL,
)


def _scanned_depth_exceeds(html: str, max_depth: int) -> bool:
    """Whether the element nesting of ``html`` goes deeper than ``max_depth``, by a linear tag scan.

    Opening tags nest, closing tags pop back to the matching open element (or are ignored when none is
    open), void and implicitly closed elements are not counted, and the text of ``script``/``style``-like
    elements is skipped. The parser can nest differently on broken markup; the per-document time limit
    covers what this misses.
    """
    stack: list[str] = []
    open_counts: dict[str, int] = {}
    position = 0
    while True:
        match = _TAG_RE.search(html, position)
        if match is None:
            return False
        position = match.end()
        name = match.group("name")
        if name is None:  # a comment
            continue
        name = name.lower()
        if name in _NO_DEPTH_ELEMENTS:
            continue
        if match.group("close"):
            if open_counts.get(name):
                while stack:  # pop to the matching element: amortised linear, each push pops once
                    popped = stack.pop()
                    open_counts[popped] -= 1
                    if popped == name:
                        break
            continue
        if match.group("rest").endswith("/"):
            continue  # self-closing (in SVG and MathML it is; in HTML it is near enough)
        if name in _RAW_TEXT_ELEMENTS:
            closing = _closing_tag_re(name).search(html, position)
            position = len(html) if closing is None else closing.start()
            continue
        stack.append(name)
        open_counts[name] = open_counts.get(name, 0) + 1
        if len(stack) > max_depth:
            return True


@functools.lru_cache(maxsize=None)
def _closing_tag_re(name: str) -> re.Pattern[str]:
    return re.compile(f"</{name}", re.IGNORECASE)


def html_depth_exceeds(data: bytes, html: str, max_depth: int) -> bool:
    """Whether a page nests elements deeper than ``max_depth``; linear in its size.

    ``data`` is the page as bytes (any ASCII-compatible encoding) and ``html`` its decoded text. A quick
    bound first, in numpy: the running count of ``<x`` minus ``</`` can only overstate the depth; only
    pages whose bound passes ``max_depth`` (many unclosed ``<br>``, ``<p>`` ...) get the exact tag scan.
    """
    if data.count(b"<") <= max_depth:
        return False
    codes = np.frombuffer(data, dtype=np.uint8)
    is_open = codes[:-1] == ord("<")
    following = codes[1:] | 0x20  # ASCII letters to lower case
    starts = is_open & (following >= ord("a")) & (following <= ord("z"))
    ends = is_open & (codes[1:] == ord("/"))
    if int(np.cumsum(starts.astype(np.int32) - ends).max(initial=0)) <= max_depth:
        return False
    return _scanned_depth_exceeds(html, max_depth)
