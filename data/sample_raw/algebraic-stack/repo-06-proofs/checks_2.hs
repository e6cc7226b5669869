-- Worked examples: factorization, gcd, linear_system, powmod, quadratic, sum_of_squares.
module FactorizationChecks where

import Numeric.LinearAlgebra

-- Factor 823875 into primes and count its positive divisors.
check0 :: Bool
check0 = ((3^1*5^3*13^3 :: Integer) == 823875)

-- Factor 4602325 into primes and count its positive divisors.
check1 :: Bool
check1 = ((5^2*7^2*13^1*17^2 :: Integer) == 4602325)

-- Solve the system \begin{aligned} 6x + 5y &= -4 \\ -2x + 2y &= 16 \end{aligned}
check2 :: Bool
check2 = ((6*(-4) + 5*4 :: Integer) == (-4)) && (((-2)*(-4) + 2*4 :: Integer) == 16)

-- Find the remainder when 5^{104} is divided by 7.
check3 :: Bool
check3 = ((5 :: Integer) ^ 104 `mod` 7 == 4)

-- Compute \gcd(782, 153) and write it as an integer combination of 782 and 153.
check4 :: Bool
check4 = (gcd 782 153 == (17 :: Integer)) && ((1*782 + (-5)*153 :: Integer) == 17)

-- Determine the roots of the equation x^2 - 10x - 24 = 0.
check5 :: Bool
check5 = (((-2)^2 - 10*(-2) - 24 :: Integer) == 0) && ((12^2 - 10*12 - 24 :: Integer) == 0) && (((-10)^2 - 4*(-24) :: Integer) == 196)

-- Compute \gcd(885, 405) and write it as an integer combination of 885 and 405.
check6 :: Bool
check6 = (gcd 885 405 == (15 :: Integer)) && ((11*885 + (-24)*405 :: Integer) == 15)

-- Factor 316342 into primes and count its positive divisors.
check7 :: Bool
check7 = ((2^1*13^1*23^3 :: Integer) == 316342)

-- Show that 1^2 + 2^2 + \dots + 14^2 = 1015.
check8 :: Bool
check8 = ((14*(14 + 1)*(2*14 + 1) :: Integer) == 6090)

allChecks :: Bool
allChecks = and [check0, check1, check2, check3, check4, check5, check6, check7, check8]
