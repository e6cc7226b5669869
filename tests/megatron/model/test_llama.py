import pytest
import torch
import torch.nn.functional as F

from megatron import parallel
from megatron.model import (
    ModelConfig,
    build_model,
    count_parameters,
    flops_per_token,
    greedy_generate,
)
from megatron.model import layout

from .conftest import random_hf_llama

MHA = ModelConfig(num_layers=3, hidden_size=48, num_attention_heads=4, num_kv_heads=None,
                  intermediate_size=88, vocab_size=104, seq_length=24, rotary_emb_base=10000.0)
GQA = ModelConfig(num_layers=3, hidden_size=72, num_attention_heads=6, num_kv_heads=2,
                  intermediate_size=88, vocab_size=104, seq_length=24, rotary_emb_base=1e6, norm_eps=1e-6)


def model_with_hf_weights(config: ModelConfig, hf_model):
    parallel.seed_everything(0)
    model = build_model(config)
    full = layout.hf_to_full(hf_model.state_dict(), config)
    model.load_state_dict(layout.shard_state_dict(full, config, 1)[0], strict=True)
    hf_model.to(device_of(model))
    return model


def device_of(model) -> torch.device:
    """Where build_model put the parameters: the GPU when there is one, else the CPU."""
    return next(model.parameters()).device


@pytest.mark.parametrize("config", [MHA, GQA], ids=["mha", "gqa"])
def test_logits_and_loss_match_hf_llama(world_of_one, config):
    hf_model = random_hf_llama(config, seed=3)
    model = model_with_hf_weights(config, hf_model)
    tokens = torch.randint(0, config.vocab_size, (2, 17), generator=torch.Generator().manual_seed(5))
    tokens = tokens.to(device_of(model))
    labels = torch.roll(tokens, -1, dims=1)
    with torch.no_grad():
        expected = hf_model(tokens).logits
        logits = model(tokens)
        loss = model(tokens, labels)
    assert (logits - expected).abs().max() <= 1e-5
    assert loss.dtype == torch.float32 and loss.shape == tokens.shape
    expected_loss = F.cross_entropy(expected.flatten(0, 1), labels.flatten(), reduction="none").view_as(loss)
    assert (loss - expected_loss).abs().max() <= 1e-5


def test_greedy_generation_matches_hf_generate(world_of_one):
    hf_model = random_hf_llama(GQA, seed=4)
    model = model_with_hf_weights(GQA, hf_model)
    prompt = torch.randint(0, GQA.vocab_size, (2, 5), generator=torch.Generator().manual_seed(6)).to(device_of(model))
    ours = greedy_generate(model, prompt, max_new_tokens=8)
    theirs = hf_model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=8,
                               do_sample=False, eos_token_id=None, pad_token_id=0)
    assert torch.equal(ours, theirs)
    with pytest.raises(ValueError, match="seq_length=24"):
        greedy_generate(model, prompt, max_new_tokens=20)


def test_activation_checkpointing_gives_the_same_loss_and_gradients(world_of_one):
    tokens = torch.randint(0, MHA.vocab_size, (2, 12), generator=torch.Generator().manual_seed(7))
    results = []
    for checkpointing, span in ((False, 1), (True, 1), (True, 2)):
        config = ModelConfig.from_dict({**MHA.to_dict(), "checkpoint_activations": checkpointing,
                                        "checkpoint_num_layers": span})
        parallel.seed_everything(11)
        model = build_model(config)
        tokens = tokens.to(device_of(model))
        loss = model(tokens, torch.roll(tokens, -1, 1)).mean()
        loss.backward()
        results.append((loss.detach(), {name: p.grad for name, p in model.named_parameters()}))
    (loss0, grads0), *others = results
    for loss, grads in others:
        assert torch.equal(loss, loss0)
        for name, grad in grads.items():
            torch.testing.assert_close(grad, grads0[name], rtol=1e-6, atol=1e-7, msg=name)
    assert all(grad.abs().sum() > 0 for grad in grads0.values())


def test_initialization_is_seeded_and_scaled(world_of_one):
    parallel.seed_everything(1)
    first = build_model(GQA).state_dict()
    parallel.seed_everything(1)
    again = build_model(GQA).state_dict()
    parallel.seed_everything(2)
    other = build_model(GQA).state_dict()
    assert list(first) == list(layout.parameter_layouts(GQA))
    for name in first:
        assert torch.equal(first[name], again[name]), name
    assert not torch.equal(first["embed_out.weight"], other["embed_out.weight"])
    assert (first["final_layernorm.weight"] == 1).all()
    assert abs(first["word_embeddings.weight"].std().item() - 0.02) < 0.002
    residual_std = 0.02 / (2 * GQA.num_layers) ** 0.5
    assert abs(first["layers.0.mlp.down_proj.weight"].std().item() - residual_std) < 0.1 * residual_std
    # Different tensors come from different streams.
    assert not torch.equal(first["layers.0.attention.query_key_value.weight"][:72],
                           first["layers.1.attention.query_key_value.weight"][:72])


def test_parameter_count_and_flops(world_of_one):
    hf_model = random_hf_llama(GQA)
    model = model_with_hf_weights(GQA, hf_model)
    total = sum(p.numel() for p in hf_model.parameters())
    assert model.num_parameters() == count_parameters(GQA) == total
    non_embedding = total - GQA.vocab_size * GQA.hidden_size
    assert flops_per_token(GQA) == 6 * non_embedding + 12 * 3 * 72 * 24
    assert flops_per_token(GQA, seq_length=4) == 6 * non_embedding + 12 * 3 * 72 * 4


def test_llama_7b_flops_per_token_by_hand():
    config = ModelConfig(num_layers=32, hidden_size=4096, num_attention_heads=32, num_kv_heads=None,
                         intermediate_size=11008, vocab_size=32016, seq_length=4096)
    per_layer = 4 * 4096 * 4096 + 3 * 4096 * 11008 + 2 * 4096
    non_embedding = 32 * per_layer + 4096 + 32016 * 4096
    assert count_parameters(config) == non_embedding + 32016 * 4096  # 6,738,546,688 for Code Llama 7B
    assert count_parameters(config) == 6_738_546_688
    assert flops_per_token(config) == 6 * non_embedding + 12 * 32 * 4096 * 4096


def test_bf16_parameters_keep_an_fp32_rope_cache(world_of_one):
    config = ModelConfig.from_dict({**GQA.to_dict(), "params_dtype": "bfloat16"})
    parallel.seed_everything(0)
    model = build_model(config)
    assert {p.dtype for p in model.parameters()} == {torch.bfloat16}
    assert model.rotary.cos.dtype == torch.float32
    tokens = torch.randint(0, config.vocab_size, (1, 6)).to(device_of(model))
    assert model(tokens).dtype == torch.bfloat16
    loss = model(tokens, tokens)
    assert loss.dtype == torch.float32 and torch.isfinite(loss).all()


def test_padded_vocabulary_rows_never_take_probability(world_of_one):
    """A model of 101 real ids padded to 112 gives HF's logits, loss and greedy tokens of the unpadded
    model, even with padded output rows built to win every argmax if they were not masked."""
    real = 101
    padded_config = ModelConfig.from_dict({**GQA.to_dict(), "vocab_size": 112, "unpadded_vocab_size": real})
    unpadded_config = ModelConfig.from_dict({**GQA.to_dict(), "vocab_size": real})
    hf_model = random_hf_llama(unpadded_config, seed=9)
    full = layout.hf_to_full(hf_model.state_dict(), unpadded_config)
    for name in ("word_embeddings.weight", "embed_out.weight"):
        rows = full[name]
        full[name] = torch.cat([rows, 50.0 * rows.abs().max() * torch.ones(112 - real, rows.shape[1])])
    parallel.seed_everything(0)
    model = build_model(padded_config)
    model.load_state_dict(full, strict=True)
    hf_model.to(device_of(model))
    tokens = torch.randint(0, real, (2, 17), generator=torch.Generator().manual_seed(5)).to(device_of(model))
    labels = torch.roll(tokens, -1, dims=1)
    with torch.no_grad():
        expected = hf_model(tokens).logits
        logits = model(tokens)
        loss = model(tokens, labels)
    assert (logits[..., :real] - expected).abs().max() <= 1e-5
    assert torch.isneginf(logits[..., real:]).all()
    expected_loss = F.cross_entropy(expected.flatten(0, 1), labels.flatten(), reduction="none").view_as(loss)
    assert (loss - expected_loss).abs().max() <= 1e-5
    prompt = tokens[:, :4]
    ours = greedy_generate(model, prompt, max_new_tokens=8)
    theirs = hf_model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=8,
                               do_sample=False, eos_token_id=None, pad_token_id=0)
    assert torch.equal(ours, theirs) and int(ours.max()) < real
    with torch.no_grad():
        probabilities = torch.softmax(model(prompt)[:, -1].float(), dim=-1)
    sampled = torch.multinomial(probabilities, 2000, replacement=True, generator=torch.Generator().manual_seed(1))
    assert int(sampled.max()) < real and probabilities[:, real:].sum() == 0


def test_padded_vocabulary_gradients_match_the_unpadded_model(world_of_one):
    real = 101
    padded_config = ModelConfig.from_dict({**GQA.to_dict(), "vocab_size": 112, "unpadded_vocab_size": real})
    unpadded_config = ModelConfig.from_dict({**GQA.to_dict(), "vocab_size": real})
    full = layout.hf_to_full(random_hf_llama(unpadded_config, seed=10).state_dict(), unpadded_config)
    models = []
    for config in (unpadded_config, padded_config):
        parallel.seed_everything(0)
        model = build_model(config)
        weights = {name: torch.cat([t, torch.randn(config.vocab_size - real, t.shape[1])])
                   if name in ("word_embeddings.weight", "embed_out.weight") else t for name, t in full.items()}
        model.load_state_dict(weights, strict=True)
        tokens = torch.randint(0, real, (2, 9), generator=torch.Generator().manual_seed(3)).to(device_of(model))
        model(tokens, torch.roll(tokens, -1, 1)).mean().backward()
        models.append(dict(model.named_parameters()))
    unpadded, padded = models
    for name, parameter in unpadded.items():
        grad = padded[name].grad
        if name in ("word_embeddings.weight", "embed_out.weight"):
            grad = grad[:real]
        torch.testing.assert_close(grad, parameter.grad, rtol=1e-5, atol=1e-6, msg=name)
    assert (padded["embed_out.weight"].grad[real:] == 0).all()


def test_unpadded_vocab_size_must_fit():
    with pytest.raises(ValueError, match="unpadded_vocab_size=120 must be between 1 and vocab_size=112"):
        ModelConfig.from_dict({**GQA.to_dict(), "vocab_size": 112, "unpadded_vocab_size": 120})
