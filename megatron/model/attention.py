"""Causal self-attention: fused QKV projection, RoPE, a pluggable attention kernel, output projection."""
from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F
from megatron.core import ModelParallelConfig
from megatron.core.tensor_parallel import ColumnParallelLinear, RowParallelLinear
from torch.distributed import ProcessGroup

from megatron.model.config import ModelConfig
from megatron.model.rotary import apply_rotary

# q [b, s, heads, d], k and v [b, s, kv_heads, d] -> [b, s, heads, d]; causal, scale 1/sqrt(d).
AttentionKernel = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]


def sdpa_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """torch's scaled_dot_product_attention (a flash kernel on Hopper GPUs when the dtype allows)."""
    grouped = q.shape[2] != k.shape[2]
    out = F.scaled_dot_product_attention(
        q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), is_causal=True, enable_gqa=grouped
    )
    return out.transpose(1, 2)


def _flash_attention_kernel() -> AttentionKernel:
    try:
        from flash_attn import flash_attn_func
    except ImportError as error:
        raise RuntimeError(
            "attention_backend='flash' but the flash-attn package cannot be imported "
            f"({error}); install flash-attn on the GPU machine or set attention_backend='sdpa'"
        ) from error

    def flash_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return flash_attn_func(q, k, v, causal=True)

    return flash_attention


def select_attention_kernel(backend: str) -> AttentionKernel:
    """The one place an attention backend name becomes a kernel."""
    if backend == "sdpa":
        return sdpa_attention
    if backend == "flash":
        return _flash_attention_kernel()
    raise ValueError(f"attention_backend must be 'sdpa' or 'flash', got {backend!r}")


class Attention(torch.nn.Module):
    """Multi-head or grouped-query causal self-attention over this rank's share of the heads.

    The fused projection's output for each kv group is [its query heads, k, v] (see layout.py),
    so q, k and v are views of one matrix product.
    """

    def __init__(self, config: ModelConfig, parallel_config: ModelParallelConfig, tp_group: ProcessGroup,
                 kernel: AttentionKernel, init_method: Callable[[torch.Tensor], None]):
        super().__init__()
        tensor_parallel_size = parallel_config.tensor_model_parallel_size
        self.head_dim = config.head_dim
        self.queries_per_group = config.queries_per_kv_head
        self.local_kv_heads = config.kv_heads // tensor_parallel_size
        self.local_heads = config.num_attention_heads // tensor_parallel_size
        self.kernel = kernel
        qkv_rows = (config.num_attention_heads + 2 * config.kv_heads) * config.head_dim
        self.query_key_value = ColumnParallelLinear(
            config.hidden_size, qkv_rows, config=parallel_config, init_method=init_method,
            bias=False, gather_output=False, tp_group=tp_group,
        )
        self.dense = RowParallelLinear(
            config.num_attention_heads * config.head_dim, config.hidden_size, config=parallel_config,
            init_method=init_method, bias=False, input_is_parallel=True, skip_bias_add=False,
            tp_group=tp_group,
        )

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        batch, seq, _ = x.shape
        qkv, _ = self.query_key_value(x)
        qkv = qkv.view(batch, seq, self.local_kv_heads, self.queries_per_group + 2, self.head_dim)
        q = apply_rotary(qkv[:, :, :, : self.queries_per_group], cos, sin)
        q = q.view(batch, seq, self.local_heads, self.head_dim)
        k = apply_rotary(qkv[:, :, :, self.queries_per_group], cos, sin)
        v = qkv[:, :, :, self.queries_per_group + 1]
        context = self.kernel(q, k, v).reshape(batch, seq, self.local_heads * self.head_dim)
        out, _ = self.dense(context)
        return out
