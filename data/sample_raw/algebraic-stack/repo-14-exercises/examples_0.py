"""Checks of worked gcd examples with SymPy and NumPy."""


import numpy as np
import sympy as sp


def check_gcd_2190_450() -> None:
    """Compute \\gcd(2190, 450) and write it as an integer combination of 2190 and 450."""
    assert sp.gcd(2190, 450) == 30
    assert 7*2190 + (-34)*450 == 30


def check_powmod_43_362_29() -> None:
    """Find the remainder when 43^{362} is divided by 29."""
    assert pow(43, 362, 29) == 4


def check_eigen_trace_4_4() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} 4 & 4 \\\\ 4 & 4 \\end{pmatrix}."""
    matrix = np.array([[4, 4], [4, 4]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [0, 8])
    assert 8 + 0 == 8
    assert 4*4 - 4*4 == 0


def check_gcd_1281_1008() -> None:
    """Compute \\gcd(1281, 1008) and write it as an integer combination of 1281 and 1008."""
    assert sp.gcd(1281, 1008) == 21
    assert (-11)*1281 + 14*1008 == 21


def check_powmod_36_139_41() -> None:
    """Find the remainder when 36^{139} is divided by 41."""
    assert pow(36, 139, 41) == 8


def check_eigen_trace_8_1() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} 8 & 1 \\\\ 1 & 8 \\end{pmatrix}."""
    matrix = np.array([[8, 1], [1, 8]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [7, 9])
    assert 9 + 7 == 16
    assert 8*8 - 1*1 == 63


def check_eigen_trace_5_5() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} 5 & 5 \\\\ 5 & 5 \\end{pmatrix}."""
    matrix = np.array([[5, 5], [5, 5]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [0, 10])
    assert 10 + 0 == 10
    assert 5*5 - 5*5 == 0


def check_arith_sum_4_4_55() -> None:
    """Evaluate \\sum_{k=1}^{55} (4k + 0)."""
    assert 55*(2*4 + (55 - 1)*4) == 12320


def check_gcd_110_60() -> None:
    """Compute \\gcd(110, 60) and write it as an integer combination of 110 and 60."""
    assert sp.gcd(110, 60) == 10
    assert (-1)*110 + 2*60 == 10


def check_eigen_trace_4_7() -> None:
    """Find the eigenvalues and eigenvectors of A = \\begin{pmatrix} 4 & 7 \\\\ 7 & 4 \\end{pmatrix}."""
    matrix = np.array([[4, 7], [7, 4]], dtype=float)
    assert np.allclose(np.linalg.eigvalsh(matrix), [-3, 11])
    assert 11 + (-3) == 8
    assert 4*4 - 7*7 == -33



if __name__ == "__main__":
    for check in (check_gcd_2190_450, check_powmod_43_362_29, check_eigen_trace_4_4, check_gcd_1281_1008, check_powmod_36_139_41, check_eigen_trace_8_1, check_eigen_trace_5_5, check_arith_sum_4_4_55, check_gcd_110_60, check_eigen_trace_4_7,):
        check()
    print("all checks passed")
