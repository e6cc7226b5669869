theory Checks_15
  imports Main "HOL-Computational_Algebra.Primes"
begin

text \<open>Factor 3403742584 into primes and count its positive divisors.\<close>
lemma factor_3403742584: "(2^3*11^2*17^2*23^3 :: int) = 3403742584"
  by simp

text \<open>Find the remainder when 19^{75} is divided by 11.\<close>
lemma powmod_19_75_11: "(19::nat) ^ 75 mod 11 = 10"
  by eval

text \<open>Compute \gcd(2088, 1680) and write it as an integer combination of 2088 and 1680.\<close>
lemma gcd_2088_1680: "gcd (2088::nat) 1680 = 24"
  by eval

text \<open>Compute \gcd(2088, 1680) and write it as an integer combination of 2088 and 1680.\<close>
lemma bezout_2088_1680: "(33*2088 + (-41)*1680 :: int) = 24"
  by simp

text \<open>Compute \gcd(1330, 741) and write it as an integer combination of 1330 and 741.\<close>
lemma gcd_1330_741: "gcd (1330::nat) 741 = 19"
  by eval

text \<open>Compute \gcd(1330, 741) and write it as an integer combination of 1330 and 741.\<close>
lemma bezout_1330_741: "((-5)*1330 + 9*741 :: int) = 19"
  by simp

text \<open>Compute \gcd(1222, 936) and write it as an integer combination of 1222 and 936.\<close>
lemma gcd_1222_936: "gcd (1222::nat) 936 = 26"
  by eval

text \<open>Compute \gcd(1222, 936) and write it as an integer combination of 1222 and 936.\<close>
lemma bezout_1222_936: "((-13)*1222 + 17*936 :: int) = 26"
  by simp

text \<open>Solve the system \begin{aligned} -4x + 3y &= -15 \\ 1x + 1y &= 2 \end{aligned}\<close>
lemma linsys_eq1_15_2: "((-4)*3 + 3*(-1) :: int) = -15"
  by simp

text \<open>Solve the system \begin{aligned} -4x + 3y &= -15 \\ 1x + 1y &= 2 \end{aligned}\<close>
lemma linsys_eq2_15_2: "(1*3 + 1*(-1) :: int) = 2"
  by simp

text \<open>Solve the system \begin{aligned} 1x + 5y &= -37 \\ 1x - 7y &= 35 \end{aligned}\<close>
lemma linsys_eq1_37_35: "(1*(-7) + 5*(-6) :: int) = -37"
  by simp

text \<open>Solve the system \begin{aligned} 1x + 5y &= -37 \\ 1x - 7y &= 35 \end{aligned}\<close>
lemma linsys_eq2_37_35: "(1*(-7) + (-7)*(-6) :: int) = 35"
  by simp

text \<open>Solve the system \begin{aligned} -7x - 7y &= -14 \\ -5x + 3y &= 30 \end{aligned}\<close>
lemma linsys_eq1_14_30: "((-7)*(-3) + (-7)*5 :: int) = -14"
  by simp

text \<open>Solve the system \begin{aligned} -7x - 7y &= -14 \\ -5x + 3y &= 30 \end{aligned}\<close>
lemma linsys_eq2_14_30: "((-5)*(-3) + 3*5 :: int) = 30"
  by simp

end
