import Mathlib

namespace Examples_05

/-- Show that 1^2 + 2^2 + \dots + 37^2 = 17575. -/
lemma sum_squares_37 : (37*(37 + 1)*(2*37 + 1) : ℤ) = 105450 := by
  norm_num

/-- Factor 297418875 into primes and count its positive divisors. -/
lemma factor_297418875 : (3^1*5^3*13^3*19^2 : ℤ) = 297418875 := by
  norm_num

/-- A right triangle has legs 195 and 400. Find its hypotenuse and its area. -/
lemma pythagoras_195_400_445 : (195^2 + 400^2 : ℤ) = 198025 := by
  norm_num

/-- Compute \gcd(1615, 437) and write it as an integer combination of 1615 and 437. -/
lemma gcd_1615_437 : Nat.gcd 1615 437 = 19 := by
  decide

/-- Compute \gcd(1615, 437) and write it as an integer combination of 1615 and 437. -/
example : ((-10)*1615 + 37*437 : ℤ) = 19 := by
  norm_num

/-- Find the remainder when 57^{330} is divided by 17. -/
lemma powmod_57_330_17 : 57 ^ 330 % 17 = 15 := by
  norm_num

/-- Compute \gcd(1876, 336) and write it as an integer combination of 1876 and 336. -/
theorem gcd_1876_336 : Nat.gcd 1876 336 = 28 := by
  decide

/-- Compute \gcd(1876, 336) and write it as an integer combination of 1876 and 336. -/
example : ((-5)*1876 + 28*336 : ℤ) = 28 := by
  norm_num

/-- A right triangle has legs 144 and 108. Find its hypotenuse and its area. -/
theorem pythagoras_144_108_180 : (144^2 + 108^2 : ℤ) = 32400 := by
  norm_num

/-- Factor 46769071976 into primes and count its positive divisors. -/
theorem factor_46769071976 : (2^3*11^3*19^2*23^3 : ℤ) = 46769071976 := by
  norm_num

/-- A right triangle has legs 3 and 4. Find its hypotenuse and its area. -/
theorem pythagoras_3_4_5 : (3^2 + 4^2 : ℤ) = 25 := by
  norm_num

/-- Solve the system \begin{aligned} 1x - 2y &= -7 \\ -7x + 4y &= -21 \end{aligned} -/
lemma linsys_eq1_7_21 : (1*7 + (-2)*7 : ℤ) = -7 := by
  norm_num

/-- Solve the system \begin{aligned} 1x - 2y &= -7 \\ -7x + 4y &= -21 \end{aligned} -/
example : ((-7)*7 + 4*7 : ℤ) = -21 := by
  norm_num

end Examples_05
