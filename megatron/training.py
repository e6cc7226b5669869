"""pretrain(): set up, train, evaluate, checkpoint.

The loop reads like the method: for each iteration, run gradient-accumulation
micro-batches forward and backward, let DeepSpeed reduce and apply the step (ZeRO-1,
clipping, and a refusal to apply non-finite gradients), advance the learning rate if
the step was applied, hand the outcome to the plugins (`megatron.plugins`), then log,
evaluate and save on their cadences. Policy (what to do about a bad step) lives in plugins.
"""
from __future__ import annotations

import dataclasses
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import torch

from megatron import checkpointing, parallel
from megatron.data.gpt_data import build_datasets, neox_sample_counts
from megatron.data.sampler import DataLoaderState, build_data_iterator
from megatron.engine import build_engine, rng_state, set_rng_state
from megatron.fault_injection import fault_point
from megatron.learning_rates import LearningRateScheduler
from megatron.metrics import MetricsWriter, device_peak_tflops, format_train_line, memory_gib
from megatron.model import build_model, flops_per_token
from megatron.neox_arguments import NeoXArgs
from megatron.neox_arguments.arguments import data_spec
from megatron.neox_arguments.model_config import model_config_from_args, model_config_sources
from megatron.plugins import MetricsSink, Plugin, StepDecision, StepReport, StepResult, plugin_class
from megatron.source_metrics import SourceLosses, source_labels, token_fractions, validation_values
from megatron.tokenizer import build_tokenizer
from megatron.watchdog import HangWatchdog


class TrainingStopped(RuntimeError):
    """A step hook stopped the run; the message is its report."""


def token_losses(engine, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Next-token loss [b, s] of one micro-batch of `seq_length + 1` token windows."""
    tokens = batch["text"].to(engine.device, non_blocking=True)
    return engine(tokens[:, :-1].contiguous(), tokens[:, 1:].contiguous())


def micro_batch_loss(engine, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Mean next-token loss of one micro-batch."""
    return token_losses(engine, batch).mean()


def forward_backward_step(engine, micro_batches, transform_loss=None) -> torch.Tensor:
    """The training step: every micro-batch forward and backward; DeepSpeed reduces gradients and
    applies the optimizer step at the accumulation boundary. Returns the mean loss (on device).
    `transform_loss` (the plugins' `on_loss`) may replace each loss before backward."""
    losses = []
    for batch in micro_batches:
        loss = micro_batch_loss(engine, batch)
        if transform_loss is not None:
            loss = transform_loss(loss)
        engine.backward(loss)
        engine.step()
        losses.append(loss.detach())
    return torch.stack(losses).mean()


@dataclass
class TrainingSummary:
    """What a finished run reports back (also handy for tests)."""

    losses: dict[int, float] = field(default_factory=dict)
    """Training loss of each completed iteration (1-based)."""
    valid_losses: dict[int, float] = field(default_factory=dict)
    skipped_steps: int = 0
    saved_tags: list[str] = field(default_factory=list)


class _PluginView:
    """The TrainerView that plugins get: what they may read of the trainer, and the one thing they may change."""

    def __init__(self, trainer: "Trainer"):
        self._trainer = trainer

    @property
    def iteration(self) -> int:
        return self._trainer.iteration

    @property
    def rank(self) -> int:
        return self._trainer.rank

    @property
    def save_dir(self) -> Optional[str]:
        return self._trainer.args.checkpoint.save

    @property
    def metrics(self) -> MetricsSink:
        return self._trainer.metrics

    def scale_learning_rate(self, factor: float, iterations: int) -> None:
        self._trainer.scheduler.scale_for(factor, iterations)


def build_plugins(args: NeoXArgs) -> list[Plugin]:
    """One object per module under `plugins:`, built from its checked config section."""
    plugins = []
    for name in args.training.plugins:
        cls = plugin_class(name)
        plugins.append(cls(args.plugin_section(cls.section)))
    return plugins


class Trainer:
    """One training run on this rank; plugins see it through a TrainerView."""

    def __init__(self, args: NeoXArgs):
        self.args = args
        self.plugins = build_plugins(args)
        self.plugin_view = _PluginView(self)
        parallel.initialize_distributed(args.parallel.model_parallel_size)
        parallel.seed_everything(args.training.seed)
        self.rank = torch.distributed.get_rank()
        self.tokenizer = build_tokenizer(args.tokenizer.tokenizer_type, args.tokenizer.vocab_file, args.tokenizer.merge_file)
        self.model_config = model_config_from_args(args, self.tokenizer.vocab_size)
        self.engine = build_engine(build_model(self.model_config), args)
        if args.training.torch_compile:
            self.engine.compile()
        self.scheduler = LearningRateScheduler(
            self.engine.optimizer, args.derived.schedule, args.learning_rate.lr_decay_style
        )
        self.iteration = 0
        self.skipped_steps = 0
        self.last_saved_iteration: Optional[int] = None
        self.summary = TrainingSummary()
        save_dir = Path(args.checkpoint.save) if args.checkpoint.save else None
        self.metrics = MetricsWriter(
            enabled=self.rank == 0,
            jsonl_path=save_dir / "metrics.jsonl" if save_dir else None,
            tensorboard_dir=args.training.tensorboard_dir,
        )
        self.watchdog = HangWatchdog(
            self.rank, args.training.hang_timeout_factor, args.training.hang_timeout_min_s,
            on_hang=lambda line: self.metrics.record("hang", self.iteration, {"report": line}),
        )
        self.flops_per_token = flops_per_token(self.model_config, args.model.seq_length)
        self.peak_tflops = device_peak_tflops(args.training.peak_flops_per_gpu)

        if save_dir is not None:
            for stale in checkpointing.remove_stale_staging(save_dir):
                self.metrics.record("checkpoint", 0, {"removed": str(stale)},
                                    f"removed {stale}, left by an interrupted save")
        self.train_data, self.valid_data, _ = self._build_datasets()
        train_state, valid_state = DataLoaderState(), DataLoaderState()
        if args.checkpoint.load:
            training_state = self.load(args.checkpoint.load, weights_only=args.checkpoint.finetune)
            if training_state is None:
                self.metrics.record("checkpoint", 0, {"fresh_start": args.checkpoint.load},
                                    f"{args.checkpoint.load} holds no checkpoint yet: starting from scratch")
            if training_state is not None and not args.checkpoint.finetune:
                train_state = DataLoaderState.from_dict(training_state["train_data"])
                valid_state = DataLoaderState.from_dict(training_state["valid_data"])
        self._start_data(train_state, valid_state)

    # ----------------------------------------------------------------- set-up helpers

    def _build_datasets(self):
        args = self.args
        train, valid, test = neox_sample_counts(
            args.training.train_iters, args.training.eval_interval, args.training.eval_iters,
            args.derived.batch.train_batch_size,
        )
        counts = (train + args.data.extra_train_samples, valid, test)
        spec = data_spec(args.data, args.model.seq_length, args.training.seed, self.tokenizer.eod)
        return build_datasets(spec, counts)

    def _start_data(self, train_state: DataLoaderState, valid_state: DataLoaderState) -> None:
        batch = self.args.derived.batch
        dp_rank, dp_size = parallel.data_parallel_rank(), parallel.data_parallel_size()
        workers = self.args.data.num_workers
        self.train_iterator = build_data_iterator(
            self.train_data, train_state, batch.micro_batch_size, dp_rank, dp_size, workers, parallel.on_gpu()
        )
        self.valid_iterator = build_data_iterator(
            self.valid_data, valid_state, batch.micro_batch_size, dp_rank, dp_size, workers, parallel.on_gpu()
        )

    # ----------------------------------------------------------------- checkpoints

    def checkpoint_model_config(self) -> dict[str, Any]:
        return {**self.model_config.to_dict(), "tensor_parallel_size": parallel.tensor_parallel_size()}

    def save(self) -> str:
        training_state = {
            "iteration": self.iteration,
            "skipped_steps": self.skipped_steps,
            "scheduler": self.scheduler.state_dict(),
            "train_data": self.train_iterator.state().to_dict(),
            "valid_data": self.valid_iterator.state().to_dict() if self.valid_iterator else DataLoaderState().to_dict(),
            "rng": rng_state(),
            "plugins": {plugin.section: plugin.state_dict() for plugin in self.plugins},
        }
        if self.args.checkpoint.checkpoint_validation:
            training_state["validation_loss"] = self.validation_batch_loss()
        with self.watchdog.phase("save", self.iteration):
            tag = self._save_files(training_state)
        keep = self.args.checkpoint.keep_last_n_checkpoints
        if keep:
            checkpointing.prune_checkpoints(self.args.checkpoint.save, keep)
        self.summary.saved_tags.append(tag)
        self.last_saved_iteration = self.iteration
        self.metrics.record("checkpoint", self.iteration, {"tag": tag}, f"saved checkpoint {tag}")
        return tag

    def _save_files(self, training_state: dict) -> str:
        tag = checkpointing.save_checkpoint(
            self.engine, self.args.checkpoint.save, self.iteration, training_state,
            self.checkpoint_model_config(), self.args.config_files,
            on_files_written=lambda tag: self._notify_checkpoint("written", tag),
        )
        self._notify_checkpoint("committed", tag)
        return tag

    def _notify_checkpoint(self, event: str, tag: str) -> None:
        if event == "written":
            fault_point("save_files_written", self.iteration)
        for plugin in self.plugins:
            plugin.on_checkpoint(self.plugin_view, event, tag)

    @torch.no_grad()
    def validation_batch_loss(self) -> float:
        """Loss of the model on a fixed batch (seeded random tokens, the same for every run of this
        model): stored with a checkpoint when `checkpoint_validation` is on and checked on load."""
        self.engine.eval()
        generator = torch.Generator().manual_seed(0)
        shape = (self.args.derived.batch.micro_batch_size, self.args.model.seq_length + 1)
        tokens = torch.randint(0, self.tokenizer.vocab_size, shape, generator=generator)
        return float(micro_batch_loss(self.engine, {"text": tokens}).item())

    def _check_validation_loss(self, training_state: dict, load_dir: str) -> None:
        saved = training_state.get("validation_loss")
        if saved is None:
            return
        now = self.validation_batch_loss()
        if not math.isclose(now, saved, rel_tol=1e-3, abs_tol=1e-4):
            raise checkpointing.CheckpointError(
                f"checkpoint in {load_dir} fails validation: the fixed-batch loss was {saved:.6f} when saved "
                f"and is {now:.6f} after loading (corrupt or mismatched weights)"
            )

    def load(self, load_dir: str, weights_only: bool, restore_plugins: bool = True) -> Optional[dict]:
        """Load weights (and, unless weights_only, the whole training state) from `load_dir`.

        restore_plugins=False keeps the plugins' in-memory state (a roll back must not forget it)."""
        training_state = checkpointing.load_checkpoint(
            self.engine, load_dir, self.checkpoint_model_config(), weights_only,
            self.args.checkpoint.override_checkpoint_model_config, model_config_sources(self.args),
            self.args.checkpoint.trust_checkpoint_code,
        )
        if training_state is not None:
            self._check_validation_loss(training_state, load_dir)
        if training_state is None or weights_only:
            return training_state
        self.iteration = int(training_state["iteration"])
        self.skipped_steps = int(training_state["skipped_steps"])
        self.scheduler.load_state_dict(training_state["scheduler"])
        set_rng_state(training_state["rng"])
        if restore_plugins:
            saved = training_state.get("plugins", training_state.get("hooks", {}))  # "hooks": checkpoints before plugins
            for plugin in self.plugins:
                if saved.get(plugin.section) is not None:
                    plugin.load_state_dict(saved[plugin.section])
        self.metrics.record("checkpoint", self.iteration, {"loaded": str(load_dir)},
                            f"loaded checkpoint from {load_dir} at iteration {self.iteration}")
        return training_state

    def roll_back(self, resume_data_at: Optional[int] = None) -> int:
        """Reload the newest complete checkpoint of the save directory and continue the training
        data at `resume_data_at` (an absolute data position; None: the checkpoint's, the default
        when no data is to be skipped). Returns the iteration rolled back to."""
        save_dir = self.args.checkpoint.save
        if not save_dir or not checkpointing.complete_tags(save_dir):
            raise TrainingStopped("roll back requested but there is no checkpoint to roll back to")
        training_state = self.load(save_dir, weights_only=False, restore_plugins=False)
        train_state = DataLoaderState.from_dict(training_state["train_data"])
        if resume_data_at is not None:
            if resume_data_at < train_state.consumed_samples:
                raise ValueError(f"cannot resume the data at {resume_data_at}, before the checkpoint's "
                                 f"position {train_state.consumed_samples}")
            train_state = dataclasses.replace(train_state, consumed_samples=resume_data_at)
        self._start_data(train_state, DataLoaderState.from_dict(training_state["valid_data"]))
        return self.iteration

    # ----------------------------------------------------------------- the loop

    def _mean_over_data_parallel(self, value: torch.Tensor) -> float:
        from megatron.core import parallel_state

        value = value.detach().float().clone()
        torch.distributed.all_reduce(value, group=parallel_state.get_data_parallel_group())
        return value.item() / parallel.data_parallel_size()

    def train_step(self) -> StepReport:
        """One optimizer step over the global batch."""
        self.engine.train()
        accumulation = self.args.derived.batch.gradient_accumulation_steps
        with self.watchdog.label("data"):
            micro_batches = [self._next_train_batch() for _ in range(accumulation)]
        fault_point("train_step", self.iteration + 1)
        loss = forward_backward_step(self.engine, micro_batches, self._apply_plugins_to_loss)
        applied = self.engine.was_step_applied()
        if applied:
            self.scheduler.step()
        else:
            self.skipped_steps += 1
        grad_norm = self.engine.get_global_grad_norm()
        grad_norm = float(grad_norm) if grad_norm is not None else None
        report = StepReport(
            iteration=self.iteration,
            loss=self._mean_over_data_parallel(loss),
            grad_norm=grad_norm,
            step_applied=applied,
            lr=self.scheduler.current_lr,
            consumed_samples=self.train_iterator.consumed_samples,
            global_batch_size=self.args.derived.batch.train_batch_size,
        )
        self.iteration += 1
        return report

    def _next_train_batch(self) -> dict[str, torch.Tensor]:
        fault_point("data", self.iteration + 1)
        try:
            return next(self.train_iterator)
        except StopIteration:
            raise TrainingStopped(
                f"the training data ran out at sample {self.train_iterator.consumed_samples} of "
                f"{len(self.train_data)} (iteration {self.iteration}); skipped data after a roll back needs "
                "room: raise 'extra_train_samples'"
            ) from None

    def _apply_plugins_to_loss(self, loss: torch.Tensor) -> torch.Tensor:
        for plugin in self.plugins:
            loss = plugin.on_loss(self.plugin_view, loss)
        return loss

    def ask_plugins(self, report: StepReport) -> StepResult:
        """Ask every plugin about the step; the most severe decision on any rank wins on all ranks."""
        result = StepResult()
        for plugin in self.plugins:
            answer = plugin.on_step(self.plugin_view, report)
            if answer.decision > result.decision:
                result = answer
        decision = torch.tensor([int(result.decision)], dtype=torch.int64, device=self.engine.device)
        torch.distributed.all_reduce(decision, op=torch.distributed.ReduceOp.MAX)
        if int(decision.item()) != result.decision:
            result = StepResult(StepDecision(int(decision.item())), "decided on another rank")
        return result

    @torch.no_grad()
    def evaluate(self) -> Optional[SourceLosses]:
        """Loss sums per validation source over `eval_iters` global batches, reduced over data parallel."""
        if self.valid_iterator is None or self.args.training.eval_iters == 0:
            return None
        from megatron.core import parallel_state

        self.engine.eval()
        losses = SourceLosses(len(self.valid_data.source_names), self.engine.device)
        for _ in range(self.args.training.eval_iters * self.args.derived.batch.gradient_accumulation_steps):
            batch = next(self.valid_iterator)
            losses.add(token_losses(self.engine, batch), batch["source_id"])
            fault_point("eval", self.iteration)
        return losses.all_reduce(parallel_state.get_data_parallel_group())

    def _log(self, interval_losses: list[float], interval_seconds: float, report: StepReport) -> None:
        args = self.args
        tokens = len(interval_losses) * args.derived.batch.train_batch_size * args.model.seq_length
        tokens_per_second = tokens / max(interval_seconds, 1e-9)
        tflops_per_gpu = self.flops_per_token * tokens_per_second / args.derived.world_size / 1e12
        values = {
            "iteration": self.iteration,
            "train_iters": args.training.train_iters,
            "lr": report.lr,
            "loss": sum(interval_losses) / len(interval_losses),
            "grad_norm": report.grad_norm,
            "tokens_per_second": tokens_per_second,
            "tflops_per_gpu": tflops_per_gpu,
            "mfu": tflops_per_gpu / self.peak_tflops if self.peak_tflops else None,
            "memory_gib": memory_gib(),
            "skipped_steps": self.skipped_steps,
            "consumed_samples": report.consumed_samples,
        }
        self.metrics.record("train", self.iteration, values, format_train_line(values))
        fractions = token_fractions(self.train_data, report.consumed_samples, args.model.seq_length)
        if fractions is not None:
            self.metrics.record("tokens_per_source", self.iteration, *fractions)

    def train(self) -> TrainingSummary:
        args = self.args
        train_iters = args.training.train_iters
        save_interval = args.checkpoint.save_interval
        exit_interval = args.training.exit_interval
        interval_losses: list[float] = []
        interval_seconds = 0.0
        while self.iteration < train_iters:
            with self.watchdog.phase("train step", self.iteration + 1):
                start = time.perf_counter()
                report = self.train_step()  # reading the loss waits for the device, so the time is real
                interval_seconds += time.perf_counter() - start
                result = self.ask_plugins(report)
            self.summary.losses[self.iteration] = report.loss
            if math.isfinite(report.loss):
                interval_losses.append(report.loss)
            if result.decision == StepDecision.STOP:
                self.metrics.record("stop", self.iteration, {"reason": result.reason}, f"training stopped: {result.reason}")
                raise TrainingStopped(result.reason)
            if result.decision == StepDecision.ROLLBACK:
                with self.watchdog.phase("load", self.iteration):
                    self._roll_back_for(result)
                interval_losses, interval_seconds = [], 0.0
                continue
            if self.iteration % args.training.log_interval == 0 and interval_losses:
                self._log(interval_losses, interval_seconds, report)
                interval_losses, interval_seconds = [], 0.0
            if self.iteration % args.training.eval_interval == 0 or self.iteration == train_iters:
                self._evaluate_and_log()
            if args.checkpoint.save and save_interval and self.iteration % save_interval == 0:
                self.save()
            if exit_interval and self.iteration % exit_interval == 0 and self.iteration < train_iters:
                self.metrics.record("exit", self.iteration, {"reason": "exit_interval"},
                                    f"exiting at iteration {self.iteration} (exit_interval {exit_interval})")
                break
        if args.checkpoint.save and self.last_saved_iteration != self.iteration:
            self.save()
        self.summary.skipped_steps = self.skipped_steps
        return self.summary

    def _roll_back_for(self, result: StepResult) -> None:
        failed_at = self.iteration
        self.roll_back(result.resume_data_at)
        if result.after_rollback is not None:
            result.after_rollback(self.plugin_view)
        position = self.train_iterator.consumed_samples
        self.metrics.record(
            "rollback", self.iteration,
            {"failed_at": failed_at, "data_position": position, "reason": result.reason},
            f"rolled back from iteration {failed_at} to {self.iteration}; data continues at sample "
            f"{position}: {result.reason}",
        )

    def _evaluate_and_log(self) -> None:
        start = time.perf_counter()
        with self.watchdog.phase("eval", self.iteration):
            losses = self.evaluate()
        if losses is None:
            return
        values, per_source = validation_values(losses, source_labels(self.valid_data.source_names))
        self.summary.valid_losses[self.iteration] = values["loss"]
        line = (f"validation at iteration {self.iteration}: loss {values['loss']:.4f} | perplexity "
                f"{values['perplexity']:.3f} | {time.perf_counter() - start:.1f}s")
        self.metrics.record("valid", self.iteration, values, f"{line}\n  {per_source}" if per_source else line)

    def close(self) -> None:
        self.watchdog.stop()
        self.metrics.close()


def pretrain(args: NeoXArgs) -> TrainingSummary:
    """Initialise distributed, build everything, optionally load, train, evaluate, save."""
    trainer = Trainer(args)
    trainer.watchdog.start()
    try:
        return trainer.train()
    finally:
        trainer.close()
        sys.stdout.flush()
