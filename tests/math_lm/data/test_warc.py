import gzip
import zlib
from pathlib import Path

import brotli
import pytest

from math_lm.data.budget import MiB, DocumentBudget
from math_lm.data.warc import HttpBodyError, WarcFormatError, decode_http_body, iter_warc_pages
from tests.math_lm.data import hostile_inputs
from tests.math_lm.data.web_fixtures import chunked, http_response, warc_record

BODY = ("<html><body><p>" + "The roots of $x^2 - 5x + 6$ are 2 and 3. " * 20 + "</p></body></html>").encode()


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


ENCODED_BODIES = {
    "identity": http_response(BODY),
    "chunked": http_response(chunked(BODY), Transfer_Encoding="chunked"),
    "gzip": http_response(gzip.compress(BODY), Content_Encoding="gzip"),
    "x-gzip": http_response(gzip.compress(BODY), Content_Encoding="x-gzip"),
    "deflate-zlib": http_response(zlib.compress(BODY), Content_Encoding="deflate"),
    "deflate-raw": http_response(_raw_deflate(BODY), Content_Encoding="deflate"),
    "brotli": http_response(brotli.compress(BODY), Content_Encoding="br"),
    "chunked-gzip": http_response(chunked(gzip.compress(BODY)), Transfer_Encoding="chunked", Content_Encoding="gzip"),
}
BAD_BODIES = {
    "bad-gzip": http_response(b"\x1f\x8b\x08 not gzip", Content_Encoding="gzip"),
    "truncated-gzip": http_response(gzip.compress(BODY)[:-12], Content_Encoding="gzip"),
    "bad-chunks": http_response(b"zz\r\nhello", Transfer_Encoding="chunked"),
    "unknown-coding": http_response(BODY, Content_Encoding="compress"),
}


def _records() -> list[bytes]:
    records = [warc_record({"WARC-Type": "warcinfo"}, b"software: test\r\n")]
    records.append(warc_record({"WARC-Type": "request", "WARC-Target-URI": "https://a.example/"}, b"GET / HTTP/1.1\r\n\r\n"))
    for name, payload in {**ENCODED_BODIES, **BAD_BODIES}.items():
        records.append(warc_record({"WARC-Type": "response", "WARC-Target-URI": f"https://a.example/{name}"}, payload))
    records.append(warc_record({"WARC-Type": "resource", "WARC-Target-URI": "file:///page.html", "Content-Type": "text/html"}, BODY))
    records.append(warc_record({"WARC-Type": "response", "WARC-Target-URI": "https://a.example/not-http"}, b"no status line"))
    return records


@pytest.mark.parametrize("compressed", [False, True], ids=["warc", "warc.gz"])
def test_every_body_encoding_is_decoded_and_bad_bodies_are_marked(tmp_path: Path, compressed: bool):
    records = _records()
    path = tmp_path / ("crawl.warc.gz" if compressed else "crawl.warc")
    path.write_bytes(b"".join(gzip.compress(r) for r in records) if compressed else b"".join(records))
    pages = {page.target_uri.rsplit("/", 1)[1]: page for page in iter_warc_pages(path)}
    assert set(pages) == {*ENCODED_BODIES, *BAD_BODIES, "page.html", "not-http"}
    for name in ENCODED_BODIES:
        assert pages[name].problem is None and pages[name].body == BODY, name
        assert pages[name].status == 200 and pages[name].content_type == "text/html; charset=utf-8"
    for name in BAD_BODIES:
        assert pages[name].problem == "bad_http_body", name
    assert pages["page.html"].record_type == "resource" and pages["page.html"].status is None
    assert pages["page.html"].body == BODY and pages["page.html"].content_type == "text/html"
    assert pages["not-http"].problem == "bad_http_response"
    assert [page.index for page in pages.values()] == sorted(page.index for page in pages.values())
    assert pages["identity"].index == 2  # indices count every record, warcinfo and request included


def test_decode_http_body_errors():
    with pytest.raises(HttpBodyError, match="unsupported content encoding 'compress'"):
        decode_http_body(BODY, None, "compress")
    assert decode_http_body(gzip.compress(zlib.compress(BODY)), None, "deflate, gzip") == BODY


def test_broken_files_raise_naming_the_file(tmp_path: Path):
    good = warc_record({"WARC-Type": "response", "WARC-Target-URI": "https://a.example/"}, http_response(BODY))
    cases = {
        "garbage.warc": b"hello world\n",
        "truncated.warc": good + good[:200],
        "cut.warc.gz": gzip.compress(good) + gzip.compress(good)[:60],
        "not-gzip-inside.warc.gz": b"\x1f\x8b\x08\x00 garbage",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(WarcFormatError, match=name):
            list(iter_warc_pages(tmp_path / name))
    (tmp_path / "empty.warc").write_bytes(b"")
    assert list(iter_warc_pages(tmp_path / "empty.warc")) == []


def _bomb_records(big_mib: int) -> list[bytes]:
    """A good page, then gzip, raw deflate and Brotli bodies that inflate to ``big_mib`` MiB of zeros, a
    gzipped page a little over 1 MiB, and an uncompressed body just over 1 MiB."""
    bodies = {
        "good": http_response(BODY),
        "gzip-bomb": http_response(hostile_inputs.single_gzip_of_zeros(big_mib), Content_Encoding="gzip"),
        "deflate-bomb": http_response(hostile_inputs.deflate_of_zeros(big_mib, raw=True), Content_Encoding="deflate"),
        "br-bomb": http_response(hostile_inputs.brotli_of_zeros(big_mib), Content_Encoding="br"),
        "big-gzip": http_response(gzip.compress(BODY * (MiB // len(BODY) + 1)), Content_Encoding="gzip"),
        "big-record": http_response(b" " * (MiB + 1)),
    }
    return [warc_record({"WARC-Type": "response", "WARC-Target-URI": f"https://a.example/{name}"}, payload)
            for name, payload in bodies.items()]  # fmt: skip


def test_bodies_over_the_budget_are_marked_not_inflated(tmp_path: Path):
    budget = DocumentBudget(max_input_bytes=MiB, max_source_bytes=MiB, max_decompressed_bytes=8 * MiB)
    (tmp_path / "bombs.warc").write_bytes(b"".join(_bomb_records(64)))
    pages = {page.target_uri.rsplit("/", 1)[1]: page for page in iter_warc_pages(tmp_path / "bombs.warc", budget)}
    assert pages["good"].problem is None and pages["good"].body == BODY
    for name in ("gzip-bomb", "deflate-bomb", "br-bomb"):
        assert pages[name].problem == "decompression_bomb", name
    assert pages["big-gzip"].problem == "too_large"
    assert pages["big-record"].problem == "too_large" and pages["big-record"].body == b""
    assert pages["big-record"].size > MiB


@pytest.mark.slow
def test_three_gib_bombs_at_the_default_budget(tmp_path: Path):
    (tmp_path / "bombs.warc").write_bytes(b"".join(_bomb_records(3 * 1024)))
    pages = {page.target_uri.rsplit("/", 1)[1]: page for page in iter_warc_pages(tmp_path / "bombs.warc")}
    assert [pages[name].problem for name in ("gzip-bomb", "deflate-bomb", "br-bomb")] == ["decompression_bomb"] * 3
    assert pages["good"].body == BODY and pages["big-gzip"].problem is None and pages["big-record"].problem is None
