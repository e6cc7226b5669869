"""Structured answers, compared part by part: matrices, unions, sets, tuples and intervals, lists,
`\\pm`, equations. Used by the `minerva` backend (math-verify parses these structures itself).

`equivalent_structures(left, right, leaf)` splits both cleaned answers the same way and lets
`leaf` decide the scalars: matrices cell by cell, tuples and intervals in order (open/closed
ends must match), unions, sets and comma-separated lists in any order, `a \\pm b` as the list
`a+b, a-b`, equations side by side or as `lhs - rhs` up to sign. An equation meets a bare value
only when it is an assignment (`x = 5` against `5`): Minerva's "keep the last side of `=`"
graded `10x + 20 = 0` equal to `10x - 20 = 0`.
"""

from __future__ import annotations

import re
from typing import Callable, NamedTuple

MAX_DEPTH = 12

_OPENERS = "([{"
_CLOSERS = ")]}"


def split_top_level(text: str, separator: str) -> list[str]:
    """Split `text` on `separator` outside every bracket, brace and `\\{...\\}` group."""
    parts: list[str] = []
    depth = 0
    start = 0
    index = 0
    while index < len(text):
        if depth == 0 and text.startswith(separator, index) and _is_separator(text, index, separator):
            parts.append(text[start:index])
            index += len(separator)
            start = index
            continue
        char = text[index]
        if char == "\\":
            following = text[index + 1 : index + 2]
            if following == "{":
                depth += 1
            elif following == "}":
                depth -= 1
            index += 2
            continue
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
        index += 1
    parts.append(text[start:])
    return parts


def _is_separator(text: str, index: int, separator: str) -> bool:
    if separator == "=":
        return text[index - 1 : index] not in ("<", ">", "!", "\\") and text[index + 1 : index + 2] != "="
    if separator[-1].isalpha():
        return not text[index + len(separator) : index + len(separator) + 1].isalpha()
    return True


def _encloses_whole(text: str, open_length: int, close_length: int) -> bool:
    """Whether the bracket opening `text` first closes at its very end."""
    inner = text[open_length : len(text) - close_length]
    depth = 0
    index = 0
    while index < len(inner):
        char = inner[index]
        if char == "\\":
            following = inner[index + 1 : index + 2]
            depth += 1 if following == "{" else -1 if following == "}" else 0
            index += 2
            continue
        depth += 1 if char in _OPENERS else -1 if char in _CLOSERS else 0
        if depth < 0:
            return False
        index += 1
    return depth == 0


class _Sequence(NamedTuple):
    opening: str
    closing: str
    items: list[str]


def _as_sequence(text: str) -> _Sequence | None:
    """A tuple or interval: `(a, b)`, `[a, b)`, ...; None for anything else, e.g. `(5)`."""
    if len(text) < 2 or text[0] not in "([" or text[-1] not in ")]":
        return None
    if not _encloses_whole(text, 1, 1):
        return None
    items = split_top_level(text[1:-1], ",")
    if len(items) < 2:
        return None
    return _Sequence(text[0], text[-1], items)


def _as_set(text: str) -> list[str] | None:
    """The elements of `\\{a, b\\}`; None when `text` is not a set."""
    if not (text.startswith("\\{") and text.endswith("\\}")) or not _encloses_whole(text, 2, 2):
        return None
    inner = text[2:-2]
    return _as_list(inner) if inner else []


_MATRIX = re.compile(r"\\begin\{([pbvBV]?matrix|array)\}(?:\{[^{}]*\})?(.*)\\end\{\1\}", re.DOTALL)


def _as_matrix(text: str) -> list[list[str]] | None:
    """The cells of a `\\begin{pmatrix}...\\end{pmatrix}` (or bmatrix, matrix...), by row.

    An `array` inside parentheses or brackets (`\\left(\\begin{array}{cc}...\\end{array}\\right)`)
    is a matrix too.
    """
    bracketed = re.fullmatch(r"[(\[](\\begin\{array\}.*\\end\{array\})[)\]]", text, re.DOTALL)
    match = _MATRIX.fullmatch(bracketed.group(1) if bracketed else text)
    if match is None:
        return None
    rows = [row for row in split_top_level(match.group(2), "\\\\") if row.strip()]
    return [split_top_level(row, "&") for row in rows]


def _expand_plus_minus(item: str) -> list[str]:
    """`a\\pm b` -> [`a+b`, `a-b`] (`\\mp` the other way round), each sign occurrence in turn."""
    match = re.search(r"\\(pm|mp)(?![A-Za-z])", item)
    if match is None:
        return [item]
    signs = ("+", "-") if match.group(1) == "pm" else ("-", "+")
    expanded: list[str] = []
    for sign in signs:
        expanded.extend(_expand_plus_minus(item[: match.start()] + sign + item[match.end() :]))
    return expanded


def _as_list(text: str) -> list[str]:
    items = [item for item in split_top_level(text, ",") if item]
    if sum(item.count("\\pm") + item.count("\\mp") for item in items) > 4:
        return items
    return [expanded for item in items for expanded in _expand_plus_minus(item)]


def _same_in_order(left: list[str], right: list[str], same: Callable[[str, str], bool]) -> bool:
    return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right))


def _same_in_any_order(left: list[str], right: list[str], same: Callable[[str, str], bool]) -> bool:
    if len(left) != len(right):
        return False
    unmatched = list(right)
    for item in left:
        for position, candidate in enumerate(unmatched):
            if same(item, candidate):
                del unmatched[position]
                break
        else:
            return False
    return True


_MEMBERSHIP = re.compile(r"^[A-Za-z]\\in(?![A-Za-z])\s*")  # `x \\in [-2, 7]` answers `[-2, 7]`

LeafComparison = Callable[[str, str], bool]


def equivalent_structures(left: str, right: str, leaf: LeafComparison, depth: int = 0) -> bool:
    """Compare two cleaned answers structure by structure; `leaf` decides scalars."""
    left, right = left.strip(), right.strip()
    if left == right:
        return True
    if depth > MAX_DEPTH:
        return False

    left, right = _MEMBERSHIP.sub("", left), _MEMBERSHIP.sub("", right)

    def same(a: str, b: str) -> bool:
        return equivalent_structures(a, b, leaf, depth + 1)

    matrices = _as_matrix(left), _as_matrix(right)
    if matrices[0] is not None or matrices[1] is not None:
        if matrices[0] is None or matrices[1] is None or len(matrices[0]) != len(matrices[1]):
            return False
        return all(_same_in_order(a, b, same) for a, b in zip(*matrices))

    unions = split_top_level(left, "\\cup"), split_top_level(right, "\\cup")
    if len(unions[0]) > 1 or len(unions[1]) > 1:
        return _same_in_any_order(unions[0], unions[1], same)

    sets = _as_set(left), _as_set(right)
    if sets[0] is not None or sets[1] is not None:
        return sets[0] is not None and sets[1] is not None and _same_in_any_order(*sets, same)

    sequences = _as_sequence(left), _as_sequence(right)
    if sequences[0] is not None or sequences[1] is not None:
        first, second = sequences
        return (
            first is not None
            and second is not None
            and (first.opening, first.closing) == (second.opening, second.closing)
            and _same_in_order(first.items, second.items, same)
        )

    lists = _as_list(left), _as_list(right)
    if len(lists[0]) > 1 or len(lists[1]) > 1:
        return _same_in_any_order(lists[0], lists[1], same)

    equations = split_top_level(left, "="), split_top_level(right, "=")
    if len(equations[0]) > 1 and len(equations[1]) > 1:
        first, second = equations
        if _same_in_order(first, second, same) or _same_in_order(first, second[::-1], same):
            return True
        if len(first) == 2 and len(second) == 2 and not any("," in side for side in (*first, *second)):
            moved = f"({first[0]})-({first[1]})"
            if leaf(moved, f"({second[0]})-({second[1]})") or leaf(moved, f"({second[1]})-({second[0]})"):
                return True
        return False
    if len(equations[0]) > 1 or len(equations[1]) > 1:
        equation = equations[0] if len(equations[0]) > 1 else equations[1]
        value = right if len(equations[0]) > 1 else left
        return is_assignment(equation) and same(equation[-1], value)

    return leaf(left, right)



def shape(text: str) -> str:
    """The reason code for comparing a cleaned answer: "set_tuple", "equation" or "symbolic"."""
    text = _MEMBERSHIP.sub("", text.strip())
    if (_as_matrix(text) is not None or len(split_top_level(text, "\\cup")) > 1 or _as_set(text) is not None
            or _as_sequence(text) is not None or len(_as_list(text)) > 1):
        return "set_tuple"
    return "equation" if len(split_top_level(text, "=")) > 1 else "symbolic"


_VARIABLE = r"(?:[A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?|\\[A-Za-z]+)"
_BARE_VARIABLE = re.compile(
    rf"{_VARIABLE}|[A-Za-z]\([A-Za-z]\)"  # x, a_1, \theta, f(x)
    rf"|\({_VARIABLE}(?:,{_VARIABLE})+\)"  # (p,q): a tuple of variables
    r"|[A-Z]{2,4}|\|[A-Z]{1,4}\||\\overline\{[A-Z]{2,4}\}"  # segments AB, |AB|
    rf"|(?:{_VARIABLE}|[A-Z]{{2,4}}):(?:{_VARIABLE}|[A-Z]{{2,4}})"  # a ratio of variables, V_1:V_2
    r"|\\frac\{[A-Z]{1,4}\}\{[A-Z]{1,4}\}"  # \frac{NO}{BO}
)


def is_assignment(sides: list[str]) -> bool:
    """Whether the sides of an equation (`split_top_level(text, "=")`) assign a value to a variable.

    `x = 5`, `a_1 = 3`, `\\theta = 30`, `f(x) = 2x+1`, chains `x = 2 + 3 = 5`, and labels that name
    the value asked for (`(p,q) = (3,2)`, `|AB| = 1`, `V_1:V_2 = 11:21`, `\\frac{NO}{BO} = ...`) are;
    `2x + 1 = 0` is not.
    """
    return len(sides) > 1 and is_bare_variable(sides[0])


def is_bare_variable(text: str) -> bool:
    """Whether `text` only names something (`x`, `a_1`, `\\theta`, `f(x)`, `(p,q)`, `|AB|`)."""
    return _BARE_VARIABLE.fullmatch(text.strip().replace(" ", "")) is not None
