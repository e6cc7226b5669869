# Worked examples: determinant, eigen, geometric, integral.
using LinearAlgebra
using Test

# Find the sum of the geometric series \sum_{k=0}^{9} 5 \cdot 5^k.
@testset "geom_sum_5_5_10" begin
    @test 5*(5^10 - 1) == 48828120
end

# Evaluate the definite integral \int_0^{4} \left(4x^3 - 5x^2 + 2x + 9\right) dx.
@testset "integral_4_4_604" begin
    @test 27*4^1 + 3*4^2 + (-5)*4^3 + 3*4^4 == 604
end

# Let A = \begin{pmatrix} -4 & 5 \\ -2 & -6 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_4526" begin
    @test (-4)*(-6) - 5*(-2) == 34
    @test det([-4 5; -2 -6]) ≈ 34
end

# Find the sum of the geometric series \sum_{k=0}^{10} 3 \cdot 3^k.
@testset "geom_sum_3_3_11" begin
    @test 3*(3^11 - 1) == 531438
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} 11 & 1 \\ 1 & 11 \end{pmatrix}.
@testset "eigen_trace_11_1" begin
    @test 12 + 10 == 22
    @test 11*11 - 1*1 == 120
    @test eigvals(Symmetric([11 1; 1 11])) ≈ [10, 12]
end

# Evaluate the definite integral \int_0^{3} \left(x + 9\right) dx.
@testset "integral_2_3_63" begin
    @test 18*3^1 + 1*3^2 == 63
end

# Find the sum of the geometric series \sum_{k=0}^{7} 5 \cdot 3^k.
@testset "geom_sum_5_3_8" begin
    @test 5*(3^8 - 1) == 32800
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} 9 & 8 \\ 8 & 9 \end{pmatrix}.
@testset "eigen_trace_9_8" begin
    @test 17 + 1 == 18
    @test 9*9 - 8*8 == 17
    @test eigvals(Symmetric([9 8; 8 9])) ≈ [1, 17]
end

