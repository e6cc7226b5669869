import gzip
import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest
import zstandard

from math_lm.data.budget import MiB, DocumentBudget
from math_lm.data.dedup import MinHasher
from math_lm.data.open_web_math import OpenWebMathConfig, OpenWebMathSubset
from math_lm.data.pipeline import run_subset
from tests.math_lm.data import hostile_inputs
from tests.math_lm.data.web_fixtures import SCIPY_DOC, chunked, http_response, warc_record, write_fasttext_classifier
from tests.math_lm.data.web_fixtures import page_with_boilerplate as _page

PROSE = (
    "In this note we explain how the result follows from the definitions and why it is true for every case "
    "that we consider, so that the reader can check each step of the argument on their own. "
)
OTHER_PROSE = (
    "A quadratic has at most two roots, and when the discriminant is positive both of them are real numbers "
    "which we can find by factoring or with the usual formula taught at school. "
)


def _math_page(topic: str, prose: str = PROSE) -> str:
    return _page(
        f"<h1>{topic}</h1><p>{prose}For the {topic} problem we solve "
        f'<script type="math/tex">x^2 - 5x + 6 = 0</script> and get <script type="math/tex">x = 2</script> '
        f"or <script type=\"math/tex\">x = 3</script>. {prose}</p>"
    )


def _documents(out: Path) -> list[dict]:
    docs = []
    for shard in sorted(out.glob("*/*.jsonl.zst")):
        with open(shard, "rb") as handle:
            docs += [json.loads(line) for line in zstandard.ZstdDecompressor().stream_reader(handle).read().splitlines()]
    return docs


def _drops(stats: dict) -> dict[str, int]:
    return {reason: entry["documents"] for reason, entry in stats["dropped"].items()}


def test_minhash_estimates_similarity():
    hasher = MinHasher()
    base = " ".join(f"word{i}" for i in range(300))
    near = base.replace("word150", "changed")
    other = " ".join(f"other{i}" for i in range(300))
    assert np.mean(hasher.signature(base) == hasher.signature(near)) > 0.8
    assert np.mean(hasher.signature(base) == hasher.signature(other)) < 0.1


def test_warc_and_html_end_to_end(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    raw = tmp_path / "raw"
    raw.mkdir()
    quadratic = _math_page("quadratic", OTHER_PROSE).encode()
    records = [
        warc_record({"WARC-Type": "warcinfo"}, b"software: test\r\n"),
        warc_record({"WARC-Type": "request", "WARC-Target-URI": "https://a.example/q"}, b"GET /q HTTP/1.1\r\n\r\n"),
        warc_record(
            {"WARC-Type": "response", "WARC-Target-URI": "https://a.example/q"},
            http_response(chunked(gzip.compress(quadratic)), Transfer_Encoding="chunked", Content_Encoding="gzip"),
        ),
        warc_record({"WARC-Type": "response", "WARC-Target-URI": "https://a.example/img"}, http_response(b"\x89PNG", content_type="image/png")),
        warc_record({"WARC-Type": "response", "WARC-Target-URI": "https://a.example/404"}, http_response("gone", "404 Not Found")),
        warc_record(
            {"WARC-Type": "response", "WARC-Target-URI": "https://a.example/broken-gzip"},
            http_response(b"\x1f\x8b\x08 broken", Content_Encoding="gzip"),
        ),
        warc_record(
            {"WARC-Type": "response", "WARC-Target-URI": "https://b.example/cooking"},
            http_response(_page("<p>" + "The soup is made with onions and it is cooked for an hour in the pot. " * 5 + "</p>")),
        ),
        warc_record(
            {"WARC-Type": "response", "WARC-Target-URI": "https://c.example/de"},
            http_response(_page('<p>' + "Die Gleichung wird gelöst und ergibt zwei Lösungen für unsere Aufgabe heute. " * 5
                                + '<script type="math/tex">x=2</script></p>')),
        ),
    ]
    with gzip.open(raw / "crawl.warc.gz", "wb") as handle:
        for record in records:
            handle.write(record)

    pages = raw / "pages"
    pages.mkdir()
    (pages / "a.html").write_text(_math_page("factoring").replace("<head>", '<head><link rel="canonical" href="https://d.example/f">'))
    (pages / "a_copy.html").write_text(_math_page("factoring"))  # exact text duplicate of a.html
    (pages / "b.html").write_text(_math_page("factoring").replace("reader can check", "reader may check"))  # near
    (pages / "short.html").write_text(_page('<p>Solve <script type="math/tex">x=1</script>.</p>'))
    (pages / "binary.html").write_bytes(b"<html>\x00\x01\x02")
    (pages / "latin1.html").write_bytes("<html><body>caf\xe9</body></html>".encode("latin-1"))
    (pages / "image.png").write_bytes(b"\x89PNG")
    (raw / "broken.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999\r\n\r\nshort")
    (raw / "notwarc.warc").write_bytes(b"hello world\n")
    # a gzip member cut short after a whole one: bad_warc (the read that meets the cut holds both)
    (raw / "cut.warc.gz").write_bytes(gzip.compress(records[2]) + gzip.compress(records[6])[:40])

    out = tmp_path / "out"
    with caplog.at_level(logging.WARNING):
        stats = run_subset(OpenWebMathSubset(), [raw], out)
    for broken in ("broken.warc: record 0 is truncated", "notwarc.warc", "cut.warc.gz"):  # named in the log
        assert broken in caplog.text and "(bad_warc)" in caplog.text
    docs = _documents(out)
    urls = sorted(d["meta"].get("url", "") for d in docs)
    assert urls == ["https://a.example/q", "https://d.example/f"]
    kept = next(d for d in docs if d["meta"]["url"] == "https://a.example/q")
    assert "$x^2 - 5x + 6 = 0$" in kept["text"]
    for boilerplate in ("Home", "Sidebar", "footer", "tracking", "color"):
        assert boilerplate not in kept["text"]
    assert _drops(stats) == {
        "not_html": 1, "http_status": 1, "bad_http_body": 1, "low_math_score": 1, "not_english": 1,
        "exact_duplicate": 1, "near_duplicate": 1, "too_short": 1, "binary": 1, "encoding": 1,
        "unsupported_file": 1, "bad_warc": 3,
    }  # fmt: skip


def test_real_scipy_pages_are_kept_as_english_math(tmp_path: Path):
    stats = run_subset(OpenWebMathSubset(), [SCIPY_DOC], tmp_path / "out")
    # genhyperbolic is kept; the normal-distribution page is three formulas and a title (too_short).
    assert stats["kept_documents"] == 1 and _drops(stats) == {"too_short": 1, "unsupported_file": 1}
    (document,) = _documents(tmp_path / "out")
    assert document["meta"]["source"].endswith("scipy.stats.genhyperbolic.html")
    assert "$|b| < a$" in document["text"] and "On this page" not in document["text"]


def test_a_fasttext_math_classifier_replaces_the_heuristic(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    cooking = "<p>" + "The soup is made with onions and it is cooked for an hour in the pot. " * 5 + "</p>"
    (raw / "cooking.html").write_text(_page(cooking))
    baking = "<p>" + "Bake the bread slowly, and serve it with soup made of onions that were cooked the day before. " * 4
    (raw / "baking_with_formula.html").write_text(_page(baking + '<script type="math/tex">x</script></p>'))
    (raw / "math.html").write_text(_math_page("factoring"))
    votes = {"soup": "__label__positive", "onions": "__label__positive", "cooked": "__label__positive",
             "note": "__label__negative", "definitions": "__label__negative", "argument": "__label__negative"}
    model = write_fasttext_classifier(tmp_path / "math_score.bin", votes, ["__label__positive", "__label__negative"])

    heuristic = run_subset(OpenWebMathSubset(), [raw], tmp_path / "heuristic")
    assert heuristic["kept_documents"] == 2 and _drops(heuristic) == {"low_math_score": 1}
    assert any("factoring" in d["text"] for d in _documents(tmp_path / "heuristic"))
    # this (deliberately perverse) classifier calls cooking mathematical and the math page not
    config = OpenWebMathConfig(math_classifier=str(model))
    classified = run_subset(OpenWebMathSubset(config), [raw], tmp_path / "classified", workers=2)
    assert classified["kept_documents"] == 2 and _drops(classified) == {"low_math_score": 1}
    assert all("soup" in d["text"] for d in _documents(tmp_path / "classified"))

    with pytest.raises(FileNotFoundError, match="nowhere.bin"):
        OpenWebMathSubset(OpenWebMathConfig(math_classifier=str(tmp_path / "nowhere.bin")))


def test_symlink_loops_in_the_input_are_skipped_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(SCIPY_DOC / "scipy.stats.genhyperbolic.html", raw / "sub" / "page.html")
    (raw / "sub" / "up").symlink_to("..")
    (raw / "a.html").symlink_to("b.html")
    (raw / "b.html").symlink_to("a.html")
    with caplog.at_level(logging.WARNING):
        stats = run_subset(OpenWebMathSubset(), [raw], tmp_path / "out")
    assert stats["kept_documents"] == 1
    assert f"skipping {raw / 'a.html'}" in caplog.text and f"skipping {raw / 'b.html'}" in caplog.text


# ---- hostile pages (issue 22): each is dropped with its reason, the good pages beside it are kept ----


def _hostile_raw(tmp_path: Path, hostile: dict[str, bytes]) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a_good.html").write_text(_math_page("factoring"))
    for name, data in hostile.items():
        (raw / name).write_bytes(data)
    (raw / "z_good.html").write_text(_math_page("quadratic", OTHER_PROSE))
    return raw


def _run_hostile(tmp_path: Path, hostile: dict[str, bytes], budget: DocumentBudget) -> dict:
    raw = _hostile_raw(tmp_path, hostile)
    stats = run_subset(OpenWebMathSubset(budget=budget), [raw], tmp_path / "out")
    kept = sorted(Path(d["meta"]["source"]).name for d in _documents(tmp_path / "out"))
    assert kept == ["a_good.html", "z_good.html"]
    return stats


def test_bombs_deep_nesting_and_long_pages_are_dropped_with_their_reasons(tmp_path: Path):
    budget = DocumentBudget(max_input_bytes=4 * MiB, max_source_bytes=2 * MiB, max_decompressed_bytes=8 * MiB,
                            max_text_chars=500_000)  # fmt: skip
    bombs = [
        warc_record({"WARC-Type": "response", "WARC-Target-URI": f"https://bomb.example/{coding}"},
                    http_response(body, Content_Encoding=coding))
        for coding, body in (("gzip", hostile_inputs.single_gzip_of_zeros(64)), ("br", hostile_inputs.brotli_of_zeros(64)))
    ]  # fmt: skip
    one_line = ("<html><body><p>" + "We solve $x^2 = 4$ and find that x is two or minus two. " * 20_000 + "</p></body></html>")
    stats = _run_hostile(tmp_path, {
        "bombs.warc": b"".join(bombs),
        "deep.html": hostile_inputs.nested_div_page(100_000),
        "one_line.html": one_line.encode(),
        "huge.html": b"<html><body>" + b"x " * (3 * MiB) + b"</body></html>",
    }, budget)  # fmt: skip
    raw = tmp_path / "raw"
    assert _drops(stats) == {"decompression_bomb": 2, "too_deep": 1, "text_too_long": 1, "too_large": 1}
    assert stats["drop_examples"]["too_deep"] == [str(raw / "deep.html")]
    assert stats["drop_examples"]["text_too_long"] == [str(raw / "one_line.html")]
    assert stats["drop_examples"]["decompression_bomb"] == [f"{raw / 'bombs.warc'}#record{i}" for i in (0, 1)]


@pytest.mark.slow
def test_an_extraction_past_its_deadline_is_killed_and_the_run_goes_on(tmp_path: Path):
    # With the depth check lifted, 300,000 nested <div> keep Resiliparse busy inside C for about half an
    # hour on this machine (1.2 s at 8,000, growing with the square), far past any machine's 20 s.
    budget = DocumentBudget(max_html_depth=10**7, max_seconds=20)
    stats = _run_hostile(tmp_path, {"deep.html": hostile_inputs.nested_div_page(300_000)}, budget)
    assert _drops(stats) == {"timeout": 1}
    assert stats["drop_examples"]["timeout"] == [str(tmp_path / "raw" / "deep.html")]


@pytest.mark.slow
def test_a_50_mb_one_line_page_at_the_default_budget(tmp_path: Path):
    line = "We solve $x^2 = 4$ and find that x is two or minus two. " * (50 * MiB // 56)
    stats = _run_hostile(tmp_path, {"one_line.html": f"<html><body><p>{line}</p></body></html>".encode()}, DocumentBudget())
    assert _drops(stats) == {"too_large": 1}
