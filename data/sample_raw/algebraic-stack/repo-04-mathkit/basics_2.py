"""Checks of worked integral examples with SymPy and NumPy."""


import numpy as np
import sympy as sp


def check_integral_2_3_51() -> None:
    """Evaluate the definite integral \\int_0^{3} \\left(6x + 8\\right) dx."""
    x = sp.symbols('x')
    assert sp.integrate((8)*x**0 + (6)*x**1, (x, 0, 3)) == sp.Rational(51, 1)
    assert 8*3**1 + 3*3**2 == 51


def check_choose_14_9() -> None:
    """A fair coin is tossed 14 times. What is the probability of exactly 9 heads?"""
    assert sp.binomial(14, 9) == 2002


def check_quadratic_root_12_12_a() -> None:
    """Solve the equation x^2 - 144 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (0)*x + (-144), x)) == [-12, 12]
    assert (-12)**2 + 0*(-12) - 144 == 0
    assert 12**2 + 0*12 - 144 == 0
    assert 0**2 - 4*(-144) == 576


def check_gcd_1539_1045() -> None:
    """Compute \\gcd(1539, 1045) and write it as an integer combination of 1539 and 1045."""
    assert sp.gcd(1539, 1045) == 19
    assert (-19)*1539 + 28*1045 == 19


def check_choose_14_4() -> None:
    """A fair coin is tossed 14 times. What is the probability of exactly 4 heads?"""
    assert sp.binomial(14, 4) == 1001


def check_arith_sum_4_12_19() -> None:
    """Compute the sum of the first 19 terms of the arithmetic progression 4, 16, 28, \\dots."""
    assert 19*(2*4 + (19 - 1)*12) == 4256


def check_quadratic_root_5_2_a() -> None:
    """Find all real solutions of the equation x^2 + 3x - 10 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (-3)*x + (-10), x)) == [-5, 2]
    assert (-5)**2 + 3*(-5) - 10 == 0
    assert 2**2 + 3*2 - 10 == 0
    assert 3**2 - 4*(-10) == 49


def check_quadratic_root_9_7_a() -> None:
    """Determine the roots of the equation x^2 + 2x - 63 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (-2)*x + (-63), x)) == [-9, 7]
    assert (-9)**2 + 2*(-9) - 63 == 0
    assert 7**2 + 2*7 - 63 == 0
    assert 2**2 - 4*(-63) == 256



if __name__ == "__main__":
    for check in (check_integral_2_3_51, check_choose_14_9, check_quadratic_root_12_12_a, check_gcd_1539_1045, check_choose_14_4, check_arith_sum_4_12_19, check_quadratic_root_5_2_a, check_quadratic_root_9_7_a,):
        check()
    print("all checks passed")
