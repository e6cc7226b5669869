"""Deduplication shared by the subsets: exact text hashes, SHA-256 chunk hashes, and MinHash LSH.

All deduplicators keep the first copy in input order, so the result does not depend on the task or
worker count. The exact and chunk deduplicators run as they are in the pipeline's final task. A
subset's :class:`MinHashLSHDeduplicator` states its near-duplicate settings (permutations, bands,
threshold, shingle size); the pipeline runs them as datatrove's distributed MinHash stages
(:mod:`math_lm.data.datatrove_steps`). Run in one process, the class is the in-memory equivalent
(benchmarks/web_dedup.py compares the two).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

from math_lm.data.documents import Document

# A prime below 2**32: with 32-bit shingle hashes and 32-bit coefficients, a*x+b stays below 2**64.
_MINHASH_PRIME = np.uint64(4294967291)
_WORD_RE = re.compile(r"\w+", re.UNICODE)


class ExactDeduplicator:
    """Drops documents whose full text (SHA-256) was already seen."""

    reason = "exact_duplicate"

    def __init__(self) -> None:
        self._seen: set[bytes] = set()

    def is_duplicate(self, document: Document) -> bool:
        """Whether the text was seen before; records it when it was not."""
        digest = hashlib.sha256(document.text.encode("utf-8")).digest()[:16]
        if digest in self._seen:
            return True
        self._seen.add(digest)
        return False


class ChunkDeduplicator:
    """AlgebraicStack's chunk deduplication: a document whose 2048-character chunk was seen is dropped.

    The text is cut into consecutive chunks of ``chunk_size`` characters; a chunk is compared only when it
    is full length or is the whole document (a short final chunk is ignored), as math-lm did. Hashes of
    kept documents only are remembered. Digests are truncated to 16 bytes to halve memory.
    """

    reason = "chunk_duplicate"

    def __init__(self, chunk_size: int = 2048) -> None:
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be positive, got {chunk_size}")
        self.chunk_size = chunk_size
        self._seen: set[bytes] = set()

    def _chunk_digests(self, text: str) -> list[bytes]:
        digests = []
        for start in range(0, len(text), self.chunk_size):
            chunk = text[start : start + self.chunk_size]
            if len(chunk) == self.chunk_size or len(chunk) == len(text):
                digests.append(hashlib.sha256(chunk.encode("utf-8")).digest()[:16])
        return digests

    def is_duplicate(self, document: Document) -> bool:
        """Whether any comparable chunk was seen in an earlier kept document; records the chunks if not."""
        digests = self._chunk_digests(document.text)
        if any(digest in self._seen for digest in digests):
            return True
        self._seen.update(digests)
        return False


@dataclass(frozen=True)
class MinHasher:
    """MinHash signatures over word n-gram shingles, with ``num_perm`` universal hash functions.

    Shingles are lower-cased word ``ngram``-grams (the whole text when it is shorter), hashed to 32 bits
    with BLAKE2b; permutation ``i`` is ``(a_i * h + b_i) mod p`` with ``p = 4294967291``.
    """

    num_perm: int = 128
    ngram: int = 5
    seed: int = 1

    def _coefficients(self) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng(self.seed)
        prime = int(_MINHASH_PRIME)
        a = rng.integers(1, prime, size=self.num_perm, dtype=np.uint64)
        b = rng.integers(0, prime, size=self.num_perm, dtype=np.uint64)
        return a, b

    def signature(self, text: str) -> np.ndarray:
        """The ``uint32`` MinHash signature of ``text`` (length ``num_perm``)."""
        words = _WORD_RE.findall(text.lower())
        if len(words) <= self.ngram:
            shingles = {" ".join(words)}
        else:
            shingles = {" ".join(words[i : i + self.ngram]) for i in range(len(words) - self.ngram + 1)}
        hashes = np.fromiter(
            (
                int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "little")
                for s in shingles
            ),
            dtype=np.uint64,
            count=len(shingles),
        )
        a, b = self._coefficients()
        signature = np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        for start in range(0, len(hashes), 4096):  # bounded temporary: 4096 x num_perm
            block = hashes[start : start + 4096, None]
            np.minimum(signature, ((block * a[None, :] + b[None, :]) % _MINHASH_PRIME).min(axis=0), out=signature)
        return signature.astype(np.uint32)


class MinHashLSHDeduplicator:
    """Near-duplicate removal with MinHash locality-sensitive hashing (banding).

    The signature is cut into ``bands`` bands of ``num_perm / bands`` rows; documents sharing any band are
    candidates, and a candidate is a duplicate when the fraction of equal signature entries (the MinHash
    estimate of Jaccard similarity) is at least ``threshold``. With 128 permutations and 16 bands of 8 rows
    the banding's own threshold is about (1/16)^(1/8) = 0.71. Signatures of kept documents stay in memory
    (512 bytes each at 128 permutations). ``shingle_words`` is the word n-gram size of the signatures: run
    in one process, make them with ``MinHasher(num_perm, shingle_words)``; the pipeline gives it to
    datatrove's signature step.
    """

    reason = "near_duplicate"

    def __init__(self, num_perm: int = 128, bands: int = 16, threshold: float = 0.7, shingle_words: int = 5) -> None:
        if num_perm % bands != 0:
            raise ValueError(f"num_perm ({num_perm}) must be a multiple of bands ({bands})")
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        if shingle_words < 1:
            raise ValueError(f"shingle_words must be positive, got {shingle_words}")
        self.num_perm = num_perm
        self.bands = bands
        self.rows = num_perm // bands
        self.threshold = threshold
        self.shingle_words = shingle_words
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(bands)]
        self._signatures: list[np.ndarray] = []

    def is_duplicate(self, document: Document) -> bool:
        """Whether the document is a near duplicate of a kept one; indexes it when it is not."""
        signature = document.signature
        if signature is None or len(signature) != self.num_perm:
            raise ValueError(
                f"document {document.meta} has no MinHash signature of length {self.num_perm}"
            )
        keys = [signature[b * self.rows : (b + 1) * self.rows].tobytes() for b in range(self.bands)]
        checked: set[int] = set()
        for band, key in enumerate(keys):
            for candidate in self._buckets[band].get(key, ()):
                if candidate in checked:
                    continue
                checked.add(candidate)
                if float(np.mean(self._signatures[candidate] == signature)) >= self.threshold:
                    return True
        index = len(self._signatures)
        self._signatures.append(signature)
        for band, key in enumerate(keys):
            self._buckets[band].setdefault(key, []).append(index)
        return False
