"""Checks that need a CUDA GPU (skipped elsewhere): numerics against HF on the GPU, SDPA's flash kernel, bf16 training."""
import importlib.util

import pytest
import torch

from megatron import parallel
from megatron.model import ModelConfig, build_model, layout
from megatron.model.attention import sdpa_attention, select_attention_kernel

from .conftest import random_hf_llama

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")

GQA = ModelConfig(num_layers=3, hidden_size=256, num_attention_heads=8, num_kv_heads=2,
                  intermediate_size=688, vocab_size=512, seq_length=256, rotary_emb_base=1e6)


def _ours_and_hf(config: ModelConfig, dtype: torch.dtype):
    hf_model = random_hf_llama(config, seed=3)
    full = layout.hf_to_full(hf_model.state_dict(), config)
    parallel.seed_everything(0)
    model = build_model(ModelConfig.from_dict({**config.to_dict(), "params_dtype": str(dtype).removeprefix("torch.")}))
    model.load_state_dict(layout.shard_state_dict(full, config, 1)[0])
    hf_model.config._attn_implementation = "sdpa"
    return model, hf_model.to(device="cuda", dtype=dtype)


@pytest.fixture
def exact_fp32_matmuls():
    previous = torch.backends.cuda.matmul.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = False
    yield
    torch.backends.cuda.matmul.allow_tf32 = previous


def test_fp32_on_gpu_matches_hf(world_of_one, exact_fp32_matmuls):
    model, hf_model = _ours_and_hf(GQA, torch.float32)
    assert all(p.is_cuda for p in model.parameters())
    tokens = torch.randint(0, GQA.vocab_size, (2, 200), device="cuda")
    with torch.no_grad():
        assert (model(tokens) - hf_model(tokens).logits).abs().max() <= 1e-4


def test_bf16_is_as_close_to_fp32_as_hf_bf16(world_of_one, exact_fp32_matmuls):
    ours32, hf32 = _ours_and_hf(GQA, torch.float32)
    ours16, hf16 = _ours_and_hf(GQA, torch.bfloat16)
    tokens = torch.randint(0, GQA.vocab_size, (2, 200), device="cuda")
    with torch.no_grad():
        truth = hf32(tokens).logits
        our_error = (ours16(tokens).float() - truth).abs().mean()
        hf_error = (hf16(tokens).logits.float() - truth).abs().mean()
    assert our_error <= 1.25 * hf_error, (our_error, hf_error)


@pytest.mark.parametrize("heads, kv_heads", [(8, 8), (8, 2)])
def test_sdpa_runs_on_the_flash_kernel_for_bf16(heads, kv_heads):
    from torch.nn.attention import SDPBackend, sdpa_kernel

    torch.manual_seed(0)
    # The model hands SDPA strided views of the fused QKV output; the flash kernel must take them.
    qkv = torch.randn(2, 512, kv_heads, heads // kv_heads + 2, 64, device="cuda", dtype=torch.bfloat16)
    per_group = heads // kv_heads
    q = qkv[:, :, :, :per_group].reshape(2, 512, heads, 64)
    k, v = qkv[:, :, :, per_group], qkv[:, :, :, per_group + 1]
    with sdpa_kernel([SDPBackend.FLASH_ATTENTION]):
        flash = sdpa_attention(q, k, v)
    with sdpa_kernel([SDPBackend.MATH]):
        math = sdpa_attention(q.float(), k.float(), v.float())
    assert (flash.float() - math).abs().max() < 2e-2


@pytest.mark.skipif(importlib.util.find_spec("flash_attn") is None, reason="flash-attn is not installed")
def test_flash_attn_matches_sdpa():
    torch.manual_seed(0)
    q = torch.randn(2, 300, 8, 64, device="cuda", dtype=torch.bfloat16)
    k, v = torch.randn(2, 2, 300, 2, 64, device="cuda", dtype=torch.bfloat16).unbind(0)
    flash = select_attention_kernel("flash")(q, k, v)
    assert (flash.float() - sdpa_attention(q, k, v).float()).abs().max() < 1e-2


def test_bf16_training_step_with_activation_checkpointing(world_of_one):
    config = ModelConfig.from_dict({**GQA.to_dict(), "params_dtype": "bfloat16", "checkpoint_activations": True})
    parallel.seed_everything(0)
    model = build_model(config)
    assert model.rotary.cos.dtype == torch.float32
    tokens = torch.randint(0, config.vocab_size, (2, 256), device="cuda")
    loss = model(tokens, torch.roll(tokens, -1, 1))
    assert loss.dtype == torch.float32
    loss.mean().backward()
    assert all(torch.isfinite(p.grad).all() and p.grad.abs().sum() > 0 for p in model.parameters())
