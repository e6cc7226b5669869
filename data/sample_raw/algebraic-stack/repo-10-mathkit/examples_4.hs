-- Worked examples: factorization, gcd, linear_system, powmod, pythagoras, quadratic, sum_of_squares.
module GcdChecks where

import Data.Complex

-- Compute \gcd(1925, 1325) and write it as an integer combination of 1925 and 1325.
check0 :: Bool
check0 = (gcd 1925 1325 == (25 :: Integer)) && (((-11)*1925 + 16*1325 :: Integer) == 25)

-- A right triangle has legs 12 and 16. Find its hypotenuse and its area.
check1 :: Bool
check1 = ((12^2 + 16^2 :: Integer) == 400)

-- A right triangle has legs 54 and 240. Find its hypotenuse and its area.
check2 :: Bool
check2 = ((54^2 + 240^2 :: Integer) == 60516)

-- Find all real solutions of the equation x^2 - 13x + 22 = 0.
check3 :: Bool
check3 = ((2^2 - 13*2 + 22 :: Integer) == 0) && ((11^2 - 13*11 + 22 :: Integer) == 0) && (((-13)^2 - 4*22 :: Integer) == 81)

-- Show that 1^2 + 2^2 + \dots + 36^2 = 16206.
check4 :: Bool
check4 = ((36*(36 + 1)*(2*36 + 1) :: Integer) == 97236)

-- Solve the system \begin{aligned} 2x + 7y &= 35 \\ -7x + 4y &= -37 \end{aligned}
check5 :: Bool
check5 = ((2*7 + 7*3 :: Integer) == 35) && (((-7)*7 + 4*3 :: Integer) == (-37))

-- Factor 91182091 into primes and count its positive divisors.
check6 :: Bool
check6 = ((7^3*11^2*13^3 :: Integer) == 91182091)

-- Find the remainder when 17^{262} is divided by 11.
check7 :: Bool
check7 = ((17 :: Integer) ^ 262 `mod` 11 == 3)

-- Factor 18 into primes and count its positive divisors.
check8 :: Bool
check8 = ((2^1*3^2 :: Integer) == 18)

-- Compute \gcd(1462, 391) and write it as an integer combination of 1462 and 391.
check9 :: Bool
check9 = (gcd 1462 391 == (17 :: Integer)) && (((-4)*1462 + 15*391 :: Integer) == 17)

-- Solve the system \begin{aligned} 6x - 6y &= 42 \\ -4x - 7y &= 38 \end{aligned}
check10 :: Bool
check10 = ((6*1 + (-6)*(-6) :: Integer) == 42) && (((-4)*1 + (-7)*(-6) :: Integer) == 38)

allChecks :: Bool
allChecks = and [check0, check1, check2, check3, check4, check5, check6, check7, check8, check9, check10]
