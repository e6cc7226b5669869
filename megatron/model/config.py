"""The model's own small config: everything needed to rebuild a Llama model, nothing about the run."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import torch

from megatron.model.shape import check_shape

ATTENTION_BACKENDS = ("sdpa", "flash")

_DTYPES_BY_NAME: dict[str, torch.dtype] = {
    "float32": torch.float32,
    "bfloat16": torch.bfloat16,
    "float16": torch.float16,
}
_NAMES_BY_DTYPE = {dtype: name for name, dtype in _DTYPES_BY_NAME.items()}


def dtype_from_name(name: str) -> torch.dtype:
    """Map "float32" / "bfloat16" / "float16" (also "fp32", "bf16", "fp16") to a torch dtype."""
    aliases = {"fp32": "float32", "bf16": "bfloat16", "fp16": "float16"}
    canonical = aliases.get(name, name)
    if canonical not in _DTYPES_BY_NAME:
        raise ValueError(f"params_dtype: unknown dtype {name!r}; use one of {sorted(_DTYPES_BY_NAME)}")
    return _DTYPES_BY_NAME[canonical]


@dataclass
class ModelConfig:
    """Shape and numerics of a Llama / Code Llama decoder.

    Validated at construction; `validate_tensor_parallel` adds the checks that depend on the
    tensor-parallel size. `to_dict`/`from_dict` round-trip through plain JSON values so a checkpoint
    can rebuild its model.
    """

    num_layers: int
    """Number of transformer blocks."""
    hidden_size: int
    """Width of the residual stream (d_model)."""
    num_attention_heads: int
    """Query heads per layer; head_dim = hidden_size // num_attention_heads."""
    num_kv_heads: int | None
    """Key/value heads for grouped-query attention; None means one per query head (multi-head)."""
    intermediate_size: int
    """Width of the SwiGLU feed-forward (the gate and up projections each have this many rows)."""
    vocab_size: int
    """Rows of the embedding and output layers: the vocabulary padded to a multiple that the
    tensor-parallel size divides."""
    seq_length: int
    """Longest sequence the model is used with (sizes the RoPE cache; longer inputs are refused)."""
    rotary_emb_base: float = 10000.0
    """RoPE base (theta): 10,000 for Llama 2 and LLEMMA 7B, 1,000,000 for Code Llama."""
    norm_eps: float = 1e-5
    """Epsilon inside the RMSNorm square root."""
    attention_backend: str = "sdpa"
    """"sdpa" (torch scaled_dot_product_attention) or "flash" (the flash-attn package, GPU only)."""
    checkpoint_activations: bool = False
    """Recompute block activations in backward instead of storing them."""
    checkpoint_num_layers: int = 1
    """How many consecutive blocks share one activation checkpoint."""
    params_dtype: torch.dtype = torch.float32
    """Dtype the parameters are created in (bf16 for GPU training)."""
    init_method_std: float = 0.02
    """Standard deviation of the normal initialisation of linear and embedding weights."""
    unpadded_vocab_size: int | None = None
    """Real vocabulary entries (the tokenizer's); ids from here to `vocab_size` are padding, whose
    logits are -inf so that they never take probability. None: no padding."""

    def __post_init__(self) -> None:
        if isinstance(self.params_dtype, str):
            self.params_dtype = dtype_from_name(self.params_dtype)
        if self.params_dtype not in _NAMES_BY_DTYPE:
            raise ValueError(f"params_dtype: {self.params_dtype} is not one of {sorted(_DTYPES_BY_NAME)}")
        check_shape(
            num_layers=self.num_layers, hidden_size=self.hidden_size, num_attention_heads=self.num_attention_heads,
            num_kv_heads=self.num_kv_heads, intermediate_size=self.intermediate_size, seq_length=self.seq_length,
            checkpoint_num_layers=self.checkpoint_num_layers, vocab_size=self.vocab_size,
        )
        if self.unpadded_vocab_size is not None and not 1 <= self.unpadded_vocab_size <= self.vocab_size:
            raise ValueError(
                f"unpadded_vocab_size={self.unpadded_vocab_size} must be between 1 and vocab_size={self.vocab_size}"
            )
        if self.attention_backend not in ATTENTION_BACKENDS:
            raise ValueError(f"attention_backend must be one of {ATTENTION_BACKENDS}, got {self.attention_backend!r}")
        if self.rotary_emb_base <= 0:
            raise ValueError(f"rotary_emb_base must be positive, got {self.rotary_emb_base}")
        if self.norm_eps <= 0:
            raise ValueError(f"norm_eps must be positive, got {self.norm_eps}")
        if self.init_method_std <= 0:
            raise ValueError(f"init_method_std must be positive, got {self.init_method_std}")

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    @property
    def real_vocab_size(self) -> int:
        """Vocabulary entries that can be predicted (the rest of `vocab_size` is padding)."""
        return self.vocab_size if self.unpadded_vocab_size is None else self.unpadded_vocab_size

    @property
    def kv_heads(self) -> int:
        """Key/value heads with the multi-head default resolved."""
        return self.num_attention_heads if self.num_kv_heads is None else self.num_kv_heads

    @property
    def queries_per_kv_head(self) -> int:
        return self.num_attention_heads // self.kv_heads

    def validate_tensor_parallel(self, tensor_parallel_size: int) -> None:
        """Raise `megatron.model.shape.ShapeError` (a ValueError) naming the field that `tensor_parallel_size` does not divide."""
        check_shape(
            num_layers=self.num_layers, hidden_size=self.hidden_size, num_attention_heads=self.num_attention_heads,
            num_kv_heads=self.num_kv_heads, intermediate_size=self.intermediate_size, seq_length=self.seq_length,
            checkpoint_num_layers=self.checkpoint_num_layers, vocab_size=self.vocab_size,
            tensor_parallel_size=tensor_parallel_size,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values; the dtype as its name ("bfloat16")."""
        values = dataclasses.asdict(self)
        values["params_dtype"] = _NAMES_BY_DTYPE[self.params_dtype]
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> ModelConfig:
        """Inverse of `to_dict`; unknown keys are an error (they usually mean a misspelt field)."""
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"ModelConfig: unknown keys {unknown}; known keys are {sorted(known)}")
        return cls(**values)
