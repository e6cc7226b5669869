"""What deepy.py checks before any rank starts: every file and directory the run will read or write.

Loading the config already checked its types and rules (`megatron.neox_arguments`). These checks
touch the disk: the data prefixes (both files, a valid `.idx` header that describes its `.bin`),
the tokenizer, the checkpoint to load (a loadable tag whose model config matches this run's) and
the save directory (writable). Every pickled file of the checkpoint is scanned (its opcodes read,
nothing executed) for types beyond the allowlist of `megatron.checkpoint_reader`, so an unsafe
file is refused here, before any rank unpickles it. A resume at another data- or tensor-parallel
size must keep the checkpoint's global batch (the ranks reshard the checkpoint on load). Each
failure is a ConfigError naming the config file, line and key, minutes before the same mistake
would have surfaced inside every rank.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

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
