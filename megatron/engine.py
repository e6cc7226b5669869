"""The DeepSpeed engine a run trains in (ZeRO-1, bf16 with fp32 master weights, clipping, torch
AdamW) and the random-number state saved with every checkpoint."""
from __future__ import annotations

import dataclasses
import random
from typing import Any

import numpy as np
import torch

from megatron import parallel
from megatron.neox_arguments import NeoXArgs


def build_optimizer(model: torch.nn.Module, args: NeoXArgs) -> torch.optim.Optimizer:
    """torch AdamW (fused on GPU); no weight decay on norm weights (the 1-D parameters)."""
    decay, no_decay = [], []
    for parameter in model.parameters():
        if parameter.requires_grad:
            (no_decay if parameter.dim() < 2 else decay).append(parameter)
    params = args.optimizer.optimizer.params
    groups = [
        {"params": decay, "weight_decay": args.optimizer.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(
        groups, lr=params.lr, betas=tuple(params.betas), eps=params.eps, fused=parallel.on_gpu(),
    )


def deepspeed_config(args: NeoXArgs) -> dict[str, Any]:
    batch = args.derived.batch
    bf16 = args.precision.bf16.enabled
    config: dict[str, Any] = {
        "train_batch_size": batch.train_batch_size,
        "train_micro_batch_size_per_gpu": batch.micro_batch_size,
        "gradient_accumulation_steps": batch.gradient_accumulation_steps,
        "gradient_clipping": args.optimizer.gradient_clipping,
        "zero_optimization": dataclasses.asdict(args.precision.zero_optimization),
        "bf16": {"enabled": bf16, "check_grad_overflow": True},
        "zero_allow_untested_optimizer": True,
        "steps_per_print": 2**31 - 1,
        "wall_clock_breakdown": False,
    }
    if bf16 and args.precision.fp32_allreduce:
        config["data_types"] = {"grad_accum_dtype": "fp32"}
        config["communication_data_type"] = "fp32"
    return config


def build_engine(model: torch.nn.Module, args: NeoXArgs):
    """Wrap the model in DeepSpeed's engine: ZeRO-1, bf16 with fp32 master weights, clipping."""
    import deepspeed

    engine, _, _, _ = deepspeed.initialize(
        model=model,
        optimizer=build_optimizer(model, args),
        config=deepspeed_config(args),
        mpu=parallel.DeepSpeedMpu(),
    )
    # DeepSpeed checks gradients for inf/NaN only under bf16/fp16 configs; the check is what
    # keeps a non-finite step from being applied, so fp32 runs get it too.
    if hasattr(engine.optimizer, "check_grad_overflow"):
        engine.optimizer.check_grad_overflow = True
    return engine


def rng_state() -> dict[str, Any]:
    state = {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state(state["cuda"])
