import pytest
import torch
from transformers.models.llama.modeling_llama import LlamaRMSNorm

from megatron.model.norm import RMSNorm


def explicit_rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    """x * rsqrt(mean(x^2) + eps) * w, in fp32, then cast back."""
    x32 = x.float()
    normed = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + eps)
    return (normed * weight.float()).to(x.dtype)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_fused_rms_norm_matches_the_explicit_formula(dtype):
    torch.manual_seed(0)
    norm = RMSNorm(96, eps=1e-5, dtype=dtype)
    with torch.no_grad():
        norm.weight.copy_(1 + 0.3 * torch.randn(96))
    x = (3 * torch.randn(4, 7, 96)).to(dtype)
    expected = explicit_rms_norm(x, norm.weight, 1e-5)
    got = norm(x)
    assert got.dtype == dtype
    if dtype == torch.bfloat16:
        # One rounding of an fp32 value: at most one bf16 step apart from the explicit formula.
        step = expected.float().abs().clamp_min(1e-3) * 2.0**-7
        assert ((got.float() - expected.float()).abs() <= step).all()
    else:
        torch.testing.assert_close(got, expected, rtol=0, atol=1e-6)


def test_matches_hf_llama_rms_norm_in_fp32():
    torch.manual_seed(1)
    ours, theirs = RMSNorm(48, eps=1e-5), LlamaRMSNorm(48, eps=1e-5)
    with torch.no_grad():
        ours.weight.copy_(torch.randn(48))
        theirs.weight.copy_(ours.weight)
    x = torch.randn(3, 5, 48)
    torch.testing.assert_close(ours(x), theirs(x), rtol=0, atol=1e-6)
