Require Import ZArith Arith.
Open Scope Z_scope.

(* Find the remainder when 9^{368} is divided by 23. *)
Theorem powmod_9_368_23 : (Z.pow 9 368 mod 23 = 8)%Z.
Proof. reflexivity. Qed.

(* Compute \gcd(1155, 795) and write it as an integer combination of 1155 and 795. *)
Theorem gcd_1155_795 : Z.gcd 1155 795 = 15.
Proof. reflexivity. Qed.

(* Compute \gcd(1155, 795) and write it as an integer combination of 1155 and 795. *)
Theorem bezout_1155_795 : ((-11)*1155 + 16*795 = 15)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 2x + 5y &= -16 \\ -6x - 7y &= 32 \end{aligned} *)
Theorem linsys_eq1_16_32 : (2*(-3) + 5*(-2) = (-16))%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 2x + 5y &= -16 \\ -6x - 7y &= 32 \end{aligned} *)
Theorem linsys_eq2_16_32 : ((-6)*(-3) + (-7)*(-2) = 32)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 32^2 = 11440. *)
Theorem sum_squares_32 : (32*(32 + 1)*(2*32 + 1) = 68640)%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 192 and 256. Find its hypotenuse and its area. *)
Theorem pythagoras_192_256_320 : (192^2 + 256^2 = 102400)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 + 15x + 36 = 0. *)
Theorem quadratic_root_12_3_a : ((-12)^2 + 15*(-12) + 36 = 0)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 + 15x + 36 = 0. *)
Theorem quadratic_root_12_3_b : ((-3)^2 + 15*(-3) + 36 = 0)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 + 15x + 36 = 0. *)
Theorem quadratic_disc_15_36 : (15^2 - 4*36 = 81)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 5^2 = 55. *)
Theorem sum_squares_5 : (5*(5 + 1)*(2*5 + 1) = 330)%Z.
Proof. reflexivity. Qed.

(* Factor 6370 into primes and count its positive divisors. *)
Theorem factor_6370 : (2^1*5^1*7^2*13^1 = 6370)%Z.
Proof. reflexivity. Qed.
