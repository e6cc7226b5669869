theory Problems_717
  imports Main "HOL-Computational_Algebra.Primes"
begin

text \<open>Solve the equation x^2 - 18x + 77 = 0.\<close>
lemma quadratic_root_7_11_a: "(7^2 - 18*7 + 77 :: int) = 0"
  by simp

text \<open>Solve the equation x^2 - 18x + 77 = 0.\<close>
lemma quadratic_root_7_11_b: "(11^2 - 18*11 + 77 :: int) = 0"
  by simp

text \<open>Solve the equation x^2 - 18x + 77 = 0.\<close>
lemma quadratic_disc_18_77: "((-18)^2 - 4*77 :: int) = 16"
  by simp

text \<open>Solve the system \begin{aligned} 6x + 2y &= -14 \\ -1x - 7y &= 49 \end{aligned}\<close>
lemma linsys_eq1_14_49: "(6*0 + 2*(-7) :: int) = -14"
  by simp

text \<open>Solve the system \begin{aligned} 6x + 2y &= -14 \\ -1x - 7y &= 49 \end{aligned}\<close>
lemma linsys_eq2_14_49: "((-1)*0 + (-7)*(-7) :: int) = 49"
  by simp

text \<open>Factor 13718 into primes and count its positive divisors.\<close>
lemma factor_13718: "(2^1*19^3 :: int) = 13718"
  by simp

text \<open>Show that 1^2 + 2^2 + \dots + 38^2 = 19019.\<close>
lemma sum_squares_38: "(38*(38 + 1)*(2*38 + 1) :: int) = 114114"
  by simp

text \<open>Show that 1^2 + 2^2 + \dots + 9^2 = 285.\<close>
lemma sum_squares_9: "(9*(9 + 1)*(2*9 + 1) :: int) = 1710"
  by simp

text \<open>A fair coin is tossed 7 times. What is the probability of exactly 4 heads?\<close>
lemma choose_7_4: "(7::nat) choose 4 = 35"
  by eval

text \<open>Show that 1^2 + 2^2 + \dots + 33^2 = 12529.\<close>
lemma sum_squares_33: "(33*(33 + 1)*(2*33 + 1) :: int) = 75174"
  by simp

text \<open>Determine the roots of the equation x^2 - 8x - 48 = 0.\<close>
lemma quadratic_root_4_12_a: "((-4)^2 - 8*(-4) - 48 :: int) = 0"
  by simp

text \<open>Determine the roots of the equation x^2 - 8x - 48 = 0.\<close>
lemma quadratic_root_4_12_b: "(12^2 - 8*12 - 48 :: int) = 0"
  by simp

text \<open>Determine the roots of the equation x^2 - 8x - 48 = 0.\<close>
lemma quadratic_disc_8_48: "((-8)^2 - 4*(-48) :: int) = 256"
  by simp

text \<open>A fair coin is tossed 9 times. What is the probability of exactly 8 heads?\<close>
lemma choose_9_8: "(9::nat) choose 8 = 9"
  by eval

text \<open>A fair coin is tossed 13 times. What is the probability of exactly 4 heads?\<close>
lemma choose_13_4: "(13::nat) choose 4 = 715"
  by eval

text \<open>Find the remainder when 39^{125} is divided by 29.\<close>
lemma powmod_39_125_29: "(39::nat) ^ 125 mod 29 = 26"
  by eval

end
