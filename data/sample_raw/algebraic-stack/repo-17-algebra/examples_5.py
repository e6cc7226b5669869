"""Checks of worked arithmetic examples with SymPy and NumPy."""


import numpy as np
import sympy as sp


def check_arith_sum_26_12_27() -> None:
    """Evaluate \\sum_{k=1}^{27} (12k + 14)."""
    assert 27*(2*26 + (27 - 1)*12) == 9828


def check_integral_4_2_72() -> None:
    """Evaluate the definite integral \\int_0^{2} \\left(3x^3 + 9x^2 + 9x + 9\\right) dx."""
    x = sp.symbols('x')
    assert sp.integrate((9)*x**0 + (9)*x**1 + (9)*x**2 + (3)*x**3, (x, 0, 2)) == sp.Rational(72, 1)
    assert 36*2**1 + 18*2**2 + 12*2**3 + 3*2**4 == 288


def check_arith_sum_14_3_44() -> None:
    """Compute the sum of the first 44 terms of the arithmetic progression 14, 17, 20, \\dots."""
    assert 44*(2*14 + (44 - 1)*3) == 6908


def check_gcd_1541_460() -> None:
    """Compute \\gcd(1541, 460) and write it as an integer combination of 1541 and 460."""
    assert sp.gcd(1541, 460) == 23
    assert 3*1541 + (-10)*460 == 23


def check_integral_2_4_24() -> None:
    """Evaluate the definite integral \\int_0^{4} \\left(4x - 2\\right) dx."""
    x = sp.symbols('x')
    assert sp.integrate((-2)*x**0 + (4)*x**1, (x, 0, 4)) == sp.Rational(24, 1)
    assert (-2)*4**1 + 2*4**2 == 24


def check_gcd_275_88() -> None:
    """Compute \\gcd(275, 88) and write it as an integer combination of 275 and 88."""
    assert sp.gcd(275, 88) == 11
    assert 1*275 + (-3)*88 == 11


def check_gcd_988_390() -> None:
    """Compute \\gcd(988, 390) and write it as an integer combination of 988 and 390."""
    assert sp.gcd(988, 390) == 26
    assert 2*988 + (-5)*390 == 26


def check_integral_2_3_30() -> None:
    """Evaluate the definite integral \\int_0^{3} \\left(-4x - 4\\right) dx."""
    x = sp.symbols('x')
    assert sp.integrate((-4)*x**0 + (-4)*x**1, (x, 0, 3)) == sp.Rational(-30, 1)
    assert (-4)*3**1 + (-2)*3**2 == -30


def check_gcd_435_390() -> None:
    """Compute \\gcd(435, 390) and write it as an integer combination of 435 and 390."""
    assert sp.gcd(435, 390) == 15
    assert 9*435 + (-10)*390 == 15


def check_arith_sum_21_10_41() -> None:
    """Evaluate \\sum_{k=1}^{41} (10k + 11)."""
    assert 41*(2*21 + (41 - 1)*10) == 18122


def check_powmod_23_71_37() -> None:
    """Find the remainder when 23^{71} is divided by 37."""
    assert pow(23, 71, 37) == 29



if __name__ == "__main__":
    for check in (check_arith_sum_26_12_27, check_integral_4_2_72, check_arith_sum_14_3_44, check_gcd_1541_460, check_integral_2_4_24, check_gcd_275_88, check_gcd_988_390, check_integral_2_3_30, check_gcd_435_390, check_arith_sum_21_10_41, check_powmod_23_71_37,):
        check()
    print("all checks passed")
