"""Checkpoints in the NeoX layout, through DeepSpeed.

    <save>/latest                           the tag of the newest complete checkpoint
    <save>/<tag>/mp_rank_XX_model_states.pt  one per tensor-parallel rank (DeepSpeed)
    <save>/<tag>/*_optim_states.pt           ZeRO optimizer shards (DeepSpeed)
    <save>/<tag>/configs/*.yml               the YAML files the run used
    <save>/<tag>/model_config.json           the model shape and numerics, checked before loading
    <save>/<tag>/manifest.json               size and CRC-32 of every other file, written last

A save is staged in a hidden directory and renamed to its tag once complete; `latest` is
written last, atomically. Before anything is deserialised, rank 0 checks the tag `latest`
names against its manifest (sizes, checksums) and every torch file's zip directory; a tag
that fails is skipped with a warning naming the file and the reason, and the newest tag
that passes is loaded by every rank.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence

import torch

from megatron.fault_injection import fault_point
from megatron.io import fsync_directory, fsync_tree, replace_directory, write_text_atomically

LATEST_FILE = "latest"
MODEL_CONFIG_FILE = "model_config.json"
MANIFEST_FILE = "manifest.json"
STAGING_PREFIX = ".staging-"
TRAINING_STATE_KEY = "neox"
"""Our training state lives under this one key of DeepSpeed's client state (DeepSpeed reserves
several plain names, `skipped_steps` among them)."""
FUNCTION_FIELDS = (
    "num_layers", "hidden_size", "num_attention_heads", "num_kv_heads", "intermediate_size", "vocab_size",
    "unpadded_vocab_size", "rotary_emb_base", "norm_eps",
)
"""Model config fields that change the function the model computes: a checkpoint must agree on them."""
OVERRIDABLE_FIELDS = ("rotary_emb_base", "norm_eps")
"""Fields a run may change on purpose (`override_checkpoint_model_config`); LLEMMA 7B moves Code
Llama's RoPE base from 1e6 to 1e4. Shapes cannot be overridden: the weights would not fit."""


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


def read_latest_tag(load_dir: str | Path) -> Optional[str]:
    """The tag `latest` names; None when there is no `latest`. An unreadable one raises CheckpointError."""
    latest = Path(load_dir) / LATEST_FILE
    if not latest.is_file():
        return None
    try:
        tag = latest.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointError(f"{latest} cannot be read: {error}") from error
    if tag and (_tag_iteration(tag) is None or "/" in tag):
        raise CheckpointError(f"{latest} does not hold a checkpoint tag: {tag[:80]!r}")
    return tag or None


def _crc32(path: Path) -> int:
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 24):
            crc = zlib.crc32(chunk, crc)
    return crc


def write_manifest(tag_dir: Path) -> None:
    """Record the size and CRC-32 of every file under `tag_dir` in its manifest (write it last)."""
    files = {
        str(path.relative_to(tag_dir)): {"bytes": path.stat().st_size, "crc32": _crc32(path)}
        for path in sorted(tag_dir.rglob("*")) if path.is_file() and path.name != MANIFEST_FILE
    }
    write_text_atomically(tag_dir / MANIFEST_FILE, json.dumps({"files": files}, indent=1, sort_keys=True))


def verify_tag(tag_dir: Path, checksums: bool = True) -> Optional[str]:
    """Why the tag directory cannot be loaded (naming the file), or None when it can.

    Checks, without deserialising anything: the tag is complete; every file of its manifest is
    there with its size (and, with `checksums`, its CRC-32); every torch file has an intact zip
    directory (a truncated file has none). Tags written before manifests existed get the last check.
    """
    if not tag_dir.is_dir():
        return f"{tag_dir} does not exist"
    if not is_complete(tag_dir):
        return f"{tag_dir} is incomplete ({MODEL_CONFIG_FILE} or a rank's model file is missing or unreadable)"
    manifest_path = tag_dir / MANIFEST_FILE
    if manifest_path.exists():
        try:
            entries = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
            return f"{manifest_path} cannot be read: {error}"
        for name, entry in entries.items():  # every size first: a truncation is found before any file is read
            path = tag_dir / name
            if not path.is_file():
                return f"{path} is missing"
            size = path.stat().st_size
            if size != entry["bytes"]:
                return f"{path} has {size} bytes, the manifest says {entry['bytes']} (truncated or rewritten)"
        for name, entry in entries.items() if checksums else ():
            if _crc32(tag_dir / name) != entry["crc32"]:
                return f"{tag_dir / name} fails its CRC-32 check (corrupt)"
    for path in sorted(tag_dir.glob("*.pt")):
        try:
            with zipfile.ZipFile(path) as archive:
                archive.infolist()
        except (OSError, zipfile.BadZipFile) as error:
            return f"{path} is not a readable torch file ({error})"
    return None


def staging_name(tag: str) -> str:
    return f"{STAGING_PREFIX}{tag}"


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

    Crash-safe: every file goes to a hidden staging directory, is synced to disk, listed with its
    size and checksum in the manifest (written last), and the directory is renamed to its tag only
    when all ranks are done; `latest` is rewritten atomically after that. A crash at any point
    leaves the previous checkpoint as the newest complete one. A save that fails on any rank (a
    full disk, say) removes the staging directory on rank 0, leaves the previous checkpoint and
    `latest` as they were, and raises CheckpointError on every rank (saying so when the disk is
    full). `on_files_written(tag)` runs on every rank between writing and committing.
    """
    save_dir = Path(save_dir)
    tag = tag_for(iteration)
    staging = save_dir / staging_name(tag)
    try:
        if _is_rank_zero():
            if staging.exists():
                shutil.rmtree(staging)
            (staging / "configs").mkdir(parents=True)
            for name, text in config_files.items():
                (staging / "configs" / Path(name).name).write_text(text, encoding="utf-8")
            write_text_atomically(staging / MODEL_CONFIG_FILE, json.dumps(model_config, indent=2, sort_keys=True))
        _barrier()
        engine.save_checkpoint(
            str(save_dir), tag=staging.name, client_state={TRAINING_STATE_KEY: training_state}, save_latest=False
        )
        failure = None
    except Exception as error:  # torch reports a full disk as "basic_ios::clear: iostream error"
        failure = error
    if _any_rank_failed(failure is not None):
        raise _save_failed(save_dir, staging, failure)
    _barrier()
    if on_files_written is not None:
        on_files_written(tag)
    if _is_rank_zero():
        try:
            fsync_tree(staging)
            write_manifest(staging)
            fsync_directory(staging)
        except OSError as error:
            raise _save_failed(save_dir, staging, error) from error
        # saving the same iteration again (after a roll back) retires the old tag under a name that
        # remove_stale_staging clears if this process dies in between
        replace_directory(staging, save_dir / tag, retired=save_dir / f".replaced-{tag}")
        fsync_directory(save_dir)
        fault_point("save_renamed", iteration)
        write_text_atomically(save_dir / LATEST_FILE, tag)
        fsync_directory(save_dir)
    _barrier()
    return tag


def _any_rank_failed(failed: bool) -> bool:
    if not torch.distributed.is_initialized():
        return failed
    flag = torch.tensor([1 if failed else 0], dtype=torch.int32)
    if torch.distributed.get_backend() == "nccl":
        flag = flag.cuda()
    torch.distributed.all_reduce(flag, op=torch.distributed.ReduceOp.MAX)
    return bool(flag.item())


def _disk_is_full(directory: Path) -> bool:
    """Whether writing 1 MiB more into `directory` fails with ENOSPC (the probe is removed)."""
    probe = directory / f".space-probe-{os.getpid()}"
    try:
        with open(probe, "wb") as handle:
            handle.write(b"\0" * (1 << 20))
            handle.flush()
            os.fsync(handle.fileno())
        return False
    except OSError as error:
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    finally:
        probe.unlink(missing_ok=True)


def _save_failed(save_dir: Path, staging: Path, error: Optional[BaseException]) -> CheckpointError:
    """Clean up a failed save (rank 0) and describe it; the previous checkpoint and `latest` stay."""
    full = isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)
    if _is_rank_zero():
        full = full or _disk_is_full(save_dir)
        shutil.rmtree(staging, ignore_errors=True)
    previous = "; the previous checkpoint and `latest` are unchanged"
    if full:
        return CheckpointError(f"checkpoint save to {save_dir} failed: no space left on device (the disk holding "
                               f"{save_dir} is full); removed the partial save {staging.name}{previous}")
    reason = f"{type(error).__name__}: {error}" if error is not None else "another rank failed"
    return CheckpointError(f"checkpoint save to {staging} failed ({reason}); removed the partial save{previous}")


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


def resolve_tag(load_dir: str | Path, checksums: bool = True) -> Optional[str]:
    """The tag to load: the one `latest` names when it verifies, else (with a warning naming the file
    and the reason) the newest tag that does; None when the directory holds no checkpoint at all.

    Raises CheckpointError listing every tag tried when there are checkpoints but none verifies.
    """
    load_dir = Path(load_dir)
    tried: list[str] = []
    try:
        named = read_latest_tag(load_dir)
    except CheckpointError as error:
        named = None
        tried.append(str(error))
    candidates = [named] if named else []
    if load_dir.is_dir():
        on_disk = [p.name for p in load_dir.iterdir() if p.is_dir() and _tag_iteration(p.name) is not None]
        candidates += [tag for tag in sorted(on_disk, key=_tag_iteration, reverse=True) if tag != named]
    for tag in candidates:
        reason = verify_tag(load_dir / tag, checksums)
        if reason is None:
            if tried:
                warnings.warn(f"skipping unloadable checkpoints: {'; '.join(tried)}; loading {load_dir / tag}",
                              stacklevel=2)
            return tag
        tried.append(reason)
    if tried:
        raise CheckpointError(f"{load_dir} holds no loadable checkpoint; tried: " + "; ".join(tried))
    return None


def remove_stale_staging(save_dir: str | Path) -> list[Path]:
    """Delete the staging directories an interrupted save left behind (rank 0, before any save)."""
    save_dir = Path(save_dir)
    if not _is_rank_zero() or not save_dir.is_dir():
        return []
    stale = sorted(p for p in save_dir.iterdir() if p.is_dir() and p.name.startswith((STAGING_PREFIX, ".replaced-")))
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def check_model_config(
    tag_dir: Path,
    model_config: dict[str, Any],
    overrides: Sequence[str] = (),
    run_sources: Optional[Mapping[str, str]] = None,
) -> list[str]:
    """Refuse a checkpoint whose model computes a different function from this run's.

    Compares every field of FUNCTION_FIELDS (shapes, the real vocabulary, RoPE base, norm eps) and
    the tensor-parallel size. A field named in `overrides` (the config's
    `override_checkpoint_model_config`) may differ on purpose: the run's value is used and the
    change is returned as a message to log. Any other difference raises CheckpointError naming the
    field, both values, the checkpoint's model_config.json and where the run's value comes from
    (`run_sources`: field -> config file:line).
    """
    path = tag_dir / MODEL_CONFIG_FILE
    if not path.is_file():
        raise CheckpointError(f"{path} is missing: not a checkpoint written by this project (or incomplete)")
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CheckpointError(f"{path} cannot be read: {error}") from error
    ours, theirs = _function_fields(model_config), _function_fields(saved)
    sources = run_sources or {}
    wrong, overridden = [], []
    for key in (*FUNCTION_FIELDS, "tensor_parallel_size"):
        if theirs[key] == ours[key]:
            continue
        source = f" ({sources[key]})" if key in sources else ""
        change = f"{key}: checkpoint {theirs[key]!r} ({path}), this run {ours[key]!r}{source}"
        if key in overrides:
            overridden.append(f"{change}: using this run's value, as override_checkpoint_model_config declares")
        elif key == "tensor_parallel_size":
            wrong.append(change + " (convert the checkpoint for this TP size)")
        else:
            wrong.append(change)
    if wrong:
        hint = ""
        if any(line.startswith(OVERRIDABLE_FIELDS) for line in wrong):
            hint = (f"; if the change is deliberate, list the field in override_checkpoint_model_config "
                    f"(allowed: {', '.join(OVERRIDABLE_FIELDS)})")
        raise CheckpointError(f"checkpoint {tag_dir} does not match this model: " + "; ".join(wrong) + hint)
    return overridden


def _function_fields(config: Mapping[str, Any]) -> dict[str, Any]:
    """The fields that change the function a model computes, with defaults resolved (a checkpoint
    written before a field existed holds its default)."""
    values = {key: config.get(key) for key in FUNCTION_FIELDS}
    values["num_kv_heads"] = values["num_kv_heads"] or values["num_attention_heads"]  # None = multi-head
    values["unpadded_vocab_size"] = values["unpadded_vocab_size"] or values["vocab_size"]  # None = no padding
    for key, default in (("rotary_emb_base", 10000.0), ("norm_eps", 1e-5)):
        values[key] = float(config.get(key, default))
    values["tensor_parallel_size"] = int(config.get("tensor_parallel_size", 1))
    return values


def agreed_tag(load_dir: str | Path) -> Optional[str]:
    """`resolve_tag` run once, on rank 0, and handed to every rank (its error too, so all stop alike)."""
    outcome: list[Any] = [None, None]
    if _is_rank_zero():
        try:
            outcome = [resolve_tag(load_dir), None]
        except CheckpointError as error:
            outcome = [None, str(error)]
    if torch.distributed.is_initialized() and torch.distributed.get_world_size() > 1:
        torch.distributed.broadcast_object_list(outcome, src=0)
    tag, error = outcome
    if error is not None:
        raise CheckpointError(error)
    return tag


def load_checkpoint(
    engine,
    load_dir: str | Path,
    model_config: dict[str, Any],
    weights_only: bool,
    overrides: Sequence[str] = (),
    run_sources: Optional[Mapping[str, str]] = None,
) -> Optional[dict]:
    """Load the newest loadable checkpoint of `load_dir`; returns its training state (None when there is none).

    The tag is verified before anything is read (see `resolve_tag`) and its model config compared
    with this run's (see `check_model_config`; declared overrides are warned about).
    weights_only (`finetune: true`): the module weights only; no optimizer state is needed in the
    checkpoint and training starts from iteration 0.
    """
    load_dir = Path(load_dir)
    tag = agreed_tag(load_dir)
    if tag is None:
        if weights_only:
            raise CheckpointError(f"finetune needs a checkpoint, but {load_dir} holds none")
        return None
    tag_dir = load_dir / tag
    for change in check_model_config(tag_dir, model_config, overrides, run_sources):
        if _is_rank_zero():
            warnings.warn(change, stacklevel=2)
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
    latest = read_latest_tag(save_dir)  # written by this run just before: readable
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
    model in memory: for evaluation and tests; the converters stream instead. Reads through
    `megatron.checkpoint_reader` (the tag verified and resolved as training resolves it).
    """
    from megatron.checkpoint_reader import CheckpointReader

    reader = CheckpointReader.open(load_dir, tag)
    return reader.config.to_dict(), reader.merged_state_dict()
