"""Checks of worked quadratic examples with SymPy and NumPy."""


import sympy as sp
from numpy import linalg
import numpy as np


def check_quadratic_root_4_6_a() -> None:
    """Find all real solutions of the equation x^2 - 10x + 24 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (10)*x + (24), x)) == [4, 6]
    assert 4**2 - 10*4 + 24 == 0
    assert 6**2 - 10*6 + 24 == 0
    assert (-10)**2 - 4*24 == 4


def check_powmod_59_392_31() -> None:
    """Find the remainder when 59^{392} is divided by 31."""
    assert pow(59, 392, 31) == 9


def check_gcd_1602_378() -> None:
    """Compute \\gcd(1602, 378) and write it as an integer combination of 1602 and 378."""
    assert sp.gcd(1602, 378) == 18
    assert (-4)*1602 + 17*378 == 18


def check_integral_2_2_20() -> None:
    """Evaluate the definite integral \\int_0^{2} \\left(4x + 6\\right) dx."""
    x = sp.symbols('x')
    assert sp.integrate((6)*x**0 + (4)*x**1, (x, 0, 2)) == sp.Rational(20, 1)
    assert 6*2**1 + 2*2**2 == 20


def check_powmod_10_124_37() -> None:
    """Find the remainder when 10^{124} is divided by 37."""
    assert pow(10, 124, 37) == 10


def check_eigen_trace_7_2() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} 7 & 2 \\\\ 2 & 7 \\end{pmatrix}."""
    matrix = np.array([[7, 2], [2, 7]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [5, 9])
    assert 9 + 5 == 14
    assert 7*7 - 2*2 == 45


def check_integral_4_1_67() -> None:
    """Evaluate the definite integral \\int_0^{1} \\left(2x^3 + 5x^2 + 2x + 8\\right) dx."""
    x = sp.symbols('x')
    assert sp.integrate((8)*x**0 + (2)*x**1 + (5)*x**2 + (2)*x**3, (x, 0, 1)) == sp.Rational(67, 6)
    assert 48*1**1 + 6*1**2 + 10*1**3 + 3*1**4 == 67


def check_gcd_666_558() -> None:
    """Compute \\gcd(666, 558) and write it as an integer combination of 666 and 558."""
    assert sp.gcd(666, 558) == 18
    assert (-5)*666 + 6*558 == 18



if __name__ == "__main__":
    for check in (check_quadratic_root_4_6_a, check_powmod_59_392_31, check_gcd_1602_378, check_integral_2_2_20, check_powmod_10_124_37, check_eigen_trace_7_2, check_integral_4_1_67, check_gcd_666_558,):
        check()
    print("all checks passed")
