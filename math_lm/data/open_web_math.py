"""The OpenWebMath subset: math web pages from HTML files and WARC archives.

Each page goes through :func:`math_lm.data.html_math.extract_page` (main text, every formula as LaTeX),
then three filters whose thresholds live in :class:`OpenWebMathConfig`:

* length: at least ``min_words`` words outside formulas (reason ``too_short``);
* English: the fraction of those words that are common English stop words (:data:`ENGLISH_STOP_WORDS`)
  must reach ``min_stop_word_ratio`` (reason ``not_english``). English prose runs at 40-55%; other
  languages written in Latin script land far below 0.2, and non-Latin scripts have no ASCII words at all;
* math content: :func:`math_score` must reach ``min_math_score`` (reason ``low_math_score``).

Then exact duplicates (SHA-256 of the text) and near duplicates (MinHash LSH over word 5-gram shingles,
128 permutations, 16 bands, estimated Jaccard ≥ ``near_duplicate_threshold``) are removed, first copy wins.

Honest differences from OpenWebMath: its math filter was a trained classifier (MathScore) with a
threshold depending on whether LaTeX was found, plus a KenLM perplexity filter; its language filter was
fastText language ID. Here the math score is the hand-written formula/keyword density below, language is
a stop-word ratio, and there is no perplexity filter. HTML extraction is structural (see ``html_math``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from math_lm.data.dedup import ExactDeduplicator, MinHasher, MinHashLSHDeduplicator
from math_lm.data.documents import DecodeError, Document, UnitResult, decode_text, walk_files
from math_lm.data.html_math import extract_page
from math_lm.data.warc import WarcFormatError, iter_warc_records, parse_http_response

ENGLISH_STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just let me more most my no nor not
    now of off on once only or other our ours out over own same she should so some such than that the
    their theirs them then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your""".split()
)  # fmt: skip

MATH_KEYWORDS = frozenset(
    """theorem lemma proof corollary proposition definition equation equations integral integrals
    derivative derivatives differential matrix matrices vector vectors polynomial polynomials prime primes
    probability function functions solve solution solutions limit limits sum series sequence converge
    convergence algebra algebraic geometry topology eigenvalue eigenvalues eigenvector determinant
    logarithm exponential calculus inequality inequalities integer integers rational real complex
    variable variables coefficient coefficients triangle angle radius theorem's formula formulas graph
    set sets subset group groups ring field modulo divisible factor factorial arithmetic mean variance
    ratio fraction quotient square root roots dimension space spaces linear quadratic""".split()
)  # fmt: skip

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_WARC_SUFFIXES = (".warc", ".warc.gz")
_MATH_SPAN_RE = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z']*")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CONTENT_TYPE_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class OpenWebMathConfig:
    """Thresholds of the OpenWebMath filters (documented in the module docstring).

    ``min_math_score``: pages scoring below it are dropped; 0.3 keeps a page with one formula per 100
    words (score 0.3) or, without formulas, with dense mathematical vocabulary (≥ 2.25 keywords per 100
    words), and drops ordinary prose.
    """

    min_math_score: float = 0.3
    min_stop_word_ratio: float = 0.2
    min_words: int = 30
    near_duplicate_threshold: float = 0.7
    minhash_permutations: int = 128
    minhash_bands: int = 16
    shingle_words: int = 5


@dataclass(frozen=True)
class PageScores:
    """The quantities the filters look at, for one extracted page."""

    words: int
    stop_word_ratio: float
    formulas: int
    math_keywords: int
    math_score: float


def math_score(formulas: int, math_keywords: int, words: int) -> float:
    """The math-content score in [0, 1]: ``0.6·min(1, F/2) + 0.4·min(1, K/3)``.

    ``F`` is formulas per 100 words of prose, ``K`` mathematical keywords (:data:`MATH_KEYWORDS`) per 100
    words: two formulas or three keywords per 100 words saturate their part.
    """
    per_hundred = 100.0 / max(words, 1)
    formula_density = formulas * per_hundred
    keyword_density = math_keywords * per_hundred
    return 0.6 * min(1.0, formula_density / 2.0) + 0.4 * min(1.0, keyword_density / 3.0)


def score_page(text: str) -> PageScores:
    """Word count, stop-word ratio, formula and keyword counts, and math score of extracted text."""
    formulas = len(_MATH_SPAN_RE.findall(text))
    prose = _MATH_SPAN_RE.sub(" ", text)
    words = [word.lower() for word in _WORD_RE.findall(prose)]
    stop = sum(word in ENGLISH_STOP_WORDS for word in words)
    keywords = sum(word in MATH_KEYWORDS for word in words)
    ratio = stop / len(words) if words else 0.0
    return PageScores(len(words), ratio, formulas, keywords, math_score(formulas, keywords, len(words)))


def _charset(http_content_type: str | None, body: bytes) -> str:
    if http_content_type:
        found = _CONTENT_TYPE_CHARSET_RE.search(http_content_type)
        if found:
            return found.group(1)
    found_meta = _META_CHARSET_RE.search(body[:4096])
    if found_meta:
        return found_meta.group(1).decode("ascii")
    return "utf-8"


@dataclass(frozen=True)
class OpenWebMathSubset:
    """The OpenWebMath preprocessor (see the module docstring)."""

    config: OpenWebMathConfig = OpenWebMathConfig()
    name: str = "open-web-math"

    def work_units(self, inputs: Sequence[Path]) -> list[str]:
        """Every file under the inputs, in sorted order (each HTML file and each WARC file is one unit)."""
        units: list[str] = []
        for path in inputs:
            path = Path(path)
            units.extend([str(path)] if path.is_file() else [str(f) for f in walk_files(path)])
        return units

    def process(self, unit: str) -> UnitResult:
        """Extract and filter the page(s) of one HTML or WARC file."""
        path = Path(unit)
        result = UnitResult()
        name = path.name.lower()
        try:
            if name.endswith(_WARC_SUFFIXES):
                self._process_warc(path, result)
            elif name.endswith(_HTML_SUFFIXES):
                data = path.read_bytes()
                self._add_page(data, None, None, "html", unit, result)
            else:
                result.drop("unsupported_file", path.stat().st_size, unit)
        except OSError as error:
            result.drop("unreadable", 0, f"{unit}: {error}")
        return result

    def _process_warc(self, path: Path, result: UnitResult) -> None:
        try:
            for index, record in enumerate(iter_warc_records(path)):
                if record.record_type not in ("response", "resource"):
                    continue
                source = f"{path}#record{index}"
                content_type: str | None
                if record.record_type == "response":
                    try:
                        response = parse_http_response(record.payload)
                    except ValueError:
                        result.drop("bad_http_response", len(record.payload), source)
                        continue
                    if response.status != 200:
                        result.drop("http_status", len(response.body), source)
                        continue
                    body, content_type = response.body, response.headers.get("content-type")
                else:
                    body, content_type = record.payload, record.headers.get("content-type")
                if content_type is not None and "html" not in content_type.lower():
                    result.drop("not_html", len(body), source)
                    continue
                self._add_page(body, content_type, record.target_uri, "warc", source, result)
        except (WarcFormatError, EOFError) as error:
            result.drop("bad_warc", 0, str(error))
        except OSError as error:  # gzip.BadGzipFile and truncated gzip streams
            result.drop("bad_warc", 0, f"{path}: {error}")

    def _add_page(
        self, data: bytes, content_type: str | None, url: str | None, group: str, source: str, result: UnitResult
    ) -> None:
        try:
            html = decode_text(data, source, _charset(content_type, data))
        except DecodeError as error:
            result.drop(error.reason, len(data), source)
            return
        page = extract_page(html)
        reason = self.rejection(page.text)
        if reason is not None:
            result.drop(reason, len(data), source)
            return
        meta: dict[str, str] = {"source": source}
        if url or page.canonical_url:
            meta["url"] = url or page.canonical_url or ""
        signature = MinHasher(self.config.minhash_permutations, self.config.shingle_words).signature(page.text)
        result.documents.append(Document(text=page.text + "\n", meta=meta, group=group, signature=signature))

    def rejection(self, text: str) -> str | None:
        """The drop reason for an extracted page, or ``None`` when it passes every filter."""
        scores = score_page(text)
        if scores.words < self.config.min_words:
            return "too_short"
        if scores.stop_word_ratio < self.config.min_stop_word_ratio:
            return "not_english"
        if scores.math_score < self.config.min_math_score:
            return "low_math_score"
        return None

    def deduplicators(self) -> list[ExactDeduplicator | MinHashLSHDeduplicator]:
        """Exact duplicates, then MinHash LSH near duplicates."""
        return [
            ExactDeduplicator(),
            MinHashLSHDeduplicator(
                self.config.minhash_permutations, self.config.minhash_bands, self.config.near_duplicate_threshold
            ),
        ]
