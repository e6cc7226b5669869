% Worked examples: binomial, factorization, linear_system, powmod, pythagoras, quadratic, sum_of_squares.
% Solve the system \begin{aligned} 3x + 5y &= 10 \\ 6x + 4y &= -10 \end{aligned}
assert(3*(-5) + 5*5 == 10);
assert(6*(-5) + 4*5 == -10);

% Factor 945 into primes and count its positive divisors.
assert(3^3*5^1*7^1 == 945);

% Determine the roots of the equation x^2 - 14x + 24 = 0.
assert(2^2 - 14*2 + 24 == 0);
assert(12^2 - 14*12 + 24 == 0);
assert((-14)^2 - 4*24 == 100);

% Find all real solutions of the equation x^2 - 4 = 0.
assert((-2)^2 + 0*(-2) - 4 == 0);
assert(2^2 + 0*2 - 4 == 0);
assert(0^2 - 4*(-4) == 16);

% A right triangle has legs 48 and 36. Find its hypotenuse and its area.
assert(48^2 + 36^2 == 3600);

% Find the remainder when 17^{27} is divided by 23.
assert(powermod(17, 27, 23) == 21);

% Solve the system \begin{aligned} 4x - 5y &= -11 \\ -4x + 3y &= 13 \end{aligned}
assert(4*(-4) + (-5)*(-1) == -11);
assert((-4)*(-4) + 3*(-1) == 13);

% Show that 1^2 + 2^2 + \dots + 9^2 = 285.
assert(9*(9 + 1)*(2*9 + 1) == 1710);

% A fair coin is tossed 5 times. What is the probability of exactly 4 heads?
assert(nchoosek(5, 4) == 5);

% Factor 34969 into primes and count its positive divisors.
assert(11^2*17^2 == 34969);

% A right triangle has legs 216 and 162. Find its hypotenuse and its area.
assert(216^2 + 162^2 == 72900);

% Find the remainder when 48^{35} is divided by 37.
assert(powermod(48, 35, 37) == 27);

