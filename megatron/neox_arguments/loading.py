"""Reading YAML config files into checked, typed sections.

Keys may be written with dashes or underscores; they are canonicalised to
underscores before anything else, so `train-iters` and `train_iters` are the same
key and giving both is an error. Every value remembers where it came from
(`file:line`) so that errors can point at it.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
import typing
from pathlib import Path
from typing import Any, Union

import yaml

from megatron.user_files import UserFileError, damaged, read_text


_YAML12_FLOAT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")


class ConfigError(ValueError):
    """A configuration problem, with the file, line and key it concerns in the message."""


class SectionValueError(ValueError):
    """Raised by a section dataclass's `__post_init__` for a bad value of its field `key`."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def canonical_key(key: str) -> str:
    return key.replace("-", "_")


@dataclasses.dataclass
class Setting:
    """A value read from a config file and where it was written."""

    value: Any
    where: str
    children: dict[str, "Setting"] | None = None


def _read_node(loader: yaml.SafeLoader, node: yaml.Node, path: str) -> Setting:
    where = f"{path}:{node.start_mark.line + 1}"
    if isinstance(node, yaml.MappingNode):
        children: dict[str, Setting] = {}
        for key_node, value_node in node.value:
            raw_key = loader.construct_object(key_node)
            if not isinstance(raw_key, str):
                raise ConfigError(f"{path}:{key_node.start_mark.line + 1}: key {raw_key!r} is not a string")
            key = canonical_key(raw_key)
            child = _read_node(loader, value_node, path)
            child.where = f"{path}:{key_node.start_mark.line + 1}"
            if key in children:
                raise ConfigError(
                    f"key '{key}' is given twice: at {children[key].where} and at {child.where}"
                )
            children[key] = child
        return Setting({k: v.value for k, v in children.items()}, where, children)
    if isinstance(node, yaml.SequenceNode):
        return Setting([_read_node(loader, item, path).value for item in node.value], where)
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str) and node.style is None and _YAML12_FLOAT.fullmatch(value):
        value = float(value)  # YAML 1.2 reads unquoted `1e-4` as a number; PyYAML (YAML 1.1) as a string
    return Setting(value, where)


def read_config_file(path: str | Path) -> dict[str, Setting]:
    """Read one YAML file into canonical top-level keys with their positions."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        text = read_text(path)
    except UserFileError as error:
        raise ConfigError(str(error)) from error
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        root = _read_node(loader, node, str(path))
    except yaml.YAMLError as error:
        raise ConfigError(str(damaged(path, error))) from error
    finally:
        loader.dispose()
    if root.children is None:
        raise ConfigError(f"{path}: the top level must be a mapping of keys to values")
    return root.children


def merge_config_files(paths: list[str | Path]) -> dict[str, Setting]:
    """Merge files in order; a key set in two files (in any spelling) is an error naming both."""
    merged: dict[str, Setting] = {}
    for path in paths:
        for key, setting in read_config_file(path).items():
            if key in merged:
                raise ConfigError(
                    f"key '{key}' is given twice: at {merged[key].where} and at {setting.where}"
                )
            merged[key] = setting
    return merged


def suggest(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def field_help(f: dataclasses.Field) -> str:
    return f.metadata.get("help", "")


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        name = " | ".join(_type_name(a) for a in args)
        return f"{name} (optional)" if len(args) < len(typing.get_args(tp)) else name
    if origin is list:
        return f"list of {_type_name(typing.get_args(tp)[0])}"
    if dataclasses.is_dataclass(tp):
        return "mapping"
    return getattr(tp, "__name__", str(tp))


def type_name(tp: Any) -> str:
    return _type_name(tp)


def _number(value: Any) -> float | None:
    """A number, or None: strings never count (a quoted "60" is a string; unquoted `1e-4` was read
    as a number by `_read_node`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def coerce(value: Any, tp: Any, where: str, key: str) -> Any:
    """Check `value` against the annotation `tp`, converting only where the meaning is unambiguous."""

    def fail(reason: str = "") -> ConfigError:
        return ConfigError(
            f"{where}: '{key}' must be {_type_name(tp)}, got {value!r}{(': ' + reason) if reason else ''}"
        )

    origin = typing.get_origin(tp)
    if origin is Union:
        options = typing.get_args(tp)
        if value is None:
            if type(None) in options:
                return None
            raise fail()
        if set(options) - {type(None)} == {int, float}:
            number = _number(value)
            if number is None:
                raise fail()
            return value if isinstance(value, (int, float)) else number
        inner = [o for o in options if o is not type(None)]
        if len(inner) == 1:
            return coerce(value, inner[0], where, key)
        raise fail("unsupported annotation")
    if origin is list:
        (item_type,) = typing.get_args(tp)
        if isinstance(value, str) and item_type is str:
            return [value]
        if not isinstance(value, list):
            raise fail()
        return [coerce(item, item_type, where, f"{key}[{i}]") for i, item in enumerate(value)]
    if dataclasses.is_dataclass(tp):
        raise fail("a nested section is read by build_section")
    if tp is bool:
        if not isinstance(value, bool):
            raise fail()
        return value
    if tp is int:
        number = _number(value)
        if number is None or float(number) != int(number):
            raise fail()
        return int(number)
    if tp is float:
        number = _number(value)
        if number is None:
            raise fail()
        return float(number)
    if tp is str:
        if not isinstance(value, str):
            raise fail()
        return value
    if tp is Any or tp is dict:
        return value
    raise fail("unsupported annotation")


def build_section(cls: type, settings: dict[str, Setting], where: str, prefix: str = "") -> Any:
    """Build dataclass `cls` from its settings; unknown keys, bad types and bad choices are errors."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values = {}
    for key, setting in settings.items():
        full_key = f"{prefix}{key}"
        if key not in fields:
            raise ConfigError(
                f"{setting.where}: unknown key '{full_key}'{suggest(key, list(fields))}"
            )
        tp = hints[key]
        if dataclasses.is_dataclass(tp):
            if setting.children is None:
                raise ConfigError(f"{setting.where}: '{full_key}' must be a mapping, got {setting.value!r}")
            values[key] = build_section(tp, setting.children, setting.where, f"{full_key}.")
            continue
        value = coerce(setting.value, tp, setting.where, full_key)
        choices = fields[key].metadata.get("choices")
        if choices is not None and value not in choices:
            raise ConfigError(
                f"{setting.where}: '{full_key}' must be one of {choices}, got {value!r}"
            )
        values[key] = value
    try:
        return cls(**values)
    except SectionValueError as error:
        place = settings[error.key].where if error.key in settings else where
        raise ConfigError(f"{place}: '{prefix}{error.key}': {error}") from error


def settings_from_plain(data: dict[str, Any], where: str) -> dict[str, Setting]:
    """Wrap an already-resolved plain dict (the blob deepy.py hands to ranks) as settings."""
    return {
        key: Setting(value, where, settings_from_plain(value, where) if isinstance(value, dict) else None)
        for key, value in data.items()
    }
