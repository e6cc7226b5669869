"""HF -> NeoX: logits equal HF's at TP 1 (in process) and TP 4 (merged shards), HF -> NeoX -> HF is
bit-identical at TP 1, 2 and 4, input formats agree, and every bad input is a clear error."""
from __future__ import annotations

import json
import warnings

import pytest
import torch

from megatron.model import build_model, layout
from megatron.tokenizer import padded_vocab_size

from math_lm.convert.common import ConversionError
from math_lm.convert.hf_to_neox import convert_hf_to_neox
from math_lm.convert.neox_to_hf import export

from .conftest import GQA, MHA, Shape, checkpoint_config, load_rank_modules, write_hf_llama


def project_logits(config, module_state, tokens):
    from megatron import parallel

    parallel.seed_everything(0)
    model = build_model(config)
    model.load_state_dict(module_state, strict=True)
    with torch.no_grad():
        return model(tokens)


@pytest.mark.parametrize("shape", [MHA, GQA], ids=["mha", "gqa"])
def test_tp1_logits_match_hf_and_padding_rows_are_the_mean(world_of_one, tmp_path, shape):
    hf_model = write_hf_llama(tmp_path / "hf", shape, seed=1)
    convert_hf_to_neox(tmp_path / "hf", tmp_path / "neox", 1, make_vocab_size_divisible_by=8)
    config, tp = checkpoint_config(tmp_path / "neox")
    assert tp == 1 and config.vocab_size == padded_vocab_size(shape.vocab, 8, 1) > shape.vocab
    assert config.kv_heads == shape.kv_heads and config.rotary_emb_base == shape.theta and config.norm_eps == shape.eps
    tokens = torch.randint(0, shape.vocab, (2, 13), generator=torch.Generator().manual_seed(2))
    logits = project_logits(config, load_rank_modules(tmp_path / "neox")[0], tokens)
    with torch.no_grad():
        expected = hf_model(tokens).logits
    assert (logits[..., :shape.vocab] - expected).abs().max() <= 1e-5
    assert torch.isneginf(logits[..., shape.vocab:]).all(), "padded ids never take probability"
    assert config.unpadded_vocab_size == shape.vocab
    output = load_rank_modules(tmp_path / "neox")[0]["embed_out.weight"]
    assert torch.allclose(output[shape.vocab:], output[:shape.vocab].mean(dim=0).expand_as(output[shape.vocab:]))
    conversion = json.loads((tmp_path / "neox/global_step0/conversion.json").read_text())
    assert conversion["original_vocab_size"] == shape.vocab and conversion["format"] == "hf"


def test_tp4_shards_are_the_layout_split_and_merge_to_hf_logits(world_of_one, tmp_path):
    hf_model = write_hf_llama(tmp_path / "hf", GQA, seed=3)
    convert_hf_to_neox(tmp_path / "hf", tmp_path / "neox", 4, make_vocab_size_divisible_by=8)
    config, tp = checkpoint_config(tmp_path / "neox")
    shards = load_rank_modules(tmp_path / "neox")
    assert tp == 4 and len(shards) == 4
    merged = layout.merge_state_dicts(shards, config)
    for rank, (shard, expected) in enumerate(zip(shards, layout.shard_state_dict(merged, config, 4))):
        assert shard.keys() == expected.keys()
        assert all(torch.equal(shard[name], expected[name]) for name in shard), f"rank {rank}"
    tokens = torch.randint(0, GQA.vocab, (1, 17), generator=torch.Generator().manual_seed(4))
    logits = project_logits(config, merged, tokens)
    with torch.no_grad():
        expected_logits = hf_model(tokens).logits
    assert (logits[..., :GQA.vocab] - expected_logits).abs().max() <= 1e-5


@pytest.mark.parametrize("tp", [1, 2, 4])
def test_round_trip_is_bit_identical_and_loads_in_transformers(tmp_path, tiny_tokenizer, tp):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    hf_model = write_hf_llama(tmp_path / "hf", GQA, seed=tp, tokenizer=tiny_tokenizer)
    convert_hf_to_neox(tmp_path / "hf", tmp_path / "neox", tp, make_vocab_size_divisible_by=16)
    out = export(tmp_path / "neox", tmp_path / "back", max_shard_bytes=60_000)
    assert out == tmp_path / "back"
    assert len(list(out.glob("model-*-of-*.safetensors"))) > 1 and (out / "model.safetensors.index.json").is_file()
    loaded = AutoModelForCausalLM.from_pretrained(out)
    original, back = hf_model.state_dict(), loaded.state_dict()
    assert original.keys() == back.keys()
    assert all(torch.equal(original[name], back[name]) for name in original)
    config = json.loads((out / "config.json").read_text())
    assert config["vocab_size"] == GQA.vocab and config["num_key_value_heads"] == GQA.kv_heads
    assert config["rope_parameters"]["rope_theta"] == GQA.theta and config["rms_norm_eps"] == GQA.eps
    assert (config["bos_token_id"], config["eos_token_id"], config["dtype"]) == (1, 2, "float32")
    tokenizer = AutoTokenizer.from_pretrained(out)
    assert (tokenizer.bos_token_id, tokenizer.eos_token_id) == (1, 2)
    text = "Problem 12: compute 12 + 6 = 18"
    assert tokenizer(text)["input_ids"] == [1] + _sentencepiece(tiny_tokenizer).EncodeAsIds(text)
    assert not list(tmp_path.glob(".*tmp*")), "temporary directories left behind"


def _sentencepiece(model_file):
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor()
    processor.Load(str(model_file))
    return processor


def test_bin_and_sharded_safetensors_inputs_give_the_same_checkpoint(tmp_path):
    model = write_hf_llama(tmp_path / "single", MHA, seed=5)
    write_hf_llama(tmp_path / "sharded", MHA, seed=5, max_shard_size="20KB")
    assert (tmp_path / "sharded/model.safetensors.index.json").is_file()
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin/config.json").write_bytes((tmp_path / "single/config.json").read_bytes())
    torch.save(model.state_dict(), tmp_path / "bin/pytorch_model.bin")
    results = []
    for source in ("single", "sharded", "bin"):
        convert_hf_to_neox(tmp_path / source, tmp_path / f"neox-{source}", 2, make_vocab_size_divisible_by=8)
        results.append(load_rank_modules(tmp_path / f"neox-{source}"))
    for other in results[1:]:
        for rank_a, rank_b in zip(results[0], other):
            assert rank_a.keys() == rank_b.keys()
            assert all(torch.equal(rank_a[name], rank_b[name]) for name in rank_a)


def test_dtype_cast_rope_base_override_and_finetune_file_keys(tmp_path):
    hf_model = write_hf_llama(tmp_path / "hf", MHA, seed=6)
    with pytest.warns(UserWarning, match="differs from the model's RoPE base"):
        convert_hf_to_neox(tmp_path / "hf", tmp_path / "neox", 2, rotary_emb_base=500000.0, dtype=torch.bfloat16,
                           make_vocab_size_divisible_by=8)
    config, _ = checkpoint_config(tmp_path / "neox")
    assert config.rotary_emb_base == 500000.0 and config.params_dtype == torch.bfloat16
    state = torch.load(tmp_path / "neox/global_step0/mp_rank_01_model_states.pt", weights_only=False)
    assert set(state) == {"module", "dp_world_size", "mp_world_size"}
    assert all(tensor.dtype == torch.bfloat16 for tensor in state["module"].values())
    assert (tmp_path / "neox/latest").read_text() == "global_step0"
    with pytest.raises(ConversionError, match="no tokenizer recorded"):
        export(tmp_path / "neox", tmp_path / "back")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        convert_hf_to_neox(tmp_path / "hf", tmp_path / "same-base", 1, rotary_emb_base=MHA.theta)
    bf16 = {name: tensor.to(torch.bfloat16) for name, tensor in hf_model.state_dict().items()}
    assert torch.equal(layout.merge_state_dicts(load_rank_modules(tmp_path / "neox"), config)[layout.EMBEDDING][:MHA.vocab],
                       bf16["model.embed_tokens.weight"])


# ---------------------------------------------------------------------------------------------- errors

def _edit_safetensors(directory, edit) -> None:
    from safetensors.torch import load_file, save_file

    path = directory / "model.safetensors"
    tensors = load_file(path)
    edit(tensors)
    save_file(tensors, path, metadata={"format": "pt"})


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.pop("model.layers.1.mlp.up_proj.weight"), r"missing tensors \['model.layers.1.mlp.up_proj.weight'\]"),
    (lambda t: t.__setitem__("model.layers.0.self_attn.q_proj.bias", torch.zeros(48)),
     r"unexpected tensors \['model.layers.0.self_attn.q_proj.bias'\]"),
    (lambda t: t.__setitem__("model.layers.1.self_attn.k_proj.weight", torch.zeros(40, 48)),
     r"layers.1.attention.query_key_value.weight: HF tensors .*k_proj.weight': \(40, 48\)"),
    (lambda t: t.__setitem__("model.layers.0.mlp.down_proj.weight", torch.zeros(48, 40)),
     r"layers.0.mlp.down_proj.weight: HF tensors .*\(48, 40\).*expects \(48, 44\)"),
    (lambda t: t.__setitem__("lm_head.weight", torch.zeros(100, 48)), r"lm_head.weight: 100 rows, but the vocabulary has 101"),
], ids=["missing", "unexpected", "qkv-shape", "shape", "vocab-rows"])
def test_bad_tensors_are_errors_naming_the_tensor(tmp_path, edit, message):
    write_hf_llama(tmp_path / "hf", MHA)
    _edit_safetensors(tmp_path / "hf", edit)
    with pytest.raises(ConversionError, match=message):
        convert_hf_to_neox(tmp_path / "hf", tmp_path / "neox", 1)
    assert not (tmp_path / "neox").exists() and not list(tmp_path.glob(".neox*"))


@pytest.mark.parametrize("shape, tp, message", [
    (Shape(heads=6, kv_heads=6), 4, "does not divide num_attention_heads=6"),
    (Shape(heads=6, kv_heads=3, hidden=48), 2, "does not divide num_kv_heads=3"),
    (Shape(hidden=64, heads=8, kv_heads=8, ffn=42), 4, "does not divide intermediate_size=42"),
], ids=["heads", "kv-heads", "ffn"])
def test_tensor_parallel_size_must_divide_the_model(tmp_path, shape, tp, message):
    write_hf_llama(tmp_path / "hf", shape)
    with pytest.raises(ConversionError, match=message):
        convert_hf_to_neox(tmp_path / "hf", tmp_path / "neox", tp)


def test_bad_directories_and_existing_output(tmp_path):
    with pytest.raises(ConversionError, match="config.json is missing"):
        convert_hf_to_neox(tmp_path, tmp_path / "neox", 1)
    write_hf_llama(tmp_path / "hf", MHA)
    (tmp_path / "hf/model.safetensors").rename(tmp_path / "elsewhere.safetensors")
    with pytest.raises(ConversionError, match="has no weights"):
        convert_hf_to_neox(tmp_path / "hf", tmp_path / "neox", 1)
    (tmp_path / "elsewhere.safetensors").rename(tmp_path / "hf/model.safetensors")
    with pytest.raises(ConversionError, match="--tp must be a positive integer"):
        convert_hf_to_neox(tmp_path / "hf", tmp_path / "neox", 0)
    (tmp_path / "neox").mkdir()
    (tmp_path / "neox/keep").write_text("mine")
    with pytest.raises(ConversionError, match="already exists; pass --overwrite"):
        convert_hf_to_neox(tmp_path / "hf", tmp_path / "neox", 1)
    assert (tmp_path / "neox/keep").read_text() == "mine"
    convert_hf_to_neox(tmp_path / "hf", tmp_path / "neox", 1, overwrite=True)
    assert not (tmp_path / "neox/keep").exists() and (tmp_path / "neox/latest").is_file()
    assert not list(tmp_path.glob(".neox*"))
