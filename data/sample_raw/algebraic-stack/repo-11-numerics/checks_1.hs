-- Worked examples: binomial, factorization, powmod, pythagoras, sum_of_squares.
module FactorizationChecks where

import Numeric.LinearAlgebra

-- Factor 36125 into primes and count its positive divisors.
check0 :: Bool
check0 = ((5^3*17^2 :: Integer) == 36125)

-- Find the remainder when 20^{75} is divided by 23.
check1 :: Bool
check1 = ((20 :: Integer) ^ 75 `mod` 23 == 5)

-- A fair coin is tossed 10 times. What is the probability of exactly 4 heads?
check2 :: Bool
check2 = (product [7..10] `div` product [1..4] == (210 :: Integer))

-- Show that 1^2 + 2^2 + \dots + 30^2 = 9455.
check3 :: Bool
check3 = ((30*(30 + 1)*(2*30 + 1) :: Integer) == 56730)

-- A right triangle has legs 55 and 300. Find its hypotenuse and its area.
check4 :: Bool
check4 = ((55^2 + 300^2 :: Integer) == 93025)

-- Factor 391 into primes and count its positive divisors.
check5 :: Bool
check5 = ((17^1*23^1 :: Integer) == 391)

-- A fair coin is tossed 15 times. What is the probability of exactly 13 heads?
check6 :: Bool
check6 = (product [3..15] `div` product [1..13] == (105 :: Integer))

allChecks :: Bool
allChecks = and [check0, check1, check2, check3, check4, check5, check6]
