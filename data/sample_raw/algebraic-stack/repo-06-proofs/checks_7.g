# Worked examples: binomial, gcd, linear_system, powmod, pythagoras, quadratic, sum_of_squares.
# A fair coin is tossed 15 times. What is the probability of exactly 12 heads?
Assert(0, Binomial(15, 12) = 455);

# A fair coin is tossed 10 times. What is the probability of exactly 3 heads?
Assert(0, Binomial(10, 3) = 120);

# A fair coin is tossed 7 times. What is the probability of exactly 4 heads?
Assert(0, Binomial(7, 4) = 35);

# Find the remainder when 10^{201} is divided by 13.
Assert(0, PowerModInt(10, 201, 13) = 12);

# Determine the roots of the equation x^2 - 6x - 27 = 0.
Assert(0, (-3)^2 - 6*(-3) - 27 = 0);
Assert(0, 9^2 - 6*9 - 27 = 0);
Assert(0, (-6)^2 - 4*(-27) = 144);

# A right triangle has legs 15 and 8. Find its hypotenuse and its area.
Assert(0, 15^2 + 8^2 = 289);

# Find all real solutions of the equation x^2 + x - 132 = 0.
Assert(0, (-12)^2 + 1*(-12) - 132 = 0);
Assert(0, 11^2 + 1*11 - 132 = 0);
Assert(0, 1^2 - 4*(-132) = 529);

# Solve the system \begin{aligned} 2x - 2y &= 8 \\ -3x - 5y &= 4 \end{aligned}
Assert(0, 2*2 + (-2)*(-2) = 8);
Assert(0, (-3)*2 + (-5)*(-2) = 4);

# Show that 1^2 + 2^2 + \dots + 38^2 = 19019.
Assert(0, 38*(38 + 1)*(2*38 + 1) = 114114);

# Compute \gcd(231, 90) and write it as an integer combination of 231 and 90.
Assert(0, Gcd(231, 90) = 3);
Assert(0, (-7)*231 + 18*90 = 3);

# Determine the roots of the equation x^2 - 13x + 30 = 0.
Assert(0, 3^2 - 13*3 + 30 = 0);
Assert(0, 10^2 - 13*10 + 30 = 0);
Assert(0, (-13)^2 - 4*30 = 49);

