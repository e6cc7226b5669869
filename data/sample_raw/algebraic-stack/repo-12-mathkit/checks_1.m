% Worked examples: binomial, factorization, linear_system, powmod, pythagoras, quadratic, sum_of_squares.
% Factor 181203 into primes and count its positive divisors.
assert(3^1*11^1*17^2*19^1 == 181203);

% Find the remainder when 39^{373} is divided by 17.
assert(powermod(39, 373, 17) == 14);

% A right triangle has legs 25 and 60. Find its hypotenuse and its area.
assert(25^2 + 60^2 == 4225);

% Factor 10102223599 into primes and count its positive divisors.
assert(13^2*17^3*23^3 == 10102223599);

% A fair coin is tossed 14 times. What is the probability of exactly 6 heads?
assert(nchoosek(14, 6) == 3003);

% Find all real solutions of the equation x^2 + x - 56 = 0.
assert((-8)^2 + 1*(-8) - 56 == 0);
assert(7^2 + 1*7 - 56 == 0);
assert(1^2 - 4*(-56) == 225);

% Show that 1^2 + 2^2 + \dots + 18^2 = 2109.
assert(18*(18 + 1)*(2*18 + 1) == 12654);

% A right triangle has legs 54 and 72. Find its hypotenuse and its area.
assert(54^2 + 72^2 == 8100);

% Factor 7761061 into primes and count its positive divisors.
assert(7^3*11^3*17^1 == 7761061);

% A right triangle has legs 8 and 6. Find its hypotenuse and its area.
assert(8^2 + 6^2 == 100);

% A right triangle has legs 32 and 24. Find its hypotenuse and its area.
assert(32^2 + 24^2 == 1600);

% Solve the system \begin{aligned} -4x - 7y &= -2 \\ 4x + 2y &= -8 \end{aligned}
assert((-4)*(-3) + (-7)*2 == -2);
assert(4*(-3) + 2*2 == -8);

