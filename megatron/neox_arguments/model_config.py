"""The model config a run builds: from its typed arguments and its tokenizer's vocabulary size.

Also where each model config field comes from in the YAML files, so that a checkpoint that
disagrees with the run can be reported against the lines that set it.
"""
from __future__ import annotations

import torch

from megatron.model.config import ModelConfig
from megatron.model.shape import llama_intermediate_size
from megatron.neox_arguments.arguments import NeoXArgs
from megatron.tokenizer import padded_vocab_size


def model_config_from_args(args: NeoXArgs, vocab_size: int) -> ModelConfig:
    """The small typed model config the model sees (never the whole run config)."""
    m = args.model
    return ModelConfig(
        num_layers=m.num_layers,
        hidden_size=m.hidden_size,
        num_attention_heads=m.num_attention_heads,
        num_kv_heads=m.num_kv_heads,
        intermediate_size=m.intermediate_size or llama_intermediate_size(m.hidden_size),
        vocab_size=padded_vocab_size(vocab_size, m.make_vocab_size_divisible_by, args.parallel.model_parallel_size),
        seq_length=max(m.seq_length, m.max_position_embeddings or 0),
        rotary_emb_base=m.rotary_emb_base,
        norm_eps=m.rms_norm_epsilon,
        attention_backend=m.attention_backend,
        checkpoint_activations=m.checkpoint_activations,
        checkpoint_num_layers=m.checkpoint_num_layers,
        params_dtype=torch.bfloat16 if args.precision.bf16.enabled else torch.float32,
        init_method_std=m.init_method_std,
        unpadded_vocab_size=vocab_size,
    )


MODEL_CONFIG_KEYS = {
    "num_layers": ("num_layers",),
    "hidden_size": ("hidden_size",),
    "num_attention_heads": ("num_attention_heads",),
    "num_kv_heads": ("num_kv_heads",),
    "intermediate_size": ("intermediate_size",),
    "vocab_size": ("vocab_file", "make_vocab_size_divisible_by", "model_parallel_size"),
    "unpadded_vocab_size": ("vocab_file",),
    "rotary_emb_base": ("rotary_emb_base",),
    "norm_eps": ("rms_norm_epsilon",),
    "tensor_parallel_size": ("model_parallel_size",),
}
"""The config keys each model config field is computed from."""


def model_config_sources(args: NeoXArgs) -> dict[str, str]:
    """Model config field -> where the run's value comes from (config `file:line` of its keys)."""
    return {name: ", ".join(f"{key} at {args.where(key)}" for key in keys) for name, keys in MODEL_CONFIG_KEYS.items()}
