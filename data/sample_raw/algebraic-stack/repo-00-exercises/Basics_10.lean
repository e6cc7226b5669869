import Mathlib

namespace Basics_10

/-- Compute \gcd(498, 486) and write it as an integer combination of 498 and 486. -/
lemma gcd_498_486 : Nat.gcd 498 486 = 6 := by
  decide

/-- Compute \gcd(498, 486) and write it as an integer combination of 498 and 486. -/
example : ((-40)*498 + 41*486 : ℤ) = 6 := by
  norm_num

/-- Compute \gcd(888, 336) and write it as an integer combination of 888 and 336. -/
lemma gcd_888_336 : Nat.gcd 888 336 = 24 := by
  decide

/-- Compute \gcd(888, 336) and write it as an integer combination of 888 and 336. -/
example : ((-3)*888 + 8*336 : ℤ) = 24 := by
  norm_num

/-- Compute \gcd(183, 102) and write it as an integer combination of 183 and 102. -/
lemma gcd_183_102 : Nat.gcd 183 102 = 3 := by
  decide

/-- Compute \gcd(183, 102) and write it as an integer combination of 183 and 102. -/
example : ((-5)*183 + 9*102 : ℤ) = 3 := by
  norm_num

/-- A fair coin is tossed 8 times. What is the probability of exactly 4 heads? -/
theorem choose_8_4 : Nat.choose 8 4 = 70 := by
  decide

/-- Show that 1^2 + 2^2 + \dots + 32^2 = 11440. -/
lemma sum_squares_32 : (32*(32 + 1)*(2*32 + 1) : ℤ) = 68640 := by
  norm_num

/-- A right triangle has legs 175 and 60. Find its hypotenuse and its area. -/
theorem pythagoras_175_60_185 : (175^2 + 60^2 : ℤ) = 34225 := by
  norm_num

/-- Find the remainder when 21^{321} is divided by 41. -/
lemma powmod_21_321_41 : 21 ^ 321 % 41 = 21 := by
  norm_num

/-- Find the remainder when 19^{187} is divided by 11. -/
theorem powmod_19_187_11 : 19 ^ 187 % 11 = 2 := by
  norm_num

/-- Show that 1^2 + 2^2 + \dots + 31^2 = 10416. -/
theorem sum_squares_31 : (31*(31 + 1)*(2*31 + 1) : ℤ) = 62496 := by
  norm_num

/-- A fair coin is tossed 12 times. What is the probability of exactly 7 heads? -/
lemma choose_12_7 : Nat.choose 12 7 = 792 := by
  decide

end Basics_10
