#include <Eigen/Dense>
#include <cassert>
#include <cmath>

int main() {
  // Let A = \begin{pmatrix} -6 & -3 \\ 9 & -5 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -6, -3, 9, -5;
    assert(std::abs(m.determinant() - (57)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -1 & -5 \\ -6 & 9 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -1, -5, -6, 9;
    assert(std::abs(m.determinant() - (-39)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 9 & 7 \\ -8 & 3 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 9, 7, -8, 3;
    assert(std::abs(m.determinant() - (83)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -6 & 4 \\ 5 & 8 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -6, 4, 5, 8;
    assert(std::abs(m.determinant() - (-68)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 7 & 9 \\ -2 & 0 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 7, 9, -2, 0;
    assert(std::abs(m.determinant() - (18)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 2 & 7 \\ 1 & -4 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 2, 7, 1, -4;
    assert(std::abs(m.determinant() - (-15)) < 1e-9);
  }
  return 0;
}
