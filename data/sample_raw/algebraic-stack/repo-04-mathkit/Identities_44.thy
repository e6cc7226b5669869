theory Identities_44
  imports Main "HOL-Computational_Algebra.Primes"
begin

text \<open>Find the remainder when 33^{195} is divided by 23.\<close>
lemma powmod_33_195_23: "(33::nat) ^ 195 mod 23 = 21"
  by eval

text \<open>Compute \gcd(208, 168) and write it as an integer combination of 208 and 168.\<close>
lemma gcd_208_168: "gcd (208::nat) 168 = 8"
  by eval

text \<open>Compute \gcd(208, 168) and write it as an integer combination of 208 and 168.\<close>
lemma bezout_208_168: "((-4)*208 + 5*168 :: int) = 8"
  by simp

text \<open>Find all real solutions of the equation x^2 + 21x + 108 = 0.\<close>
lemma quadratic_root_12_9_a: "((-12)^2 + 21*(-12) + 108 :: int) = 0"
  by simp

text \<open>Find all real solutions of the equation x^2 + 21x + 108 = 0.\<close>
lemma quadratic_root_12_9_b: "((-9)^2 + 21*(-9) + 108 :: int) = 0"
  by simp

text \<open>Find all real solutions of the equation x^2 + 21x + 108 = 0.\<close>
lemma quadratic_disc_21_108: "(21^2 - 4*108 :: int) = 9"
  by simp

text \<open>Solve the equation x^2 + 6x - 7 = 0.\<close>
lemma quadratic_root_7_1_a: "((-7)^2 + 6*(-7) - 7 :: int) = 0"
  by simp

text \<open>Solve the equation x^2 + 6x - 7 = 0.\<close>
lemma quadratic_root_7_1_b: "(1^2 + 6*1 - 7 :: int) = 0"
  by simp

text \<open>Solve the equation x^2 + 6x - 7 = 0.\<close>
lemma quadratic_disc_6_7: "(6^2 - 4*(-7) :: int) = 64"
  by simp

text \<open>Find the remainder when 35^{260} is divided by 11.\<close>
lemma powmod_35_260_11: "(35::nat) ^ 260 mod 11 = 1"
  by eval

text \<open>Find the remainder when 8^{90} is divided by 41.\<close>
lemma powmod_8_90_41: "(8::nat) ^ 90 mod 41 = 40"
  by eval

text \<open>Solve the equation x^2 + 10x - 24 = 0.\<close>
lemma quadratic_root_12_2_a: "((-12)^2 + 10*(-12) - 24 :: int) = 0"
  by simp

text \<open>Solve the equation x^2 + 10x - 24 = 0.\<close>
lemma quadratic_root_12_2_b: "(2^2 + 10*2 - 24 :: int) = 0"
  by simp

text \<open>Solve the equation x^2 + 10x - 24 = 0.\<close>
lemma quadratic_disc_10_24: "(10^2 - 4*(-24) :: int) = 196"
  by simp

text \<open>A right triangle has legs 240 and 128. Find its hypotenuse and its area.\<close>
lemma pythagoras_240_128_272: "(240^2 + 128^2 :: int) = 73984"
  by simp

text \<open>Find the remainder when 42^{226} is divided by 19.\<close>
lemma powmod_42_226_19: "(42::nat) ^ 226 mod 19 = 4"
  by eval

text \<open>Factor 28 into primes and count its positive divisors.\<close>
lemma factor_28: "(2^2*7^1 :: int) = 28"
  by simp

end
