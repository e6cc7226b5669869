"""NeoX -> HF: the exported tokenizer encodes as SentencePiece does, and bad checkpoints are clear errors."""
from __future__ import annotations

import json
import zstandard

import pytest
import torch

from megatron.checkpointing import write_manifest

from math_lm.convert.common import ConversionError
from math_lm.convert.hf_to_neox import convert_hf_to_neox
from math_lm.convert.hf_tokenizer import save_hf_tokenizer
from math_lm.convert.neox_to_hf import export

from .conftest import GQA, LLAMA_TOKENIZER, REPO, write_hf_llama

TEXTS = [
    "Hello world", " leading space", "x = $\\frac{1}{2}$ and  two  spaces\nnew line", "ünïcödé 数学 🙂", "   ",
    "", "a\t\tb", "The answer is 42.\n\n\n", "def f(x):\n    return x**2  # comment", "trailing   ", " \n  x",
]


def test_exported_llama_tokenizer_encodes_and_decodes_as_sentencepiece(tmp_path):
    import sentencepiece
    from transformers import AutoTokenizer

    save_hf_tokenizer(LLAMA_TOKENIZER, tmp_path, model_max_length=4096)
    tokenizer = AutoTokenizer.from_pretrained(tmp_path)
    processor = sentencepiece.SentencePieceProcessor()
    processor.Load(str(LLAMA_TOKENIZER))
    sample = REPO / "data/sample_corpus/sample.jsonl.zst"
    lines = zstandard.ZstdDecompressor().stream_reader(sample.open("rb")).read().decode().splitlines()
    texts = TEXTS + [json.loads(line)["text"][:2000] for line in lines[:150]]
    for text in texts:
        expected = processor.EncodeAsIds(text)
        ids = tokenizer(text)["input_ids"]
        assert ids == [1] + expected, repr(text[:80])
        assert tokenizer.decode(ids, skip_special_tokens=True) == processor.Decode(expected), repr(text[:80])
    assert (tokenizer.bos_token_id, tokenizer.eos_token_id, tokenizer.unk_token_id) == (1, 2, 0)


@pytest.fixture()
def converted(tmp_path, tiny_tokenizer):
    write_hf_llama(tmp_path / "hf", GQA, tokenizer=tiny_tokenizer)
    return convert_hf_to_neox(tmp_path / "hf", tmp_path / "neox", 2, make_vocab_size_divisible_by=8)


def test_bad_checkpoints_are_clear_errors(tmp_path, converted):
    tag_dir = converted / "global_step0"
    with pytest.raises(ConversionError, match="tag 'global_step9'"):
        export(converted, tmp_path / "out", tag="global_step9")
    with pytest.raises(ConversionError, match="tokenizer .*nothing.model does not exist"):
        export(converted, tmp_path / "out", tokenizer=tmp_path / "nothing.model")
    with pytest.raises(ConversionError, match="32000 pieces, more than the model's 99 vocabulary rows"):
        export(converted, tmp_path / "out", tokenizer=LLAMA_TOKENIZER)
    (tmp_path / "out").mkdir()
    with pytest.raises(ConversionError, match="already exists; pass --overwrite"):
        export(converted, tmp_path / "out")
    (tmp_path / "out").rmdir()

    path = tag_dir / "mp_rank_01_model_states.pt"
    state = torch.load(path, weights_only=False)
    state["module"]["layers.1.mlp.down_proj.weight"] = torch.zeros(64, 25)
    torch.save(state, path)
    with pytest.raises(ConversionError, match=r"mp_rank_01_model_states.pt has \d+ bytes, the manifest says"):
        export(converted, tmp_path / "out")
    write_manifest(tag_dir)  # the same damage, written consistently: the tensor checks catch it
    with pytest.raises(ConversionError, match=r"mp_rank_01_model_states.pt: layers.1.mlp.down_proj.weight has shape \(64, 25\), expected \(64, 26\)"):
        export(converted, tmp_path / "out")
    del state["module"]["layers.1.mlp.down_proj.weight"]
    state["module"]["layers.1.mlp.extra.weight"] = torch.zeros(1)
    torch.save(state, path)
    write_manifest(tag_dir)
    with pytest.raises(ConversionError, match=r"missing tensors \['layers.1.mlp.down_proj.weight'\], unexpected tensors \['layers.1.mlp.extra.weight'\]"):
        export(converted, tmp_path / "out")
    path.unlink()
    with pytest.raises(ConversionError, match="tensor_parallel_size=2, so expected"):
        export(converted, tmp_path / "out", tag="global_step0")
    with pytest.raises(ConversionError, match="holds no loadable checkpoint; tried: .*global_step0 is incomplete"):
        export(converted, tmp_path / "out")
    (converted / "latest").unlink()
    with pytest.raises(ConversionError, match="holds no loadable checkpoint; tried: .*global_step0 is incomplete"):
        export(converted, tmp_path / "out")
    (tag_dir / "model_config.json").unlink()
    with pytest.raises(ConversionError, match="model_config.json is missing"):
        export(converted, tmp_path / "out", tag="global_step0")
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out*"))


def test_replicated_tensors_must_agree_across_ranks(tmp_path, converted):
    path = converted / "global_step0/mp_rank_01_model_states.pt"
    state = torch.load(path, weights_only=False)
    state["module"]["final_layernorm.weight"] = state["module"]["final_layernorm.weight"] + 1
    torch.save(state, path)
    write_manifest(path.parent)
    with pytest.raises(ConversionError, match="global_step0: final_layernorm.weight: replicated tensor differs"):
        export(converted, tmp_path / "out")
    assert not (tmp_path / "out").exists()
