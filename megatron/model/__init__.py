"""Llama-architecture transformer on megatron-core tensor-parallel layers.

`layout` owns parameter names and the tensor-parallel layout; converters use it too.
"""
from megatron.model.config import ModelConfig
from megatron.model.generate import gather_logits, greedy_generate
from megatron.model.llama import LlamaModel, build_model, count_parameters, flops_per_token

__all__ = [
    "ModelConfig",
    "LlamaModel",
    "build_model",
    "count_parameters",
    "flops_per_token",
    "gather_logits",
    "greedy_generate",
]
