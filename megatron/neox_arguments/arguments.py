"""NeoXArgs: the whole run configuration, built once from YAML files and never mutated."""
from __future__ import annotations

import contextlib
import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from .derived import Derived, derive_batch_sizes, derive_schedule, implied_world_size
from .loading import ConfigError, Setting, build_section, merge_config_files, settings_from_plain, suggest
from .sections import (
    SECTIONS,
    BatchArgs,
    CheckpointArgs,
    DataArgs,
    LauncherArgs,
    LearningRateArgs,
    ModelArgs,
    OptimizerArgs,
    ParallelArgs,
    PrecisionArgs,
    TokenizerArgs,
    TrainingArgs,
)

def key_index(plugin_sections: Sequence[str] = ()) -> dict[str, str]:
    """Every top-level config key -> the NeoXArgs attribute (section) that owns it; the keys of
    `plugin_sections` (the sections of the run's plugins) belong to `plugin_sections`."""
    index = {}
    for section_name, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            index[f.name] = section_name
    for key in plugin_sections:
        if key in index:
            raise ConfigError(f"plugin section '{key}' clashes with the core key '{key}' of '{index[key]}'")
        index[key] = "plugin_sections"
    return index


def plugin_section_types(modules: Sequence[str], where: str = "") -> dict[str, type]:
    """The config section (key -> dataclass) of each plugin module named under `plugins:`."""
    from megatron.plugins import PluginImportError, plugin_class

    types: dict[str, type] = {}
    for name in modules:
        try:
            cls = plugin_class(name)
        except PluginImportError as error:
            raise ConfigError(f"{where}: {error}") from error
        types[cls.section] = cls.Config
    return types


@dataclass(frozen=True)
class NeoXArgs:
    """The resolved configuration of one run: typed sections, plugin sections, derived values and
    the text of the YAML files it came from (saved beside every checkpoint)."""

    model: ModelArgs
    tokenizer: TokenizerArgs
    parallel: ParallelArgs
    batch: BatchArgs
    optimizer: OptimizerArgs
    learning_rate: LearningRateArgs
    precision: PrecisionArgs
    training: TrainingArgs
    checkpoint: CheckpointArgs
    data: DataArgs
    launcher: LauncherArgs
    derived: Derived
    plugin_sections: dict[str, Any] = field(default_factory=dict)
    config_files: dict[str, str] = field(default_factory=dict)
    key_locations: dict[str, str] = field(default_factory=dict)
    """`file:line` of every key the YAML files set (nested keys as `section.key`)."""

    def where(self, key: str) -> str:
        """Where `key` was set, or that it holds its default."""
        if key in self.key_locations:
            return self.key_locations[key]
        return f"the default of '{key}' (not set in {', '.join(self.config_files) or 'any file'})"

    def plugin_section(self, key: str) -> Any:
        """The section `key` of one of the run's plugins (its defaults when the config did not set it)."""
        if key not in self.plugin_sections:
            raise KeyError(f"no plugin of this run owns the config section '{key}' (plugins: {self.training.plugins})")
        return self.plugin_sections[key]

    def to_dict(self) -> dict:
        """A plain, JSON-able form: every key with its value (defaults included), derived values and
        the config files' text. `from_dict` rebuilds the same object without re-deriving."""
        config: dict[str, Any] = {}
        for section_name in SECTIONS:
            config.update(dataclasses.asdict(getattr(self, section_name)))
        for key, value in self.plugin_sections.items():
            config[key] = dataclasses.asdict(value)
        return {"config": config, "derived": self.derived.to_dict(), "config_files": dict(self.config_files),
                "key_locations": dict(self.key_locations)}

    @classmethod
    def from_dict(cls, blob: dict) -> "NeoXArgs":
        config = blob["config"]
        plugin_types = plugin_section_types(config.get("plugins", []), "resolved config")
        sections, plugin_sections = _build_sections(settings_from_plain(config, "resolved config"), plugin_types)
        return cls(
            **sections,
            derived=Derived.from_dict(blob["derived"]),
            plugin_sections=plugin_sections,
            config_files=dict(blob.get("config_files", {})),
            key_locations=dict(blob.get("key_locations", {})),
        )


def _build_sections(settings: dict[str, Setting], plugin_types: dict[str, type]
                    ) -> tuple[dict[str, Any], dict[str, Any]]:
    index = key_index(list(plugin_types))
    grouped: dict[str, dict[str, Setting]] = {name: {} for name in SECTIONS}
    plugin_sections: dict[str, Any] = {}
    for key, setting in settings.items():
        if key not in index:
            raise ConfigError(f"{setting.where}: unknown key '{key}'{suggest(key, list(index))}")
        section_name = index[key]
        if section_name == "plugin_sections":
            if setting.children is None:
                raise ConfigError(f"{setting.where}: '{key}' must be a mapping")
            plugin_sections[key] = build_section(plugin_types[key], setting.children, setting.where, f"{key}.")
        else:
            grouped[section_name][key] = setting
    sections = {
        name: build_section(SECTIONS[name], grouped[name], "config") for name in SECTIONS
    }
    for key, cls in plugin_types.items():
        if key not in plugin_sections:
            plugin_sections[key] = build_section(cls, {}, "config", f"{key}.")
    return sections, plugin_sections


def _where(settings: dict[str, Setting], key: str) -> str:
    return settings[key].where if key in settings else "(default)"


def check_model_shape(model: ModelArgs, parallel: ParallelArgs, settings: dict[str, Setting]) -> None:
    """The model's shape rules (`megatron.model.config.check_shape`, their one home) on these settings;
    errors name the key and where it was set."""
    from megatron.model.shape import ShapeError, check_shape, llama_intermediate_size

    if model.make_vocab_size_divisible_by <= 0:
        raise ConfigError(f"{_where(settings, 'make_vocab_size_divisible_by')}: 'make_vocab_size_divisible_by' "
                          f"must be positive, got {model.make_vocab_size_divisible_by}")
    try:
        check_shape(
            num_layers=model.num_layers, hidden_size=model.hidden_size, num_attention_heads=model.num_attention_heads,
            num_kv_heads=model.num_kv_heads,
            intermediate_size=model.intermediate_size or llama_intermediate_size(max(model.hidden_size, 1)),
            seq_length=model.seq_length, checkpoint_num_layers=model.checkpoint_num_layers,
            tensor_parallel_size=parallel.model_parallel_size,
        )
    except ShapeError as error:
        raise ConfigError(f"{_where(settings, error.key)}: {error}") from error


def data_spec(args_data: DataArgs, seq_length: int, seed: int, eod_id: Optional[int] = None):
    """The data layer's `DataSpec` of these settings (its rules are the only data rules)."""
    from megatron.data.spec import DataSpec

    return DataSpec(
        seq_length=seq_length, seed=seed, eod_id=eod_id, data_path=args_data.data_path, split=args_data.split,
        train_data_paths=args_data.train_data_paths, valid_data_paths=args_data.valid_data_paths,
        test_data_paths=args_data.test_data_paths, train_data_weights=args_data.train_data_weights,
        valid_data_weights=args_data.valid_data_weights, test_data_weights=args_data.test_data_weights,
    )


def has_data(data: DataArgs) -> bool:
    return bool(data.data_path or data.train_data_paths or data.valid_data_paths or data.test_data_paths)


def check_data(data: DataArgs, model: ModelArgs, settings: dict[str, Setting]) -> None:
    """The data layer's rules (`megatron.data.spec`), with errors naming the key and where it was set.
    A config without data passes here (tools read such configs); deepy.py requires data."""
    from megatron.data.spec import DataSpecError

    if not has_data(data):
        return
    try:
        data_spec(data, model.seq_length, 0)
    except DataSpecError as error:
        related = "".join(f"; '{key}' is at {_where(settings, key)}" for key in error.related)
        raise ConfigError(f"{_where(settings, error.key)}: {error}{related}") from error


def check_training(training: TrainingArgs, checkpoint: CheckpointArgs, settings: dict[str, Setting]) -> None:
    for key in ("train_iters", "eval_interval", "log_interval"):
        value = getattr(training, key)
        if value <= 0:
            raise ConfigError(f"{_where(settings, key)}: '{key}' must be positive, got {value}")
    if training.eval_iters < 0:
        raise ConfigError(f"{_where(settings, 'eval_iters')}: 'eval_iters' must be >= 0")
    if not (math.isfinite(training.hang_timeout_factor) and training.hang_timeout_factor >= 0):
        raise ConfigError(f"{_where(settings, 'hang_timeout_factor')}: 'hang_timeout_factor' must be >= 0 (0: off)")
    if not (math.isfinite(training.hang_timeout_min_s) and training.hang_timeout_min_s > 0):
        raise ConfigError(f"{_where(settings, 'hang_timeout_min_s')}: 'hang_timeout_min_s' must be > 0 seconds")
    if training.exit_interval is not None and training.exit_interval <= 0:
        raise ConfigError(f"{_where(settings, 'exit_interval')}: 'exit_interval' must be positive")
    if checkpoint.save_interval is not None and checkpoint.save_interval <= 0:
        raise ConfigError(f"{_where(settings, 'save_interval')}: 'save_interval' must be positive")
    if checkpoint.keep_last_n_checkpoints is not None and checkpoint.keep_last_n_checkpoints < 1:
        raise ConfigError(f"{_where(settings, 'keep_last_n_checkpoints')}: must be at least 1")
    from megatron.checkpoint_reader import OVERRIDABLE_FIELDS

    for name in checkpoint.override_checkpoint_model_config:
        if name not in OVERRIDABLE_FIELDS:
            raise ConfigError(
                f"{_where(settings, 'override_checkpoint_model_config')}: 'override_checkpoint_model_config' "
                f"may list {list(OVERRIDABLE_FIELDS)}, got {name!r}"
            )
    if checkpoint.finetune and not checkpoint.load:
        raise ConfigError(f"{_where(settings, 'finetune')}: 'finetune: true' needs 'load' (the weights to start from)")


def load_neox_args(paths: list[str | Path], world_size: int | Callable[[LauncherArgs], int] | None = None) -> NeoXArgs:
    """Read, merge, check and derive: the one way a run's configuration is built.

    `world_size` is the number of ranks, or a function that computes it from the launcher
    settings of these files (deepy.py resolves hostfile, num_nodes, num_gpus, include/exclude),
    or None: the world size the files imply by themselves (`derived.implied_world_size`).
    """
    settings = merge_config_files(paths)
    plugin_types: dict[str, type] = {}
    plugin_setting = settings.get("plugins")
    if plugin_setting is not None:
        modules = plugin_setting.value if isinstance(plugin_setting.value, list) else [plugin_setting.value]
        plugin_types = plugin_section_types([str(m) for m in modules], plugin_setting.where)
    sections, plugin_sections = _build_sections(settings, plugin_types)
    check_model_shape(sections["model"], sections["parallel"], settings)
    check_data(sections["data"], sections["model"], settings)
    check_training(sections["training"], sections["checkpoint"], settings)

    if world_size is None:
        batch, launcher = sections["batch"], sections["launcher"]
        world_size = implied_world_size(
            batch.train_batch_size, batch.train_micro_batch_size_per_gpu, batch.gradient_accumulation_steps,
            sections["parallel"].model_parallel_size, launcher.num_nodes, launcher.num_gpus,
        )
    elif callable(world_size):
        world_size = world_size(sections["launcher"])
    tp = sections["parallel"].model_parallel_size
    if world_size % tp:
        raise ConfigError(
            f"{_where(settings, 'model_parallel_size')}: model_parallel_size={tp} does not divide the "
            f"world size {world_size}"
        )
    batch = sections["batch"]
    batch_keys = ("train_batch_size", "train_micro_batch_size_per_gpu", "gradient_accumulation_steps",
                  "model_parallel_size")
    with _located(settings, batch_keys, f"world size {world_size}"):
        batch_sizes = derive_batch_sizes(
            batch.train_batch_size, batch.train_micro_batch_size_per_gpu, batch.gradient_accumulation_steps,
            world_size // tp,
        )
    lr_args = sections["learning_rate"]
    with _located(settings, ("lr", "train_iters", "lr_decay_iters", "warmup", "min_lr", "decay_lr_to")):
        schedule = derive_schedule(
            sections["optimizer"].optimizer.params.lr, sections["training"].train_iters, lr_args.lr_decay_iters,
            lr_args.warmup, lr_args.min_lr, lr_args.decay_lr_to,
        )
    train_iters = sections["training"].train_iters
    if schedule.warmup_iters > train_iters:
        as_written = ("" if isinstance(lr_args.warmup, int)
                      else f" ({lr_args.warmup} of lr_decay_iters {schedule.lr_decay_iters})")
        raise ConfigError(
            f"{_where(settings, 'warmup')}: 'warmup' is {schedule.warmup_iters} iterations{as_written}, more than "
            f"'train_iters' {train_iters} (at {_where(settings, 'train_iters')}): the learning rate would never "
            f"reach its peak 'lr'"
        )
    files = {str(p): Path(p).read_text(encoding="utf-8") for p in paths}
    return NeoXArgs(
        **sections,
        derived=Derived(world_size, batch_sizes, schedule),
        plugin_sections=plugin_sections,
        config_files=files,
        key_locations=key_locations(settings),
    )


@contextlib.contextmanager
def _located(settings: dict[str, Setting], keys: Sequence[str], extra: str = ""):
    """Add where each of `keys` was set to a ConfigError raised inside (derived values involve several)."""
    try:
        yield
    except ConfigError as error:
        flat = key_locations(settings)
        places = [f"{key} at {flat[key]}" for key in keys if key in flat] or ["all at their defaults"]
        raise ConfigError(f"{error} ({'; '.join(places + ([extra] if extra else []))})") from error


def key_locations(settings: dict[str, Setting], prefix: str = "") -> dict[str, str]:
    """`file:line` of every key in `settings`, nested keys as `section.key`."""
    locations = {}
    for key, setting in settings.items():
        locations[prefix + key] = setting.where
        if setting.children:
            locations.update(key_locations(setting.children, f"{prefix}{key}."))
    return locations
