# Worked examples: determinant, eigen, geometric, integral.
using LinearAlgebra
using Test

# Evaluate the definite integral \int_0^{1} \left(7x^2 - 2x\right) dx.
@testset "integral_3_1_4" begin
    @test (-3)*1^2 + 7*1^3 == 4
end

# Evaluate the definite integral \int_0^{4} \left(5x^2 + 5x + 2\right) dx.
@testset "integral_3_4_464" begin
    @test 12*4^1 + 15*4^2 + 10*4^3 == 928
end

# Let A = \begin{pmatrix} -4 & 2 \\ -2 & 2 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_4222" begin
    @test (-4)*2 - 2*(-2) == -4
    @test det([-4 2; -2 2]) ≈ -4
end

# Evaluate the definite integral \int_0^{4} \left(-3x + 8\right) dx.
@testset "integral_2_4_8" begin
    @test 16*4^1 + (-3)*4^2 == 16
end

# Find the sum of the geometric series \sum_{k=0}^{3} 9 \cdot 5^k.
@testset "geom_sum_9_5_4" begin
    @test 9*(5^4 - 1) == 5616
end

# Let A = \begin{pmatrix} 7 & -1 \\ 2 & -8 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_7128" begin
    @test 7*(-8) - (-1)*2 == -54
    @test det([7 -1; 2 -8]) ≈ -54
end

# Let A = \begin{pmatrix} -5 & 7 \\ -9 & 4 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_5794" begin
    @test (-5)*4 - 7*(-9) == 43
    @test det([-5 7; -9 4]) ≈ 43
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} 3 & 6 \\ 6 & 3 \end{pmatrix}.
@testset "eigen_trace_3_6" begin
    @test 9 + (-3) == 6
    @test 3*3 - 6*6 == -27
    @test eigvals(Symmetric([3 6; 6 3])) ≈ [-3, 9]
end

# Evaluate the definite integral \int_0^{4} \left(9x^3 - 6x^2 + x + 7\right) dx.
@testset "integral_4_4_484" begin
    @test 28*4^1 + 2*4^2 + (-8)*4^3 + 9*4^4 == 1936
end

# Let A = \begin{pmatrix} -7 & -3 \\ -5 & 1 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_7351" begin
    @test (-7)*1 - (-3)*(-5) == -22
    @test det([-7 -3; -5 1]) ≈ -22
end

