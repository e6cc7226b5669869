# Worked examples: binomial, gcd, linear_system, powmod, pythagoras, sum_of_squares.
# A fair coin is tossed 12 times. What is the probability of exactly 3 heads?
ASSERT(evalb(binomial(12, 3) = 220));

# Show that 1^2 + 2^2 + \dots + 26^2 = 6201.
ASSERT(evalb(26*(26 + 1)*(2*26 + 1) = 37206));

# A fair coin is tossed 10 times. What is the probability of exactly 4 heads?
ASSERT(evalb(binomial(10, 4) = 210));

# Compute \gcd(364, 280) and write it as an integer combination of 364 and 280.
ASSERT(evalb(igcd(364, 280) = 28));
ASSERT(evalb((-3)*364 + 4*280 = 28));

# Solve the system \begin{aligned} 2x + 1y &= 20 \\ -3x + 5y &= -4 \end{aligned}
ASSERT(evalb(2*8 + 1*4 = 20));
ASSERT(evalb((-3)*8 + 5*4 = -4));

# Solve the system \begin{aligned} 6x - 2y &= 60 \\ -5x + 4y &= -71 \end{aligned}
ASSERT(evalb(6*7 + (-2)*(-9) = 60));
ASSERT(evalb((-5)*7 + 4*(-9) = -71));

# A right triangle has legs 105 and 100. Find its hypotenuse and its area.
ASSERT(evalb(105^2 + 100^2 = 21025));

# Find the remainder when 52^{129} is divided by 41.
ASSERT(evalb(52 &^ 129 mod 41 = 12));

# A fair coin is tossed 7 times. What is the probability of exactly 5 heads?
ASSERT(evalb(binomial(7, 5) = 21));

# Find the remainder when 43^{302} is divided by 37.
ASSERT(evalb(43 &^ 302 mod 37 = 36));

# A fair coin is tossed 13 times. What is the probability of exactly 11 heads?
ASSERT(evalb(binomial(13, 11) = 78));

