"""The rules of a run's data settings (NeoX's keys), in one place for deepy.py and the data layer.

Light on purpose (no megatron-core import): `deepy.py` checks a config with these rules before any
rank starts, and `megatron.data.gpt_data` builds datasets from the same `DataSpec`.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, fields
from typing import Optional, Sequence, Union

SPLIT_NAMES = ("train", "valid", "test")


class DataSpecError(ValueError):
    """A data setting that breaks a rule; `key` is the config key it concerns, `related` the other
    keys the rule involves."""

    def __init__(self, key: str, message: str, related: Sequence[str] = ()):
        super().__init__(message)
        self.key = key
        self.related = tuple(related)


PathList = Optional[Union[str, Sequence[str]]]
WeightList = Optional[Sequence[float]]


def parse_split(split: str) -> tuple[float, float, float]:
    """Shares of train/valid/test from a NeoX split string such as "969,30,1" (missing parts are 0)."""
    parts = [part.strip() for part in str(split).replace("/", ",").split(",")]
    if not 1 <= len(parts) <= 3 or not all(re.fullmatch(r"\d+(\.\d*)?|\.\d+", part) for part in parts):
        raise DataSpecError("split", f"split must be up to three non-negative numbers like '969,30,1', got {split!r}")
    values = [float(part) for part in parts] + [0.0] * (3 - len(parts))
    total = sum(values)
    if total <= 0:
        raise DataSpecError("split", f"split {split!r} gives every set a zero share")
    return tuple(value / total for value in values)


def _as_paths(value: PathList) -> Optional[tuple[str, ...]]:
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)):
        return (os.fspath(value),)
    return tuple(os.fspath(path) for path in value)


@dataclass(frozen=True)
class DataSpec:
    """Where the training data lives and how samples are cut from it (NeoX key names).

    Give either `data_path` (with `split`) or `train_data_paths` (with optional
    `valid_data_paths` / `test_data_paths`). Path values are indexed-dataset prefixes: the
    files are `{prefix}.bin` and `{prefix}.idx`. Weights default to equal.
    """

    seq_length: int
    seed: int = 1234
    eod_id: Optional[int] = None
    data_path: PathList = None
    data_weights: WeightList = None
    split: str = "969,30,1"
    train_data_paths: PathList = None
    valid_data_paths: PathList = None
    test_data_paths: PathList = None
    train_data_weights: WeightList = None
    valid_data_weights: WeightList = None
    test_data_weights: WeightList = None

    def __post_init__(self) -> None:
        if isinstance(self.seq_length, bool) or not isinstance(self.seq_length, int) or self.seq_length < 1:
            raise DataSpecError("seq_length", f"seq_length must be a positive int, got {self.seq_length!r}")
        for key in ("data_path", "train_data_paths", "valid_data_paths", "test_data_paths"):
            object.__setattr__(self, key, _as_paths(getattr(self, key)))
        per_split_keys = [key for key in ("train_data_paths", "valid_data_paths", "test_data_paths") if getattr(self, key)]
        if self.data_path and per_split_keys:
            raise DataSpecError("data_path", f"give either data_path (with split) or {'/'.join(per_split_keys)}, not both",
                                per_split_keys)
        if not self.data_path and not self.train_data_paths:
            raise DataSpecError("data_path", "no training data: set data_path or train_data_paths")
        if self.data_path:
            parse_split(self.split)
        for paths_key, weights_key in self._weight_keys():
            weights = getattr(self, weights_key)
            if weights is None:
                continue
            weights = tuple(float(weight) for weight in weights)
            object.__setattr__(self, weights_key, weights)
            paths = getattr(self, paths_key) or ()
            if len(weights) != len(paths):
                raise DataSpecError(
                    weights_key,
                    f"{weights_key} has {len(weights)} entries but {paths_key} has {len(paths)}; "
                    f"give one weight per path, or leave {weights_key} unset for equal weights",
                    (paths_key,),
                )
            bad = [weight for weight in weights if not (math.isfinite(weight) and weight > 0)]
            if bad:
                raise DataSpecError(weights_key, f"{weights_key} must be positive numbers, got {list(weights)} (remove a path to drop it)")

    @staticmethod
    def _weight_keys() -> list[tuple[str, str]]:
        return [("data_path", "data_weights")] + [
            (f"{name}_data_paths", f"{name}_data_weights") for name in SPLIT_NAMES
        ]

    @classmethod
    def from_mapping(cls, config: dict) -> "DataSpec":
        """Pick this spec's keys out of a larger config mapping (other keys are ignored)."""
        names = {field.name for field in fields(cls)}
        return cls(**{key: value for key, value in config.items() if key in names})


def check_prefix_files(key: str, prefix: str) -> None:
    """Both files of the indexed dataset `prefix` exist (the error names the config entry `key`)."""
    for suffix in (".idx", ".bin"):
        path = prefix + suffix
        if not os.path.isfile(path):
            hint = ""
            if prefix.endswith((".bin", ".idx")):
                hint = f" (give the prefix without the extension: {prefix[:-4]!r})"
            raise FileNotFoundError(f"{key} = {prefix!r}: the indexed dataset file {path} does not exist{hint}")


