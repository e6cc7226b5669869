"""The paper's metric: Minerva normalisation + SymPy equivalence (the `minerva` backend).

LLEMMA graded MATH with Minerva's procedure: normalise both final answers
(`normalization`), then call them equal when SymPy's LaTeX parser reads them into expressions
whose difference simplifies to zero. This module is that SymPy step, leaf by leaf inside
`structure.equivalent_structures`; it runs in a worker process (`workers`).

Kept as the paper graded: the normalisation, the parse with `sympy.parsing.latex.parse_latex`
(Python-style program output through `parse_expr`), `simplify(a - b) == 0`. Fixed, because they
were defects of our checker and not part of the method: the exact-number rules of `exact`
(integers were compared with a relative tolerance of 1e-6), mixed numbers (read as products),
equations ending in `= 0` (all equal), base subscripts and degenerate input. Constant
expressions are decided exactly (`exactly_equal_constants`): unequal when their difference is
clearly not zero at 60 digits, equal only when SymPy proves it zero; no tolerance, so
`10^{100}+1` is not `10^{100}`. OCW's 1% applies only against a decimal reference.
"""

from __future__ import annotations

import re

from math_lm.eval.answers.exact import compare_leaves, exact_forms, has_decimal, strip_outer_braces
from math_lm.eval.answers.structure import equivalent_structures, shape
from math_lm.latex import matching_brace

_MAX_SYMBOLIC_LENGTH = 400
_EXACT_DIGITS = 30

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

    text = strip_outer_braces(text)
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


def python_style_to_latex(text: str) -> str | None:
    """LaTeX for a program's Python-style output (`3*pi/4`, `x**2 + 1`); None for other text."""
    import sympy

    if "\\" in text or not _PYTHON_STYLE.search(text):
        return None
    expression = _to_sympy(text)
    return None if expression is None else sympy.latex(expression)


def _with_constants(expression):  # sympy.Basic -> sympy.Basic
    """Read the symbols pi, e and i as the constants (the LaTeX parser leaves them as symbols)."""
    import sympy

    constants = {sympy.Symbol("pi"): sympy.pi, sympy.Symbol("e"): sympy.E, sympy.Symbol("i"): sympy.I}
    return expression.subs(constants) if expression.free_symbols & set(constants) else expression


def _sympy_equal(first, second, rel_tol: float) -> bool:
    """Symbolic agreement: equal trees, a difference that simplifies to 0, or, for constants,
    agreement to 30 digits (within `rel_tol` when that is > 0: an approximate reference)."""
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
        if rel_tol <= 0:
            return exactly_equal_constants(first, second)[0]
        first_value, second_value = sympy.N(first, _EXACT_DIGITS + 10), sympy.N(second, _EXACT_DIGITS + 10)
        if first_value.is_finite and second_value.is_finite:
            # In SymPy floats, whose exponent range is unbounded (10^{10^8} stays finite).
            difference = abs(sympy.N(first_value - second_value, _EXACT_DIGITS + 10))
            return bool(difference <= rel_tol * max(abs(first_value), abs(second_value)))
    return sympy.simplify(first - second) == 0


class _Unparsed(ValueError):
    """SymPy could not read one side of a leaf."""


_CHECK_DIGITS = 60


def exactly_equal_constants(first, second) -> tuple[bool, str]:
    """Two constant expressions, decided exactly (math-verify rounds: `1/2004!` = `1/2006!`).

    Unequal when their difference, evaluated to 60 significant digits, is clearly not zero;
    equal only when SymPy proves the difference zero; otherwise not equal ("untrusted").
    """
    import sympy

    first, second = first.doit(), second.doit()  # parsers may leave `15 + 2\\sqrt{33}` unevaluated
    difference = first - second
    if difference == 0:
        return True, "symbolic"
    scale = max(abs(sympy.N(first, _CHECK_DIGITS)), abs(sympy.N(second, _CHECK_DIGITS)))
    evaluated = abs(sympy.N(difference, _CHECK_DIGITS))
    if not (evaluated.is_finite and scale.is_finite):
        return False, "untrusted"
    if evaluated > scale * sympy.Rational(1, 10 ** (_CHECK_DIGITS // 2)):
        return False, "numeric"
    if sympy.simplify(difference) == 0 or difference.equals(0) is True:
        return True, "symbolic"
    return False, "untrusted"


def _sympy_leaf(prediction: str, reference: str, rel_tol: float) -> bool:
    decided = compare_leaves(prediction, reference, rel_tol)
    if decided is not None:
        return decided
    approximate = rel_tol > 0 and has_decimal(reference)
    first = _to_sympy(exact_forms(prediction, keep_decimals=approximate))
    second = _to_sympy(exact_forms(reference, keep_decimals=approximate))
    if first is None or second is None:
        raise _Unparsed(prediction if first is None else reference)
    return bool(_sympy_equal(first, second, rel_tol if approximate else 0.0))


def minerva_equal(prediction: str, reference: str, rel_tol: float) -> tuple[bool, str]:
    """The whole comparison of two cleaned answers with SymPy leaves, and its reason code (runs in the worker)."""
    unparsed = []

    def leaf(a: str, b: str) -> bool:
        try:
            return _sympy_leaf(a, b, rel_tol)
        except _Unparsed as error:
            unparsed.append(str(error))
            return False
        except Exception:
            return False

    equal = equivalent_structures(prediction, reference, leaf)
    if not equal and unparsed:
        return False, "parse_error"
    return equal, shape(reference)
