Require Import ZArith Arith.
Open Scope Z_scope.

(* Solve the system \begin{aligned} 7x - 2y &= 54 \\ -7x + 6y &= -78 \end{aligned} *)
Theorem linsys_eq1_54_78 : (7*6 + (-2)*(-6) = 54)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 7x - 2y &= 54 \\ -7x + 6y &= -78 \end{aligned} *)
Theorem linsys_eq2_54_78 : ((-7)*6 + 6*(-6) = (-78))%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} -3x + 4y &= -25 \\ 2x - 3y &= 18 \end{aligned} *)
Theorem linsys_eq1_25_18 : ((-3)*3 + 4*(-4) = (-25))%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} -3x + 4y &= -25 \\ 2x - 3y &= 18 \end{aligned} *)
Theorem linsys_eq2_25_18 : (2*3 + (-3)*(-4) = 18)%Z.
Proof. reflexivity. Qed.

(* Find the remainder when 57^{261} is divided by 13. *)
Theorem powmod_57_261_13 : (Z.pow 57 261 mod 13 = 5)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 5x - 2y &= 18 \\ 7x - 5y &= 12 \end{aligned} *)
Theorem linsys_eq1_18_12 : (5*6 + (-2)*6 = 18)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 5x - 2y &= 18 \\ 7x - 5y &= 12 \end{aligned} *)
Theorem linsys_eq2_18_12 : (7*6 + (-5)*6 = 12)%Z.
Proof. reflexivity. Qed.

(* Find all real solutions of the equation x^2 + 9x + 20 = 0. *)
Theorem quadratic_root_5_4_a : ((-5)^2 + 9*(-5) + 20 = 0)%Z.
Proof. reflexivity. Qed.

(* Find all real solutions of the equation x^2 + 9x + 20 = 0. *)
Theorem quadratic_root_5_4_b : ((-4)^2 + 9*(-4) + 20 = 0)%Z.
Proof. reflexivity. Qed.

(* Find all real solutions of the equation x^2 + 9x + 20 = 0. *)
Theorem quadratic_disc_9_20 : (9^2 - 4*20 = 1)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 13^2 = 819. *)
Theorem sum_squares_13 : (13*(13 + 1)*(2*13 + 1) = 4914)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - 16 = 0. *)
Theorem quadratic_root_4_4_a : ((-4)^2 + 0*(-4) - 16 = 0)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - 16 = 0. *)
Theorem quadratic_root_4_4_b : (4^2 + 0*4 - 16 = 0)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - 16 = 0. *)
Theorem quadratic_disc_0_16 : (0^2 - 4*(-16) = 64)%Z.
Proof. reflexivity. Qed.

(* Find the remainder when 26^{334} is divided by 19. *)
Theorem powmod_26_334_19 : (Z.pow 26 334 mod 19 = 7)%Z.
Proof. reflexivity. Qed.

(* Compute \gcd(1350, 252) and write it as an integer combination of 1350 and 252. *)
Theorem gcd_1350_252 : Z.gcd 1350 252 = 18.
Proof. reflexivity. Qed.

(* Compute \gcd(1350, 252) and write it as an integer combination of 1350 and 252. *)
Theorem bezout_1350_252 : (3*1350 + (-16)*252 = 18)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 2x + 7y &= -13 \\ 7x + 2y &= 22 \end{aligned} *)
Theorem linsys_eq1_13_22 : (2*4 + 7*(-3) = (-13))%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 2x + 7y &= -13 \\ 7x + 2y &= 22 \end{aligned} *)
Theorem linsys_eq2_13_22 : (7*4 + 2*(-3) = 22)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - 5x - 14 = 0. *)
Theorem quadratic_root_2_7_a : ((-2)^2 - 5*(-2) - 14 = 0)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - 5x - 14 = 0. *)
Theorem quadratic_root_2_7_b : (7^2 - 5*7 - 14 = 0)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - 5x - 14 = 0. *)
Theorem quadratic_disc_5_14 : ((-5)^2 - 4*(-14) = 81)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 1x + 6y &= -23 \\ 6x - 2y &= -24 \end{aligned} *)
Theorem linsys_eq1_23_24 : (1*(-5) + 6*(-3) = (-23))%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 1x + 6y &= -23 \\ 6x - 2y &= -24 \end{aligned} *)
Theorem linsys_eq2_23_24 : (6*(-5) + (-2)*(-3) = (-24))%Z.
Proof. reflexivity. Qed.
