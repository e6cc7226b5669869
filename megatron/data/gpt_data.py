"""Train/valid/test GPT datasets from a run's data settings, as GPT-NeoX configures them.

Two ways to name the data (NeoX's keys):

- `train_data_paths` / `valid_data_paths` / `test_data_paths`: a list of indexed-dataset
  prefixes per split, blended by `train_data_weights` etc. (equal weights when unset);
- `data_path`: one prefix (or a list, blended by `data_weights`) whose documents are cut
  into train/valid/test by `split` ("969,30,1": shares of the documents, in file order).

Sample counts follow NeoX (`neox_sample_counts`). Before anything is built every prefix is
checked (both files exist, each requested split has tokens), so a bad path or an empty split
fails at once with the key and file named, rather than deep inside index building.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import NamedTuple, Optional, Sequence

import numpy as np
import torch

from megatron.data.indexed_dataset import IndexedDatasetError, IndexedDatasetReader
from megatron.data.gpt_dataset import (
    BlendedGPTDataset,
    GPTSampleDataset,
    build_blend_index,
)
from megatron.data.sampler import DataIterator, DataLoaderState, build_data_iterator
from megatron.data.spec import SPLIT_NAMES, DataSpec, WeightList, check_prefix_files, parse_split

__all__ = [
    "DataSpec",
    "SplitDatasets",
    "neox_sample_counts",
    "parse_split",
    "build_datasets",
    "DataLoaderState",
    "DataIterator",
    "build_data_iterator",
]

logger = logging.getLogger(__name__)

def neox_sample_counts(train_iters: int, eval_interval: int, eval_iters: int, global_batch_size: int) -> tuple[int, int, int]:
    """Samples each split must provide, as GPT-NeoX derives them.

    train = train_iters * gbs; valid = (train_iters // eval_interval + 1) * eval_iters * gbs
    (an evaluation every `eval_interval` iterations plus one at the end); test = eval_iters * gbs.
    """
    for key, value in (("train_iters", train_iters), ("eval_iters", eval_iters)):
        if value < 0:
            raise ValueError(f"{key} must be non-negative, got {value}")
    if eval_interval < 1:
        raise ValueError(f"eval_interval must be positive, got {eval_interval}")
    if global_batch_size < 1:
        raise ValueError(f"global batch size must be positive, got {global_batch_size}")
    train = train_iters * global_batch_size
    valid = (train_iters // eval_interval + 1) * eval_iters * global_batch_size
    test = eval_iters * global_batch_size
    return train, valid, test


class SplitDatasets(NamedTuple):
    """The three datasets; None where no samples were requested or no data was given."""

    train: Optional[torch.utils.data.Dataset]
    valid: Optional[torch.utils.data.Dataset]
    test: Optional[torch.utils.data.Dataset]


@dataclass(frozen=True)
class _SourcePlan:
    key: str  # the config entry that named it, e.g. "train_data_paths[1]"
    prefix: str
    weight: float
    sequence_range: Optional[tuple[int, int]]  # None: all of it (resolved when the split is built)


def _warn_without_eod(prefix: str, indexed: IndexedDatasetReader, eod_id: int) -> None:
    """Warn when documents do not end in the end-of-document token (they would run together)."""
    lengths = indexed.sequence_lengths
    checked = 0
    for index in np.flatnonzero(lengths[: min(len(lengths), 1000)] > 0)[:16]:
        checked += 1
        last = indexed.get(int(index), offset=int(lengths[index]) - 1, length=1)
        if int(last[0]) == eod_id:
            return
    if checked:
        logger.warning(
            "none of the first %d documents of %s ends with the end-of-document token %d; "
            "packed samples will join documents without a separator (was it preprocessed with --append-eod?)",
            checked, prefix, eod_id,
        )


class _NoTokensError(ValueError):
    """An indexed dataset whose `.bin` is empty."""


class _IndexedCache:
    """Opens each prefix once."""

    def __init__(self, eod_id: Optional[int]) -> None:
        self.eod_id = eod_id
        self.opened: dict[str, IndexedDatasetReader] = {}

    def get(self, key: str, prefix: str) -> IndexedDatasetReader:
        if prefix not in self.opened:
            check_prefix_files(key, prefix)
            if os.path.getsize(prefix + ".bin") == 0:
                raise _NoTokensError(f"{key} = {prefix!r} holds no tokens ({prefix}.bin is empty)")
            try:
                indexed = IndexedDatasetReader(prefix)
            except (IndexedDatasetError, OSError) as error:
                raise ValueError(f"{key} = {prefix!r}: cannot read the indexed dataset: {error}") from error
            if self.eod_id is not None:
                _warn_without_eod(prefix, indexed, self.eod_id)
            self.opened[prefix] = indexed
        return self.opened[prefix]


def _equal_or_given(weights: WeightList, count: int) -> list[float]:
    return list(weights) if weights is not None else [1.0] * count


def _plan_per_split(spec: DataSpec) -> list[Optional[list[_SourcePlan]]]:
    plans: list[Optional[list[_SourcePlan]]] = []
    for split in SPLIT_NAMES:
        paths = getattr(spec, f"{split}_data_paths")
        if not paths:
            plans.append(None)
            continue
        weights = _equal_or_given(getattr(spec, f"{split}_data_weights"), len(paths))
        plan = []
        for position, (prefix, weight) in enumerate(zip(paths, weights)):
            key = f"{split}_data_paths[{position}]"
            check_prefix_files(key, prefix)
            plan.append(_SourcePlan(key, prefix, weight, None))
        plans.append(plan)
    return plans


def _plan_from_split(spec: DataSpec, cache: _IndexedCache) -> list[Optional[list[_SourcePlan]]]:
    shares = parse_split(spec.split)
    bounds = np.concatenate([[0.0], np.cumsum(shares)])
    weights = _equal_or_given(spec.data_weights, len(spec.data_path))
    plans: list[Optional[list[_SourcePlan]]] = [[] if share > 0 else None for share in shares]
    for position, (prefix, weight) in enumerate(zip(spec.data_path, weights)):
        key = f"data_path[{position}]" if len(spec.data_path) > 1 else "data_path"
        num_docs = len(cache.get(key, prefix).sequence_lengths)
        edges = [int(round(bound * num_docs)) for bound in bounds]
        edges[-1] = num_docs
        for split_index, plan in enumerate(plans):
            if plan is not None:
                plan.append(_SourcePlan(key, prefix, weight, (edges[split_index], edges[split_index + 1])))
    return plans


def _resolve(split: str, plan: list[_SourcePlan], cache: _IndexedCache, spec: DataSpec, wanted: int) -> list[_SourcePlan]:
    """Open the plan's datasets, fill in whole-file ranges, and fail on any source without tokens."""
    resolved = []
    for source in plan:
        try:
            indexed = cache.get(source.key, source.prefix)
        except _NoTokensError as error:
            raise ValueError(f"the {split} set is empty: {error}; {wanted} {split} samples are requested") from error
        if source.sequence_range is None:
            source = _SourcePlan(source.key, source.prefix, source.weight, (0, len(indexed.sequence_lengths)))
        resolved.append(source)
        begin, end = source.sequence_range
        tokens = int(np.asarray(cache.opened[source.prefix].sequence_lengths[begin:end], dtype=np.int64).sum())
        if tokens == 0:
            where = (
                f"split {spec.split!r} gives it documents {begin}:{end}" if spec.data_path
                else f"it has {end - begin} documents"
            )
            raise ValueError(
                f"the {split} set is empty for {source.key} = {source.prefix!r}: {where} and no tokens, "
                f"but {wanted} {split} samples are requested; give it data (or a larger share of split), "
                f"or request no {split} samples"
            )
    return resolved


def _build_split(split: str, plan: list[_SourcePlan], num_samples: int, spec: DataSpec, cache: _IndexedCache):
    def source(position: int, source_plan: _SourcePlan, count: int) -> GPTSampleDataset:
        return GPTSampleDataset(
            cache.opened[source_plan.prefix], source_plan.prefix, source_plan.sequence_range, count,
            spec.seq_length, spec.seed, split, source_index=position,
        )

    if len(plan) == 1:
        return source(0, plan[0], num_samples)
    weights = [source_plan.weight for source_plan in plan]
    source_index, source_sample_index = build_blend_index(weights, num_samples)
    counts = np.bincount(source_index, minlength=len(plan))
    sources = [source(position, source_plan, int(count)) for position, (source_plan, count) in enumerate(zip(plan, counts))]
    return BlendedGPTDataset(sources, weights, source_index, source_sample_index)


def build_datasets(spec: DataSpec, sample_counts: Sequence[int]) -> SplitDatasets:
    """Build the train, valid and test datasets holding `sample_counts = (train, valid, test)` samples.

    Item `i` of each is `{"text": int64 array [seq_length + 1], "source_id": int}`; datasets
    also report `source_names`, `samples_per_source(stop)` and `tokens_per_source(consumed)`.
    A split is None when 0 samples are requested, its paths are unset, or `split` gives it
    no share. Raises FileNotFoundError for a missing `.idx`/`.bin` (naming the config key) and
    ValueError for a requested split that holds no tokens (naming the split and path).
    """
    if len(sample_counts) != 3 or any(int(count) < 0 for count in sample_counts):
        raise ValueError(f"sample_counts must be three non-negative counts (train, valid, test), got {sample_counts}")
    cache = _IndexedCache(spec.eod_id)
    plans = _plan_from_split(spec, cache) if spec.data_path else _plan_per_split(spec)
    datasets = []
    for split, plan, wanted in zip(SPLIT_NAMES, plans, sample_counts):
        if plan is None or int(wanted) == 0:
            if plan is None and int(wanted) > 0:
                logger.warning("%d %s samples requested but no %s data is configured: no %s set", wanted, split, split, split)
            datasets.append(None)
            continue
        plan = _resolve(split, plan, cache, spec, int(wanted))
        datasets.append(_build_split(split, plan, int(wanted), spec, cache))
    return SplitDatasets(*datasets)
