"""Perplexity of a trained checkpoint on held-out text, token by token, overall and per `type`
(the MATH training set has one): how the mixture search scores each candidate, as LLEMMA did."""
from __future__ import annotations

import dataclasses
import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from math_lm.jsonl import read_json_objects


class HeldOutError(ValueError):
    """Held-out data or a checkpoint that cannot be scored; the message names the file (and line)."""


@dataclass(frozen=True)
class HeldOutRecord:
    """One held-out document: its text and its `type` (e.g. MATH's "Algebra"), when given."""

    text: str
    type: Optional[str]


def read_held_out(path: str | os.PathLike) -> list[HeldOutRecord]:
    """Read a `.jsonl` of `{"text": ..., "type": ...}` records (`type` optional).

    Raises HeldOutError naming the file and line for a line that is not a JSON object
    with a string `text`, and for a file without records.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"--ppl-data {path}: file does not exist")
    records = []
    for number, record in read_json_objects(path, HeldOutError):
        if not isinstance(record.get("text"), str):
            raise HeldOutError(f"{path}:{number}: expected a JSON object with a string 'text'")
        kind = record.get("type")
        if kind is not None and not isinstance(kind, str):
            raise HeldOutError(f"{path}:{number}: 'type' must be a string, got {kind!r}")
        records.append(HeldOutRecord(record["text"], kind))
    if not records:
        raise HeldOutError(f"{path}: no records")
    return records


@dataclass
class PerplexityResult:
    """Summed negative log-likelihood (nats) and scored tokens, overall and per record type."""

    nll: float = 0.0
    tokens: int = 0
    per_type: dict[str, list[float]] = field(default_factory=dict)  # type -> [nll, tokens]

    @property
    def perplexity(self) -> float:
        """exp(mean token NLL): token-level perplexity over every scored token."""
        return math.exp(self.nll / self.tokens) if self.tokens else math.nan

    def type_perplexity(self) -> dict[str, float]:
        return {kind: math.exp(nll / tokens) for kind, (nll, tokens) in sorted(self.per_type.items()) if tokens}

    def type_tokens(self) -> dict[str, int]:
        return {kind: int(tokens) for kind, (_, tokens) in sorted(self.per_type.items())}


def scoring_windows(token_ids: Sequence[int], context_id: int, window: int) -> list[tuple[list[int], list[int]]]:
    """Cut one document into (inputs, labels) windows of at most `window` predictions.

    The document is preceded by `context_id` (the end-of-document token, which precedes every
    document but the first in a packed training stream), so every one of its tokens is scored,
    the first one included. Windows do not overlap: a token sees the context inside its window.
    """
    if window < 1:
        raise ValueError(f"window must be positive, got {window}")
    ids = [int(context_id)] + [int(token) for token in token_ids]
    windows = []
    for start in range(0, len(ids) - 1, window):
        stop = min(start + window, len(ids) - 1)
        windows.append((ids[start:stop], ids[start + 1:stop + 1]))
    return windows


def held_out_perplexity(
    model: Any,
    tokenizer: Any,
    records: Sequence[HeldOutRecord],
    window: int,
    batch_size: int = 8,
    description: str = "perplexity",
    show_progress: bool = True,
) -> PerplexityResult:
    """Token-level perplexity of `model` (the project's LlamaModel, tensor-parallel size 1) on `records`.

    Each record is tokenized with `tokenizer` and scored as `scoring_windows` cuts it; windows
    are batched (padded at the end, padding not scored) and the model's per-token loss summed.
    """
    import torch
    from tqdm import tqdm

    windows: list[tuple[list[int], list[int], Optional[str]]] = []
    for record in records:
        for inputs, labels in scoring_windows(tokenizer.tokenize(record.text), tokenizer.eod, window):
            windows.append((inputs, labels, record.type))
    result = PerplexityResult()
    device = next(model.parameters()).device
    model.eval()
    batches = range(0, len(windows), batch_size)
    with torch.no_grad():
        for start in tqdm(batches, desc=description, unit="batch", disable=not show_progress, file=sys.stderr):
            batch = windows[start:start + batch_size]
            length = max(len(inputs) for inputs, _, _ in batch)
            tokens = torch.zeros((len(batch), length), dtype=torch.long)
            labels = torch.zeros((len(batch), length), dtype=torch.long)
            mask = torch.zeros((len(batch), length), dtype=torch.float64)
            for row, (inputs, targets, _) in enumerate(batch):
                tokens[row, :len(inputs)] = torch.tensor(inputs)
                labels[row, :len(targets)] = torch.tensor(targets)
                mask[row, :len(targets)] = 1.0
            loss = model(tokens.to(device), labels.to(device)).double().cpu() * mask
            for row, (_, targets, kind) in enumerate(batch):
                nll = float(loss[row].sum())
                result.nll += nll
                result.tokens += len(targets)
                if kind is not None:
                    totals = result.per_type.setdefault(kind, [0.0, 0])
                    totals[0] += nll
                    totals[1] += len(targets)
    return result


def load_trained_model(save_dir: str | os.PathLike, trust_checkpoint_code: bool = False) -> tuple[Any, Any]:
    """The latest checkpoint of `save_dir` as one full model on this process: (LlamaModel, ModelConfig).

    The tensor-parallel shards are merged into full weights and loaded into a model built at
    tensor-parallel size 1 (fp32 on CPU, the checkpoint's dtype on GPU; SDPA attention).
    Needs `megatron.parallel.initialize_distributed(1)` first. Files are read weights-only unless
    `trust_checkpoint_code` (see `megatron.checkpoint_reader`).
    """
    import torch

    from megatron import parallel
    from megatron.checkpoint_reader import CheckpointError, load_merged_state_dict
    from megatron.model import ModelConfig, build_model

    try:
        values, full = load_merged_state_dict(save_dir, trust_checkpoint_code=trust_checkpoint_code)
    except CheckpointError as error:
        raise HeldOutError(f"cannot evaluate {save_dir}: {error}") from error
    saved_config = ModelConfig.from_dict(values)
    dtype = saved_config.params_dtype if parallel.on_gpu() else torch.float32
    config = dataclasses.replace(saved_config, params_dtype=dtype, attention_backend="sdpa")
    model = build_model(config)
    model.load_state_dict({name: tensor.to(dtype) for name, tensor in full.items()}, strict=True)
    return model, saved_config
