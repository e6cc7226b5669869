"""Builders for the web-page tests: WARC records, HTTP responses, and a small fastText model file."""
from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

FASTTEXT_MAGIC, FASTTEXT_VERSION = 793712314, 12
SCIPY_DOC = Path(__file__).parent / "fixtures" / "scipy_doc"  # two real pages; see its LICENSE.txt


def page_with_boilerplate(body: str, title: str = "Notes") -> str:
    """An HTML page with ``body`` as its article, among a style, a script, navigation, a sidebar and a footer."""
    return (
        f"<html><head><title>{title}</title><style>p {{ color: red }}</style>"
        f"<script>var tracking = 'script text';</script></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/about'>About us</a></nav>"
        f"<div id='sidebar-left'>Sidebar links</div>"
        f"<article>{body}</article><footer>Copyright footer text</footer></body></html>"
    )


def warc_record(headers: dict[str, str], payload: bytes) -> bytes:
    """One WARC/1.0 record; response and request records get the application/http content type."""
    kind = headers.get("WARC-Type", "")
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    if kind in ("response", "request") and "Content-Type" not in headers:
        head += f"Content-Type: application/http; msgtype={kind}\r\n"
    head += f"Content-Length: {len(payload)}\r\n\r\n"
    return head.encode() + payload + b"\r\n\r\n"


def http_response(
    body: str | bytes, status: str = "200 OK", content_type: str = "text/html; charset=utf-8", **headers: str
) -> bytes:
    """An HTTP/1.1 response; keyword headers use underscores for dashes (``Content_Encoding="gzip"``)."""
    data = body.encode() if isinstance(body, str) else body
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
    head += "".join(f"{name.replace('_', '-')}: {value}\r\n" for name, value in headers.items())
    return (head + "\r\n").encode() + data


def chunked(data: bytes, size: int = 50) -> bytes:
    """``data`` in HTTP chunked transfer encoding."""
    pieces = [f"{len(data[i:i + size]):x}\r\n".encode() + data[i : i + size] + b"\r\n" for i in range(0, len(data), size)]
    return b"".join(pieces) + b"0\r\n\r\n"


def write_fasttext_classifier(
    path: Path, word_label: dict[str, str], labels: list[str], strength: float = 4.0, end_of_line: bool = False
) -> Path:
    """A supervised fastText model (binary format version 12, softmax loss, no subwords or n-grams) in
    which each word of ``word_label`` votes for its label: word vectors and label vectors are one-hot, so
    a text's probabilities follow the share of its known words voting for each label. ``end_of_line``
    adds fastText's ``</s>`` token (in every trained model) with a zero vector, so that every text, even
    one without known words, gets every label.
    """
    words = (["</s>"] if end_of_line else []) + list(word_label)
    dim = len(labels)
    input_vectors = np.zeros((len(words), dim), dtype="<f4")
    for row, word in enumerate(words):
        if word in word_label:
            input_vectors[row, labels.index(word_label[word])] = strength
    output_vectors = np.eye(dim, dtype="<f4")
    out = bytearray(struct.pack("<ii", FASTTEXT_MAGIC, FASTTEXT_VERSION))
    # dim, ws, epoch, minCount, neg, wordNgrams, loss (3 = softmax), model (3 = supervised), bucket, minn,
    # maxn, lrUpdateRate, t
    out += struct.pack("<iiiiiiiiiiiid", dim, 5, 5, 1, 5, 1, 3, 3, 0, 0, 0, 100, 1e-4)
    entries = [(word, 0) for word in words] + [(label, 1) for label in labels]
    out += struct.pack("<iiiqq", len(entries), len(words), len(labels), 10 * len(entries), -1)
    for entry, entry_type in entries:
        out += entry.encode() + b"\0" + struct.pack("<qb", 10, entry_type)
    for matrix in (input_vectors, output_vectors):
        out += struct.pack("<?qq", False, *matrix.shape) + matrix.tobytes()
    path.write_bytes(bytes(out))
    return path
