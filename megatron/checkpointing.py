"""Saving checkpoints in the NeoX layout through DeepSpeed, and loading them into a run.

The layout, finding and verifying a tag, and deserialising its files (weights-only, with an
allowlist) live in `megatron.checkpoint_reader`; this module writes, and hands DeepSpeed a
checkpoint engine that reads through the reader.

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
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence

import torch

from megatron.checkpoint_reader import (
    ADAM_MOMENTS, LATEST_FILE, MANIFEST_FILE, MODEL_CONFIG_FILE, CheckpointError, CheckpointReader, ZeroOptimizerState,
    check_model_config, complete_tags, crc32, install_safe_loading, read_latest_tag, read_model_config, resolve_tag,
    saved_data_parallel_size, tag_for,
)
from megatron.checkpoint_reader import (  # noqa: F401  (reading names callers still take from here)
    UnsafeCheckpointError, load_merged_state_dict, verify_tag,
)
from megatron.fault_injection import fault_point
from megatron.io import fsync_directory, fsync_tree, replace_directory, write_text_atomically
from megatron.model import layout

STAGING_PREFIX = ".staging-"
TRAINING_STATE_KEY = "neox"
"""Our training state lives under this one key of DeepSpeed's client state (DeepSpeed reserves
several plain names, `skipped_steps` among them)."""


def _is_rank_zero() -> bool:
    return not torch.distributed.is_initialized() or torch.distributed.get_rank() == 0


def _barrier() -> None:
    if torch.distributed.is_initialized():
        torch.distributed.barrier()


def write_manifest(tag_dir: Path) -> None:
    """Record the size and CRC-32 of every file under `tag_dir` in its manifest (write it last)."""
    files = {
        str(path.relative_to(tag_dir)): {"bytes": path.stat().st_size, "crc32": crc32(path)}
        for path in sorted(tag_dir.rglob("*")) if path.is_file() and path.name != MANIFEST_FILE
    }
    write_text_atomically(tag_dir / MANIFEST_FILE, json.dumps({"files": files}, indent=1, sort_keys=True))


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


def remove_stale_staging(save_dir: str | Path) -> list[Path]:
    """Delete the staging directories an interrupted save left behind (rank 0, before any save)."""
    save_dir = Path(save_dir)
    if not _is_rank_zero() or not save_dir.is_dir():
        return []
    stale = sorted(p for p in save_dir.iterdir() if p.is_dir() and p.name.startswith((STAGING_PREFIX, ".replaced-")))
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


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
    trust_checkpoint_code: bool = False,
) -> Optional[dict]:
    """Load the newest loadable checkpoint of `load_dir`; returns its training state (None when there is none).

    The tag is verified before anything is read (see `resolve_tag`) and its model config compared
    with this run's (see `check_model_config`; declared overrides are warned about).
    weights_only (`finetune: true`): the module weights only; no optimizer state is needed in the
    checkpoint and training starts from iteration 0.
    Every file DeepSpeed reads goes through `checkpoint_reader.load_torch_file` (weights-only with
    the allowlist, unless `trust_checkpoint_code`): a file that names another type raises
    UnsafeCheckpointError before any of it is unpickled.
    A checkpoint written at another tensor-parallel or data-parallel size is resharded on load
    (`load_resharded`); with weights_only only a tensor-parallel change matters.
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
    saved = (int(read_model_config(tag_dir).get("tensor_parallel_size", 1)), saved_data_parallel_size(tag_dir))
    run = (engine.mpu.get_model_parallel_world_size(), engine.mpu.get_data_parallel_world_size())
    if saved[0] != run[0] or (not weights_only and saved[1] != run[1]):
        if _is_rank_zero():
            print(f"resharding {tag_dir} from tensor parallel {saved[0]} x data parallel {saved[1]} to "
                  f"{run[0]} x {run[1]}", flush=True)
        client_state = load_resharded(engine, CheckpointReader.open(load_dir, tag, trust_checkpoint_code),
                                      weights_only)
    else:
        install_safe_loading(engine, trust_checkpoint_code)
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


def load_resharded(engine, reader: CheckpointReader, weights_only: bool) -> dict[str, Any]:
    """Load a checkpoint of another topology into `engine` (every rank calls); returns the client state.

    Every parameter's full tensor is rebuilt from the checkpoint's tensor-parallel shards (the layout
    module's split dims and QKV / gate-up packing), cut for this rank's tensor-parallel rank and
    copied into the module. Unless weights_only, the fp32 master weights and Adam's moments are
    rebuilt the same way from the ZeRO shards (`ZeroOptimizerState`), and the part of each that falls
    in this rank's ZeRO-1 partition is written into DeepSpeed's optimizer, with the step count.
    A padded vocabulary that changes with the tensor-parallel size is cut or padded with zeros past
    the real vocabulary (those ids get -inf logits). One parameter is held whole at a time.
    """
    optimizer = engine.optimizer
    tp_rank, tp_size = engine.mpu.get_model_parallel_rank(), engine.mpu.get_model_parallel_world_size()
    layouts = layout.parameter_layouts(reader.config)
    run_layouts = layout.parameter_layouts(engine.module.config)
    names = {id(param): name for name, param in engine.module.named_parameters()}

    def local_shard(full: torch.Tensor, name: str) -> torch.Tensor:
        """This rank's piece of a full tensor of the checkpoint; vocabulary rows past the real
        vocabulary are padding, re-padded with zeros to this run's padded size."""
        rows = run_layouts[name].shape[0]
        if name in (layout.EMBEDDING, layout.OUTPUT) and full.shape[0] != rows:
            kept = min(rows, full.shape[0])
            full = torch.cat([full[:kept], full.new_zeros((rows - kept, *full.shape[1:]))])
        return layout.shard_tensor(full, run_layouts[name], tp_rank, tp_size)

    with torch.no_grad():
        if weights_only:
            shards = reader.open_shards()
            for name, param in engine.module.named_parameters():
                spec = layouts[name]
                full = shards[0][name] if spec.split_dim is None else layout.merge_tensor(
                    [shard[name] for shard in shards], spec, name)
                param.copy_(local_shard(full, name))
            if hasattr(optimizer, "refresh_fp32_params"):
                optimizer.refresh_fp32_params()
            return reader.load_rank(0)
        zero = ZeroOptimizerState(reader)
        for group, (params, offsets, master) in enumerate(_flat_groups(optimizer)):
            dp_rank = torch.distributed.get_rank(group=optimizer.real_dp_process_group[group])
            low = dp_rank * master.numel()  # every rank's partition has the same size, padding included
            high = low + master.numel()
            state = optimizer.optimizer.state[master]
            for key in ADAM_MOMENTS:
                state.setdefault(key, torch.zeros_like(master))
            targets = {"fp32": master, "exp_avg": state["exp_avg"], "exp_avg_sq": state["exp_avg_sq"]}
            for target in targets.values():
                target.zero_()  # the partition's padding
            for param, offset in zip(params, offsets):
                name = names[id(param)]
                master_weight = local_shard(zero.tensor(name, "fp32"), name)
                param.copy_(master_weight)
                start, stop = max(low, offset), min(high, offset + param.numel())
                if start >= stop:
                    continue  # another data-parallel rank's part
                for key, target in targets.items():
                    value = master_weight if key == "fp32" else local_shard(zero.tensor(name, key), name)
                    target[start - low: stop - low].copy_(value.reshape(-1)[start - offset: stop - offset])
            step = state.get("step")
            if torch.is_tensor(step):
                step.fill_(zero.step)
            else:
                state["step"] = torch.tensor(zero.step, dtype=torch.float32)
    engine.global_steps = zero.model_states["global_steps"]
    engine.global_samples = zero.model_states.get("global_samples", engine.global_steps * engine.train_batch_size())
    engine.skipped_steps = zero.model_states["skipped_steps"]
    return zero.model_states


def _flat_groups(optimizer) -> list[tuple[list[torch.Tensor], list[int], torch.Tensor]]:
    """(parameters, their offsets in the flat group, this rank's fp32 partition) per parameter group
    of DeepSpeed's ZeRO-1/2 optimizer or of the BF16 optimizer it uses for bf16 with fp32 accumulation."""
    if hasattr(optimizer, "round_robin_bit16_groups"):
        return list(zip(optimizer.round_robin_bit16_groups, optimizer.round_robin_bit16_offsets,
                        optimizer.single_partition_of_fp32_groups))
    if hasattr(optimizer, "bf16_groups"):
        groups = []
        for params, master in zip(optimizer.bf16_groups, optimizer.fp32_groups_flat_partition):
            offsets = [sum(p.numel() for p in params[:index]) for index in range(len(params))]
            groups.append((params, offsets, master))
        return groups
    raise CheckpointError(f"cannot reshard into DeepSpeed's {type(optimizer).__name__} (ZeRO stage 1/2 only)")
