"""Held-out perplexity and the pieces of the mixture search that run without training
(the search end to end is in tests/tools/test_mixture_search.py)."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from math_lm import mixture_search
from math_lm.mixture import MixtureSpecError
from math_lm.mixture_search import MixtureSearchError

REPO = Path(__file__).resolve().parents[2]
TOKENIZER = REPO / "data/tokenizers/llama2.model"


# --------------------------------------------------------------------------- held-out perplexity


def test_scoring_windows_score_every_token_once():
    assert mixture_search.scoring_windows([5, 6, 7, 8, 9], context_id=2, window=2) == [
        ([2, 5], [5, 6]), ([6, 7], [7, 8]), ([8], [9]),
    ]
    assert mixture_search.scoring_windows([5], 2, 4) == [([2], [5])]
    assert mixture_search.scoring_windows([], 2, 4) == []
    with pytest.raises(ValueError, match="window"):
        mixture_search.scoring_windows([1], 2, 0)


def test_read_held_out_records_and_errors(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "a", "type": "Algebra"}\n\n{"text": "b"}\n')
    assert mixture_search.read_held_out(good) == [mixture_search.HeldOutRecord("a", "Algebra"), mixture_search.HeldOutRecord("b", None)]
    for content, message in (
        ('{"text": "a"}\nnot json\n', r"bad.jsonl:2: not valid JSON"),
        ('{"problem": "a"}\n', r"bad.jsonl:1: expected a JSON object with a string 'text'"),
        ('{"text": "a", "type": 3}\n', r"bad.jsonl:1: 'type' must be a string"),
        ("\n", "no records"),
    ):
        (tmp_path / "bad.jsonl").write_text(content)
        with pytest.raises(MixtureSearchError, match=message):
            mixture_search.read_held_out(tmp_path / "bad.jsonl")
    with pytest.raises(FileNotFoundError, match="missing.jsonl"):
        mixture_search.read_held_out(tmp_path / "missing.jsonl")



def reference_perplexity(model, tokenizer, records, window):
    """Sum of -log softmax(logits)[next token] over each unpadded window, one window per forward pass."""
    nll, tokens, per_type = 0.0, 0, {}
    with torch.no_grad():
        for record in records:
            for inputs, labels in mixture_search.scoring_windows(tokenizer.tokenize(record.text), tokenizer.eod, window):
                logits = model(torch.tensor([inputs])).double()
                log_probs = torch.log_softmax(logits[0], dim=-1)
                value = -float(log_probs[torch.arange(len(labels)), torch.tensor(labels)].sum())
                nll, tokens = nll + value, tokens + len(labels)
                totals = per_type.setdefault(record.type, [0.0, 0])
                totals[0] += value
                totals[1] += len(labels)
    return nll, tokens, per_type


def test_held_out_perplexity_matches_a_per_window_reference(world_of_one):
    from megatron.model import ModelConfig, build_model
    from megatron.tokenizer import build_tokenizer

    torch.manual_seed(0)
    tokenizer = build_tokenizer("SPMTokenizer", str(TOKENIZER))
    model = build_model(ModelConfig(num_layers=2, hidden_size=32, num_attention_heads=4, num_kv_heads=2,
                                    intermediate_size=64, vocab_size=32000, seq_length=8))
    records = [
        mixture_search.HeldOutRecord("Compute $3 + 4 = 7$. The answer is 7.", "Algebra"),
        mixture_search.HeldOutRecord("def f(x):\n    return x ** 2\n", "Code"),
        mixture_search.HeldOutRecord("A short sentence.", None),
        mixture_search.HeldOutRecord("Solve $x^2 = 9$: $x = \\pm 3$.", "Algebra"),
    ]
    nll, tokens, per_type = reference_perplexity(model, tokenizer, records, window=8)
    assert tokens == sum(len(tokenizer.tokenize(record.text)) for record in records)
    for batch_size in (1, 3):
        result = mixture_search.held_out_perplexity(model, tokenizer, records, window=8, batch_size=batch_size, show_progress=False)
        assert result.tokens == tokens
        assert result.nll == pytest.approx(nll, rel=1e-5)
        assert result.perplexity == pytest.approx(math.exp(nll / tokens), rel=1e-5)
        assert result.type_tokens() == {"Algebra": per_type["Algebra"][1], "Code": per_type["Code"][1]}
        assert result.type_perplexity()["Code"] == pytest.approx(math.exp(per_type["Code"][0] / per_type["Code"][1]), rel=1e-5)


# --------------------------------------------------------------------------- search pieces that need no training


def test_candidate_config_sets_weights_and_a_short_run():
    base = {
        "train_data_paths": ["a", "b", "c", "d"], "train_data_weights": [2, 4, 1, 0.5],
        "train_iters": 48000, "lr_decay_iters": 48000, "save": "/big/run", "save_interval": 500,
        "tensorboard_dir": "/big/tb", "seed": 1,
    }
    config = mixture_search.candidate_config(base, (4.0, 2.0, 2.0), 30, "/out/4-2-2")
    assert config["train_data_weights"] == [4.0, 2.0, 2.0, 0.5]
    assert (config["train_iters"], config["lr_decay_iters"], config["save_interval"]) == (30, 30, 30)
    assert (config["save"], config["tensorboard_dir"]) == ("/out/4-2-2", "/out/4-2-2/tensorboard")
    assert config["seed"] == 1 and base["train_data_weights"] == [2, 4, 1, 0.5]
    unweighted = mixture_search.candidate_config({"train_data_paths": ["a", "b", "c"]}, (2.0, 4.0, 1.0), 5, "/o")
    assert unweighted["train_data_weights"] == [2.0, 4.0, 1.0] and "lr_decay_iters" not in unweighted
    with pytest.raises(MixtureSearchError, match="no 'train_data_paths'"):
        mixture_search.candidate_config({"data_path": ["a"]}, (2.0, 4.0, 1.0), 5, "/o")
    with pytest.raises(MixtureSpecError, match="only 2 training sources"):
        mixture_search.candidate_config({"train_data_paths": ["a", "b"]}, (2.0, 4.0, 1.0), 5, "/o")


def test_candidate_directories_are_reused_only_for_the_same_finished_config(tmp_path):
    config_path, save_dir, done = mixture_search._prepare_candidate_dir(tmp_path, "2-4-1", "seed: 1\n", 10)
    assert (config_path.read_text(), done) == ("seed: 1\n", False)
    save_dir.mkdir()
    (save_dir / "latest").write_text("global_step10")
    assert mixture_search._prepare_candidate_dir(tmp_path, "2-4-1", "seed: 1\n", 10)[2] is True
    with pytest.raises(MixtureSearchError, match="different config or an unfinished checkpoint"):
        mixture_search._prepare_candidate_dir(tmp_path, "2-4-1", "seed: 2\n", 10)
    with pytest.raises(MixtureSearchError, match="different config or an unfinished checkpoint"):
        mixture_search._prepare_candidate_dir(tmp_path, "2-4-1", "seed: 1\n", 20)
