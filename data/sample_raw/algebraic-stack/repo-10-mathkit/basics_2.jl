# Worked examples: determinant, eigen, geometric, integral.
using LinearAlgebra
using Test

# Find the sum of the geometric series \sum_{k=0}^{3} 8 \cdot 5^k.
@testset "geom_sum_8_5_4" begin
    @test 8*(5^4 - 1) == 4992
end

# Let A = \begin{pmatrix} 6 & -2 \\ 7 & 1 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_6271" begin
    @test 6*1 - (-2)*7 == 20
    @test det([6 -2; 7 1]) ≈ 20
end

# Find the sum of the geometric series \sum_{k=0}^{5} 9 \cdot 2^k.
@testset "geom_sum_9_2_6" begin
    @test 9*(2^6 - 1) == 567
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} -5 & 5 \\ 5 & -5 \end{pmatrix}.
@testset "eigen_trace_5_5" begin
    @test 0 + (-10) == -10
    @test (-5)*(-5) - 5*5 == 0
    @test eigvals(Symmetric([-5 5; 5 -5])) ≈ [-10, 0]
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} 10 & 8 \\ 8 & 10 \end{pmatrix}.
@testset "eigen_trace_10_8" begin
    @test 18 + 2 == 20
    @test 10*10 - 8*8 == 36
    @test eigvals(Symmetric([10 8; 8 10])) ≈ [2, 18]
end

# Evaluate the definite integral \int_0^{2} \left(-5x^2 + 3x + 2\right) dx.
@testset "integral_3_2_10" begin
    @test 12*2^1 + 9*2^2 + (-10)*2^3 == -20
end

