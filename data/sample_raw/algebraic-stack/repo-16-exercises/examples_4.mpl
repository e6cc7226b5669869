# Worked examples: linear_system, pythagoras, quadratic.
# Find all real solutions of the equation x^2 + 6x - 40 = 0.
ASSERT(evalb((-10)^2 + 6*(-10) - 40 = 0));
ASSERT(evalb(4^2 + 6*4 - 40 = 0));
ASSERT(evalb(6^2 - 4*(-40) = 196));

# Solve the system \begin{aligned} 5x - 2y &= 35 \\ 3x - 4y &= 7 \end{aligned}
ASSERT(evalb(5*9 + (-2)*5 = 35));
ASSERT(evalb(3*9 + (-4)*5 = 7));

# A right triangle has legs 198 and 336. Find its hypotenuse and its area.
ASSERT(evalb(198^2 + 336^2 = 152100));

# A right triangle has legs 130 and 144. Find its hypotenuse and its area.
ASSERT(evalb(130^2 + 144^2 = 37636));

# Find all real solutions of the equation x^2 + 2x - 80 = 0.
ASSERT(evalb((-10)^2 + 2*(-10) - 80 = 0));
ASSERT(evalb(8^2 + 2*8 - 80 = 0));
ASSERT(evalb(2^2 - 4*(-80) = 324));

# A right triangle has legs 160 and 36. Find its hypotenuse and its area.
ASSERT(evalb(160^2 + 36^2 = 26896));

