"""Reading NeoX checkpoints: the one module that opens a checkpoint's files.

    <dir>/latest                           the tag of the newest complete checkpoint
    <dir>/<tag>/mp_rank_XX_model_states.pt  one per tensor-parallel rank (DeepSpeed)
    <dir>/<tag>/*_optim_states.pt           ZeRO optimizer shards (DeepSpeed)
    <dir>/<tag>/configs/*.yml               the YAML files the run used
    <dir>/<tag>/model_config.json           the model shape and numerics, checked before loading
    <dir>/<tag>/manifest.json               size and CRC-32 of every other file, written last

Training (`megatron.checkpointing`), the launch checks, evaluation and the converters all read
through here: the tag is resolved and verified one way (`resolve_tag`), and every torch file is
deserialised one way (`load_torch_file`).

Safety. A `.pt` file is a pickle, and unpickling runs whatever callables it names. Every torch
file is therefore loaded with `torch.load(weights_only=True)`, which admits tensors, plain Python
data and the types named in SAFE_GLOBALS only: the few that DeepSpeed and GPT-NeoX store (numpy
arrays of the saved random state, DeepSpeed's loss scaler, ZeRO stage enum and fragment
addresses). A file that names any other type is refused by `check_safe` before anything of it is
unpickled (the scan reads pickle opcodes, it executes nothing), with the file, the types and the
opt-in: `trust_checkpoint_code: true` in a run's config, `--trust-checkpoint-code` for the tools.

The manifest guards against corruption (a truncated copy, a flipped bit), not against an
attacker: whoever can edit a file can recompute its manifest entry. Safety comes from the
weights-only loading above.
"""
from __future__ import annotations

import functools
import json
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

import torch

from megatron.model import layout
from megatron.model.config import ModelConfig

LATEST_FILE = "latest"
MODEL_CONFIG_FILE = "model_config.json"
MANIFEST_FILE = "manifest.json"
CONVERSION_FILE = "conversion.json"
"""Written by the converters beside the model files: where the weights came from."""
FUNCTION_FIELDS = (
    "num_layers", "hidden_size", "num_attention_heads", "num_kv_heads", "intermediate_size", "vocab_size",
    "unpadded_vocab_size", "rotary_emb_base", "norm_eps",
)
"""Model config fields that change the function the model computes: a checkpoint must agree on them."""
OVERRIDABLE_FIELDS = ("rotary_emb_base", "norm_eps")
"""Fields a run may change on purpose (`override_checkpoint_model_config`); LLEMMA 7B moves Code
Llama's RoPE base from 1e6 to 1e4. Shapes cannot be overridden: the weights would not fit."""
TRUST_HINT = ("if you trust whoever wrote it, load it with `trust_checkpoint_code: true` in the run's config "
              "(--trust-checkpoint-code for the tools): that runs any code the file holds")


class CheckpointError(RuntimeError):
    """A checkpoint that cannot be loaded into this run, with the reason and the path."""


class UnsafeCheckpointError(CheckpointError):
    """A checkpoint file that names types outside the allowlist (unpickling it could run code)."""


def model_states_file(rank: int) -> str:
    """DeepSpeed's per-tensor-parallel-rank model file inside a tag directory."""
    return f"mp_rank_{rank:02d}_model_states.pt"


def optimizer_states_file(data_parallel_rank: int, tensor_parallel_rank: int, bf16: bool = False) -> str:
    """DeepSpeed's optimizer shard of one data-parallel rank of one tensor-parallel rank: ZeRO-1/2's,
    or (`bf16`) that of its BF16 optimizer, which ZeRO-1 uses for bf16 with fp32 accumulation."""
    return f"{'bf16_' if bf16 else ''}zero_pp_rank_{data_parallel_rank}_mp_rank_{tensor_parallel_rank:02d}_optim_states.pt"


def tag_for(iteration: int) -> str:
    return f"global_step{iteration}"


def tag_iteration(name: str) -> Optional[int]:
    suffix = name[len("global_step"):]
    return int(suffix) if name.startswith("global_step") and suffix.isdigit() else None


# --- safe deserialisation ------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _safe_globals() -> list:
    import numpy as np
    from deepspeed.runtime.fp16.loss_scaler import LossScaler
    from deepspeed.runtime.zero.config import ZeroStageEnum
    from deepspeed.utils.tensor_fragment import fragment_address

    numeric_dtypes = sorted({type(np.dtype(code)) for code in "?bBhHiIlLqQefdgFDG"}, key=str)
    reconstruct = np._core.multiarray._reconstruct
    return [
        np.ndarray, np.dtype, *numeric_dtypes, reconstruct,
        (reconstruct, "numpy.core.multiarray._reconstruct"),  # written under numpy 1.x
        LossScaler, ZeroStageEnum, fragment_address,
    ]


SAFE_GLOBAL_NAMES = (
    "numpy.ndarray, numpy.dtype and the numeric numpy.dtypes.*DType classes, numpy's array _reconstruct "
    "(the saved numpy random state); deepspeed LossScaler, ZeroStageEnum, fragment_address"
)
"""What SAFE_GLOBALS admits beyond torch's own weights-only set (tensors, plain data, OrderedDict)."""


def unsafe_globals(path: Path) -> list[str]:
    """The types and callables a torch file names beyond the allowlist; reads pickle opcodes only."""
    with torch.serialization.safe_globals(_safe_globals()):
        try:
            return list(torch.serialization.get_unsafe_globals_in_checkpoint(str(path)))
        except Exception as error:  # not a zip archive, a damaged pickle...
            raise CheckpointError(f"{path}: cannot be read as a torch checkpoint ({error})") from error


def check_safe(paths: Iterable[Path]) -> None:
    """Raise UnsafeCheckpointError for the first file that would need an unsafe type to load."""
    for path in paths:
        names = unsafe_globals(path)
        if names:
            raise UnsafeCheckpointError(
                f"{path} refused: it needs {', '.join(names[:8])} to load, which is not among the types a "
                f"checkpoint may hold (tensors, plain data, {SAFE_GLOBAL_NAMES}); unpickling it could run code; "
                + TRUST_HINT
            )


def load_torch_file(path: str | Path, trust_checkpoint_code: bool = False, map_location: Any = "cpu",
                    mmap: bool = True) -> Any:
    """Deserialise one torch file of a checkpoint: weights-only with the allowlist, or (only when the
    caller opted in with `trust_checkpoint_code`) as full pickle. Tensors are memory-mapped with `mmap`."""
    path = Path(path)
    mmap = mmap and zipfile.is_zipfile(path)
    if trust_checkpoint_code:
        if unsafe_globals(path):
            warnings.warn(f"{path}: loading with trust_checkpoint_code, which runs any code the file holds",
                          stacklevel=2)
        return torch.load(path, map_location=map_location, mmap=mmap, weights_only=False)
    check_safe([path])
    try:
        with torch.serialization.safe_globals(_safe_globals()):
            return torch.load(path, map_location=map_location, mmap=mmap, weights_only=True)
    except Exception as error:  # torch raises several types for damaged or disallowed files
        raise CheckpointError(f"{path}: cannot be read as a weights-only torch checkpoint ({error}); "
                              + TRUST_HINT) from error


class SafeLoadingCheckpointEngine:
    """DeepSpeed's checkpoint engine with its `load` (weights_only=False inside DeepSpeed) replaced by
    `load_torch_file`; saving is the wrapped engine's. DeepSpeed reads every file of a tag through it."""

    def __init__(self, inner, trust_checkpoint_code: bool = False):
        self.inner = inner
        self.trust_checkpoint_code = trust_checkpoint_code

    def load(self, path: str, map_location=None):
        return load_torch_file(path, self.trust_checkpoint_code, map_location=map_location or "cpu", mmap=False)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def install_safe_loading(engine, trust_checkpoint_code: bool = False) -> None:
    """Make every checkpoint file `engine` (a DeepSpeed engine) reads go through `load_torch_file`."""
    current = engine.checkpoint_engine
    inner = current.inner if isinstance(current, SafeLoadingCheckpointEngine) else current
    engine.checkpoint_engine = SafeLoadingCheckpointEngine(inner, trust_checkpoint_code)


def check_tag_is_safe(tag_dir: Path) -> None:
    """Every torch file of a tag holds only allowlisted types (the launch check, before any rank starts)."""
    check_safe(sorted(Path(tag_dir).glob("*.pt")))


# --- finding and verifying a tag -----------------------------------------------------------------

def read_latest_tag(load_dir: str | Path) -> Optional[str]:
    """The tag `latest` names; None when there is no `latest`. An unreadable one raises CheckpointError."""
    latest = Path(load_dir) / LATEST_FILE
    if not latest.is_file():
        return None
    try:
        tag = latest.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointError(f"{latest} cannot be read: {error}") from error
    if tag and (tag_iteration(tag) is None or "/" in tag):
        raise CheckpointError(f"{latest} does not hold a checkpoint tag: {tag[:80]!r}")
    return tag or None


def crc32(path: Path) -> int:
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 24):
            crc = zlib.crc32(chunk, crc)
    return crc


def is_complete(tag_dir: Path) -> bool:
    """A committed tag directory with its model config and one model file per tensor-parallel rank."""
    config_path = tag_dir / MODEL_CONFIG_FILE
    if not tag_dir.is_dir() or not config_path.is_file():
        return False
    try:
        tp = int(json.loads(config_path.read_text(encoding="utf-8")).get("tensor_parallel_size", 1))
    except (ValueError, json.JSONDecodeError):
        return False
    return all((tag_dir / model_states_file(rank)).is_file() for rank in range(tp))


def complete_tags(save_dir: str | Path) -> list[str]:
    """Complete checkpoint tags of a directory, oldest first."""
    save_dir = Path(save_dir)
    if not save_dir.is_dir():
        return []
    tags = [p.name for p in save_dir.iterdir() if tag_iteration(p.name) is not None and is_complete(p)]
    return sorted(tags, key=tag_iteration)


def verify_tag(tag_dir: Path, checksums: bool = True) -> Optional[str]:
    """Why the tag directory cannot be loaded (naming the file), or None when it can.

    Checks, without deserialising anything: the tag is complete; every file of its manifest is
    there with its size (and, with `checksums`, its CRC-32); every torch file has an intact zip
    directory (a truncated file has none). Tags written before manifests existed get the last check.
    These find corruption; they cannot find tampering (see the module docstring).
    """
    if not tag_dir.is_dir():
        return f"{tag_dir} does not exist"
    if not is_complete(tag_dir):
        return f"{tag_dir} is incomplete ({MODEL_CONFIG_FILE} or a rank's model file is missing or unreadable)"
    manifest_path = tag_dir / MANIFEST_FILE
    if manifest_path.exists():
        try:
            entries = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
            return f"{manifest_path} cannot be read: {error}"
        for name, entry in entries.items():  # every size first: a truncation is found before any file is read
            path = tag_dir / name
            if not path.is_file():
                return f"{path} is missing"
            size = path.stat().st_size
            if size != entry["bytes"]:
                return f"{path} has {size} bytes, the manifest says {entry['bytes']} (truncated or rewritten)"
        for name, entry in entries.items() if checksums else ():
            if crc32(tag_dir / name) != entry["crc32"]:
                return f"{tag_dir / name} fails its CRC-32 check (corrupt)"
    for path in sorted(tag_dir.glob("*.pt")):
        try:
            with zipfile.ZipFile(path) as archive:
                archive.infolist()
        except (OSError, zipfile.BadZipFile) as error:
            return f"{path} is not a readable torch file ({error})"
    return None


def resolve_tag(load_dir: str | Path, checksums: bool = True) -> Optional[str]:
    """The tag to load: the one `latest` names when it verifies, else (with a warning naming the file
    and the reason) the newest tag that does; None when the directory holds no checkpoint at all.

    Raises CheckpointError listing every tag tried when there are checkpoints but none verifies.
    """
    load_dir = Path(load_dir)
    tried: list[str] = []
    try:
        named = read_latest_tag(load_dir)
    except CheckpointError as error:
        named = None
        tried.append(str(error))
    candidates = [named] if named else []
    if load_dir.is_dir():
        on_disk = [p.name for p in load_dir.iterdir() if p.is_dir() and tag_iteration(p.name) is not None]
        candidates += [tag for tag in sorted(on_disk, key=tag_iteration, reverse=True) if tag != named]
    for tag in candidates:
        reason = verify_tag(load_dir / tag, checksums)
        if reason is None:
            if tried:
                warnings.warn(f"skipping unloadable checkpoints: {'; '.join(tried)}; loading {load_dir / tag}",
                              stacklevel=2)
            return tag
        tried.append(reason)
    if tried:
        raise CheckpointError(f"{load_dir} holds no loadable checkpoint; tried: " + "; ".join(tried))
    return None


def read_model_config(tag_dir: Path) -> dict[str, Any]:
    path = tag_dir / MODEL_CONFIG_FILE
    if not path.is_file():
        raise CheckpointError(f"{path} is missing: not a checkpoint written by this project (or incomplete)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CheckpointError(f"{path} cannot be read: {error}") from error


def check_model_config(
    tag_dir: Path,
    model_config: dict[str, Any],
    overrides: Sequence[str] = (),
    run_sources: Optional[Mapping[str, str]] = None,
) -> list[str]:
    """Refuse a checkpoint whose model computes a different function from this run's.

    Compares every field of FUNCTION_FIELDS (shapes, the real vocabulary, RoPE base, norm eps). A
    field named in `overrides` (the config's `override_checkpoint_model_config`) may differ on
    purpose: the run's value is used and the change is returned as a message to log. Any other
    difference raises CheckpointError naming the field, both values, the checkpoint's
    model_config.json and where the run's value comes from (`run_sources`: field -> config
    file:line). The tensor-parallel size may differ, and with it the padded vocabulary size (the
    real vocabulary must agree): loading reshards and re-pads (`megatron.checkpointing`).
    """
    path = tag_dir / MODEL_CONFIG_FILE
    saved = read_model_config(tag_dir)
    ours, theirs = _function_fields(model_config), _function_fields(saved)
    sources = run_sources or {}
    wrong, overridden = [], []
    for key in FUNCTION_FIELDS:
        if theirs[key] == ours[key]:
            continue
        if key == "vocab_size" and theirs["unpadded_vocab_size"] == ours["unpadded_vocab_size"]:
            continue  # only the padding differs (it grows with the tensor-parallel size): loading re-pads
        source = f" ({sources[key]})" if key in sources else ""
        change = f"{key}: checkpoint {theirs[key]!r} ({path}), this run {ours[key]!r}{source}"
        if key in overrides:
            overridden.append(f"{change}: using this run's value, as override_checkpoint_model_config declares")
        else:
            wrong.append(change)
    if wrong:
        hint = ""
        if any(line.startswith(OVERRIDABLE_FIELDS) for line in wrong):
            hint = (f"; if the change is deliberate, list the field in override_checkpoint_model_config "
                    f"(allowed: {', '.join(OVERRIDABLE_FIELDS)})")
        raise CheckpointError(f"checkpoint {tag_dir} does not match this model: " + "; ".join(wrong) + hint)
    return overridden


def _function_fields(config: Mapping[str, Any]) -> dict[str, Any]:
    """The fields that change the function a model computes, with defaults resolved (a checkpoint
    written before a field existed holds its default)."""
    values = {key: config.get(key) for key in FUNCTION_FIELDS}
    values["num_kv_heads"] = values["num_kv_heads"] or values["num_attention_heads"]  # None = multi-head
    values["unpadded_vocab_size"] = values["unpadded_vocab_size"] or values["vocab_size"]  # None = no padding
    for key, default in (("rotary_emb_base", 10000.0), ("norm_eps", 1e-5)):
        values[key] = float(config.get(key, default))
    return values


# --- one tag's model -----------------------------------------------------------------------------

@dataclass
class CheckpointReader:
    """One tag of a NeoX checkpoint directory: its model config, TP size and rank files.

    The one reader for evaluation (`load_merged_state_dict`), the converters (export to HF) and
    resharding on load. Every rank file is checked for missing, unexpected and wrongly shaped tensors.
    """

    tag_dir: Path
    config: ModelConfig
    tensor_parallel_size: int
    conversion: dict[str, Any]
    trust_checkpoint_code: bool = False

    @classmethod
    def open(cls, directory: str | Path, tag: str | None = None, trust_checkpoint_code: bool = False) -> CheckpointReader:
        directory = Path(directory)
        if not directory.is_dir():
            raise CheckpointError(f"NeoX checkpoint directory {directory} does not exist")
        if tag is None:
            tag = resolve_tag(directory)
            if tag is None:
                raise CheckpointError(f"{directory} holds no checkpoint (no `latest` and no global_step* tag)")
        tag_dir = directory / tag
        if not tag_dir.is_dir():
            raise CheckpointError(f"{tag_dir} does not exist (tag {tag!r})")
        config_path = tag_dir / MODEL_CONFIG_FILE
        values = read_model_config(tag_dir)
        tensor_parallel_size = int(values.pop("tensor_parallel_size", 1))
        try:
            config = ModelConfig.from_dict(values)
        except (TypeError, ValueError) as error:
            raise CheckpointError(f"{config_path}: {error}") from error
        found = sorted(path.name for path in tag_dir.glob("mp_rank_*_model_states.pt"))
        expected = [model_states_file(rank) for rank in range(tensor_parallel_size)]
        if found != expected:
            raise CheckpointError(
                f"{tag_dir}: model_config.json says tensor_parallel_size={tensor_parallel_size}, "
                f"so expected {expected}, found {found}"
            )
        conversion_path = tag_dir / CONVERSION_FILE
        conversion = json.loads(conversion_path.read_text(encoding="utf-8")) if conversion_path.is_file() else {}
        return cls(tag_dir, config, tensor_parallel_size, conversion, trust_checkpoint_code)

    def rank_path(self, rank: int) -> Path:
        return self.tag_dir / model_states_file(rank)

    def load_rank(self, rank: int) -> dict[str, Any]:
        """Rank `rank`'s whole model-states file (module, DeepSpeed's bookkeeping, client state)."""
        path = self.rank_path(rank)
        state = load_torch_file(path, self.trust_checkpoint_code)
        if not isinstance(state, dict) or not isinstance(state.get("module"), dict):
            raise CheckpointError(f"{path}: has no 'module' state dict")
        return state

    def open_shards(self, check: bool = True) -> list[dict[str, torch.Tensor]]:
        """Every rank's module state dict, memory-mapped (tensors are read when touched); with
        `check`, checked for missing, unexpected and wrongly shaped tensors."""
        layouts = layout.parameter_layouts(self.config)
        shards = []
        for rank in range(self.tensor_parallel_size):
            path = self.rank_path(rank)
            module = self.load_rank(rank)["module"]
            if check:
                missing = [name for name in layouts if name not in module]
                unexpected = [name for name in module if name not in layouts]
                if missing or unexpected:
                    raise CheckpointError(f"{path}: missing tensors {missing[:8]}, unexpected tensors {unexpected[:8]}")
                for name, spec in layouts.items():
                    expected = spec.shard_shape(self.tensor_parallel_size)
                    if tuple(module[name].shape) != expected:
                        raise CheckpointError(f"{path}: {name} has shape {tuple(module[name].shape)}, expected {expected}")
            shards.append(module)
        return shards

    def merged_state_dict(self) -> dict[str, torch.Tensor]:
        """The whole model as one full (unsplit) state dict on the CPU (holds it all in memory)."""
        return layout.merge_state_dicts(self.open_shards(), self.config)


def load_merged_state_dict(load_dir: str | Path, tag: Optional[str] = None, trust_checkpoint_code: bool = False,
                           ) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
    """The model of a checkpoint as one full (unsplit) state dict on the CPU, whatever its TP size.

    Returns (model config dict without `tensor_parallel_size`, full state dict). Holds the whole
    model in memory: for evaluation and tests; the converters stream instead. The tag is verified
    and resolved as training resolves it; files are read weights-only unless `trust_checkpoint_code`.
    """
    reader = CheckpointReader.open(load_dir, tag, trust_checkpoint_code)
    return reader.config.to_dict(), reader.merged_state_dict()


# --- one tag's ZeRO-1/2 optimizer state, whole -----------------------------------------------------

def saved_data_parallel_size(tag_dir: Path) -> int:
    """How many data-parallel ranks wrote the tag's ZeRO shards (0: none, e.g. a converted checkpoint)."""
    return len(list(Path(tag_dir).glob("*zero_pp_rank_*_mp_rank_00_optim_states.pt")))


def _is_bf16_optimizer(tag_dir: Path) -> bool:
    return (Path(tag_dir) / optimizer_states_file(0, 0, bf16=True)).is_file()


ADAM_MOMENTS = ("exp_avg", "exp_avg_sq")
OPTIMIZER_KEYS = ("fp32", *ADAM_MOMENTS)
"""What `ZeroOptimizerState.tensor` returns per parameter: the fp32 master weight and Adam's moments."""


@dataclass(frozen=True)
class _FlatSlot:
    """Where one parameter's shard lies in the flat parameter group of one tensor-parallel rank."""

    group: int
    offset: int
    shape: torch.Size


class ZeroOptimizerState:
    """The fp32 master weights and Adam moments of a ZeRO-1/2 checkpoint, per parameter and whole.

    DeepSpeed saves, per tensor-parallel rank t and data-parallel rank d, the d-th piece of every
    flattened parameter group (`single_partition_of_fp32_groups`, and the torch optimizer's state of
    that piece; the group's alignment padding, `group_paddings`, ends the last piece; ZeRO-1/2 and its
    BF16 optimizer differ only in whether the master piece keeps it); the parameters' order and shapes are in the
    model file's `param_shapes`. Concatenating the pieces of all d gives each group back; cutting
    it at the parameters' offsets gives each parameter's TP shard; merging the shards with the
    layout module gives the full tensor, which any other topology can cut again. DeepSpeed's own
    elastic loading covers a data-parallel change only, and its universal checkpoint needs a
    conversion step that knows nothing of our tensor-parallel layout: hence this reader.
    Files are memory-mapped; a tensor is read when `tensor` asks for it.
    """

    def __init__(self, reader: CheckpointReader):
        self.reader = reader
        self.data_parallel_size = saved_data_parallel_size(reader.tag_dir)
        if self.data_parallel_size == 0:
            raise CheckpointError(f"{reader.tag_dir} holds no ZeRO optimizer shards (a converted checkpoint?): "
                                  "load it with finetune: true")
        self.layouts = layout.parameter_layouts(reader.config)
        self.slots: list[dict[str, _FlatSlot]] = []
        self.pieces: list[list[dict[str, list[torch.Tensor]]]] = []  # [tp][group][key] -> per-dp pieces
        self.steps: set[float] = set()
        self.bf16 = _is_bf16_optimizer(reader.tag_dir)
        models = []
        for tp_rank in range(reader.tensor_parallel_size):
            model = reader.load_rank(tp_rank)
            models.append(model)
            shards = [self._optimizer_shard(dp_rank, tp_rank) for dp_rank in range(self.data_parallel_size)]
            self.slots.append(self._slots(model, shards[0], tp_rank))
            groups = []
            for group in range(len(model["param_shapes"])):
                keys: dict[str, list[torch.Tensor]] = {key: [] for key in OPTIMIZER_KEYS}
                for shard in shards:
                    state = shard["base_optimizer_state"]["state"][group]
                    length = state["exp_avg"].numel() - shard["group_paddings"][group]
                    self.steps.add(float(state["step"]))
                    keys["fp32"].append(shard["single_partition_of_fp32_groups"][group].view(-1)[:length])
                    for key in ADAM_MOMENTS:
                        keys[key].append(state[key].view(-1)[:length])
                groups.append(keys)
            self.pieces.append(groups)
        if len(self.steps) != 1:
            raise CheckpointError(f"{reader.tag_dir}: the ZeRO shards disagree on the optimizer step: {sorted(self.steps)}")
        self.step = next(iter(self.steps))
        self.model_states = models[0]

    def _optimizer_shard(self, dp_rank: int, tp_rank: int) -> dict[str, Any]:
        path = self.reader.tag_dir / optimizer_states_file(dp_rank, tp_rank, self.bf16)
        if not path.is_file():
            raise CheckpointError(f"{path} is missing ({self.data_parallel_size} data-parallel shards expected)")
        shard = load_torch_file(path, self.reader.trust_checkpoint_code).get("optimizer_state_dict")
        if not isinstance(shard, dict) or not isinstance(shard.get("base_optimizer_state"), dict):
            raise CheckpointError(f"{path}: not a ZeRO stage 1/2 optimizer shard with a torch optimizer state "
                                  "(DeepSpeed's elastic_checkpoint layout is not supported)")
        if list(shard.get("partition_count", [])) != [self.data_parallel_size] * len(shard["partition_count"]):
            raise CheckpointError(f"{path}: partition_count {shard.get('partition_count')} does not match the "
                                  f"{self.data_parallel_size} shards on disk")
        for state in shard["base_optimizer_state"]["state"].values():
            if set(ADAM_MOMENTS) - set(state):
                raise CheckpointError(f"{path}: the optimizer state has {sorted(state)}, not Adam's moments")
        return shard

    def _slots(self, model: dict[str, Any], shard: dict[str, Any], tp_rank: int) -> dict[str, _FlatSlot]:
        path = self.reader.rank_path(tp_rank)
        paddings = shard.get("param_alignment_paddings")
        slots = {}
        for group, shapes in enumerate(model.get("param_shapes") or []):
            offset = 0
            for index, (name, shape) in enumerate(shapes.items()):
                if name not in self.layouts:
                    raise CheckpointError(f"{path}: param_shapes names {name!r}, not a parameter of this model")
                expected = self.layouts[name].shard_shape(self.reader.tensor_parallel_size)
                if tuple(shape) != expected:
                    raise CheckpointError(f"{path}: {name} has shape {tuple(shape)} in param_shapes, expected {expected}")
                slots[name] = _FlatSlot(group, offset, torch.Size(shape))
                offset += torch.Size(shape).numel() + (paddings[group][index] if paddings else 0)
        missing = [name for name in self.layouts if name not in slots]
        if missing:
            raise CheckpointError(f"{path}: param_shapes lacks {missing[:8]}")
        return slots

    def tensor(self, name: str, key: str) -> torch.Tensor:
        """The full (tensor-parallel merged) fp32 tensor `key` of parameter `name`."""
        spec = self.layouts[name]
        shards = []
        for tp_rank, slots in enumerate(self.slots):
            slot = slots[name]
            flat = _flat_range(self.pieces[tp_rank][slot.group][key], slot.offset, slot.shape.numel())
            shards.append(flat.view(slot.shape))
        if spec.split_dim is None:
            return shards[0]  # replicated: every tensor-parallel rank keeps the same copy
        return layout.merge_tensor(shards, spec, name)


def _flat_range(pieces: Sequence[torch.Tensor], start: int, numel: int) -> torch.Tensor:
    """Elements [start, start + numel) of the concatenation of `pieces`, without concatenating them all."""
    parts, position = [], 0
    for piece in pieces:
        low, high = max(start, position), min(start + numel, position + piece.numel())
        if low < high:
            parts.append(piece[low - position: high - position])
        position += piece.numel()
    flat = torch.cat(parts) if len(parts) != 1 else parts[0]
    if flat.numel() != numel:
        raise CheckpointError(f"a parameter runs past the end of its ZeRO partitions ({start}+{numel} > {position})")
    return flat
