import gzip
import json
from pathlib import Path

import numpy as np

from math_lm.data.dedup import MinHasher
from math_lm.data.html_math import extract_page
from math_lm.data.math_score import math_score, score_page
from math_lm.data.open_web_math import OpenWebMathSubset
from math_lm.data.pipeline import run_subset
from math_lm.data.warc import iter_warc_pages

PROSE = (
    "In this note we explain how the result follows from the definitions and why it is true for every case "
    "that we consider, so that the reader can check each step of the argument on their own. "
)


def _page(body: str, title: str = "Notes") -> str:
    return (
        f"<html><head><title>{title}</title><style>p {{ color: red }}</style>"
        f"<script>var tracking = 'script text';</script></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/about'>About us</a></nav>"
        f"<div id='sidebar-left'>Sidebar links</div>"
        f"<article>{body}</article><footer>Copyright footer text</footer></body></html>"
    )


def test_mathjax_scripts_inline_and_display():
    text = extract_page(
        _page('<p>Let <script type="math/tex">x^2</script> and <script type="math/tex; mode=display">\\int_0^1 f</script>.</p>')
    ).text
    assert "Let $x^2$ and $$\\int_0^1 f$$." in text


def test_text_delimiters_become_dollars():
    text = extract_page(_page("<p>Inline \\(a+b\\), display \\[c=d\\], dollars $e$.</p>")).text
    assert "Inline $a+b$, display $$c=d$$, dollars $e$." in text


def test_katex_annotation_is_used_and_rendered_copy_dropped():
    katex = (
        '<span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>a</mi></mrow>'
        '<annotation encoding="application/x-tex">a^2 + b^2</annotation></semantics></math></span>'
        '<span class="katex-html" aria-hidden="true"><span>a2+b2</span></span></span>'
    )
    text = extract_page(_page(f"<p>Sum {katex} holds.</p>")).text
    assert "Sum $a^2 + b^2$ holds." in text and "a2+b2" not in text


def test_mathml_alttext_and_conversion():
    alt = '<math alttext="\\sum_{i=1}^n i"><mi>x</mi></math>'
    converted = (
        '<math display="block"><mfrac><mi>π</mi><msqrt><mn>2</mn></msqrt></mfrac><mo>≤</mo>'
        "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup></math>"
    )
    text = extract_page(_page(f"<p>A {alt} and {converted}.</p>")).text
    assert "A $\\sum_{i=1}^n i$ and $$\\frac{\\pi}{\\sqrt{2}}\\leq{x}_{i}^{2}$$." in text


def test_latex_images():
    body = (
        '<p>One <img class="math" alt="$y = mx + c$" src="f.png">, '
        'two <img class="latex" src="https://s0.wp.com/latex.php?latex=e%5E%7Bi%5Cpi%7D&amp;bg=fff" alt="e^{i\\pi}">, '
        'three <img src="https://s0.wp.com/latex.php?latex=%5Cphi&amp;bg=fff">, '
        'four <img src="https://latex.codecogs.com/gif.latex?\\alpha%2B1">, '
        'and a photo <img src="cat.jpg" alt="a cat">.</p>'
    )
    text = extract_page(_page(body)).text
    assert "One $y = mx + c$, two $e^{i\\pi}$, three $\\phi$, four $\\alpha+1$, and a photo ." in text


def test_wikipedia_mathml_and_fallback_image_give_one_formula():
    body = (
        '<p>Euler <span class="mwe-math-element"><span class="mwe-math-mathml-inline" style="display: none;">'
        '<math alttext="{\\displaystyle e^{i\\pi}}"><semantics><mi>e</mi>'
        '<annotation encoding="application/x-tex">{\\displaystyle e^{i\\pi}}</annotation></semantics></math></span>'
        '<img class="mwe-math-fallback-image-inline" alt="{\\displaystyle e^{i\\pi}}" src="x.svg"></span> identity.</p>'
    )
    text = extract_page(_page(body)).text
    assert text.count("e^{i\\pi}") == 1


def test_boilerplate_is_removed():
    text = extract_page(_page("<p>Main text here.</p>")).text
    assert text == "Main text here."


def test_scores():
    assert math_score(formulas=0, math_keywords=0, words=100) == 0.0
    assert math_score(formulas=2, math_keywords=3, words=100) == 1.0
    scores = score_page("The cat sat on the mat. " * 10)
    assert scores.math_score == 0.0 and scores.stop_word_ratio > 0.3


def test_minhash_estimates_similarity():
    hasher = MinHasher()
    base = " ".join(f"word{i}" for i in range(300))
    near = base.replace("word150", "changed")
    other = " ".join(f"other{i}" for i in range(300))
    assert np.mean(hasher.signature(base) == hasher.signature(near)) > 0.8
    assert np.mean(hasher.signature(base) == hasher.signature(other)) < 0.1


def _warc_record(headers: dict[str, str], payload: bytes) -> bytes:
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"Content-Length: {len(payload)}\r\n\r\n"
    return head.encode() + payload + b"\r\n\r\n"


def _http(body: str | bytes, status: str = "200 OK", content_type: str = "text/html; charset=utf-8") -> bytes:
    data = body.encode() if isinstance(body, str) else body
    return f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n\r\n".encode() + data


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


def test_warc_and_html_end_to_end(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    records = [
        _warc_record({"WARC-Type": "warcinfo"}, b"software: test\r\n"),
        _warc_record({"WARC-Type": "request", "WARC-Target-URI": "https://a.example/q"}, b"GET /q HTTP/1.1\r\n\r\n"),
        _warc_record({"WARC-Type": "response", "WARC-Target-URI": "https://a.example/q"}, _http(_math_page("quadratic", OTHER_PROSE))),
        _warc_record({"WARC-Type": "response", "WARC-Target-URI": "https://a.example/img"}, _http(b"\x89PNG", content_type="image/png")),
        _warc_record({"WARC-Type": "response", "WARC-Target-URI": "https://a.example/404"}, _http("gone", "404 Not Found")),
        _warc_record(
            {"WARC-Type": "response", "WARC-Target-URI": "https://b.example/cooking"},
            _http(_page("<p>" + "The soup is made with onions and it is cooked for an hour in the pot. " * 5 + "</p>")),
        ),
        _warc_record(
            {"WARC-Type": "response", "WARC-Target-URI": "https://c.example/de"},
            _http(_page('<p>' + "Die Gleichung wird gelöst und ergibt zwei Lösungen für unsere Aufgabe heute. " * 5
                        + '<script type="math/tex">x=2</script></p>')),
        ),
    ]
    with gzip.open(raw / "crawl.warc.gz", "wb") as handle:
        for record in records:
            handle.write(record)
    assert len(list(iter_warc_pages(raw / "crawl.warc.gz"))) == len(records) - 2  # warcinfo and request are no pages

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

    out = tmp_path / "out"
    stats = run_subset(OpenWebMathSubset(), [raw], out)
    docs = []
    import zstandard

    for shard in sorted(out.glob("*/*.jsonl.zst")):
        with open(shard, "rb") as handle:
            docs += [json.loads(line) for line in zstandard.ZstdDecompressor().stream_reader(handle).read().splitlines()]
    urls = sorted(d["meta"].get("url", "") for d in docs)
    assert urls == ["https://a.example/q", "https://d.example/f"]
    quadratic = next(d for d in docs if d["meta"]["url"] == "https://a.example/q")
    assert "$x^2 - 5x + 6 = 0$" in quadratic["text"]
    for boilerplate in ("Home", "Sidebar", "footer", "tracking", "color"):
        assert boilerplate not in quadratic["text"]
    dropped = {reason: entry["documents"] for reason, entry in stats["dropped"].items()}
    assert dropped == {
        "not_html": 1, "http_status": 1, "low_math_score": 1, "not_english": 1, "exact_duplicate": 1,
        "near_duplicate": 1, "too_short": 1, "binary": 1, "encoding": 1, "unsupported_file": 1, "bad_warc": 2,
    }  # fmt: skip
