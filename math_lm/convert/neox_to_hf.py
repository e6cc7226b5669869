"""NeoX checkpoint (any tensor-parallel size, the DeepSpeed layout) -> HF Llama directory.

Output: `model.safetensors` (or `model-XXXXX-of-YYYYY.safetensors` + index), `config.json`,
`generation_config.json`, and the tokenizer (`tokenizer.json`, `tokenizer_config.json`,
`tokenizer.model`), loadable offline with `AutoModelForCausalLM` / `AutoTokenizer`.

The vocabulary is trimmed back from the run's padded size to the model's own: the size recorded
by the HF/Meta converter in `conversion.json`, else the tokenizer's. The tokenizer is `--tokenizer`,
else the `vocab_file` of the run's saved configs, else the one the converter copied into the tag.
"""
from __future__ import annotations

import json
import math
import time
from pathlib import Path

import torch
from tqdm import tqdm

from megatron.checkpoint_reader import CheckpointError, CheckpointReader
from megatron.model import layout
from megatron.model.config import ModelConfig

from math_lm.convert import tensor_map
from math_lm.convert.common import ConversionError, cast, output_directory, report
from math_lm.convert.hf_tokenizer import save_hf_tokenizer, special_token_ids
from math_lm.convert.neox_format import TOKENIZER_FILE

DEFAULT_MAX_SHARD_BYTES = 5 * 1024**3


def tokenizer_of_configs(configs: list[Path]) -> Path | None:
    """The SentencePiece `vocab_file` that these run config files name, if it exists."""
    from megatron.neox_arguments.loading import merge_config_files

    try:
        settings = merge_config_files(configs)
    except ValueError as error:
        raise ConversionError(f"{', '.join(map(str, configs))}: {error}") from error
    vocab_file = settings.get("vocab_file")
    tokenizer_type = settings.get("tokenizer_type")
    if vocab_file is not None and (tokenizer_type is None or tokenizer_type.value == "SPMTokenizer"):
        path = Path(vocab_file.value)
        if path.is_file():
            return path
    return None


def find_tokenizer(checkpoint: CheckpointReader) -> Path | None:
    """The SentencePiece model this checkpoint was trained or converted with, if it says."""
    configs = sorted((checkpoint.tag_dir / "configs").glob("*.y*ml"))
    if configs:
        path = tokenizer_of_configs(configs)
        if path is not None:
            return path
    copied = checkpoint.tag_dir / TOKENIZER_FILE
    return copied if copied.is_file() else None


def hf_vocab_size(checkpoint: CheckpointReader, tokenizer_vocab_size: int) -> int:
    """How many vocabulary rows the HF model keeps (the rest is the run's padding)."""
    padded = checkpoint.config.vocab_size
    original = checkpoint.config.unpadded_vocab_size or checkpoint.conversion.get("original_vocab_size", tokenizer_vocab_size)
    if original > padded:
        raise ConversionError(f"{checkpoint.tag_dir}: the vocabulary has {original} entries, but the checkpoint "
                              f"holds only {padded} rows")
    if tokenizer_vocab_size > original:
        raise ConversionError(f"the tokenizer has {tokenizer_vocab_size} pieces, more than the model's "
                              f"{original} vocabulary rows: wrong --tokenizer?")
    return original


def plan_files(config: ModelConfig, vocab_size: int, element_size: int, max_bytes: int) -> list[list[str]]:
    """Our parameter names grouped, in layout order, into output files of at most `max_bytes`
    (a single larger tensor gets a file of its own)."""
    groups: list[list[str]] = [[]]
    size = 0
    for name, spec in layout.parameter_layouts(config).items():
        shape = (vocab_size, *spec.shape[1:]) if tensor_map.is_vocab_parameter(name) else spec.shape
        tensor_bytes = math.prod(shape) * element_size
        if groups[-1] and size + tensor_bytes > max_bytes:
            groups.append([])
            size = 0
        groups[-1].append(name)
        size += tensor_bytes
    return groups


def hf_config(config: ModelConfig, vocab_size: int, dtype: torch.dtype, special_ids: dict[str, int | None]):
    from transformers import LlamaConfig

    return LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=config.hidden_size,
        intermediate_size=config.intermediate_size,
        num_hidden_layers=config.num_layers,
        num_attention_heads=config.num_attention_heads,
        num_key_value_heads=config.kv_heads,
        head_dim=config.head_dim,
        max_position_embeddings=config.seq_length,
        rms_norm_eps=config.norm_eps,
        rope_parameters={"rope_type": "default", "rope_theta": float(config.rotary_emb_base)},
        hidden_act="silu",
        tie_word_embeddings=False,
        attention_bias=False,
        mlp_bias=False,
        bos_token_id=special_ids["bos"],
        eos_token_id=special_ids["eos"],
        pad_token_id=special_ids["pad"],
        architectures=["LlamaForCausalLM"],
        dtype=dtype,
    )


def export(
    input_dir: str | Path,
    output: str | Path,
    tag: str | None = None,
    tokenizer: str | Path | None = None,
    dtype: torch.dtype | None = None,
    max_shard_bytes: int = DEFAULT_MAX_SHARD_BYTES,
    overwrite: bool = False,
    trust_checkpoint_code: bool = False,
) -> Path:
    """Export the NeoX checkpoint `input_dir` (tag `tag`, default `latest`) as an HF model at `output`.

    Args:
        tokenizer: SentencePiece model to ship (default: the run's `vocab_file`, else the copy a
            converter stored in the tag).
        dtype: the exported dtype (default: the checkpoint's).
        max_shard_bytes: safetensors files are split above this size.
        trust_checkpoint_code: read files that name types beyond the weights-only allowlist (runs
            any code they hold; see `megatron.checkpoint_reader`).
    Returns the output directory.
    """
    start = time.perf_counter()
    try:
        checkpoint = CheckpointReader.open(input_dir, tag, trust_checkpoint_code)
        checkpoint.open_shards()  # every rank file has exactly the tensors of its shard
    except CheckpointError as error:
        raise ConversionError(str(error)) from error
    config = checkpoint.config
    tokenizer_path = Path(tokenizer) if tokenizer is not None else find_tokenizer(checkpoint)
    if tokenizer_path is None:
        raise ConversionError(f"{checkpoint.tag_dir}: no tokenizer recorded with the checkpoint; pass --tokenizer")
    if not tokenizer_path.is_file():
        raise ConversionError(f"tokenizer {tokenizer_path} does not exist")
    special_ids = special_token_ids(tokenizer_path)
    layouts = layout.parameter_layouts(config)
    with output_directory(output, overwrite) as staging:
        tokenizer_vocab_size = save_hf_tokenizer(tokenizer_path, staging, model_max_length=config.seq_length)
        vocab_size = hf_vocab_size(checkpoint, tokenizer_vocab_size)
        stored_dtype = checkpoint.open_shards(check=False)[0][layout.FINAL_NORM].dtype
        out_dtype = dtype or stored_dtype
        groups = plan_files(config, vocab_size, torch.empty((), dtype=out_dtype).element_size(), max_shard_bytes)
        weight_map: dict[str, str] = {}
        total_bytes = 0
        bar = tqdm(total=len(layouts), desc="export", unit="tensor", dynamic_ncols=True)
        for index, names in enumerate(groups, start=1):
            file_name = ("model.safetensors" if len(groups) == 1
                         else f"model-{index:05d}-of-{len(groups):05d}.safetensors")
            tensors: dict[str, torch.Tensor] = {}
            for name in names:
                # Mapped afresh per tensor, so the pages read for earlier tensors are unmapped.
                shards = checkpoint.open_shards(check=False)
                try:
                    full = layout.merge_tensor([shard[name] for shard in shards], layouts[name], name)
                except ValueError as error:
                    raise ConversionError(f"{checkpoint.tag_dir}: {error}") from error
                if tensor_map.is_vocab_parameter(name):
                    full = full[:vocab_size]
                for hf_name, tensor in layout.hf_from_full(name, cast(full, out_dtype), config).items():
                    # clone: the file must not keep memory-mapped input pages (or views of them) alive.
                    tensors[hf_name] = tensor.contiguous().clone()
                    weight_map[hf_name] = file_name
                    total_bytes += tensor.numel() * tensor.element_size()
                del shards, full
                bar.update(1)
            _save_safetensors(tensors, staging / file_name)
            del tensors
        bar.close()
        if len(groups) > 1:
            index_json = {"metadata": {"total_size": total_bytes}, "weight_map": weight_map}
            (staging / "model.safetensors.index.json").write_text(json.dumps(index_json, indent=2), encoding="utf-8")
        hf_config(config, vocab_size, out_dtype, special_ids).save_pretrained(staging)
        _save_generation_config(staging, special_ids)
    report(f"HF model ({len(weight_map)} tensors, {total_bytes / 1024**2:,.1f} MiB, vocab {vocab_size}) written to "
           f"{output} in {time.perf_counter() - start:.1f} s")
    return Path(output)


def _save_safetensors(tensors: dict[str, torch.Tensor], path: Path) -> None:
    from safetensors.torch import save_file

    save_file(tensors, str(path), metadata={"format": "pt"})


def _save_generation_config(directory: Path, special_ids: dict[str, int | None]) -> None:
    from transformers import GenerationConfig

    GenerationConfig(bos_token_id=special_ids["bos"], eos_token_id=special_ids["eos"],
                     pad_token_id=special_ids["pad"]).save_pretrained(directory)
