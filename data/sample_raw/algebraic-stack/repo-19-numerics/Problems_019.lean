import Mathlib

namespace Problems_019

/-- Factor 3757 into primes and count its positive divisors. -/
lemma factor_3757 : (13^1*17^2 : ℤ) = 3757 := by
  norm_num

/-- A fair coin is tossed 4 times. What is the probability of exactly 3 heads? -/
lemma choose_4_3 : Nat.choose 4 3 = 4 := by
  decide

/-- Factor 207575 into primes and count its positive divisors. -/
theorem factor_207575 : (5^2*19^2*23^1 : ℤ) = 207575 := by
  norm_num

/-- A fair coin is tossed 8 times. What is the probability of exactly 6 heads? -/
theorem choose_8_6 : Nat.choose 8 6 = 28 := by
  decide

/-- Compute \gcd(1826, 242) and write it as an integer combination of 1826 and 242. -/
lemma gcd_1826_242 : Nat.gcd 1826 242 = 22 := by
  decide

/-- Compute \gcd(1826, 242) and write it as an integer combination of 1826 and 242. -/
example : (2*1826 + (-15)*242 : ℤ) = 22 := by
  norm_num

/-- A right triangle has legs 48 and 140. Find its hypotenuse and its area. -/
lemma pythagoras_48_140_148 : (48^2 + 140^2 : ℤ) = 21904 := by
  norm_num

/-- Find the remainder when 2^{30} is divided by 19. -/
lemma powmod_2_30_19 : 2 ^ 30 % 19 = 11 := by
  norm_num

/-- A right triangle has legs 30 and 72. Find its hypotenuse and its area. -/
lemma pythagoras_30_72_78 : (30^2 + 72^2 : ℤ) = 6084 := by
  norm_num

/-- Factor 138 into primes and count its positive divisors. -/
theorem factor_138 : (2^1*3^1*23^1 : ℤ) = 138 := by
  norm_num

/-- A fair coin is tossed 11 times. What is the probability of exactly 4 heads? -/
lemma choose_11_4 : Nat.choose 11 4 = 330 := by
  decide

end Problems_019
