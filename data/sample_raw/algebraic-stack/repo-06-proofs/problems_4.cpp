#include <Eigen/Dense>
#include <cassert>
#include <cmath>

int main() {
  // Let A = \begin{pmatrix} 4 & 7 \\ 3 & -1 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 4, 7, 3, -1;
    assert(std::abs(m.determinant() - (-25)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 4 & 0 \\ 4 & -4 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 4, 0, 4, -4;
    assert(std::abs(m.determinant() - (-16)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 2 & 0 \\ -4 & 8 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 2, 0, -4, 8;
    assert(std::abs(m.determinant() - (16)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -6 & 3 \\ 2 & -5 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -6, 3, 2, -5;
    assert(std::abs(m.determinant() - (24)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 8 & 3 \\ -1 & 0 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 8, 3, -1, 0;
    assert(std::abs(m.determinant() - (3)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 6 & 5 \\ -6 & 1 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 6, 5, -6, 1;
    assert(std::abs(m.determinant() - (36)) < 1e-9);
  }
  return 0;
}
