"""Plugins: the objects through which policy (what to do about a bad step, fault drills) reaches the
train loop without the core knowing about it. `megatron/` never imports a plugin.

A config names plugin modules under `plugins:` (e.g. `plugins: [math_lm.nan_guard]`). Such a module
defines `PLUGIN`, a `Plugin` subclass whose `section` is the top-level config key it owns and
whose `Config` is the dataclass that key's mapping is checked into at config load. The Trainer
builds one `PLUGIN(config)` per run and calls it at fixed points, passing a `TrainerView`:

- `on_loss(view, loss)`: may replace each micro-batch loss before backward (fault injection).
- `on_step(view, report)`: sees the outcome of each optimizer step (the loss averaged over the
  global batch, the global gradient norm, whether DeepSpeed applied the step, the iteration and the
  data position) and answers with a StepResult. Every rank computes it from the same all-reduced
  numbers, and the core also takes the most severe decision across ranks, so every rank acts alike.
- `on_checkpoint(view, event, tag)`: a save's files are "written" (not yet committed), or "committed".
- `state_dict()` / `load_state_dict(state)`: the plugin's state goes into every checkpoint and is
  read back on load (a roll back keeps the in-memory state: the plugin remembers what happened).
"""
from __future__ import annotations

import enum
import importlib
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Optional, Protocol

import torch


class StepDecision(enum.IntEnum):
    """What the train loop does after a step; larger values win when ranks disagree."""

    CONTINUE = 0
    ROLLBACK = 1
    STOP = 2


@dataclass(frozen=True)
class StepReport:
    """What `on_step` sees after an optimizer step."""

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


class MetricsSink(Protocol):
    def record(self, kind: str, iteration: int, values: dict[str, Any], console: Optional[str] = None) -> None:
        """One event: a console line, scalars to TensorBoard under `kind/`, a JSON line in metrics.jsonl."""


class TrainerView(Protocol):
    """What a plugin sees of the running trainer, and the one thing it may change."""

    @property
    def iteration(self) -> int:
        """Iterations completed."""

    @property
    def rank(self) -> int:
        """This process's global rank."""

    @property
    def save_dir(self) -> Optional[str]:
        """The run's `save` directory (None: the run does not save)."""

    @property
    def metrics(self) -> MetricsSink: ...

    def scale_learning_rate(self, factor: float, iterations: int) -> None:
        """Multiply the learning rate by `factor` for the next `iterations` steps."""


@dataclass
class StepResult:
    """An `on_step` answer. On ROLLBACK the core reloads the newest complete checkpoint, resumes the
    data at `resume_data_at` (None: where the checkpoint was), then calls `after_rollback(view)`."""

    decision: StepDecision = StepDecision.CONTINUE
    reason: str = ""
    resume_data_at: Optional[int] = None
    after_rollback: Optional[Callable[[TrainerView], None]] = None


class Plugin:
    """Base class of plugins: every hook does nothing; override the ones you need."""

    section: ClassVar[str]
    """The top-level config key this plugin owns (also the key of its checkpointed state)."""
    Config: ClassVar[type]
    """The dataclass of that section (checked in `__post_init__`, errors raised as SectionValueError)."""

    def __init__(self, config: Any):
        self.config = config

    def on_loss(self, trainer: TrainerView, loss: torch.Tensor) -> torch.Tensor:
        return loss

    def on_step(self, trainer: TrainerView, report: StepReport) -> StepResult:
        return StepResult()

    def on_checkpoint(self, trainer: TrainerView, event: str, tag: str) -> None:
        pass

    def state_dict(self) -> Any:
        return None

    def load_state_dict(self, state: Any) -> None:
        pass


class PluginImportError(ImportError):
    """A module named under `plugins:` cannot be imported or does not define a Plugin."""


def plugin_class(module_name: str) -> type[Plugin]:
    """The `PLUGIN` class of the module `module_name`."""
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise PluginImportError(f"plugin '{module_name}' cannot be imported: {error}") from error
    cls = getattr(module, "PLUGIN", None)
    if not (isinstance(cls, type) and issubclass(cls, Plugin)):
        raise PluginImportError(f"plugin module '{module_name}' defines no PLUGIN (a megatron.plugins.Plugin subclass)")
    return cls
