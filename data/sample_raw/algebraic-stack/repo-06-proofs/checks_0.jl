# Worked examples: determinant, eigen, geometric.
using LinearAlgebra
using Test

# Find the sum of the geometric series \sum_{k=0}^{3} 5 \cdot 2^k.
@testset "geom_sum_5_2_4" begin
    @test 5*(2^4 - 1) == 75
end

# Find the eigenvalues and eigenvectors of A = \begin{pmatrix} 2 & 1 \\ 1 & 2 \end{pmatrix}.
@testset "eigen_trace_2_1" begin
    @test 3 + 1 == 4
    @test 2*2 - 1*1 == 3
    @test eigvals(Symmetric([2 1; 1 2])) ≈ [1, 3]
end

# Find the sum of the geometric series \sum_{k=0}^{6} 1 \cdot 3^k.
@testset "geom_sum_1_3_7" begin
    @test 1*(3^7 - 1) == 2186
end

# Let A = \begin{pmatrix} -8 & 3 \\ 5 & -9 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_8359" begin
    @test (-8)*(-9) - 3*5 == 57
    @test det([-8 3; 5 -9]) ≈ 57
end

# Find the sum of the geometric series \sum_{k=0}^{7} 3 \cdot 2^k.
@testset "geom_sum_3_2_8" begin
    @test 3*(2^8 - 1) == 765
end

# Let A = \begin{pmatrix} -3 & 6 \\ 5 & -6 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_3656" begin
    @test (-3)*(-6) - 6*5 == -12
    @test det([-3 6; 5 -6]) ≈ -12
end

# Let A = \begin{pmatrix} -2 & -3 \\ -7 & 4 \end{pmatrix}. Compute \det A and decide whether A is invertible.
@testset "det_2374" begin
    @test (-2)*4 - (-3)*(-7) == -29
    @test det([-2 -3; -7 4]) ≈ -29
end

