% Worked examples: factorization, gcd, powmod, quadratic.
% Find the remainder when 59^{161} is divided by 43.
assert(powermod(59, 161, 43) == 1);

% Factor 48582831 into primes and count its positive divisors.
assert(3^1*11^3*23^3 == 48582831);

% Find the remainder when 25^{30} is divided by 11.
assert(powermod(25, 30, 11) == 1);

% Compute \gcd(1075, 375) and write it as an integer combination of 1075 and 375.
assert(gcd(1075, 375) == 25);
assert(7*1075 + (-20)*375 == 25);

% Determine the roots of the equation x^2 - 81 = 0.
assert((-9)^2 + 0*(-9) - 81 == 0);
assert(9^2 + 0*9 - 81 == 0);
assert(0^2 - 4*(-81) == 324);

% Determine the roots of the equation x^2 - 9x + 8 = 0.
assert(1^2 - 9*1 + 8 == 0);
assert(8^2 - 9*8 + 8 == 0);
assert((-9)^2 - 4*8 == 49);

