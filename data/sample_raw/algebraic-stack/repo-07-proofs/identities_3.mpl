# Worked examples: binomial, factorization, gcd, linear_system, pythagoras.
# Factor 86697 into primes and count its positive divisors.
ASSERT(evalb(3^3*13^2*19^1 = 86697));

# A fair coin is tossed 12 times. What is the probability of exactly 8 heads?
ASSERT(evalb(binomial(12, 8) = 495));

# Solve the system \begin{aligned} 3x - 1y &= -23 \\ 4x - 3y &= -44 \end{aligned}
ASSERT(evalb(3*(-5) + (-1)*8 = -23));
ASSERT(evalb(4*(-5) + (-3)*8 = -44));

# Factor 210969122 into primes and count its positive divisors.
ASSERT(evalb(2^1*7^1*13^3*19^3 = 210969122));

# Factor 7480 into primes and count its positive divisors.
ASSERT(evalb(2^3*5^1*11^1*17^1 = 7480));

# Compute \gcd(87, 63) and write it as an integer combination of 87 and 63.
ASSERT(evalb(igcd(87, 63) = 3));
ASSERT(evalb(8*87 + (-11)*63 = 3));

# A right triangle has legs 36 and 160. Find its hypotenuse and its area.
ASSERT(evalb(36^2 + 160^2 = 26896));

# A fair coin is tossed 13 times. What is the probability of exactly 2 heads?
ASSERT(evalb(binomial(13, 2) = 78));

# Factor 57 into primes and count its positive divisors.
ASSERT(evalb(3^1*19^1 = 57));

# Factor 425845 into primes and count its positive divisors.
ASSERT(evalb(5^1*7^1*23^3 = 425845));

# Compute \gcd(897, 559) and write it as an integer combination of 897 and 559.
ASSERT(evalb(igcd(897, 559) = 13));
ASSERT(evalb(5*897 + (-8)*559 = 13));

