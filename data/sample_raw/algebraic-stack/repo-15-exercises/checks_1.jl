# Worked examples: determinant, eigen, geometric, integral.
using LinearAlgebra
using Test

# Evaluate the definite integral \int_0^{2} \left(-5x - 6\right) dx.
@testset "integral_2_2_22" begin
    @test (-12)*2^1 + (-5)*2^2 == -44
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} -5 & 3 \\ 3 & -5 \end{pmatrix}.
@testset "eigen_trace_5_3" begin
    @test (-2) + (-8) == -10
    @test (-5)*(-5) - 3*3 == 16
    @test eigvals(Symmetric([-5 3; 3 -5])) ≈ [-8, -2]
end

# Find the sum of the geometric series \sum_{k=0}^{4} 1 \cdot 4^k.
@testset "geom_sum_1_4_5" begin
    @test 1*(4^5 - 1) == 1023
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} 9 & 6 \\ 6 & 9 \end{pmatrix}.
@testset "eigen_trace_9_6" begin
    @test 15 + 3 == 18
    @test 9*9 - 6*6 == 45
    @test eigvals(Symmetric([9 6; 6 9])) ≈ [3, 15]
end

# Let A = \begin{pmatrix} -5 & -4 \\ -1 & -5 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_5415" begin
    @test (-5)*(-5) - (-4)*(-1) == 21
    @test det([-5 -4; -1 -5]) ≈ 21
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} -8 & 1 \\ 1 & -8 \end{pmatrix}.
@testset "eigen_trace_8_1" begin
    @test (-7) + (-9) == -16
    @test (-8)*(-8) - 1*1 == 63
    @test eigvals(Symmetric([-8 1; 1 -8])) ≈ [-9, -7]
end

