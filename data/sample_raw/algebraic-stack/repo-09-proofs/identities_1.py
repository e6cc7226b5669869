"""Checks of worked powmod examples with SymPy and NumPy."""


import numpy as np
import sympy as sp


def check_powmod_54_182_23() -> None:
    """Find the remainder when 54^{182} is divided by 23."""
    assert pow(54, 182, 23) == 13


def check_quadratic_root_4_7_a() -> None:
    """Determine the roots of the equation x^2 - 3x - 28 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (3)*x + (-28), x)) == [-4, 7]
    assert (-4)**2 - 3*(-4) - 28 == 0
    assert 7**2 - 3*7 - 28 == 0
    assert (-3)**2 - 4*(-28) == 121


def check_eigen_trace_6_5() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} -6 & 5 \\\\ 5 & -6 \\end{pmatrix}."""
    matrix = np.array([[-6, 5], [5, -6]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [-11, -1])
    assert (-1) + (-11) == -12
    assert (-6)*(-6) - 5*5 == 11


def check_arith_sum_6_7_20() -> None:
    """Compute the sum of the first 20 terms of the arithmetic progression 6, 13, 20, \\dots."""
    assert 20*(2*6 + (20 - 1)*7) == 2900


def check_powmod_27_162_37() -> None:
    """Find the remainder when 27^{162} is divided by 37."""
    assert pow(27, 162, 37) == 1


def check_choose_13_12() -> None:
    """A fair coin is tossed 13 times. What is the probability of exactly 12 heads?"""
    assert sp.binomial(13, 12) == 13


def check_eigen_trace_1_7() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} -1 & 7 \\\\ 7 & -1 \\end{pmatrix}."""
    matrix = np.array([[-1, 7], [7, -1]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [-8, 6])
    assert 6 + (-8) == -2
    assert (-1)*(-1) - 7*7 == -48


def check_choose_10_9() -> None:
    """A fair coin is tossed 10 times. What is the probability of exactly 9 heads?"""
    assert sp.binomial(10, 9) == 10


def check_choose_15_8() -> None:
    """A fair coin is tossed 15 times. What is the probability of exactly 8 heads?"""
    assert sp.binomial(15, 8) == 6435


def check_arith_sum_33_13_56() -> None:
    """Compute the sum of the first 56 terms of the arithmetic progression 33, 46, 59, \\dots."""
    assert 56*(2*33 + (56 - 1)*13) == 43736


def check_arith_sum_22_12_56() -> None:
    """Evaluate \\sum_{k=1}^{56} (12k + 10)."""
    assert 56*(2*22 + (56 - 1)*12) == 39424


def check_quadratic_root_10_9_a() -> None:
    """Solve the equation x^2 + x - 90 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (-1)*x + (-90), x)) == [-10, 9]
    assert (-10)**2 + 1*(-10) - 90 == 0
    assert 9**2 + 1*9 - 90 == 0
    assert 1**2 - 4*(-90) == 361



if __name__ == "__main__":
    for check in (check_powmod_54_182_23, check_quadratic_root_4_7_a, check_eigen_trace_6_5, check_arith_sum_6_7_20, check_powmod_27_162_37, check_choose_13_12, check_eigen_trace_1_7, check_choose_10_9, check_choose_15_8, check_arith_sum_33_13_56, check_arith_sum_22_12_56, check_quadratic_root_10_9_a,):
        check()
    print("all checks passed")
