% Worked examples: binomial, gcd, linear_system, pythagoras, quadratic.
% A right triangle has legs 24 and 10. Find its hypotenuse and its area.
assert(24^2 + 10^2 == 676);

% A fair coin is tossed 4 times. What is the probability of exactly 2 heads?
assert(nchoosek(4, 2) == 6);

% Find all real solutions of the equation x^2 + 15x + 56 = 0.
assert((-8)^2 + 15*(-8) + 56 == 0);
assert((-7)^2 + 15*(-7) + 56 == 0);
assert(15^2 - 4*56 == 1);

% Solve the system \begin{aligned} -4x + 5y &= 12 \\ -2x + 3y &= 6 \end{aligned}
assert((-4)*(-3) + 5*0 == 12);
assert((-2)*(-3) + 3*0 == 6);

% Compute \gcd(296, 48) and write it as an integer combination of 296 and 48.
assert(gcd(296, 48) == 8);
assert(1*296 + (-6)*48 == 8);

% A fair coin is tossed 11 times. What is the probability of exactly 10 heads?
assert(nchoosek(11, 10) == 11);

% A fair coin is tossed 9 times. What is the probability of exactly 8 heads?
assert(nchoosek(9, 8) == 9);

% Solve the system \begin{aligned} 6x + 5y &= -9 \\ -6x - 3y &= -9 \end{aligned}
assert(6*6 + 5*(-9) == -9);
assert((-6)*6 + (-3)*(-9) == -9);

% Solve the system \begin{aligned} 2x - 5y &= 10 \\ 1x - 7y &= 5 \end{aligned}
assert(2*5 + (-5)*0 == 10);
assert(1*5 + (-7)*0 == 5);

% A fair coin is tossed 13 times. What is the probability of exactly 3 heads?
assert(nchoosek(13, 3) == 286);

