# Worked examples: determinant, geometric, integral.
using LinearAlgebra
using Test

# Evaluate the definite integral \int_0^{4} \left(-4x^3 + 5x^2 - 5x + 8\right) dx.
@testset "integral_4_4_472" begin
    @test 48*4^1 + (-15)*4^2 + 10*4^3 + (-6)*4^4 == -944
end

# Evaluate the definite integral \int_0^{3} \left(-5x^3 + 2x^2 - 3x - 4\right) dx.
@testset "integral_4_3_435" begin
    @test (-48)*3^1 + (-18)*3^2 + 8*3^3 + (-15)*3^4 == -1305
end

# Let A = \begin{pmatrix} 2 & 7 \\ -9 & -4 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_2794" begin
    @test 2*(-4) - 7*(-9) == 55
    @test det([2 7; -9 -4]) ≈ 55
end

# Find the sum of the geometric series \sum_{k=0}^{9} 2 \cdot 5^k.
@testset "geom_sum_2_5_10" begin
    @test 2*(5^10 - 1) == 19531248
end

# Find the sum of the geometric series \sum_{k=0}^{8} 3 \cdot 4^k.
@testset "geom_sum_3_4_9" begin
    @test 3*(4^9 - 1) == 786429
end

# Evaluate the definite integral \int_0^{4} \left(7x^2 + 5x - 5\right) dx.
@testset "integral_3_4_508" begin
    @test (-30)*4^1 + 15*4^2 + 14*4^3 == 1016
end

# Let A = \begin{pmatrix} -7 & -2 \\ 7 & -6 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_7276" begin
    @test (-7)*(-6) - (-2)*7 == 56
    @test det([-7 -2; 7 -6]) ≈ 56
end

# Let A = \begin{pmatrix} -9 & 1 \\ 9 & 0 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_9190" begin
    @test (-9)*0 - 1*9 == -9
    @test det([-9 1; 9 0]) ≈ -9
end

