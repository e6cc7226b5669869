#include <Eigen/Dense>
#include <cassert>
#include <cmath>

int main() {
  // Let A = \begin{pmatrix} -1 & 1 \\ -2 & 1 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -1, 1, -2, 1;
    assert(std::abs(m.determinant() - (1)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -1 & -5 \\ -9 & 5 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -1, -5, -9, 5;
    assert(std::abs(m.determinant() - (-50)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 0 & 2 \\ -1 & 5 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 0, 2, -1, 5;
    assert(std::abs(m.determinant() - (2)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 6 & -7 \\ -8 & -1 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 6, -7, -8, -1;
    assert(std::abs(m.determinant() - (-62)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 8 & 1 \\ -5 & -1 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 8, 1, -5, -1;
    assert(std::abs(m.determinant() - (-3)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 9 & -5 \\ 7 & -6 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 9, -5, 7, -6;
    assert(std::abs(m.determinant() - (-19)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -9 & 6 \\ 9 & -9 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -9, 6, 9, -9;
    assert(std::abs(m.determinant() - (27)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 6 & -9 \\ 8 & -1 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 6, -9, 8, -1;
    assert(std::abs(m.determinant() - (66)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 5 & -3 \\ 3 & 6 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 5, -3, 3, 6;
    assert(std::abs(m.determinant() - (39)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 4 & -9 \\ 2 & -4 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 4, -9, 2, -4;
    assert(std::abs(m.determinant() - (2)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -2 & -8 \\ 6 & -2 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -2, -8, 6, -2;
    assert(std::abs(m.determinant() - (52)) < 1e-9);
  }
  return 0;
}
