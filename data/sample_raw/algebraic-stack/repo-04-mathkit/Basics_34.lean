import Mathlib

namespace Basics_34

/-- Compute \gcd(78, 32) and write it as an integer combination of 78 and 32. -/
lemma gcd_78_32 : Nat.gcd 78 32 = 2 := by
  decide

/-- Compute \gcd(78, 32) and write it as an integer combination of 78 and 32. -/
example : (7*78 + (-17)*32 : ℤ) = 2 := by
  norm_num

/-- Find the remainder when 20^{53} is divided by 37. -/
lemma powmod_20_53_37 : 20 ^ 53 % 37 = 24 := by
  norm_num

/-- Find the remainder when 4^{151} is divided by 41. -/
theorem powmod_4_151_41 : 4 ^ 151 % 41 = 4 := by
  norm_num

/-- Find the remainder when 38^{220} is divided by 41. -/
theorem powmod_38_220_41 : 38 ^ 220 % 41 = 40 := by
  norm_num

/-- Show that 1^2 + 2^2 + \dots + 6^2 = 91. -/
lemma sum_squares_6 : (6*(6 + 1)*(2*6 + 1) : ℤ) = 546 := by
  norm_num

/-- Determine the roots of the equation x^2 - 14x + 40 = 0. -/
lemma quadratic_root_4_10_a : (4^2 - 14*4 + 40 : ℤ) = 0 := by
  norm_num

/-- Determine the roots of the equation x^2 - 14x + 40 = 0. -/
example : (10^2 - 14*10 + 40 : ℤ) = 0 := by
  norm_num

/-- Determine the roots of the equation x^2 - 14x + 40 = 0. -/
example : ((-14)^2 - 4*40 : ℤ) = 36 := by
  norm_num

/-- Find the remainder when 44^{159} is divided by 13. -/
theorem powmod_44_159_13 : 44 ^ 159 % 13 = 8 := by
  norm_num

/-- A right triangle has legs 240 and 54. Find its hypotenuse and its area. -/
lemma pythagoras_240_54_246 : (240^2 + 54^2 : ℤ) = 60516 := by
  norm_num

end Basics_34
