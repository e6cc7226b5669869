"""Meta's release format (`consolidated.NN.pth` + `params.json`) -> NeoX checkpoint for tensor parallel N.

Meta's shards (1 for 7B, 2 for 13B, 4 for 34B) are gathered per tensor and q/k are permuted from
interleaved RoPE pairs to rotate-half (`sources.MetaWeights`); from there the conversion is the
HF one, so both formats give bit-identical checkpoints for the same weights.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import torch

from megatron.model.config import ModelConfig
from megatron.tokenizer import padded_vocab_size

from math_lm.convert.common import ConversionError
from math_lm.convert.hf_to_neox import DEFAULT_VOCAB_MULTIPLE, check_tensor_parallel, write_from_source
from math_lm.convert.sources import MetaWeights


def model_config_from_meta(weights: MetaWeights, vocab_size: int, intermediate_size: int,
                           rotary_emb_base: float, params_dtype: torch.dtype, seq_length: int) -> ModelConfig:
    params = weights.params
    where = weights.directory / "params.json"
    n_kv_heads = params.get("n_kv_heads")
    try:
        return ModelConfig(
            num_layers=params["n_layers"],
            hidden_size=params["dim"],
            num_attention_heads=params["n_heads"],
            num_kv_heads=None if n_kv_heads in (None, params["n_heads"]) else n_kv_heads,
            intermediate_size=intermediate_size,
            vocab_size=vocab_size,
            seq_length=seq_length,
            rotary_emb_base=rotary_emb_base,
            norm_eps=float(params.get("norm_eps", 1e-5)),
            params_dtype=params_dtype,
        )
    except ValueError as error:
        raise ConversionError(f"{where}: {error}") from error


def convert_raw_llama_to_neox(
    input_dir: str | Path,
    output: str | Path,
    tensor_parallel_size: int,
    rotary_emb_base: float | None = None,
    dtype: torch.dtype | None = None,
    make_vocab_size_divisible_by: int = DEFAULT_VOCAB_MULTIPLE,
    seq_length: int = 4096,
    overwrite: bool = False,
) -> Path:
    """Convert Meta's checkpoint in `input_dir` into a NeoX checkpoint; returns the output directory.

    The vocabulary and feed-forward sizes are read from the tensors (Llama 2's params.json says
    vocab_size -1); a positive `vocab_size` in params.json must agree. `rope_theta` in params.json
    (Code Llama: 1e6) is the RoPE base unless `rotary_emb_base` overrides it.
    """
    if tensor_parallel_size < 1:
        raise ConversionError(f"--tp must be a positive integer, got {tensor_parallel_size}")
    with MetaWeights(input_dir) as weights:
        embedding = weights.get("model.embed_tokens.weight")
        vocab_size = embedding.shape[0]
        declared = weights.params.get("vocab_size", -1)
        if isinstance(declared, int) and declared > 0 and declared != vocab_size:
            raise ConversionError(f"{weights.directory / 'params.json'}: vocab_size={declared}, but "
                                  f"tok_embeddings.weight has {vocab_size} rows")
        intermediate_size = weights.get("model.layers.0.mlp.gate_proj.weight").shape[0]
        theta = float(weights.params.get("rope_theta", 10000.0))
        if rotary_emb_base is not None and rotary_emb_base != theta:
            warnings.warn(f"--rotary-emb-base {rotary_emb_base:g} differs from the model's RoPE base {theta:g}: "
                          "the converted model computes different attention until training adapts it", stacklevel=2)
        try:
            padded = padded_vocab_size(vocab_size, make_vocab_size_divisible_by, tensor_parallel_size)
        except ValueError as error:
            raise ConversionError(f"{weights.directory}: {error}") from error
        config = model_config_from_meta(
            weights, padded,
            intermediate_size, theta if rotary_emb_base is None else rotary_emb_base, dtype or embedding.dtype,
            seq_length,
        )
        del embedding
        check_tensor_parallel(config, tensor_parallel_size, str(weights.directory / "params.json"))
        tokenizer = next((path for path in (weights.directory / "tokenizer.model",
                                            weights.directory.parent / "tokenizer.model") if path.is_file()), None)
        conversion = {"source": str(weights.directory.absolute()), "format": "meta",
                      "source_rope_theta": theta, "meta_shards": weights.num_shards}
        return write_from_source(weights, config, vocab_size, tensor_parallel_size, output, dtype,
                                 conversion, overwrite, tokenizer)
