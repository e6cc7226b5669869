-- Worked examples: factorization, gcd, powmod, pythagoras, sum_of_squares.
module FactorizationChecks where

import Data.Complex

-- Factor 823080 into primes and count its positive divisors.
check0 :: Bool
check0 = ((2^3*3^1*5^1*19^3 :: Integer) == 823080)

-- A right triangle has legs 55 and 300. Find its hypotenuse and its area.
check1 :: Bool
check1 = ((55^2 + 300^2 :: Integer) == 93025)

-- Find the remainder when 60^{240} is divided by 41.
check2 :: Bool
check2 = ((60 :: Integer) ^ 240 `mod` 41 == 1)

-- Find the remainder when 53^{315} is divided by 29.
check3 :: Bool
check3 = ((53 :: Integer) ^ 315 `mod` 29 == 1)

-- Show that 1^2 + 2^2 + \dots + 38^2 = 19019.
check4 :: Bool
check4 = ((38*(38 + 1)*(2*38 + 1) :: Integer) == 114114)

-- Find the remainder when 16^{307} is divided by 17.
check5 :: Bool
check5 = ((16 :: Integer) ^ 307 `mod` 17 == 16)

-- Factor 108086 into primes and count its positive divisors.
check6 :: Bool
check6 = ((2^1*11^1*17^3 :: Integer) == 108086)

-- Compute \gcd(1809, 837) and write it as an integer combination of 1809 and 837.
check7 :: Bool
check7 = (gcd 1809 837 == (27 :: Integer)) && (((-6)*1809 + 13*837 :: Integer) == 27)

-- A right triangle has legs 220 and 192. Find its hypotenuse and its area.
check8 :: Bool
check8 = ((220^2 + 192^2 :: Integer) == 85264)

allChecks :: Bool
allChecks = and [check0, check1, check2, check3, check4, check5, check6, check7, check8]
