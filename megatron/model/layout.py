"""The one place that owns parameter names and tensor layout.

Three layouts of the same weights appear in this project:

* HF: `transformers` Llama names, separate q/k/v and gate/up projections, rotate-half RoPE.
* Full (ours, tensor-parallel size independent): the model's parameter names with the fused
  tensors below, as one unsplit tensor each.
* Shards: the full tensors cut for tensor-parallel rank r of t; exactly what rank r's
  `LlamaModel.state_dict()` holds.

Fused tensors:

* `attention.query_key_value.weight` packs q, k and v per key/value group: for each kv head g,
  the `num_attention_heads / num_kv_heads` query heads that attend with it, then k_g, then v_g
  (head_dim rows each). Cutting dim 0 into t contiguous pieces hands every rank whole groups, so
  the packing is the same for every tensor-parallel size. With multi-head attention this is the
  GPT-NeoX per-head [q_h; k_h; v_h] order.
* `mlp.gate_up_proj.weight` is [gate; up]. It is split with stride 2: rank r gets
  [gate_r; up_r], the r-th piece of each half.

Meta's raw checkpoints use interleaved RoPE pairs; `permute_meta_to_hf` / `permute_hf_to_meta`
convert q and k projections between that and HF's rotate-half order.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import torch

from megatron.model.config import ModelConfig

EMBEDDING = "word_embeddings.weight"
FINAL_NORM = "final_layernorm.weight"
OUTPUT = "embed_out.weight"
INPUT_NORM = "input_layernorm.weight"
QKV = "attention.query_key_value.weight"
ATTENTION_OUT = "attention.dense.weight"
POST_ATTENTION_NORM = "post_attention_layernorm.weight"
GATE_UP = "mlp.gate_up_proj.weight"
DOWN = "mlp.down_proj.weight"

# Ours -> HF for the tensors that map one to one; {i} is the layer index.
_ONE_TO_ONE_HF_NAMES = {
    EMBEDDING: "model.embed_tokens.weight",
    FINAL_NORM: "model.norm.weight",
    OUTPUT: "lm_head.weight",
    "layers.{i}." + INPUT_NORM: "model.layers.{i}.input_layernorm.weight",
    "layers.{i}." + ATTENTION_OUT: "model.layers.{i}.self_attn.o_proj.weight",
    "layers.{i}." + POST_ATTENTION_NORM: "model.layers.{i}.post_attention_layernorm.weight",
    "layers.{i}." + DOWN: "model.layers.{i}.mlp.down_proj.weight",
}
_HF_QKV = ("model.layers.{i}.self_attn.q_proj.weight", "model.layers.{i}.self_attn.k_proj.weight",
           "model.layers.{i}.self_attn.v_proj.weight")
_HF_GATE_UP = ("model.layers.{i}.mlp.gate_proj.weight", "model.layers.{i}.mlp.up_proj.weight")
# HF checkpoints written by older transformers carry the RoPE frequencies; they are derived, not weights.
_HF_IGNORED_SUFFIXES = ("rotary_emb.inv_freq",)


@dataclass(frozen=True)
class TensorLayout:
    """How one parameter is stored: its full shape and how tensor parallelism cuts it.

    `split_dim` is None for tensors every rank holds whole (the norms). `stride` > 1 means the
    tensor is `stride` equal blocks along `split_dim`, each cut separately (gate/up).
    """

    shape: tuple[int, ...]
    split_dim: int | None
    stride: int = 1

    def shard_shape(self, tensor_parallel_size: int) -> tuple[int, ...]:
        if self.split_dim is None:
            return self.shape
        shape = list(self.shape)
        shape[self.split_dim] //= tensor_parallel_size
        return tuple(shape)


def layer_name(layer: int, name: str) -> str:
    return f"layers.{layer}.{name}"


def parameter_layouts(config: ModelConfig) -> dict[str, TensorLayout]:
    """Every parameter of the model, in module order, with its full shape and split."""
    hidden, head_dim = config.hidden_size, config.head_dim
    qkv_rows = (config.num_attention_heads + 2 * config.kv_heads) * head_dim
    layouts = {EMBEDDING: TensorLayout((config.vocab_size, hidden), split_dim=0)}
    for layer in range(config.num_layers):
        layouts[layer_name(layer, INPUT_NORM)] = TensorLayout((hidden,), split_dim=None)
        layouts[layer_name(layer, QKV)] = TensorLayout((qkv_rows, hidden), split_dim=0)
        layouts[layer_name(layer, ATTENTION_OUT)] = TensorLayout(
            (hidden, config.num_attention_heads * head_dim), split_dim=1)
        layouts[layer_name(layer, POST_ATTENTION_NORM)] = TensorLayout((hidden,), split_dim=None)
        layouts[layer_name(layer, GATE_UP)] = TensorLayout(
            (2 * config.intermediate_size, hidden), split_dim=0, stride=2)
        layouts[layer_name(layer, DOWN)] = TensorLayout((hidden, config.intermediate_size), split_dim=1)
    layouts[FINAL_NORM] = TensorLayout((hidden,), split_dim=None)
    layouts[OUTPUT] = TensorLayout((config.vocab_size, hidden), split_dim=0)
    return layouts


# --- fused tensors -------------------------------------------------------------------------------

def pack_qkv(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, config: ModelConfig) -> torch.Tensor:
    """[q; k; v] projections (HF shapes) -> the grouped query_key_value weight."""
    groups, per_group, head_dim = config.kv_heads, config.queries_per_kv_head, config.head_dim
    columns = q.shape[-1]
    q = q.reshape(groups, per_group * head_dim, columns)
    k = k.reshape(groups, head_dim, columns)
    v = v.reshape(groups, head_dim, columns)
    return torch.cat((q, k, v), dim=1).reshape(-1, columns)


def unpack_qkv(qkv: torch.Tensor, config: ModelConfig) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The grouped query_key_value weight -> (q, k, v) projections in HF shapes."""
    groups, per_group, head_dim = config.kv_heads, config.queries_per_kv_head, config.head_dim
    columns = qkv.shape[-1]
    grouped = qkv.reshape(groups, (per_group + 2) * head_dim, columns)
    q, k, v = grouped.split((per_group * head_dim, head_dim, head_dim), dim=1)
    return (q.reshape(-1, columns).contiguous(), k.reshape(-1, columns).contiguous(),
            v.reshape(-1, columns).contiguous())


def permute_meta_to_hf(weight: torch.Tensor, num_heads: int) -> torch.Tensor:
    """Reorder a q or k projection from Meta's interleaved RoPE pairs to HF's rotate-half halves.

    Within each head, output rows (0, 1), (2, 3), ... are the rotated pairs in Meta's layout;
    HF keeps the first members of all pairs, then all second members.
    """
    rows, columns = weight.shape
    head_dim = rows // num_heads
    return weight.reshape(num_heads, head_dim // 2, 2, columns).transpose(1, 2).reshape(rows, columns)


def permute_hf_to_meta(weight: torch.Tensor, num_heads: int) -> torch.Tensor:
    """Inverse of `permute_meta_to_hf`."""
    rows, columns = weight.shape
    head_dim = rows // num_heads
    return weight.reshape(num_heads, 2, head_dim // 2, columns).transpose(1, 2).reshape(rows, columns)


# --- HF <-> full ---------------------------------------------------------------------------------

def _take(state: Mapping[str, torch.Tensor], key: str, used: set[str]) -> torch.Tensor:
    if key not in state:
        raise KeyError(f"HF state dict has no {key!r}")
    used.add(key)
    return state[key]


def check_full_state_dict(state: Mapping[str, torch.Tensor], config: ModelConfig) -> None:
    """Raise ValueError naming any missing, unexpected or wrongly shaped tensor."""
    layouts = parameter_layouts(config)
    missing = [name for name in layouts if name not in state]
    unexpected = [name for name in state if name not in layouts]
    if missing or unexpected:
        raise ValueError(f"state dict does not match the model: missing {missing[:8]}, unexpected {unexpected[:8]}")
    for name, layout in layouts.items():
        if tuple(state[name].shape) != layout.shape:
            raise ValueError(f"{name}: shape {tuple(state[name].shape)}, expected {layout.shape}")


def _split_layer(name: str) -> tuple[int | None, str]:
    """`layers.3.mlp.down_proj.weight` -> (3, "mlp.down_proj.weight"); other names -> (None, name)."""
    if name.startswith("layers."):
        index, _, local = name[len("layers."):].partition(".")
        if index.isdigit():
            return int(index), local
    return None, name


def hf_sources(name: str) -> tuple[str, ...]:
    """The HF tensor names that our parameter `name` is built from, in packing order."""
    layer, local = _split_layer(name)
    if layer is not None and local == QKV:
        return tuple(key.format(i=layer) for key in _HF_QKV)
    if layer is not None and local == GATE_UP:
        return tuple(key.format(i=layer) for key in _HF_GATE_UP)
    key = name if layer is None else "layers.{i}." + local
    if key not in _ONE_TO_ONE_HF_NAMES:
        raise KeyError(f"{name}: not a parameter of the Llama layout")
    return (_ONE_TO_ONE_HF_NAMES[key].format(i=layer),)


def full_from_hf(name: str, tensors: list[torch.Tensor], config: ModelConfig) -> torch.Tensor:
    """Our full tensor `name` from its HF tensors (in `hf_sources(name)` order)."""
    local = _split_layer(name)[1]
    if local == QKV:
        return pack_qkv(*tensors, config)
    if local == GATE_UP:
        return torch.cat(tensors, dim=0)
    (full,) = tensors
    return full


def hf_from_full(name: str, full: torch.Tensor, config: ModelConfig) -> dict[str, torch.Tensor]:
    """The HF tensors of our full tensor `name` (inverse of `full_from_hf`)."""
    local = _split_layer(name)[1]
    if local == QKV:
        pieces = unpack_qkv(full, config)
    elif local == GATE_UP:
        pieces = tuple(half.contiguous() for half in full.chunk(2, dim=0))
    else:
        pieces = (full,)
    return dict(zip(hf_sources(name), pieces))


def hf_to_full(hf_state: Mapping[str, torch.Tensor], config: ModelConfig) -> dict[str, torch.Tensor]:
    """HF `LlamaForCausalLM` state dict -> our full (unsplit) state dict."""
    used: set[str] = set()
    full = {
        name: full_from_hf(name, [_take(hf_state, source, used) for source in hf_sources(name)], config)
        for name in parameter_layouts(config)
    }
    leftover = [key for key in hf_state if key not in used and not key.endswith(_HF_IGNORED_SUFFIXES)]
    if leftover:
        raise ValueError(f"HF state dict has tensors this config does not use: {sorted(leftover)[:8]}")
    check_full_state_dict(full, config)
    return full


def full_to_hf(full: Mapping[str, torch.Tensor], config: ModelConfig) -> dict[str, torch.Tensor]:
    """Our full state dict -> HF `LlamaForCausalLM` state dict (inverse of `hf_to_full`)."""
    check_full_state_dict(full, config)
    hf: dict[str, torch.Tensor] = {}
    for name in parameter_layouts(config):
        hf.update(hf_from_full(name, full[name], config))
    return hf


# --- full <-> tensor-parallel shards -------------------------------------------------------------

def shard_tensor(full: torch.Tensor, layout: TensorLayout, rank: int, tensor_parallel_size: int) -> torch.Tensor:
    """Rank `rank`'s piece of one full tensor (the tensor itself when it is not split)."""
    if layout.split_dim is None:
        return full
    blocks = full.chunk(layout.stride, dim=layout.split_dim)
    pieces = [block.chunk(tensor_parallel_size, dim=layout.split_dim)[rank] for block in blocks]
    return torch.cat(pieces, dim=layout.split_dim).contiguous()


def merge_tensor(shards: list[torch.Tensor], layout: TensorLayout, name: str = "tensor") -> torch.Tensor:
    """Inverse of `shard_tensor` over all ranks; replicated tensors must agree on every rank."""
    if layout.split_dim is None:
        for rank, shard in enumerate(shards[1:], start=1):
            if not torch.equal(shard, shards[0]):
                raise ValueError(f"{name}: replicated tensor differs between rank 0 and rank {rank}")
        return shards[0]
    per_rank_blocks = [shard.chunk(layout.stride, dim=layout.split_dim) for shard in shards]
    blocks = [torch.cat([blocks[b] for blocks in per_rank_blocks], dim=layout.split_dim)
              for b in range(layout.stride)]
    return torch.cat(blocks, dim=layout.split_dim)


def shard_state_dict(full: Mapping[str, torch.Tensor], config: ModelConfig,
                     tensor_parallel_size: int) -> list[dict[str, torch.Tensor]]:
    """Our full state dict -> one state dict per tensor-parallel rank."""
    config.validate_tensor_parallel(tensor_parallel_size)
    check_full_state_dict(full, config)
    layouts = parameter_layouts(config)
    return [{name: shard_tensor(full[name], layout, rank, tensor_parallel_size)
             for name, layout in layouts.items()}
            for rank in range(tensor_parallel_size)]


def merge_state_dicts(shards: list[Mapping[str, torch.Tensor]], config: ModelConfig) -> dict[str, torch.Tensor]:
    """Per-rank state dicts (rank order) -> our full state dict."""
    tensor_parallel_size = len(shards)
    if tensor_parallel_size < 1:
        raise ValueError("merge_state_dicts needs at least one shard")
    config.validate_tensor_parallel(tensor_parallel_size)
    layouts = parameter_layouts(config)
    merged = {}
    for name, layout in layouts.items():
        expected = layout.shard_shape(tensor_parallel_size)
        for rank, shard in enumerate(shards):
            if name not in shard:
                raise ValueError(f"shard of rank {rank} has no {name!r}")
            if tuple(shard[name].shape) != expected:
                raise ValueError(f"{name} on rank {rank}: shape {tuple(shard[name].shape)}, expected {expected}")
        merged[name] = merge_tensor([shard[name] for shard in shards], layout, name)
    for rank, shard in enumerate(shards):
        unexpected = [key for key in shard if key not in layouts]
        if unexpected:
            raise ValueError(f"shard of rank {rank} has tensors the model does not: {unexpected[:8]}")
    return merged
