"""Where training numbers go: the console, TensorBoard and a JSONL file in the save directory."""
from __future__ import annotations

import json
import math
import resource
import sys
from pathlib import Path
from typing import Any, Optional

import torch

# Dense bf16 peak TFLOP/s per device, for MFU when the config gives no `peak_flops_per_gpu`.
PEAK_BF16_TFLOPS = {"H200": 989.0, "H100": 989.0, "A100": 312.0, "A10G": 125.0, "L40S": 362.0, "V100": 125.0}


def device_peak_tflops(configured: Optional[float]) -> Optional[float]:
    if configured is not None:
        return configured
    if not torch.cuda.is_available():
        return None
    name = torch.cuda.get_device_name()
    for key, peak in PEAK_BF16_TFLOPS.items():
        if key in name:
            return peak
    return None


def memory_gib() -> float:
    """Peak GPU memory allocated on this rank, or the process's peak RSS on CPU."""
    if torch.cuda.is_available():
        return torch.cuda.max_memory_allocated() / 2**30
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


NEOX_TENSORBOARD_TAGS: dict[tuple[str, str], tuple[str, float]] = {
    ("train", "loss"): ("train/lm_loss", 1.0),
    ("train", "lr"): ("train/learning_rate", 1.0),
    ("train", "grad_norm"): ("train/grad_norm", 1.0),
    ("train", "skipped_steps"): ("train/skipped_iterations", 1.0),
    ("train", "consumed_samples"): ("train/consumed_samples", 1.0),
    ("train", "tokens_per_second"): ("runtime/tokens_per_sec", 1.0),
    ("train", "tflops_per_gpu"): ("runtime/flops_per_sec_per_gpu", 1e12),
    ("train", "mfu"): ("runtime/mfu", 1.0),
    ("train", "memory_gib"): ("runtime/memory_gib", 1.0),
    ("valid", "loss"): ("validation/lm_loss", 1.0),
    ("valid", "perplexity"): ("validation/lm_loss_ppl", 1.0),
}
"""(event kind, value) -> (TensorBoard tag, scale): GPT-NeoX's tags, so that existing dashboards line
up (NeoX logs FLOP/s, we compute TFLOP/s). Values not listed are written as `kind/name`; the train
line's iteration counters are not written."""
_NOT_SCALARS = {("train", "iteration"), ("train", "train_iters")}


def tensorboard_tag(kind: str, key: str) -> Optional[tuple[str, float]]:
    """A value's tag; `name/source` (a per-source value, `megatron.source_metrics`) of a tagged `name`
    goes beside it: ("valid", "loss/arxiv") -> "validation/arxiv/lm_loss"."""
    if (kind, key) in _NOT_SCALARS:
        return None
    name, _, source = key.partition("/")
    if source and (kind, name) in NEOX_TENSORBOARD_TAGS:
        tag, scale = NEOX_TENSORBOARD_TAGS[(kind, name)]
        group, _, leaf = tag.partition("/")
        return f"{group}/{source}/{leaf}", scale
    return NEOX_TENSORBOARD_TAGS.get((kind, key), (f"{kind}/{key}", 1.0))


class MetricsWriter:
    """Writes on the first rank only; every rank may call it."""

    def __init__(self, enabled: bool, jsonl_path: Optional[Path], tensorboard_dir: Optional[str]):
        self.enabled = enabled
        self.jsonl = None
        self.tensorboard = None
        if not enabled:
            return
        if jsonl_path is not None:
            jsonl_path.parent.mkdir(parents=True, exist_ok=True)
            self.jsonl = open(jsonl_path, "a", encoding="utf-8")
        if tensorboard_dir:
            from torch.utils.tensorboard import SummaryWriter

            self.tensorboard = SummaryWriter(log_dir=tensorboard_dir)

    def record(self, kind: str, iteration: int, values: dict[str, Any], console: Optional[str] = None) -> None:
        """One event: a console line, scalars to TensorBoard (`tensorboard_tag`), a JSON line."""
        if not self.enabled:
            return
        if console:
            print(console, flush=True, file=sys.stdout)
        if self.tensorboard is not None:
            for key, value in values.items():
                tag = tensorboard_tag(kind, key)
                if tag and isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
                    self.tensorboard.add_scalar(tag[0], value * tag[1], iteration)
            self.tensorboard.flush()
        if self.jsonl is not None:
            clean = {k: (v if not isinstance(v, float) or math.isfinite(v) else str(v)) for k, v in values.items()}
            self.jsonl.write(json.dumps({"kind": kind, "iteration": iteration, **clean}) + "\n")
            self.jsonl.flush()

    def close(self) -> None:
        if self.jsonl is not None:
            self.jsonl.close()
        if self.tensorboard is not None:
            self.tensorboard.close()


def format_train_line(values: dict[str, Any]) -> str:
    parts = [f"iteration {values['iteration']:>6d}/{values['train_iters']}"]
    parts.append(f"lr {values['lr']:.3e}")
    parts.append(f"loss {values['loss']:.4f}")
    grad_norm = values.get("grad_norm")
    parts.append(f"grad norm {grad_norm:.3f}" if grad_norm is not None else "grad norm -")
    parts.append(f"tokens/s {values['tokens_per_second']:,.0f}")
    parts.append(f"TFLOP/s/GPU {values['tflops_per_gpu']:.2f}")
    mfu = values.get("mfu")
    parts.append(f"MFU {100 * mfu:.1f}%" if mfu is not None else "MFU -")
    parts.append(f"mem {values['memory_gib']:.2f} GiB")
    parts.append(f"skipped {values['skipped_steps']}")
    return " | ".join(parts)
