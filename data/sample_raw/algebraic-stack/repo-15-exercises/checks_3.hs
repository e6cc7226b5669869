-- Worked examples: factorization, gcd, linear_system, pythagoras, sum_of_squares.
module GcdChecks where

import Data.Complex

-- Compute \gcd(1245, 330) and write it as an integer combination of 1245 and 330.
check0 :: Bool
check0 = (gcd 1245 330 == (15 :: Integer)) && (((-9)*1245 + 34*330 :: Integer) == 15)

-- Factor 842102404 into primes and count its positive divisors.
check1 :: Bool
check1 = ((2^2*11^3*13^1*23^3 :: Integer) == 842102404)

-- Show that 1^2 + 2^2 + \dots + 25^2 = 5525.
check2 :: Bool
check2 = ((25*(25 + 1)*(2*25 + 1) :: Integer) == 33150)

-- A right triangle has legs 195 and 400. Find its hypotenuse and its area.
check3 :: Bool
check3 = ((195^2 + 400^2 :: Integer) == 198025)

-- A right triangle has legs 48 and 36. Find its hypotenuse and its area.
check4 :: Bool
check4 = ((48^2 + 36^2 :: Integer) == 3600)

-- Solve the system \begin{aligned} 7x - 7y &= 28 \\ 7x - 4y &= 16 \end{aligned}
check5 :: Bool
check5 = ((7*0 + (-7)*(-4) :: Integer) == 28) && ((7*0 + (-4)*(-4) :: Integer) == 16)

-- A right triangle has legs 96 and 72. Find its hypotenuse and its area.
check6 :: Bool
check6 = ((96^2 + 72^2 :: Integer) == 14400)

allChecks :: Bool
allChecks = and [check0, check1, check2, check3, check4, check5, check6]
