theory Checks_513
  imports Main "HOL-Computational_Algebra.Primes"
begin

text \<open>Compute \gcd(1840, 161) and write it as an integer combination of 1840 and 161.\<close>
lemma gcd_1840_161: "gcd (1840::nat) 161 = 23"
  by eval

text \<open>Compute \gcd(1840, 161) and write it as an integer combination of 1840 and 161.\<close>
lemma bezout_1840_161: "((-2)*1840 + 23*161 :: int) = 23"
  by simp

text \<open>Show that 1^2 + 2^2 + \dots + 33^2 = 12529.\<close>
lemma sum_squares_33: "(33*(33 + 1)*(2*33 + 1) :: int) = 75174"
  by simp

text \<open>Solve the system \begin{aligned} 5x - 3y &= 34 \\ 7x + 3y &= 62 \end{aligned}\<close>
lemma linsys_eq1_34_62: "(5*8 + (-3)*2 :: int) = 34"
  by simp

text \<open>Solve the system \begin{aligned} 5x - 3y &= 34 \\ 7x + 3y &= 62 \end{aligned}\<close>
lemma linsys_eq2_34_62: "(7*8 + 3*2 :: int) = 62"
  by simp

text \<open>Factor 173901 into primes and count its positive divisors.\<close>
lemma factor_173901: "(3^1*7^3*13^2 :: int) = 173901"
  by simp

text \<open>A right triangle has legs 144 and 42. Find its hypotenuse and its area.\<close>
lemma pythagoras_144_42_150: "(144^2 + 42^2 :: int) = 22500"
  by simp

text \<open>Show that 1^2 + 2^2 + \dots + 11^2 = 506.\<close>
lemma sum_squares_11: "(11*(11 + 1)*(2*11 + 1) :: int) = 3036"
  by simp

text \<open>A fair coin is tossed 14 times. What is the probability of exactly 12 heads?\<close>
lemma choose_14_12: "(14::nat) choose 12 = 91"
  by eval

text \<open>Determine the roots of the equation x^2 - 3x - 18 = 0.\<close>
lemma quadratic_root_3_6_a: "((-3)^2 - 3*(-3) - 18 :: int) = 0"
  by simp

text \<open>Determine the roots of the equation x^2 - 3x - 18 = 0.\<close>
lemma quadratic_root_3_6_b: "(6^2 - 3*6 - 18 :: int) = 0"
  by simp

text \<open>Determine the roots of the equation x^2 - 3x - 18 = 0.\<close>
lemma quadratic_disc_3_18: "((-3)^2 - 4*(-18) :: int) = 81"
  by simp

text \<open>A fair coin is tossed 11 times. What is the probability of exactly 1 heads?\<close>
lemma choose_11_1: "(11::nat) choose 1 = 11"
  by eval

text \<open>Solve the equation x^2 + 2x - 99 = 0.\<close>
lemma quadratic_root_11_9_a: "((-11)^2 + 2*(-11) - 99 :: int) = 0"
  by simp

text \<open>Solve the equation x^2 + 2x - 99 = 0.\<close>
lemma quadratic_root_11_9_b: "(9^2 + 2*9 - 99 :: int) = 0"
  by simp

text \<open>Solve the equation x^2 + 2x - 99 = 0.\<close>
lemma quadratic_disc_2_99: "(2^2 - 4*(-99) :: int) = 400"
  by simp

text \<open>Show that 1^2 + 2^2 + \dots + 33^2 = 12529.\<close>
lemma sum_squares_33: "(33*(33 + 1)*(2*33 + 1) :: int) = 75174"
  by simp

text \<open>Show that 1^2 + 2^2 + \dots + 6^2 = 91.\<close>
lemma sum_squares_6: "(6*(6 + 1)*(2*6 + 1) :: int) = 546"
  by simp

end
