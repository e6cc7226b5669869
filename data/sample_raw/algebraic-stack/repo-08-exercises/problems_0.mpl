# Worked examples: binomial, factorization, linear_system, powmod, pythagoras, quadratic, sum_of_squares.
# A fair coin is tossed 10 times. What is the probability of exactly 4 heads?
ASSERT(evalb(binomial(10, 4) = 210));

# A right triangle has legs 18 and 24. Find its hypotenuse and its area.
ASSERT(evalb(18^2 + 24^2 = 900));

# Determine the roots of the equation x^2 + 7x + 6 = 0.
ASSERT(evalb((-6)^2 + 7*(-6) + 6 = 0));
ASSERT(evalb((-1)^2 + 7*(-1) + 6 = 0));
ASSERT(evalb(7^2 - 4*6 = 25));

# A right triangle has legs 80 and 192. Find its hypotenuse and its area.
ASSERT(evalb(80^2 + 192^2 = 43264));

# Show that 1^2 + 2^2 + \dots + 29^2 = 8555.
ASSERT(evalb(29*(29 + 1)*(2*29 + 1) = 51330));

# Factor 1055638727 into primes and count its positive divisors.
ASSERT(evalb(11^3*13^3*19^2 = 1055638727));

# A fair coin is tossed 16 times. What is the probability of exactly 14 heads?
ASSERT(evalb(binomial(16, 14) = 120));

# Find the remainder when 20^{102} is divided by 31.
ASSERT(evalb(20 &^ 102 mod 31 = 16));

# Show that 1^2 + 2^2 + \dots + 18^2 = 2109.
ASSERT(evalb(18*(18 + 1)*(2*18 + 1) = 12654));

# Show that 1^2 + 2^2 + \dots + 20^2 = 2870.
ASSERT(evalb(20*(20 + 1)*(2*20 + 1) = 17220));

# Solve the system \begin{aligned} -2x + 7y &= -72 \\ 4x + 1y &= 24 \end{aligned}
ASSERT(evalb((-2)*8 + 7*(-8) = -72));
ASSERT(evalb(4*8 + 1*(-8) = 24));

# Determine the roots of the equation x^2 - 19x + 90 = 0.
ASSERT(evalb(9^2 - 19*9 + 90 = 0));
ASSERT(evalb(10^2 - 19*10 + 90 = 0));
ASSERT(evalb((-19)^2 - 4*90 = 1));

