% Worked examples: binomial, factorization, gcd, linear_system, pythagoras, quadratic, sum_of_squares.
% Compute \gcd(1577, 418) and write it as an integer combination of 1577 and 418.
assert(gcd(1577, 418) == 19);
assert((-9)*1577 + 34*418 == 19);

% Solve the system \begin{aligned} 5x + 3y &= 63 \\ 4x - 4y &= 12 \end{aligned}
assert(5*9 + 3*6 == 63);
assert(4*9 + (-4)*6 == 12);

% Solve the equation x^2 - 11x - 12 = 0.
assert((-1)^2 - 11*(-1) - 12 == 0);
assert(12^2 - 11*12 - 12 == 0);
assert((-11)^2 - 4*(-12) == 169);

% Solve the system \begin{aligned} 3x + 4y &= 16 \\ 4x - 2y &= -30 \end{aligned}
assert(3*(-4) + 4*7 == 16);
assert(4*(-4) + (-2)*7 == -30);

% A right triangle has legs 27 and 36. Find its hypotenuse and its area.
assert(27^2 + 36^2 == 2025);

% A fair coin is tossed 5 times. What is the probability of exactly 4 heads?
assert(nchoosek(5, 4) == 5);

% Factor 252446695325 into primes and count its positive divisors.
assert(5^2*11^2*19^3*23^3 == 252446695325);

% Show that 1^2 + 2^2 + \dots + 6^2 = 91.
assert(6*(6 + 1)*(2*6 + 1) == 546);

% Find all real solutions of the equation x^2 + 10x - 24 = 0.
assert((-12)^2 + 10*(-12) - 24 == 0);
assert(2^2 + 10*2 - 24 == 0);
assert(10^2 - 4*(-24) == 196);

