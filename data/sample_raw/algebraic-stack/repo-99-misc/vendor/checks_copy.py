"""Checks of worked quadratic examples with SymPy and NumPy."""


import numpy as np
import sympy as sp


def check_quadratic_root_10_3_a() -> None:
    """Find all real solutions of the equation x^2 + 13x + 30 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (-13)*x + (30), x)) == [-10, -3]
    assert (-10)**2 + 13*(-10) + 30 == 0
    assert (-3)**2 + 13*(-3) + 30 == 0
    assert 13**2 - 4*30 == 49


def check_quadratic_root_5_3_a() -> None:
    """Find all real solutions of the equation x^2 + 8x + 15 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (-8)*x + (15), x)) == [-5, -3]
    assert (-5)**2 + 8*(-5) + 15 == 0
    assert (-3)**2 + 8*(-3) + 15 == 0
    assert 8**2 - 4*15 == 4


def check_eigen_trace_12_2() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} 12 & 2 \\\\ 2 & 12 \\end{pmatrix}."""
    matrix = np.array([[12, 2], [2, 12]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [10, 14])
    assert 14 + 10 == 24
    assert 12*12 - 2*2 == 140


def check_quadratic_root_9_6_a() -> None:
    """Determine the roots of the equation x^2 + 15x + 54 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (-15)*x + (54), x)) == [-9, -6]
    assert (-9)**2 + 15*(-9) + 54 == 0
    assert (-6)**2 + 15*(-6) + 54 == 0
    assert 15**2 - 4*54 == 9


def check_integral_2_3_36() -> None:
    """Evaluate the definite integral \\int_0^{3} \\left(8x\\right) dx."""
    x = sp.symbols('x')
    assert sp.integrate((0)*x**0 + (8)*x**1, (x, 0, 3)) == sp.Rational(36, 1)
    assert 4*3**2 == 36


def check_integral_2_5_5() -> None:
    """Evaluate the definite integral \\int_0^{5} \\left(2x - 6\\right) dx."""
    x = sp.symbols('x')
    assert sp.integrate((-6)*x**0 + (2)*x**1, (x, 0, 5)) == sp.Rational(-5, 1)
    assert (-6)*5**1 + 1*5**2 == -5


def check_integral_3_5_385() -> None:
    """Evaluate the definite integral \\int_0^{5} \\left(-x^2 - 5x + 8\\right) dx."""
    x = sp.symbols('x')
    assert sp.integrate((8)*x**0 + (-5)*x**1 + (-1)*x**2, (x, 0, 5)) == sp.Rational(-385, 6)
    assert 48*5**1 + (-15)*5**2 + (-2)*5**3 == -385


def check_choose_13_4() -> None:
    """A fair coin is tossed 13 times. What is the probability of exactly 4 heads?"""
    assert sp.binomial(13, 4) == 715


def check_powmod_25_181_17() -> None:
    """Find the remainder when 25^{181} is divided by 17."""
    assert pow(25, 181, 17) == 9



if __name__ == "__main__":
    for check in (check_quadratic_root_10_3_a, check_quadratic_root_5_3_a, check_eigen_trace_12_2, check_quadratic_root_9_6_a, check_integral_2_3_36, check_integral_2_5_5, check_integral_3_5_385, check_choose_13_4, check_powmod_25_181_17,):
        check()
    print("all checks passed")
