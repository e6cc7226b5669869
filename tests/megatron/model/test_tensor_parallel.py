"""TP=2 against TP=1: the same initialisation, and the same logits, loss and gradients from the same full weights."""
from pathlib import Path

import pytest
import torch

from tests.multirank import run_on_ranks

CONFIG = dict(num_layers=2, hidden_size=48, num_attention_heads=6, num_kv_heads=2, intermediate_size=88,
              vocab_size=104, seq_length=16, checkpoint_activations=True)
INIT_SEED = 42


def _batch(vocab_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    tokens = torch.randint(0, vocab_size, (2, 11), generator=torch.Generator().manual_seed(8))
    return tokens, torch.roll(tokens, -1, dims=1)


def _run(model, config) -> dict:
    """Full logits, per-token loss and the full (merged) gradients of one backward pass."""
    from megatron.core import parallel_state
    from megatron.model import gather_logits

    tokens, labels = _batch(config.vocab_size)
    with torch.no_grad():
        logits = gather_logits(model(tokens))
    loss = model(tokens, labels)
    loss.mean().backward()
    grads = {name: p.grad for name, p in model.named_parameters()}
    return {"logits": logits, "loss": loss.detach(), "grads": _merge_across_ranks(grads, config, parallel_state)}


def _merge_across_ranks(shard: dict, config, parallel_state) -> dict:
    from megatron.model import layout

    size = parallel_state.get_tensor_model_parallel_world_size()
    if size == 1:
        return shard
    shards = [None] * size
    torch.distributed.all_gather_object(shards, shard, group=parallel_state.get_tensor_model_parallel_group())
    return layout.merge_state_dicts(shards, config)


def _tp2_rank(rank: int, world_size: int, weights_path: str, out_path: str) -> None:
    from megatron import parallel
    from megatron.core import parallel_state
    from megatron.model import ModelConfig, build_model, layout

    config = ModelConfig(**CONFIG)
    parallel.initialize_distributed(tensor_parallel_size=2)
    parallel.seed_everything(INIT_SEED)
    model = build_model(config)
    initial = _merge_across_ranks(model.state_dict(), config, parallel_state)
    full = torch.load(weights_path)
    model.load_state_dict(layout.shard_state_dict(full, config, 2)[rank], strict=True)
    results = _run(model, config)
    if rank == 0:
        torch.save({"initial": initial, **results}, out_path)
    parallel.destroy_distributed()


@pytest.mark.multirank
def test_tp2_matches_tp1(tmp_path: Path, world_of_one):
    from megatron import parallel
    from megatron.model import ModelConfig, build_model, layout

    config = ModelConfig(**CONFIG)
    parallel.seed_everything(INIT_SEED)
    model = build_model(config)
    initial = {name: tensor.clone() for name, tensor in model.state_dict().items()}
    # Independent full weights (not the init) so that the comparison does not depend on initialisation.
    generator = torch.Generator().manual_seed(123)
    full = {name: (1.0 if spec.split_dim is None else 0.0) + 0.1 * torch.randn(spec.shape, generator=generator)
            for name, spec in layout.parameter_layouts(config).items()}
    torch.save(full, tmp_path / "full.pt")
    model.load_state_dict(full, strict=True)
    expected = _run(model, config)

    run_on_ranks(_tp2_rank, 2, str(tmp_path / "full.pt"), str(tmp_path / "tp2.pt"))
    got = torch.load(tmp_path / "tp2.pt")

    for name, tensor in initial.items():
        assert torch.equal(got["initial"][name], tensor), f"initialisation of {name} depends on TP"
    torch.testing.assert_close(got["logits"], expected["logits"], rtol=0, atol=1e-5)
    torch.testing.assert_close(got["loss"], expected["loss"], rtol=0, atol=1e-5)
    for name, grad in expected["grads"].items():
        torch.testing.assert_close(got["grads"][name], grad, rtol=1e-4, atol=1e-6, msg=name)
