-- Worked examples: gcd, linear_system, pythagoras, quadratic, sum_of_squares.
module QuadraticChecks where

import qualified Statistics.Sample as S

-- Solve the equation x^2 + 15x + 50 = 0.
check0 :: Bool
check0 = (((-10)^2 + 15*(-10) + 50 :: Integer) == 0) && (((-5)^2 + 15*(-5) + 50 :: Integer) == 0) && ((15^2 - 4*50 :: Integer) == 25)

-- Show that 1^2 + 2^2 + \dots + 18^2 = 2109.
check1 :: Bool
check1 = ((18*(18 + 1)*(2*18 + 1) :: Integer) == 12654)

-- Solve the system \begin{aligned} 3x + 4y &= 30 \\ -4x - 6y &= -44 \end{aligned}
check2 :: Bool
check2 = ((3*2 + 4*6 :: Integer) == 30) && (((-4)*2 + (-6)*6 :: Integer) == (-44))

-- Find all real solutions of the equation x^2 + 8x - 20 = 0.
check3 :: Bool
check3 = (((-10)^2 + 8*(-10) - 20 :: Integer) == 0) && ((2^2 + 8*2 - 20 :: Integer) == 0) && ((8^2 - 4*(-20) :: Integer) == 144)

-- Compute \gcd(875, 200) and write it as an integer combination of 875 and 200.
check4 :: Bool
check4 = (gcd 875 200 == (25 :: Integer)) && ((3*875 + (-13)*200 :: Integer) == 25)

-- Solve the system \begin{aligned} -1x - 6y &= -18 \\ 6x - 3y &= 30 \end{aligned}
check5 :: Bool
check5 = (((-1)*6 + (-6)*2 :: Integer) == (-18)) && ((6*6 + (-3)*2 :: Integer) == 30)

-- Compute \gcd(396, 243) and write it as an integer combination of 396 and 243.
check6 :: Bool
check6 = (gcd 396 243 == (9 :: Integer)) && ((8*396 + (-13)*243 :: Integer) == 9)

-- Show that 1^2 + 2^2 + \dots + 35^2 = 14910.
check7 :: Bool
check7 = ((35*(35 + 1)*(2*35 + 1) :: Integer) == 89460)

-- Solve the system \begin{aligned} 4x - 6y &= 32 \\ -1x + 3y &= -11 \end{aligned}
check8 :: Bool
check8 = ((4*5 + (-6)*(-2) :: Integer) == 32) && (((-1)*5 + 3*(-2) :: Integer) == (-11))

-- Solve the system \begin{aligned} 2x + 6y &= 4 \\ -3x - 1y &= 2 \end{aligned}
check9 :: Bool
check9 = ((2*(-1) + 6*1 :: Integer) == 4) && (((-3)*(-1) + (-1)*1 :: Integer) == 2)

-- A right triangle has legs 144 and 420. Find its hypotenuse and its area.
check10 :: Bool
check10 = ((144^2 + 420^2 :: Integer) == 197136)

allChecks :: Bool
allChecks = and [check0, check1, check2, check3, check4, check5, check6, check7, check8, check9, check10]
