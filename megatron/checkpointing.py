"""Checkpoints in the NeoX layout, through DeepSpeed.

    <save>/latest                           the tag of the newest complete checkpoint
    <save>/<tag>/mp_rank_XX_model_states.pt  one per tensor-parallel rank (DeepSpeed)
    <save>/<tag>/*_optim_states.pt           ZeRO optimizer shards (DeepSpeed)
    <save>/<tag>/configs/*.yml               the YAML files the run used
    <save>/<tag>/model_config.json           the model shape, checked before loading

A save is staged in a hidden directory and renamed to its tag once complete; `latest` is
written last, atomically. Loading skips incomplete tags.
"""
from __future__ import annotations

import json
import os
import shutil
import warnings
from pathlib import Path
from typing import Any, Callable, Optional

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


def model_states_file(rank: int) -> str:
    """DeepSpeed's per-tensor-parallel-rank model file inside a tag directory."""
    return f"mp_rank_{rank:02d}_model_states.pt"


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


def _fsync_tree(directory: Path) -> None:
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def staging_name(tag: str) -> str:
    return f".staging-{tag}"


def save_checkpoint(
    engine,
    save_dir: str | Path,
    iteration: int,
    training_state: dict[str, Any],
    model_config: dict[str, Any],
    config_files: dict[str, str],
    on_files_written: Optional[Callable[[str], None]] = None,
) -> str:
    """Save on every rank (all must call); returns the tag.

    Crash-safe: every file goes to a hidden staging directory, is synced to disk, and the
    directory is renamed to its tag only when all ranks are done; `latest` is rewritten
    atomically after that. A crash at any point leaves the previous checkpoint as the newest
    complete one. `on_files_written(tag)` runs on every rank between writing and committing.
    """
    save_dir = Path(save_dir)
    tag = tag_for(iteration)
    staging = save_dir / staging_name(tag)
    if _is_rank_zero():
        if staging.exists():
            shutil.rmtree(staging)
        (staging / "configs").mkdir(parents=True)
        for name, text in config_files.items():
            (staging / "configs" / Path(name).name).write_text(text, encoding="utf-8")
        write_atomically(staging / MODEL_CONFIG_FILE, json.dumps(model_config, indent=2, sort_keys=True))
    _barrier()
    engine.save_checkpoint(
        str(save_dir), tag=staging.name, client_state={TRAINING_STATE_KEY: training_state}, save_latest=False
    )
    _barrier()
    if on_files_written is not None:
        on_files_written(tag)
    if _is_rank_zero():
        _fsync_tree(staging)
        final = save_dir / tag
        if final.exists():  # saving the same iteration again, e.g. after a roll back
            replaced = save_dir / f".replaced-{tag}"
            os.replace(final, replaced)
            os.replace(staging, final)
            shutil.rmtree(replaced)
        else:
            os.replace(staging, final)
        _fsync_directory(save_dir)
        write_atomically(save_dir / LATEST_FILE, tag)
        _fsync_directory(save_dir)
    _barrier()
    return tag


def _tag_iteration(name: str) -> Optional[int]:
    suffix = name[len("global_step"):]
    return int(suffix) if name.startswith("global_step") and suffix.isdigit() else None


def is_complete(tag_dir: Path) -> bool:
    """A committed tag directory with its model config and one model file per tensor-parallel rank."""
    config_path = tag_dir / MODEL_CONFIG_FILE
    if not tag_dir.is_dir() or not config_path.is_file():
        return False
    try:
        tp = int(json.loads(config_path.read_text(encoding="utf-8")).get("tensor_parallel_size", 1))
    except (ValueError, json.JSONDecodeError):
        return False
    return all((tag_dir / model_states_file(rank)).is_file() for rank in range(tp))


def complete_tags(save_dir: str | Path) -> list[str]:
    """Complete checkpoint tags of a directory, oldest first."""
    save_dir = Path(save_dir)
    if not save_dir.is_dir():
        return []
    tags = [p.name for p in save_dir.iterdir() if _tag_iteration(p.name) is not None and is_complete(p)]
    return sorted(tags, key=_tag_iteration)


def resolve_tag(load_dir: str | Path) -> Optional[str]:
    """The tag to load: `latest` when it names a complete checkpoint, else (with a warning) the
    newest complete one; None when the directory holds none."""
    load_dir = Path(load_dir)
    tag = read_latest_tag(load_dir)
    if tag is not None and is_complete(load_dir / tag):
        return tag
    tags = complete_tags(load_dir)
    if tag is not None or tags:
        fallback = tags[-1] if tags else None
        warnings.warn(
            f"{load_dir}/{LATEST_FILE} names {tag!r}, which is missing or incomplete; "
            + (f"loading the newest complete checkpoint {fallback!r} instead" if fallback else "no complete checkpoint exists"),
            stacklevel=2,
        )
        return fallback
    return None


def check_model_config(tag_dir: Path, model_config: dict[str, Any]) -> None:
    """Refuse a checkpoint whose model shape differs from this run's, naming each field."""
    path = tag_dir / MODEL_CONFIG_FILE
    if not path.is_file():
        raise CheckpointError(f"{path} is missing: not a checkpoint written by this project (or incomplete)")
    saved = json.loads(path.read_text(encoding="utf-8"))

    def shape(config: dict[str, Any]) -> dict[str, Any]:
        values = {key: config.get(key) for key in SHAPE_FIELDS}
        values["num_kv_heads"] = values["num_kv_heads"] or values["num_attention_heads"]  # None = multi-head
        return values

    ours, theirs = shape(model_config), shape(saved)
    wrong = [f"{key}: checkpoint {theirs[key]!r}, this run {ours[key]!r}" for key in SHAPE_FIELDS if theirs[key] != ours[key]]
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
    tag = resolve_tag(load_dir)
    if tag is None:
        if weights_only:
            raise CheckpointError(f"finetune needs a checkpoint, but {load_dir} holds no complete one")
        return None
    tag_dir = load_dir / tag
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
    tags = complete_tags(save_dir)
    removed = []
    for tag in tags[: max(0, len(tags) - keep_last_n)]:
        if tag != latest:
            shutil.rmtree(save_dir / tag)
            removed.append(tag)
    return removed


def load_merged_state_dict(load_dir: str | Path, tag: Optional[str] = None) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
    """The model of a checkpoint as one full (unsplit) state dict on the CPU, whatever its TP size.

    Returns (model config dict without `tensor_parallel_size`, full state dict). Holds the whole
    model in memory: for evaluation and tests; the converters stream instead.
    """
    from megatron.model import ModelConfig
    from megatron.model.layout import merge_state_dicts

    load_dir = Path(load_dir)
    tag = tag or resolve_tag(load_dir)
    if tag is None:
        raise CheckpointError(f"{load_dir} holds no complete checkpoint")
    tag_dir = load_dir / tag
    if not is_complete(tag_dir):
        raise CheckpointError(f"{tag_dir} is not a complete checkpoint (model config or a rank's model file is missing)")
    config = json.loads((tag_dir / MODEL_CONFIG_FILE).read_text(encoding="utf-8"))
    tensor_parallel_size = int(config.pop("tensor_parallel_size", 1))
    shards = [
        torch.load(tag_dir / model_states_file(rank), map_location="cpu", weights_only=False)["module"]
        for rank in range(tensor_parallel_size)
    ]
    return config, merge_state_dicts(shards, ModelConfig.from_dict(config))
