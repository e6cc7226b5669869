# Worked examples: factorization, gcd, powmod, pythagoras, quadratic, sum_of_squares.
# Compute \gcd(2075, 1700) and write it as an integer combination of 2075 and 1700.
Assert(0, Gcd(2075, 1700) = 25);
Assert(0, (-9)*2075 + 11*1700 = 25);

# Find the remainder when 35^{158} is divided by 43.
Assert(0, PowerModInt(35, 158, 43) = 11);

# A right triangle has legs 160 and 168. Find its hypotenuse and its area.
Assert(0, 160^2 + 168^2 = 53824);

# Determine the roots of the equation x^2 + 21x + 108 = 0.
Assert(0, (-12)^2 + 21*(-12) + 108 = 0);
Assert(0, (-9)^2 + 21*(-9) + 108 = 0);
Assert(0, 21^2 - 4*108 = 9);

# Find the remainder when 15^{275} is divided by 29.
Assert(0, PowerModInt(15, 275, 29) = 3);

# Show that 1^2 + 2^2 + \dots + 5^2 = 55.
Assert(0, 5*(5 + 1)*(2*5 + 1) = 330);

# Factor 141512 into primes and count its positive divisors.
Assert(0, 2^3*7^2*19^2 = 141512);

# Solve the equation x^2 + 17x + 72 = 0.
Assert(0, (-9)^2 + 17*(-9) + 72 = 0);
Assert(0, (-8)^2 + 17*(-8) + 72 = 0);
Assert(0, 17^2 - 4*72 = 1);

# Factor 67256761 into primes and count its positive divisors.
Assert(0, 11^3*13^3*23^1 = 67256761);

# Solve the equation x^2 - 15x + 54 = 0.
Assert(0, 6^2 - 15*6 + 54 = 0);
Assert(0, 9^2 - 15*9 + 54 = 0);
Assert(0, (-15)^2 - 4*54 = 9);

