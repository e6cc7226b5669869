"""The n-gram overlap analysis on small corpora with planted hits, in every corpus format."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import zstandard

from math_lm.eval.overlap import (
    CorpusSpec, OverlapError, build_index, find_overlap, load_correctness, ngram_hashes, normalize_words,
    summarize,
)
from megatron.data.indexed_dataset import IndexedDatasetWriter
from megatron.tokenizer import build_tokenizer

REPO = Path(__file__).resolve().parents[3]
TOKENIZER = REPO / "data/tokenizers/llama2.model"
N = 8

EXAMPLES = [
    {"problem": "Let $f(x) = 3x^2 - 5x + 2$. Find the sum of the roots of f and the product of its roots.",
     "solution": "By Vieta the sum is 5/3 and the product is 2/3, so we add them to get 7/3.", "level": "Level 1"},
    {"problem": "A circle has radius seven and a square is drawn around it with sides tangent to the circle.",
     "solution": "The side of the square is twice the radius so the area equals one hundred ninety six.",
     "level": "Level 1"},
    {"problem": "How many positive divisors does the number three hundred sixty have in total today?",
     "solution": "Write 360 as 2^3 times 3^2 times 5 and multiply 4 times 3 times 2 to get 24 divisors.",
     "level": "Level 2"},
    {"problem": "Compute the determinant of the two by two matrix with rows one two and three four.",
     "solution": "The determinant is one times four minus two times three which equals negative two.",
     "level": "Level 2"},
]

CORPUS = [
    # example 0's problem, with other case, spacing and punctuation
    "Intro text. LET $f(x)=3x^2-5x+2$ . find the SUM of the roots of f, and the product of its roots! More.",
    # example 1's problem with its fifth word changed: every 8-gram of the first 10 words is broken
    "A circle has radius SIX and a square is drawn around",
    # unrelated
    "Nothing to see here, just some words about trains and weather and cheese and bread.",
    # example 2's solution inside a longer document
    "Preamble words. Write 360 as 2^3 times 3^2 times 5 and multiply 4 times 3 times 2 to get 24 divisors. End.",
]


def write_jsonl(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"text": t, "meta": {}}) + "\n" for t in texts), encoding="utf-8")
    return path


def write_indexed(prefix: Path, texts: list[str]) -> Path:
    tokenizer = build_tokenizer("SPMTokenizer", str(TOKENIZER))
    writer = IndexedDatasetWriter(str(prefix) + ".bin", np.uint16)
    for text in texts:
        writer.add_document(np.array(tokenizer.tokenize(text) + [2], dtype=np.uint16))
    writer.finalize(str(prefix) + ".idx")
    return prefix


def hit_set(result) -> set[tuple[int, str]]:
    return set(result.hits)


def test_normalised_words_and_hashes():
    assert normalize_words("Find $\\frac{1}{2}$, THE  sum!") == ["find", "frac", "1", "2", "the", "sum"]
    words = normalize_words("a b c d e f g h a b c")
    hashes = ngram_hashes(words, 3)
    assert hashes.shape == (9,) and hashes[0] == hashes[8] and len(set(hashes[:8].tolist())) == 8
    assert ngram_hashes(words[:2], 3).size == 0


def test_planted_hits_found_in_jsonl_and_near_miss_is_not(tmp_path):
    corpus = CorpusSpec((str(write_jsonl(tmp_path / "c.jsonl", CORPUS)),))
    result = find_overlap(EXAMPLES, ["problem", "solution"], corpus, n=N, workers=0, progress=False)
    assert hit_set(result) == {(0, "problem"), (2, "solution")}
    assert result.hits[(0, "problem")].documents == [f"{tmp_path / 'c.jsonl'}:1"]
    assert result.hits[(2, "solution")].documents == [f"{tmp_path / 'c.jsonl'}:4"]
    assert result.documents == 4 and result.text_bytes == sum(len(t.encode()) for t in CORPUS)


def test_every_format_and_worker_count_agree(tmp_path):
    jsonl = write_jsonl(tmp_path / "c.jsonl", CORPUS)
    zst = tmp_path / "c.jsonl.zst"
    zst.write_bytes(zstandard.ZstdCompressor().compress(jsonl.read_bytes()))
    prefix = write_indexed(tmp_path / "c_text_document", CORPUS)
    for spec, workers in [(CorpusSpec((str(zst),)), 2),
                          (CorpusSpec((str(prefix),), tokenizer=str(TOKENIZER), documents_per_unit=1), 2),
                          (CorpusSpec((str(prefix),), tokenizer=str(TOKENIZER)), 0)]:
        result = find_overlap(EXAMPLES, ["problem", "solution"], spec, n=N, workers=workers, progress=False)
        assert hit_set(result) == {(0, "problem"), (2, "solution")}, spec
        assert result.documents == 4
    indexed = find_overlap(EXAMPLES, ["solution"], CorpusSpec((str(prefix),), tokenizer=str(TOKENIZER)), n=N,
                           workers=0, progress=False)
    assert indexed.hits[(2, "solution")].documents == [f"{prefix}#3"]


def test_summary_per_level_with_accuracy_split(tmp_path):
    corpus = CorpusSpec((str(write_jsonl(tmp_path / "c.jsonl", CORPUS)),))
    result = find_overlap(EXAMPLES, ["problem", "solution"], corpus, n=N, workers=0, progress=False)
    results = tmp_path / "math_greedy.jsonl"
    results.write_text("".join(json.dumps({"problem": e["problem"], "correct": c}) + "\n"
                               for e, c in zip(EXAMPLES, [True, False, True, False])))
    correctness = load_correctness(results, EXAMPLES, "problem")
    assert correctness == {0: True, 1: False, 2: True, 3: False}
    summary = summarize(result, EXAMPLES, "level", correctness)
    overall, level1, level2 = (summary["groups"][g] for g in ("overall", "Level 1", "Level 2"))
    assert (overall["problem_hits"], overall["solution_hits"]) == (1, 1)
    assert (level1["problem_hit_rate"], level2["problem_hit_rate"]) == (0.5, 0.0)
    assert (level1["solution_hit_rate"], level2["solution_hit_rate"]) == (0.0, 0.5)
    assert overall["problem_accuracy_hit"] == 1.0 and overall["problem_accuracy_no_hit"] == pytest.approx(1 / 3)
    assert level2["solution_accuracy_hit"] == 1.0 and level2["solution_accuracy_no_hit"] == 0.0
    assert level1["solution_accuracy_hit"] is None


def test_default_n_30_needs_30_shared_words(tmp_path):
    words = [f"word{i}" for i in range(40)]
    examples = [{"problem": " ".join(words)}, {"problem": " ".join(words[:29])}]
    for shared, expected in [(29, set()), (30, {(0, "problem")})]:
        corpus = CorpusSpec((str(write_jsonl(tmp_path / f"c{shared}.jsonl", ["x " + " ".join(words[5 : 5 + shared])])),))
        result = find_overlap(examples, ["problem"], corpus, workers=0, progress=False)
        assert hit_set(result) == expected
        assert result.short_fields == {"problem": 1}


def test_errors_name_the_problem(tmp_path):
    with pytest.raises(OverlapError, match="test example 1: no field 'solution'"):
        build_index([{"solution": "a"}, {"problem": "b"}], ["solution"], 3)
    with pytest.raises(OverlapError, match="does not exist"):
        find_overlap(EXAMPLES, ["problem"], CorpusSpec((str(tmp_path / "missing.jsonl"),)), n=N, workers=0,
                     progress=False)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"content": "x"}) + "\n")
    with pytest.raises(OverlapError, match=r"bad.jsonl:1: no string field 'text'"):
        find_overlap(EXAMPLES, ["problem"], CorpusSpec((str(bad),)), n=N, workers=0, progress=False)
    prefix = write_indexed(tmp_path / "d", CORPUS[:1])
    with pytest.raises(OverlapError, match="needs --tokenizer"):
        find_overlap(EXAMPLES, ["problem"], CorpusSpec((str(prefix),)), n=N, workers=0, progress=False)
