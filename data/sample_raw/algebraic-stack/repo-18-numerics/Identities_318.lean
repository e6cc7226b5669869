import Mathlib

namespace Identities_318

/-- Compute \gcd(684, 552) and write it as an integer combination of 684 and 552. -/
lemma gcd_684_552 : Nat.gcd 684 552 = 12 := by
  decide

/-- Compute \gcd(684, 552) and write it as an integer combination of 684 and 552. -/
example : (21*684 + (-26)*552 : ℤ) = 12 := by
  norm_num

/-- Show that 1^2 + 2^2 + \dots + 16^2 = 1496. -/
theorem sum_squares_16 : (16*(16 + 1)*(2*16 + 1) : ℤ) = 8976 := by
  norm_num

/-- Factor 563108 into primes and count its positive divisors. -/
lemma factor_563108 : (2^2*7^2*13^2*17^1 : ℤ) = 563108 := by
  norm_num

/-- Show that 1^2 + 2^2 + \dots + 20^2 = 2870. -/
lemma sum_squares_20 : (20*(20 + 1)*(2*20 + 1) : ℤ) = 17220 := by
  norm_num

/-- A fair coin is tossed 8 times. What is the probability of exactly 3 heads? -/
lemma choose_8_3 : Nat.choose 8 3 = 56 := by
  decide

/-- Compute \gcd(1342, 286) and write it as an integer combination of 1342 and 286. -/
theorem gcd_1342_286 : Nat.gcd 1342 286 = 22 := by
  decide

/-- Compute \gcd(1342, 286) and write it as an integer combination of 1342 and 286. -/
example : (3*1342 + (-14)*286 : ℤ) = 22 := by
  norm_num

/-- A right triangle has legs 16 and 30. Find its hypotenuse and its area. -/
theorem pythagoras_16_30_34 : (16^2 + 30^2 : ℤ) = 1156 := by
  norm_num

/-- Factor 118681277 into primes and count its positive divisors. -/
theorem factor_118681277 : (11^3*13^1*19^3 : ℤ) = 118681277 := by
  norm_num

/-- A right triangle has legs 117 and 240. Find its hypotenuse and its area. -/
lemma pythagoras_117_240_267 : (117^2 + 240^2 : ℤ) = 71289 := by
  norm_num

/-- Show that 1^2 + 2^2 + \dots + 32^2 = 11440. -/
lemma sum_squares_32 : (32*(32 + 1)*(2*32 + 1) : ℤ) = 68640 := by
  norm_num

/-- Compute \gcd(1200, 380) and write it as an integer combination of 1200 and 380. -/
theorem gcd_1200_380 : Nat.gcd 1200 380 = 20 := by
  decide

/-- Compute \gcd(1200, 380) and write it as an integer combination of 1200 and 380. -/
example : ((-6)*1200 + 19*380 : ℤ) = 20 := by
  norm_num

/-- Factor 224939 into primes and count its positive divisors. -/
theorem factor_224939 : (11^3*13^2 : ℤ) = 224939 := by
  norm_num

end Identities_318
