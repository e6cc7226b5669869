Require Import ZArith Arith.
Open Scope Z_scope.

(* Compute \gcd(1328, 992) and write it as an integer combination of 1328 and 992. *)
Theorem gcd_1328_992 : Z.gcd 1328 992 = 16.
Proof. reflexivity. Qed.

(* Compute \gcd(1328, 992) and write it as an integer combination of 1328 and 992. *)
Theorem bezout_1328_992 : (3*1328 + (-4)*992 = 16)%Z.
Proof. reflexivity. Qed.

(* Find the remainder when 37^{370} is divided by 13. *)
Theorem powmod_37_370_13 : (Z.pow 37 370 mod 13 = 10)%Z.
Proof. reflexivity. Qed.

(* Find all real solutions of the equation x^2 + 3x - 108 = 0. *)
Theorem quadratic_root_12_9_a : ((-12)^2 + 3*(-12) - 108 = 0)%Z.
Proof. reflexivity. Qed.

(* Find all real solutions of the equation x^2 + 3x - 108 = 0. *)
Theorem quadratic_root_12_9_b : (9^2 + 3*9 - 108 = 0)%Z.
Proof. reflexivity. Qed.

(* Find all real solutions of the equation x^2 + 3x - 108 = 0. *)
Theorem quadratic_disc_3_108 : (3^2 - 4*(-108) = 441)%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 8 and 6. Find its hypotenuse and its area. *)
Theorem pythagoras_8_6_10 : (8^2 + 6^2 = 100)%Z.
Proof. reflexivity. Qed.

(* Compute \gcd(1298, 1232) and write it as an integer combination of 1298 and 1232. *)
Theorem gcd_1298_1232 : Z.gcd 1298 1232 = 22.
Proof. reflexivity. Qed.

(* Compute \gcd(1298, 1232) and write it as an integer combination of 1298 and 1232. *)
Theorem bezout_1298_1232 : (19*1298 + (-20)*1232 = 22)%Z.
Proof. reflexivity. Qed.

(* Compute \gcd(1080, 210) and write it as an integer combination of 1080 and 210. *)
Theorem gcd_1080_210 : Z.gcd 1080 210 = 30.
Proof. reflexivity. Qed.

(* Compute \gcd(1080, 210) and write it as an integer combination of 1080 and 210. *)
Theorem bezout_1080_210 : (1*1080 + (-5)*210 = 30)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 2x + 3y &= 22 \\ 4x + 1y &= 34 \end{aligned} *)
Theorem linsys_eq1_22_34 : (2*8 + 3*2 = 22)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 2x + 3y &= 22 \\ 4x + 1y &= 34 \end{aligned} *)
Theorem linsys_eq2_22_34 : (4*8 + 1*2 = 34)%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 192 and 144. Find its hypotenuse and its area. *)
Theorem pythagoras_192_144_240 : (192^2 + 144^2 = 57600)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 7^2 = 140. *)
Theorem sum_squares_7 : (7*(7 + 1)*(2*7 + 1) = 840)%Z.
Proof. reflexivity. Qed.
