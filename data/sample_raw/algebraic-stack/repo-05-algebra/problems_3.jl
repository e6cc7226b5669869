# Worked examples: determinant, eigen, geometric, integral.
using LinearAlgebra
using Test

# Evaluate the definite integral \int_0^{4} \left(-4x + 3\right) dx.
@testset "integral_2_4_20" begin
    @test 3*4^1 + (-2)*4^2 == -20
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} 7 & 4 \\ 4 & 7 \end{pmatrix}.
@testset "eigen_trace_7_4" begin
    @test 11 + 3 == 14
    @test 7*7 - 4*4 == 33
    @test eigvals(Symmetric([7 4; 4 7])) ≈ [3, 11]
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} -5 & 1 \\ 1 & -5 \end{pmatrix}.
@testset "eigen_trace_5_1" begin
    @test (-4) + (-6) == -10
    @test (-5)*(-5) - 1*1 == 24
    @test eigvals(Symmetric([-5 1; 1 -5])) ≈ [-6, -4]
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} 12 & 7 \\ 7 & 12 \end{pmatrix}.
@testset "eigen_trace_12_7" begin
    @test 19 + 5 == 24
    @test 12*12 - 7*7 == 95
    @test eigvals(Symmetric([12 7; 7 12])) ≈ [5, 19]
end

# Find the sum of the geometric series \sum_{k=0}^{3} 1 \cdot 3^k.
@testset "geom_sum_1_3_4" begin
    @test 1*(3^4 - 1) == 80
end

# Let A = \begin{pmatrix} 2 & -6 \\ 2 & 3 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_2623" begin
    @test 2*3 - (-6)*2 == 18
    @test det([2 -6; 2 3]) ≈ 18
end

# Let A = \begin{pmatrix} 2 & 6 \\ 9 & 7 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_2697" begin
    @test 2*7 - 6*9 == -40
    @test det([2 6; 9 7]) ≈ -40
end

# Evaluate the definite integral \int_0^{1} \left(3x^3 - 4x^2 + 4x + 4\right) dx.
@testset "integral_4_1_65" begin
    @test 48*1^1 + 24*1^2 + (-16)*1^3 + 9*1^4 == 65
end

