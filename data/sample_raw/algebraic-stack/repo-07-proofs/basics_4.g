# Worked examples: gcd, linear_system, pythagoras, quadratic, sum_of_squares.
# Compute \gcd(2314, 1690) and write it as an integer combination of 2314 and 1690.
Assert(0, Gcd(2314, 1690) = 26);
Assert(0, 19*2314 + (-26)*1690 = 26);

# Find all real solutions of the equation x^2 + 5x - 36 = 0.
Assert(0, (-9)^2 + 5*(-9) - 36 = 0);
Assert(0, 4^2 + 5*4 - 36 = 0);
Assert(0, 5^2 - 4*(-36) = 169);

# Compute \gcd(292, 244) and write it as an integer combination of 292 and 244.
Assert(0, Gcd(292, 244) = 4);
Assert(0, (-5)*292 + 6*244 = 4);

# Solve the system \begin{aligned} -4x - 4y &= -52 \\ 7x + 6y &= 82 \end{aligned}
Assert(0, (-4)*4 + (-4)*9 = -52);
Assert(0, 7*4 + 6*9 = 82);

# Show that 1^2 + 2^2 + \dots + 12^2 = 650.
Assert(0, 12*(12 + 1)*(2*12 + 1) = 3900);

# Compute \gcd(1694, 1144) and write it as an integer combination of 1694 and 1144.
Assert(0, Gcd(1694, 1144) = 22);
Assert(0, 25*1694 + (-37)*1144 = 22);

# A right triangle has legs 90 and 48. Find its hypotenuse and its area.
Assert(0, 90^2 + 48^2 = 10404);

# Solve the system \begin{aligned} 2x - 3y &= 10 \\ -3x - 3y &= 45 \end{aligned}
Assert(0, 2*(-7) + (-3)*(-8) = 10);
Assert(0, (-3)*(-7) + (-3)*(-8) = 45);

