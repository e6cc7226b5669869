"""NaN-loss guard: survive numerical blow-ups instead of losing the rest of a run.

Enable it with `plugins: [math_lm.nan_guard]` and tune it under `nan_guard:` in the config.

After every optimizer step the guard looks at the step's loss and gradient norm (the same
all-reduced numbers on every rank, so every rank decides alike):

- a non-finite loss or gradient norm is a *bad step*. DeepSpeed has already refused to
  apply it (the core turns on its gradient overflow check in every precision): the
  gradients were dropped, the optimizer did not move and the learning-rate schedule does
  not advance. The guard logs the event and counts it.
- with `loss_spike_factor` set, a finite loss above that multiple of the mean of the last
  `loss_spike_history` good losses is a bad step too (it was applied, but it counts).
- `max_bad_steps` bad steps within `window` iterations trigger a *roll back*: the newest
  complete checkpoint is reloaded, the data continues after the batch that failed (the
  window that preceded the failure is skipped), and the learning rate is optionally
  multiplied by `lr_factor_after_rollback` for `lr_factor_iterations` steps.
- a roll back beyond `max_rollbacks` stops the run with a report (which steps, which data
  positions, what was tried), written to `<save>/nan_guard_report.json`, and a non-zero exit.

Every event goes to the console, TensorBoard and `<save>/metrics.jsonl` (kind `nan_guard`).
The guard's state is saved with each checkpoint, so a resumed run continues exactly.

Fault injection for tests and drills: `inject_nan_loss_at` / `inject_nan_grad_at` (step
numbers, as logged, each fired once), `kill_rank_at` (SIGKILL rank `kill_rank` at the start
of that step) and `kill_during_save_at` (SIGKILL it after the checkpoint of that step has
written its files, before it is committed). A kill fires once per save directory (recorded
in `<save>/nan_guard_faults_fired.json`), so the restarted run gets past it.
"""
from __future__ import annotations

import json
import math
import os
import signal
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import torch

from megatron.io import write_text_atomically
from megatron.neox_arguments.loading import SectionValueError
from megatron.plugins import Plugin, StepDecision, StepReport, StepResult, TrainerView

SECTION = "nan_guard"


@dataclass(frozen=True)
class NanGuardConfig:
    """The NaN-loss guard (plugin math_lm.nan_guard): skip bad steps, roll back after a burst,
    stop after repeated roll backs; plus fault injection for drills."""

    enabled: bool = field(default=True, metadata={"help": "Watch every step."})
    max_bad_steps: int = field(default=3, metadata={"help": "K: bad steps within `window` that trigger a roll back."})
    window: int = field(default=20, metadata={"help": "W: iterations over which bad steps are counted."})
    max_rollbacks: int = field(default=3, metadata={"help": "R: roll backs allowed before the run stops."})
    skip_data_on_rollback: bool = field(default=True, metadata={"help": "After a roll back, continue the data after the failing batch."})
    lr_factor_after_rollback: float = field(default=1.0, metadata={"help": "Multiply the learning rate by this after a roll back."})
    lr_factor_iterations: int = field(default=0, metadata={"help": "For this many iterations."})
    loss_spike_factor: Optional[float] = field(default=None, metadata={"help": "A loss above this multiple of the running mean is a bad step; unset = off."})
    loss_spike_history: int = field(default=20, metadata={"help": "Good losses in the running mean (the rule waits until it has this many)."})
    inject_nan_loss_at: list[int] = field(default_factory=list, metadata={"help": "Drill: make the loss NaN at these steps."})
    inject_nan_grad_at: list[int] = field(default_factory=list, metadata={"help": "Drill: finite loss but NaN gradients at these steps."})
    kill_rank_at: Optional[int] = field(default=None, metadata={"help": "Drill: SIGKILL `kill_rank` at the start of this step."})
    kill_during_save_at: Optional[int] = field(default=None, metadata={"help": "Drill: SIGKILL `kill_rank` in the middle of this step's save."})
    kill_rank: int = field(default=0, metadata={"help": "Drill: the rank that dies."})

    def __post_init__(self) -> None:
        for key in ("max_bad_steps", "window", "loss_spike_history"):
            if getattr(self, key) < 1:
                raise SectionValueError(key, f"must be at least 1, got {getattr(self, key)}")
        for key in ("max_rollbacks", "lr_factor_iterations"):
            if getattr(self, key) < 0:
                raise SectionValueError(key, f"must be >= 0, got {getattr(self, key)}")
        if self.lr_factor_after_rollback <= 0:
            raise SectionValueError("lr_factor_after_rollback", "must be positive")
        if self.loss_spike_factor is not None and self.loss_spike_factor <= 1:
            raise SectionValueError("loss_spike_factor", "must be above 1")


class _NaNGradient(torch.autograd.Function):
    """Identity forward; NaN gradient backward (a finite loss whose gradients blow up)."""

    @staticmethod
    def forward(ctx, value):
        return value.clone()

    @staticmethod
    def backward(ctx, grad):
        return grad * float("nan")


class NanGuard(Plugin):
    """The guard's policy and memory for one run (the plugin `math_lm.nan_guard`)."""

    section = SECTION
    Config = NanGuardConfig

    def __init__(self, config: NanGuardConfig):
        super().__init__(config)
        self.config: NanGuardConfig = config
        self._injecting: Optional[int] = None
        self.bad_steps: list[dict] = []
        self.recent: deque[int] = deque()
        self.rollbacks: list[dict] = []
        self.good_losses: deque[float] = deque(maxlen=config.loss_spike_history)
        self.injected: set[int] = set()

    # -------------------------------------------------------------- checkpointed state

    def state_dict(self) -> dict:
        return {
            "bad_steps": list(self.bad_steps),
            "recent": list(self.recent),
            "rollbacks": list(self.rollbacks),
            "good_losses": list(self.good_losses),
            "injected": sorted(self.injected),
        }

    def load_state_dict(self, state: dict) -> None:
        self.bad_steps = list(state["bad_steps"])
        self.recent = deque(state["recent"])
        self.rollbacks = list(state["rollbacks"])
        self.good_losses = deque(state["good_losses"], maxlen=self.config.loss_spike_history)
        self.injected = set(state["injected"])

    # -------------------------------------------------------------- the policy

    def _bad_reason(self, report: StepReport) -> Optional[str]:
        if not math.isfinite(report.loss):
            return "non-finite loss"
        if report.grad_norm is not None and not math.isfinite(report.grad_norm):
            return "non-finite gradient norm"
        if not report.step_applied:
            return "step refused by DeepSpeed (non-finite gradients)"
        factor = self.config.loss_spike_factor
        if factor is not None and len(self.good_losses) >= self.config.loss_spike_history:
            mean = sum(self.good_losses) / len(self.good_losses)
            if report.loss > factor * mean:
                return f"loss spike ({report.loss:.4f} > {factor} x running mean {mean:.4f})"
        return None

    def on_step(self, trainer: TrainerView, report: StepReport) -> StepResult:
        if not self.config.enabled:
            return StepResult()
        step = report.iteration + 1
        self._injecting = None
        reason = self._bad_reason(report)
        if reason is None:
            self.good_losses.append(report.loss)
            return StepResult()
        event = {
            "step": step, "data_position": report.consumed_samples, "loss": report.loss,
            "grad_norm": report.grad_norm, "applied": report.step_applied, "reason": reason,
        }
        self.bad_steps.append(event)
        self.recent.append(step)
        while self.recent and self.recent[0] <= step - self.config.window:
            self.recent.popleft()
        action = "skipped" if not report.step_applied else "counted"
        trainer.metrics.record(
            "nan_guard", step, {"event": "bad_step", **event, "bad_in_window": len(self.recent)},
            f"nan guard: step {step} {action}: {reason} (bad steps in the last {self.config.window}: "
            f"{len(self.recent)}/{self.config.max_bad_steps})",
        )
        if len(self.recent) < self.config.max_bad_steps:
            return StepResult()
        if len(self.rollbacks) >= self.config.max_rollbacks:
            return StepResult(StepDecision.STOP, self._stop_report(trainer, step))
        attempt = {
            "failed_at": step,
            "bad_steps": list(self.recent),
            "resume_data_at": report.consumed_samples if self.config.skip_data_on_rollback else None,
            "lr_factor": self.config.lr_factor_after_rollback,
            "lr_factor_iterations": self.config.lr_factor_iterations,
        }
        self.recent.clear()
        self.good_losses.clear()

        def after_rollback(trainer: TrainerView) -> None:
            attempt["rolled_back_to"] = trainer.iteration
            if self.config.lr_factor_iterations and self.config.lr_factor_after_rollback != 1.0:
                trainer.scale_learning_rate(self.config.lr_factor_after_rollback, self.config.lr_factor_iterations)
            self.rollbacks.append(attempt)

        return StepResult(
            StepDecision.ROLLBACK,
            f"{self.config.max_bad_steps} bad steps within {self.config.window} iterations "
            f"(roll back {len(self.rollbacks) + 1} of at most {self.config.max_rollbacks})",
            resume_data_at=attempt["resume_data_at"],
            after_rollback=after_rollback,
        )

    def _stop_report(self, trainer: TrainerView, step: int) -> str:
        report = {
            "stopped_at_step": step,
            "bad_steps": self.bad_steps,
            "rollbacks": self.rollbacks,
            "settings": {k: getattr(self.config, k) for k in ("max_bad_steps", "window", "max_rollbacks",
                                                              "skip_data_on_rollback", "lr_factor_after_rollback",
                                                              "lr_factor_iterations", "loss_spike_factor")},
        }
        save = trainer.save_dir
        if save and trainer.rank == 0:
            write_text_atomically(Path(save) / "nan_guard_report.json", json.dumps(report, indent=2, default=str))
        lines = [f"the NaN guard gave up at step {step} after {len(self.rollbacks)} roll back(s)"]
        for event in self.bad_steps:
            lines.append(f"  bad step {event['step']} at data position {event['data_position']}: {event['reason']}")
        for attempt in self.rollbacks:
            lines.append(
                f"  tried: roll back from step {attempt['failed_at']} to {attempt.get('rolled_back_to')}, data "
                f"resumed at {attempt['resume_data_at']}, lr x{attempt['lr_factor']} for "
                f"{attempt['lr_factor_iterations']} steps"
            )
        if save:
            lines.append(f"  full report: {Path(save) / 'nan_guard_report.json'}")
        return "\n".join(lines)

    # -------------------------------------------------------------- fault injection

    def on_loss(self, trainer: TrainerView, loss: torch.Tensor) -> torch.Tensor:
        if not self.config.enabled:
            return loss
        step = trainer.iteration + 1
        config = self.config
        if config.kill_rank_at == step:
            self._kill_once(trainer, f"step{step}")
        if step in config.inject_nan_loss_at and (step not in self.injected or self._injecting == step):
            self.injected.add(step)
            self._injecting = step
            return loss * float("nan")
        if step in config.inject_nan_grad_at and (step not in self.injected or self._injecting == step):
            self.injected.add(step)
            self._injecting = step
            return _NaNGradient.apply(loss)
        return loss

    def on_checkpoint(self, trainer: TrainerView, event: str, tag: str) -> None:
        if not self.config.enabled:
            return
        if event == "written" and self.config.kill_during_save_at is not None:
            if tag == f"global_step{self.config.kill_during_save_at}":
                self._kill_once(trainer, f"save{self.config.kill_during_save_at}")

    def _kill_once(self, trainer: TrainerView, name: str) -> None:
        save = trainer.save_dir
        if not save:
            raise ValueError("nan_guard kill drills need `save` (they record there that they fired)")
        marker = Path(save) / "nan_guard_faults_fired.json"
        fired = json.loads(marker.read_text()) if marker.exists() else []
        if name in fired:
            return
        if trainer.rank == self.config.kill_rank:
            write_text_atomically(marker, json.dumps(fired + [name]))
            trainer.metrics.record("nan_guard", trainer.iteration, {"event": "drill_kill", "fault": name},
                                   f"nan guard drill: killing rank {self.config.kill_rank} ({name})")
            os.kill(os.getpid(), signal.SIGKILL)


PLUGIN = NanGuard
