"""One parameter at a time between HF tensors and our full (unsplit) tensors.

`megatron.model.layout.hf_to_full` / `full_to_hf` convert whole state dicts, which would hold
the whole model in memory. The converters stream instead, so they need the same mapping per
parameter: the layout module's per-tensor functions (`hf_sources`, `full_from_hf`,
`hf_from_full`), wrapped so that a mismatch is a ConversionError naming the tensors.
"""
from __future__ import annotations

import torch

from megatron.model import layout
from megatron.model.config import ModelConfig

from math_lm.convert.common import ConversionError


def hf_sources(name: str) -> tuple[str, ...]:
    """The HF tensor names that our parameter `name` is built from (in packing order)."""
    try:
        return layout.hf_sources(name)
    except KeyError as error:
        raise ConversionError(f"{name}: not a parameter the layout knows how to map to HF") from error


def expected_hf_names(config: ModelConfig) -> list[str]:
    """Every HF tensor an `LlamaForCausalLM` of this config has, in our parameter order."""
    return [hf_name for name in layout.parameter_layouts(config) for hf_name in hf_sources(name)]


def full_from_hf(name: str, tensors: list[torch.Tensor], config: ModelConfig) -> torch.Tensor:
    """Our full tensor `name` from its HF source tensors (as listed by `hf_sources`).

    The result's shape is checked against the layout; a disagreement names the HF tensors.
    """
    expected = layout.parameter_layouts(config)[name].shape
    try:
        full = layout.full_from_hf(name, tensors, config)
    except (RuntimeError, ValueError) as error:
        shapes = {source: tuple(t.shape) for source, t in zip(hf_sources(name), tensors)}
        raise ConversionError(f"{name}: HF tensors {shapes} do not fit the config ({error})") from error
    if tuple(full.shape) != expected:
        shapes = {source: tuple(t.shape) for source, t in zip(hf_sources(name), tensors)}
        raise ConversionError(f"{name}: HF tensors {shapes} give shape {tuple(full.shape)}, the config expects {expected}")
    return full


def is_vocab_parameter(name: str) -> bool:
    """The two tensors whose rows are vocabulary entries (padded / trimmed with the vocabulary)."""
    return name in (layout.EMBEDDING, layout.OUTPUT)


def pad_vocab_rows(tensor: torch.Tensor, padded_size: int) -> torch.Tensor:
    """Append rows up to `padded_size`, each the mean of the real rows.

    For the output layer this makes a padded token's logit the mean of the real logits: it can
    never be the argmax, and it does not favour any real token. Padded ids never occur as input.
    """
    missing = padded_size - tensor.shape[0]
    if missing < 0:
        raise ConversionError(f"cannot pad {tuple(tensor.shape)} rows down to {padded_size}")
    if missing == 0:
        return tensor
    mean = tensor.float().mean(dim=0, keepdim=True).to(tensor.dtype)
    return torch.cat((tensor, mean.expand(missing, -1)), dim=0)

