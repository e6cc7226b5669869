import importlib.util
import math

import pytest
import torch

from megatron.model.attention import sdpa_attention, select_attention_kernel


def reference_attention(q, k, v):
    """Softmax attention with an explicit causal mask; q [b, s, h, d], k/v [b, s, kv, d]."""
    repeats = q.shape[2] // k.shape[2]
    k, v = k.repeat_interleave(repeats, dim=2), v.repeat_interleave(repeats, dim=2)
    scores = torch.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(q.shape[-1])
    seq = q.shape[1]
    scores = scores.masked_fill(torch.ones(seq, seq, dtype=torch.bool).triu(1), float("-inf"))
    return torch.einsum("bhqk,bkhd->bqhd", scores.softmax(-1), v)


@pytest.mark.parametrize("heads, kv_heads", [(4, 4), (6, 2)])
def test_sdpa_matches_explicit_causal_attention(heads, kv_heads):
    torch.manual_seed(0)
    q = torch.randn(2, 9, heads, 8)
    k, v = torch.randn(2, 9, kv_heads, 8), torch.randn(2, 9, kv_heads, 8)
    torch.testing.assert_close(sdpa_attention(q, k, v), reference_attention(q, k, v), rtol=0, atol=1e-6)
    assert select_attention_kernel("sdpa") is sdpa_attention


@pytest.mark.skipif(importlib.util.find_spec("flash_attn") is not None, reason="flash-attn is installed here")
def test_flash_backend_without_flash_attn_is_a_clear_error():
    with pytest.raises(RuntimeError, match="attention_backend='flash'.*flash-attn"):
        select_attention_kernel("flash")
