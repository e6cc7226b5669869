"""The default backend: Hugging Face's math-verify (LaTeX to SymPy via latex2sympy2_extended).

math-verify parses sets, intervals, matrices (`pmatrix` and `array` alike), equations,
inequalities, `\\pm`, percentages and units, and compares them structurally and symbolically.
It is called here on answers the project's rules (`exact`) could not settle, after
`exact_forms` has written decimals as fractions: math-verify compares floats by rounding to
6 places, which graded `\\pi` equal to `3.14159265`. For an OCWCourses decimal reference the
decimals are kept and the two values must agree within the relative tolerance instead.

math-verify bounds its own work with `signal.alarm`, which neither works off the main thread
nor interrupts SymPy inside C code; it runs here with those timers off, inside the worker
process that `workers` kills at the deadline.

Two more readings are ours: a program's Python-style output (`3*pi/4`, `x**2 + 1`, which
math-verify reads as `3` and `1`) is parsed by SymPy and given to math-verify as LaTeX, and the
letter `i` is the imaginary unit (math-verify leaves it a symbol, so `e^{i\\pi} != -1`).
"""

from __future__ import annotations

import logging
import re

from math_lm.eval.answers.exact import exact_forms, has_decimal
from math_lm.eval.answers.normalization import sqrt_parentheses_braced
from math_lm.eval.answers.minerva_sympy import exactly_equal_constants, python_style_to_latex

_MAX_LENGTH = 1000
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
_UPRIGHT = re.compile(r"\\(?:mathrm|textrm|text|operatorname)\{([A-Za-z])\}")  # `\mathrm{e}`: math-verify stops at it


def _as_math(text: str) -> str:
    return "$" + _UNESCAPED_DOLLAR.sub("", text).strip() + "$"


def _parse(text: str) -> list:
    """math-verify's reading of one answer, with the imaginary unit and program output fixed."""
    import sympy
    from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse

    text = sqrt_parentheses_braced(_UPRIGHT.sub(r"\1", python_style_to_latex(text) or text))
    parsed = parse(_as_math(text), extraction_config=[LatexExtractionConfig(), ExprExtractionConfig()],
                   parsing_timeout=None)
    return [_with_imaginary_unit(item) if isinstance(item, sympy.Basic) else item for item in parsed]


def _with_imaginary_unit(expression):  # sympy.Basic -> sympy.Basic
    import sympy

    units = {symbol: sympy.I for symbol in expression.free_symbols if getattr(symbol, "name", "") == "i"}
    return expression.xreplace(units) if units else expression


def _numbers_within(prediction, reference, rel_tol: float) -> bool:
    import sympy

    first, second = prediction[0], reference[0]
    if not isinstance(first, sympy.Expr) or not isinstance(second, sympy.Expr):
        return False
    if first.free_symbols or second.free_symbols:
        return False
    first_value, second_value = sympy.N(first, 30), sympy.N(second, 30)
    if not (first_value.is_finite and second_value.is_finite):
        return False
    return bool(abs(first_value - second_value) <= rel_tol * abs(second_value))


def _shape(parsed: list) -> str:
    """The reason code for what math-verify compared: sets/tuples/intervals/matrices, equations, expressions."""
    import sympy

    value = parsed[0]
    if isinstance(value, (sympy.Set, sympy.Tuple, sympy.MatrixBase, tuple, list)):
        return "set_tuple"
    if isinstance(value, (sympy.core.relational.Relational, sympy.logic.boolalg.BooleanFunction)):
        return "equation"
    return "symbolic"


def math_verify_equal(prediction: str, reference: str, rel_tol: float) -> tuple[bool, str]:
    """math-verify's verdict on two raw answers, and its reason code (runs in the worker; may take long or hang)."""
    from math_verify import verify

    if len(prediction) > _MAX_LENGTH or len(reference) > _MAX_LENGTH:
        return False, "too_long"
    approximate = rel_tol > 0 and has_decimal(reference)
    gold = _parse(exact_forms(reference, keep_decimals=approximate))
    predicted = _parse(exact_forms(prediction, keep_decimals=approximate))
    if not gold or not predicted:
        return False, "parse_error"
    reason = _shape(gold)
    if approximate and _numbers_within(predicted, gold, rel_tol):
        return True, "numeric"
    equal = bool(verify(gold, predicted, timeout_seconds=None))
    if equal and not approximate and _constants(gold[0], predicted[0]):
        # math-verify compares numbers rounded to a few digits: confirm exactly (a percentage
        # may stand for its hundredth, as math-verify reads it).
        first, second = gold[0].doit(), predicted[0].doit()
        verdict = exactly_equal_constants(first, second)
        if not verdict[0] and _PERCENT.search(prediction + reference):
            verdict = max(exactly_equal_constants(first, 100 * second), exactly_equal_constants(100 * first, second))
        return verdict
    return equal, reason


_PERCENT = re.compile(r"%|\\%|\bpercent|\bpct\b")


def _constants(first, second) -> bool:
    import sympy

    return all(isinstance(value, sympy.Expr) and not value.free_symbols and not value.has(sympy.Float)
               for value in (first, second))


_MAX_GENERATION_LENGTH = 20_000
_MATH_DELIMITER = re.compile(r"\$\$|(?<!\\)\$|\\\(|\\\)|\\\[|\\\]")


def _without_inline_math_over_lines(text: str) -> str:
    """Blank every inline `$...$` or `\\(...\\)` whose content spans lines: TeX does not allow it,
    so its delimiters are stray (a price, a broken formula) and what they hold is no answer."""
    pieces, position, opened = [], 0, None
    for match in _MATH_DELIMITER.finditer(text):
        token = match.group(0)
        if opened is None:
            if token in ("$", "\\(", "$$", "\\["):
                opened = match
            continue
        closes = {"$": "$", "\\(": "\\)", "$$": "$$", "\\[": "\\]"}[opened.group(0)]
        if token != closes:
            continue
        if token in ("$", "\\)") and "\n" in text[opened.end():match.start()]:
            pieces.append(text[position:opened.start()] + " ")
            position = match.end()
        opened = None
    return "".join(pieces) + text[position:]


def extract_with_math_verify(generation: str) -> str | None:
    """The answer text math-verify's extraction finds in a generation (prose, `$...$`,
    "the answer is", a last expression), or None (runs in the worker; may take long)."""
    from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse

    if len(generation) > _MAX_GENERATION_LENGTH:
        return None
    generation = _without_inline_math_over_lines(_UPRIGHT.sub(r"\1", generation))
    extraction = [LatexExtractionConfig(boxed_match_priority=0), ExprExtractionConfig()]
    parsed = parse(generation, extraction_config=extraction,
                   parsing_timeout=None)
    if len(parsed) < 2 or not isinstance(parsed[1], str) or not parsed[1].strip():
        return None
    return parsed[1].strip().strip("*").strip()  # `**73**`: markdown bold around the answer


def quiet_math_verify_logs() -> None:
    """math-verify warns once per process that its own timers are off: they are, on purpose."""
    for name in ("math_verify", "math_verify.grader", "math_verify.parser", "latex2sympy2_extended"):
        logging.getLogger(name).setLevel(logging.ERROR)
