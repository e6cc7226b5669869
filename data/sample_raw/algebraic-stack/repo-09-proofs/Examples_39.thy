theory Examples_39
  imports Main "HOL-Computational_Algebra.Primes"
begin

text \<open>Determine the roots of the equation x^2 + 13x + 36 = 0.\<close>
lemma quadratic_root_9_4_a: "((-9)^2 + 13*(-9) + 36 :: int) = 0"
  by simp

text \<open>Determine the roots of the equation x^2 + 13x + 36 = 0.\<close>
lemma quadratic_root_9_4_b: "((-4)^2 + 13*(-4) + 36 :: int) = 0"
  by simp

text \<open>Determine the roots of the equation x^2 + 13x + 36 = 0.\<close>
lemma quadratic_disc_13_36: "(13^2 - 4*36 :: int) = 25"
  by simp

text \<open>A fair coin is tossed 12 times. What is the probability of exactly 9 heads?\<close>
lemma choose_12_9: "(12::nat) choose 9 = 220"
  by eval

text \<open>Show that 1^2 + 2^2 + \dots + 22^2 = 3795.\<close>
lemma sum_squares_22: "(22*(22 + 1)*(2*22 + 1) :: int) = 22770"
  by simp

text \<open>Find the remainder when 45^{312} is divided by 17.\<close>
lemma powmod_45_312_17: "(45::nat) ^ 312 mod 17 = 16"
  by eval

text \<open>A fair coin is tossed 7 times. What is the probability of exactly 1 heads?\<close>
lemma choose_7_1: "(7::nat) choose 1 = 7"
  by eval

text \<open>Find the remainder when 54^{301} is divided by 11.\<close>
lemma powmod_54_301_11: "(54::nat) ^ 301 mod 11 = 10"
  by eval

text \<open>Find the remainder when 23^{98} is divided by 43.\<close>
lemma powmod_23_98_43: "(23::nat) ^ 98 mod 43 = 36"
  by eval

text \<open>A fair coin is tossed 12 times. What is the probability of exactly 5 heads?\<close>
lemma choose_12_5: "(12::nat) choose 5 = 792"
  by eval

text \<open>A fair coin is tossed 13 times. What is the probability of exactly 3 heads?\<close>
lemma choose_13_3: "(13::nat) choose 3 = 286"
  by eval

end
