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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import torch

from megatron.checkpointing import (
    LATEST_FILE, MODEL_CONFIG_FILE, CheckpointError, model_states_file, resolve_tag, tag_for, write_manifest,
)
from megatron.model import layout
from megatron.model.config import ModelConfig

from math_lm.convert.common import ConversionError, report, tensor_progress

CONVERSION_FILE = "conversion.json"
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


@dataclass
class NeoXCheckpoint:
    """One tag of a NeoX checkpoint directory: its model config, TP size and rank files."""

    tag_dir: Path
    config: ModelConfig
    tensor_parallel_size: int
    conversion: dict[str, Any]

    @classmethod
    def open(cls, directory: str | Path, tag: str | None = None) -> NeoXCheckpoint:
        directory = Path(directory)
        if not directory.is_dir():
            raise ConversionError(f"NeoX checkpoint directory {directory} does not exist")
        if tag is None:
            try:
                tag = resolve_tag(directory)
            except CheckpointError as error:
                raise ConversionError(str(error)) from error
            if tag is None:
                raise ConversionError(f"{directory} holds no checkpoint (no `latest` and no global_step* tag)")
        tag_dir = directory / tag
        if not tag_dir.is_dir():
            raise ConversionError(f"{tag_dir} does not exist (tag {tag!r})")
        config_path = tag_dir / MODEL_CONFIG_FILE
        if not config_path.is_file():
            raise ConversionError(f"{config_path} is missing: not a checkpoint written by this project")
        values = json.loads(config_path.read_text(encoding="utf-8"))
        tensor_parallel_size = int(values.pop("tensor_parallel_size", 1))
        try:
            config = ModelConfig.from_dict(values)
        except (TypeError, ValueError) as error:
            raise ConversionError(f"{config_path}: {error}") from error
        found = sorted(path.name for path in tag_dir.glob("mp_rank_*_model_states.pt"))
        expected = [model_states_file(rank) for rank in range(tensor_parallel_size)]
        if found != expected:
            raise ConversionError(
                f"{tag_dir}: model_config.json says tensor_parallel_size={tensor_parallel_size}, "
                f"so expected {expected}, found {found}"
            )
        conversion_path = tag_dir / CONVERSION_FILE
        conversion = json.loads(conversion_path.read_text(encoding="utf-8")) if conversion_path.is_file() else {}
        return cls(tag_dir, config, tensor_parallel_size, conversion)

    def rank_path(self, rank: int) -> Path:
        return self.tag_dir / model_states_file(rank)

    def open_shards(self, check: bool = True) -> list[dict[str, torch.Tensor]]:
        """Every rank's module state dict, memory-mapped (tensors are read when touched); with
        `check`, checked for missing, unexpected and wrongly shaped tensors."""
        layouts = layout.parameter_layouts(self.config)
        shards = []
        for rank in range(self.tensor_parallel_size):
            path = self.rank_path(rank)
            try:
                # DeepSpeed's files also pickle client state (numpy RNG state...), so not weights_only.
                state = torch.load(path, map_location="cpu", mmap=True, weights_only=False)
            except Exception as error:  # torch raises several types for damaged files
                raise ConversionError(f"{path}: cannot be read as a torch checkpoint ({error})") from error
            if not isinstance(state, dict) or not isinstance(state.get("module"), dict):
                raise ConversionError(f"{path}: has no 'module' state dict")
            module = state["module"]
            if not check:
                shards.append(module)
                continue
            missing = [name for name in layouts if name not in module]
            unexpected = [name for name in module if name not in layouts]
            if missing or unexpected:
                raise ConversionError(f"{path}: missing tensors {missing[:8]}, unexpected tensors {unexpected[:8]}")
            for name, spec in layouts.items():
                expected = spec.shard_shape(self.tensor_parallel_size)
                if tuple(module[name].shape) != expected:
                    raise ConversionError(f"{path}: {name} has shape {tuple(module[name].shape)}, expected {expected}")
            shards.append(module)
        return shards
