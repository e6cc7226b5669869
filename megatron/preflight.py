"""What deepy.py checks before any rank starts: every file and directory the run will read or write.

Loading the config already checked its types and rules (`megatron.neox_arguments`). These checks
touch the disk: the data prefixes (both files, a valid `.idx` header that describes its `.bin`),
the tokenizer, the checkpoint to load (a loadable tag whose model config matches this run's) and
the save directory (writable), and whether the model's parameters, gradients and optimizer state
fit the memory of one rank (`check_memory`). Every pickled file of the checkpoint is scanned (its
opcodes read, nothing executed) for types beyond the allowlist of `megatron.checkpoint_reader`, so
an unsafe file is refused here, before any rank unpickles it. A resume at another data- or
tensor-parallel size must keep the checkpoint's global batch (the ranks reshard the checkpoint on
load). Each failure is a ConfigError naming the config file, line and key, minutes before the same
mistake would have surfaced inside every rank.
"""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from megatron import checkpoint_reader
from megatron.data.indexed_dataset import IndexedDatasetError, IndexedDatasetReader
from megatron.data.spec import SPLIT_NAMES
from megatron.neox_arguments import ConfigError, NeoXArgs
from megatron.neox_arguments.arguments import has_data
from megatron.neox_arguments.model_config import model_config_from_args, model_config_sources
from megatron.tokenizer import Tokenizer, build_tokenizer


def check_before_launch(args: NeoXArgs) -> None:
    """Raise ConfigError for the first input of the run that is missing, unreadable or inconsistent."""
    check_data_files(args)
    tokenizer = check_tokenizer(args)
    check_load(args, tokenizer)
    check_save(args)
    check_memory(args, tokenizer.vocab_size)


def check_data_files(args: NeoXArgs) -> None:
    data = args.data
    if not has_data(data):
        raise ConfigError(
            f"{args.where('data_path')}: no training data: set 'data_path' or 'train_data_paths' "
            f"(each an indexed-dataset prefix written by tools/preprocess_data.py)"
        )
    keys = ["data_path"] + [f"{split}_data_paths" for split in SPLIT_NAMES]
    for key in keys:
        for index, prefix in enumerate(getattr(data, key) or []):
            try:
                IndexedDatasetReader(prefix)
            except (FileNotFoundError, IndexedDatasetError) as error:
                hint = ""
                if prefix.endswith((".bin", ".idx")):
                    hint = f" (give the prefix without the extension: {prefix[:-4]!r})"
                raise ConfigError(f"{args.where(key)}: '{key}[{index}]' = {prefix!r}: {error}{hint}") from error


def check_tokenizer(args: NeoXArgs) -> Tokenizer:
    vocab_file = args.tokenizer.vocab_file
    if vocab_file and not Path(vocab_file).is_file():
        raise ConfigError(f"{args.where('vocab_file')}: 'vocab_file' {vocab_file} does not exist")
    try:
        return build_tokenizer(args.tokenizer.tokenizer_type, vocab_file, args.tokenizer.merge_file)
    except (ValueError, OSError, RuntimeError) as error:
        raise ConfigError(f"{args.where('vocab_file')}: 'vocab_file' {vocab_file}: {error}") from error


def check_load(args: NeoXArgs, tokenizer: Tokenizer) -> None:
    """The `load` directory exists, holds a loadable checkpoint (or none, for a fresh start), and
    that checkpoint's model computes what this run's config describes. When `load` is the run's
    own `save` directory (NeoX's pattern: both in every config of a run), it need not exist yet."""
    load = args.checkpoint.load
    if not load:
        return
    where = args.where("load")
    if not Path(load).is_dir():
        if loads_own_save(args) and not args.checkpoint.finetune:
            return  # NeoX's first launch of a run: the ranks start from scratch and say so
        save = args.checkpoint.save
        raise ConfigError(f"{where}: 'load' directory {load} does not exist"
                          + (f" (and is not the 'save' directory {save}: a typo?)" if save else ""))
    try:
        # Sizes and zip directories only: rank 0 verifies the checksums again before loading.
        tag = checkpoint_reader.resolve_tag(load, checksums=False)
    except checkpoint_reader.CheckpointError as error:
        raise ConfigError(f"{where}: 'load': {error}") from error
    if tag is None:
        if args.checkpoint.finetune:
            raise ConfigError(f"{args.where('finetune')}: 'finetune: true' needs a checkpoint, but {load} holds none")
        return
    if not args.checkpoint.trust_checkpoint_code:
        try:
            checkpoint_reader.check_tag_is_safe(Path(load) / tag)
        except checkpoint_reader.CheckpointError as error:
            raise ConfigError(f"{where}: 'load': {error}") from error
    run_config = {**model_config_from_args(args, tokenizer.vocab_size).to_dict(),
                  "tensor_parallel_size": args.parallel.model_parallel_size}
    try:
        checkpoint_reader.check_model_config(Path(load) / tag, run_config,
                                         args.checkpoint.override_checkpoint_model_config, model_config_sources(args))
    except checkpoint_reader.CheckpointError as error:
        raise ConfigError(f"{where}: 'load': {error}") from error
    if not args.checkpoint.finetune:
        check_topology_change(args, Path(load) / tag)


def check_topology_change(args: NeoXArgs, tag_dir: Path) -> None:
    """A resume at another data- or tensor-parallel size keeps the checkpoint's global batch, so
    that the data continues where it stopped and the optimizer steps stay the same; a run whose
    batch keys give another global batch is refused, naming them (set `train_batch_size` and the
    accumulation follows from the rank count)."""
    saved_tp = int(checkpoint_reader.read_model_config(tag_dir).get("tensor_parallel_size", 1))
    saved_dp = checkpoint_reader.saved_data_parallel_size(tag_dir)
    batch = args.derived.batch
    if saved_dp == 0 or (saved_tp, saved_dp) == (args.parallel.model_parallel_size, batch.data_parallel_size):
        return
    model_file = tag_dir / checkpoint_reader.model_states_file(0)
    try:
        ds_config = checkpoint_reader.load_torch_file(model_file, args.checkpoint.trust_checkpoint_code).get("ds_config")
    except checkpoint_reader.CheckpointError as error:
        raise ConfigError(f"{args.where('load')}: 'load': {error}") from error
    saved_batch = (ds_config or {}).get("train_batch_size")
    if saved_batch is None or saved_batch == batch.train_batch_size:
        return
    keys = ", ".join(f"'{key}' ({args.where(key)})" for key in
                     ("train_batch_size", "train_micro_batch_size_per_gpu", "gradient_accumulation_steps", "num_gpus"))
    raise ConfigError(
        f"{args.where('load')}: 'load': {tag_dir} was trained at tensor parallel {saved_tp} x data parallel "
        f"{saved_dp} with a global batch of {saved_batch} sequences; this run (tensor parallel "
        f"{args.parallel.model_parallel_size} x data parallel {batch.data_parallel_size}) would use "
        f"{batch.train_batch_size} = micro batch {batch.micro_batch_size} x accumulation "
        f"{batch.gradient_accumulation_steps} x data parallel {batch.data_parallel_size}, which would not continue "
        f"the data and the optimizer where they stopped; set train_batch_size: {saved_batch} (the accumulation "
        f"then follows from the rank count) and check {keys}"
    )


def loads_own_save(args: NeoXArgs) -> bool:
    """`load` and `save` name one directory: the run resumes from its own checkpoints, if any."""
    load, save = args.checkpoint.load, args.checkpoint.save
    return bool(load and save) and Path(load).resolve() == Path(save).resolve()


def check_save(args: NeoXArgs) -> None:
    save = args.checkpoint.save
    if not save:
        return
    where = args.where("save")
    try:
        Path(save).mkdir(parents=True, exist_ok=True)
        probe = Path(save) / f".write-probe-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        os.unlink(probe)
    except OSError as error:
        raise ConfigError(f"{where}: 'save' directory {save} is not writable: {error}") from error


GIB = 2**30


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes one rank needs for the model's state at least: parameters, gradients and Adam state
    (fp32 master weights under bf16, two moments), ZeRO-1 sharding the optimizer state over data
    parallel. Activations, buffers and the framework's own use come on top."""

    parameters: int
    """Parameters of the whole model."""
    per_rank_parameters: int
    weights: int
    gradients: int
    optimizer: int

    @property
    def total(self) -> int:
        return self.weights + self.gradients + self.optimizer


def estimate_memory(args: NeoXArgs, vocab_size: int) -> MemoryEstimate:
    from megatron.model import count_parameters

    parameters = count_parameters(model_config_from_args(args, vocab_size))
    per_rank = -(-parameters // args.parallel.model_parallel_size)
    bf16 = args.precision.bf16.enabled
    weight_bytes = 2 if bf16 else 4
    optimizer_bytes = 8 + (4 if bf16 else 0)  # two fp32 moments (+ fp32 master weights)
    shards = args.derived.batch.data_parallel_size if args.precision.zero_optimization.stage >= 1 else 1
    return MemoryEstimate(parameters, per_rank, per_rank * weight_bytes, per_rank * weight_bytes,
                          -(-per_rank * optimizer_bytes // shards))


def memory_per_rank(args: NeoXArgs) -> Optional[tuple[int, str]]:
    """Bytes one rank may use, and what they are: the smallest local GPU's memory, or on a CPU
    machine the host's physical memory shared by the ranks on it. None when this machine says
    nothing about the ranks' (no GPU here, and a hostfile sends the ranks to other machines)."""
    import torch

    if torch.cuda.is_available() and torch.cuda.device_count():
        # total_memory needs no CUDA context (mem_get_info would keep one alive in the launcher)
        total = min(torch.cuda.get_device_properties(i).total_memory for i in range(torch.cuda.device_count()))
        return total, f"{total / GIB:.1f} GiB of GPU memory"
    if args.launcher.hostfile:
        return None
    host = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    ranks_here = args.launcher.num_gpus or max(1, args.derived.world_size // (args.launcher.num_nodes or 1))
    return host // ranks_here, f"{host / GIB:.1f} GiB of host memory shared by {ranks_here} rank(s)"


def check_memory(args: NeoXArgs, vocab_size: int, available: Optional[tuple[int, str]] = None) -> MemoryEstimate:
    """Refuse a model whose state alone cannot fit one rank, naming the keys that size it."""
    estimate = estimate_memory(args, vocab_size)
    available = available or memory_per_rank(args)
    if available is None:
        return estimate
    limit, what = available
    if estimate.total > limit:
        config = model_config_from_args(args, vocab_size)
        sizes = ", ".join(
            f"{key} {value:,} ({args.where(key)})"
            for key, value in (("hidden_size", config.hidden_size), ("num_layers", config.num_layers),
                               ("intermediate_size", config.intermediate_size))
        )
        raise ConfigError(
            f"{args.where('hidden_size')}: the model cannot fit: {estimate.parameters:,} parameters "
            f"({sizes}, padded vocabulary {config.vocab_size:,} from vocab_file and make_vocab_size_divisible_by) "
            f"need at least {estimate.total / GIB:,.1f} GiB per rank for weights, gradients and optimizer state "
            f"(tensor parallel {args.parallel.model_parallel_size}, data parallel "
            f"{args.derived.batch.data_parallel_size}, ZeRO stage {args.precision.zero_optimization.stage}, "
            f"{'bf16' if args.precision.bf16.enabled else 'fp32'}; activations not counted), but a rank has {what}. "
            f"Shrink the model or raise model_parallel_size"
        )
    return estimate
