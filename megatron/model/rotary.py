"""Rotary position embedding (RoPE) in HF's rotate-half layout, with an fp32 cos/sin cache."""
from __future__ import annotations

import torch


def rotary_inverse_frequencies(head_dim: int, base: float) -> torch.Tensor:
    """base^(-2i/head_dim) for i < head_dim/2, computed in fp32 (as HF Llama does)."""
    exponents = torch.arange(0, head_dim, 2, dtype=torch.int64).to(torch.float32) / head_dim
    return 1.0 / (base ** exponents)


class RotaryCache(torch.nn.Module):
    """cos/sin tables for positions [0, max_positions), always fp32.

    The tables are plain attributes rather than buffers on purpose: `module.to(bfloat16)` (which
    DeepSpeed's bf16 mode applies to the whole model) casts floating-point buffers, and bf16
    positions/angles lose precision at long context. They follow the input's device on first use.
    The cast to the activation dtype happens in `for_length`, once per forward.
    """

    def __init__(self, head_dim: int, max_positions: int, base: float, device: torch.device | None = None):
        super().__init__()
        self.head_dim, self.max_positions, self.base = head_dim, max_positions, base
        inverse_frequencies = rotary_inverse_frequencies(head_dim, base).to(device)
        positions = torch.arange(max_positions, dtype=torch.float32, device=device)
        angles = torch.outer(positions, inverse_frequencies)
        angles = torch.cat((angles, angles), dim=-1)
        self.cos = angles.cos()
        self.sin = angles.sin()

    def for_length(self, seq_length: int, dtype: torch.dtype, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
        """cos and sin for positions [0, seq_length), shape [seq_length, head_dim], cast to `dtype`."""
        if seq_length > self.max_positions:
            raise ValueError(f"sequence of {seq_length} tokens exceeds seq_length={self.max_positions} of the model config")
        if self.cos.device != device:
            self.cos, self.sin = self.cos.to(device), self.sin.to(device)
        return self.cos[:seq_length].to(dtype), self.sin[:seq_length].to(dtype)

    def extra_repr(self) -> str:
        return f"head_dim={self.head_dim}, max_positions={self.max_positions}, base={self.base}"


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    first, second = x.chunk(2, dim=-1)
    return torch.cat((-second, first), dim=-1)


def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate `x` of shape [batch, seq, ..., head_dim] by the angles of its positions.

    `cos`/`sin` are [seq, head_dim] and must already have x's dtype.
    """
    broadcast_shape = (cos.shape[0],) + (1,) * (x.dim() - 3) + (cos.shape[1],)
    return x * cos.view(broadcast_shape) + rotate_half(x) * sin.view(broadcast_shape)
