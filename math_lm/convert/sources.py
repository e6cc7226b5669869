"""Input checkpoints read lazily, one tensor at a time, under HF tensor names.

* `HFWeights`: an HF directory (`model.safetensors`, sharded safetensors with an index, or
  `pytorch_model*.bin`), one input file open at a time.
* `MetaWeights`: Meta's `consolidated.NN.pth` shards. Every shard holds a slice of every tensor,
  so a tensor is gathered from all shards (memory-mapped, so only that tensor is read), and q/k
  are permuted from Meta's interleaved RoPE pairs to HF's rotate-half order.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from megatron.model import layout
from megatron.user_files import read_json as read_json_file
from megatron.user_files import check_safetensors, reading

from math_lm.convert.common import ConversionError

IGNORED_SUFFIXES = ("rotary_emb.inv_freq", "rope.freqs")
"""Stored RoPE frequencies in older checkpoints: derived values, not weights."""


def read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConversionError(f"{path} is missing")
    return read_json_file(path)


def _load_torch_file(path: Path) -> dict[str, torch.Tensor]:
    """A torch-saved state dict, memory-mapped (tensors are read when touched)."""
    try:
        return torch.load(path, map_location="cpu", mmap=True, weights_only=True)
    except Exception as error:  # torch raises several types for damaged or legacy-format files
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ConversionError(f"{path}: cannot be read as a torch checkpoint ({first_line})") from error


class TensorSource:
    """Tensors by HF name. Use as a context manager; `close` releases open files and mappings."""

    names: list[str]

    def get(self, name: str) -> torch.Tensor:
        raise NotImplementedError

    def close(self) -> None:
        """Drop open files and memory maps (the converter calls this between output shards)."""

    def __enter__(self) -> TensorSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class HFWeights(TensorSource):
    """The weights of an HF directory, read one tensor at a time."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise ConversionError(f"HF model directory {self.directory} does not exist")
        self.file_of = self._index()
        self.names = [name for name in self.file_of if not name.endswith(IGNORED_SUFFIXES)]
        self._open_path: Path | None = None
        self._open_file: Any = None

    def _index(self) -> dict[str, str]:
        for index_name in ("model.safetensors.index.json", "pytorch_model.bin.index.json"):
            index_path = self.directory / index_name
            if index_path.is_file():
                weight_map = read_json(index_path).get("weight_map")
                if not isinstance(weight_map, dict) or not weight_map:
                    raise ConversionError(f"{index_path} has no weight_map")
                for file_name in sorted(set(weight_map.values())):
                    if not (self.directory / file_name).is_file():
                        raise ConversionError(f"{index_path} names {file_name}, which is missing")
                    if file_name.endswith(".safetensors"):
                        check_safetensors(self.directory / file_name)  # a cut shard fails now, not hours in
                return dict(weight_map)
        single = self.directory / "model.safetensors"
        if single.is_file():
            from safetensors import safe_open

            with reading(single), safe_open(single, framework="pt") as handle:
                return {name: single.name for name in handle.keys()}
        single = self.directory / "pytorch_model.bin"
        if single.is_file():
            return {name: single.name for name in _load_torch_file(single)}
        raise ConversionError(
            f"{self.directory} has no weights: expected model.safetensors, model.safetensors.index.json, "
            "pytorch_model.bin or pytorch_model.bin.index.json"
        )

    def get(self, name: str) -> torch.Tensor:
        if name not in self.file_of:
            raise ConversionError(f"{self.directory}: tensor {name!r} is missing")
        path = self.directory / self.file_of[name]
        if path.suffix == ".safetensors":
            from safetensors import safe_open

            # Opened per tensor (only the header is parsed) so that the pages of the tensors
            # already read are unmapped and do not count against the converter's memory.
            with reading(path, item=f"tensor {name}"), safe_open(path, framework="pt") as handle:
                return handle.get_tensor(name)
        if path != self._open_path:
            self.close()
            self._open_file = _load_torch_file(path)
            self._open_path = path
        return self._open_file[name]

    def close(self) -> None:
        self._open_file = None
        self._open_path = None


# Meta tensor names -> (HF name, the dimension Meta's model-parallel shards split; None = replicated).
# Column-parallel weights (wq, wk, wv, w1, w3, output) are split along dim 0, row-parallel ones
# (wo, w2) along dim 1, and fairscale's ParallelEmbedding splits the embedding along dim 1.
_META_GLOBAL = {
    "tok_embeddings.weight": ("model.embed_tokens.weight", 1),
    "norm.weight": ("model.norm.weight", None),
    "output.weight": ("lm_head.weight", 0),
}
_META_LAYER = {
    "attention.wq.weight": ("self_attn.q_proj.weight", 0),
    "attention.wk.weight": ("self_attn.k_proj.weight", 0),
    "attention.wv.weight": ("self_attn.v_proj.weight", 0),
    "attention.wo.weight": ("self_attn.o_proj.weight", 1),
    "feed_forward.w1.weight": ("mlp.gate_proj.weight", 0),
    "feed_forward.w2.weight": ("mlp.down_proj.weight", 1),
    "feed_forward.w3.weight": ("mlp.up_proj.weight", 0),
    "attention_norm.weight": ("input_layernorm.weight", None),
    "ffn_norm.weight": ("post_attention_layernorm.weight", None),
}


class MetaWeights(TensorSource):
    """Meta's release format: `consolidated.NN.pth` shards and `params.json`."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise ConversionError(f"Meta checkpoint directory {self.directory} does not exist")
        self.params = read_json(self.directory / "params.json")
        for key in ("dim", "n_layers", "n_heads"):
            if not isinstance(self.params.get(key), int):
                raise ConversionError(f"{self.directory / 'params.json'}: {key!r} is missing or not an integer")
        self.shard_paths = sorted(self.directory.glob("consolidated.*.pth"))
        if not self.shard_paths:
            raise ConversionError(f"{self.directory} has no consolidated.NN.pth shards")
        expected = [f"consolidated.{i:02d}.pth" for i in range(len(self.shard_paths))]
        if [p.name for p in self.shard_paths] != expected:
            raise ConversionError(f"{self.directory}: shards {[p.name for p in self.shard_paths]}, expected {expected}")
        self.num_heads = self.params["n_heads"]
        self.num_kv_heads = self.params.get("n_kv_heads") or self.num_heads
        self._shards: list[dict[str, torch.Tensor]] | None = None
        self.meta_name_of = self._name_table()
        first = self._load()[0]
        missing = [meta for meta in self.meta_name_of.values() if meta not in first]
        if missing:
            raise ConversionError(f"{self.shard_paths[0]}: tensors {missing[:8]} are missing")
        known = set(self.meta_name_of.values())
        unexpected = [name for name in first if name not in known and not name.endswith(IGNORED_SUFFIXES)]
        if unexpected:
            raise ConversionError(f"{self.shard_paths[0]}: unexpected tensors {sorted(unexpected)[:8]}")
        self.names = list(self.meta_name_of)

    def _name_table(self) -> dict[str, str]:
        """HF name -> Meta name for every tensor of this model."""
        table = {hf: meta for meta, (hf, _) in _META_GLOBAL.items()}
        for layer in range(self.params["n_layers"]):
            for meta, (hf, _) in _META_LAYER.items():
                table[f"model.layers.{layer}.{hf}"] = f"layers.{layer}.{meta}"
        return table

    def _load(self) -> list[dict[str, torch.Tensor]]:
        if self._shards is None:
            shards = []
            for path in self.shard_paths:
                shards.append(_load_torch_file(path))
            self._shards = shards
        return self._shards

    @property
    def num_shards(self) -> int:
        return len(self.shard_paths)

    def shard_dim(self, hf_name: str) -> int | None:
        meta = self.meta_name_of[hf_name]
        if meta in _META_GLOBAL:
            return _META_GLOBAL[meta][1]
        return _META_LAYER[meta.split(".", 2)[2]][1]

    def get(self, name: str) -> torch.Tensor:
        if name not in self.meta_name_of:
            raise ConversionError(f"{self.directory}: no Meta tensor corresponds to {name!r}")
        meta = self.meta_name_of[name]
        shards = self._load()
        pieces = []
        for path, shard in zip(self.shard_paths, shards):
            if meta not in shard:
                raise ConversionError(f"{path}: tensor {meta!r} is missing")
            pieces.append(shard[meta])
        dim = self.shard_dim(name)
        if dim is None:
            for path, piece in zip(self.shard_paths[1:], pieces[1:]):
                if not torch.equal(piece, pieces[0]):
                    raise ConversionError(f"{meta}: replicated tensor differs between {self.shard_paths[0].name} and {path.name}")
            tensor = pieces[0]
        else:
            tensor = torch.cat(pieces, dim=dim)
        if meta.endswith("attention.wq.weight"):
            tensor = self._permute(tensor, self.num_heads, meta)
        elif meta.endswith("attention.wk.weight"):
            tensor = self._permute(tensor, self.num_kv_heads, meta)
        return tensor

    def _permute(self, tensor: torch.Tensor, heads: int, meta: str) -> torch.Tensor:
        if tensor.dim() != 2 or tensor.shape[0] % heads or (tensor.shape[0] // heads) % 2:
            raise ConversionError(f"{meta}: shape {tuple(tensor.shape)} does not split into {heads} heads of even size")
        return layout.permute_meta_to_hf(tensor, heads)

    def close(self) -> None:
        self._shards = None
