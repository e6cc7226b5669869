-- Worked examples: binomial, gcd, linear_system, powmod, pythagoras, sum_of_squares.
module LinearSystemChecks where

import Data.Complex

-- Solve the system \begin{aligned} -2x + 7y &= -74 \\ -7x + 2y &= -79 \end{aligned}
check0 :: Bool
check0 = (((-2)*9 + 7*(-8) :: Integer) == (-74)) && (((-7)*9 + 2*(-8) :: Integer) == (-79))

-- Solve the system \begin{aligned} -7x - 5y &= -31 \\ -2x - 7y &= -20 \end{aligned}
check1 :: Bool
check1 = (((-7)*3 + (-5)*2 :: Integer) == (-31)) && (((-2)*3 + (-7)*2 :: Integer) == (-20))

-- Show that 1^2 + 2^2 + \dots + 17^2 = 1785.
check2 :: Bool
check2 = ((17*(17 + 1)*(2*17 + 1) :: Integer) == 10710)

-- Find the remainder when 58^{141} is divided by 23.
check3 :: Bool
check3 = ((58 :: Integer) ^ 141 `mod` 23 == 4)

-- Solve the system \begin{aligned} -1x - 7y &= -16 \\ 6x - 6y &= 48 \end{aligned}
check4 :: Bool
check4 = (((-1)*9 + (-7)*1 :: Integer) == (-16)) && ((6*9 + (-6)*1 :: Integer) == 48)

-- A fair coin is tossed 4 times. What is the probability of exactly 1 heads?
check5 :: Bool
check5 = (product [4..4] `div` product [1..1] == (4 :: Integer))

-- A right triangle has legs 14 and 48. Find its hypotenuse and its area.
check6 :: Bool
check6 = ((14^2 + 48^2 :: Integer) == 2500)

-- A right triangle has legs 130 and 144. Find its hypotenuse and its area.
check7 :: Bool
check7 = ((130^2 + 144^2 :: Integer) == 37636)

-- Find the remainder when 19^{109} is divided by 7.
check8 :: Bool
check8 = ((19 :: Integer) ^ 109 `mod` 7 == 5)

-- Compute \gcd(1479, 952) and write it as an integer combination of 1479 and 952.
check9 :: Bool
check9 = (gcd 1479 952 == (17 :: Integer)) && (((-9)*1479 + 14*952 :: Integer) == 17)

-- Solve the system \begin{aligned} -7x - 4y &= -6 \\ 7x - 4y &= -34 \end{aligned}
check10 :: Bool
check10 = (((-7)*(-2) + (-4)*5 :: Integer) == (-6)) && ((7*(-2) + (-4)*5 :: Integer) == (-34))

-- Solve the system \begin{aligned} -7x - 2y &= 30 \\ -2x - 3y &= -6 \end{aligned}
check11 :: Bool
check11 = (((-7)*(-6) + (-2)*6 :: Integer) == 30) && (((-2)*(-6) + (-3)*6 :: Integer) == (-6))

allChecks :: Bool
allChecks = and [check0, check1, check2, check3, check4, check5, check6, check7, check8, check9, check10, check11]
