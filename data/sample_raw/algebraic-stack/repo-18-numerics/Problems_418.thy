theory Problems_418
  imports Main "HOL-Computational_Algebra.Primes"
begin

text \<open>A fair coin is tossed 11 times. What is the probability of exactly 6 heads?\<close>
lemma choose_11_6: "(11::nat) choose 6 = 462"
  by eval

text \<open>Solve the system \begin{aligned} 4x + 2y &= -24 \\ 1x + 7y &= -58 \end{aligned}\<close>
lemma linsys_eq1_24_58: "(4*(-2) + 2*(-8) :: int) = -24"
  by simp

text \<open>Solve the system \begin{aligned} 4x + 2y &= -24 \\ 1x + 7y &= -58 \end{aligned}\<close>
lemma linsys_eq2_24_58: "(1*(-2) + 7*(-8) :: int) = -58"
  by simp

text \<open>Solve the system \begin{aligned} 4x - 2y &= -26 \\ -7x - 1y &= 5 \end{aligned}\<close>
lemma linsys_eq1_26_5: "(4*(-2) + (-2)*9 :: int) = -26"
  by simp

text \<open>Solve the system \begin{aligned} 4x - 2y &= -26 \\ -7x - 1y &= 5 \end{aligned}\<close>
lemma linsys_eq2_26_5: "((-7)*(-2) + (-1)*9 :: int) = 5"
  by simp

text \<open>Determine the roots of the equation x^2 + 11x + 24 = 0.\<close>
lemma quadratic_root_8_3_a: "((-8)^2 + 11*(-8) + 24 :: int) = 0"
  by simp

text \<open>Determine the roots of the equation x^2 + 11x + 24 = 0.\<close>
lemma quadratic_root_8_3_b: "((-3)^2 + 11*(-3) + 24 :: int) = 0"
  by simp

text \<open>Determine the roots of the equation x^2 + 11x + 24 = 0.\<close>
lemma quadratic_disc_11_24: "(11^2 - 4*24 :: int) = 25"
  by simp

text \<open>Find the remainder when 58^{279} is divided by 19.\<close>
lemma powmod_58_279_19: "(58::nat) ^ 279 mod 19 = 1"
  by eval

text \<open>Find all real solutions of the equation x^2 + 10x - 24 = 0.\<close>
lemma quadratic_root_12_2_a: "((-12)^2 + 10*(-12) - 24 :: int) = 0"
  by simp

text \<open>Find all real solutions of the equation x^2 + 10x - 24 = 0.\<close>
lemma quadratic_root_12_2_b: "(2^2 + 10*2 - 24 :: int) = 0"
  by simp

text \<open>Find all real solutions of the equation x^2 + 10x - 24 = 0.\<close>
lemma quadratic_disc_10_24: "(10^2 - 4*(-24) :: int) = 196"
  by simp

text \<open>Compute \gcd(1122, 119) and write it as an integer combination of 1122 and 119.\<close>
lemma gcd_1122_119: "gcd (1122::nat) 119 = 17"
  by eval

text \<open>Compute \gcd(1122, 119) and write it as an integer combination of 1122 and 119.\<close>
lemma bezout_1122_119: "((-2)*1122 + 19*119 :: int) = 17"
  by simp

text \<open>Compute \gcd(1548, 594) and write it as an integer combination of 1548 and 594.\<close>
lemma gcd_1548_594: "gcd (1548::nat) 594 = 18"
  by eval

text \<open>Compute \gcd(1548, 594) and write it as an integer combination of 1548 and 594.\<close>
lemma bezout_1548_594: "(5*1548 + (-13)*594 :: int) = 18"
  by simp

text \<open>Factor 19010673 into primes and count its positive divisors.\<close>
lemma factor_19010673: "(3^3*11^3*23^2 :: int) = 19010673"
  by simp

end
