"""Held-out perplexity: scoring windows, held-out records and errors, and the batched score against
a per-window reference."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from math_lm import perplexity
from math_lm.perplexity import HeldOutError

REPO = Path(__file__).resolve().parents[2]
TOKENIZER = REPO / "data/tokenizers/llama2.model"


def test_scoring_windows_score_every_token_once():
    assert perplexity.scoring_windows([5, 6, 7, 8, 9], context_id=2, window=2) == [
        ([2, 5], [5, 6]), ([6, 7], [7, 8]), ([8], [9]),
    ]
    assert perplexity.scoring_windows([5], 2, 4) == [([2], [5])]
    assert perplexity.scoring_windows([], 2, 4) == []
    with pytest.raises(ValueError, match="window"):
        perplexity.scoring_windows([1], 2, 0)


def test_read_held_out_records_and_errors(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "a", "type": "Algebra"}\n\n{"text": "b"}\n')
    assert perplexity.read_held_out(good) == [perplexity.HeldOutRecord("a", "Algebra"), perplexity.HeldOutRecord("b", None)]
    for content, message in (
        ('{"text": "a"}\nnot json\n', r"bad.jsonl:2: not valid JSON"),
        ('{"problem": "a"}\n', r"bad.jsonl:1: expected a JSON object with a string 'text'"),
        ('{"text": "a", "type": 3}\n', r"bad.jsonl:1: 'type' must be a string"),
        ("\n", "no records"),
    ):
        (tmp_path / "bad.jsonl").write_text(content)
        with pytest.raises(HeldOutError, match=message):
            perplexity.read_held_out(tmp_path / "bad.jsonl")
    with pytest.raises(FileNotFoundError, match="missing.jsonl"):
        perplexity.read_held_out(tmp_path / "missing.jsonl")



def reference_perplexity(model, tokenizer, records, window):
    """Sum of -log softmax(logits)[next token] over each unpadded window, one window per forward pass."""
    nll, tokens, per_type = 0.0, 0, {}
    with torch.no_grad():
        for record in records:
            for inputs, labels in perplexity.scoring_windows(tokenizer.tokenize(record.text), tokenizer.eod, window):
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
        perplexity.HeldOutRecord("Compute $3 + 4 = 7$. The answer is 7.", "Algebra"),
        perplexity.HeldOutRecord("def f(x):\n    return x ** 2\n", "Code"),
        perplexity.HeldOutRecord("A short sentence.", None),
        perplexity.HeldOutRecord("Solve $x^2 = 9$: $x = \\pm 3$.", "Algebra"),
    ]
    nll, tokens, per_type = reference_perplexity(model, tokenizer, records, window=8)
    assert tokens == sum(len(tokenizer.tokenize(record.text)) for record in records)
    for batch_size in (1, 3):
        result = perplexity.held_out_perplexity(model, tokenizer, records, window=8, batch_size=batch_size, show_progress=False)
        assert result.tokens == tokens
        assert result.nll == pytest.approx(nll, rel=1e-5)
        assert result.perplexity == pytest.approx(math.exp(nll / tokens), rel=1e-5)
        assert result.type_tokens() == {"Algebra": per_type["Algebra"][1], "Code": per_type["Code"][1]}
        assert result.type_perplexity()["Code"] == pytest.approx(math.exp(per_type["Code"][0] / per_type["Code"][1]), rel=1e-5)
