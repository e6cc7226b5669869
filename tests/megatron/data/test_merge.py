"""merge_datasets: many indexed datasets into one, byte-identical to tokenizing their sources together."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import zstandard

from megatron.data.indexed_dataset import IndexedDatasetError, IndexedDatasetReader, IndexedDatasetWriter
from megatron.data.merge import merge_datasets
from megatron.data.preprocess import preprocess_corpus

REPO_ROOT = Path(__file__).resolve().parents[3]
LLAMA_MODEL = str(REPO_ROOT / "data" / "tokenizers" / "llama2.model")


def _shard(path: Path, texts: list[str]) -> Path:
    lines = "".join(json.dumps({"text": text, "meta": {"i": i}}, ensure_ascii=False) + "\n" for i, text in enumerate(texts))
    path.write_bytes(zstandard.ZstdCompressor().compress(lines.encode()))
    return path


def _tokenize(inputs: list[Path] | Path, prefix: Path) -> str:
    preprocess_corpus(
        str(inputs) if isinstance(inputs, Path) else [str(p) for p in inputs], str(prefix),
        tokenizer_type="SPMTokenizer", vocab_file=LLAMA_MODEL, append_eod=True, workers=0, progress_bar=False,
    )  # fmt: skip
    return f"{prefix}_text_document"


def test_merging_per_shard_datasets_is_byte_identical_to_tokenizing_the_concatenation(tmp_path: Path):
    shards = tmp_path / "train"
    shards.mkdir()
    for number in range(3):
        texts = [f"Shard {number}, document {i}: let $x_{i} = {i}^2$ and solve for $y$." * (i + 1) for i in range(4 + number)]
        _shard(shards / f"owm-train-{number:05d}.jsonl.zst", texts)
    together = _tokenize(shards, tmp_path / "together")
    per_shard = tmp_path / "per-shard"
    for shard in sorted(shards.iterdir()):
        _tokenize(shard, per_shard / shard.name.removesuffix(".jsonl.zst"))

    merged = merge_datasets([str(per_shard)], str(tmp_path / "merged"))
    assert merged.document_count == 4 + 5 + 6
    for suffix in (".bin", ".idx"):
        assert (tmp_path / f"merged{suffix}").read_bytes() == Path(together + suffix).read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_documents_of_several_sequences_keep_their_boundaries(tmp_path: Path):
    prefixes = []
    for name, documents in (("a", [([1, 2, 3], [2, 1]), ([4], None)]), ("b", [([5, 6, 7, 8], [1, 3])])):
        writer = IndexedDatasetWriter(str(tmp_path / f"{name}.bin"), np.uint16)
        for tokens, lengths in documents:
            writer.add_document(tokens, lengths)
        writer.finalize(str(tmp_path / f"{name}.idx"))
        prefixes.append(str(tmp_path / name))
    merged = merge_datasets(prefixes, str(tmp_path / "merged"))
    assert [merged.document(d).tolist() for d in range(merged.document_count)] == [[1, 2, 3], [4], [5, 6, 7, 8]]
    assert [merged[i].tolist() for i in range(len(merged))] == [[1, 2], [3], [4], [5], [6, 7, 8]]
    assert merged.document_indices.tolist() == [0, 2, 3, 5]


def test_bad_inputs_are_named_and_nothing_is_written(tmp_path: Path):
    for name, dtype in (("small", np.uint16), ("wide", np.int32)):
        writer = IndexedDatasetWriter(str(tmp_path / f"{name}.bin"), dtype)
        writer.add_document([1, 2])
        writer.finalize(str(tmp_path / f"{name}.idx"))
    with pytest.raises(ValueError, match="different token dtypes"):
        merge_datasets([str(tmp_path / "small"), str(tmp_path / "wide")], str(tmp_path / "out"))
    with pytest.raises(FileNotFoundError, match="missing"):
        merge_datasets([str(tmp_path / "small"), str(tmp_path / "missing")], str(tmp_path / "out"))
    (tmp_path / "cut.bin").write_bytes((tmp_path / "small.bin").read_bytes()[:2])
    (tmp_path / "cut.idx").write_bytes((tmp_path / "small.idx").read_bytes())
    with pytest.raises(IndexedDatasetError, match="cut.bin"):
        merge_datasets([str(tmp_path / "small"), str(tmp_path / "cut")], str(tmp_path / "out"))
    with pytest.raises(FileExistsError, match="small"):
        merge_datasets([str(tmp_path / "wide.idx")], str(tmp_path / "small"))
    assert not list(tmp_path.glob("out*"))
    assert IndexedDatasetReader(str(tmp_path / "small")).document(0).tolist() == [1, 2]
