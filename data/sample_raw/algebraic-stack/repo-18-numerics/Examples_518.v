Require Import ZArith Arith.
Open Scope Z_scope.

(* Find all real solutions of the equation x^2 - 5x + 4 = 0. *)
Theorem quadratic_root_1_4_a : (1^2 - 5*1 + 4 = 0)%Z.
Proof. reflexivity. Qed.

(* Find all real solutions of the equation x^2 - 5x + 4 = 0. *)
Theorem quadratic_root_1_4_b : (4^2 - 5*4 + 4 = 0)%Z.
Proof. reflexivity. Qed.

(* Find all real solutions of the equation x^2 - 5x + 4 = 0. *)
Theorem quadratic_disc_5_4 : ((-5)^2 - 4*4 = 9)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 7^2 = 140. *)
Theorem sum_squares_7 : (7*(7 + 1)*(2*7 + 1) = 840)%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 56 and 192. Find its hypotenuse and its area. *)
Theorem pythagoras_56_192_200 : (56^2 + 192^2 = 40000)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 + 6x - 27 = 0. *)
Theorem quadratic_root_9_3_a : ((-9)^2 + 6*(-9) - 27 = 0)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 + 6x - 27 = 0. *)
Theorem quadratic_root_9_3_b : (3^2 + 6*3 - 27 = 0)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 + 6x - 27 = 0. *)
Theorem quadratic_disc_6_27 : (6^2 - 4*(-27) = 144)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} -3x - 3y &= -24 \\ 7x + 3y &= 36 \end{aligned} *)
Theorem linsys_eq1_24_36 : ((-3)*3 + (-3)*5 = (-24))%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} -3x - 3y &= -24 \\ 7x + 3y &= 36 \end{aligned} *)
Theorem linsys_eq2_24_36 : (7*3 + 3*5 = 36)%Z.
Proof. reflexivity. Qed.

(* Compute \gcd(1092, 784) and write it as an integer combination of 1092 and 784. *)
Theorem gcd_1092_784 : Z.gcd 1092 784 = 28.
Proof. reflexivity. Qed.

(* Compute \gcd(1092, 784) and write it as an integer combination of 1092 and 784. *)
Theorem bezout_1092_784 : ((-5)*1092 + 7*784 = 28)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 32^2 = 11440. *)
Theorem sum_squares_32 : (32*(32 + 1)*(2*32 + 1) = 68640)%Z.
Proof. reflexivity. Qed.
