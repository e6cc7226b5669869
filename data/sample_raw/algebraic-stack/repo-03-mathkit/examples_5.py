"""Checks of worked powmod examples with SymPy and NumPy."""


import numpy as np
import sympy as sp


def check_powmod_15_326_13() -> None:
    """Find the remainder when 15^{326} is divided by 13."""
    assert pow(15, 326, 13) == 4


def check_gcd_1701_840() -> None:
    """Compute \\gcd(1701, 840) and write it as an integer combination of 1701 and 840."""
    assert sp.gcd(1701, 840) == 21
    assert 1*1701 + (-2)*840 == 21


def check_integral_2_5_55() -> None:
    """Evaluate the definite integral \\int_0^{5} \\left(-4x - 1\\right) dx."""
    x = sp.symbols('x')
    assert sp.integrate((-1)*x**0 + (-4)*x**1, (x, 0, 5)) == sp.Rational(-55, 1)
    assert (-1)*5**1 + (-2)*5**2 == -55


def check_eigen_trace_3_6() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} -3 & 6 \\\\ 6 & -3 \\end{pmatrix}."""
    matrix = np.array([[-3, 6], [6, -3]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [-9, 3])
    assert 3 + (-9) == -6
    assert (-3)*(-3) - 6*6 == -27


def check_choose_13_3() -> None:
    """A fair coin is tossed 13 times. What is the probability of exactly 3 heads?"""
    assert sp.binomial(13, 3) == 286


def check_powmod_57_322_41() -> None:
    """Find the remainder when 57^{322} is divided by 41."""
    assert pow(57, 322, 41) == 10


def check_arith_sum_7_8_17() -> None:
    """Evaluate \\sum_{k=1}^{17} (8k - 1)."""
    assert 17*(2*7 + (17 - 1)*8) == 2414


def check_powmod_32_230_43() -> None:
    """Find the remainder when 32^{230} is divided by 43."""
    assert pow(32, 230, 43) == 4


def check_gcd_178_172() -> None:
    """Compute \\gcd(178, 172) and write it as an integer combination of 178 and 172."""
    assert sp.gcd(178, 172) == 2
    assert 29*178 + (-30)*172 == 2


def check_arith_sum_16_11_20() -> None:
    """Compute the sum of the first 20 terms of the arithmetic progression 16, 27, 38, \\dots."""
    assert 20*(2*16 + (20 - 1)*11) == 4820


def check_arith_sum_22_9_9() -> None:
    """Evaluate \\sum_{k=1}^{9} (9k + 13)."""
    assert 9*(2*22 + (9 - 1)*9) == 1044


def check_powmod_18_75_37() -> None:
    """Find the remainder when 18^{75} is divided by 37."""
    assert pow(18, 75, 37) == 23



if __name__ == "__main__":
    for check in (check_powmod_15_326_13, check_gcd_1701_840, check_integral_2_5_55, check_eigen_trace_3_6, check_choose_13_3, check_powmod_57_322_41, check_arith_sum_7_8_17, check_powmod_32_230_43, check_gcd_178_172, check_arith_sum_16_11_20, check_arith_sum_22_9_9, check_powmod_18_75_37,):
        check()
    print("all checks passed")
