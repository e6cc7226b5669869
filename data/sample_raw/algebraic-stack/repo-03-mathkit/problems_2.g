# Worked examples: factorization, gcd, powmod, pythagoras, quadratic.
# A right triangle has legs 15 and 36. Find its hypotenuse and its area.
Assert(0, 15^2 + 36^2 = 1521);

# A right triangle has legs 60 and 32. Find its hypotenuse and its area.
Assert(0, 60^2 + 32^2 = 4624);

# Find the remainder when 55^{277} is divided by 43.
Assert(0, PowerModInt(55, 277, 43) = 33);

# Factor 99139625 into primes and count its positive divisors.
Assert(0, 5^3*13^3*19^2 = 99139625);

# Determine the roots of the equation x^2 - 14x + 48 = 0.
Assert(0, 6^2 - 14*6 + 48 = 0);
Assert(0, 8^2 - 14*8 + 48 = 0);
Assert(0, (-14)^2 - 4*48 = 4);

# Compute \gcd(2349, 297) and write it as an integer combination of 2349 and 297.
Assert(0, Gcd(2349, 297) = 27);
Assert(0, (-1)*2349 + 8*297 = 27);

# Find the remainder when 43^{282} is divided by 37.
Assert(0, PowerModInt(43, 282, 37) = 36);

# Compute \gcd(1406, 1197) and write it as an integer combination of 1406 and 1197.
Assert(0, Gcd(1406, 1197) = 19);
Assert(0, 23*1406 + (-27)*1197 = 19);

