"""LaTeX text helpers shared by the arXiv cleaner and the answer checker."""
from __future__ import annotations


def matching_brace(text: str, open_index: int) -> int | None:
    """Index of the `}` that closes the `{` at `open_index`, or None when it is never closed.

    A backslash escapes the next character, so `\\{` and `\\}` do not count.
    """
    depth = 0
    index = open_index
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None
