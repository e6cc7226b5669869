"""The OpenWebMath subset: math web pages from HTML files and WARC archives.

Each page, within its :class:`~math_lm.data.budget.DocumentBudget` (size, nesting depth checked before
parsing, text length, time in a :mod:`~math_lm.data.watchdog` worker), goes through
:func:`math_lm.data.html_math.extract_page` (Resiliparse main-content text, every formula as LaTeX), then
three filters whose thresholds live in :class:`OpenWebMathConfig`:

* length: at least ``min_words`` words outside formulas (reason ``too_short``);
* English: fastText LID-176 on the page's prose words (identifiers and code tokens left out) with
  OpenWebMath's rule, top language ``en`` with probability ≥ ``min_english_probability`` = 0.5, and English
  function words deciding where fastText is unsure (:func:`math_lm.data.language_id.is_english`; reason
  ``not_english``);
* math content: the heuristic :func:`~math_lm.data.math_score.math_score` ≥ ``min_math_score``, or, when
  ``math_classifier`` names a fastText model (OpenWebMath's MathScore form), its probability of
  ``math_classifier_label`` ≥ 0.17 for pages with LaTeX and ≥ 0.8 without (reason ``low_math_score``).

Then exact duplicates (SHA-256 of the text) and near duplicates are removed, first copy wins. Near
duplicates: datatrove's MinHash stages over word ``shingle_words``-gram shingles (5), with
``minhash_permutations`` (128) in ``minhash_bands`` (16) bands, each candidate pair checked at estimated
Jaccard ≥ ``near_duplicate_threshold`` (0.7); :meth:`OpenWebMathSubset.deduplicators` carries these
settings to the pipeline (:func:`math_lm.data.datatrove_steps.math_minhash_config`).

Differences from OpenWebMath: no KenLM perplexity filter (its model is not published on a package index),
no URL blocklist, and MinHash instead of SimHash for near duplicates.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from math_lm.data.budget import DocumentBudget, html_depth_exceeds
from math_lm.data.dedup import ExactDeduplicator, MinHashLSHDeduplicator
from math_lm.data.documents import DecodeError, Document, UnitResult, decode_text, walk_files
from math_lm.data.html_math import extract_page
from math_lm.data.language_id import OPENWEBMATH_MIN_ENGLISH_PROBABILITY, is_english
from math_lm.data.math_score import FastTextMathScorer, HeuristicMathScorer, MathScorer, score_page
from math_lm.data.warc import WarcFormatError, iter_warc_pages
from math_lm.data.watchdog import DocumentRunner, InlineRunner

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_WARC_SUFFIXES = (".warc", ".warc.gz")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CONTENT_TYPE_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class OpenWebMathConfig:
    """Thresholds of the OpenWebMath filters (documented in the module docstring).

    ``math_classifier``: path of a fastText model that replaces the heuristic math score; the two
    ``min_classifier_score_*`` thresholds apply to it, ``min_math_score`` to the heuristic.
    """

    min_words: int = 30
    min_english_probability: float = OPENWEBMATH_MIN_ENGLISH_PROBABILITY
    min_math_score: float = 0.3
    math_classifier: str | None = None
    math_classifier_label: str = "__label__positive"
    min_classifier_score_with_latex: float = 0.17
    min_classifier_score_without_latex: float = 0.8
    near_duplicate_threshold: float = 0.7
    minhash_permutations: int = 128
    minhash_bands: int = 16
    shingle_words: int = 5


@functools.lru_cache(maxsize=4)
def math_scorer(config: OpenWebMathConfig) -> MathScorer:
    """The math filter a config asks for, loaded once per process."""
    if config.math_classifier is None:
        return HeuristicMathScorer(config.min_math_score)
    return FastTextMathScorer(
        config.math_classifier,
        config.math_classifier_label,
        config.min_classifier_score_with_latex,
        config.min_classifier_score_without_latex,
    )


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
    budget: DocumentBudget = DocumentBudget()

    def __post_init__(self) -> None:
        if self.config.math_classifier is not None:
            math_scorer(self.config)  # a missing or unreadable model fails here, before any work

    def work_units(self, inputs: Sequence[Path]) -> list[str]:
        """Every file under the inputs, in sorted order (each HTML file and each WARC file is one unit)."""
        units: list[str] = []
        for path in inputs:
            path = Path(path)
            units.extend([str(path)] if path.is_file() else [str(f) for f in walk_files(path)])
        return units

    def process(self, unit: str, runner: DocumentRunner | None = None) -> UnitResult:
        """Extract and filter the page(s) of one HTML or WARC file.

        Files and records are read here, within ``budget.max_input_bytes``; each page is extracted and
        filtered by ``runner`` (by default in this process, without a time limit).
        """
        runner = runner or InlineRunner()
        path = Path(unit)
        result = UnitResult()
        name = path.name.lower()
        try:
            if name.endswith(_WARC_SUFFIXES):
                self._process_warc(path, result, runner)
            elif name.endswith(_HTML_SUFFIXES):
                size = path.stat().st_size
                if size > self.budget.max_input_bytes:
                    result.drop("too_large", size, unit)
                    return result
                data = path.read_bytes()
                result.extend(runner.run(self.page_result, data, None, None, "html", unit, source=unit, nbytes=len(data)))
            else:
                result.drop("unsupported_file", path.stat().st_size, unit)
        except OSError as error:
            result.drop("unreadable", 0, f"{unit}: {error}")
        return result

    def _process_warc(self, path: Path, result: UnitResult, runner: DocumentRunner) -> None:
        try:
            for page in iter_warc_pages(path, self.budget):
                source = f"{path}#record{page.index}"
                if page.problem is not None:
                    result.drop(page.problem, page.size, source)
                elif page.status is not None and page.status != 200:
                    result.drop("http_status", len(page.body), source)
                elif page.content_type is not None and "html" not in page.content_type.lower():
                    result.drop("not_html", len(page.body), source)
                else:
                    page_job = (page.body, page.content_type, page.target_uri, "warc", source)
                    result.extend(runner.run(self.page_result, *page_job, source=source, nbytes=len(page.body)))
        except WarcFormatError as error:
            result.drop("bad_warc", 0, str(error))

    def page_result(self, data: bytes, content_type: str | None, url: str | None, group: str, source: str) -> UnitResult:
        """One page's document or drop (run in a :mod:`~math_lm.data.watchdog` worker)."""
        result = UnitResult()
        self._add_page(data, content_type, url, group, source, result)
        return result

    def _add_page(
        self, data: bytes, content_type: str | None, url: str | None, group: str, source: str, result: UnitResult
    ) -> None:
        budget = self.budget
        if len(data) > budget.max_source_bytes:
            result.drop("too_large", len(data), source)
            return
        try:
            html = decode_text(data, source, _charset(content_type, data))
        except DecodeError as error:
            result.drop(error.reason, len(data), source)
            return
        if html_depth_exceeds(data, html, budget.max_html_depth):  # before Resiliparse's quadratic pass
            result.drop("too_deep", len(data), source)
            return
        try:
            page = extract_page(html)
        except ValueError:  # Resiliparse's parser exceptions are ValueErrors
            result.drop("bad_html", len(data), source)
            return
        if len(page.text) > budget.max_text_chars:  # before language ID, math scoring and MinHash
            result.drop("text_too_long", len(data), source)
            return
        reason = self.rejection(page.text)
        if reason is not None:
            result.drop(reason, len(data), source)
            return
        meta: dict[str, str] = {"source": source}
        if url or page.canonical_url:
            meta["url"] = url or page.canonical_url or ""
        result.documents.append(Document(text=page.text + "\n", meta=meta, group=group))

    def rejection(self, text: str) -> str | None:
        """The drop reason for an extracted page, or ``None`` when it passes every filter."""
        scores = score_page(text)
        if scores.words < self.config.min_words:
            return "too_short"
        if not is_english(text, self.config.min_english_probability):
            return "not_english"
        scorer = math_scorer(self.config)
        if not scorer.keeps(scorer.score(text), has_latex=scores.formulas > 0):
            return "low_math_score"
        return None

    def deduplicators(self) -> list[ExactDeduplicator | MinHashLSHDeduplicator]:
        """Exact duplicates, then MinHash LSH near duplicates."""
        return [
            ExactDeduplicator(),
            MinHashLSHDeduplicator(
                self.config.minhash_permutations,
                self.config.minhash_bands,
                self.config.near_duplicate_threshold,
                self.config.shingle_words,
            ),
        ]
