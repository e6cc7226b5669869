Require Import ZArith Arith.
Open Scope Z_scope.

(* Compute \gcd(150, 64) and write it as an integer combination of 150 and 64. *)
Theorem gcd_150_64 : Z.gcd 150 64 = 2.
Proof. reflexivity. Qed.

(* Compute \gcd(150, 64) and write it as an integer combination of 150 and 64. *)
Theorem bezout_150_64 : (3*150 + (-7)*64 = 2)%Z.
Proof. reflexivity. Qed.

(* Find the remainder when 40^{252} is divided by 19. *)
Theorem powmod_40_252_19 : (Z.pow 40 252 mod 19 = 1)%Z.
Proof. reflexivity. Qed.

(* Compute \gcd(493, 377) and write it as an integer combination of 493 and 377. *)
Theorem gcd_493_377 : Z.gcd 493 377 = 29.
Proof. reflexivity. Qed.

(* Compute \gcd(493, 377) and write it as an integer combination of 493 and 377. *)
Theorem bezout_493_377 : ((-3)*493 + 4*377 = 29)%Z.
Proof. reflexivity. Qed.

(* Find the remainder when 44^{386} is divided by 31. *)
Theorem powmod_44_386_31 : (Z.pow 44 386 mod 31 = 28)%Z.
Proof. reflexivity. Qed.

(* Compute \gcd(1617, 819) and write it as an integer combination of 1617 and 819. *)
Theorem gcd_1617_819 : Z.gcd 1617 819 = 21.
Proof. reflexivity. Qed.

(* Compute \gcd(1617, 819) and write it as an integer combination of 1617 and 819. *)
Theorem bezout_1617_819 : ((-1)*1617 + 2*819 = 21)%Z.
Proof. reflexivity. Qed.

(* Compute \gcd(688, 440) and write it as an integer combination of 688 and 440. *)
Theorem gcd_688_440 : Z.gcd 688 440 = 8.
Proof. reflexivity. Qed.

(* Compute \gcd(688, 440) and write it as an integer combination of 688 and 440. *)
Theorem bezout_688_440 : (16*688 + (-25)*440 = 8)%Z.
Proof. reflexivity. Qed.

(* Factor 163480075 into primes and count its positive divisors. *)
Theorem factor_163480075 : (5^2*11^3*17^3 = 163480075)%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 60 and 32. Find its hypotenuse and its area. *)
Theorem pythagoras_60_32_68 : (60^2 + 32^2 = 4624)%Z.
Proof. reflexivity. Qed.

(* Factor 200 into primes and count its positive divisors. *)
Theorem factor_200 : (2^3*5^2 = 200)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - 3x - 88 = 0. *)
Theorem quadratic_root_8_11_a : ((-8)^2 - 3*(-8) - 88 = 0)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - 3x - 88 = 0. *)
Theorem quadratic_root_8_11_b : (11^2 - 3*11 - 88 = 0)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - 3x - 88 = 0. *)
Theorem quadratic_disc_3_88 : ((-3)^2 - 4*(-88) = 361)%Z.
Proof. reflexivity. Qed.

(* Factor 297381 into primes and count its positive divisors. *)
Theorem factor_297381 : (3^1*7^3*17^2 = 297381)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 13^2 = 819. *)
Theorem sum_squares_13 : (13*(13 + 1)*(2*13 + 1) = 4914)%Z.
Proof. reflexivity. Qed.
