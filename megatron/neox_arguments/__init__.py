"""Typed run configuration: YAML files in, one immutable NeoXArgs out."""
from .arguments import NeoXArgs, key_index, load_neox_args
from .derived import BatchSizes, Derived, Schedule, derive_batch_sizes, derive_schedule
from .loading import ConfigError

__all__ = [
    "BatchSizes",
    "ConfigError",
    "Derived",
    "NeoXArgs",
    "Schedule",
    "derive_batch_sizes",
    "derive_schedule",
    "key_index",
    "load_neox_args",
]
