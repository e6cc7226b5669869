"""Inference helpers: full logits across tensor-parallel ranks, greedy decoding."""
from __future__ import annotations

import torch

from megatron import parallel


@torch.no_grad()
def gather_logits(logits: torch.Tensor) -> torch.Tensor:
    """This rank's vocab shard [..., vocab/tp] -> full logits [..., vocab] on every rank (no gradient).

    Uses the list form of all_gather, which gloo supports (megatron-core's gather allocates on CUDA).
    """
    size = parallel.tensor_parallel_size()
    if size == 1:
        return logits
    from megatron.core import parallel_state

    logits = logits.contiguous()
    pieces = [torch.empty_like(logits) for _ in range(size)]
    torch.distributed.all_gather(pieces, logits, group=parallel_state.get_tensor_model_parallel_group())
    return torch.cat(pieces, dim=-1)


@torch.no_grad()
def greedy_generate(model: torch.nn.Module, tokens: torch.Tensor, max_new_tokens: int) -> torch.Tensor:
    """Append `max_new_tokens` argmax tokens to `tokens` [b, s]; returns [b, s + max_new_tokens].

    Recomputes the whole prefix each step (no KV cache) and never stops early at an
    end-of-sequence token. Every tensor-parallel rank returns the same tokens.
    """
    if tokens.dim() != 2:
        raise ValueError(f"tokens must be [batch, seq], got shape {tuple(tokens.shape)}")
    if max_new_tokens < 0:
        raise ValueError(f"max_new_tokens must be >= 0, got {max_new_tokens}")
    limit = model.config.seq_length
    if tokens.shape[1] + max_new_tokens > limit:
        raise ValueError(
            f"{tokens.shape[1]} prompt tokens + max_new_tokens={max_new_tokens} exceed seq_length={limit}"
        )
    for _ in range(max_new_tokens):
        last_logits = gather_logits(model(tokens)[:, -1])
        next_tokens = last_logits.argmax(dim=-1, keepdim=True)
        tokens = torch.cat((tokens, next_tokens.to(tokens.dtype)), dim=1)
    return tokens
