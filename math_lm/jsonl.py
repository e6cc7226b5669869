"""Reading small `.jsonl` files of JSON objects with errors that name the file and line."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_json_objects(path: Path, error: type[Exception]) -> list[tuple[int, dict[str, Any]]]:
    """The JSON objects of a `.jsonl` file with their 1-based line numbers; blank lines are skipped.

    A line that is not valid JSON, or not a JSON object, raises `error` naming `file:line`.
    """
    objects = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as decode_error:
                raise error(f"{path}:{number}: not valid JSON ({decode_error.msg})") from decode_error
            if not isinstance(value, dict):
                raise error(f"{path}:{number}: expected a JSON object, got {type(value).__name__}")
            objects.append((number, value))
    return objects
