"""The named extension points of the core: step hooks, dataset builders, checkpoint hooks.

Plugins (modules listed under `plugins:` in the config) register callables here when
they are imported. The core calls them at fixed points and knows nothing else about
them; `megatron/` never imports a plugin.

- A step hook sees the outcome of each optimizer step (the loss averaged over the
  global batch, the global gradient norm, whether DeepSpeed applied the step, the
  iteration and the data position) and answers with a StepDecision. Every rank
  computes it from the same all-reduced numbers, and the core also takes the most
  severe decision across ranks, so every rank acts alike.
- A dataset builder maps the configuration to train/valid/test datasets, replacing
  the core's GPT builder when it returns something other than None.
- A checkpoint hook adds its own state to every checkpoint and reads it back on load (a
  roll back keeps the hooks' in-memory state: they remember what happened).
- A loss hook may replace each micro-batch loss before backward (fault injection, drills).
- A checkpoint listener hears when a save's files are written and when it is committed.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Callable, Optional

import torch


class StepDecision(enum.IntEnum):
    """What the train loop does after a step; larger values win when ranks disagree."""

    CONTINUE = 0
    ROLLBACK = 1
    STOP = 2


@dataclass(frozen=True)
class StepReport:
    """What a step hook sees after an optimizer step."""

    iteration: int
    """Iterations completed before this step."""
    loss: float
    """Training loss averaged over the global batch (NaN or inf when non-finite)."""
    grad_norm: Optional[float]
    """Global gradient norm before clipping; inf when the gradients were non-finite."""
    step_applied: bool
    """False when DeepSpeed refused the step (non-finite gradients): nothing was updated."""
    lr: float
    consumed_samples: int
    """Data position after this step's global batch."""
    global_batch_size: int


@dataclass
class HookResult:
    """A step hook's answer. On ROLLBACK the core reloads the newest complete checkpoint, resumes
    the data at `resume_data_at` (None: where the checkpoint was), then calls `after_rollback(trainer)`."""

    decision: StepDecision = StepDecision.CONTINUE
    reason: str = ""
    resume_data_at: Optional[int] = None
    after_rollback: Optional[Callable[[Any], None]] = None


StepHook = Callable[["Any", StepReport], HookResult]
"""(trainer, report) -> HookResult. `trainer` is the running megatron.training.Trainer."""

LossHook = Callable[[Any, torch.Tensor], torch.Tensor]
"""(trainer, micro-batch loss) -> the loss to backpropagate; runs on every micro-batch."""

CheckpointListener = Callable[[Any, str, str], None]
"""(trainer, event, tag): event "written" (files on disk, not yet committed) or "committed"."""

DatasetBuilder = Callable[..., Optional[tuple]]
"""(args, tokenizer, sample_counts) -> (train, valid, test) datasets, or None to decline."""


@dataclass
class CheckpointHook:
    name: str
    state_dict: Callable[[], Any]
    load_state_dict: Callable[[Any], None]


_step_hooks: list[StepHook] = []
_loss_hooks: list[LossHook] = []
_checkpoint_listeners: list[CheckpointListener] = []
_dataset_builders: list[DatasetBuilder] = []
_checkpoint_hooks: dict[str, CheckpointHook] = {}


def register_step_hook(hook: StepHook) -> StepHook:
    if hook not in _step_hooks:
        _step_hooks.append(hook)
    return hook


def register_loss_hook(hook: LossHook) -> LossHook:
    if hook not in _loss_hooks:
        _loss_hooks.append(hook)
    return hook


def register_checkpoint_listener(listener: CheckpointListener) -> CheckpointListener:
    if listener not in _checkpoint_listeners:
        _checkpoint_listeners.append(listener)
    return listener


def loss_hooks() -> list[LossHook]:
    return list(_loss_hooks)


def checkpoint_listeners() -> list[CheckpointListener]:
    return list(_checkpoint_listeners)


def register_dataset_builder(builder: DatasetBuilder) -> DatasetBuilder:
    if builder not in _dataset_builders:
        _dataset_builders.append(builder)
    return builder


def register_checkpoint_hook(name: str, state_dict: Callable[[], Any], load_state_dict: Callable[[Any], None]) -> None:
    _checkpoint_hooks[name] = CheckpointHook(name, state_dict, load_state_dict)


def step_hooks() -> list[StepHook]:
    return list(_step_hooks)


def dataset_builders() -> list[DatasetBuilder]:
    return list(_dataset_builders)


def checkpoint_hooks() -> dict[str, CheckpointHook]:
    return dict(_checkpoint_hooks)


def unregister_checkpoint_hook(name: str) -> None:
    _checkpoint_hooks.pop(name, None)


def clear() -> None:
    """Forget every registration (tests that run several trainings in one process)."""
    _step_hooks.clear()
    _loss_hooks.clear()
    _checkpoint_listeners.clear()
    _dataset_builders.clear()
    _checkpoint_hooks.clear()
