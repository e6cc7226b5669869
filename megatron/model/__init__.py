"""Llama-architecture transformer on megatron-core tensor-parallel layers.

`layout` owns parameter names and the tensor-parallel layout; converters use it too.
"""
_LAZY = {  # imported on first use: `megatron.model.shape` must stay light for config loading (no torch)
    "ModelConfig": "megatron.model.config",
    "gather_logits": "megatron.model.generate",
    "greedy_generate": "megatron.model.generate",
    "LlamaModel": "megatron.model.llama",
    "build_model": "megatron.model.llama",
    "count_parameters": "megatron.model.llama",
    "flops_per_token": "megatron.model.llama",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ModelConfig",
    "LlamaModel",
    "build_model",
    "count_parameters",
    "flops_per_token",
    "gather_logits",
    "greedy_generate",
]
