theory Basics_214
  imports Main "HOL-Computational_Algebra.Primes"
begin

text \<open>Compute \gcd(2047, 414) and write it as an integer combination of 2047 and 414.\<close>
lemma gcd_2047_414: "gcd (2047::nat) 414 = 23"
  by eval

text \<open>Compute \gcd(2047, 414) and write it as an integer combination of 2047 and 414.\<close>
lemma bezout_2047_414: "((-1)*2047 + 5*414 :: int) = 23"
  by simp

text \<open>A fair coin is tossed 8 times. What is the probability of exactly 5 heads?\<close>
lemma choose_8_5: "(8::nat) choose 5 = 56"
  by eval

text \<open>Find the remainder when 18^{155} is divided by 43.\<close>
lemma powmod_18_155_43: "(18::nat) ^ 155 mod 43 = 3"
  by eval

text \<open>Solve the system \begin{aligned} 4x + 5y &= -16 \\ 7x - 1y &= -67 \end{aligned}\<close>
lemma linsys_eq1_16_67: "(4*(-9) + 5*4 :: int) = -16"
  by simp

text \<open>Solve the system \begin{aligned} 4x + 5y &= -16 \\ 7x - 1y &= -67 \end{aligned}\<close>
lemma linsys_eq2_16_67: "(7*(-9) + (-1)*4 :: int) = -67"
  by simp

text \<open>A fair coin is tossed 12 times. What is the probability of exactly 10 heads?\<close>
lemma choose_12_10: "(12::nat) choose 10 = 66"
  by eval

text \<open>A right triangle has legs 15 and 20. Find its hypotenuse and its area.\<close>
lemma pythagoras_15_20_25: "(15^2 + 20^2 :: int) = 625"
  by simp

text \<open>Solve the system \begin{aligned} -3x - 1y &= 20 \\ -7x + 1y &= 50 \end{aligned}\<close>
lemma linsys_eq1_20_50: "((-3)*(-7) + (-1)*1 :: int) = 20"
  by simp

text \<open>Solve the system \begin{aligned} -3x - 1y &= 20 \\ -7x + 1y &= 50 \end{aligned}\<close>
lemma linsys_eq2_20_50: "((-7)*(-7) + 1*1 :: int) = 50"
  by simp

text \<open>Find the remainder when 41^{292} is divided by 31.\<close>
lemma powmod_41_292_31: "(41::nat) ^ 292 mod 31 = 20"
  by eval

text \<open>Show that 1^2 + 2^2 + \dots + 22^2 = 3795.\<close>
lemma sum_squares_22: "(22*(22 + 1)*(2*22 + 1) :: int) = 22770"
  by simp

end
