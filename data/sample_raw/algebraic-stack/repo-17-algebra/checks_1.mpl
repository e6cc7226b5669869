# Worked examples: binomial, factorization, gcd, powmod, pythagoras, quadratic.
# Compute \gcd(882, 238) and write it as an integer combination of 882 and 238.
ASSERT(evalb(igcd(882, 238) = 14));
ASSERT(evalb((-7)*882 + 26*238 = 14));

# Find the remainder when 40^{191} is divided by 13.
ASSERT(evalb(40 &^ 191 mod 13 = 1));

# A fair coin is tossed 9 times. What is the probability of exactly 5 heads?
ASSERT(evalb(binomial(9, 5) = 126));

# Find all real solutions of the equation x^2 + 4x - 60 = 0.
ASSERT(evalb((-10)^2 + 4*(-10) - 60 = 0));
ASSERT(evalb(6^2 + 4*6 - 60 = 0));
ASSERT(evalb(4^2 - 4*(-60) = 256));

# Compute \gcd(656, 584) and write it as an integer combination of 656 and 584.
ASSERT(evalb(igcd(656, 584) = 8));
ASSERT(evalb((-8)*656 + 9*584 = 8));

# Compute \gcd(112, 104) and write it as an integer combination of 112 and 104.
ASSERT(evalb(igcd(112, 104) = 8));
ASSERT(evalb(1*112 + (-1)*104 = 8));

# A right triangle has legs 48 and 36. Find its hypotenuse and its area.
ASSERT(evalb(48^2 + 36^2 = 3600));

# Find the remainder when 32^{175} is divided by 31.
ASSERT(evalb(32 &^ 175 mod 31 = 1));

# Factor 434836413 into primes and count its positive divisors.
ASSERT(evalb(3^2*11^1*19^2*23^3 = 434836413));

# Factor 1393821 into primes and count its positive divisors.
ASSERT(evalb(3^3*11^1*13^1*19^2 = 1393821));

