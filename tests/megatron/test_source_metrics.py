"""megatron.source_metrics: per-source validation loss and achieved token fractions."""
import math

import pytest
import torch

from megatron.source_metrics import SourceLosses, perplexity, source_labels, validation_values


def test_labels_are_file_names_without_the_document_suffix_and_unique():
    assert source_labels(["/d/arxiv_text_document", "/d/web_text_document", "/e/code"]) == ["arxiv", "web", "code"]
    assert source_labels(["/a/corpus_text_document", "/b/corpus_text_document"]) == ["corpus#0", "corpus#1"]


def test_losses_are_token_weighted_per_source_and_overall():
    losses = SourceLosses(3, torch.device("cpu"))
    losses.add(torch.tensor([[1.0, 3.0], [2.0, 2.0]]), torch.tensor([0, 1]))
    losses.add(torch.tensor([[5.0, 5.0], [0.0, 2.0]]), torch.tensor([0, 0]))
    assert losses.per_source() == [pytest.approx(16 / 6), pytest.approx(2.0), None]
    assert losses.overall() == pytest.approx(20 / 8)
    values, line = validation_values(losses, ["arxiv", "web", "code"])
    assert values["loss"] == pytest.approx(20 / 8) and values["perplexity"] == pytest.approx(math.exp(20 / 8))
    assert values["loss/web"] == 2.0 and values["perplexity/arxiv"] == pytest.approx(perplexity(16 / 6))
    assert "loss/code" not in values
    assert line == "per source: arxiv loss 2.6667 ppl 14.392 | web loss 2.0000 ppl 7.389 | code -"
    assert validation_values(losses, ["only"])[1] == ""
