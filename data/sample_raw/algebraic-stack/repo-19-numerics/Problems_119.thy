theory Problems_119
  imports Main "HOL-Computational_Algebra.Primes"
begin

text \<open>A fair coin is tossed 16 times. What is the probability of exactly 9 heads?\<close>
lemma choose_16_9: "(16::nat) choose 9 = 11440"
  by eval

text \<open>Find the remainder when 19^{285} is divided by 43.\<close>
lemma powmod_19_285_43: "(19::nat) ^ 285 mod 43 = 8"
  by eval

text \<open>Solve the system \begin{aligned} -4x + 2y &= -48 \\ 2x + 2y &= 0 \end{aligned}\<close>
lemma linsys_eq1_48_0: "((-4)*8 + 2*(-8) :: int) = -48"
  by simp

text \<open>Solve the system \begin{aligned} -4x + 2y &= -48 \\ 2x + 2y &= 0 \end{aligned}\<close>
lemma linsys_eq2_48_0: "(2*8 + 2*(-8) :: int) = 0"
  by simp

text \<open>Show that 1^2 + 2^2 + \dots + 29^2 = 8555.\<close>
lemma sum_squares_29: "(29*(29 + 1)*(2*29 + 1) :: int) = 51330"
  by simp

text \<open>Compute \gcd(784, 432) and write it as an integer combination of 784 and 432.\<close>
lemma gcd_784_432: "gcd (784::nat) 432 = 16"
  by eval

text \<open>Compute \gcd(784, 432) and write it as an integer combination of 784 and 432.\<close>
lemma bezout_784_432: "((-11)*784 + 20*432 :: int) = 16"
  by simp

text \<open>A right triangle has legs 192 and 256. Find its hypotenuse and its area.\<close>
lemma pythagoras_192_256_320: "(192^2 + 256^2 :: int) = 102400"
  by simp

text \<open>Determine the roots of the equation x^2 - 23x + 132 = 0.\<close>
lemma quadratic_root_11_12_a: "(11^2 - 23*11 + 132 :: int) = 0"
  by simp

text \<open>Determine the roots of the equation x^2 - 23x + 132 = 0.\<close>
lemma quadratic_root_11_12_b: "(12^2 - 23*12 + 132 :: int) = 0"
  by simp

text \<open>Determine the roots of the equation x^2 - 23x + 132 = 0.\<close>
lemma quadratic_disc_23_132: "((-23)^2 - 4*132 :: int) = 1"
  by simp

text \<open>Solve the equation x^2 - 5x - 84 = 0.\<close>
lemma quadratic_root_7_12_a: "((-7)^2 - 5*(-7) - 84 :: int) = 0"
  by simp

text \<open>Solve the equation x^2 - 5x - 84 = 0.\<close>
lemma quadratic_root_7_12_b: "(12^2 - 5*12 - 84 :: int) = 0"
  by simp

text \<open>Solve the equation x^2 - 5x - 84 = 0.\<close>
lemma quadratic_disc_5_84: "((-5)^2 - 4*(-84) :: int) = 361"
  by simp

text \<open>Compute \gcd(690, 160) and write it as an integer combination of 690 and 160.\<close>
lemma gcd_690_160: "gcd (690::nat) 160 = 10"
  by eval

text \<open>Compute \gcd(690, 160) and write it as an integer combination of 690 and 160.\<close>
lemma bezout_690_160: "((-3)*690 + 13*160 :: int) = 10"
  by simp

end
