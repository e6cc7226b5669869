"""The project's own answer rules, applied in this process before either backend runs.

math-verify (the default backend) reads LaTeX into SymPy and compares sets, intervals,
matrices, equations and units well. On pairs built from real MATH and GSM8K answers it still
rounds decimals to 6 places (`0.1234567` = `0.1234568`, `3.14159265` = `\\pi`), drops a base
subscript (`52_8` = `52_9`, `2516_8` = `2516`) and reads `1}}}}` as `1`; the paper's checker
(the `minerva` backend) also compared integers with a relative tolerance and read mixed numbers
as products. These rules decide such answers the same way for both backends:

1. degenerate input (unbalanced braces, a zero denominator such as `\\frac{0}{0}`) equals nothing;
2. a numeral with a base subscript (`52_8`, `101_{2}`) equals only the same digits in the same
   base (a subscript 10 is the plain number);
3. plain numbers (integers, decimals, `\\frac{a}{b}`, `a/b`, mixed numbers `1\\frac{4}{5}`, a
   decimal comma `1,22` against a decimal written with a point,
   `2.5 \\times 10^{3}`) compare exactly, as rationals. A tolerance applies only when the
   reference is itself a decimal approximation (it has a decimal point or a power of ten):
   for MATH and GSM8K a decimal prediction with at least as many decimal places that rounds to
   the reference (`0.3333` for `0.33`); for OCWCourses 1% relative, as Minerva graded OCW. An
   exact reference (`\\frac{1}{3}`, `28121600`) wants that exact value;
4. an equation meets a bare value only as an assignment (`x = 5` against `5`) or as a
   computation written out (numbers and names ending in a number: `\\frac{6}{8} = \\frac{3}{4}`),
   and two assignments only to the same variable; solutions written `p=5,q=2;p=7,q=2` are the
   tuples `(5,2),(7,2)` of their values in the order named (`solution_tuples`).

What they do not decide goes to the backend after `exact_forms` has written mixed numbers as
sums and decimals as fractions, so that SymPy compares exact values there too.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import NamedTuple

from math_lm.eval.answers.normalization import clean_answer
from math_lm.eval.answers.structure import is_assignment, is_bare_variable, split_top_level
from math_lm.eval.answers.verdicts import Verdict
from math_lm.latex import matching_brace

_MAX_NUMBER_LENGTH = 80
_MAX_EXPONENT = 400


class DegenerateAnswer(ValueError):
    """An answer that is no value at all (a zero denominator)."""


class PlainNumber(NamedTuple):
    """A number written plainly: its exact value and how it was written."""

    value: Fraction
    decimal_places: int | None  # digits after the decimal point; None when written without one
    scientific: bool  # written as `m \times 10^{k}` or `me-k`

    @property
    def approximate(self) -> bool:
        """Whether the text is a decimal approximation (has a decimal point or a power of ten)."""
        return self.decimal_places is not None or self.scientific


def braces_balanced(text: str) -> bool:
    """Whether every `{` closes and no `}` comes first (`\\{` and `\\}` do not count)."""
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        depth += 1 if char == "{" else -1 if char == "}" else 0
        if depth < 0:
            return False
        index += 1
    return depth == 0


def strip_outer_braces(text: str) -> str:
    text = text.strip()
    while len(text) >= 2 and text[0] == "{" and matching_brace(text, 0) == len(text) - 1:
        text = text[1:-1].strip()
    return text


_UNSIGNED = r"(?:\d+(?:\.\d*)?|\.\d+)"
_DECIMAL = re.compile(rf"([-+]?)({_UNSIGNED})")
_FRACTION = re.compile(rf"([-+]?)(?:(\d+)\\frac|\\frac)\{{({_UNSIGNED})\}}\{{({_UNSIGNED})\}}")
_RATIO = re.compile(rf"([-+]?)({_UNSIGNED})/({_UNSIGNED})")
_SCIENTIFIC = re.compile(
    rf"([-+]?)({_UNSIGNED})(?:\\times|\\cdot|\*)10\^(?:\{{([-+]?\d+)\}}|([-+]?\d))|([-+]?)({_UNSIGNED})[eE]([-+]?\d+)"
)


def _decimal_places(text: str) -> int | None:
    return len(text.split(".", 1)[1]) if "." in text else None


def read_number(text: str) -> PlainNumber | None:
    """The value of a plainly written number, or None when `text` is anything else.

    Raises DegenerateAnswer for a zero denominator.
    """
    text = strip_outer_braces(text).replace(" ", "")
    if not text or len(text) > _MAX_NUMBER_LENGTH:
        return None
    if match := _DECIMAL.fullmatch(text):
        sign, digits = match.groups()
        return PlainNumber(_signed(sign, Fraction(digits)), _decimal_places(digits), False)
    if match := _FRACTION.fullmatch(text):
        sign, whole, numerator, denominator = match.groups()
        value = _quotient(numerator, denominator) + (int(whole) if whole else 0)
        return PlainNumber(_signed(sign, value), None, False)
    if match := _RATIO.fullmatch(text):
        sign, numerator, denominator = match.groups()
        return PlainNumber(_signed(sign, _quotient(numerator, denominator)), None, False)
    if match := _SCIENTIFIC.fullmatch(text):
        groups = match.groups()
        sign, mantissa, exponent = (groups[0], groups[1], groups[2] or groups[3]) if groups[1] else groups[4:]
        if abs(int(exponent)) > _MAX_EXPONENT:
            return None
        return PlainNumber(_signed(sign, Fraction(mantissa) * Fraction(10) ** int(exponent)), None, True)
    return None


def _signed(sign: str, value: Fraction) -> Fraction:
    return -value if sign == "-" else value


def _quotient(numerator: str, denominator: str) -> Fraction:
    if Fraction(denominator) == 0:
        raise DegenerateAnswer(f"zero denominator in {numerator}/{denominator}")
    return Fraction(numerator) / Fraction(denominator)


_ZERO_DENOMINATOR = re.compile(r"\\frac\{[^{}]*\}\{\s*0+\s*\}|/\s*0+(?![\d.])")

_BASE_NUMERAL = re.compile(r"([0-9A-Za-z]+)_(?:\{\(?(\d+)\)?\}|(\d))")


def read_base_numeral(text: str) -> tuple[str, int] | None:
    """`52_8` -> ("52", 8); a numeral in base 10, or anything else, gives None."""
    match = _BASE_NUMERAL.fullmatch(strip_outer_braces(text).replace(" ", ""))
    if match is None:
        return None
    digits, base = match.group(1), int(match.group(2) or match.group(3))
    return None if base == 10 else (digits.upper(), base)


def _without_base_ten(text: str) -> str:
    match = _BASE_NUMERAL.fullmatch(text)
    return match.group(1) if match and int(match.group(2) or match.group(3)) == 10 else text


_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")


def _decimal_comma(text: str) -> PlainNumber | None:
    """`1,22` read as 1.22, against a decimal written with a point: a list of two numbers never
    equals one number, and thousands separators (`1,000`) were removed by `clean_answer`."""
    text = strip_outer_braces(text).replace(" ", "")
    return read_number(text.replace(",", ".")) if _DECIMAL_COMMA.fullmatch(text) else None


def numbers_match(prediction: PlainNumber, reference: PlainNumber, rel_tol: float = 0.0) -> bool:
    """Rule 3 of the module docstring; `rel_tol` > 0 is OCWCourses' relative tolerance."""
    if prediction.value == reference.value:
        return True
    if not reference.approximate:
        return False
    if rel_tol > 0:
        return abs(prediction.value - reference.value) <= Fraction(rel_tol) * abs(reference.value)
    places = reference.decimal_places
    if places is None or reference.scientific or prediction.decimal_places is None:
        return False
    if prediction.decimal_places < places:
        return False
    return abs(prediction.value - reference.value) <= Fraction(5, 10 ** (places + 1))


def compare_leaves(prediction: str, reference: str, rel_tol: float = 0.0) -> bool | None:
    """Rules 1-3 on two scalars (already cleaned); None when neither is a number or base numeral."""
    prediction, reference = strip_outer_braces(prediction), strip_outer_braces(reference)
    if prediction == reference:
        return True
    bases = read_base_numeral(prediction), read_base_numeral(reference)
    if bases[0] is not None or bases[1] is not None:
        return bases[0] == bases[1]
    try:
        numbers = read_number(_without_base_ten(prediction)), read_number(_without_base_ten(reference))
    except DegenerateAnswer:
        return False
    if numbers[0] is None and numbers[1] is not None and numbers[1].decimal_places is not None:
        numbers = _decimal_comma(prediction), numbers[1]
    elif numbers[1] is None and numbers[0] is not None and numbers[0].decimal_places is not None:
        numbers = numbers[0], _decimal_comma(reference)
    if numbers[0] is None or numbers[1] is None:
        return None
    return numbers_match(numbers[0], numbers[1], rel_tol)


def value_side(text: str) -> str | None:
    """What a cleaned answer states as its value: the right side of an assignment, else the answer.

    None for an equation that is not an assignment (`2x + 1 = 0`). `2x + 1 = y` is `y = 2x + 1`;
    a chain of numbers and names that ends in a number states that number (`_states_number`).
    """
    sides = split_top_level(text, "=")
    if len(sides) == 1:
        return text
    if is_assignment(sides) or _states_number(sides):
        return sides[-1]
    if len(sides) == 2 and is_assignment(sides[::-1]):
        return sides[0]
    return None


def _states_number(sides: list[str]) -> bool:
    """Whether an equation's sides are numbers and names, the last a number (`\\frac{6}{8} =
    \\frac{3}{4}`, `1 = \\zzz = x = 0`): a computation written out, whose result is the last
    side. No side is an expression to solve, so `2x + 1 = 0` or `0 = x^2 - 1` is never read so."""
    try:
        return len(sides) > 1 and read_number(sides[-1]) is not None and all(
            read_number(side) is not None or is_bare_variable(side) for side in sides[:-1])
    except DegenerateAnswer:
        return False


def _assigned_variable(text: str) -> str | None:
    sides = split_top_level(text, "=")
    if is_assignment(sides):
        return _variable_name(sides[0])
    if _states_number(sides) and is_bare_variable(sides[-2]):
        return _variable_name(sides[-2])
    if len(sides) == 2 and is_assignment(sides[::-1]):
        return _variable_name(sides[1])
    return None


def _variable_name(text: str) -> str:
    """`y_{1}` and `y_1` name the same variable."""
    return re.sub(r"_\{([A-Za-z0-9])\}", r"_\1", text.strip().replace(" ", ""))


_LIST_SPACING = re.compile(r"\\q?quad")  # also `\quadx_2` as written in some references


def assignment_items(cleaned: str) -> list[str] | None:
    """The items of a list that holds an assignment (`x=1, y=2`, `AB=4, CD=5`, `x=1; y=2`), else None.

    Such a list is compared item by item (`grading.compare`): read whole, `x=4, y=5` would be
    the chain `x = (4, y) = 5`, equal to `5`.
    """
    items = [item.strip() for part in split_top_level(_LIST_SPACING.sub("", cleaned), ",")
             for item in split_top_level(part, ";")]
    if len(items) < 2 or not any(len(split_top_level(item, "=")) > 1 for item in items):
        return None
    return items


def solution_tuples(cleaned: str) -> tuple[list[str], str] | None:
    """`p=5,q=2;p=7,q=2` -> (["p", "q"], "(5,2),(7,2)"): solutions separated by `;`, each
    assigning the same variables in the same order, as the tuples of their values in that order
    (values without names are read in the order written, as `4, 5` answers `AB=4, CD=5`). One
    variable gives a plain list (`x=1;x=2` -> `1,2`). None for anything else."""
    groups = split_top_level(cleaned, ";")
    if len(groups) < 2:
        return None
    names: list[str] | None = None
    values: list[list[str]] = []
    for group in groups:
        sides = [split_top_level(item.strip(), "=") for item in split_top_level(group, ",")]
        if any(len(pair) != 2 or not is_bare_variable(pair[0]) or not pair[1].strip() for pair in sides):
            return None
        group_names = [_variable_name(pair[0]) for pair in sides]
        if names is not None and group_names != names:
            return None
        names = group_names
        values.append([pair[1].strip() for pair in sides])
    assert names is not None
    if len(names) == 1:
        return names, ",".join(value[0] for value in values)
    return names, ",".join(f"({','.join(value)})" for value in values)


def assigned_variable(text: str) -> str | None:
    """The variable (or label) an assignment gives a value to; None for anything else."""
    return _assigned_variable(clean_answer(text))


def decide_with_reason(prediction: str, reference: str, rel_tol: float = 0.0) -> Verdict | None:
    """Rules 1-4 on two raw answers: a `Verdict` when they settle it, None to ask a backend."""
    if not braces_balanced(prediction) or not braces_balanced(reference):
        return Verdict(False, "degenerate")
    left, right = clean_answer(prediction), clean_answer(reference)
    if not left:
        return Verdict(False, "no_answer")
    if not right:
        return Verdict(False, "degenerate")
    if _ZERO_DENOMINATOR.search(left) or _ZERO_DENOMINATOR.search(right):
        return Verdict(False, "degenerate")
    if left == right:
        return Verdict(True, "exact")
    equations = len(split_top_level(left, "=")) > 1, len(split_top_level(right, "=")) > 1
    values = value_side(left), value_side(right)
    if equations[0] != equations[1] and None in values:
        return Verdict(False, "equation")  # an equation that assigns nothing, against a bare value
    if None in values:
        return None  # two equations: the backend compares them
    variables = _assigned_variable(left), _assigned_variable(right)
    if variables[0] and variables[1] and variables[0] != variables[1]:
        return Verdict(False, "equation")
    assert values[0] is not None and values[1] is not None
    decided = compare_leaves(values[0], values[1], rel_tol)
    return None if decided is None else Verdict(decided, "numeric")


def decide(prediction: str, reference: str, rel_tol: float = 0.0) -> bool | None:
    """Rules 1-4 on two raw answers: True or False when they settle it, None to ask a backend."""
    verdict = decide_with_reason(prediction, reference, rel_tol)
    return None if verdict is None else verdict.correct


_MIXED_NUMBER = re.compile(r"(?<![\w.}^_\\])(\d+)\s*\\[dt]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}")
_DECIMAL_LITERAL = re.compile(r"(?<![\w.,}^_\\])(\d*)\.(\d+)(?![\d.])")


def exact_forms(text: str, keep_decimals: bool = False) -> str:
    """LaTeX for SymPy without its two misreadings: mixed numbers and floats.

    `137 \\frac{1}{2}` becomes `(137+\\frac{1}{2})` (SymPy reads a product), and, unless
    `keep_decimals`, `0.25` becomes `(\\frac{25}{100})` (SymPy floats compare by rounding).
    """
    text = _MIXED_NUMBER.sub(r"(\1+\\frac{\2}{\3})", text)
    if keep_decimals:
        return text
    return _DECIMAL_LITERAL.sub(
        lambda m: f"(\\frac{{{int(m.group(1) + m.group(2))}}}{{{10 ** len(m.group(2))}}})", text
    )


def has_decimal(text: str) -> bool:
    """Whether `text` writes a number with a decimal point or a power of ten (an approximation)."""
    return bool(_DECIMAL_LITERAL.search(text) or re.search(r"(?:\\times|\\cdot)\s*10\^|\de[-+]?\d", text))
