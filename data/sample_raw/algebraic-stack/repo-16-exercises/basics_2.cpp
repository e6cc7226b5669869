#include <Eigen/Dense>
#include <cassert>
#include <cmath>

int main() {
  // Let A = \begin{pmatrix} -9 & 1 \\ -7 & -7 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -9, 1, -7, -7;
    assert(std::abs(m.determinant() - (70)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -4 & -6 \\ -7 & 3 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -4, -6, -7, 3;
    assert(std::abs(m.determinant() - (-54)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 3 & -1 \\ -4 & 6 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 3, -1, -4, 6;
    assert(std::abs(m.determinant() - (14)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -7 & 1 \\ 8 & 4 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -7, 1, 8, 4;
    assert(std::abs(m.determinant() - (-36)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -2 & 7 \\ -3 & -7 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -2, 7, -3, -7;
    assert(std::abs(m.determinant() - (35)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 6 & -2 \\ -9 & -8 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 6, -2, -9, -8;
    assert(std::abs(m.determinant() - (-66)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -9 & -5 \\ 9 & 0 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -9, -5, 9, 0;
    assert(std::abs(m.determinant() - (45)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 4 & 5 \\ 7 & 5 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 4, 5, 7, 5;
    assert(std::abs(m.determinant() - (-15)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -3 & 2 \\ 3 & 7 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -3, 2, 3, 7;
    assert(std::abs(m.determinant() - (-27)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 1 & 8 \\ -1 & 8 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 1, 8, -1, 8;
    assert(std::abs(m.determinant() - (16)) < 1e-9);
  }
  return 0;
}
