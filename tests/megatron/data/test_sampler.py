"""The resumable data-parallel loader: slicing, resume, state round trip."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from megatron.data.gpt_data import DataLoaderState, DataSpec, build_data_iterator, build_datasets
from megatron.data.sampler import PretrainingBatchSampler
from tests.megatron.data.test_gpt_data import tagged_docs, write_indexed


@pytest.fixture(scope="module")
def blend(tmp_path_factory):
    root = tmp_path_factory.mktemp("sampler")
    prefixes = [write_indexed(root / f"s{tag}", tagged_docs(20, tag=tag, rng_seed=tag)) for tag in (1, 2)]
    spec = DataSpec(seq_length=4, seed=9, train_data_paths=prefixes, train_data_weights=[3, 1])
    return build_datasets(spec, (48, 0, 0)).train


def test_sampler_slices_each_micro_step_by_rank():
    batches = lambda rank: list(PretrainingBatchSampler(20, 4, micro_batch_size=2, dp_rank=rank, dp_size=3))
    assert batches(0) == [[4, 5], [10, 11]]
    assert batches(1) == [[6, 7], [12, 13]]
    assert batches(2) == [[8, 9], [14, 15]]  # 16..19 cannot fill a micro step: dropped
    with pytest.raises(ValueError, match="rank 3"):
        PretrainingBatchSampler(20, 0, 1, 3, 3)
    with pytest.raises(ValueError, match="consumed_samples 21"):
        PretrainingBatchSampler(20, 21, 1, 0, 1)


def _global_batches(dataset, micro_batch_size, dp_size, global_batch_size, steps):
    """Texts of each global batch, as the set of sample rows, gathered over all ranks."""
    iterators = [build_data_iterator(dataset, 0, micro_batch_size, rank, dp_size) for rank in range(dp_size)]
    accumulation = global_batch_size // (micro_batch_size * dp_size)
    result = []
    for _ in range(steps):
        rows = []
        for _ in range(accumulation):
            for iterator in iterators:
                batch = next(iterator)
                assert batch["text"].dtype == torch.long and batch["text"].shape == (micro_batch_size, 5)
                rows += [tuple(row) for row in batch["text"].tolist()]
        result.append(sorted(rows))
    return result


def test_data_parallel_split_does_not_change_the_global_batch(blend):
    one_rank = _global_batches(blend, micro_batch_size=4, dp_size=1, global_batch_size=8, steps=3)
    two_ranks = _global_batches(blend, micro_batch_size=1, dp_size=2, global_batch_size=8, steps=3)
    four_ranks = _global_batches(blend, micro_batch_size=2, dp_size=4, global_batch_size=8, steps=3)
    assert one_rank == two_ranks == four_ranks
    assert one_rank[0] != one_rank[1]


def test_resume_continues_with_the_next_sample(blend):
    run = build_data_iterator(blend, 0, micro_batch_size=2, dp_rank=0, dp_size=1)
    seen = [next(run) for _ in range(5)]
    state = run.state()
    assert state.consumed_samples == 10 and state.fingerprint == blend.fingerprint
    expected_next = next(run)

    restored = DataLoaderState.from_dict(state.to_dict())
    resumed = build_data_iterator(blend, restored, micro_batch_size=2, dp_rank=0, dp_size=1)
    first = next(resumed)
    torch.testing.assert_close(first["text"], expected_next["text"])
    torch.testing.assert_close(first["source_id"], expected_next["source_id"])
    # ... which is sample 10 (the 11th) of the dataset, then 11.
    np.testing.assert_array_equal(first["text"][0].numpy(), blend[10]["text"])
    assert first["source_id"].tolist() == blend.source_ids(10, 12).tolist()
    assert len(seen) == 5 and len(resumed) == (48 - 12) // 2


def test_resume_on_other_data_is_refused(blend, tmp_path):
    other = build_datasets(DataSpec(seq_length=4, seed=10, data_path=write_indexed(tmp_path / "o", tagged_docs(9, 1)), split="1"), (8, 0, 0)).train
    state = DataLoaderState(consumed_samples=2, fingerprint=blend.fingerprint)
    with pytest.raises(ValueError, match="fingerprint"):
        build_data_iterator(other, state, 1, 0, 1)
    assert next(build_data_iterator(other, DataLoaderState(2), 1, 0, 1))["text"].shape == (1, 5)


def test_state_checks_its_input():
    assert DataLoaderState.from_dict({"consumed_samples": 7}) == DataLoaderState(7, None)
    with pytest.raises(KeyError, match="consumed_samples"):
        DataLoaderState.from_dict({"fingerprint": "x"})
    with pytest.raises(KeyError, match="position"):
        DataLoaderState.from_dict({"consumed_samples": 1, "position": 3})
    with pytest.raises(ValueError, match="non-negative"):
        DataLoaderState(-1)


def test_iterator_runs_out_and_workers_give_the_same_batches(blend):
    direct = list(build_data_iterator(blend, 40, micro_batch_size=3, dp_rank=0, dp_size=1))
    assert len(direct) == 2  # samples 40..45; 46, 47 cannot fill a micro-batch
    with_worker = list(build_data_iterator(blend, 40, micro_batch_size=3, dp_rank=0, dp_size=1, num_workers=1))
    for a, b in zip(direct, with_worker, strict=True):
        torch.testing.assert_close(a["text"], b["text"])
    assert build_data_iterator(None, 0, 1, 0, 1) is None
