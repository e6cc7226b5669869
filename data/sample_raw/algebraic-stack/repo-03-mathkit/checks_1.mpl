# Worked examples: linear_system, powmod, pythagoras, quadratic, sum_of_squares.
# Solve the equation x^2 - 7x - 18 = 0.
ASSERT(evalb((-2)^2 - 7*(-2) - 18 = 0));
ASSERT(evalb(9^2 - 7*9 - 18 = 0));
ASSERT(evalb((-7)^2 - 4*(-18) = 121));

# Show that 1^2 + 2^2 + \dots + 10^2 = 385.
ASSERT(evalb(10*(10 + 1)*(2*10 + 1) = 2310));

# Solve the system \begin{aligned} -6x - 1y &= 3 \\ -4x - 1y &= 5 \end{aligned}
ASSERT(evalb((-6)*1 + (-1)*(-9) = 3));
ASSERT(evalb((-4)*1 + (-1)*(-9) = 5));

# A right triangle has legs 10 and 24. Find its hypotenuse and its area.
ASSERT(evalb(10^2 + 24^2 = 676));

# Find the remainder when 4^{128} is divided by 17.
ASSERT(evalb(4 &^ 128 mod 17 = 1));

# Show that 1^2 + 2^2 + \dots + 29^2 = 8555.
ASSERT(evalb(29*(29 + 1)*(2*29 + 1) = 51330));

