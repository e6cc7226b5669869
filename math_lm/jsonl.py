"""Reading small `.jsonl` files of JSON objects with errors that name the file and line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from megatron.user_files import UserFileError, iter_json_lines


def read_json_objects(path: Path, error: type[Exception]) -> list[tuple[int, dict[str, Any]]]:
    """The JSON objects of a `.jsonl` file with their 1-based line numbers; blank lines are skipped.

    A line that is not UTF-8, not valid JSON (a file cut short mid-line), or not a JSON object,
    raises `error` naming `file:line`.
    """
    objects = []
    try:
        for number, value in iter_json_lines(path):
            if not isinstance(value, dict):
                raise error(f"{path}:{number}: expected a JSON object, got {type(value).__name__}")
            objects.append((number, value))
    except UserFileError as bad_line:
        raise error(str(bad_line)) from bad_line
    return objects
