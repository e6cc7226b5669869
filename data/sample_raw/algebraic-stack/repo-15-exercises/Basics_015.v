Require Import ZArith Arith.
Open Scope Z_scope.

(* Solve the equation x^2 + 16x + 63 = 0. *)
Theorem quadratic_root_9_7_a : ((-9)^2 + 16*(-9) + 63 = 0)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 + 16x + 63 = 0. *)
Theorem quadratic_root_9_7_b : ((-7)^2 + 16*(-7) + 63 = 0)%Z.
Proof. reflexivity. Qed.

(* Solve the equation x^2 + 16x + 63 = 0. *)
Theorem quadratic_disc_16_63 : (16^2 - 4*63 = 4)%Z.
Proof. reflexivity. Qed.

(* Find the remainder when 18^{364} is divided by 37. *)
Theorem powmod_18_364_37 : (Z.pow 18 364 mod 37 = 7)%Z.
Proof. reflexivity. Qed.

(* Find the remainder when 35^{298} is divided by 29. *)
Theorem powmod_35_298_29 : (Z.pow 35 298 mod 29 = 20)%Z.
Proof. reflexivity. Qed.

(* Show that 1^2 + 2^2 + \dots + 6^2 = 91. *)
Theorem sum_squares_6 : (6*(6 + 1)*(2*6 + 1) = 546)%Z.
Proof. reflexivity. Qed.

(* A right triangle has legs 40 and 42. Find its hypotenuse and its area. *)
Theorem pythagoras_40_42_58 : (40^2 + 42^2 = 3364)%Z.
Proof. reflexivity. Qed.

(* Factor 356668 into primes and count its positive divisors. *)
Theorem factor_356668 : (2^2*13^1*19^3 = 356668)%Z.
Proof. reflexivity. Qed.
