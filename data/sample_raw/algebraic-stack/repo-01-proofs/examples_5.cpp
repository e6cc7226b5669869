#include <Eigen/Dense>
#include <cassert>
#include <cmath>

int main() {
  // Let A = \begin{pmatrix} -8 & -9 \\ -1 & 7 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -8, -9, -1, 7;
    assert(std::abs(m.determinant() - (-65)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -8 & 6 \\ 6 & -4 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -8, 6, 6, -4;
    assert(std::abs(m.determinant() - (-4)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -6 & 6 \\ 7 & 5 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -6, 6, 7, 5;
    assert(std::abs(m.determinant() - (-72)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -7 & 0 \\ 9 & -9 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -7, 0, 9, -9;
    assert(std::abs(m.determinant() - (63)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -7 & -1 \\ -2 & 9 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -7, -1, -2, 9;
    assert(std::abs(m.determinant() - (-65)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -6 & 8 \\ 3 & -7 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -6, 8, 3, -7;
    assert(std::abs(m.determinant() - (18)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 5 & -2 \\ -7 & 1 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 5, -2, -7, 1;
    assert(std::abs(m.determinant() - (-9)) < 1e-9);
  }
  return 0;
}
