% Worked examples: binomial, factorization, gcd, linear_system, quadratic, sum_of_squares.
% Solve the system \begin{aligned} 1x - 3y &= 11 \\ 5x + 7y &= -33 \end{aligned}
assert(1*(-1) + (-3)*(-4) == 11);
assert(5*(-1) + 7*(-4) == -33);

% Show that 1^2 + 2^2 + \dots + 27^2 = 6930.
assert(27*(27 + 1)*(2*27 + 1) == 41580);

% A fair coin is tossed 7 times. What is the probability of exactly 3 heads?
assert(nchoosek(7, 3) == 35);

% A fair coin is tossed 5 times. What is the probability of exactly 1 heads?
assert(nchoosek(5, 1) == 5);

% Factor 49500 into primes and count its positive divisors.
assert(2^2*3^2*5^3*11^1 == 49500);

% Solve the equation x^2 - 3x - 10 = 0.
assert((-2)^2 - 3*(-2) - 10 == 0);
assert(5^2 - 3*5 - 10 == 0);
assert((-3)^2 - 4*(-10) == 49);

% Solve the system \begin{aligned} -6x + 7y &= -20 \\ -3x - 6y &= 66 \end{aligned}
assert((-6)*(-6) + 7*(-8) == -20);
assert((-3)*(-6) + (-6)*(-8) == 66);

% Show that 1^2 + 2^2 + \dots + 7^2 = 140.
assert(7*(7 + 1)*(2*7 + 1) == 840);

% Factor 13795704 into primes and count its positive divisors.
assert(2^3*3^3*13^1*17^3 == 13795704);

% Compute \gcd(551, 456) and write it as an integer combination of 551 and 456.
assert(gcd(551, 456) == 19);
assert(5*551 + (-6)*456 == 19);

% A fair coin is tossed 9 times. What is the probability of exactly 6 heads?
assert(nchoosek(9, 6) == 84);

