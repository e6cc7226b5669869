Require Import ZArith Arith.
Open Scope Z_scope.

(* Find the remainder when 30^{146} is divided by 17. *)
Theorem powmod_30_146_17 : (Z.pow 30 146 mod 17 = 16)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 17^2 = 1785. *)
Theorem sum_squares_17 : (17*(17 + 1)*(2*17 + 1) = 10710)%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 18 and 24. Find its hypotenuse and its area. *)
Theorem pythagoras_18_24_30 : (18^2 + 24^2 = 900)%Z.
Proof. reflexivity. Qed.

(* Compute \gcd(24, 21) and write it as an integer combination of 24 and 21. *)
Theorem gcd_24_21 : Z.gcd 24 21 = 3.
Proof. reflexivity. Qed.

(* Compute \gcd(24, 21) and write it as an integer combination of 24 and 21. *)
Theorem bezout_24_21 : (1*24 + (-1)*21 = 3)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 - 14x + 45 = 0. *)
Theorem quadratic_root_5_9_a : (5^2 - 14*5 + 45 = 0)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 - 14x + 45 = 0. *)
Theorem quadratic_root_5_9_b : (9^2 - 14*9 + 45 = 0)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 - 14x + 45 = 0. *)
Theorem quadratic_disc_14_45 : ((-14)^2 - 4*45 = 16)%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 27 and 120. Find its hypotenuse and its area. *)
Theorem pythagoras_27_120_123 : (27^2 + 120^2 = 15129)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} -5x + 3y &= -13 \\ -3x + 2y &= -9 \end{aligned} *)
Theorem linsys_eq1_13_9 : ((-5)*(-1) + 3*(-6) = (-13))%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} -5x + 3y &= -13 \\ -3x + 2y &= -9 \end{aligned} *)
Theorem linsys_eq2_13_9 : ((-3)*(-1) + 2*(-6) = (-9))%Z.
Proof. reflexivity. Qed.
