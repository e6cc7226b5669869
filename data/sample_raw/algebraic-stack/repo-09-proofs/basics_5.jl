# Worked examples: determinant, eigen, geometric, integral.
using LinearAlgebra
using Test

# Let A = \begin{pmatrix} 3 & -6 \\ -8 & 5 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_3685" begin
    @test 3*5 - (-6)*(-8) == -33
    @test det([3 -6; -8 5]) ≈ -33
end

# Evaluate the definite integral \int_0^{5} \left(2x^3 + 9x^2 - x + 6\right) dx.
@testset "integral_4_5_705" begin
    @test 12*5^1 + (-1)*5^2 + 6*5^3 + 1*5^4 == 1410
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} 8 & 7 \\ 7 & 8 \end{pmatrix}.
@testset "eigen_trace_8_7" begin
    @test 15 + 1 == 16
    @test 8*8 - 7*7 == 15
    @test eigvals(Symmetric([8 7; 7 8])) ≈ [1, 15]
end

# Find the sum of the geometric series \sum_{k=0}^{5} 9 \cdot 3^k.
@testset "geom_sum_9_3_6" begin
    @test 9*(3^6 - 1) == 6552
end

# Let A = \begin{pmatrix} 6 & 1 \\ 5 & -9 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_6159" begin
    @test 6*(-9) - 1*5 == -59
    @test det([6 1; 5 -9]) ≈ -59
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} 10 & 9 \\ 9 & 10 \end{pmatrix}.
@testset "eigen_trace_10_9" begin
    @test 19 + 1 == 20
    @test 10*10 - 9*9 == 19
    @test eigvals(Symmetric([10 9; 9 10])) ≈ [1, 19]
end

# Find the sum of the geometric series \sum_{k=0}^{7} 4 \cdot 5^k.
@testset "geom_sum_4_5_8" begin
    @test 4*(5^8 - 1) == 1562496
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} -2 & 8 \\ 8 & -2 \end{pmatrix}.
@testset "eigen_trace_2_8" begin
    @test 6 + (-10) == -4
    @test (-2)*(-2) - 8*8 == -60
    @test eigvals(Symmetric([-2 8; 8 -2])) ≈ [-10, 6]
end

# Let A = \begin{pmatrix} 4 & -1 \\ 5 & 9 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_4159" begin
    @test 4*9 - (-1)*5 == 41
    @test det([4 -1; 5 9]) ≈ 41
end

# Find the sum of the geometric series \sum_{k=0}^{8} 8 \cdot 4^k.
@testset "geom_sum_8_4_9" begin
    @test 8*(4^9 - 1) == 2097144
end

# Let A = \begin{pmatrix} 7 & 0 \\ -8 & -3 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_7083" begin
    @test 7*(-3) - 0*(-8) == -21
    @test det([7 0; -8 -3]) ≈ -21
end

# Evaluate the definite integral \int_0^{4} \left(7x^2 + 6x - 5\right) dx.
@testset "integral_3_4_532" begin
    @test (-15)*4^1 + 9*4^2 + 7*4^3 == 532
end

