# Worked examples: binomial, factorization, gcd, linear_system, powmod, quadratic, sum_of_squares.
# Solve the equation x^2 - 10x - 24 = 0.
Assert(0, (-2)^2 - 10*(-2) - 24 = 0);
Assert(0, 12^2 - 10*12 - 24 = 0);
Assert(0, (-10)^2 - 4*(-24) = 196);

# Solve the system \begin{aligned} 1x - 1y &= 1 \\ -7x + 3y &= 21 \end{aligned}
Assert(0, 1*(-6) + (-1)*(-7) = 1);
Assert(0, (-7)*(-6) + 3*(-7) = 21);

# Compute \gcd(680, 670) and write it as an integer combination of 680 and 670.
Assert(0, Gcd(680, 670) = 10);
Assert(0, 1*680 + (-1)*670 = 10);

# Find the remainder when 53^{28} is divided by 7.
Assert(0, PowerModInt(53, 28, 7) = 4);

# Factor 1449175 into primes and count its positive divisors.
Assert(0, 5^2*7^3*13^2 = 1449175);

# A fair coin is tossed 11 times. What is the probability of exactly 6 heads?
Assert(0, Binomial(11, 6) = 462);

# Solve the system \begin{aligned} 2x + 1y &= -4 \\ 3x + 1y &= -8 \end{aligned}
Assert(0, 2*(-4) + 1*4 = -4);
Assert(0, 3*(-4) + 1*4 = -8);

# Show that 1^2 + 2^2 + \dots + 9^2 = 285.
Assert(0, 9*(9 + 1)*(2*9 + 1) = 1710);

# Find all real solutions of the equation x^2 - 8x - 33 = 0.
Assert(0, (-3)^2 - 8*(-3) - 33 = 0);
Assert(0, 11^2 - 8*11 - 33 = 0);
Assert(0, (-8)^2 - 4*(-33) = 196);

