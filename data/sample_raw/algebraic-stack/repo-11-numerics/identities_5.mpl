# Worked examples: binomial, factorization, gcd, linear_system, powmod, quadratic.
# Compute \gcd(1474, 1298) and write it as an integer combination of 1474 and 1298.
ASSERT(evalb(igcd(1474, 1298) = 22));
ASSERT(evalb((-22)*1474 + 25*1298 = 22));

# Determine the roots of the equation x^2 - 6x + 5 = 0.
ASSERT(evalb(1^2 - 6*1 + 5 = 0));
ASSERT(evalb(5^2 - 6*5 + 5 = 0));
ASSERT(evalb((-6)^2 - 4*5 = 16));

# Compute \gcd(348, 344) and write it as an integer combination of 348 and 344.
ASSERT(evalb(igcd(348, 344) = 4));
ASSERT(evalb(1*348 + (-1)*344 = 4));

# Solve the system \begin{aligned} 7x + 7y &= 98 \\ -4x + 7y &= 10 \end{aligned}
ASSERT(evalb(7*8 + 7*6 = 98));
ASSERT(evalb((-4)*8 + 7*6 = 10));

# Solve the system \begin{aligned} -3x + 5y &= -33 \\ -6x + 2y &= 6 \end{aligned}
ASSERT(evalb((-3)*(-4) + 5*(-9) = -33));
ASSERT(evalb((-6)*(-4) + 2*(-9) = 6));

# Compute \gcd(132, 55) and write it as an integer combination of 132 and 55.
ASSERT(evalb(igcd(132, 55) = 11));
ASSERT(evalb((-2)*132 + 5*55 = 11));

# Find the remainder when 53^{336} is divided by 23.
ASSERT(evalb(53 &^ 336 mod 23 = 4));

# Solve the system \begin{aligned} 6x + 4y &= -54 \\ -4x + 5y &= 13 \end{aligned}
ASSERT(evalb(6*(-7) + 4*(-3) = -54));
ASSERT(evalb((-4)*(-7) + 5*(-3) = 13));

# A fair coin is tossed 7 times. What is the probability of exactly 6 heads?
ASSERT(evalb(binomial(7, 6) = 7));

# Factor 14739 into primes and count its positive divisors.
ASSERT(evalb(3^1*17^3 = 14739));

# Solve the system \begin{aligned} -7x + 3y &= 34 \\ 7x + 5y &= -74 \end{aligned}
ASSERT(evalb((-7)*(-7) + 3*(-5) = 34));
ASSERT(evalb(7*(-7) + 5*(-5) = -74));

# Solve the system \begin{aligned} -3x + 1y &= -32 \\ -5x - 7y &= 16 \end{aligned}
ASSERT(evalb((-3)*8 + 1*(-8) = -32));
ASSERT(evalb((-5)*8 + (-7)*(-8) = 16));

