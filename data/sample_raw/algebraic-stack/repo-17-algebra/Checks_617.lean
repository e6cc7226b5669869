import Mathlib

namespace Checks_617

/-- Show that 1^2 + 2^2 + \dots + 39^2 = 20540. -/
lemma sum_squares_39 : (39*(39 + 1)*(2*39 + 1) : ℤ) = 123240 := by
  norm_num

/-- Solve the equation x^2 - 2x - 8 = 0. -/
theorem quadratic_root_2_4_a : ((-2)^2 - 2*(-2) - 8 : ℤ) = 0 := by
  norm_num

/-- Solve the equation x^2 - 2x - 8 = 0. -/
example : (4^2 - 2*4 - 8 : ℤ) = 0 := by
  norm_num

/-- Solve the equation x^2 - 2x - 8 = 0. -/
example : ((-2)^2 - 4*(-8) : ℤ) = 36 := by
  norm_num

/-- Compute \gcd(1885, 1827) and write it as an integer combination of 1885 and 1827. -/
theorem gcd_1885_1827 : Nat.gcd 1885 1827 = 29 := by
  decide

/-- Compute \gcd(1885, 1827) and write it as an integer combination of 1885 and 1827. -/
example : ((-31)*1885 + 32*1827 : ℤ) = 29 := by
  norm_num

/-- Find the remainder when 39^{315} is divided by 43. -/
theorem powmod_39_315_43 : 39 ^ 315 % 43 = 42 := by
  norm_num

/-- Solve the equation x^2 - 4x - 96 = 0. -/
lemma quadratic_root_8_12_a : ((-8)^2 - 4*(-8) - 96 : ℤ) = 0 := by
  norm_num

/-- Solve the equation x^2 - 4x - 96 = 0. -/
example : (12^2 - 4*12 - 96 : ℤ) = 0 := by
  norm_num

/-- Solve the equation x^2 - 4x - 96 = 0. -/
example : ((-4)^2 - 4*(-96) : ℤ) = 400 := by
  norm_num

/-- Factor 1244014915 into primes and count its positive divisors. -/
theorem factor_1244014915 : (5^1*11^2*13^2*23^3 : ℤ) = 1244014915 := by
  norm_num

/-- Compute \gcd(260, 35) and write it as an integer combination of 260 and 35. -/
theorem gcd_260_35 : Nat.gcd 260 35 = 5 := by
  decide

/-- Compute \gcd(260, 35) and write it as an integer combination of 260 and 35. -/
example : ((-2)*260 + 15*35 : ℤ) = 5 := by
  norm_num

/-- A fair coin is tossed 8 times. What is the probability of exactly 7 heads? -/
lemma choose_8_7 : Nat.choose 8 7 = 8 := by
  decide

/-- A fair coin is tossed 14 times. What is the probability of exactly 6 heads? -/
theorem choose_14_6 : Nat.choose 14 6 = 3003 := by
  decide

/-- Determine the roots of the equation x^2 + 6x - 40 = 0. -/
lemma quadratic_root_10_4_a : ((-10)^2 + 6*(-10) - 40 : ℤ) = 0 := by
  norm_num

/-- Determine the roots of the equation x^2 + 6x - 40 = 0. -/
example : (4^2 + 6*4 - 40 : ℤ) = 0 := by
  norm_num

/-- Determine the roots of the equation x^2 + 6x - 40 = 0. -/
example : (6^2 - 4*(-40) : ℤ) = 196 := by
  norm_num

/-- Determine the roots of the equation x^2 + 17x + 70 = 0. -/
lemma quadratic_root_10_7_a : ((-10)^2 + 17*(-10) + 70 : ℤ) = 0 := by
  norm_num

/-- Determine the roots of the equation x^2 + 17x + 70 = 0. -/
example : ((-7)^2 + 17*(-7) + 70 : ℤ) = 0 := by
  norm_num

/-- Determine the roots of the equation x^2 + 17x + 70 = 0. -/
example : (17^2 - 4*70 : ℤ) = 9 := by
  norm_num

/-- Show that 1^2 + 2^2 + \dots + 17^2 = 1785. -/
theorem sum_squares_17 : (17*(17 + 1)*(2*17 + 1) : ℤ) = 10710 := by
  norm_num

end Checks_617
