theory Basics_20
  imports Main "HOL-Computational_Algebra.Primes"
begin

text \<open>Find the remainder when 15^{294} is divided by 13.\<close>
lemma powmod_15_294_13: "(15::nat) ^ 294 mod 13 = 12"
  by eval

text \<open>A fair coin is tossed 16 times. What is the probability of exactly 13 heads?\<close>
lemma choose_16_13: "(16::nat) choose 13 = 560"
  by eval

text \<open>Find the remainder when 18^{22} is divided by 37.\<close>
lemma powmod_18_22_37: "(18::nat) ^ 22 mod 37 = 30"
  by eval

text \<open>A right triangle has legs 16 and 12. Find its hypotenuse and its area.\<close>
lemma pythagoras_16_12_20: "(16^2 + 12^2 :: int) = 400"
  by simp

text \<open>Find all real solutions of the equation x^2 - 6x - 72 = 0.\<close>
lemma quadratic_root_6_12_a: "((-6)^2 - 6*(-6) - 72 :: int) = 0"
  by simp

text \<open>Find all real solutions of the equation x^2 - 6x - 72 = 0.\<close>
lemma quadratic_root_6_12_b: "(12^2 - 6*12 - 72 :: int) = 0"
  by simp

text \<open>Find all real solutions of the equation x^2 - 6x - 72 = 0.\<close>
lemma quadratic_disc_6_72: "((-6)^2 - 4*(-72) :: int) = 324"
  by simp

text \<open>A right triangle has legs 80 and 18. Find its hypotenuse and its area.\<close>
lemma pythagoras_80_18_82: "(80^2 + 18^2 :: int) = 6724"
  by simp

text \<open>Solve the system \begin{aligned} 7x + 1y &= 17 \\ 6x + 3y &= 21 \end{aligned}\<close>
lemma linsys_eq1_17_21: "(7*2 + 1*3 :: int) = 17"
  by simp

text \<open>Solve the system \begin{aligned} 7x + 1y &= 17 \\ 6x + 3y &= 21 \end{aligned}\<close>
lemma linsys_eq2_17_21: "(6*2 + 3*3 :: int) = 21"
  by simp

text \<open>Solve the system \begin{aligned} 1x - 3y &= 5 \\ -6x - 3y &= 12 \end{aligned}\<close>
lemma linsys_eq1_5_12: "(1*(-1) + (-3)*(-2) :: int) = 5"
  by simp

text \<open>Solve the system \begin{aligned} 1x - 3y &= 5 \\ -6x - 3y &= 12 \end{aligned}\<close>
lemma linsys_eq2_5_12: "((-6)*(-1) + (-3)*(-2) :: int) = 12"
  by simp

text \<open>Find all real solutions of the equation x^2 - 4x - 12 = 0.\<close>
lemma quadratic_root_2_6_a: "((-2)^2 - 4*(-2) - 12 :: int) = 0"
  by simp

text \<open>Find all real solutions of the equation x^2 - 4x - 12 = 0.\<close>
lemma quadratic_root_2_6_b: "(6^2 - 4*6 - 12 :: int) = 0"
  by simp

text \<open>Find all real solutions of the equation x^2 - 4x - 12 = 0.\<close>
lemma quadratic_disc_4_12: "((-4)^2 - 4*(-12) :: int) = 64"
  by simp

end
