# Worked examples: binomial, factorization, gcd, linear_system, pythagoras, quadratic, sum_of_squares.
# Show that 1^2 + 2^2 + \dots + 5^2 = 55.
Assert(0, 5*(5 + 1)*(2*5 + 1) = 330);

# A fair coin is tossed 5 times. What is the probability of exactly 4 heads?
Assert(0, Binomial(5, 4) = 5);

# Compute \gcd(380, 350) and write it as an integer combination of 380 and 350.
Assert(0, Gcd(380, 350) = 10);
Assert(0, 12*380 + (-13)*350 = 10);

# A fair coin is tossed 9 times. What is the probability of exactly 7 heads?
Assert(0, Binomial(9, 7) = 36);

# Solve the system \begin{aligned} -7x + 2y &= -8 \\ 7x - 1y &= 4 \end{aligned}
Assert(0, (-7)*0 + 2*(-4) = -8);
Assert(0, 7*0 + (-1)*(-4) = 4);

# A fair coin is tossed 6 times. What is the probability of exactly 3 heads?
Assert(0, Binomial(6, 3) = 20);

# Find all real solutions of the equation x^2 - 13x + 40 = 0.
Assert(0, 5^2 - 13*5 + 40 = 0);
Assert(0, 8^2 - 13*8 + 40 = 0);
Assert(0, (-13)^2 - 4*40 = 9);

# A right triangle has legs 360 and 192. Find its hypotenuse and its area.
Assert(0, 360^2 + 192^2 = 166464);

# A fair coin is tossed 9 times. What is the probability of exactly 6 heads?
Assert(0, Binomial(9, 6) = 84);

# Find all real solutions of the equation x^2 - 16x + 63 = 0.
Assert(0, 7^2 - 16*7 + 63 = 0);
Assert(0, 9^2 - 16*9 + 63 = 0);
Assert(0, (-16)^2 - 4*63 = 4);

# Factor 11558650 into primes and count its positive divisors.
Assert(0, 2^1*5^2*19^1*23^3 = 11558650);

