"""Learning-rate schedule: linear warmup, then cosine (or linear) decay to a floor."""
from __future__ import annotations

import math

from megatron.neox_arguments import Schedule


class LearningRateScheduler:
    """Sets the optimizer's learning rate for each iteration; its state is one integer.

    lr(i) = peak * i / warmup                         for i < warmup
          = floor + (peak - floor) * f(progress)      for warmup <= i < decay_iters
          = floor                                     after decay_iters
    with progress = (i - warmup) / (decay_iters - warmup) and f = (1 + cos(pi * progress)) / 2
    for cosine, 1 - progress for linear, 1 for constant.
    """

    def __init__(self, optimizer, schedule: Schedule, decay_style: str = "cosine"):
        if decay_style not in ("cosine", "linear", "constant"):
            raise ValueError(f"lr_decay_style must be cosine, linear or constant, got {decay_style!r}")
        self.optimizer = optimizer
        self.schedule = schedule
        self.decay_style = decay_style
        self.iteration = 0
        self.multiplier = 1.0
        self.multiplier_until = 0
        self._apply()

    def lr_at(self, iteration: int) -> float:
        s = self.schedule
        if s.warmup_iters > 0 and iteration < s.warmup_iters:
            return s.lr * iteration / s.warmup_iters
        if self.decay_style == "constant":
            return s.lr
        if iteration >= s.lr_decay_iters:
            return s.min_lr
        span = s.lr_decay_iters - s.warmup_iters
        progress = (iteration - s.warmup_iters) / span if span > 0 else 1.0
        if self.decay_style == "cosine":
            factor = 0.5 * (1.0 + math.cos(math.pi * progress))
        else:
            factor = 1.0 - progress
        return s.min_lr + (s.lr - s.min_lr) * factor

    @property
    def current_lr(self) -> float:
        lr = self.lr_at(self.iteration)
        return lr * self.multiplier if self.iteration < self.multiplier_until else lr

    def scale_for(self, factor: float, iterations: int) -> None:
        """Multiply the learning rate by `factor` for the next `iterations` steps (e.g. after a roll back)."""
        self.multiplier = factor
        self.multiplier_until = self.iteration + iterations
        self._apply()

    def _apply(self) -> None:
        lr = self.current_lr
        for group in self.optimizer.param_groups:
            group["lr"] = lr

    def step(self) -> None:
        """Advance one iteration (after an optimizer step that was taken)."""
        self.iteration += 1
        self._apply()

    def state_dict(self) -> dict:
        return {"iteration": self.iteration, "multiplier": self.multiplier, "multiplier_until": self.multiplier_until}

    def load_state_dict(self, state: dict) -> None:
        self.iteration = int(state["iteration"])
        self.multiplier = float(state.get("multiplier", 1.0))
        self.multiplier_until = int(state.get("multiplier_until", 0))
        self._apply()
