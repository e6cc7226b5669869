import Mathlib

namespace Checks_413

/-- A fair coin is tossed 14 times. What is the probability of exactly 10 heads? -/
lemma choose_14_10 : Nat.choose 14 10 = 1001 := by
  decide

/-- Compute \gcd(602, 511) and write it as an integer combination of 602 and 511. -/
lemma gcd_602_511 : Nat.gcd 602 511 = 7 := by
  decide

/-- Compute \gcd(602, 511) and write it as an integer combination of 602 and 511. -/
example : ((-28)*602 + 33*511 : ℤ) = 7 := by
  norm_num

/-- Solve the system \begin{aligned} -6x - 2y &= -6 \\ 5x - 6y &= 74 \end{aligned} -/
lemma linsys_eq1_6_74 : ((-6)*4 + (-2)*(-9) : ℤ) = -6 := by
  norm_num

/-- Solve the system \begin{aligned} -6x - 2y &= -6 \\ 5x - 6y &= 74 \end{aligned} -/
example : (5*4 + (-6)*(-9) : ℤ) = 74 := by
  norm_num

/-- A fair coin is tossed 7 times. What is the probability of exactly 4 heads? -/
lemma choose_7_4 : Nat.choose 7 4 = 35 := by
  decide

/-- Find all real solutions of the equation x^2 - 7x - 8 = 0. -/
theorem quadratic_root_1_8_a : ((-1)^2 - 7*(-1) - 8 : ℤ) = 0 := by
  norm_num

/-- Find all real solutions of the equation x^2 - 7x - 8 = 0. -/
example : (8^2 - 7*8 - 8 : ℤ) = 0 := by
  norm_num

/-- Find all real solutions of the equation x^2 - 7x - 8 = 0. -/
example : ((-7)^2 - 4*(-8) : ℤ) = 81 := by
  norm_num

/-- Determine the roots of the equation x^2 - 1 = 0. -/
theorem quadratic_root_1_1_a : ((-1)^2 + 0*(-1) - 1 : ℤ) = 0 := by
  norm_num

/-- Determine the roots of the equation x^2 - 1 = 0. -/
example : (1^2 + 0*1 - 1 : ℤ) = 0 := by
  norm_num

/-- Determine the roots of the equation x^2 - 1 = 0. -/
example : (0^2 - 4*(-1) : ℤ) = 4 := by
  norm_num

/-- Show that 1^2 + 2^2 + \dots + 23^2 = 4324. -/
lemma sum_squares_23 : (23*(23 + 1)*(2*23 + 1) : ℤ) = 25944 := by
  norm_num

/-- A right triangle has legs 360 and 192. Find its hypotenuse and its area. -/
theorem pythagoras_360_192_408 : (360^2 + 192^2 : ℤ) = 166464 := by
  norm_num

/-- Solve the system \begin{aligned} -2x - 6y &= -2 \\ 7x - 1y &= -15 \end{aligned} -/
theorem linsys_eq1_2_15 : ((-2)*(-2) + (-6)*1 : ℤ) = -2 := by
  norm_num

/-- Solve the system \begin{aligned} -2x - 6y &= -2 \\ 7x - 1y &= -15 \end{aligned} -/
example : (7*(-2) + (-1)*1 : ℤ) = -15 := by
  norm_num

end Checks_413
