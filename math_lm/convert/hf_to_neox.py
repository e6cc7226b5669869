"""HF Llama / Code Llama directory -> NeoX checkpoint for tensor parallel N (weights only).

The vocabulary is padded as the training run pads it (`make_vocab_size_divisible_by` x TP):
each padded row of the embedding and of the output layer is the mean of the real rows (see
`tensor_map.pad_vocab_rows`). The unpadded size is recorded in `model_config.json`
(`unpadded_vocab_size`: the model gives the padded ids -inf logits, so they never take
probability) and in `conversion.json`; `neox_to_hf.export` trims back to it.
"""
from __future__ import annotations

import dataclasses
import time
import warnings
from pathlib import Path
from typing import Any

import torch

from megatron.model.config import ModelConfig
from megatron.tokenizer import padded_vocab_size

from math_lm.convert import tensor_map
from math_lm.convert.common import ConversionError, cast, output_directory, report
from math_lm.convert.neox_format import write_neox_checkpoint
from math_lm.convert.sources import HFWeights, TensorSource, read_json

DEFAULT_VOCAB_MULTIPLE = 128
"""`make_vocab_size_divisible_by`'s default in the training config."""


def rope_theta(hf_config: dict[str, Any]) -> float:
    """The RoPE base of an HF config: transformers 5 keeps it in `rope_parameters`, older files at the top."""
    parameters = hf_config.get("rope_parameters") or {}
    scaling = hf_config.get("rope_scaling") or {}
    rope_type = parameters.get("rope_type") or scaling.get("rope_type") or scaling.get("type") or "default"
    if rope_type != "default":
        raise ConversionError(f"config.json: rope type {rope_type!r} is not supported (only plain RoPE)")
    return float(parameters.get("rope_theta", hf_config.get("rope_theta", 10000.0)))


def model_config_from_hf(hf_config: dict[str, Any], source: str, vocab_size: int,
                         rotary_emb_base: float, params_dtype: torch.dtype) -> ModelConfig:
    """Our ModelConfig from an HF Llama config.json (with `vocab_size` already padded)."""
    if hf_config.get("model_type", "llama") != "llama":
        raise ConversionError(f"{source}: model_type {hf_config.get('model_type')!r}, expected 'llama'")
    for flag in ("attention_bias", "mlp_bias", "tie_word_embeddings"):
        if hf_config.get(flag):
            raise ConversionError(f"{source}: {flag}=true is not supported by this model (Code Llama has none)")
    if hf_config.get("hidden_act", "silu") != "silu":
        raise ConversionError(f"{source}: hidden_act {hf_config['hidden_act']!r}, expected 'silu'")
    for key in ("num_hidden_layers", "hidden_size", "num_attention_heads", "intermediate_size", "vocab_size"):
        if not isinstance(hf_config.get(key), int):
            raise ConversionError(f"{source}: {key!r} is missing or not an integer")
    heads = hf_config["num_attention_heads"]
    head_dim = hf_config.get("head_dim")
    if head_dim is not None and head_dim * heads != hf_config["hidden_size"]:
        raise ConversionError(f"{source}: head_dim={head_dim} x {heads} heads != hidden_size={hf_config['hidden_size']}")
    kv_heads = hf_config.get("num_key_value_heads") or heads
    try:
        return ModelConfig(
            num_layers=hf_config["num_hidden_layers"],
            hidden_size=hf_config["hidden_size"],
            num_attention_heads=heads,
            num_kv_heads=None if kv_heads == heads else kv_heads,
            intermediate_size=hf_config["intermediate_size"],
            vocab_size=vocab_size,
            seq_length=int(hf_config.get("max_position_embeddings") or 4096),
            rotary_emb_base=rotary_emb_base,
            norm_eps=float(hf_config.get("rms_norm_eps", 1e-5)),
            params_dtype=params_dtype,
        )
    except ValueError as error:
        raise ConversionError(f"{source}: {error}") from error


def check_tensor_parallel(config: ModelConfig, tensor_parallel_size: int, source: str) -> None:
    try:
        config.validate_tensor_parallel(tensor_parallel_size)
    except ValueError as error:
        raise ConversionError(f"{source}: {error}") from error


def check_tensor_names(source: TensorSource, config: ModelConfig, where: str) -> None:
    """Every tensor the config needs is present, and nothing else is."""
    expected = tensor_map.expected_hf_names(config)
    present = set(source.names)
    missing = [name for name in expected if name not in present]
    if missing:
        raise ConversionError(f"{where}: missing tensors {missing[:8]}" + (" ..." if len(missing) > 8 else ""))
    known = set(expected)
    unexpected = sorted(name for name in source.names if name not in known)
    if unexpected:
        raise ConversionError(f"{where}: unexpected tensors {unexpected[:8]} (not in a Llama model of this config)")


def write_from_source(
    source: TensorSource,
    config: ModelConfig,
    original_vocab_size: int,
    tensor_parallel_size: int,
    output: str | Path,
    dtype: torch.dtype | None,
    conversion: dict[str, Any],
    overwrite: bool,
    tokenizer: Path | None,
) -> Path:
    """Stream `source` (HF names) into a NeoX checkpoint at `output`; returns `output`."""
    check_tensor_names(source, config, conversion["source"])
    config = dataclasses.replace(config, unpadded_vocab_size=original_vocab_size)

    def full_tensor(name: str) -> torch.Tensor:
        tensors = [cast(source.get(hf_name), dtype) for hf_name in tensor_map.hf_sources(name)]
        if tensor_map.is_vocab_parameter(name):
            for hf_name, tensor in zip(tensor_map.hf_sources(name), tensors):
                if tensor.shape[0] != original_vocab_size:
                    raise ConversionError(
                        f"{hf_name}: {tensor.shape[0]} rows, but the vocabulary has {original_vocab_size} entries")
            tensors = [tensor_map.pad_vocab_rows(tensor, config.vocab_size) for tensor in tensors]
        return tensor_map.full_from_hf(name, tensors, config)

    start = time.perf_counter()
    conversion = {**conversion, "original_vocab_size": original_vocab_size, "vocab_padding": "mean of the real rows"}
    with output_directory(output, overwrite) as staging:
        write_neox_checkpoint(staging, config, tensor_parallel_size, full_tensor, conversion,
                              release=source.close, tokenizer=tokenizer)
    report(f"NeoX checkpoint (TP {tensor_parallel_size}) written to {output} in {time.perf_counter() - start:.1f} s")
    return Path(output)


def convert_hf_to_neox(
    hf_model: str | Path,
    output: str | Path,
    tensor_parallel_size: int,
    rotary_emb_base: float | None = None,
    dtype: torch.dtype | None = None,
    make_vocab_size_divisible_by: int = DEFAULT_VOCAB_MULTIPLE,
    overwrite: bool = False,
) -> Path:
    """Convert the HF directory `hf_model` into a NeoX checkpoint for `tensor_parallel_size` ranks.

    Args:
        rotary_emb_base: the RoPE base the run will train with, recorded in model_config.json
            (None keeps the model's own; a different value changes the model and warns).
        dtype: cast every tensor to it (None keeps the stored dtypes).
        make_vocab_size_divisible_by: the training config's value; the vocabulary is padded to a
            multiple of it times `tensor_parallel_size`, as the run pads it.
    Returns the output directory.
    """
    if tensor_parallel_size < 1:
        raise ConversionError(f"--tp must be a positive integer, got {tensor_parallel_size}")
    hf_model = Path(hf_model)
    hf_config = read_json(hf_model / "config.json")
    where = str(hf_model / "config.json")
    theta = rope_theta(hf_config)
    if rotary_emb_base is not None and rotary_emb_base != theta:
        warnings.warn(
            f"--rotary-emb-base {rotary_emb_base:g} differs from the model's RoPE base {theta:g}: the converted "
            "model computes different attention until training adapts it (LLEMMA 7B does this on purpose)",
            stacklevel=2,
        )
    original_vocab_size = hf_config.get("vocab_size")
    if not isinstance(original_vocab_size, int):
        raise ConversionError(f"{where}: 'vocab_size' is missing or not an integer")
    try:
        padded = padded_vocab_size(original_vocab_size, make_vocab_size_divisible_by, tensor_parallel_size)
    except ValueError as error:
        raise ConversionError(f"{where}: {error}") from error
    with HFWeights(hf_model) as source:
        first = source.get(source.names[0]) if source.names else None
        stored_dtype = first.dtype if first is not None else torch.float32
        config = model_config_from_hf(hf_config, where, padded, rotary_emb_base if rotary_emb_base is not None else theta,
                                      dtype or stored_dtype)
        check_tensor_parallel(config, tensor_parallel_size, where)
        tokenizer = hf_model / "tokenizer.model"
        conversion = {"source": str(hf_model.absolute()), "format": "hf", "source_rope_theta": theta}
        return write_from_source(source, config, original_vocab_size, tensor_parallel_size, output, dtype,
                                 conversion, overwrite, tokenizer if tokenizer.is_file() else None)
