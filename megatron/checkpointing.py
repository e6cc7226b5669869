"""Checkpoints in the NeoX layout, through DeepSpeed.

    <save>/latest                           the tag of the newest complete checkpoint
    <save>/<tag>/mp_rank_XX_model_states.pt  one per tensor-parallel rank (DeepSpeed)
    <save>/<tag>/*_optim_states.pt           ZeRO optimizer shards (DeepSpeed)
    <save>/<tag>/configs/*.yml               the YAML files the run used
    <save>/<tag>/model_config.json           the model shape, checked before loading

`latest` is written last, atomically, once every rank has finished its files.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Optional

import torch

LATEST_FILE = "latest"
MODEL_CONFIG_FILE = "model_config.json"
TRAINING_STATE_KEY = "neox"
"""Our training state lives under this one key of DeepSpeed's client state (DeepSpeed reserves
several plain names, `skipped_steps` among them)."""
SHAPE_FIELDS = (
    "num_layers", "hidden_size", "num_attention_heads", "num_kv_heads", "intermediate_size", "vocab_size",
)


class CheckpointError(RuntimeError):
    """A checkpoint that cannot be loaded into this run, with the reason and the path."""


def tag_for(iteration: int) -> str:
    return f"global_step{iteration}"


def _is_rank_zero() -> bool:
    return not torch.distributed.is_initialized() or torch.distributed.get_rank() == 0


def _barrier() -> None:
    if torch.distributed.is_initialized():
        torch.distributed.barrier()


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file, fsync and rename."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def read_latest_tag(load_dir: str | Path) -> Optional[str]:
    latest = Path(load_dir) / LATEST_FILE
    if not latest.is_file():
        return None
    return latest.read_text(encoding="utf-8").strip() or None


def save_checkpoint(
    engine,
    save_dir: str | Path,
    iteration: int,
    training_state: dict[str, Any],
    model_config: dict[str, Any],
    config_files: dict[str, str],
) -> str:
    """Save on every rank (all must call); returns the tag. `latest` is updated last."""
    save_dir = Path(save_dir)
    tag = tag_for(iteration)
    tag_dir = save_dir / tag
    if _is_rank_zero():
        (tag_dir / "configs").mkdir(parents=True, exist_ok=True)
        for name, text in config_files.items():
            (tag_dir / "configs" / Path(name).name).write_text(text, encoding="utf-8")
        write_atomically(tag_dir / MODEL_CONFIG_FILE, json.dumps(model_config, indent=2, sort_keys=True))
    _barrier()
    engine.save_checkpoint(
        str(save_dir), tag=tag, client_state={TRAINING_STATE_KEY: training_state}, save_latest=False
    )
    _barrier()
    if _is_rank_zero():
        write_atomically(save_dir / LATEST_FILE, tag)
    _barrier()
    return tag


def check_model_config(tag_dir: Path, model_config: dict[str, Any]) -> None:
    """Refuse a checkpoint whose model shape differs from this run's, naming each field."""
    path = tag_dir / MODEL_CONFIG_FILE
    if not path.is_file():
        raise CheckpointError(f"{path} is missing: not a checkpoint written by this project (or incomplete)")
    saved = json.loads(path.read_text(encoding="utf-8"))
    wrong = [
        f"{key}: checkpoint {saved.get(key)!r}, this run {model_config.get(key)!r}"
        for key in SHAPE_FIELDS
        if saved.get(key) != model_config.get(key)
    ]
    if saved.get("tensor_parallel_size", 1) != model_config.get("tensor_parallel_size", 1):
        wrong.append(
            f"tensor_parallel_size: checkpoint {saved.get('tensor_parallel_size')}, this run "
            f"{model_config.get('tensor_parallel_size')} (convert it for this TP size)"
        )
    if wrong:
        raise CheckpointError(f"checkpoint {tag_dir} does not match this model: " + "; ".join(wrong))


def load_checkpoint(engine, load_dir: str | Path, model_config: dict[str, Any], weights_only: bool) -> Optional[dict]:
    """Load the `latest` checkpoint of `load_dir`; returns its training state (None when there is none).

    weights_only (`finetune: true`): the module weights only; no optimizer state is needed in the
    checkpoint and training starts from iteration 0.
    """
    load_dir = Path(load_dir)
    tag = read_latest_tag(load_dir)
    if tag is None:
        if weights_only:
            raise CheckpointError(f"finetune needs a checkpoint, but {load_dir}/{LATEST_FILE} does not exist")
        return None
    tag_dir = load_dir / tag
    if not tag_dir.is_dir():
        raise CheckpointError(f"{load_dir}/{LATEST_FILE} names {tag!r} but {tag_dir} does not exist")
    check_model_config(tag_dir, model_config)
    _, client_state = engine.load_checkpoint(
        str(load_dir),
        tag=tag,
        load_optimizer_states=not weights_only,
        load_lr_scheduler_states=False,
        load_module_only=weights_only,
    )
    if client_state is None:
        raise CheckpointError(f"DeepSpeed could not load {tag_dir}")
    if weights_only:
        return client_state.get(TRAINING_STATE_KEY, {})
    if TRAINING_STATE_KEY not in client_state:
        raise CheckpointError(
            f"{tag_dir} holds weights but no training state (a converted checkpoint?): load it with finetune: true"
        )
    return client_state[TRAINING_STATE_KEY]


def prune_checkpoints(save_dir: str | Path, keep_last_n: int) -> list[str]:
    """Delete all but the newest `keep_last_n` tags (rank 0 only); never the one `latest` names."""
    if not _is_rank_zero():
        return []
    save_dir = Path(save_dir)
    latest = read_latest_tag(save_dir)
    tags = sorted(
        (p for p in save_dir.glob("global_step*") if p.is_dir() and p.name[len("global_step"):].isdigit()),
        key=lambda p: int(p.name[len("global_step"):]),
    )
    removed = []
    for path in tags[: max(0, len(tags) - keep_last_n)]:
        if path.name != latest:
            shutil.rmtree(path)
            removed.append(path.name)
    return removed
