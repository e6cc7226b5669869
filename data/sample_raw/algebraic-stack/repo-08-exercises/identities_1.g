# Worked examples: binomial, pythagoras, quadratic, sum_of_squares.
# A right triangle has legs 48 and 36. Find its hypotenuse and its area.
Assert(0, 48^2 + 36^2 = 3600);

# A right triangle has legs 156 and 320. Find its hypotenuse and its area.
Assert(0, 156^2 + 320^2 = 126736);

# Determine the roots of the equation x^2 - 4x - 60 = 0.
Assert(0, (-6)^2 - 4*(-6) - 60 = 0);
Assert(0, 10^2 - 4*10 - 60 = 0);
Assert(0, (-4)^2 - 4*(-60) = 256);

# Show that 1^2 + 2^2 + \dots + 26^2 = 6201.
Assert(0, 26*(26 + 1)*(2*26 + 1) = 37206);

# A fair coin is tossed 15 times. What is the probability of exactly 14 heads?
Assert(0, Binomial(15, 14) = 15);

# A right triangle has legs 308 and 144. Find its hypotenuse and its area.
Assert(0, 308^2 + 144^2 = 115600);

# Show that 1^2 + 2^2 + \dots + 19^2 = 2470.
Assert(0, 19*(19 + 1)*(2*19 + 1) = 14820);

# A fair coin is tossed 12 times. What is the probability of exactly 10 heads?
Assert(0, Binomial(12, 10) = 66);

