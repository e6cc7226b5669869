Require Import ZArith Arith.
Open Scope Z_scope.

(* Compute \gcd(584, 320) and write it as an integer combination of 584 and 320. *)
Theorem gcd_584_320 : Z.gcd 584 320 = 8.
Proof. reflexivity. Qed.

(* Compute \gcd(584, 320) and write it as an integer combination of 584 and 320. *)
Theorem bezout_584_320 : (17*584 + (-31)*320 = 8)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 3x - 4y &= -12 \\ 6x - 6y &= -18 \end{aligned} *)
Theorem linsys_eq1_12_18 : (3*0 + (-4)*3 = (-12))%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 3x - 4y &= -12 \\ 6x - 6y &= -18 \end{aligned} *)
Theorem linsys_eq2_12_18 : (6*0 + (-6)*3 = (-18))%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 6x - 6y &= 60 \\ 1x - 4y &= 34 \end{aligned} *)
Theorem linsys_eq1_60_34 : (6*2 + (-6)*(-8) = 60)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 6x - 6y &= 60 \\ 1x - 4y &= 34 \end{aligned} *)
Theorem linsys_eq2_60_34 : (1*2 + (-4)*(-8) = 34)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - x - 42 = 0. *)
Theorem quadratic_root_6_7_a : ((-6)^2 - 1*(-6) - 42 = 0)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - x - 42 = 0. *)
Theorem quadratic_root_6_7_b : (7^2 - 1*7 - 42 = 0)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - x - 42 = 0. *)
Theorem quadratic_disc_1_42 : ((-1)^2 - 4*(-42) = 169)%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 80 and 84. Find its hypotenuse and its area. *)
Theorem pythagoras_80_84_116 : (80^2 + 84^2 = 13456)%Z.
Proof. reflexivity. Qed.

(* Find the remainder when 54^{348} is divided by 23. *)
Theorem powmod_54_348_23 : (Z.pow 54 348 mod 23 = 12)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 32^2 = 11440. *)
Theorem sum_squares_32 : (32*(32 + 1)*(2*32 + 1) = 68640)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 + 16x + 60 = 0. *)
Theorem quadratic_root_10_6_a : ((-10)^2 + 16*(-10) + 60 = 0)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 + 16x + 60 = 0. *)
Theorem quadratic_root_10_6_b : ((-6)^2 + 16*(-6) + 60 = 0)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 + 16x + 60 = 0. *)
Theorem quadratic_disc_16_60 : (16^2 - 4*60 = 16)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 18^2 = 2109. *)
Theorem sum_squares_18 : (18*(18 + 1)*(2*18 + 1) = 12654)%Z.
Proof. reflexivity. Qed.
