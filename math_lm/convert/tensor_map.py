"""One parameter at a time between HF tensors and our full (unsplit) tensors.

`megatron.model.layout.hf_to_full` / `full_to_hf` convert whole state dicts, which would hold
the whole model in memory. The converters stream instead, so they need the same mapping per
parameter. Everything here is read from the layout module (its name tables, `pack_qkv`,
`unpack_qkv`, `parameter_layouts`): no second copy of names or packing lives in this package.
"""
from __future__ import annotations

import re
import torch

from megatron.model import layout
from megatron.model.config import ModelConfig

from math_lm.convert.common import ConversionError

_LAYER = re.compile(r"^layers\.(\d+)\.(.+)$")


def _split_layer(name: str) -> tuple[int | None, str]:
    """`layers.3.mlp.down_proj.weight` -> (3, "mlp.down_proj.weight"); other names -> (None, name)."""
    match = _LAYER.match(name)
    return (int(match.group(1)), match.group(2)) if match else (None, name)


def _one_to_one_hf_name(name: str) -> str | None:
    """The HF name of a tensor that maps one to one, from the layout's table ("{i}" = layer)."""
    layer, local = _split_layer(name)
    key = name if layer is None else "layers.{i}." + local
    theirs = layout._ONE_TO_ONE_HF_NAMES.get(key)  # noqa: SLF001 - the layout's own table
    return None if theirs is None else theirs.format(i=layer)


def hf_sources(name: str) -> tuple[str, ...]:
    """The HF tensor names that our parameter `name` is built from (in packing order)."""
    layer, local = _split_layer(name)
    if layer is not None and local == layout.QKV:
        return tuple(key.format(i=layer) for key in layout._HF_QKV)  # noqa: SLF001
    if layer is not None and local == layout.GATE_UP:
        return tuple(key.format(i=layer) for key in layout._HF_GATE_UP)  # noqa: SLF001
    single = _one_to_one_hf_name(name)
    if single is None:
        raise ConversionError(f"{name}: not a parameter the layout knows how to map to HF")
    return (single,)


def expected_hf_names(config: ModelConfig) -> list[str]:
    """Every HF tensor an `LlamaForCausalLM` of this config has, in our parameter order."""
    return [hf_name for name in layout.parameter_layouts(config) for hf_name in hf_sources(name)]


def full_from_hf(name: str, tensors: list[torch.Tensor], config: ModelConfig) -> torch.Tensor:
    """Our full tensor `name` from its HF source tensors (as listed by `hf_sources`).

    The result's shape is checked against the layout; a disagreement names the HF tensors.
    """
    local = _split_layer(name)[1]
    expected = layout.parameter_layouts(config)[name].shape
    try:
        if local == layout.QKV:
            full = layout.pack_qkv(*tensors, config)
        elif local == layout.GATE_UP:
            full = torch.cat(tensors, dim=0)  # the layout's [gate; up]
        else:
            (full,) = tensors
    except RuntimeError as error:
        shapes = {source: tuple(t.shape) for source, t in zip(hf_sources(name), tensors)}
        raise ConversionError(f"{name}: HF tensors {shapes} do not fit the config ({error})") from error
    if tuple(full.shape) != expected:
        shapes = {source: tuple(t.shape) for source, t in zip(hf_sources(name), tensors)}
        raise ConversionError(f"{name}: HF tensors {shapes} give shape {tuple(full.shape)}, the config expects {expected}")
    return full


def hf_from_full(name: str, full: torch.Tensor, config: ModelConfig) -> dict[str, torch.Tensor]:
    """The HF tensors of our full tensor `name` (inverse of `full_from_hf`)."""
    local = _split_layer(name)[1]
    if local == layout.QKV:
        pieces = layout.unpack_qkv(full, config)
    elif local == layout.GATE_UP:
        pieces = tuple(half.contiguous() for half in full.chunk(2, dim=0))
    else:
        pieces = (full,)
    return dict(zip(hf_sources(name), pieces))


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

