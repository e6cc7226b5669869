# Worked examples: determinant, eigen, integral.
using LinearAlgebra
using Test

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} 8 & 8 \\ 8 & 8 \end{pmatrix}.
@testset "eigen_trace_8_8" begin
    @test 16 + 0 == 16
    @test 8*8 - 8*8 == 0
    @test eigvals(Symmetric([8 8; 8 8])) ≈ [0, 16]
end

# Let A = \begin{pmatrix} -9 & 1 \\ -9 & 2 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_9192" begin
    @test (-9)*2 - 1*(-9) == -9
    @test det([-9 1; -9 2]) ≈ -9
end

# Evaluate the definite integral \int_0^{2} \left(2x^3 + 7x^2 + 7x + 3\right) dx.
@testset "integral_4_2_140" begin
    @test 18*2^1 + 21*2^2 + 14*2^3 + 3*2^4 == 280
end

# Evaluate the definite integral \int_0^{1} \left(-4x^2 - 6\right) dx.
@testset "integral_3_1_22" begin
    @test (-18)*1^1 + (-4)*1^3 == -22
end

# Let A = \begin{pmatrix} 0 & 9 \\ -6 & 4 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_0964" begin
    @test 0*4 - 9*(-6) == 54
    @test det([0 9; -6 4]) ≈ 54
end

# Let A = \begin{pmatrix} 3 & -3 \\ -2 & 3 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_3323" begin
    @test 3*3 - (-3)*(-2) == 3
    @test det([3 -3; -2 3]) ≈ 3
end

# Let A = \begin{pmatrix} -6 & 9 \\ -6 & 10 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_69610" begin
    @test (-6)*10 - 9*(-6) == -6
    @test det([-6 9; -6 10]) ≈ -6
end

