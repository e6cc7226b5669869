"""At tensor parallel 2, on real ranks: a converted checkpoint loads through `load:` + `finetune: true`
(DeepSpeed, weights only) exactly, gives HF's logits and loss, trains, and the trained model
exported to HF generates with transformers exactly what the project's greedy decoding generates.
A second converted model (multi-head, odd sizes, padded vocabulary) gives HF's logits at TP 2."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from math_lm.convert.hf_to_neox import convert_hf_to_neox
from math_lm.convert.neox_to_hf import export
from tests.megatron.training_harness import tiny_config, write_code_llama_tokenizer, write_corpus

from .conftest import MHA, Shape, write_hf_llama

# tiny_config's model shape with Code Llama's 32016 ids, padded to 32256 at TP 2 (multiple 128).
FINETUNED = Shape(layers=2, hidden=64, heads=4, kv_heads=2, ffn=96, vocab=32016, theta=10000.0, eps=1e-5,
                  max_positions=32)
PROBE = torch.randint(3, 32000, (2, 12), generator=torch.Generator().manual_seed(11))
PROMPT = torch.randint(3, 32000, (2, 5), generator=torch.Generator().manual_seed(12))
NEW_TOKENS = 8


def _full_state(module, config) -> dict[str, torch.Tensor]:
    from megatron.core import parallel_state
    from megatron.model import layout

    shards = [None] * parallel_state.get_tensor_model_parallel_world_size()
    torch.distributed.all_gather_object(shards, module.state_dict(), group=parallel_state.get_tensor_model_parallel_group())
    return layout.merge_state_dicts(shards, config)


def _tp2_rank(rank: int, world_size: int, config_path: str, mha_checkpoint: str, result_path: str) -> None:
    from megatron import parallel
    from megatron.model import ModelConfig, build_model, gather_logits, greedy_generate
    from megatron.neox_arguments import load_neox_args
    from megatron.training import Trainer, micro_batch_loss

    trainer = Trainer(load_neox_args([config_path], world_size=world_size))
    module = trainer.engine.module
    loaded = _full_state(module, trainer.model_config)
    with torch.no_grad():
        probe_logits = gather_logits(module(PROBE))
        # The first micro-batch of a fresh run (data parallel 1): samples 0 and 1.
        batch = {"text": torch.stack([torch.as_tensor(trainer.train_data[i]["text"]).long() for i in (0, 1)])}
        batch_loss = micro_batch_loss(trainer.engine, batch).item()
    summary = trainer.train()
    trainer.close()
    generated = greedy_generate(module, PROMPT, NEW_TOKENS)

    mha_dir = Path(mha_checkpoint) / "global_step0"
    values = json.loads((mha_dir / "model_config.json").read_text())
    values.pop("tensor_parallel_size")
    parallel.seed_everything(0)
    mha_model = build_model(ModelConfig.from_dict(values))
    mha_model.load_state_dict(torch.load(mha_dir / f"mp_rank_{rank:02d}_model_states.pt", weights_only=False)["module"])
    with torch.no_grad():
        mha_logits = gather_logits(mha_model(PROBE % MHA.vocab))
    if rank == 0:
        torch.save({"loaded": loaded, "probe_logits": probe_logits, "batch": batch["text"], "batch_loss": batch_loss,
                    "losses": summary.losses, "generated": generated, "mha_logits": mha_logits}, result_path)
    parallel.destroy_distributed()


@pytest.mark.multirank
def test_tp2_finetune_from_converted_checkpoint_then_export_and_generate(tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from megatron.model import ModelConfig, layout
    from tests.multirank import run_on_ranks

    tokenizer = write_code_llama_tokenizer(tmp_path)
    hf_model = write_hf_llama(tmp_path / "hf", FINETUNED, seed=21, tokenizer=tokenizer)
    convert_hf_to_neox(tmp_path / "hf", tmp_path / "converted", 2)
    mha_model = write_hf_llama(tmp_path / "hf-mha", MHA, seed=22)
    convert_hf_to_neox(tmp_path / "hf-mha", tmp_path / "converted-mha", 2, make_vocab_size_divisible_by=8)
    config = tiny_config(write_corpus(tmp_path), load=str(tmp_path / "converted"), finetune=True,
                         save=str(tmp_path / "trained"), model_parallel_size=2, train_iters=3,
                         rotary_emb_base=FINETUNED.theta, rms_norm_epsilon=FINETUNED.eps, vocab_file=str(tokenizer))
    (tmp_path / "run.yml").write_text(json.dumps(config))
    run_on_ranks(_tp2_rank, 2, str(tmp_path / "run.yml"), str(tmp_path / "converted-mha"), str(tmp_path / "out.pt"))
    result = torch.load(tmp_path / "out.pt", weights_only=False)

    # finetune: true loaded exactly the converted weights, at TP 2, through DeepSpeed.
    values = json.loads((tmp_path / "converted/global_step0/model_config.json").read_text())
    values.pop("tensor_parallel_size")
    assert (values["vocab_size"], values["unpadded_vocab_size"]) == (32256, 32016)
    unpadded = ModelConfig.from_dict({**values, "vocab_size": 32016, "unpadded_vocab_size": None})
    expected = layout.hf_to_full(hf_model.state_dict(), unpadded)
    assert all(torch.equal(result["loaded"][name][:expected[name].shape[0]], expected[name]) for name in expected)
    with torch.no_grad():
        assert (result["probe_logits"][..., :32016] - hf_model(PROBE).logits).abs().max() <= 1e-5
        assert torch.isneginf(result["probe_logits"][..., 32016:]).all()
        tokens = result["batch"]
        hf_loss = F.cross_entropy(hf_model(tokens[:, :-1]).logits.flatten(0, 1), tokens[:, 1:].flatten()).item()
        mha_expected = mha_model(PROBE % MHA.vocab).logits
    assert result["batch_loss"] == pytest.approx(hf_loss, abs=1e-5)
    assert (result["mha_logits"][..., :MHA.vocab] - mha_expected).abs().max() <= 1e-5
    losses = result["losses"]
    assert len(losses) == 3 and all(torch.isfinite(torch.tensor(list(losses.values()))))
    assert losses[1] == pytest.approx(hf_loss, abs=1e-5), "the first step starts from the converted weights"

    # The trained TP 2 checkpoint -> HF: transformers' greedy generate == the project's.
    out = export(tmp_path / "trained", tmp_path / "trained-hf")
    exported = AutoModelForCausalLM.from_pretrained(out).eval()
    theirs = exported.generate(PROMPT, attention_mask=torch.ones_like(PROMPT), max_new_tokens=NEW_TOKENS,
                               do_sample=False, eos_token_id=None, pad_token_id=0)
    assert torch.equal(result["generated"], theirs)
    assert not torch.equal(exported.state_dict()["lm_head.weight"], hf_model.state_dict()["lm_head.weight"])
    tokenizer = AutoTokenizer.from_pretrained(out)
    assert tokenizer("We add")["input_ids"][0] == 1 and exported.config.eos_token_id == 2
