# Worked examples: gcd, powmod, quadratic, sum_of_squares.
# Find the remainder when 14^{76} is divided by 13.
Assert(0, PowerModInt(14, 76, 13) = 1);

# Solve the equation x^2 - 11x + 28 = 0.
Assert(0, 4^2 - 11*4 + 28 = 0);
Assert(0, 7^2 - 11*7 + 28 = 0);
Assert(0, (-11)^2 - 4*28 = 9);

# Compute \gcd(1246, 826) and write it as an integer combination of 1246 and 826.
Assert(0, Gcd(1246, 826) = 14);
Assert(0, 2*1246 + (-3)*826 = 14);

# Determine the roots of the equation x^2 + 10x + 9 = 0.
Assert(0, (-9)^2 + 10*(-9) + 9 = 0);
Assert(0, (-1)^2 + 10*(-1) + 9 = 0);
Assert(0, 10^2 - 4*9 = 64);

# Show that 1^2 + 2^2 + \dots + 29^2 = 8555.
Assert(0, 29*(29 + 1)*(2*29 + 1) = 51330);

# Find the remainder when 48^{127} is divided by 29.
Assert(0, PowerModInt(48, 127, 29) = 10);

# Show that 1^2 + 2^2 + \dots + 21^2 = 3311.
Assert(0, 21*(21 + 1)*(2*21 + 1) = 19866);

# Show that 1^2 + 2^2 + \dots + 35^2 = 14910.
Assert(0, 35*(35 + 1)*(2*35 + 1) = 89460);

# Determine the roots of the equation x^2 + 3x - 18 = 0.
Assert(0, (-6)^2 + 3*(-6) - 18 = 0);
Assert(0, 3^2 + 3*3 - 18 = 0);
Assert(0, 3^2 - 4*(-18) = 81);

