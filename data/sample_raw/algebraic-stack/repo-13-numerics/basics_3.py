"""Checks of worked eigen examples with SymPy and NumPy."""


import sympy as sp
from numpy import linalg
import numpy as np


def check_eigen_trace_12_4() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} 12 & 4 \\\\ 4 & 12 \\end{pmatrix}."""
    matrix = np.array([[12, 4], [4, 12]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [8, 16])
    assert 16 + 8 == 24
    assert 12*12 - 4*4 == 128


def check_arith_sum_40_10_20() -> None:
    """Evaluate \\sum_{k=1}^{20} (10k + 30)."""
    assert 20*(2*40 + (20 - 1)*10) == 5400


def check_arith_sum_3_13_52() -> None:
    """Compute the sum of the first 52 terms of the arithmetic progression 3, 16, 29, \\dots."""
    assert 52*(2*3 + (52 - 1)*13) == 34788


def check_eigen_trace_6_3() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} 6 & 3 \\\\ 3 & 6 \\end{pmatrix}."""
    matrix = np.array([[6, 3], [3, 6]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [3, 9])
    assert 9 + 3 == 12
    assert 6*6 - 3*3 == 27


def check_quadratic_root_7_9_a() -> None:
    """Solve the equation x^2 - 2x - 63 = 0."""
    x = sp.symbols('x')
    assert sorted(sp.solve(x**2 - (2)*x + (-63), x)) == [-7, 9]
    assert (-7)**2 - 2*(-7) - 63 == 0
    assert 9**2 - 2*9 - 63 == 0
    assert (-2)**2 - 4*(-63) == 256


def check_eigen_trace_8_4() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} 8 & 4 \\\\ 4 & 8 \\end{pmatrix}."""
    matrix = np.array([[8, 4], [4, 8]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [4, 12])
    assert 12 + 4 == 16
    assert 8*8 - 4*4 == 48


def check_powmod_54_153_11() -> None:
    """Find the remainder when 54^{153} is divided by 11."""
    assert pow(54, 153, 11) == 10


def check_arith_sum_15_7_56() -> None:
    """Evaluate \\sum_{k=1}^{56} (7k + 8)."""
    assert 56*(2*15 + (56 - 1)*7) == 23240



if __name__ == "__main__":
    for check in (check_eigen_trace_12_4, check_arith_sum_40_10_20, check_arith_sum_3_13_52, check_eigen_trace_6_3, check_quadratic_root_7_9_a, check_eigen_trace_8_4, check_powmod_54_153_11, check_arith_sum_15_7_56,):
        check()
    print("all checks passed")
