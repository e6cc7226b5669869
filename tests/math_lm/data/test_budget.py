import gzip
import io
import tracemalloc
import zlib

import brotli
import pytest

from math_lm.data.budget import (
    MiB,
    BudgetExceeded,
    CappedReader,
    DocumentBudget,
    html_depth_exceeds,
    inflate,
    read_at_most,
    unbrotli,
)
from tests.math_lm.data import hostile_inputs


def test_overrides_are_checked_and_name_the_field():
    budget = DocumentBudget().with_overrides(["max_seconds=2.5", "max-html-depth=1000"])
    assert budget.max_seconds == 2.5 and budget.max_html_depth == 1000
    with pytest.raises(ValueError, match="max_depth.*expected NAME=VALUE"):
        DocumentBudget().with_overrides(["max_depth=3"])
    with pytest.raises(ValueError, match="'lots' is not a number"):
        DocumentBudget().with_overrides(["max_input_bytes=lots"])
    with pytest.raises(ValueError, match="max_text_chars must be a positive number"):
        DocumentBudget(max_text_chars=0)


@pytest.mark.parametrize("wbits, make", [
    (31, hostile_inputs.single_gzip_of_zeros),
    (15, lambda mib: hostile_inputs.deflate_of_zeros(mib, raw=False)),
    (-15, lambda mib: hostile_inputs.deflate_of_zeros(mib, raw=True)),
])  # fmt: skip
def test_inflate_stops_a_bomb_without_holding_it(wbits: int, make):
    bomb = make(64)
    tracemalloc.start()
    with pytest.raises(BudgetExceeded) as raised:
        inflate(bomb, wbits, keep_bytes=MiB, max_bytes=16 * MiB)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert raised.value.reason == "decompression_bomb"
    assert peak < 4 * MiB  # the kept MiB and a 64 KiB chunk, never the 16 MiB it got to
    with pytest.raises(BudgetExceeded, match="too_large"):
        inflate(make(2), wbits, keep_bytes=MiB, max_bytes=16 * MiB)
    assert inflate(make(2), wbits, keep_bytes=2 * MiB, max_bytes=16 * MiB) == bytes(2 * MiB)


def test_unbrotli_stops_a_bomb_without_holding_it():
    bomb = hostile_inputs.brotli_of_zeros(64)
    tracemalloc.start()
    with pytest.raises(BudgetExceeded, match="decompression_bomb"):
        unbrotli(bomb, keep_bytes=MiB, max_bytes=16 * MiB)
    assert tracemalloc.get_traced_memory()[1] < 4 * MiB
    tracemalloc.stop()
    assert unbrotli(brotli.compress(b"x" * 1000), 1000, 2000) == b"x" * 1000
    with pytest.raises(brotli.error):
        unbrotli(brotli.compress(b"x" * 100_000)[:-5], MiB, MiB)


def test_truncated_zlib_data_is_an_error_not_a_result():
    with pytest.raises(zlib.error):
        inflate(gzip.compress(b"hello world" * 100)[:-12], 31, MiB, MiB)


def test_capped_reader_and_read_at_most():
    stream = CappedReader(gzip.GzipFile(fileobj=io.BytesIO(hostile_inputs.gzip_of_zeros(8))), 4 * MiB)
    with pytest.raises(BudgetExceeded, match="decompression_bomb"):
        read_at_most(io.BufferedReader(stream), MiB, "x.gz")  # too large, then drained up to the bomb limit
    small = CappedReader(gzip.GzipFile(fileobj=io.BytesIO(gzip.compress(bytes(2 * MiB)))), 4 * MiB)
    with pytest.raises(BudgetExceeded, match="too_large"):
        read_at_most(io.BufferedReader(small), MiB, "y.gz")
    assert read_at_most(io.BytesIO(b"abc"), 3, "z") == b"abc"


def test_html_depth_scan():
    deep = hostile_inputs.nested_div_page(100_000)
    assert html_depth_exceeds(deep, deep.decode(), 512)
    assert not html_depth_exceeds(b"<div>" * 400, "<div>" * 400, 512)
    # voids, implicitly closed elements, comments and script text do not nest, so the exact scan clears
    # a page that the quick bound flags
    flat = "<html><body>" + "<p>line<br>" * 2000 + "<li>item" * 600 + "<!-- <div> -->" * 600
    flat += "<script>" + "<div>" * 600 + "</script>" + "<div>x</div>" * 600 + "</body></html>"
    assert not html_depth_exceeds(flat.encode(), flat, 512)
    unclosed = "<body>" + "<section><span>" * 300
    assert html_depth_exceeds(unclosed.encode(), unclosed, 512)
