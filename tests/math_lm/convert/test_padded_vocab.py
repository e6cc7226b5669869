"""Converted Code Llama-shaped models (vocabulary 32016, which every LLEMMA 7B run pads, and 32000) give
HF's loss at tensor parallel 1, 2, 4 and 8, whatever `make_vocab_size_divisible_by` pads them to."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from math_lm.convert.hf_to_neox import convert_hf_to_neox

from .conftest import Shape, write_hf_llama

VOCABS = (32016, 32000)
TENSOR_PARALLEL = (1, 2, 4, 8)
MULTIPLES = (1, 128)
TOKENS = torch.randint(3, 32000, (2, 13), generator=torch.Generator().manual_seed(4))


def _case_name(vocab: int, tp: int, multiple: int) -> str:
    return f"v{vocab}-tp{tp}-m{multiple}"


def _loss_rank(rank: int, world_size: int, checkpoints: str, result_path: str) -> None:
    from megatron import parallel
    from megatron.core import parallel_state
    from megatron.model import ModelConfig, build_model

    losses = {}
    for vocab in VOCABS:
        for tp in TENSOR_PARALLEL:
            for multiple in MULTIPLES:
                tag_dir = Path(checkpoints) / _case_name(vocab, tp, multiple) / "global_step0"
                values = json.loads((tag_dir / "model_config.json").read_text())
                values.pop("tensor_parallel_size")
                parallel.initialize_distributed(tensor_parallel_size=tp)
                parallel.seed_everything(0)
                model = build_model(ModelConfig.from_dict(values))
                tp_rank = parallel_state.get_tensor_model_parallel_rank()
                state = torch.load(tag_dir / f"mp_rank_{tp_rank:02d}_model_states.pt", weights_only=False)["module"]
                model.load_state_dict(state, strict=True)
                with torch.no_grad():
                    loss = model(TOKENS[:, :-1], TOKENS[:, 1:]).mean().item()
                losses[(vocab, tp, multiple)] = (values["vocab_size"], loss)
                parallel_state.destroy_model_parallel()
    if rank == 0:
        torch.save(losses, result_path)
    parallel.destroy_distributed()


@pytest.mark.multirank
@pytest.mark.slow
def test_loss_equals_hf_at_any_tensor_parallel_size_and_padding(tmp_path):
    from tests.multirank import run_on_ranks

    expected = {}
    for vocab in VOCABS:
        shape = Shape(layers=1, hidden=64, heads=8, kv_heads=8, ffn=64, vocab=vocab, theta=1e6, eps=1e-5,
                      max_positions=16)
        hf_model = write_hf_llama(tmp_path / f"hf-{vocab}", shape, seed=vocab)
        with torch.no_grad():
            logits = hf_model(TOKENS[:, :-1]).logits
        expected[vocab] = F.cross_entropy(logits.flatten(0, 1), TOKENS[:, 1:].flatten()).item()
        for tp in TENSOR_PARALLEL:
            for multiple in MULTIPLES:
                convert_hf_to_neox(tmp_path / f"hf-{vocab}", tmp_path / _case_name(vocab, tp, multiple), tp,
                                   make_vocab_size_divisible_by=multiple)
    run_on_ranks(_loss_rank, 8, str(tmp_path), str(tmp_path / "losses.pt"))
    losses = torch.load(tmp_path / "losses.pt")

    padded_sizes = {key: size for key, (size, _) in losses.items()}
    assert padded_sizes[(32016, 1, 128)] == 32128 and padded_sizes[(32016, 2, 128)] == 32256
    assert padded_sizes[(32016, 8, 128)] == 32768 and padded_sizes[(32000, 2, 128)] == 32000
    for (vocab, tp, multiple), (_, loss) in losses.items():
        assert loss == pytest.approx(expected[vocab], abs=1e-5), (vocab, tp, multiple)
