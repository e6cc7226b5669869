#include <Eigen/Dense>
#include <cassert>
#include <cmath>

int main() {
  // Let A = \begin{pmatrix} 6 & -2 \\ -8 & 5 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 6, -2, -8, 5;
    assert(std::abs(m.determinant() - (14)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -4 & -2 \\ 9 & 7 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -4, -2, 9, 7;
    assert(std::abs(m.determinant() - (-10)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -1 & -9 \\ 9 & -9 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -1, -9, 9, -9;
    assert(std::abs(m.determinant() - (90)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -2 & -7 \\ 6 & 6 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -2, -7, 6, 6;
    assert(std::abs(m.determinant() - (30)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 9 & -1 \\ 1 & -3 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 9, -1, 1, -3;
    assert(std::abs(m.determinant() - (-26)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 9 & -4 \\ 7 & -7 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 9, -4, 7, -7;
    assert(std::abs(m.determinant() - (-35)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -8 & 8 \\ -6 & -6 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -8, 8, -6, -6;
    assert(std::abs(m.determinant() - (96)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 1 & -8 \\ 7 & 1 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 1, -8, 7, 1;
    assert(std::abs(m.determinant() - (57)) < 1e-9);
  }
  return 0;
}
