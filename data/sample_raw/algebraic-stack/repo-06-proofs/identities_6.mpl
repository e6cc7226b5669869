# Worked examples: binomial, factorization, linear_system, powmod, sum_of_squares.
# Solve the system \begin{aligned} -7x - 6y &= 30 \\ 3x - 3y &= -24 \end{aligned}
ASSERT(evalb((-7)*(-6) + (-6)*2 = 30));
ASSERT(evalb(3*(-6) + (-3)*2 = -24));

# Find the remainder when 21^{145} is divided by 23.
ASSERT(evalb(21 &^ 145 mod 23 = 19));

# Show that 1^2 + 2^2 + \dots + 5^2 = 55.
ASSERT(evalb(5*(5 + 1)*(2*5 + 1) = 330));

# Find the remainder when 35^{75} is divided by 17.
ASSERT(evalb(35 &^ 75 mod 17 = 1));

# Show that 1^2 + 2^2 + \dots + 35^2 = 14910.
ASSERT(evalb(35*(35 + 1)*(2*35 + 1) = 89460));

# A fair coin is tossed 4 times. What is the probability of exactly 1 heads?
ASSERT(evalb(binomial(4, 1) = 4));

# Find the remainder when 40^{396} is divided by 7.
ASSERT(evalb(40 &^ 396 mod 7 = 1));

# Factor 21579306031 into primes and count its positive divisors.
ASSERT(evalb(17^3*19^2*23^3 = 21579306031));

# A fair coin is tossed 13 times. What is the probability of exactly 11 heads?
ASSERT(evalb(binomial(13, 11) = 78));

# Solve the system \begin{aligned} -2x + 1y &= -9 \\ -2x + 4y &= -24 \end{aligned}
ASSERT(evalb((-2)*2 + 1*(-5) = -9));
ASSERT(evalb((-2)*2 + 4*(-5) = -24));

