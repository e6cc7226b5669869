"""Our MMIDIDX writer/reader against megatron-core's builder and reader."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from megatron.data.indexed_dataset import (
    IndexedDatasetError,
    IndexedDatasetReader,
    IndexedDatasetWriter,
    bin_path,
    idx_path,
    token_dtype,
)


def random_documents(seed: int, count: int, high: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    docs = [rng.integers(0, high, size=int(rng.integers(1, 300))) for _ in range(count)]
    docs[3] = np.array([high - 1])  # the largest id survives the dtype
    return docs


def write_ours(prefix: str, docs, dtype, split_every: int | None = None) -> None:
    writer = IndexedDatasetWriter(bin_path(prefix), dtype)
    for doc in docs:
        lengths = None
        if split_every:
            lengths = [min(split_every, len(doc) - i) for i in range(0, len(doc), split_every)]
        writer.add_document(doc, lengths)
    writer.finalize(idx_path(prefix))


@pytest.mark.parametrize(("dtype", "high"), [(np.uint16, 32000), (np.int32, 100_000)])
@pytest.mark.parametrize("split_every", [None, 50])
def test_bytes_identical_to_megatron_core_builder(tmp_path, dtype, high, split_every):
    from megatron.core.datasets.indexed_dataset import IndexedDataset, IndexedDatasetBuilder

    docs = random_documents(seed=high, count=40, high=high)
    ours, theirs = str(tmp_path / "ours"), str(tmp_path / "theirs")
    write_ours(ours, docs, dtype, split_every)

    builder = IndexedDatasetBuilder(bin_path(theirs), dtype=dtype)
    for doc in docs:
        if split_every is None:
            builder.add_item(torch.from_numpy(doc))
        else:
            for start in range(0, len(doc), split_every):
                builder.add_item(torch.from_numpy(doc[start : start + split_every]))
        builder.end_document()
    builder.finalize(idx_path(theirs))

    for path in (bin_path, idx_path):
        assert open(path(ours), "rb").read() == open(path(theirs), "rb").read()

    dataset = IndexedDataset(ours)
    flat = [piece for doc in docs for piece in
            ([doc] if split_every is None else np.split(doc, range(split_every, len(doc), split_every)))]
    assert len(dataset) == len(flat)
    for i, piece in enumerate(flat):
        np.testing.assert_array_equal(dataset[i], piece)
    reader = IndexedDatasetReader(ours)
    assert list(dataset.document_indices) == list(reader.document_indices)
    for i in (0, len(flat) // 2, len(flat) - 1):  # the data layer reads through `get`, as it did through megatron-core's
        size = len(flat[i])
        for offset, length in ((0, None), (size // 3, size // 2), (size - 1, 1)):
            np.testing.assert_array_equal(reader.get(i, offset=offset, length=length),
                                          dataset.get(i, offset=offset, length=length))
    with pytest.raises(IndexError):
        reader.get(0, offset=len(flat[0]), length=1)


def test_reader_pickles_by_path(tmp_path):
    import pickle

    prefix = str(tmp_path / "data")
    write_ours(prefix, random_documents(seed=3, count=5, high=32000), np.uint16)
    blob = pickle.dumps(IndexedDatasetReader(prefix))
    assert len(blob) < 1000  # the prefix, not the mapped data
    np.testing.assert_array_equal(pickle.loads(blob)[2], IndexedDatasetReader(prefix)[2])


def test_batched_add_equals_one_by_one(tmp_path):
    docs = random_documents(seed=1, count=30, high=32000)
    one, many = str(tmp_path / "one"), str(tmp_path / "many")
    write_ours(one, docs, np.uint16)
    writer = IndexedDatasetWriter(bin_path(many), np.uint16)
    writer.add_documents(np.concatenate(docs[:10]), [len(d) for d in docs[:10]])
    writer.add_documents(np.concatenate(docs[10:]), [len(d) for d in docs[10:]])
    assert (writer.document_count, writer.sequence_count) == (30, 30)
    writer.finalize(idx_path(many))
    for path in (bin_path, idx_path):
        assert open(path(one), "rb").read() == open(path(many), "rb").read()


def test_reader_returns_documents_and_sequences(tmp_path):
    docs = random_documents(seed=2, count=12, high=32000)
    prefix = str(tmp_path / "data")
    write_ours(prefix, docs, np.uint16, split_every=7)
    reader = IndexedDatasetReader(prefix)
    assert reader.dtype == np.uint16 and reader.document_count == 12
    assert reader.token_count == sum(len(d) for d in docs)
    for d, doc in enumerate(docs):
        np.testing.assert_array_equal(reader.document(d), doc)
    np.testing.assert_array_equal(reader[0], docs[0][:7])
    with pytest.raises(IndexError, match="document 12 out of range"):
        reader.document(12)


def test_token_dtype_follows_megatron_core():
    from megatron.core.datasets.indexed_dataset import DType

    for vocab in (256, 32000, 32016, 65499, 65500, 128256):
        assert token_dtype(vocab) == DType.optimal_dtype(vocab)


def test_reader_rejects_damaged_files(tmp_path):
    prefix = str(tmp_path / "data")
    write_ours(prefix, random_documents(seed=3, count=5, high=32000), np.uint16)
    data = open(bin_path(prefix), "rb").read()
    index = open(idx_path(prefix), "rb").read()

    open(bin_path(prefix), "wb").write(data[:-2])
    with pytest.raises(IndexedDatasetError, match=r"data\.bin: .* bytes, but .*data\.idx describes"):
        IndexedDatasetReader(prefix)
    open(bin_path(prefix), "wb").write(data)

    open(idx_path(prefix), "wb").write(index[:-8])
    with pytest.raises(IndexedDatasetError, match=r"data\.idx: .* bytes, but its header"):
        IndexedDatasetReader(prefix)

    open(idx_path(prefix), "wb").write(b"NOTANIDX" + index[8:])
    with pytest.raises(IndexedDatasetError, match=r"data\.idx: not an MMIDIDX index"):
        IndexedDatasetReader(prefix)

    with pytest.raises(FileNotFoundError, match=r"missing\.idx"):
        IndexedDatasetReader(str(tmp_path / "missing"))


def test_writer_rejects_ids_that_do_not_fit(tmp_path):
    writer = IndexedDatasetWriter(str(tmp_path / "x.bin"), np.uint16)
    with pytest.raises(ValueError, match=r"x\.bin: token ids out of range for uint16"):
        writer.add_document(np.array([1, 70000]))
    writer.close()
