"""The NeoX checkpoint layout of `megatron.checkpointing`, written and read one tensor at a time.

A converted checkpoint holds what `finetune: true` reads, and nothing else:

    <dir>/latest                                the tag, `global_step0`
    <dir>/global_step0/mp_rank_XX_model_states.pt one per tensor-parallel rank
    <dir>/global_step0/model_config.json        ModelConfig.to_dict() + tensor_parallel_size
    <dir>/global_step0/conversion.json          where it came from, the unpadded vocabulary size
    <dir>/global_step0/tokenizer.model          the source's SentencePiece model, when it had one
    <dir>/global_step0/manifest.json            size and CRC-32 of each file (written last)

DeepSpeed's `load_checkpoint(..., load_module_only=True)` (ZeRO stage 0-2, no MoE) reads from
`mp_rank_XX_model_states.pt` exactly two keys: "module" (the rank's state dict, loaded strictly)
and "dp_world_size" (recorded, not checked when only the module is loaded); every other key is
handed back as client state (we add "mp_world_size", for readers). It looks for the file of its
own tensor-parallel rank, so the file count must equal the run's tensor-parallel size.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable

import torch

from megatron.checkpoint_reader import CONVERSION_FILE, LATEST_FILE, MODEL_CONFIG_FILE, model_states_file, tag_for
from megatron.checkpointing import write_manifest
from megatron.fault_injection import fault_point
from megatron.model import layout
from megatron.model.config import ModelConfig

from math_lm.convert.common import report, tensor_progress

TOKENIZER_FILE = "tokenizer.model"


def write_neox_checkpoint(
    staging: Path,
    config: ModelConfig,
    tensor_parallel_size: int,
    full_tensor: Callable[[str], torch.Tensor],
    conversion: dict[str, Any],
    release: Callable[[], None] = lambda: None,
    tokenizer: Path | None = None,
) -> Path:
    """Write a NeoX checkpoint (tag `global_step0`) into the empty directory `staging`.

    `full_tensor(name)` returns our full tensor `name` (already cast and padded). It is called
    once per name per rank, so only one rank's output shard is in memory at a time; `release()`
    is called after each rank so the source can drop its open files. Returns the tag directory.
    """
    config.validate_tensor_parallel(tensor_parallel_size)
    layouts = layout.parameter_layouts(config)
    tag = tag_for(0)
    tag_dir = staging / tag
    tag_dir.mkdir(parents=True)
    for rank in range(tensor_parallel_size):
        shard: dict[str, torch.Tensor] = {}
        names = tensor_progress(layouts.items(), len(layouts), f"rank {rank}/{tensor_parallel_size}")
        for name, spec in names:
            # clone: a shard that is a view must not keep the whole full tensor alive.
            shard[name] = layout.shard_tensor(full_tensor(name), spec, rank, tensor_parallel_size).clone()
        torch.save({"module": shard, "dp_world_size": 1, "mp_world_size": tensor_parallel_size},
                   tag_dir / model_states_file(rank))
        fault_point("convert_shard_written", rank)
        del shard
        release()
        report(f"wrote {tag}/{model_states_file(rank)}")
    model_config = {**config.to_dict(), "tensor_parallel_size": tensor_parallel_size}
    (tag_dir / MODEL_CONFIG_FILE).write_text(json.dumps(model_config, indent=2, sort_keys=True), encoding="utf-8")
    (tag_dir / CONVERSION_FILE).write_text(json.dumps(conversion, indent=2, sort_keys=True), encoding="utf-8")
    if tokenizer is not None:
        shutil.copyfile(tokenizer, tag_dir / TOKENIZER_FILE)
    write_manifest(tag_dir)
    (staging / LATEST_FILE).write_text(tag, encoding="utf-8")
    return tag_dir
