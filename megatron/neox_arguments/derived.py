"""Values the run computes from its configuration, each by one explicit function."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional

from .loading import ConfigError


@dataclass(frozen=True)
class BatchSizes:
    """train_batch_size = micro_batch x gradient_accumulation x data_parallel_size."""

    train_batch_size: int
    micro_batch_size: int
    gradient_accumulation_steps: int
    data_parallel_size: int


def implied_world_size(
    train_batch_size: Optional[int],
    micro_batch_size: Optional[int],
    gradient_accumulation_steps: Optional[int],
    model_parallel_size: int,
    num_nodes: Optional[int],
    num_gpus: Optional[int],
) -> int:
    """The world size a config states by itself, for using it away from the machines it names
    (mixture reports and searches): from the whole batch triple (train_batch_size / (micro x
    accumulation) x model_parallel_size), else num_nodes x num_gpus, else the tensor-parallel size.
    A launch takes the world size from the machines instead (`megatron.launcher`)."""
    if train_batch_size and micro_batch_size:
        per_rank = micro_batch_size * (gradient_accumulation_steps or 1)
        if train_batch_size % per_rank == 0:
            return train_batch_size // per_rank * model_parallel_size
    if num_gpus:
        return num_gpus * (num_nodes or 1)
    return model_parallel_size


def derive_batch_sizes(
    train_batch_size: Optional[int],
    micro_batch_size: Optional[int],
    gradient_accumulation_steps: Optional[int],
    data_parallel_size: int,
) -> BatchSizes:
    """Fill in the missing member of the batch triple; an inconsistent triple is an error.

    With only one given, gradient accumulation defaults to 1 (as DeepSpeed does).
    """
    given = {
        "train_batch_size": train_batch_size,
        "train_micro_batch_size_per_gpu": micro_batch_size,
        "gradient_accumulation_steps": gradient_accumulation_steps,
    }
    for key, value in given.items():
        if value is not None and value <= 0:
            raise ConfigError(f"'{key}' must be positive, got {value}")
    dp = data_parallel_size
    g, m, a = train_batch_size, micro_batch_size, gradient_accumulation_steps
    if g is None and m is None:
        raise ConfigError(
            "give at least one of 'train_batch_size' and 'train_micro_batch_size_per_gpu'"
        )
    if m is None:
        a = a or 1
        if g % (a * dp):
            raise ConfigError(
                f"train_batch_size={g} is not divisible by gradient_accumulation_steps={a} x data parallel size {dp}"
            )
        m = g // (a * dp)
    elif g is None:
        a = a or 1
        g = m * a * dp
    elif a is None:
        if g % (m * dp):
            raise ConfigError(
                f"train_batch_size={g} is not divisible by train_micro_batch_size_per_gpu={m} x data parallel size {dp}"
            )
        a = g // (m * dp)
    if g != m * a * dp:
        raise ConfigError(
            f"inconsistent batch sizes: train_batch_size={g} but train_micro_batch_size_per_gpu={m} x "
            f"gradient_accumulation_steps={a} x data parallel size {dp} = {m * a * dp}"
        )
    return BatchSizes(g, m, a, dp)


@dataclass(frozen=True)
class Schedule:
    """The learning-rate schedule in iterations and absolute values."""

    lr: float
    warmup_iters: int
    lr_decay_iters: int
    min_lr: float


def derive_schedule(
    lr: float,
    train_iters: int,
    lr_decay_iters: Optional[int],
    warmup: int | float,
    min_lr: Optional[float],
    decay_lr_to: Optional[float],
) -> Schedule:
    """Warmup as iterations (int) or a fraction of the decay length (float < 1); the floor from
    `min_lr` or `decay_lr_to x lr`."""
    decay_iters = lr_decay_iters if lr_decay_iters is not None else train_iters
    if decay_iters <= 0:
        raise ConfigError(f"'lr_decay_iters' must be positive, got {decay_iters}")
    if isinstance(warmup, bool):
        raise ConfigError(f"'warmup' must be a number, got {warmup!r}")
    if isinstance(warmup, int):
        if warmup < 0:
            raise ConfigError(f"'warmup' in iterations must be >= 0, got {warmup}")
        warmup_iters = warmup
    else:
        if not 0.0 <= warmup < 1.0:
            raise ConfigError(
                f"'warmup' written as a float is a fraction of lr_decay_iters and must be in [0, 1), got {warmup}; "
                "write an integer for iterations"
            )
        warmup_iters = int(round(warmup * decay_iters))
    if min_lr is not None and decay_lr_to is not None:
        raise ConfigError(
            f"give 'min_lr' ({min_lr}) or 'decay_lr_to' ({decay_lr_to}), not both: both set the floor of the decay"
        )
    if decay_lr_to is not None:
        if not 0.0 <= decay_lr_to <= 1.0:
            raise ConfigError(f"'decay_lr_to' is a fraction of the peak lr and must be in [0, 1], got {decay_lr_to}")
        floor = decay_lr_to * lr
    else:
        floor = min_lr if min_lr is not None else 0.0
    if floor > lr:
        raise ConfigError(f"the lr floor {floor} is above the peak lr {lr}")
    return Schedule(lr, warmup_iters, decay_iters, floor)


@dataclass(frozen=True)
class Derived:
    """Everything deepy.py computes once and hands to every rank."""

    world_size: int
    batch: BatchSizes
    schedule: Schedule

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Derived":
        return cls(data["world_size"], BatchSizes(**data["batch"]), Schedule(**data["schedule"]))
