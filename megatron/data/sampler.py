"""Resumable, data-parallel micro-batch loading for pretraining.

The data position is one number, `consumed_samples`: how many samples all data-parallel
ranks together have taken. Samples are read in dataset order from there; each micro step
takes the next `micro_batch_size * dp_size` samples and data-parallel rank `r` gets the
`r`-th slice of `micro_batch_size`, as Megatron-LM's `MegatronPretrainingSampler` does. So a
global batch holds the same samples whatever its split into micro-batches and ranks, and a
run resumed at `consumed_samples = k` reads sample `k` next.

Every tensor-parallel rank of a group has the same data-parallel rank, so it reads the
same samples: the batch agrees across the group without a broadcast.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterator, Optional

import numpy as np
import torch


@dataclass(frozen=True)
class DataLoaderState:
    """The data position saved in a checkpoint.

    Attributes:
        consumed_samples: samples taken by all data-parallel ranks together.
        fingerprint: the dataset's `fingerprint` when the state was taken (None: unchecked);
            resuming on data that differs raises instead of silently reading other samples.
    """

    consumed_samples: int = 0
    fingerprint: Optional[str] = None

    def __post_init__(self) -> None:
        if isinstance(self.consumed_samples, bool) or not isinstance(self.consumed_samples, (int, np.integer)):
            raise TypeError(f"consumed_samples must be an int, got {self.consumed_samples!r}")
        if self.consumed_samples < 0:
            raise ValueError(f"consumed_samples must be non-negative, got {self.consumed_samples}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, state: dict) -> "DataLoaderState":
        """Read a state written by `to_dict`; unknown or missing keys are an error naming them."""
        unknown = set(state) - {"consumed_samples", "fingerprint"}
        if unknown:
            raise KeyError(f"unknown data loader state keys {sorted(unknown)}")
        if "consumed_samples" not in state:
            raise KeyError("data loader state lacks 'consumed_samples'")
        return cls(consumed_samples=int(state["consumed_samples"]), fingerprint=state.get("fingerprint"))


class PretrainingBatchSampler:
    """Yields this data-parallel rank's sample indices, one micro-batch at a time.

    Starts at `consumed_samples`; stops before a micro step that the dataset cannot fill.
    """

    def __init__(
        self, total_samples: int, consumed_samples: int, micro_batch_size: int, dp_rank: int, dp_size: int
    ) -> None:
        if micro_batch_size < 1:
            raise ValueError(f"micro_batch_size must be positive, got {micro_batch_size}")
        if dp_size < 1 or not 0 <= dp_rank < dp_size:
            raise ValueError(f"data-parallel rank {dp_rank} is not in a group of size {dp_size}")
        if not 0 <= consumed_samples <= total_samples:
            raise ValueError(
                f"consumed_samples {consumed_samples} lies outside the dataset of {total_samples} samples"
            )
        self.total_samples = total_samples
        self.consumed_samples = consumed_samples
        self.micro_batch_size = micro_batch_size
        self.dp_rank = dp_rank
        self.dp_size = dp_size

    @property
    def samples_per_micro_step(self) -> int:
        return self.micro_batch_size * self.dp_size

    def __len__(self) -> int:
        return (self.total_samples - self.consumed_samples) // self.samples_per_micro_step

    def __iter__(self) -> Iterator[list[int]]:
        first = self.consumed_samples + self.dp_rank * self.micro_batch_size
        for step in range(len(self)):
            start = first + step * self.samples_per_micro_step
            yield list(range(start, start + self.micro_batch_size))


def collate_samples(items: list[dict]) -> dict[str, torch.Tensor]:
    """Stack dataset items into `{"text": LongTensor[mb, seq+1], "source_id": LongTensor[mb]}`."""
    text = torch.from_numpy(np.stack([item["text"] for item in items]).astype(np.int64, copy=False))
    source_id = torch.tensor([int(item["source_id"]) for item in items], dtype=torch.long)
    return {"text": text, "source_id": source_id}


class DataIterator:
    """Micro-batches for one data-parallel rank that know their data position.

    `state()` after `n` micro-batches is the position a resumed run needs to continue with
    the next one, whatever workers have prefetched.
    """

    def __init__(
        self,
        dataset: torch.utils.data.Dataset,
        state: DataLoaderState,
        micro_batch_size: int,
        dp_rank: int,
        dp_size: int,
        num_workers: int = 0,
        pin_memory: bool = False,
    ) -> None:
        self.dataset = dataset
        self._fingerprint = getattr(dataset, "fingerprint", None)
        if state.fingerprint is not None and state.fingerprint != self._fingerprint:
            raise ValueError(
                f"the checkpoint's data position was taken on data with fingerprint {state.fingerprint}, "
                f"but this dataset's is {self._fingerprint}: data paths, weights, seed, seq_length or "
                f"the files themselves changed; resume with the same data, or start from a fresh "
                f"DataLoaderState to read the new data from its start"
            )
        self.sampler = PretrainingBatchSampler(len(dataset), state.consumed_samples, micro_batch_size, dp_rank, dp_size)
        self._consumed = state.consumed_samples
        self._batches = iter(
            torch.utils.data.DataLoader(
                dataset,
                batch_sampler=self.sampler,
                num_workers=num_workers,
                collate_fn=collate_samples,
                pin_memory=pin_memory,
                persistent_workers=False,
            )
        )

    def __iter__(self) -> "DataIterator":
        return self

    def __next__(self) -> dict[str, torch.Tensor]:
        batch = next(self._batches)
        self._consumed += self.sampler.samples_per_micro_step
        return batch

    def __len__(self) -> int:
        """Micro-batches left."""
        return (len(self.dataset) - self._consumed) // self.sampler.samples_per_micro_step

    @property
    def consumed_samples(self) -> int:
        return self._consumed

    def state(self) -> DataLoaderState:
        """The data position after the micro-batches handed out so far."""
        return DataLoaderState(consumed_samples=self._consumed, fingerprint=self._fingerprint)


def build_data_iterator(
    dataset: Optional[torch.utils.data.Dataset],
    state: DataLoaderState | int,
    micro_batch_size: int,
    dp_rank: int,
    dp_size: int,
    num_workers: int = 0,
    pin_memory: bool = False,
) -> Optional[DataIterator]:
    """Micro-batches of `dataset` for data-parallel rank `dp_rank` of `dp_size`, from a data position.

    `state` is a `DataLoaderState` (from a checkpoint) or a plain `consumed_samples` count.
    Returns None when `dataset` is None (a split with no samples requested).
    """
    if dataset is None:
        return None
    if not isinstance(state, DataLoaderState):
        state = DataLoaderState(consumed_samples=state)
    return DataIterator(dataset, state, micro_batch_size, dp_rank, dp_size, num_workers, pin_memory)
