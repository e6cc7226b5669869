import pytest
import torch

from megatron.model import ModelConfig
from megatron.model import layout
from megatron.model.rotary import apply_rotary

from .conftest import random_hf_llama

# Every size divisible by 8 so that all of TP 1/2/4/8 apply; GQA with 2 query heads per kv head.
TP8_GQA = ModelConfig(num_layers=2, hidden_size=64, num_attention_heads=16, num_kv_heads=8,
                      intermediate_size=88, vocab_size=104, seq_length=16)


def test_hf_to_shards_and_back_is_exact_for_tp_1_2_4_8():
    hf_state = random_hf_llama(TP8_GQA).state_dict()
    full = layout.hf_to_full(hf_state, TP8_GQA)
    assert list(full) == list(layout.parameter_layouts(TP8_GQA))
    for tp in (1, 2, 4, 8):
        shards = layout.shard_state_dict(full, TP8_GQA, tp)
        for shard in shards:
            for name, spec in layout.parameter_layouts(TP8_GQA).items():
                assert tuple(shard[name].shape) == spec.shard_shape(tp), name
        back = layout.full_to_hf(layout.merge_state_dicts(shards, TP8_GQA), TP8_GQA)
        assert set(back) == set(hf_state)
        for key, tensor in hf_state.items():
            assert torch.equal(back[key], tensor), (tp, key)


def test_qkv_packing_groups_query_heads_with_their_kv_head():
    config = ModelConfig(num_layers=1, hidden_size=12, num_attention_heads=6, num_kv_heads=2,
                         intermediate_size=8, vocab_size=8, seq_length=4)
    head_dim = config.head_dim
    # Row r of each projection holds its own head index, tagged by projection (q: 0.., k: 100.., v: 200..).
    q = torch.arange(6).repeat_interleave(head_dim)[:, None].float().expand(-1, 12)
    k = 100 + torch.arange(2).repeat_interleave(head_dim)[:, None].float().expand(-1, 12)
    v = 200 + torch.arange(2).repeat_interleave(head_dim)[:, None].float().expand(-1, 12)
    packed = layout.pack_qkv(q, k, v, config)[:, 0].reshape(-1, head_dim)[:, 0].tolist()
    assert packed == [0, 1, 2, 100, 200, 3, 4, 5, 101, 201]
    # TP=2 hands each rank one whole group.
    spec = layout.parameter_layouts(config)["layers.0." + layout.QKV]
    rank1 = layout.shard_tensor(layout.pack_qkv(q, k, v, config), spec, 1, 2)
    assert rank1[:, 0].reshape(-1, head_dim)[:, 0].tolist() == [3, 4, 5, 101, 201]
    assert all(torch.equal(a, b) for a, b in zip(layout.unpack_qkv(layout.pack_qkv(q, k, v, config), config), (q, k, v)))


def test_gate_up_shards_hold_matching_rows_of_both_halves():
    spec = layout.TensorLayout((8, 3), split_dim=0, stride=2)
    full = torch.arange(8.0)[:, None].expand(-1, 3)  # rows 0-3 gate, 4-7 up
    assert layout.shard_tensor(full, spec, 0, 2)[:, 0].tolist() == [0, 1, 4, 5]
    assert layout.shard_tensor(full, spec, 1, 2)[:, 0].tolist() == [2, 3, 6, 7]
    shards = [layout.shard_tensor(full, spec, rank, 4) for rank in range(4)]
    assert torch.equal(layout.merge_tensor(shards, spec), full)


def _interleaved_rotary(x: torch.Tensor, angles: torch.Tensor) -> torch.Tensor:
    """Meta's RoPE: consecutive pairs (x0, x1), (x2, x3) ... rotated as complex numbers."""
    pairs = torch.view_as_complex(x.reshape(*x.shape[:-1], -1, 2).contiguous())
    return torch.view_as_real(pairs * torch.polar(torch.ones_like(angles), angles)).flatten(-2)


def test_meta_permutation_turns_interleaved_rope_into_rotate_half():
    torch.manual_seed(0)
    heads, head_dim, hidden, seq = 3, 8, 10, 5
    meta_weight = torch.randn(heads * head_dim, hidden, dtype=torch.float64)
    hf_weight = layout.permute_meta_to_hf(meta_weight, heads)
    assert torch.equal(layout.permute_hf_to_meta(hf_weight, heads), meta_weight)
    x = torch.randn(1, seq, hidden, dtype=torch.float64)
    inverse_frequencies = 1.0 / 10000 ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)
    angles = torch.outer(torch.arange(seq, dtype=torch.float64), inverse_frequencies)  # [seq, head_dim/2]
    meta_rotated = _interleaved_rotary((x @ meta_weight.T).view(1, seq, heads, head_dim), angles[:, None, :])
    cos = torch.cat((angles, angles), -1).cos()
    sin = torch.cat((angles, angles), -1).sin()
    hf_rotated = apply_rotary((x @ hf_weight.T).view(1, seq, heads, head_dim), cos, sin)
    # Same rotation; only the order of components inside each head differs, and the permutation maps it.
    as_hf_order = layout.permute_meta_to_hf(meta_rotated.reshape(seq, heads * head_dim).T, heads).T
    torch.testing.assert_close(as_hf_order.reshape(hf_rotated.shape), hf_rotated, rtol=0, atol=1e-12)


def test_bad_state_dicts_name_the_tensor():
    full = layout.hf_to_full(random_hf_llama(TP8_GQA).state_dict(), TP8_GQA)
    wrong_shape = dict(full)
    wrong_shape["layers.1." + layout.DOWN] = torch.zeros(64, 80)
    with pytest.raises(ValueError, match=r"layers\.1\.mlp\.down_proj\.weight: shape \(64, 80\)"):
        layout.shard_state_dict(wrong_shape, TP8_GQA, 2)
    shards = layout.shard_state_dict(full, TP8_GQA, 2)
    shards[1]["final_layernorm.weight"] = shards[1]["final_layernorm.weight"] + 1
    with pytest.raises(ValueError, match="final_layernorm.weight: replicated tensor differs"):
        layout.merge_state_dicts(shards, TP8_GQA)
    hf_state = random_hf_llama(TP8_GQA).state_dict()
    del hf_state["lm_head.weight"]
    with pytest.raises(KeyError, match="lm_head.weight"):
        layout.hf_to_full(hf_state, TP8_GQA)
