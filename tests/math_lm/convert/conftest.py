"""Tiny random Llama checkpoints in HF and Meta formats, and a one-process model-parallel world."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch

from tests.hf_llama import random_hf_llama_from


REPO = Path(__file__).resolve().parents[3]
LLAMA_TOKENIZER = REPO / "data/tokenizers/llama2.model"


@dataclass(frozen=True)
class Shape:
    """An odd little Llama: sizes no real model has, so packing mistakes cannot cancel out."""

    layers: int = 2
    hidden: int = 48
    heads: int = 6
    kv_heads: int = 6
    ffn: int = 44
    vocab: int = 101
    theta: float = 10000.0
    eps: float = 1e-5
    max_positions: int = 32


MHA = Shape()
GQA = Shape(layers=3, hidden=64, heads=8, kv_heads=4, ffn=52, vocab=99, theta=1e6, eps=1e-6)


def random_hf_llama(shape: Shape, seed: int = 0):
    """An fp32 HF LlamaForCausalLM with random weights (norms too, so ignoring them would show)."""
    from transformers import LlamaConfig

    config = LlamaConfig(
        vocab_size=shape.vocab, hidden_size=shape.hidden, intermediate_size=shape.ffn,
        num_hidden_layers=shape.layers, num_attention_heads=shape.heads, num_key_value_heads=shape.kv_heads,
        max_position_embeddings=shape.max_positions, rms_norm_eps=shape.eps,
        rope_parameters={"rope_type": "default", "rope_theta": shape.theta}, tie_word_embeddings=False,
        attn_implementation="eager", bos_token_id=1, eos_token_id=2, pad_token_id=None,
    )
    return random_hf_llama_from(config, seed)


def write_hf_llama(directory: Path, shape: Shape, seed: int = 0, tokenizer: Path | None = None, **save_kwargs):
    """Save a random HF model to `directory` (kwargs go to save_pretrained), with `tokenizer` as its
    tokenizer.model; returns the model."""
    model = random_hf_llama(shape, seed)
    model.save_pretrained(directory, **save_kwargs)
    if tokenizer is not None:
        (directory / "tokenizer.model").write_bytes(Path(tokenizer).read_bytes())
    return model


@pytest.fixture(scope="session")
def tiny_tokenizer(tmp_path_factory) -> Path:
    """A Llama-style SentencePiece BPE model (unk 0, bos 1, eos 2) of 90 pieces, for models with a
    vocabulary smaller than Llama's."""
    import sentencepiece

    directory = tmp_path_factory.mktemp("tokenizer")
    lines = [f"Problem {i}: compute {i} + {i * 7 % 13} = {i + i * 7 % 13}; the answer is {i}." for i in range(200)]
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_prefix=str(directory / "tiny"), model_type="bpe", vocab_size=90,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1, character_coverage=1.0, normalization_rule_name="identity",
        remove_extra_whitespaces=False, split_digits=True, minloglevel=2,
    )
    return directory / "tiny.model"


def write_meta_checkpoint(hf_model, directory: Path, num_shards: int, with_kv_heads: bool = True) -> None:
    """Write `hf_model` in Meta's release format: interleaved RoPE q/k, `num_shards` model-parallel
    shards (column-parallel weights cut along dim 0, row-parallel and the embedding along dim 1)."""
    from megatron.model.layout import permute_hf_to_meta

    config = hf_model.config
    state = hf_model.state_dict()
    meta: dict[str, tuple[torch.Tensor, int | None]] = {
        "tok_embeddings.weight": (state["model.embed_tokens.weight"], 1),
        "norm.weight": (state["model.norm.weight"], None),
        "output.weight": (state["lm_head.weight"], 0),
    }
    for i in range(config.num_hidden_layers):
        hf = f"model.layers.{i}."
        meta.update({
            f"layers.{i}.attention.wq.weight": (
                permute_hf_to_meta(state[hf + "self_attn.q_proj.weight"], config.num_attention_heads), 0),
            f"layers.{i}.attention.wk.weight": (
                permute_hf_to_meta(state[hf + "self_attn.k_proj.weight"], config.num_key_value_heads), 0),
            f"layers.{i}.attention.wv.weight": (state[hf + "self_attn.v_proj.weight"], 0),
            f"layers.{i}.attention.wo.weight": (state[hf + "self_attn.o_proj.weight"], 1),
            f"layers.{i}.feed_forward.w1.weight": (state[hf + "mlp.gate_proj.weight"], 0),
            f"layers.{i}.feed_forward.w2.weight": (state[hf + "mlp.down_proj.weight"], 1),
            f"layers.{i}.feed_forward.w3.weight": (state[hf + "mlp.up_proj.weight"], 0),
            f"layers.{i}.attention_norm.weight": (state[hf + "input_layernorm.weight"], None),
            f"layers.{i}.ffn_norm.weight": (state[hf + "post_attention_layernorm.weight"], None),
        })
    directory.mkdir(parents=True)
    for shard in range(num_shards):
        pieces = {name: (tensor if dim is None else tensor.chunk(num_shards, dim=dim)[shard]).clone()
                  for name, (tensor, dim) in meta.items()}
        pieces["rope.freqs"] = torch.ones(config.hidden_size // config.num_attention_heads // 2)
        torch.save(pieces, directory / f"consolidated.{shard:02d}.pth")
    params = {"dim": config.hidden_size, "n_layers": config.num_hidden_layers, "n_heads": config.num_attention_heads,
              "multiple_of": 4, "norm_eps": config.rms_norm_eps, "vocab_size": -1,
              "rope_theta": config.rope_parameters["rope_theta"]}
    if with_kv_heads:
        params["n_kv_heads"] = config.num_key_value_heads
    (directory / "params.json").write_text(json.dumps(params))


def load_rank_modules(checkpoint: Path) -> list[dict[str, torch.Tensor]]:
    """Every rank's module state dict of a converted checkpoint (tag global_step0)."""
    tag_dir = checkpoint / "global_step0"
    files = sorted(tag_dir.glob("mp_rank_*_model_states.pt"))
    return [torch.load(path, weights_only=False)["module"] for path in files]


def checkpoint_config(checkpoint: Path):
    from megatron.model import ModelConfig

    values = json.loads((checkpoint / "global_step0" / "model_config.json").read_text())
    tensor_parallel_size = values.pop("tensor_parallel_size")
    return ModelConfig.from_dict(values), tensor_parallel_size

