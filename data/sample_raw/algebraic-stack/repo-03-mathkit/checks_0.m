% Worked examples: binomial, factorization, gcd, powmod, pythagoras.
% Factor 12397 into primes and count its positive divisors.
assert(7^2*11^1*23^1 == 12397);

% Compute \gcd(900, 84) and write it as an integer combination of 900 and 84.
assert(gcd(900, 84) == 12);
assert(3*900 + (-32)*84 == 12);

% Find the remainder when 18^{50} is divided by 37.
assert(powermod(18, 50, 37) == 21);

% Factor 539 into primes and count its positive divisors.
assert(7^2*11^1 == 539);

% A right triangle has legs 10 and 24. Find its hypotenuse and its area.
assert(10^2 + 24^2 == 676);

% Compute \gcd(990, 738) and write it as an integer combination of 990 and 738.
assert(gcd(990, 738) == 18);
assert(3*990 + (-4)*738 == 18);

% Find the remainder when 52^{394} is divided by 29.
assert(powermod(52, 394, 29) == 7);

% Factor 125375375125 into primes and count its positive divisors.
assert(5^3*7^3*11^3*13^3 == 125375375125);

% A fair coin is tossed 15 times. What is the probability of exactly 6 heads?
assert(nchoosek(15, 6) == 5005);

