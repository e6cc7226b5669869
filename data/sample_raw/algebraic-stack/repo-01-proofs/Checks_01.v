Require Import ZArith Arith.
Open Scope Z_scope.

(* Show that 1^2 + 2^2 + \dots + 30^2 = 9455. *)
Theorem sum_squares_30 : (30*(30 + 1)*(2*30 + 1) = 56730)%Z.
Proof. reflexivity. Qed.

(* Factor 4104 into primes and count its positive divisors. *)
Theorem factor_4104 : (2^3*3^3*19^1 = 4104)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 21^2 = 3311. *)
Theorem sum_squares_21 : (21*(21 + 1)*(2*21 + 1) = 19866)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 3x - 2y &= 11 \\ -7x - 6y &= -47 \end{aligned} *)
Theorem linsys_eq1_11_47 : (3*5 + (-2)*2 = 11)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} 3x - 2y &= 11 \\ -7x - 6y &= -47 \end{aligned} *)
Theorem linsys_eq2_11_47 : ((-7)*5 + (-6)*2 = (-47))%Z.
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

(* A right triangle has legs 15 and 36. Find its hypotenuse and its area. *)
Theorem pythagoras_15_36_39 : (15^2 + 36^2 = 1521)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} -1x - 2y &= 16 \\ -4x + 4y &= -20 \end{aligned} *)
Theorem linsys_eq1_16_20 : ((-1)*(-2) + (-2)*(-7) = 16)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} -1x - 2y &= 16 \\ -4x + 4y &= -20 \end{aligned} *)
Theorem linsys_eq2_16_20 : ((-4)*(-2) + 4*(-7) = (-20))%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 17^2 = 1785. *)
Theorem sum_squares_17 : (17*(17 + 1)*(2*17 + 1) = 10710)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - 2x - 15 = 0. *)
Theorem quadratic_root_3_5_a : ((-3)^2 - 2*(-3) - 15 = 0)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - 2x - 15 = 0. *)
Theorem quadratic_root_3_5_b : (5^2 - 2*5 - 15 = 0)%Z.
Proof. reflexivity. Qed.

(* Determine the roots of the equation x^2 - 2x - 15 = 0. *)
Theorem quadratic_disc_2_15 : ((-2)^2 - 4*(-15) = 64)%Z.
Proof. reflexivity. Qed.

(* Find the remainder when 34^{266} is divided by 41. *)
Theorem powmod_34_266_41 : (Z.pow 34 266 mod 41 = 21)%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 48 and 64. Find its hypotenuse and its area. *)
Theorem pythagoras_48_64_80 : (48^2 + 64^2 = 6400)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 - 8x - 48 = 0. *)
Theorem quadratic_root_4_12_a : ((-4)^2 - 8*(-4) - 48 = 0)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 - 8x - 48 = 0. *)
Theorem quadratic_root_4_12_b : (12^2 - 8*12 - 48 = 0)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 - 8x - 48 = 0. *)
Theorem quadratic_disc_8_48 : ((-8)^2 - 4*(-48) = 256)%Z.
Proof. reflexivity. Qed.
