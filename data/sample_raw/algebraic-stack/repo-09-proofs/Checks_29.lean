import Mathlib

namespace Checks_29

/-- Find the remainder when 29^{314} is divided by 19. -/
theorem powmod_29_314_19 : 29 ^ 314 % 19 = 17 := by
  norm_num

/-- Find all real solutions of the equation x^2 + 6x - 27 = 0. -/
lemma quadratic_root_9_3_a : ((-9)^2 + 6*(-9) - 27 : ℤ) = 0 := by
  norm_num

/-- Find all real solutions of the equation x^2 + 6x - 27 = 0. -/
example : (3^2 + 6*3 - 27 : ℤ) = 0 := by
  norm_num

/-- Find all real solutions of the equation x^2 + 6x - 27 = 0. -/
example : (6^2 - 4*(-27) : ℤ) = 144 := by
  norm_num

/-- Compute \gcd(2010, 1740) and write it as an integer combination of 2010 and 1740. -/
lemma gcd_2010_1740 : Nat.gcd 2010 1740 = 30 := by
  decide

/-- Compute \gcd(2010, 1740) and write it as an integer combination of 2010 and 1740. -/
example : (13*2010 + (-15)*1740 : ℤ) = 30 := by
  norm_num

/-- Find the remainder when 37^{202} is divided by 43. -/
lemma powmod_37_202_43 : 37 ^ 202 % 43 = 6 := by
  norm_num

/-- Show that 1^2 + 2^2 + \dots + 34^2 = 13685. -/
lemma sum_squares_34 : (34*(34 + 1)*(2*34 + 1) : ℤ) = 82110 := by
  norm_num

/-- Solve the equation x^2 - 4x - 77 = 0. -/
theorem quadratic_root_7_11_a : ((-7)^2 - 4*(-7) - 77 : ℤ) = 0 := by
  norm_num

/-- Solve the equation x^2 - 4x - 77 = 0. -/
example : (11^2 - 4*11 - 77 : ℤ) = 0 := by
  norm_num

/-- Solve the equation x^2 - 4x - 77 = 0. -/
example : ((-4)^2 - 4*(-77) : ℤ) = 324 := by
  norm_num

/-- Find the remainder when 18^{219} is divided by 11. -/
theorem powmod_18_219_11 : 18 ^ 219 % 11 = 8 := by
  norm_num

/-- Show that 1^2 + 2^2 + \dots + 39^2 = 20540. -/
theorem sum_squares_39 : (39*(39 + 1)*(2*39 + 1) : ℤ) = 123240 := by
  norm_num

/-- Find the remainder when 57^{218} is divided by 11. -/
lemma powmod_57_218_11 : 57 ^ 218 % 11 = 3 := by
  norm_num

/-- A right triangle has legs 3 and 4. Find its hypotenuse and its area. -/
theorem pythagoras_3_4_5 : (3^2 + 4^2 : ℤ) = 25 := by
  norm_num

/-- Factor 16581375 into primes and count its positive divisors. -/
theorem factor_16581375 : (3^3*5^3*17^3 : ℤ) = 16581375 := by
  norm_num

/-- A right triangle has legs 9 and 12. Find its hypotenuse and its area. -/
lemma pythagoras_9_12_15 : (9^2 + 12^2 : ℤ) = 225 := by
  norm_num

end Checks_29
