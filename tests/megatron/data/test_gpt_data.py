"""GPT samples, splits and blends over tiny indexed datasets written here."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from megatron.core.datasets.indexed_dataset import IndexedDatasetBuilder

from megatron.data.gpt_data import DataSpec, build_datasets, neox_sample_counts, parse_split
from megatron.data.gpt_dataset import GPTSampleDataset, build_blend_index

EOD = 2


def write_indexed(prefix, docs) -> str:
    """Write `docs` (lists of token ids) as `{prefix}.bin/.idx`; returns the prefix."""
    prefix = str(prefix)
    builder = IndexedDatasetBuilder(prefix + ".bin", dtype=np.uint16)
    for doc in docs:
        builder.add_item(torch.tensor(doc, dtype=torch.int64))
        builder.end_document()
    builder.finalize(prefix + ".idx")
    return prefix


def tagged_docs(num_docs: int, tag: int, rng_seed: int = 0) -> list[list[int]]:
    """Documents whose tokens say where they came from: source `tag` (thousands), document (tens), then EOD."""
    lengths = np.random.default_rng(rng_seed).integers(1, 9, size=num_docs)
    return [[tag * 1000 + doc * 10 + (k % 10) for k in range(length - 1)] + [EOD] for doc, length in enumerate(lengths)]


def doc_of(token: int) -> int:
    return (token % 1000) // 10


def source_of(token: int) -> int:
    return token // 1000


def test_neox_sample_counts():
    assert neox_sample_counts(100, 10, 5, 8) == (800, 440, 40)
    # LLEMMA 7B: 48,000 iterations, eval every 250 for 50 iterations, 1024 sequences per batch.
    assert neox_sample_counts(48_000, 250, 50, 1024) == (49_152_000, 193 * 50 * 1024, 50 * 1024)
    assert neox_sample_counts(10, 3, 0, 4) == (40, 0, 0)
    with pytest.raises(ValueError, match="eval_interval"):
        neox_sample_counts(10, 0, 1, 4)


def test_parse_split():
    assert parse_split("969,30,1") == pytest.approx((0.969, 0.030, 0.001))
    assert parse_split("1") == (1.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="split"):
        parse_split("a,b")
    with pytest.raises(ValueError, match="zero share"):
        parse_split("0,0,0")


def test_samples_are_the_packed_stream_with_one_overlapping_token(tmp_path):
    from megatron.core.datasets.indexed_dataset import IndexedDataset

    docs = tagged_docs(12, tag=1)
    docs[3] = []  # an empty document must be stepped over
    prefix = write_indexed(tmp_path / "a", docs)
    seq = 5
    dataset = GPTSampleDataset(IndexedDataset(prefix), prefix, (0, 12), 30, seq, seed=7, split="train")
    total_tokens = sum(map(len, docs))
    assert dataset.num_epochs == -(-(30 * seq + 1) // total_tokens) > 1
    stream = np.concatenate([np.asarray(docs[d], dtype=np.int64) for d in dataset.doc_order])
    for position in range(30):
        np.testing.assert_array_equal(dataset.stream_sample(position), stream[position * seq : position * seq + seq + 1])
    # Every full epoch holds each document once, in a fresh order.
    epoch_orders = [dataset.doc_order[e * 12 : (e + 1) * 12] for e in range(dataset.num_epochs - 1)]
    for order in epoch_orders:
        assert sorted(order.tolist()) == list(range(12))
    assert not np.array_equal(epoch_orders[0], epoch_orders[1])
    # Items are the stream samples in a shuffled order, each exactly once.
    items = [dataset[i]["text"] for i in range(30)]
    assert all(item.dtype == np.int64 and item.shape == (seq + 1,) for item in items)
    assert sorted(dataset.shuffle.tolist()) == list(range(30))
    assert dataset.shuffle.tolist() != list(range(30))
    np.testing.assert_array_equal(items[4], dataset.stream_sample(int(dataset.shuffle[4])))
    with pytest.raises(IndexError):
        dataset[30]


def _texts(dataset) -> np.ndarray:
    return np.stack([dataset[i]["text"] for i in range(len(dataset))])


def test_same_seed_same_samples_other_seed_other_samples(tmp_path):
    prefix = write_indexed(tmp_path / "a", tagged_docs(40, tag=1))
    build = lambda seed: build_datasets(DataSpec(seq_length=4, seed=seed, data_path=prefix, split="1"), (25, 0, 0)).train
    first, again, other = build(3), build(3), build(4)
    assert len(first) == 25
    np.testing.assert_array_equal(_texts(first), _texts(again))
    assert first.fingerprint == again.fingerprint != other.fingerprint
    assert not np.array_equal(_texts(first), _texts(other))


def test_split_by_documents(tmp_path):
    prefix = write_indexed(tmp_path / "a", tagged_docs(20, tag=1))
    spec = DataSpec(seq_length=3, seed=1, data_path=[prefix], split="8,1,1")
    train, valid, test = build_datasets(spec, (20, 6, 4))
    assert (train.sequence_range, valid.sequence_range, test.sequence_range) == ((0, 16), (16, 18), (18, 20))
    assert (len(train), len(valid), len(test)) == (20, 6, 4)
    for dataset, docs in ((train, range(0, 16)), (valid, range(16, 18)), (test, range(18, 20))):
        seen = {doc_of(token) for token in _texts(dataset).ravel() if token != EOD}
        assert seen <= set(docs)
    # A zero share, or zero samples, gives no dataset.
    train, valid, test = build_datasets(DataSpec(seq_length=3, data_path=prefix, split="9,0,1"), (5, 4, 0))
    assert train is not None and valid is None and test is None


def test_blend_follows_weights_and_reports_sources(tmp_path):
    prefixes = [write_indexed(tmp_path / f"s{tag}", tagged_docs(30, tag=tag, rng_seed=tag)) for tag in (1, 2, 3)]
    spec = DataSpec(seq_length=4, seed=5, train_data_paths=prefixes, train_data_weights=[2, 4, 1])
    train, valid, test = build_datasets(spec, (700, 10, 10))
    assert valid is None and test is None
    assert train.source_names == prefixes
    assert len(train) == 700
    expected = np.array([2, 4, 1]) / 7
    for stop in (7, 70, 351, 700):
        counts = train.samples_per_source(stop)
        assert np.all(np.abs(counts - expected * stop) <= 2), (stop, counts)
    for index in range(0, 700, 13):
        item = train[index]
        tokens = [token for token in item["text"] if token != EOD]
        assert {source_of(token) for token in tokens} == {item["source_id"] + 1}
    assert train.tokens_per_source(70) == {
        name: int(count) * 4 for name, count in zip(prefixes, train.samples_per_source(70))
    }
    # Missing weights mean equal weights.
    equal = build_datasets(DataSpec(seq_length=4, train_data_paths=prefixes[:2]), (100, 0, 0)).train
    assert equal.samples_per_source(100).tolist() == [50, 50]


def test_blend_index_of_the_llemma_mixture_has_its_shares():
    # Its speed against megatron-core's C++ helper is benchmarks/blend_index.py's, not a test's.
    source_index, _ = build_blend_index([2, 4, 1, 0.147368, 0.221053], 43_000_000 // 20)
    shares = np.bincount(source_index) / len(source_index)
    np.testing.assert_allclose(shares, [0.2714, 0.5429, 0.1357, 0.0200, 0.0300], atol=1e-4)


def test_weights_must_match_paths():
    with pytest.raises(ValueError, match="train_data_weights has 1 entries but train_data_paths has 2"):
        DataSpec(seq_length=4, train_data_paths=["a", "b"], train_data_weights=[1.0])
    with pytest.raises(ValueError, match="valid_data_weights must be positive"):
        DataSpec(seq_length=4, train_data_paths=["a"], valid_data_paths=["b"], valid_data_weights=[0])
    with pytest.raises(ValueError, match="not both"):
        DataSpec(seq_length=4, data_path="a", train_data_paths=["b"])
    with pytest.raises(ValueError, match="no training data"):
        DataSpec(seq_length=4)


def test_missing_files_name_the_key_and_file(tmp_path):
    present = write_indexed(tmp_path / "a", tagged_docs(5, tag=1))
    missing = str(tmp_path / "nope")
    spec = DataSpec(seq_length=4, train_data_paths=[present], valid_data_paths=[present, missing])
    with pytest.raises(FileNotFoundError, match=r"valid_data_paths\[1\].*nope\.idx"):
        build_datasets(spec, (4, 4, 0))
    (tmp_path / "half.idx").write_bytes((tmp_path / "a.idx").read_bytes())
    with pytest.raises(FileNotFoundError, match=r"data_path.*half\.bin"):
        build_datasets(DataSpec(seq_length=4, data_path=str(tmp_path / "half")), (4, 0, 0))
    with pytest.raises(FileNotFoundError, match="without the extension"):
        build_datasets(DataSpec(seq_length=4, data_path=present + ".bin"), (4, 0, 0))


def test_empty_split_is_an_error_not_a_hang(tmp_path):
    prefix = write_indexed(tmp_path / "a", tagged_docs(3, tag=1))
    with pytest.raises(ValueError, match=r"valid set is empty for data_path.*'98,1,1'"):
        build_datasets(DataSpec(seq_length=4, data_path=prefix, split="98,1,1"), (4, 4, 4))
    empty = write_indexed(tmp_path / "empty", [[], []])
    spec = DataSpec(seq_length=4, train_data_paths=[prefix], test_data_paths=[empty])
    with pytest.raises(ValueError, match=r"test set is empty.*test_data_paths\[0\].*holds no tokens"):
        build_datasets(spec, (4, 0, 4))
    # Not requesting samples from it is fine.
    assert build_datasets(spec, (4, 0, 0)).test is None


def test_spec_from_a_larger_config_and_the_eod_check(tmp_path, caplog):
    with_eod = write_indexed(tmp_path / "a", tagged_docs(6, tag=1))
    without_eod = write_indexed(tmp_path / "b", [[5, 6, 7], [8, 9]])
    config = {"seq_length": 3, "seed": 4, "eod_id": EOD, "train_data_paths": [with_eod, without_eod], "lr": 1e-4}
    spec = DataSpec.from_mapping(config)
    assert spec.train_data_paths == (with_eod, without_eod) and spec.seed == 4
    with caplog.at_level("WARNING", logger="megatron.data.gpt_data"):
        build_datasets(spec, (6, 0, 0))
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert len(warnings) == 1 and without_eod in warnings[0] and "end-of-document" in warnings[0]
