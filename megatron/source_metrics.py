"""Numbers per data source of a blend: validation loss and perplexity, achieved token fractions.

A LLEMMA run mixes arXiv, web math, code, the Pile and GitHub; one validation loss hides a source
that stops improving, and one token count hides a blend that drifts from its weights. Every
sample knows its source (`source_id` in each batch, the blend's index for the order), so:

- `SourceLosses` sums the per-token loss and the token count of each source over an evaluation,
  reduced over data parallel: the overall loss is the token-weighted mean, as before, and each
  source gets its own;
- `token_fractions` reads the share of each source in the samples consumed so far from the
  blend's own index, next to the weight the config asked for.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Optional, Sequence

import torch

DOCUMENT_SUFFIX = "_text_document"
"""tools/preprocess_data.py names outputs `{prefix}_{jsonl_key}_document`; the common key is dropped in names."""


def source_labels(names: Sequence[str]) -> list[str]:
    """Short names for reports: each prefix's file name without `_text_document`; names that occur
    twice get their position (`corpus#0`, `corpus#1`)."""
    labels = []
    for name in names:
        label = Path(name).name
        if label.endswith(DOCUMENT_SUFFIX) and label != DOCUMENT_SUFFIX:
            label = label[: -len(DOCUMENT_SUFFIX)]
        labels.append(label)
    return [f"{label}#{i}" if labels.count(label) > 1 else label for i, label in enumerate(labels)]


def perplexity(loss: float) -> float:
    return math.exp(min(loss, 50.0))


class SourceLosses:
    """Loss sums and token counts per source over one evaluation (float64 sums)."""

    def __init__(self, num_sources: int, device: torch.device):
        self.sums = torch.zeros(num_sources, dtype=torch.float64, device=device)
        self.tokens = torch.zeros(num_sources, dtype=torch.float64, device=device)

    def add(self, token_losses: torch.Tensor, source_id: torch.Tensor) -> None:
        """token_losses [b, s] of one micro-batch; source_id [b]: the source of each sequence."""
        source_id = source_id.to(self.sums.device)
        self.sums.index_add_(0, source_id, token_losses.detach().double().sum(dim=1))
        self.tokens.index_add_(0, source_id, torch.full_like(source_id, token_losses.shape[1], dtype=torch.float64))

    def all_reduce(self, group=None) -> "SourceLosses":
        """Sum over the ranks of `group` (data parallel: every rank saw other samples)."""
        if torch.distributed.is_initialized():
            both = torch.cat([self.sums, self.tokens])
            torch.distributed.all_reduce(both, group=group)
            self.sums, self.tokens = both.split(len(self.sums))
        return self

    def overall(self) -> float:
        return float(self.sums.sum() / self.tokens.sum().clamp(min=1))

    def per_source(self) -> list[Optional[float]]:
        """Mean loss of each source (None: the evaluation held none of its tokens)."""
        return [float(s / t) if t > 0 else None for s, t in zip(self.sums.tolist(), self.tokens.tolist())]


def validation_values(losses: SourceLosses, labels: Sequence[str]) -> tuple[dict[str, float], str]:
    """The metrics of one evaluation (overall `loss`, `perplexity`; `loss/<source>`, `perplexity/<source>`
    when there are several sources) and the console text of the per-source part ('' for one source)."""
    overall = losses.overall()
    values = {"loss": overall, "perplexity": perplexity(overall)}
    if len(labels) < 2:
        return values, ""
    parts = []
    for label, loss in zip(labels, losses.per_source()):
        if loss is None:
            parts.append(f"{label} -")
            continue
        values[f"loss/{label}"] = loss
        values[f"perplexity/{label}"] = perplexity(loss)
        parts.append(f"{label} loss {loss:.4f} ppl {perplexity(loss):.3f}")
    return values, "per source: " + " | ".join(parts)


def token_fractions(dataset, consumed_samples: int, seq_length: int) -> Optional[tuple[dict[str, float], str]]:
    """Tokens, achieved fraction and weight of each source after `consumed_samples` samples of a blend,
    and the console line; None for a dataset of one source."""
    names = getattr(dataset, "source_names", [])
    if len(names) < 2:
        return None
    samples = dataset.samples_per_source(consumed_samples)
    total = max(int(samples.sum()), 1)
    values: dict[str, float] = {}
    parts = []
    for label, count, weight in zip(source_labels(names), samples.tolist(), dataset.weights):
        fraction = count / total
        values.update({f"{label}/tokens": int(count) * seq_length, f"{label}/fraction": fraction,
                       f"{label}/weight": weight})
        parts.append(f"{label} {int(count) * seq_length:,} ({100 * fraction:.1f}%, weight {100 * weight:.1f}%)")
    return values, "tokens per source: " + " | ".join(parts)
