import Mathlib

namespace Examples_114

/-- Solve the system \begin{aligned} -1x - 3y &= 15 \\ -5x - 4y &= -13 \end{aligned} -/
theorem linsys_eq1_15_13 : ((-1)*9 + (-3)*(-8) : ℤ) = 15 := by
  norm_num

/-- Solve the system \begin{aligned} -1x - 3y &= 15 \\ -5x - 4y &= -13 \end{aligned} -/
example : ((-5)*9 + (-4)*(-8) : ℤ) = -13 := by
  norm_num

/-- Compute \gcd(210, 56) and write it as an integer combination of 210 and 56. -/
lemma gcd_210_56 : Nat.gcd 210 56 = 14 := by
  decide

/-- Compute \gcd(210, 56) and write it as an integer combination of 210 and 56. -/
example : ((-1)*210 + 4*56 : ℤ) = 14 := by
  norm_num

/-- A fair coin is tossed 14 times. What is the probability of exactly 9 heads? -/
theorem choose_14_9 : Nat.choose 14 9 = 2002 := by
  decide

/-- Determine the roots of the equation x^2 - 5x - 84 = 0. -/
lemma quadratic_root_7_12_a : ((-7)^2 - 5*(-7) - 84 : ℤ) = 0 := by
  norm_num

/-- Determine the roots of the equation x^2 - 5x - 84 = 0. -/
example : (12^2 - 5*12 - 84 : ℤ) = 0 := by
  norm_num

/-- Determine the roots of the equation x^2 - 5x - 84 = 0. -/
example : ((-5)^2 - 4*(-84) : ℤ) = 361 := by
  norm_num

/-- Find all real solutions of the equation x^2 + 14x + 40 = 0. -/
theorem quadratic_root_10_4_a : ((-10)^2 + 14*(-10) + 40 : ℤ) = 0 := by
  norm_num

/-- Find all real solutions of the equation x^2 + 14x + 40 = 0. -/
example : ((-4)^2 + 14*(-4) + 40 : ℤ) = 0 := by
  norm_num

/-- Find all real solutions of the equation x^2 + 14x + 40 = 0. -/
example : (14^2 - 4*40 : ℤ) = 36 := by
  norm_num

/-- Show that 1^2 + 2^2 + \dots + 39^2 = 20540. -/
lemma sum_squares_39 : (39*(39 + 1)*(2*39 + 1) : ℤ) = 123240 := by
  norm_num

/-- Factor 293270263 into primes and count its positive divisors. -/
theorem factor_293270263 : (11^1*13^2*19^3*23^1 : ℤ) = 293270263 := by
  norm_num

/-- Factor 4225 into primes and count its positive divisors. -/
theorem factor_4225 : (5^2*13^2 : ℤ) = 4225 := by
  norm_num

/-- Factor 15379 into primes and count its positive divisors. -/
theorem factor_15379 : (7^1*13^3 : ℤ) = 15379 := by
  norm_num

end Examples_114
