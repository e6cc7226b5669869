#include <Eigen/Dense>
#include <cassert>
#include <cmath>

int main() {
  // Let A = \begin{pmatrix} 1 & 7 \\ 5 & 6 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 1, 7, 5, 6;
    assert(std::abs(m.determinant() - (-29)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -3 & -3 \\ -5 & 5 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -3, -3, -5, 5;
    assert(std::abs(m.determinant() - (-30)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -8 & -1 \\ 5 & -8 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -8, -1, 5, -8;
    assert(std::abs(m.determinant() - (69)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 7 & 0 \\ 9 & 1 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 7, 0, 9, 1;
    assert(std::abs(m.determinant() - (7)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -6 & 9 \\ 1 & -7 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -6, 9, 1, -7;
    assert(std::abs(m.determinant() - (33)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 1 & 8 \\ 0 & 2 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 1, 8, 0, 2;
    assert(std::abs(m.determinant() - (2)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -2 & 6 \\ -9 & 9 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -2, 6, -9, 9;
    assert(std::abs(m.determinant() - (36)) < 1e-9);
  }
  return 0;
}
