"""The project's table of equal forms and near misses for the answer checker.

Each pair is `(class, prediction, reference)`. Near misses must never be graded correct (a false
positive inflates every score); equal forms must be (recall). The classes follow issue 11:
off-by-one integers (big, thousands-separated, GSM8K sentences), decimals, `\\pi`, mixed numbers,
equations ending in `= 0` and other problems' equations, bases, degenerate input, sets with
`\\pm`, intervals and `x \\in [a, b]`, `pmatrix` against `array`, sign flips, dropped or added
elements, open against closed brackets. The big integers are answers of the kind MATH and GSM8K
have (factorials, powers, counts, money).
"""

from __future__ import annotations

BIG_INTEGERS = (
    28121600, 1000000, 1450000, 3628800, 40320, 479001600, 1048576, 59049, 65536, 86400,
    31536000, 123456789, 362880, 2000000, 9999999, 100000, 250000, 1679616, 20160, 7257600,
    15625, 117649, 4782969, 10000000, 135135,
)  # fmt: skip


def _thousands(number: int, separator: str) -> str:
    return f"{number:,}".replace(",", separator)


def _integer_pairs() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    equal, near = [], []
    for n in BIG_INTEGERS:
        equal.append(("thousands separators", _thousands(n, ",\\!"), str(n)))
        equal.append(("thousands separators", str(n), _thousands(n, "{,}")))
        equal.append(("boxed and units", f"\\boxed{{{n}}}", f"{n} \\text{{ ways}}"))
        near.append(("off by one", str(n + 1), str(n)))
        near.append(("off by one", str(n - 1), str(n)))
        near.append(("off by one, separators", str(n - 1), _thousands(n, ",\\!")))
        near.append(("off by one, separators", _thousands(n + 1, ","), str(n)))
    return equal, near


EQUAL_BY_HAND = [
    # decimals and fractions that are the same number
    ("decimal", "0.5", "\\frac{1}{2}"),
    ("decimal", "\\frac{3}{4}", "0.75"),
    ("decimal", "2.50", "2.5"),
    ("decimal", "1.25", "\\frac54"),
    ("decimal", "0.125", "1/8"),
    ("decimal", "12.5\\%", "12.5"),
    ("decimal", "\\$18.90", "18.90"),
    ("decimal", "0.3333", "0.33"),  # a more precise decimal for a rounded decimal reference
    ("decimal", "-0.25", "-\\frac{1}{4}"),
    ("decimal", "(0.5, 3)", "\\left(\\frac12, 3\\right)"),
    # mixed numbers
    ("mixed number", "137.5", "137 \\frac{1}{2}"),
    ("mixed number", "137 \\frac{1}{2}", "137.5"),
    ("mixed number", "\\frac{9}{5}", "1\\frac{4}{5}"),
    ("mixed number", "2\\frac{1}{3}", "\\frac{7}{3}"),
    ("mixed number", "3.25", "3\\frac{1}{4}"),
    ("mixed number", "\\frac{11}{2}", "5\\frac{1}{2}"),
    ("mixed number", "-1\\frac{1}{2}", "-\\frac{3}{2}"),
    # equations
    ("equation", "-10x + 4y + 5z + 20 = 0", "10x - 4y - 5z - 20 = 0"),
    ("equation", "10x - 4y - 5z - 20 = 0", "10x - 4y - 5z - 20 = 0"),
    ("equation", "y = 3 + 2x", "y = 2x + 3"),
    ("equation", "2x + 3 = y", "y = 2x + 3"),
    ("equation", "x = 5", "5"),
    ("equation", "y^2 + x^2 = 25", "x^2 + y^2 = 25"),
    ("equation", "2x - y + 3z + 8 = 0", "2x - y + 3z + 8 = 0"),
    # bases
    ("base", "52_{8}", "52_8"),
    ("base", "1011_2", "1011_{2}"),
    ("base", "2516", "2516_{10}"),
    ("base", "\\boxed{314_5}", "314_{5}"),
    # sets, lists and \pm
    ("set", "\\{1\\pm\\sqrt{5},-2\\}", "\\{-2, 1+\\sqrt{5}, 1-\\sqrt{5}\\}"),
    ("set", "\\{3,2,1\\}", "\\{1,2,3\\}"),
    ("set", "-3, 2", "2, -3"),
    ("set", "1+\\sqrt2, 1-\\sqrt2", "1\\pm\\sqrt{2}"),
    ("set", "\\pm 3", "3, -3"),
    # intervals
    ("interval", "x \\in [-2,7]", "[-2,7]"),
    ("interval", "\\left[ -2, 7 \\right]", "[-2,7]"),
    ("interval", "(-\\infty, 3]", "(-\\infty,3]"),
    ("interval", "[3,4]\\cup[1,2]", "[1,2]\\cup[3,4]"),
    ("interval", "(-\\infty, -2] \\cup [3, \\infty)", "(-\\infty,-2]\\cup[3,\\infty)"),
    # matrices
    ("matrix", "\\left(\\begin{array}{cc} 1 & 2 \\\\ 3 & 4 \\end{array}\\right)",
     "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"),
    ("matrix", "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"),
    ("matrix", "\\begin{pmatrix} 0.5 \\\\ -3 \\end{pmatrix}", "\\begin{pmatrix} \\frac12 \\\\ -3 \\end{pmatrix}"),
    ("matrix", "\\begin{pmatrix}7&10\\\\15&22\\end{pmatrix}", "\\begin{pmatrix} 7 & 10 \\\\ 15 & 22 \\end{pmatrix}"),
    # symbolic forms
    ("symbolic", "\\sqrt{8}", "2\\sqrt{2}"),
    ("symbolic", "x^2+2x+1", "(x+1)^2"),
    ("symbolic", "(x-1)(x+1)", "x^2-1"),
    ("symbolic", "\\frac{\\sqrt3}{2}", "\\frac{\\sqrt{3}}{2}"),
    ("symbolic", "\\dfrac{3}{4}", "\\frac34"),
    ("symbolic", "\\frac{1}{3}\\pi", "\\frac{\\pi}{3}"),
    ("symbolic", "1+x", "x+1"),
    ("symbolic", "\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}"),
    ("symbolic", "3\\sqrt{3}+2", "2+3\\sqrt{3}"),
    ("units", "60^\\circ", "60"),
    ("units", "5\\text{ cm}", "5"),
    ("units", "\\text{Monday}", "Monday"),
    ("units", "50\\%", "50"),
]

NEAR_MISSES_BY_HAND = [
    # decimals that differ in the last place, and exact values against their rounding
    ("decimal", "0.1234568", "0.1234567"),
    ("decimal", "0.1234567", "0.1234568"),
    ("decimal", "\\pi", "3.14159265"),
    ("decimal", "3.14159265", "\\pi"),
    ("decimal", "1.41421356", "\\sqrt{2}"),
    ("decimal", "0.333333", "\\frac{1}{3}"),
    ("decimal", "\\frac{\\pi}{4}", "0.785"),
    ("decimal", "2.6", "2.5"),
    ("decimal", "0.33", "0.3333"),  # less precise than the reference
    ("decimal", "3.15", "3.14"),
    ("decimal", "12.56", "12.5"),  # rounds to 12.6
    ("decimal", "2.718281828", "e"),
    # mixed numbers: whole part dropped, read as a product
    ("mixed number", "\\frac{4}{5}", "1\\frac{4}{5}"),
    ("mixed number", "1\\frac{4}{5}", "\\frac{4}{5}"),
    ("mixed number", "68.5", "137 \\frac{1}{2}"),
    ("mixed number", "137 \\frac{1}{2}", "68.5"),
    ("mixed number", "\\frac{2}{3}", "2\\frac{1}{3}"),
    ("mixed number", "0.75", "3\\frac{1}{4}"),
    ("mixed number", "\\frac{3}{2}", "-1\\frac{1}{2}"),
    # equations: ending in = 0, another problem's equation, equation against value
    ("equation", "10x - 4y - 5z + 20 = 0", "10x - 4y - 5z - 20 = 0"),
    ("equation", "2x + y + 3z + 8 = 0", "2x - y + 3z + 8 = 0"),
    ("equation", "x + 2y + 3z = 0", "x + 2y - 3z = 0"),
    ("equation", "3x + y - z - 7 = 0", "x - 2y + z - 5 = 0"),
    ("equation", "x^2 + y^2 = 16", "x^2 + y^2 = 25"),
    ("equation", "y = 3x + 2", "y = 2x + 3"),
    ("equation", "x + y = 5", "5"),
    ("equation", "0", "10x - 4y - 5z - 20 = 0"),
    ("equation", "x = 5", "y = 5"),
    ("equation", "4x - 3y + z - 1 = 0", "4x - 3y + z + 1 = 0"),
    # bases
    ("base", "52_9", "52_8"),
    ("base", "2516", "2516_8"),
    ("base", "2516_8", "2516"),
    ("base", "1011", "1011_2"),
    ("base", "1101_2", "1011_2"),
    ("base", "42_7", "42_{6}"),
    ("base", "3", "10_3"),
    # degenerate input
    ("degenerate", "\\frac{0}{0}", "0"),
    ("degenerate", "1}}}}", "1"),
    ("degenerate", "{1", "1"),
    ("degenerate", "}2{", "2"),
    ("degenerate", "\\frac{1}{0}", "\\infty"),
    ("degenerate", "", "0"),
    ("degenerate", "\\boxed{", "1"),
    # sets and lists: a dropped or added element, a sign flip
    ("set", "\\{1,2\\}", "\\{1,2,3\\}"),
    ("set", "\\{1,2,3\\}", "\\{1,2\\}"),
    ("set", "\\{1+\\sqrt{5},-2\\}", "\\{-2, 1+\\sqrt{5}, 1-\\sqrt{5}\\}"),
    ("set", "\\{1\\pm\\sqrt{5}\\}", "\\{1\\pm\\sqrt{5},-2\\}"),
    ("set", "\\{1,-2\\}", "\\{-1,2\\}"),
    ("set", "1, 2", "1, 2, 3"),
    ("set", "1\\pm\\sqrt{3}", "1\\pm\\sqrt{2}"),
    ("set", "3", "\\pm 3"),
    ("tuple", "(2,1)", "(1,2)"),
    ("tuple", "(1,2)", "(1,2,3)"),
    ("tuple", "(1,-2)", "(1,2)"),
    # intervals: open against closed ends
    ("interval", "(-2,7]", "[-2,7]"),
    ("interval", "[-2,7)", "[-2,7]"),
    ("interval", "x \\in [-2,7)", "[-2,7]"),
    ("interval", "(-\\infty,3)", "(-\\infty,3]"),
    ("interval", "[1,2]\\cup(3,4]", "[1,2]\\cup[3,4]"),
    ("interval", "[1,2]", "[1,2]\\cup[3,4]"),
    ("interval", "(1,2)", "[1,2]"),
    # matrices
    ("matrix", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 5 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"),
    ("matrix", "\\left(\\begin{array}{cc} 1 & 2 \\\\ 3 & 5 \\end{array}\\right)",
     "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"),
    ("matrix", "\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"),
    ("matrix", "\\begin{pmatrix} 1 & 2 \\end{pmatrix}", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}"),
    ("matrix", "\\begin{pmatrix} -1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}"),
    # sign flips
    ("sign flip", "-3", "3"),
    ("sign flip", "\\frac{1}{2}", "-\\frac12"),
    ("sign flip", "1-x", "x-1"),
    ("sign flip", "-\\sqrt{2}", "\\sqrt{2}"),
    ("sign flip", "2-\\sqrt{3}", "2+\\sqrt{3}"),
    ("sign flip", "-1450000", "1450000"),
    # symbolic near misses
    ("symbolic", "x^2", "2^x"),
    ("symbolic", "\\sqrt{3}", "\\sqrt{2}"),
    ("symbolic", "\\frac{\\pi}{3}", "\\frac{\\pi}{6}"),
    ("symbolic", "2\\sqrt{2}", "\\sqrt{2}"),
    ("symbolic", "x^2+2x+2", "(x+1)^2"),
    ("symbolic", "\\text{Tuesday}", "\\text{Monday}"),
]


def gsm8k_sentences() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(generation, reference) pairs in GSM8K's chain-of-thought format."""
    equal = [(f"So she earns {n:,} dollars. The answer is {n:,}.", str(n)) for n in BIG_INTEGERS[:8]]
    near = [(f"So she earns {n + 1:,} dollars. The answer is {n + 1}.", str(n)) for n in BIG_INTEGERS[:8]]
    return equal, near


def _minerva(answer: str) -> str:
    return f"Solving the system step by step.\nFinal Answer: The final answer is ${answer}$. I hope it is correct."


def minerva_generations() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(generation, reference) pairs in Minerva's MATH format, graded with the `math` style."""
    equal = [(_minerva(p), r) for _, p, r in EQUAL_BY_HAND if _ in ("equation", "mixed number", "set", "interval")]
    near = [(_minerva(p), r) for _, p, r in NEAR_MISSES_BY_HAND if _ in ("equation", "mixed number", "base")]
    return equal, near


def answer_pairs() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(equal forms, near misses), each a list of (class, prediction, reference)."""
    equal, near = _integer_pairs()
    return equal + EQUAL_BY_HAND, near + NEAR_MISSES_BY_HAND
