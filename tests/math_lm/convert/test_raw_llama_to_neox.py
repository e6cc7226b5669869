"""Meta's release format -> NeoX: bit-identical to the HF path for 1, 2 and 4 Meta shards, MHA
without `n_kv_heads`, and clear errors for damaged releases."""
from __future__ import annotations

import json

import pytest
import torch

from math_lm.convert.common import ConversionError
from math_lm.convert.hf_to_neox import convert_hf_to_neox
from math_lm.convert.raw_llama_to_neox import convert_raw_llama_to_neox

from .conftest import GQA, MHA, checkpoint_config, load_rank_modules, random_hf_llama, write_meta_checkpoint


@pytest.mark.parametrize("shape, meta_shards, with_kv_heads, tp", [
    (GQA, 1, True, 2), (GQA, 2, True, 4), (GQA, 4, True, 1), (MHA, 2, False, 2),
], ids=["7b-like-1-shard", "13b-like-2-shards", "34b-like-4-shards-gqa", "mha-no-n_kv_heads"])
def test_meta_checkpoint_converts_exactly_as_the_hf_one(tmp_path, shape, meta_shards, with_kv_heads, tp):
    hf_model = random_hf_llama(shape, seed=meta_shards)
    hf_model.save_pretrained(tmp_path / "hf")
    write_meta_checkpoint(hf_model, tmp_path / "meta", meta_shards, with_kv_heads=with_kv_heads)
    convert_hf_to_neox(tmp_path / "hf", tmp_path / "from-hf", tp, make_vocab_size_divisible_by=8)
    convert_raw_llama_to_neox(tmp_path / "meta", tmp_path / "from-meta", tp, make_vocab_size_divisible_by=8,
                              seq_length=shape.max_positions)
    hf_config, _ = checkpoint_config(tmp_path / "from-hf")
    meta_config, meta_tp = checkpoint_config(tmp_path / "from-meta")
    assert meta_tp == tp and meta_config == hf_config
    for rank_hf, rank_meta in zip(load_rank_modules(tmp_path / "from-hf"), load_rank_modules(tmp_path / "from-meta")):
        assert rank_hf.keys() == rank_meta.keys()
        for name in rank_hf:
            assert torch.equal(rank_hf[name], rank_meta[name]), name
    conversion = json.loads((tmp_path / "from-meta/global_step0/conversion.json").read_text())
    assert conversion["meta_shards"] == meta_shards and conversion["original_vocab_size"] == shape.vocab


def _damage(directory, shard: int, edit) -> None:
    path = directory / f"consolidated.{shard:02d}.pth"
    state = torch.load(path)
    edit(state)
    torch.save(state, path)


def test_damaged_meta_checkpoints_are_clear_errors(tmp_path):
    hf_model = random_hf_llama(GQA)
    meta = tmp_path / "meta"
    write_meta_checkpoint(hf_model, meta, 2)

    with pytest.raises(ConversionError, match="already exists"):
        convert_raw_llama_to_neox(meta, meta, 2)
    _damage(meta, 0, lambda s: s.pop("layers.2.feed_forward.w3.weight"))
    with pytest.raises(ConversionError, match=r"consolidated.00.pth: tensors \['layers.2.feed_forward.w3.weight'\] are missing"):
        convert_raw_llama_to_neox(meta, tmp_path / "out", 2)
    _damage(meta, 0, lambda s: s.update({"layers.2.feed_forward.w3.weight": torch.zeros(26, 64), "extra.bias": torch.zeros(1)}))
    with pytest.raises(ConversionError, match=r"unexpected tensors \['extra.bias'\]"):
        convert_raw_llama_to_neox(meta, tmp_path / "out", 2)
    _damage(meta, 0, lambda s: s.pop("extra.bias"))
    _damage(meta, 1, lambda s: s.pop("layers.1.attention.wk.weight"))
    with pytest.raises(ConversionError, match=r"consolidated.01.pth: tensor 'layers.1.attention.wk.weight' is missing"):
        convert_raw_llama_to_neox(meta, tmp_path / "out", 2)
    _damage(meta, 1, lambda s: s.update({"layers.1.attention.wk.weight": torch.zeros(16, 64),
                                         "layers.0.ffn_norm.weight": torch.zeros(64)}))
    with pytest.raises(ConversionError, match="layers.0.ffn_norm.weight: replicated tensor differs"):
        convert_raw_llama_to_neox(meta, tmp_path / "out", 2)
    params = json.loads((meta / "params.json").read_text())
    (meta / "params.json").write_text(json.dumps({**params, "vocab_size": 32016}))
    with pytest.raises(ConversionError, match="vocab_size=32016, but tok_embeddings.weight has 99 rows"):
        convert_raw_llama_to_neox(meta, tmp_path / "out", 2)
    (meta / "params.json").write_text(json.dumps({key: value for key, value in params.items() if key != "n_heads"}))
    with pytest.raises(ConversionError, match="'n_heads' is missing"):
        convert_raw_llama_to_neox(meta, tmp_path / "out", 2)
    (meta / "consolidated.01.pth").rename(meta / "consolidated.03.pth")
    (meta / "params.json").write_text(json.dumps(params))
    with pytest.raises(ConversionError, match=r"expected \['consolidated.00.pth', 'consolidated.01.pth'\]"):
        convert_raw_llama_to_neox(meta, tmp_path / "out", 2)
    with pytest.raises(ConversionError, match="params.json is missing"):
        convert_raw_llama_to_neox(tmp_path, tmp_path / "out", 2)
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out*"))
