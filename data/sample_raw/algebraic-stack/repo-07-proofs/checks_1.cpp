#include <Eigen/Dense>
#include <cassert>
#include <cmath>

int main() {
  // Let A = \begin{pmatrix} 3 & 7 \\ 6 & 5 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 3, 7, 6, 5;
    assert(std::abs(m.determinant() - (-27)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 1 & 1 \\ 2 & 4 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 1, 1, 2, 4;
    assert(std::abs(m.determinant() - (2)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 9 & -1 \\ -7 & 6 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 9, -1, -7, 6;
    assert(std::abs(m.determinant() - (47)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 3 & 0 \\ 7 & 8 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 3, 0, 7, 8;
    assert(std::abs(m.determinant() - (24)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 1 & 1 \\ -6 & -2 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 1, 1, -6, -2;
    assert(std::abs(m.determinant() - (4)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 5 & 8 \\ 5 & -4 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 5, 8, 5, -4;
    assert(std::abs(m.determinant() - (-60)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -9 & -4 \\ 6 & -4 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -9, -4, 6, -4;
    assert(std::abs(m.determinant() - (60)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 5 & 3 \\ 1 & 8 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 5, 3, 1, 8;
    assert(std::abs(m.determinant() - (37)) < 1e-9);
  }
  // Let A = \begin{pmatrix} -4 & 7 \\ -4 & 8 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << -4, 7, -4, 8;
    assert(std::abs(m.determinant() - (-4)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 5 & 2 \\ 3 & 0 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 5, 2, 3, 0;
    assert(std::abs(m.determinant() - (-6)) < 1e-9);
  }
  // Let A = \begin{pmatrix} 8 & 7 \\ -1 & 2 \end{pmatrix}. Compute \det A and decide whether A is invertible.
  {
    Eigen::Matrix2d m;
    m << 8, 7, -1, 2;
    assert(std::abs(m.determinant() - (23)) < 1e-9);
  }
  return 0;
}
