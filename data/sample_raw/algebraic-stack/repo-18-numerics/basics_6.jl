# Worked examples: determinant, eigen, geometric, integral.
using LinearAlgebra
using Test

# Evaluate the definite integral \int_0^{1} \left(x + 8\right) dx.
@testset "integral_2_1_17" begin
    @test 16*1^1 + 1*1^2 == 17
end

# Let A = \begin{pmatrix} -3 & -3 \\ -2 & 2 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_3322" begin
    @test (-3)*2 - (-3)*(-2) == -12
    @test det([-3 -3; -2 2]) ≈ -12
end

# Find the sum of the geometric series \sum_{k=0}^{10} 8 \cdot 3^k.
@testset "geom_sum_8_3_11" begin
    @test 8*(3^11 - 1) == 1417168
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} 12 & 9 \\ 9 & 12 \end{pmatrix}.
@testset "eigen_trace_12_9" begin
    @test 21 + 3 == 24
    @test 12*12 - 9*9 == 63
    @test eigvals(Symmetric([12 9; 9 12])) ≈ [3, 21]
end

# Evaluate the definite integral \int_0^{2} \left(-5x + 5\right) dx.
@testset "integral_2_2_0" begin
    @test 10*2^1 + (-5)*2^2 == 0
end

# Find the sum of the geometric series \sum_{k=0}^{8} 9 \cdot 2^k.
@testset "geom_sum_9_2_9" begin
    @test 9*(2^9 - 1) == 4599
end

