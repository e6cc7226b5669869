% Worked examples: gcd, linear_system, powmod, quadratic, sum_of_squares.
% Compute \gcd(1386, 968) and write it as an integer combination of 1386 and 968.
assert(gcd(1386, 968) == 22);
assert(7*1386 + (-10)*968 == 22);

% Find the remainder when 16^{76} is divided by 17.
assert(powermod(16, 76, 17) == 1);

% Solve the system \begin{aligned} 1x + 3y &= -12 \\ 4x - 5y &= -31 \end{aligned}
assert(1*(-9) + 3*(-1) == -12);
assert(4*(-9) + (-5)*(-1) == -31);

% Show that 1^2 + 2^2 + \dots + 20^2 = 2870.
assert(20*(20 + 1)*(2*20 + 1) == 17220);

% Find all real solutions of the equation x^2 - 16 = 0.
assert((-4)^2 + 0*(-4) - 16 == 0);
assert(4^2 + 0*4 - 16 == 0);
assert(0^2 - 4*(-16) == 64);

% Find the remainder when 18^{80} is divided by 43.
assert(powermod(18, 80, 43) == 10);

