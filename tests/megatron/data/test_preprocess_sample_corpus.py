"""The shipped sample corpus is the generator's output, small, and preprocesses cleanly."""
from __future__ import annotations

import json
from pathlib import Path

import zstandard

from tools.fixtures.corpus_synthetic import generate_documents, write_synthetic_corpus
from megatron.data.indexed_dataset import IndexedDatasetReader
from megatron.data.preprocess import preprocess_corpus

REPO_ROOT = Path(__file__).resolve().parents[3]
SAMPLE = REPO_ROOT / "data" / "sample_corpus" / "sample.jsonl.zst"
LLAMA_MODEL = str(REPO_ROOT / "data" / "tokenizers" / "llama2.model")


def test_shipped_sample_is_the_generators_output():
    assert SAMPLE.stat().st_size <= 300 * 1024
    lines = zstandard.ZstdDecompressor().stream_reader(SAMPLE.open("rb")).read().decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == list(generate_documents(4000, seed=0))


def test_generator_is_deterministic_and_varied(tmp_path):
    first = list(generate_documents(50, seed=3))
    assert first == list(generate_documents(50, seed=3)) != list(generate_documents(50, seed=4))
    assert len({doc["text"] for doc in first}) == 50
    topics = {topic for doc in first for topic in doc["meta"]["topics"]}
    assert {"python", "sum_theorem", "word_problem"} <= topics
    path = tmp_path / "small.jsonl.zst"
    write_synthetic_corpus(str(path), 50, seed=3)
    summary = preprocess_corpus(str(path), str(tmp_path / "small"), tokenizer_type="SPMTokenizer",
                                vocab_file=LLAMA_MODEL, append_eod=True, workers=0, progress_bar=False)
    reader = IndexedDatasetReader(summary.outputs["text"])
    assert reader.document_count == 50 and summary.total_tokens == reader.token_count > 50 * 50
