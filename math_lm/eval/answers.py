"""Answer extraction, Minerva normalisation and equivalence checking for the LLEMMA math tasks.

Pipeline for one generation: an extractor pulls the candidate answer out of the text
(`extract_final_answer` for MATH/OCW, `extract_gsm8k_answer` for GSM8k, `extract_choice` for
multiple choice), then `is_equiv` decides whether it matches the reference answer:

1. both sides go through the Minerva normalisation (`normalize_final_answer`);
2. structured answers are split and compared element by element: matrices cell by cell,
   tuples and intervals in order (open/closed ends must match), unions of intervals, sets and
   comma-separated lists in any order, ``a \\pm b`` as the list ``a+b, a-b``, equations side by
   side (or the right-hand side against a bare value, as Minerva does);
3. each leaf is equal as a string, as a plain number (within a relative tolerance), or
   symbolically: both LaTeX strings are parsed with SymPy and their difference simplifies to 0,
   or both evaluate to numbers within the tolerance.

Step 3 runs SymPy in a long-lived worker process that is killed when a comparison exceeds its
time limit (SymPy can hang, sometimes inside C code that no signal interrupts), so `is_equiv`
never hangs and never raises.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path
from typing import Callable, NamedTuple

from math_lm.latex import matching_brace

MATH_REL_TOL = 1e-6
"""Relative tolerance for numeric agreement on MATH, GSM8k and multiple-choice answers."""

OCW_REL_TOL = 0.01
"""OCWCourses accepts numeric answers within 1% of the reference (as in Minerva)."""

DEFAULT_TIMEOUT_S = 5.0
"""Wall-clock budget for the symbolic part of one `is_equiv` call."""

_WORKER_MEMORY_BYTES = 4 << 30
_WORKER_STARTUP_TIMEOUT_S = 120.0
_MAX_SYMBOLIC_LENGTH = 400
_MAX_RECURSION = 12

# ---------------------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------------------

_BOX_COMMAND = re.compile(r"\\(?:boxed|fbox)(?![A-Za-z])")
_FINAL_ANSWER = re.compile(
    r"Final Answer:\s*The final answer is\s*(.*?)\s*\.?\s*I hope it is correct", re.DOTALL
)
_FINAL_ANSWER_UNFINISHED = re.compile(r"Final Answer:\s*The final answer is\s*([^\n]+)")
_ANSWER_IS = re.compile(r"[Tt]he (?:final )?answer is\s*:?\s*([^\n]*)")
_NUMBER_TEXT = re.compile(r"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")


def extract_boxed(text: str) -> str | None:
    """Content of the last `\\boxed{...}` or `\\fbox{...}` in `text`, nested braces included.

    Also accepts the brace-less form `\\boxed 5` (content up to the next `$` or line end).
    Returns None when there is no box or its braces are unbalanced.
    """
    matches = list(_BOX_COMMAND.finditer(text))
    if not matches:
        return None
    start = matches[-1].end()
    rest = text[start:]
    stripped = rest.lstrip()
    if stripped.startswith("{"):
        open_index = start + (len(rest) - len(stripped))
        close_index = matching_brace(text, open_index)
        if close_index is None:
            return None
        return text[open_index + 1 : close_index].strip()
    if rest[:1].isspace():
        content = re.split(r"[$\n]", stripped, maxsplit=1)[0].strip().rstrip(".").strip()
        return content or None
    return None


def extract_final_answer(text: str) -> str | None:
    """The answer of a Minerva-style generation, or None.

    Looks for the first "Final Answer: The final answer is X. I hope it is correct." (the
    sentence may be cut short by the generation limit), else falls back to the last boxed
    expression. The result is unnormalised (it may still hold `$`, `\\boxed`, units).
    """
    match = _FINAL_ANSWER.search(text) or _FINAL_ANSWER_UNFINISHED.search(text)
    if match:
        answer = match.group(1).strip().rstrip(".").strip()
        if answer:
            return answer
    return extract_boxed(text)


def extract_gsm8k_answer(text: str, *, fallback_to_last_number: bool = True) -> str | None:
    """The number after the first "The answer is" in a GSM8k chain of thought, commas removed.

    With `fallback_to_last_number`, a generation without that sentence is answered by the last
    number it contains (the harness's "flexible" extraction). None when no number is found.
    """
    for match in _ANSWER_IS.finditer(text):
        number = _NUMBER_TEXT.search(match.group(1))
        if number:
            return _plain_number_text(number.group(0))
    if fallback_to_last_number:
        numbers = _NUMBER_TEXT.findall(text)
        if numbers:
            return _plain_number_text(numbers[-1])
    return None


def _plain_number_text(number: str) -> str:
    return number.replace(",", "").rstrip(".")


def extract_choice(text: str, letters: str = "ABCDE") -> str | None:
    """The option letter a multiple-choice generation settles on, e.g. "B", or None.

    Reads the Minerva sentence ("The final answer is (B). I hope it is correct.") or "The
    answer is (B)"; a parenthesised letter wins over a bare one.
    """
    spans = []
    minerva = _FINAL_ANSWER.search(text) or _FINAL_ANSWER_UNFINISHED.search(text)
    if minerva:
        spans.append(minerva.group(1))
    spans.extend(match.group(1) for match in _ANSWER_IS.finditer(text))
    allowed = re.escape(letters)
    for span in spans:
        match = re.search(rf"\(([{allowed}])\)", span) or re.search(
            rf"(?<![A-Za-z])([{allowed}])(?![A-Za-z])", span
        )
        if match:
            return match.group(1)
    return None


def math_reference_answer(solution: str) -> str:
    """The reference answer of a MATH solution: its last boxed expression.

    Raises ValueError when the solution has no `\\boxed{...}`.
    """
    answer = extract_boxed(solution)
    if answer is None:
        raise ValueError(f"MATH solution has no \\boxed{{...}} answer: {solution[-200:]!r}")
    return answer


def gsm8k_reference_answer(answer_field: str) -> str:
    """The number after `####` in a GSM8k `answer` field, thousands separators removed.

    Raises ValueError when the field has no `####` line.
    """
    if "####" not in answer_field:
        raise ValueError(f"GSM8k answer field has no '####' line: {answer_field[-200:]!r}")
    return _plain_number_text(answer_field.rsplit("####", 1)[1].strip())


# ---------------------------------------------------------------------------------------------
# Minerva normalisation
# ---------------------------------------------------------------------------------------------

# Words Minerva deletes from final answers (units and nouns that follow numbers). Deleted only
# as whole words here: deleting substrings, as the published code does, breaks `\left` ("ft").
_UNIT_WORDS = (
    "square", "ways", "integers", "dollars", "mph", "inches", "ft", "hours", "km", "units",
    "sue", "points", "feet", "minutes", "digits", "cents", "degrees", "cm", "gm", "pounds",
    "meters", "meals", "edges", "students", "childrentickets", "multiples",
)  # fmt: skip
_UNIT_PATTERN = re.compile(r"(?<![\\A-Za-z])(?:" + "|".join(_UNIT_WORDS) + r")(?![A-Za-z])")

# Expressions Minerva deletes once spaces are gone (the `\text{...}` forms are units left empty).
_DELETED_EXPRESSIONS = (
    "\\text{s}", "\\text{.}", "\\text{}^2", "\\text{}^3", "\\text{}", "\\mathrm{th}",
    "^{\\circ}", "^\\circ", "\\circ", "\\degree", '"', "\\ldots", "\\dots", "{,}", "\\%", "%",
)  # fmt: skip

_THIN_SPACE = re.compile(r"\\[\\!,;: ]|~")  # also matches a row break `\\`, which is kept
_SIZING = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])")
_ARTICLE = re.compile(r"(?<![\\A-Za-z])an?\s+(?=[A-Za-z])")
_AND_SEPARATOR = re.compile(r",?\s*\\text\{\s*and\s*\}\s*")
_CONTROL_WORD_BEFORE_LETTER = re.compile(r"(\\[A-Za-z]+)\s+(?=[A-Za-z])")
_WRAPPERS = re.compile(r"\\(?:text|textbf|textrm|overline|boxed|fbox)(?![A-Za-z])\s*\{")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_FRAC_OR_SQRT = re.compile(r"\\(frac|sqrt)(?![A-Za-z])")
_CONTROL_WORD = re.compile(r"\\(?:[A-Za-z]+|.)")
_SPACE_MARK = "\x00"


def _unwrap_commands(text: str) -> str:
    """Replace `\\text{X}`, `\\textbf{X}`, `\\overline{X}`, `\\boxed{X}`... by X (braces matched)."""
    for _ in range(len(text)):
        match = _WRAPPERS.search(text)
        if match is None:
            break
        close_index = matching_brace(text, match.end() - 1)
        if close_index is None:
            break
        text = text[: match.start()] + text[match.end() : close_index] + text[close_index + 1 :]
    return text


def _read_argument(text: str, index: int) -> tuple[str | None, int]:
    """One TeX macro argument at `index`: a braced group, a control word, or a single char."""
    while index < len(text) and text[index] == " ":
        index += 1
    if index >= len(text) or text[index] in "}^_&":
        return None, index
    if text[index] == "{":
        close_index = matching_brace(text, index)
        if close_index is None:
            return None, index
        return text[index + 1 : close_index], close_index + 1
    if text[index] == "\\":
        word = _CONTROL_WORD.match(text, index)
        assert word is not None
        return word.group(0), word.end()
    return text[index], index + 1


def _brace_fraction_and_root_arguments(text: str) -> str:
    """`\\frac12` -> `\\frac{1}{2}`, `\\sqrt2` -> `\\sqrt{2}`, `\\frac\\pi4` -> `\\frac{\\pi}{4}`."""
    pieces: list[str] = []
    index = 0
    while index < len(text):
        match = _FRAC_OR_SQRT.match(text, index)
        if match is None:
            pieces.append(text[index])
            index += 1
            continue
        name = match.group(1)
        cursor = match.end()
        optional = ""
        if name == "sqrt" and text.startswith("[", cursor) and "]" in text[cursor:]:
            end = text.index("]", cursor)
            optional = text[cursor : end + 1]
            cursor = end + 1
        arguments: list[str] = []
        for _ in range(2 if name == "frac" else 1):
            argument, cursor = _read_argument(text, cursor)
            if argument is None:
                break
            arguments.append(argument)
        if len(arguments) != (2 if name == "frac" else 1):
            pieces.append(match.group(0))
            index = match.end()
            continue
        braced = "".join("{" + _brace_fraction_and_root_arguments(a) + "}" for a in arguments)
        pieces.append(f"\\{name}{optional}{braced}")
        index = cursor
    return "".join(pieces)


def _clean(text: str) -> str:
    """Minerva's normalisation without its final step (keeping only the last side of `=`)."""
    text = text.strip()
    text = _SIZING.sub("", text)
    text = _THIN_SPACE.sub(lambda m: m.group(0) if m.group(0) == "\\\\" else " ", text)
    text = text.replace("\\mbox", "\\text")
    text = _AND_SEPARATOR.sub(",", text)
    text = text.replace("\\$", "")
    text = _ARTICLE.sub("", text)
    text = text.replace("\\text{m}", "\\text{}")
    text = _UNIT_PATTERN.sub("", text)
    # All whitespace goes, except the one that separates a control word from a following
    # letter (`\pi r` must not become `\pir`).
    text = _CONTROL_WORD_BEFORE_LETTER.sub(lambda m: m.group(1) + _SPACE_MARK, text)
    text = re.sub(r"\s+", "", text).replace(_SPACE_MARK, " ")
    for expression in _DELETED_EXPRESSIONS:
        text = text.replace(expression, "")
    math_segment = re.search(r"\$(.*?)\$", text)
    if math_segment:
        text = math_segment.group(1)
    text = text.replace("$", "")
    text = _unwrap_commands(text)
    text = re.sub(r"\\[dt]frac(?![A-Za-z])", r"\\frac", text)
    text = _brace_fraction_and_root_arguments(text).strip().rstrip(".").strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    return text


def normalize_final_answer(answer: str) -> str:
    """Minerva's normalisation of a final answer (Lewkowycz et al. 2022, appendix D.1).

    Deletes articles, units and filler words, degree signs, `\\text{}` wrappers, dollar signs
    and math delimiters, all whitespace, and trailing periods; maps `\\dfrac`/`\\tfrac` to
    `\\frac`; braces the arguments of `\\frac12` and `\\sqrt2`; removes the commas of a
    thousands-grouped number; keeps only what follows the last `=`.

    Where the published procedure is lossy, this one is narrower: words are deleted only as
    whole words, commas only when they group digits in threes (so "1,2" stays a list), and a
    space that separates a control word from a letter is kept. It also drops `\\left`/`\\right`
    and percent signs, as the MATH checker does.
    """
    cleaned = _clean(answer)
    return _split_top_level(cleaned, "=")[-1].strip()


# ---------------------------------------------------------------------------------------------
# Structure
# ---------------------------------------------------------------------------------------------

_OPENERS = "([{"
_CLOSERS = ")]}"


def _split_top_level(text: str, separator: str) -> list[str]:
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
    items = _split_top_level(text[1:-1], ",")
    if len(items) < 2:
        return None
    return _Sequence(text[0], text[-1], items)


def _as_set(text: str) -> list[str] | None:
    """The elements of `\\{a, b\\}`; None when `text` is not a set."""
    if not (text.startswith("\\{") and text.endswith("\\}")) or not _encloses_whole(text, 2, 2):
        return None
    inner = text[2:-2]
    return [item for item in _split_top_level(inner, ",") if item] if inner else []


_MATRIX = re.compile(r"\\begin\{([pbvBV]?matrix|array)\}(?:\{[^{}]*\})?(.*)\\end\{\1\}", re.DOTALL)


def _as_matrix(text: str) -> list[list[str]] | None:
    """The cells of a `\\begin{pmatrix}...\\end{pmatrix}` (or bmatrix, matrix...), by row."""
    match = _MATRIX.fullmatch(text)
    if match is None:
        return None
    rows = [row for row in _split_top_level(match.group(2), "\\\\") if row.strip()]
    return [_split_top_level(row, "&") for row in rows]


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
    items = [item for item in _split_top_level(text, ",") if item]
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


LeafComparison = Callable[[str, str], bool]


def _equivalent(left: str, right: str, leaf: LeafComparison, depth: int = 0) -> bool:
    """Compare two cleaned answers structure by structure; `leaf` decides scalars."""
    left, right = left.strip(), right.strip()
    if left == right:
        return True
    if depth > _MAX_RECURSION:
        return False

    def same(a: str, b: str) -> bool:
        return _equivalent(a, b, leaf, depth + 1)

    matrices = _as_matrix(left), _as_matrix(right)
    if matrices[0] is not None or matrices[1] is not None:
        if matrices[0] is None or matrices[1] is None or len(matrices[0]) != len(matrices[1]):
            return False
        return all(_same_in_order(a, b, same) for a, b in zip(*matrices))

    unions = _split_top_level(left, "\\cup"), _split_top_level(right, "\\cup")
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

    equations = _split_top_level(left, "="), _split_top_level(right, "=")
    if len(equations[0]) > 1 and len(equations[1]) > 1:
        first, second = equations
        if _same_in_order(first, second, same) or _same_in_order(first, second[::-1], same):
            return True
        if len(first) == 2 and len(second) == 2:
            moved = f"({first[0]})-({first[1]})"
            if leaf(moved, f"({second[0]})-({second[1]})") or leaf(moved, f"({second[1]})-({second[0]})"):
                return True
        return False
    if len(equations[0]) > 1 or len(equations[1]) > 1:
        return same(equations[0][-1], equations[1][-1])

    return leaf(left, right)


# ---------------------------------------------------------------------------------------------
# Leaves
# ---------------------------------------------------------------------------------------------

_DECIMAL = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_PLAIN_DECIMAL = re.compile(_DECIMAL)
_PLAIN_FRACTION = re.compile(rf"([-+]?)\\frac\{{({_DECIMAL})\}}\{{({_DECIMAL})\}}")
_PLAIN_RATIO = re.compile(rf"({_DECIMAL})/({_DECIMAL})")


def _strip_outer_braces(text: str) -> str:
    text = text.strip()
    while len(text) >= 2 and text[0] == "{" and matching_brace(text, 0) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def _plain_number(text: str) -> Fraction | None:
    """The exact value of a decimal, `a/b` or `\\frac{a}{b}` with decimal parts; else None."""
    text = _strip_outer_braces(text)
    if len(text) > 64:
        return None
    if _PLAIN_DECIMAL.fullmatch(text):
        return Fraction(text)
    fraction = _PLAIN_FRACTION.fullmatch(text)
    ratio = _PLAIN_RATIO.fullmatch(text)
    if fraction:
        sign, numerator, denominator = fraction.groups()
    elif ratio:
        sign, (numerator, denominator) = "", ratio.groups()
    else:
        return None
    if Fraction(denominator) == 0:
        return None
    value = Fraction(numerator) / Fraction(denominator)
    return -value if sign == "-" else value


def _numbers_close(first: Fraction, second: Fraction, rel_tol: float) -> bool:
    if first == second:
        return True
    return abs(first - second) <= rel_tol * max(abs(first), abs(second))


def _cheap_leaf(left: str, right: str, rel_tol: float) -> bool:
    """String or plain-number agreement, without SymPy."""
    left, right = _strip_outer_braces(left), _strip_outer_braces(right)
    if left == right:
        return True
    first, second = _plain_number(left), _plain_number(right)
    return first is not None and second is not None and _numbers_close(first, second, rel_tol)


_PYTHON_FUNCTIONS = frozenset(
    "sqrt root pi oo log ln exp sin cos tan cot sec csc asin acos atan sinh cosh tanh "
    "Abs E I Rational Integer Float".split()
)
_LATEX_TO_PYTHON = (
    (r"\\(?:cdot|times)(?![A-Za-z])", "*"),
    (r"\\div(?![A-Za-z])", "/"),
    (r"\\infty(?![A-Za-z])", "oo"),
    (r"\\(pi|sqrt|log|ln|exp|sin|cos|tan|cot|sec|csc|sinh|cosh|tanh)(?![A-Za-z])", r"\1"),
    (r"\\arc(sin|cos|tan)(?![A-Za-z])", r"a\1"),
    (r"\^", "**"),
)


# Python-style answers (printed by programs): `sqrt(2)/2`, `3*pi/4`, `x**2`.
_PYTHON_STYLE = re.compile(r"\*\*|(?<![\\A-Za-z])(?:sqrt|pi|oo|log|exp|sin|cos|tan|Rational)(?![A-Za-z])")


def _latex_to_python(text: str) -> str | None:
    """A Python expression for simple LaTeX (or Python-style) text; None if out of reach."""
    for pattern, replacement in _LATEX_TO_PYTHON:
        text = re.sub(pattern, replacement, text)
    for _ in range(len(text)):
        match = re.search(r"\\frac\{", text)
        if match is None:
            break
        numerator_end = matching_brace(text, match.end() - 1)
        if numerator_end is None or text[numerator_end + 1 : numerator_end + 2] != "{":
            return None
        denominator_end = matching_brace(text, numerator_end + 1)
        if denominator_end is None:
            return None
        numerator = text[match.end() : numerator_end]
        denominator = text[numerator_end + 2 : denominator_end]
        text = f"{text[: match.start()]}(({numerator})/({denominator})){text[denominator_end + 1 :]}"
    text = text.replace("{", "(").replace("}", ")")
    if not re.fullmatch(r"[0-9A-Za-z_+\-*/().\s]*", text) or re.search(r"\.(?!\d)", text):
        return None
    for name in re.findall(r"[A-Za-z_]+", text):
        if len(name) > 1 and name not in _PYTHON_FUNCTIONS:
            return None
    return text


def _to_sympy(text: str):  # -> sympy.Basic | None (sympy is imported lazily)
    """Parse a cleaned answer with SymPy's LaTeX parser, else through `_latex_to_python`.

    Python-style text (`sqrt(2)/2`) skips the LaTeX parser, which would read it as a product
    of the letters s, q, r, t.
    """
    import sympy

    text = _strip_outer_braces(text)
    if not text or len(text) > _MAX_SYMBOLIC_LENGTH:
        return None
    if not _PYTHON_STYLE.search(text) or "\\" in text:
        try:
            from sympy.parsing.latex import parse_latex

            expression = parse_latex(text)
            if isinstance(expression, sympy.Basic):
                return _with_constants(expression)
        except Exception:
            pass
    python_text = _latex_to_python(text)
    if python_text is None:
        return None
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    letters = {name: sympy.Symbol(name) for name in set(re.findall(r"\b[A-DF-HJ-Za-z]\b", python_text))}
    try:
        expression = parse_expr(
            python_text,
            local_dict=letters,
            transformations=standard_transformations + (implicit_multiplication_application, convert_xor),
        )
    except Exception:
        return None
    return _with_constants(expression) if isinstance(expression, sympy.Basic) else None


def _with_constants(expression):  # sympy.Basic -> sympy.Basic
    """Read the symbols pi, e and i as the constants (the LaTeX parser leaves them as symbols)."""
    import sympy

    constants = {sympy.Symbol("pi"): sympy.pi, sympy.Symbol("e"): sympy.E, sympy.Symbol("i"): sympy.I}
    return expression.subs(constants) if expression.free_symbols & set(constants) else expression


def _sympy_equal(first, second, rel_tol: float) -> bool:
    """Symbolic agreement: equal trees, difference simplifying to 0, or close numeric values."""
    import sympy

    if first == second:
        return True
    relational = sympy.core.relational.Relational
    if isinstance(first, relational) or isinstance(second, relational):
        if not (isinstance(first, relational) and isinstance(second, relational)):
            return False
        first, second = first.canonical, second.canonical
        if type(first) is not type(second):
            return False
        return first == second or sympy.simplify((first.lhs - first.rhs) - (second.lhs - second.rhs)) == 0
    if not (isinstance(first, sympy.Expr) and isinstance(second, sympy.Expr)):
        return False
    if not first.free_symbols and not second.free_symbols:
        first_value, second_value = sympy.N(first, 30), sympy.N(second, 30)
        if first_value.is_finite and second_value.is_finite:
            # In SymPy floats, whose exponent range is unbounded (10^{10^8} stays finite).
            difference = abs(sympy.N(first_value - second_value, 30))
            return bool(difference <= rel_tol * max(abs(first_value), abs(second_value)))
    return sympy.simplify(first - second) == 0


def _symbolic_leaf(left: str, right: str, rel_tol: float) -> bool:
    if _cheap_leaf(left, right, rel_tol):
        return True
    first, second = _to_sympy(left), _to_sympy(right)
    if first is None or second is None:
        return False
    return bool(_sympy_equal(first, second, rel_tol))


def _symbolic_equivalent(left: str, right: str, rel_tol: float) -> bool:
    """The full comparison with SymPy leaves, run inside the worker (or under an alarm)."""

    def leaf(a: str, b: str) -> bool:
        try:
            return _symbolic_leaf(a, b, rel_tol)
        except Exception:
            return False

    return _equivalent(left, right, leaf)


# ---------------------------------------------------------------------------------------------
# The SymPy worker process
# ---------------------------------------------------------------------------------------------


def _serve_symbolic_requests() -> None:
    """Worker main loop: read `[left, right, rel_tol]` JSON lines, answer `true`/`false`."""
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (_WORKER_MEMORY_BYTES, _WORKER_MEMORY_BYTES))
    except (ValueError, OSError):
        pass
    _to_sympy("\\frac{1}{2}")  # loads SymPy and the LaTeX parser before announcing readiness
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for line in sys.stdin:
        try:
            left, right, rel_tol = json.loads(line)
            verdict = _symbolic_equivalent(str(left), str(right), float(rel_tol))
        except BaseException:  # a MemoryError or RecursionError is just a failed comparison
            verdict = False
        sys.stdout.write("true\n" if verdict else "false\n")
        sys.stdout.flush()


class _WorkerUnavailable(Exception):
    """The worker process could not be started."""


class _SymbolicWorker:
    """One SymPy worker process per caller process, restarted after a timeout or a crash."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._owner_pid = os.getpid()
        self._buffer = b""
        atexit.register(self.stop)

    def compare(self, left: str, right: str, rel_tol: float, timeout: float) -> bool:
        with self._lock:
            process = self._running_process()
            request = json.dumps([left, right, rel_tol]).encode() + b"\n"
            try:
                assert process.stdin is not None
                process.stdin.write(request)
                process.stdin.flush()
                line = self._read_line(process, time.monotonic() + timeout)
            except OSError:
                line = None
            if line is None:
                self.stop()
                return False
            return line.strip() == b"true"

    def _running_process(self) -> subprocess.Popen[bytes]:
        if self._owner_pid != os.getpid():  # inherited through fork: the pipes are shared
            self._process, self._buffer, self._owner_pid = None, b"", os.getpid()
        if self._process is not None and self._process.poll() is None:
            return self._process
        self.stop()
        package_root = str(Path(__file__).resolve().parents[2])
        bootstrap = (
            f"import sys; sys.path.insert(0, {package_root!r}); "
            "from math_lm.eval.answers import _serve_symbolic_requests; _serve_symbolic_requests()"
        )
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", bootstrap],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as error:
            raise _WorkerUnavailable(str(error)) from error
        self._process = process
        ready = self._read_line(process, time.monotonic() + _WORKER_STARTUP_TIMEOUT_S)
        if ready is None or ready.strip() != b"ready":
            self.stop()
            raise _WorkerUnavailable("the SymPy worker did not start")
        return process

    def _read_line(self, process: subprocess.Popen[bytes], deadline: float) -> bytes | None:
        assert process.stdout is not None
        descriptor = process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            readable, _, _ = select.select([descriptor], [], [], remaining)
            if not readable:
                return None
            chunk = os.read(descriptor, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def stop(self) -> None:
        process, self._process, self._buffer = self._process, None, b""
        if process is None or self._owner_pid != os.getpid():
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


_WORKER = _SymbolicWorker()


class _AlarmExpired(Exception):
    pass


def _symbolic_equivalent_under_alarm(left: str, right: str, rel_tol: float, timeout: float) -> bool:
    """Fallback when no worker can start: SymPy in this process, bounded by SIGALRM.

    Only possible on the main thread; elsewhere the symbolic step is skipped (returns False).
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return False

    def expire(signum: int, frame: object) -> None:
        raise _AlarmExpired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return _symbolic_equivalent(left, right, rel_tol)
    except _AlarmExpired:
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------------------------
# Public comparison and grading
# ---------------------------------------------------------------------------------------------


def is_equiv(
    prediction: str | None,
    reference: str | None,
    *,
    rel_tol: float = MATH_REL_TOL,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> bool:
    """Whether a predicted final answer matches the reference answer.

    Both are raw answer strings (LaTeX, possibly with `$`, units, `\\boxed`). Equal after
    `normalize_final_answer`, or equal structure by structure with each scalar equal as a
    string, a number within `rel_tol` (relative), or symbolically (see the module docstring).
    The symbolic step runs in a worker process and is abandoned after `timeout` seconds
    (the worker's one-time start-up is not counted). Never raises: any failure is False.
    """
    try:
        if not isinstance(prediction, str) or not isinstance(reference, str):
            return False
        left, right = _clean(prediction), _clean(reference)
        if not left or not right:
            return False
        if left == right or _split_top_level(left, "=")[-1] == _split_top_level(right, "=")[-1]:
            return True
        if _equivalent(left, right, lambda a, b: _cheap_leaf(a, b, rel_tol)):
            return True
        if _plain_number(left) is not None and _plain_number(right) is not None:
            return False
        try:
            return _WORKER.compare(left, right, rel_tol, timeout)
        except _WorkerUnavailable:
            return _symbolic_equivalent_under_alarm(left, right, rel_tol, timeout)
    except Exception:
        return False


def is_equiv_ocw(prediction: str | None, reference: str | None, *, timeout: float = DEFAULT_TIMEOUT_S) -> bool:
    """`is_equiv` with OCWCourses' numeric tolerance: within 1% relative."""
    return is_equiv(prediction, reference, rel_tol=OCW_REL_TOL, timeout=timeout)


class Graded(NamedTuple):
    """One graded generation: the answer extracted from it (None if none) and its verdict."""

    extracted: str | None
    correct: bool


ANSWER_STYLES = ("math", "gsm8k", "ocw", "multiple_choice")
"""Answer styles `grade` knows: Minerva MATH, GSM8k "The answer is N", OCW (1%), A-E choice."""


def _check_style(style: str) -> None:
    if style not in ANSWER_STYLES:
        raise ValueError(f"unknown answer style {style!r}; expected one of {', '.join(ANSWER_STYLES)}")


def answers_match(style: str, extracted: str | None, reference: str, *, timeout: float = DEFAULT_TIMEOUT_S) -> bool:
    """Compare an already extracted answer (or a program's output) with the reference.

    Usable as the `equiv` of majority voting, e.g. `functools.partial(answers_match, "ocw")`.
    Raises ValueError for an unknown style.
    """
    _check_style(style)
    if extracted is None:
        return False
    if style == "multiple_choice":
        letter = extract_choice(f"The answer is {reference}") or reference.strip().upper()
        return extracted.strip().strip("()").upper() == letter
    rel_tol = OCW_REL_TOL if style == "ocw" else MATH_REL_TOL
    return is_equiv(extracted, reference, rel_tol=rel_tol, timeout=timeout)


def extract_answer(style: str, generation: str) -> str | None:
    """The answer a generation gives, with the extractor of `style`."""
    _check_style(style)
    if style == "gsm8k":
        return extract_gsm8k_answer(generation)
    if style == "multiple_choice":
        return extract_choice(generation)
    return extract_final_answer(generation)


def grade(style: str, generation: str, reference: str, *, timeout: float = DEFAULT_TIMEOUT_S) -> Graded:
    """Extract the answer from `generation` and check it against the reference answer.

    `reference` is the reference *answer* (e.g. `math_reference_answer(solution)`, or
    `gsm8k_reference_answer(answer_field)`), not a full solution.
    """
    extracted = extract_answer(style, generation)
    return Graded(extracted, answers_match(style, extracted, reference, timeout=timeout))
