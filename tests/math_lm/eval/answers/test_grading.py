"""Answer extraction, Minerva normalisation and equivalence checking."""

import pytest

from math_lm.eval.answers import (
    BACKENDS,
    extract_boxed,
    extract_choice,
    extract_final_answer,
    extract_gsm8k_answer,
    grade,
    gsm8k_reference_answer,
    is_equiv,
    is_equiv_ocw,
    math_reference_answer,
    normalize_final_answer,
)

EQUAL = [
    # fractions, \dfrac/\tfrac, unbraced arguments
    ("\\frac{1}{2}", "0.5"),
    ("\\dfrac{1}{2}", "\\frac12"),
    ("\\tfrac{3}{4}", "3/4"),
    ("\\frac{\\pi}{4}", "\\frac\\pi4"),
    ("\\frac{2}{4}", "\\frac{1}{2}"),
    # units, degrees, \text, dollars, commas, trailing period, percent
    ("5\\text{ cm}", "5"),
    ("10 inches", "10"),
    ("90^\\circ", "90"),
    ("90^{\\circ}", "90 degrees"),
    ("\\text{Monday}", "Monday"),
    ("\\$5.00", "5"),
    ("$18$", "18"),
    ("1,000,000", "1000000"),
    ("5.", "5"),
    ("50\\%", "50"),
    # sqrt forms and symbolic equality
    ("\\sqrt2", "\\sqrt{2}"),
    ("2\\sqrt{2}", "\\sqrt{8}"),
    ("\\frac{\\sqrt3}{2}", "\\frac{\\sqrt{3}}{2}"),
    ("x^2+2x+1", "(x+1)^2"),
    ("\\pi r^2", "r^2\\pi"),
    ("e^{i\\pi}", "e^{\\pi i}"),
    # decimals against fractions: equal only as exact values
    ("0.25", "\\frac{1}{4}"),
    # tuples and intervals
    ("(1,2)", "\\left( 1, 2 \\right)"),
    ("(-\\infty, 3]", "(-\\infty,3]"),
    ("(\\frac{1}{2}, 3)", "(0.5, 3)"),
    ("(0,1)\\cup(2,3)", "(2,3)\\cup(0,1)"),
    # sets and unbracketed lists (any order)
    ("\\{1,2,3\\}", "\\{3,2,1\\}"),
    ("1, 2", "2, 1"),
    # matrices
    ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}"),
    ("\\begin{pmatrix} \\frac12 \\\\ -3 \\end{pmatrix}", "\\begin{pmatrix}0.5\\\\-3\\end{pmatrix}"),
    # \pm
    ("1\\pm\\sqrt{2}", "1+\\sqrt2, 1-\\sqrt2"),
    ("\\pm 3", "3, -3"),
    # equations
    ("x = 3", "3"),
    ("y = 2x+1", "y=1+2x"),
    ("2x+1=y", "y=2x+1"),
    ("y-2x=1", "y=2x+1"),
    ("x \\le 3", "3 \\ge x"),
    ("\\frac{6}{8} = \\frac{3}{4}", "\\frac{3}{4}"),  # a computation written out: its result
    ("1 = \\zzz = x = 0", "x = 0"),
    ("(5,2),(7,2)", "p=5,q=2;p=7,q=2"),  # solutions as tuples, in the order the names are written
    ("p=7,q=2;p=5,q=2", "p=5,q=2;p=7,q=2"),
    ("1, 2", "x=1; y=2"),
    # pi, e and i are the constants; Python-style output of programs
    ("e^{i\\pi}", "-1"),
    ("3+4i", "4i+3"),
    ("sqrt(2)/2", "\\frac{\\sqrt{2}}{2}"),
    ("3*pi/4", "\\frac{3\\pi}{4}"),
    ("x**2 + 1", "x^2+1"),
    # boxed and Minerva's wrappers
    ("\\boxed{\\frac{1}{2}}", "\\frac12"),
]

UNEQUAL = [
    ("3", "4"),
    ("\\frac{1}{3}", "0.333"),
    ("(1,2)", "(2,1)"),
    ("[1,2)", "[1,2]"),
    ("(1,2)", "[1,2]"),
    ("\\{1,2\\}", "\\{1,3\\}"),
    ("\\{1,2\\}", "\\{1,2,3\\}"),
    ("1,2", "12"),
    ("1, 2", "1, 2, 3"),
    ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&5\\end{pmatrix}"),
    ("\\begin{pmatrix} 1 & 2 \\end{pmatrix}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}"),
    ("\\pm 3", "3"),
    ("y=2x+1", "x=2y+1"),
    ("1 = 0", "1"),
    ("0 = x^2 - 1", "x^2 - 1"),  # an equation to solve, not a computation
    ("y = 0", "1 = \\zzz = x = 0"),
    ("(2,5),(2,7)", "p=5,q=2;p=7,q=2"),
    ("(5,2)", "p=5,q=2;p=7,q=2"),
    ("q=2,p=5;q=2,p=7", "p=5,q=2;p=7,q=2"),  # the same solutions named in another order: refused
    ("2", "x=1; y=2"),
    ("x^2", "2^x"),
    ("\\sqrt{2}", "2"),
    ("\\text{Monday}", "\\text{Tuesday}"),
    pytest.param("10^{10^{8}}", "3", marks=pytest.mark.slow),  # runs to the comparison timeout
    ("x < 3", "x \\le 3"),
    ("\\frac{\\pi}{4}", "0.785"),
    ("\\frac{\\pi}{4}", "0.7853981634"),  # an exact value is not its rounding
    ("0.3333333333", "\\frac{1}{3}"),
    ("sqrt(3)", "\\sqrt{2}"),
    ("__import__('os').getcwd()", "0"),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("prediction, reference", EQUAL)
def test_equal_pairs(prediction, reference, backend):
    assert is_equiv(prediction, reference, backend=backend)
    assert is_equiv(reference, prediction, backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("prediction, reference", UNEQUAL)
def test_unequal_pairs(prediction, reference, backend):
    assert not is_equiv(prediction, reference, backend=backend)
    assert not is_equiv(reference, prediction, backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_ocw_accepts_one_percent_of_a_decimal_reference_only(backend):
    assert is_equiv_ocw("3.02", "3.00", backend=backend)
    assert is_equiv_ocw("2.0 \\times 10^{5}", "2.01\\times10^5", backend=backend)
    assert is_equiv_ocw("\\frac{1}{3}", "0.332", backend=backend)
    assert not is_equiv_ocw("3.05", "3.00", backend=backend)
    assert not is_equiv_ocw("3.02", "3", backend=backend)  # an integer reference is exact
    assert not is_equiv("3.02", "3.00", backend=backend)  # MATH: a decimal must round to the reference
    assert is_equiv("3.004", "3.00", backend=backend)


def test_unknown_backend_is_an_error():
    with pytest.raises(ValueError, match="unknown grading backend 'sympy'"):
        is_equiv("1", "1", backend="sympy")


@pytest.mark.parametrize("garbage", [None, "", "   ", "{{{", "\\frac{", "\\boxed{", "$", "\\begin{pmatrix}", "x" * 5000, "1/0"])
def test_never_raises_on_bad_input(garbage):
    assert is_equiv(garbage, "1") is False
    assert is_equiv("1", garbage) is False




def test_normalize_final_answer_follows_minerva():
    assert normalize_final_answer("\\$1,000.") == "1000"
    assert normalize_final_answer("$x = \\dfrac{3}{4}$") == "\\frac{3}{4}"
    assert normalize_final_answer("12 \\text{ inches}") == "12"
    assert normalize_final_answer("45^\\circ") == "45"
    assert normalize_final_answer("\\text{(C)}") == "(C)"
    assert normalize_final_answer("\\sqrt2+\\frac12") == "\\sqrt{2}+\\frac{1}{2}"
    assert normalize_final_answer("1,234,567") == "1234567"
    assert normalize_final_answer("1, 2") == "1,2"
    assert normalize_final_answer("\\left( 3, \\frac{\\pi}{2} \\right)") == "(3,\\frac{\\pi}{2})"
    assert normalize_final_answer("2\\pi r") == "2\\pi r"
    assert normalize_final_answer("5\\text{ cm}^2") == "5"


MINERVA_GENERATION = """The two lines intersect where $2x+1 = -x+7$, so $3x = 6$ and $x = 2$.
Then $y = 2(2)+1 = 5$, so the intersection point is $(2, 5)$.
Final Answer: The final answer is $(2,5)$. I hope it is correct.

Problem:
What is $1+1$?"""


def test_extract_final_answer_from_minerva_generation():
    assert extract_final_answer(MINERVA_GENERATION) == "$(2,5)$"
    cut_short = "So $x=\\frac{3}{4}$.\nFinal Answer: The final answer is $\\frac{3}{4}$"
    assert extract_final_answer(cut_short) == "$\\frac{3}{4}$"
    boxed_only = "Adding, we get $\\boxed{\\frac{1}{2}}$. Hence the result is \\boxed{\\frac{\\sqrt{3}}{2}}."
    assert extract_final_answer(boxed_only) == "\\frac{\\sqrt{3}}{2}"
    assert extract_final_answer("I do not know.") is None
    quoted = 'Final Answer: The final answer is \\"$12 $ and $13 $\\". I hope it is correct.'
    assert extract_final_answer(quoted) == "$12 $ and $13 $"
    assert extract_final_answer('Final Answer: The final answer is "5". I hope it is correct.') == "5"
    assert extract_final_answer('Final Answer: The final answer is "5 cm. I hope it is correct.') == '"5 cm'


def test_extract_boxed_forms():
    assert extract_boxed("so $\\boxed{\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}}$") == "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}"
    assert extract_boxed("a \\boxed{1} then \\fbox{\\{1, 2\\}}") == "\\{1, 2\\}"
    assert extract_boxed("The answer is $\\boxed 5$.") == "5"
    assert extract_boxed("unbalanced \\boxed{\\frac{1}{2}") is None
    assert extract_boxed("no box here") is None


def test_extract_gsm8k_answer():
    generation = (
        "Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48+24 = 72 clips altogether in April and May.\n"
        "The answer is 72.\n\nQ: There are 15 trees in the grove."
    )
    assert extract_gsm8k_answer(generation) == "72"
    assert extract_gsm8k_answer("She pays $1,200 in total. The answer is $1,200.") == "1200"
    assert extract_gsm8k_answer("So the total is -3.5 degrees. The answer is -3.5") == "-3.5"
    assert extract_gsm8k_answer("He has 5 apples and then 7 apples.") == "7"
    assert extract_gsm8k_answer("He has 5 apples and then 7 apples.", fallback_to_last_number=False) is None


def test_extract_choice():
    assert extract_choice("... so only (B) works.\nFinal Answer: The final answer is (B). I hope it is correct.") == "B"
    assert extract_choice("Therefore, the answer is (D).") == "D"
    assert extract_choice("The answer is C") == "C"
    assert extract_choice("I cannot tell.") is None


def test_reference_answers():
    solution = "We have $\\frac{6}{8} = \\frac{3}{4}$, so the answer is $\\boxed{\\frac{3}{4}}$."
    assert math_reference_answer(solution) == "\\frac{3}{4}"
    assert gsm8k_reference_answer("Weng earns 12/60 = $<<12/60=0.2>>0.2 per minute.\n#### 1,010") == "1010"
    with pytest.raises(ValueError, match="boxed"):
        math_reference_answer("no answer here")
    with pytest.raises(ValueError, match="####"):
        gsm8k_reference_answer("72")


def test_grade_each_style():
    assert grade("math", MINERVA_GENERATION, "(2, 5)") == ("$(2,5)$", True, "exact")
    assert grade("math", MINERVA_GENERATION, "(5, 2)").correct is False
    assert grade("gsm8k", "48+24 = 72. The answer is 72.", "72").correct
    assert grade("ocw", "Final Answer: The final answer is 9.85. I hope it is correct.", "9.8").correct
    assert grade("multiple_choice", "The answer is (B).", "B").correct
    assert not grade("multiple_choice", "The answer is (B).", "C").correct
    assert grade("math", "no answer", "1") == (None, False, "no_answer")
    with pytest.raises(ValueError, match="unknown answer style"):
        grade("chemistry", "x", "y")


MATH_REFERENCE_SOLUTIONS = [
    "The slope is $\\frac{5-1}{3-1} = 2$, so the line is $y = 2x - 1$ and the answer is $\\boxed{y=2x-1}$.",
    "The roots are $x = \\frac{-2 \\pm \\sqrt{8}}{2} = -1 \\pm \\sqrt{2}$, so $\\boxed{-1 \\pm \\sqrt{2}}$.",
    "The solution set is $\\boxed{(-\\infty, -2] \\cup [3, \\infty)}$.",
    "So $\\mathbf{A}^2 = \\boxed{\\begin{pmatrix} 7 & 10 \\\\ 15 & 22 \\end{pmatrix}}$.",
    "Thus the angle is $\\boxed{30^\\circ}$.",
    "She has $\\boxed{\\$18.90}$ left.",
]


@pytest.mark.parametrize("solution", MATH_REFERENCE_SOLUTIONS)
def test_reference_solutions_grade_as_correct(solution):
    for backend in BACKENDS:
        assert grade("math", solution, math_reference_answer(solution), backend=backend).correct
