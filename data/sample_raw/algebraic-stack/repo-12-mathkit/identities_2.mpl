# Worked examples: binomial, gcd, powmod, pythagoras, sum_of_squares.
# Find the remainder when 50^{40} is divided by 11.
ASSERT(evalb(50 &^ 40 mod 11 = 1));

# Find the remainder when 10^{41} is divided by 19.
ASSERT(evalb(10 &^ 41 mod 19 = 3));

# A right triangle has legs 20 and 48. Find its hypotenuse and its area.
ASSERT(evalb(20^2 + 48^2 = 2704));

# Show that 1^2 + 2^2 + \dots + 16^2 = 1496.
ASSERT(evalb(16*(16 + 1)*(2*16 + 1) = 8976));

# Compute \gcd(670, 170) and write it as an integer combination of 670 and 170.
ASSERT(evalb(igcd(670, 170) = 10));
ASSERT(evalb((-1)*670 + 4*170 = 10));

# A fair coin is tossed 12 times. What is the probability of exactly 2 heads?
ASSERT(evalb(binomial(12, 2) = 66));

# A fair coin is tossed 4 times. What is the probability of exactly 2 heads?
ASSERT(evalb(binomial(4, 2) = 6));

# Show that 1^2 + 2^2 + \dots + 19^2 = 2470.
ASSERT(evalb(19*(19 + 1)*(2*19 + 1) = 14820));

# Show that 1^2 + 2^2 + \dots + 22^2 = 3795.
ASSERT(evalb(22*(22 + 1)*(2*22 + 1) = 22770));

