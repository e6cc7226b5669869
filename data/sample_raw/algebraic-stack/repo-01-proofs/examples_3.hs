-- Worked examples: powmod, quadratic, sum_of_squares.
module SumOfSquaresChecks where

import Numeric.LinearAlgebra

-- Show that 1^2 + 2^2 + \dots + 39^2 = 20540.
check0 :: Bool
check0 = ((39*(39 + 1)*(2*39 + 1) :: Integer) == 123240)

-- Find the remainder when 7^{46} is divided by 19.
check1 :: Bool
check1 = ((7 :: Integer) ^ 46 `mod` 19 == 7)

-- Find all real solutions of the equation x^2 + 4x - 12 = 0.
check2 :: Bool
check2 = (((-6)^2 + 4*(-6) - 12 :: Integer) == 0) && ((2^2 + 4*2 - 12 :: Integer) == 0) && ((4^2 - 4*(-12) :: Integer) == 64)

-- Show that 1^2 + 2^2 + \dots + 13^2 = 819.
check3 :: Bool
check3 = ((13*(13 + 1)*(2*13 + 1) :: Integer) == 4914)

-- Find the remainder when 25^{296} is divided by 23.
check4 :: Bool
check4 = ((25 :: Integer) ^ 296 `mod` 23 == 12)

-- Find all real solutions of the equation x^2 - 6x - 40 = 0.
check5 :: Bool
check5 = (((-4)^2 - 6*(-4) - 40 :: Integer) == 0) && ((10^2 - 6*10 - 40 :: Integer) == 0) && (((-6)^2 - 4*(-40) :: Integer) == 196)

-- Solve the equation x^2 + 5x - 50 = 0.
check6 :: Bool
check6 = (((-10)^2 + 5*(-10) - 50 :: Integer) == 0) && ((5^2 + 5*5 - 50 :: Integer) == 0) && ((5^2 - 4*(-50) :: Integer) == 225)

allChecks :: Bool
allChecks = and [check0, check1, check2, check3, check4, check5, check6]
