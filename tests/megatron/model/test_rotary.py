import pytest
import torch
from transformers import LlamaConfig
from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding

from megatron.model.rotary import RotaryCache


def test_cache_matches_hf_and_stays_fp32_when_the_module_is_cast():
    head_dim, length, base = 16, 64, 1e6
    cache = RotaryCache(head_dim, length, base)
    torch.nn.Sequential(cache).to(torch.bfloat16)
    assert cache.cos.dtype == torch.float32 and cache.sin.dtype == torch.float32
    hf = LlamaRotaryEmbedding(LlamaConfig(hidden_size=head_dim * 2, num_attention_heads=2,
                                          max_position_embeddings=length,
                                          rope_parameters={"rope_type": "default", "rope_theta": base}))
    x = torch.zeros(1, length, head_dim)
    hf_cos, hf_sin = hf(x, torch.arange(length)[None])
    cos, sin = cache.for_length(length, torch.float32, torch.device("cpu"))
    torch.testing.assert_close(cos, hf_cos[0], rtol=0, atol=0)
    torch.testing.assert_close(sin, hf_sin[0], rtol=0, atol=0)
    cos_bf16, _ = cache.for_length(10, torch.bfloat16, torch.device("cpu"))
    assert cos_bf16.dtype == torch.bfloat16 and cos_bf16.shape == (10, head_dim)


def test_refuses_sequences_longer_than_the_cache():
    cache = RotaryCache(8, 16, 1e4)
    with pytest.raises(ValueError, match="17 tokens exceeds seq_length=16"):
        cache.for_length(17, torch.float32, torch.device("cpu"))
