"""RMSNorm as Llama uses it: x * rsqrt(mean(x^2) + eps) * weight."""
from __future__ import annotations

import torch
import torch.nn.functional as F


class RMSNorm(torch.nn.Module):
    """Root-mean-square norm over the last dimension, with a learned scale and no bias.

    Uses torch's fused `rms_norm`, which accumulates in fp32 for bf16/fp16 inputs like HF's
    explicit formula (tests/megatron/model/test_norm.py holds the two side by side). The
    weight is replicated on every tensor-parallel rank.
    """

    def __init__(self, hidden_size: int, eps: float, *, device: torch.device | None = None,
                 dtype: torch.dtype = torch.float32):
        super().__init__()
        self.eps = eps
        self.normalized_shape = (hidden_size,)
        self.weight = torch.nn.Parameter(torch.ones(hidden_size, device=device, dtype=dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape[0]}, eps={self.eps}"
