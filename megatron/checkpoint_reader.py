"""Reading one tag of a NeoX checkpoint: its model config, tensor-parallel size and rank files.

The one reader for evaluation (`load_merged_state_dict`) and the converters (export to HF). The
tag is resolved as training resolves it (`checkpointing.resolve_tag`: verified, with fallback),
and every rank file is checked for missing, unexpected and wrongly shaped tensors.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from megatron.checkpointing import MODEL_CONFIG_FILE, CheckpointError, model_states_file, resolve_tag
from megatron.model import layout
from megatron.model.config import ModelConfig

CONVERSION_FILE = "conversion.json"
"""Written by the converters beside the model files: where the weights came from."""


@dataclass
class CheckpointReader:
    """One tag of a NeoX checkpoint directory: its model config, TP size and rank files."""

    tag_dir: Path
    config: ModelConfig
    tensor_parallel_size: int
    conversion: dict[str, Any]

    @classmethod
    def open(cls, directory: str | Path, tag: str | None = None) -> CheckpointReader:
        directory = Path(directory)
        if not directory.is_dir():
            raise CheckpointError(f"NeoX checkpoint directory {directory} does not exist")
        if tag is None:
            tag = resolve_tag(directory)
            if tag is None:
                raise CheckpointError(f"{directory} holds no checkpoint (no `latest` and no global_step* tag)")
        tag_dir = directory / tag
        if not tag_dir.is_dir():
            raise CheckpointError(f"{tag_dir} does not exist (tag {tag!r})")
        config_path = tag_dir / MODEL_CONFIG_FILE
        if not config_path.is_file():
            raise CheckpointError(f"{config_path} is missing: not a checkpoint written by this project")
        values = json.loads(config_path.read_text(encoding="utf-8"))
        tensor_parallel_size = int(values.pop("tensor_parallel_size", 1))
        try:
            config = ModelConfig.from_dict(values)
        except (TypeError, ValueError) as error:
            raise CheckpointError(f"{config_path}: {error}") from error
        found = sorted(path.name for path in tag_dir.glob("mp_rank_*_model_states.pt"))
        expected = [model_states_file(rank) for rank in range(tensor_parallel_size)]
        if found != expected:
            raise CheckpointError(
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
                raise CheckpointError(f"{path}: cannot be read as a torch checkpoint ({error})") from error
            if not isinstance(state, dict) or not isinstance(state.get("module"), dict):
                raise CheckpointError(f"{path}: has no 'module' state dict")
            module = state["module"]
            if not check:
                shards.append(module)
                continue
            missing = [name for name in layouts if name not in module]
            unexpected = [name for name in module if name not in layouts]
            if missing or unexpected:
                raise CheckpointError(f"{path}: missing tensors {missing[:8]}, unexpected tensors {unexpected[:8]}")
            for name, spec in layouts.items():
                expected = spec.shard_shape(self.tensor_parallel_size)
                if tuple(module[name].shape) != expected:
                    raise CheckpointError(f"{path}: {name} has shape {tuple(module[name].shape)}, expected {expected}")
            shards.append(module)
        return shards

    def merged_state_dict(self) -> dict[str, torch.Tensor]:
        """The whole model as one full (unsplit) state dict on the CPU (holds it all in memory)."""
        return layout.merge_state_dicts(self.open_shards(), self.config)
