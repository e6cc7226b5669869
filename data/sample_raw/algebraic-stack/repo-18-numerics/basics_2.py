"""Checks of worked binomial examples with SymPy and NumPy."""


import sympy as sp
from numpy import linalg
import numpy as np


def check_choose_12_2() -> None:
    """A fair coin is tossed 12 times. What is the probability of exactly 2 heads?"""
    assert sp.binomial(12, 2) == 66


def check_gcd_1593_1296() -> None:
    """Compute \\gcd(1593, 1296) and write it as an integer combination of 1593 and 1296."""
    assert sp.gcd(1593, 1296) == 27
    assert (-13)*1593 + 16*1296 == 27


def check_quadratic_root_9_8_a() -> None:
    """Find all real solutions of the equation x^2 + x - 72 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (-1)*x + (-72), x)) == [-9, 8]
    assert (-9)**2 + 1*(-9) - 72 == 0
    assert 8**2 + 1*8 - 72 == 0
    assert 1**2 - 4*(-72) == 289


def check_eigen_trace_11_4() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} 11 & 4 \\\\ 4 & 11 \\end{pmatrix}."""
    matrix = np.array([[11, 4], [4, 11]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [7, 15])
    assert 15 + 7 == 22
    assert 11*11 - 4*4 == 105


def check_gcd_2210_1352() -> None:
    """Compute \\gcd(2210, 1352) and write it as an integer combination of 2210 and 1352."""
    assert sp.gcd(2210, 1352) == 26
    assert (-11)*2210 + 18*1352 == 26


def check_quadratic_root_7_1_a() -> None:
    """Determine the roots of the equation x^2 + 6x - 7 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (-6)*x + (-7), x)) == [-7, 1]
    assert (-7)**2 + 6*(-7) - 7 == 0
    assert 1**2 + 6*1 - 7 == 0
    assert 6**2 - 4*(-7) == 64


def check_quadratic_root_1_2_a() -> None:
    """Solve the equation x^2 - 3x + 2 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (3)*x + (2), x)) == [1, 2]
    assert 1**2 - 3*1 + 2 == 0
    assert 2**2 - 3*2 + 2 == 0
    assert (-3)**2 - 4*2 == 1


def check_choose_12_7() -> None:
    """A fair coin is tossed 12 times. What is the probability of exactly 7 heads?"""
    assert sp.binomial(12, 7) == 792


def check_gcd_2044_868() -> None:
    """Compute \\gcd(2044, 868) and write it as an integer combination of 2044 and 868."""
    assert sp.gcd(2044, 868) == 28
    assert (-14)*2044 + 33*868 == 28



if __name__ == "__main__":
    for check in (check_choose_12_2, check_gcd_1593_1296, check_quadratic_root_9_8_a, check_eigen_trace_11_4, check_gcd_2210_1352, check_quadratic_root_7_1_a, check_quadratic_root_1_2_a, check_choose_12_7, check_gcd_2044_868,):
        check()
    print("all checks passed")
