theory Checks_010
  imports Main "HOL-Computational_Algebra.Primes"
begin

text \<open>Solve the system \begin{aligned} -5x - 2y &= -52 \\ -6x - 4y &= -72 \end{aligned}\<close>
lemma linsys_eq1_52_72: "((-5)*8 + (-2)*6 :: int) = -52"
  by simp

text \<open>Solve the system \begin{aligned} -5x - 2y &= -52 \\ -6x - 4y &= -72 \end{aligned}\<close>
lemma linsys_eq2_52_72: "((-6)*8 + (-4)*6 :: int) = -72"
  by simp

text \<open>Factor 1659878 into primes and count its positive divisors.\<close>
lemma factor_1659878: "(2^1*11^2*19^3 :: int) = 1659878"
  by simp

text \<open>A right triangle has legs 117 and 240. Find its hypotenuse and its area.\<close>
lemma pythagoras_117_240_267: "(117^2 + 240^2 :: int) = 71289"
  by simp

text \<open>Factor 491300 into primes and count its positive divisors.\<close>
lemma factor_491300: "(2^2*5^2*17^3 :: int) = 491300"
  by simp

text \<open>A fair coin is tossed 15 times. What is the probability of exactly 3 heads?\<close>
lemma choose_15_3: "(15::nat) choose 3 = 455"
  by eval

text \<open>A fair coin is tossed 4 times. What is the probability of exactly 3 heads?\<close>
lemma choose_4_3: "(4::nat) choose 3 = 4"
  by eval

text \<open>A right triangle has legs 15 and 20. Find its hypotenuse and its area.\<close>
lemma pythagoras_15_20_25: "(15^2 + 20^2 :: int) = 625"
  by simp

text \<open>Compute \gcd(2072, 644) and write it as an integer combination of 2072 and 644.\<close>
lemma gcd_2072_644: "gcd (2072::nat) 644 = 28"
  by eval

text \<open>Compute \gcd(2072, 644) and write it as an integer combination of 2072 and 644.\<close>
lemma bezout_2072_644: "((-9)*2072 + 29*644 :: int) = 28"
  by simp

text \<open>Show that 1^2 + 2^2 + \dots + 20^2 = 2870.\<close>
lemma sum_squares_20: "(20*(20 + 1)*(2*20 + 1) :: int) = 17220"
  by simp

text \<open>Find all real solutions of the equation x^2 - 15x + 36 = 0.\<close>
lemma quadratic_root_3_12_a: "(3^2 - 15*3 + 36 :: int) = 0"
  by simp

text \<open>Find all real solutions of the equation x^2 - 15x + 36 = 0.\<close>
lemma quadratic_root_3_12_b: "(12^2 - 15*12 + 36 :: int) = 0"
  by simp

text \<open>Find all real solutions of the equation x^2 - 15x + 36 = 0.\<close>
lemma quadratic_disc_15_36: "((-15)^2 - 4*36 :: int) = 81"
  by simp

end
