# Worked examples: binomial, factorization, powmod, quadratic, sum_of_squares.
# Show that 1^2 + 2^2 + \dots + 22^2 = 3795.
Assert(0, 22*(22 + 1)*(2*22 + 1) = 22770);

# Show that 1^2 + 2^2 + \dots + 17^2 = 1785.
Assert(0, 17*(17 + 1)*(2*17 + 1) = 10710);

# Show that 1^2 + 2^2 + \dots + 21^2 = 3311.
Assert(0, 21*(21 + 1)*(2*21 + 1) = 19866);

# Find the remainder when 52^{234} is divided by 43.
Assert(0, PowerModInt(52, 234, 43) = 41);

# Factor 14355198 into primes and count its positive divisors.
Assert(0, 2^1*3^3*11^2*13^3 = 14355198);

# Show that 1^2 + 2^2 + \dots + 29^2 = 8555.
Assert(0, 29*(29 + 1)*(2*29 + 1) = 51330);

# Find all real solutions of the equation x^2 - 5x - 84 = 0.
Assert(0, (-7)^2 - 5*(-7) - 84 = 0);
Assert(0, 12^2 - 5*12 - 84 = 0);
Assert(0, (-5)^2 - 4*(-84) = 361);

# Solve the equation x^2 - 5x - 84 = 0.
Assert(0, (-7)^2 - 5*(-7) - 84 = 0);
Assert(0, 12^2 - 5*12 - 84 = 0);
Assert(0, (-5)^2 - 4*(-84) = 361);

# A fair coin is tossed 16 times. What is the probability of exactly 5 heads?
Assert(0, Binomial(16, 5) = 4368);

# Determine the roots of the equation x^2 + 7x + 12 = 0.
Assert(0, (-4)^2 + 7*(-4) + 12 = 0);
Assert(0, (-3)^2 + 7*(-3) + 12 = 0);
Assert(0, 7^2 - 4*12 = 1);

