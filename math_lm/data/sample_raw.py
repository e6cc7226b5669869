"""Deterministic raw inputs for the Proof-Pile-2 demo: LaTeX papers, math web pages and math source code.

``write_sample_raw(output_dir)`` writes three folders, one per subset, that exercise what the preprocessors
in this package do (``tools/make_sample_raw.py`` is the command; the shipped ``data/sample_raw/`` is its
default output):

* ``arxiv/``: paper directories (a main file with preamble, argument-free and argument macros, comments,
  ``\\input``/``\\include`` of section files, an abstract before the first section, a bibliography and text
  after ``\\end{document}``), single ``.tex`` papers with old-style ids, and ``.tar.gz`` source archives;
  plus inputs the cleaner drops: a paper with no sectioning command, a Latin-1 paper, the same paper as a
  directory and as an archive, and a README;
* ``open-web-math/``: HTML pages whose formulas are written in several markups (MathJax ``<script
  type="math/tex">``, KaTeX MathML with a TeX annotation, MathML ``alttext``, presentation MathML without
  TeX, WordPress LaTeX images, ``\\(…\\)``/``\\[…\\]`` and ``$…$``) inside navigation, sidebars, cookie
  banners and footers, and a ``.warc.gz`` crawl; plus pages the filters drop: too short, French, no math,
  a mis-declared charset, an exact mirror and a near duplicate, and WARC records that are not 200 HTML;
* ``algebraic-stack/``: small repositories in Python, Lean, Isabelle, Coq, Julia, R, Haskell, C, C++,
  MATLAB, Maple, GAP, Jupyter and TeX; plus files the language filters drop (Python without a math
  import, C without a math header, Lean without a theorem, numeric-array and Objective-C ``.m`` files, a
  Julia data file, a digit table, a notebook without math, JavaScript) and a vendored copy that the chunk
  deduplication drops.

All text is generated from templates with random numbers (``random.Random(seed)``), and every stated
result is computed, so the mathematics is correct. Archives are written with fixed timestamps and owners,
so the same seed gives the same bytes (gzip streams may differ between zlib builds; their contents do not).
"""

from __future__ import annotations

import gzip
import html
import io
import json
import math
import random
import shutil
import tarfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable, Sequence
from urllib.parse import quote

SEED = 2023
SUBSETS: tuple[str, ...] = ("arxiv", "open-web-math", "algebraic-stack")

# ----------------------------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class Fact:
    """An integer identity that code can check: ``kind`` is ``eval`` (``expr`` in ``+ - * ^`` syntax),
    ``gcd`` (``args = (a, b)``), ``powmod`` (``args = (a, k, m)``) or ``choose`` (``args = (n, k)``)."""

    name: str
    kind: str
    value: int
    expr: str = ""
    args: tuple[int, ...] = ()


@dataclass(frozen=True)
class Problem:
    """A worked problem: statement and solution steps in English with ``$…$``/``$$…$$`` LaTeX, the answer,
    and the integer facts behind it."""

    topic: str
    statement: str
    steps: tuple[str, ...]
    answer: str
    facts: tuple[Fact, ...]
    params: dict[str, object] = field(default_factory=dict)


def _signed(value: int) -> str:
    return f"+ {value}" if value >= 0 else f"- {-value}"


def _paren(value: int) -> str:
    return f"({value})" if value < 0 else str(value)


def _poly_latex(coefficients: Sequence[int], variable: str = "x") -> str:
    """LaTeX of ``sum c_i x^i`` written from the highest power down (zero terms left out)."""
    terms = []
    for power in range(len(coefficients) - 1, -1, -1):
        c = coefficients[power]
        if c == 0:
            continue
        magnitude = abs(c)
        body = {0: str(magnitude), 1: variable}.get(power, f"{variable}^{{{power}}}" if power > 9 else f"{variable}^{power}")
        if power > 0 and magnitude != 1:
            body = f"{magnitude}{body}"
        sign = "-" if c < 0 else "+"
        terms.append(f"{sign} {body}" if terms else (f"-{body}" if c < 0 else body))
    return " ".join(terms) if terms else "0"


def _frac_latex(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def _quadratic(rng: random.Random) -> Problem:
    r1, r2 = rng.sample([n for n in range(-12, 13) if n != 0], 2)
    r1, r2 = min(r1, r2), max(r1, r2)
    b, c = -(r1 + r2), r1 * r2
    disc = b * b - 4 * c
    poly = _poly_latex([c, b, 1])
    verb = rng.choice(["Solve", "Find all real solutions of", "Determine the roots of"])
    steps = (
        f"The discriminant is $\\Delta = b^2 - 4ac = {_paren(b)}^2 - 4 \\cdot {_paren(c)} = {disc}$, "
        f"a perfect square since $\\sqrt{{{disc}}} = {r2 - r1}$.",
        f"By the quadratic formula $$x = \\frac{{-b \\pm \\sqrt{{\\Delta}}}}{{2a}} = \\frac{{{-b} \\pm {r2 - r1}}}{{2}},$$ "
        f"so $x = {r1}$ or $x = {r2}$.",
        f"Check: the roots add up to ${r1 + r2} = -b$ and multiply to ${c} = c$, as Vieta's formulas require, "
        f"and indeed ${poly} = (x {_signed(-r1)})(x {_signed(-r2)})$.",
    )
    facts = (
        Fact(f"quadratic_root_{abs(r1)}_{abs(r2)}_a", "eval", 0, f"{_paren(r1)}^2 {_signed(b)}*{_paren(r1)} {_signed(c)}"),
        Fact(f"quadratic_root_{abs(r1)}_{abs(r2)}_b", "eval", 0, f"{_paren(r2)}^2 {_signed(b)}*{_paren(r2)} {_signed(c)}"),
        Fact(f"quadratic_disc_{abs(b)}_{abs(c)}", "eval", (r2 - r1) ** 2, f"{_paren(b)}^2 - 4*{_paren(c)}"),
    )
    return Problem("quadratic", f"{verb} the equation ${poly} = 0$.", steps, f"$x \\in \\{{{r1}, {r2}\\}}$", facts,
                   {"roots": (r1, r2)})


def _arithmetic(rng: random.Random) -> Problem:
    a, d, n = rng.randint(1, 40), rng.randint(2, 15), rng.randint(8, 60)
    last = a + (n - 1) * d
    total = n * (a + last) // 2
    steps = (
        f"The terms are $a_k = {a} + {d}(k-1)$ for $k = 1, \\dots, {n}$, so the last term is $a_{{{n}}} = {last}$.",
        f"Pairing the first term with the last, the second with the second to last, and so on, "
        f"$$S = \\frac{{n(a_1 + a_n)}}{{2}} = \\frac{{{n} \\cdot ({a} + {last})}}{{2}} = {total}.$$",
    )
    expr = f"{n}*(2*{a} + ({n} - 1)*{d})"
    facts = (Fact(f"arith_sum_{a}_{d}_{n}", "eval", 2 * total, expr),)
    statement = rng.choice([
        f"Compute the sum of the first ${n}$ terms of the arithmetic progression ${a}, {a + d}, {a + 2 * d}, \\dots$.",
        f"Evaluate $\\sum_{{k=1}}^{{{n}}} ({d}k {_signed(a - d)})$.",
    ])
    return Problem("arithmetic", statement, steps, f"${total}$", facts)


def _geometric(rng: random.Random) -> Problem:
    a, r, n = rng.randint(1, 9), rng.randint(2, 5), rng.randint(4, 11)
    total = a * (r**n - 1) // (r - 1)
    steps = (
        f"Let $S = \\sum_{{k=0}}^{{{n - 1}}} {a} \\cdot {r}^k$. Then ${r}S - S = {a} \\cdot {r}^{{{n}}} - {a}$, "
        "since every other term cancels.",
        f"Hence $$S = \\frac{{{a}({r}^{{{n}}} - 1)}}{{{r} - 1}} = \\frac{{{a} \\cdot {r**n - 1}}}{{{r - 1}}} = {total}.$$",
    )
    facts = (Fact(f"geom_sum_{a}_{r}_{n}", "eval", total * (r - 1), f"{a}*({r}^{n} - 1)"),)
    statement = f"Find the sum of the geometric series $\\sum_{{k=0}}^{{{n - 1}}} {a} \\cdot {r}^k$."
    return Problem("geometric", statement, steps, f"${total}$", facts)


def _gcd(rng: random.Random) -> Problem:
    g = rng.randint(2, 30)
    x, y = rng.sample(range(3, 90), 2)
    while math.gcd(x, y) != 1:
        y += 1
    a, b = g * max(x, y), g * min(x, y)
    lines, p, q = [], a, b
    while q:
        lines.append(f"{p} = {p // q} \\cdot {q} + {p % q}")
        p, q = q, p % q
    s, t = _bezout(a, b)
    steps = (
        "Apply the Euclidean algorithm: $$\\begin{aligned} " + " \\\\ ".join(lines) + " \\end{aligned}$$",
        f"The last non-zero remainder is ${g}$, so $\\gcd({a}, {b}) = {g}$.",
        f"Running the steps backwards gives the B\\'ezout identity ${_paren(s)} \\cdot {a} + {_paren(t)} \\cdot {b} = {g}$.",
    )
    facts = (
        Fact(f"gcd_{a}_{b}", "gcd", g, args=(a, b)),
        Fact(f"bezout_{a}_{b}", "eval", g, f"{_paren(s)}*{a} + {_paren(t)}*{b}"),
    )
    statement = f"Compute $\\gcd({a}, {b})$ and write it as an integer combination of ${a}$ and ${b}$."
    return Problem("gcd", statement, steps, f"${g}$", facts)


def _bezout(a: int, b: int) -> tuple[int, int]:
    old_r, r, old_s, s, old_t, t = a, b, 1, 0, 0, 1
    while r:
        quotient = old_r // r
        old_r, r = r, old_r - quotient * r
        old_s, s = s, old_s - quotient * s
        old_t, t = t, old_t - quotient * t
    return old_s, old_t


def _powmod(rng: random.Random) -> Problem:
    m = rng.choice([7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43])
    a, k = rng.randint(2, 60), rng.randint(20, 400)
    if a % m == 0:
        a += 1
    reduced = k % (m - 1)
    value = pow(a, k, m)
    steps = (
        f"Since ${m}$ is prime and ${m} \\nmid {a}$, Fermat's little theorem gives ${a}^{{{m - 1}}} \\equiv 1 \\pmod{{{m}}}$.",
        f"Write ${k} = {k // (m - 1)} \\cdot {m - 1} + {reduced}$; then ${a}^{{{k}}} \\equiv {a}^{{{reduced}}} \\equiv "
        f"{pow(a % m, reduced, m)} \\pmod{{{m}}}$, reducing ${a} \\equiv {a % m}$ first.",
    )
    facts = (Fact(f"powmod_{a}_{k}_{m}", "powmod", value, args=(a, k, m)),)
    statement = f"Find the remainder when ${a}^{{{k}}}$ is divided by ${m}$."
    return Problem("powmod", statement, steps, f"${value}$", facts)


def _integral(rng: random.Random) -> Problem:
    coefficients = [rng.randint(-6, 9) for _ in range(rng.randint(2, 4))]
    if coefficients[-1] == 0:
        coefficients[-1] = rng.randint(1, 5)
    upper = rng.randint(1, 5)
    antiderivative = [Fraction(0)] + [Fraction(c, i + 1) for i, c in enumerate(coefficients)]
    value = sum(c * upper**i for i, c in enumerate(antiderivative))
    anti_terms = " + ".join(
        f"{_frac_latex(c)}x^{{{i}}}" for i, c in reversed(list(enumerate(antiderivative))) if c != 0
    ).replace("+ -", "- ")
    steps = (
        f"An antiderivative of $f(x) = {_poly_latex(coefficients)}$ is $F(x) = {anti_terms}$, term by term by the power rule.",
        f"By the fundamental theorem of calculus, $$\\int_0^{{{upper}}} f(x)\\,dx = F({upper}) - F(0) = {_frac_latex(value)}.$$",
    )
    lcm = math.lcm(*(c.denominator for c in antiderivative))
    expr = " + ".join(f"{_paren(int(c * lcm))}*{upper}^{i}" for i, c in enumerate(antiderivative) if c != 0)
    facts = (Fact(f"integral_{len(coefficients)}_{upper}_{abs(value.numerator)}", "eval", int(value * lcm), expr),)
    statement = f"Evaluate the definite integral $\\int_0^{{{upper}}} \\left({_poly_latex(coefficients)}\\right) dx$."
    params = {"coefficients": tuple(coefficients), "upper": upper, "value": value}
    return Problem("integral", statement, steps, f"${_frac_latex(value)}$", facts, params)


def _determinant(rng: random.Random) -> Problem:
    a, b, c, d = (rng.randint(-9, 9) for _ in range(4))
    det = a * d - b * c
    if det == 0:
        d += 1
        det = a * d - b * c
    matrix = f"\\begin{{pmatrix}} {a} & {b} \\\\ {c} & {d} \\end{{pmatrix}}"
    steps = (
        f"For a $2 \\times 2$ matrix $\\det \\begin{{pmatrix}} a & b \\\\ c & d \\end{{pmatrix}} = ad - bc$, "
        f"so $\\det A = {_paren(a)} \\cdot {_paren(d)} - {_paren(b)} \\cdot {_paren(c)} = {det}$.",
        f"Since $\\det A = {det} \\neq 0$, $A$ is invertible and "
        f"$$A^{{-1}} = \\frac{{1}}{{{det}}} \\begin{{pmatrix}} {d} & {-b} \\\\ {-c} & {a} \\end{{pmatrix}}.$$",
    )
    facts = (Fact(f"det_{abs(a)}{abs(b)}{abs(c)}{abs(d)}", "eval", det, f"{_paren(a)}*{_paren(d)} - {_paren(b)}*{_paren(c)}"),)
    statement = f"Let $A = {matrix}$. Compute $\\det A$ and decide whether $A$ is invertible."
    return Problem("determinant", statement, steps, f"${det}$", facts, {"matrix": (a, b, c, d)})


def _eigen(rng: random.Random) -> Problem:
    p, q = rng.randint(-8, 12), rng.randint(1, 9)
    steps = (
        f"The characteristic polynomial is $\\det(A - \\lambda I) = ({p} - \\lambda)^2 - {q * q} = "
        f"{_poly_latex([p * p - q * q, -2 * p, 1], chr(92) + 'lambda ')}$.",
        f"Its roots are $\\lambda = {p} \\pm {q}$, i.e. $\\lambda_1 = {p + q}$ with eigenvector $(1, 1)^T$ and "
        f"$\\lambda_2 = {p - q}$ with eigenvector $(1, -1)^T$.",
        f"As a check, $\\lambda_1 + \\lambda_2 = {2 * p} = \\operatorname{{tr}} A$ and $\\lambda_1 \\lambda_2 = {p * p - q * q} = \\det A$.",
    )
    facts = (
        Fact(f"eigen_trace_{abs(p)}_{q}", "eval", 2 * p, f"{_paren(p + q)} + {_paren(p - q)}"),
        Fact(f"eigen_det_{abs(p)}_{q}", "eval", p * p - q * q, f"{_paren(p)}*{_paren(p)} - {q}*{q}"),
    )
    statement = f"Find the eigenvalues and eigenvectors of $A = \\begin{{pmatrix}} {p} & {q} \\\\ {q} & {p} \\end{{pmatrix}}$."
    return Problem("eigen", statement, steps, f"${p + q}, {p - q}$", facts, {"p": p, "q": q})


def _binomial(rng: random.Random) -> Problem:
    n = rng.randint(4, 16)
    k = rng.randint(1, n - 1)
    count = math.comb(n, k)
    probability = Fraction(count, 2**n)
    steps = (
        f"Each of the $2^{{{n}}} = {2**n}$ sequences of outcomes is equally likely.",
        f"Exactly ${k}$ heads occur in $\\binom{{{n}}}{{{k}}} = \\frac{{{n}!}}{{{k}!\\,{n - k}!}} = {count}$ of them, "
        f"so the probability is $$\\frac{{{count}}}{{{2**n}}} = {_frac_latex(probability)}.$$",
    )
    facts = (Fact(f"choose_{n}_{k}", "choose", count, args=(n, k)),)
    statement = f"A fair coin is tossed ${n}$ times. What is the probability of exactly ${k}$ heads?"
    return Problem("binomial", statement, steps, f"${_frac_latex(probability)}$", facts)


def _pythagoras(rng: random.Random) -> Problem:
    m = rng.randint(2, 9)
    n = rng.randint(1, m - 1)
    s = rng.randint(1, 6)
    a, b, c = s * (m * m - n * n), s * 2 * m * n, s * (m * m + n * n)
    steps = (
        f"By the Pythagorean theorem the hypotenuse is $c = \\sqrt{{{a}^2 + {b}^2}} = \\sqrt{{{a * a + b * b}}} = {c}$.",
        f"The area is $\\frac{{1}}{{2}} \\cdot {a} \\cdot {b} = {a * b // 2}$ and the perimeter is ${a + b + c}$.",
    )
    facts = (Fact(f"pythagoras_{a}_{b}_{c}", "eval", c * c, f"{a}^2 + {b}^2"),)
    statement = f"A right triangle has legs ${a}$ and ${b}$. Find its hypotenuse and its area."
    return Problem("pythagoras", statement, steps, f"$c = {c}$", facts)


def _sum_of_squares(rng: random.Random) -> Problem:
    n = rng.randint(5, 40)
    total = n * (n + 1) * (2 * n + 1) // 6
    steps = (
        "We prove $\\sum_{k=1}^{m} k^2 = \\frac{m(m+1)(2m+1)}{6}$ by induction on $m$. For $m = 1$ both sides are $1$.",
        "If it holds for $m$, then $$\\sum_{k=1}^{m+1} k^2 = \\frac{m(m+1)(2m+1)}{6} + (m+1)^2 = \\frac{(m+1)(m+2)(2m+3)}{6},$$ "
        "which is the formula for $m + 1$.",
        f"With $m = {n}$: $\\frac{{{n} \\cdot {n + 1} \\cdot {2 * n + 1}}}{{6}} = {total}$.",
    )
    facts = (Fact(f"sum_squares_{n}", "eval", 6 * total, f"{n}*({n} + 1)*(2*{n} + 1)"),)
    statement = f"Show that $1^2 + 2^2 + \\dots + {n}^2 = {total}$."
    return Problem("sum_of_squares", statement, steps, f"${total}$", facts)


def _factorization(rng: random.Random) -> Problem:
    primes = [2, 3, 5, 7, 11, 13, 17, 19, 23]
    chosen = sorted(rng.sample(primes, rng.randint(2, 4)))
    exponents = [rng.randint(1, 3) for _ in chosen]
    number = math.prod(p**e for p, e in zip(chosen, exponents))
    factored = " \\cdot ".join(f"{p}^{{{e}}}" if e > 1 else str(p) for p, e in zip(chosen, exponents))
    divisors = math.prod(e + 1 for e in exponents)
    divisor_product = " \\cdot ".join(str(e + 1) for e in exponents)
    steps = (
        f"Trial division by the primes in increasing order gives ${number} = {factored}$.",
        f"A divisor chooses each exponent independently, so ${number}$ has "
        f"${divisor_product} = {divisors}$ positive divisors.",
    )
    expr = "*".join(f"{p}^{e}" for p, e in zip(chosen, exponents))
    facts = (Fact(f"factor_{number}", "eval", number, expr),)
    statement = f"Factor ${number}$ into primes and count its positive divisors."
    return Problem("factorization", statement, steps, f"${factored}$", facts)


def _linear_system(rng: random.Random) -> Problem:
    x, y = rng.randint(-9, 9), rng.randint(-9, 9)
    while True:
        a1, b1, a2, b2 = (rng.choice([n for n in range(-7, 8) if n != 0]) for _ in range(4))
        if a1 * b2 - a2 * b1 != 0:
            break
    e1, e2 = a1 * x + b1 * y, a2 * x + b2 * y
    det = a1 * b2 - a2 * b1
    steps = (
        f"The determinant of the coefficient matrix is ${_paren(a1)} \\cdot {_paren(b2)} - {_paren(a2)} \\cdot {_paren(b1)} = {det} \\neq 0$, "
        "so the solution is unique.",
        f"By Cramer's rule $x = \\frac{{{e1} \\cdot {_paren(b2)} - {_paren(b1)} \\cdot {e2}}}{{{det}}} = {x}$ and "
        f"$y = \\frac{{{_paren(a1)} \\cdot {e2} - {e1} \\cdot {_paren(a2)}}}{{{det}}} = {y}$.",
    )
    facts = (
        Fact(f"linsys_eq1_{abs(e1)}_{abs(e2)}", "eval", e1, f"{_paren(a1)}*{_paren(x)} + {_paren(b1)}*{_paren(y)}"),
        Fact(f"linsys_eq2_{abs(e1)}_{abs(e2)}", "eval", e2, f"{_paren(a2)}*{_paren(x)} + {_paren(b2)}*{_paren(y)}"),
    )
    system = (
        f"$$\\begin{{aligned}} {a1}x {_signed(b1)}y &= {e1} \\\\ {a2}x {_signed(b2)}y &= {e2} \\end{{aligned}}$$"
    )
    return Problem("linear_system", f"Solve the system {system}", steps, f"$(x, y) = ({x}, {y})$", facts)


def _limit(rng: random.Random) -> Problem:
    a = rng.randint(2, 30)
    steps = (
        f"Direct substitution gives $\\frac{{0}}{{0}}$, so factor the numerator: $x^2 - {a * a} = (x - {a})(x + {a})$.",
        f"For $x \\neq {a}$ the quotient equals $x + {a}$, which is continuous, so the limit is ${a} + {a} = {2 * a}$.",
    )
    facts = (Fact(f"limit_factor_{a}", "eval", a * a, f"({a} + {a})*({a} - {a}) + {a}^2"),)
    statement = f"Compute $\\lim_{{x \\to {a}}} \\frac{{x^2 - {a * a}}}{{x - {a}}}$."
    return Problem("limit", statement, steps, f"${2 * a}$", facts)


TOPICS: dict[str, Callable[[random.Random], Problem]] = {
    "quadratic": _quadratic, "arithmetic": _arithmetic, "geometric": _geometric, "gcd": _gcd,
    "powmod": _powmod, "integral": _integral, "determinant": _determinant, "eigen": _eigen,
    "binomial": _binomial, "pythagoras": _pythagoras, "sum_of_squares": _sum_of_squares,
    "factorization": _factorization, "linear_system": _linear_system, "limit": _limit,
}  # fmt: skip


def make_problem(rng: random.Random, topics: Sequence[str] | None = None) -> Problem:
    """A random problem from ``topics`` (all topics when ``None``)."""
    return TOPICS[rng.choice(list(topics or TOPICS))](rng)


# Short expository paragraphs, one per theme, shared by papers, pages and lecture notes.
BACKGROUND: dict[str, str] = {
    "algebra": "Polynomial equations are the oldest objects of algebra. A quadratic $ax^2 + bx + c$ with "
    "$a \\neq 0$ has the two roots $\\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}$, which are real exactly when the "
    "discriminant $b^2 - 4ac$ is non-negative, and Vieta's formulas relate their sum and product to the coefficients.",
    "series": "A sequence is arithmetic when consecutive terms differ by a constant and geometric when they "
    "have a constant ratio. Both have closed-form partial sums, and the geometric series "
    "$\\sum_{k \\ge 0} r^k = \\frac{1}{1-r}$ converges exactly when $|r| < 1$.",
    "number theory": "The greatest common divisor of two integers can be computed by repeated division with "
    "remainder, and the same computation, run backwards, writes it as an integer combination of the two numbers. "
    "Modular arithmetic is arithmetic with remainders, and for a prime $p$ Fermat's little theorem states that "
    "$a^{p-1} \\equiv 1 \\pmod p$ whenever $p \\nmid a$.",
    "calculus": "The fundamental theorem of calculus turns the computation of a definite integral into the search "
    "for an antiderivative: if $F' = f$ on $[a, b]$ then $\\int_a^b f(x)\\,dx = F(b) - F(a)$. For polynomials the "
    "power rule $\\int x^n\\,dx = \\frac{x^{n+1}}{n+1} + C$ is all that is needed.",
    "linear algebra": "A square matrix is invertible exactly when its determinant is non-zero. Its eigenvalues are "
    "the roots of the characteristic polynomial $\\det(A - \\lambda I)$; their sum is the trace and their product "
    "is the determinant, which gives a quick check of any computation.",
    "probability": "When all outcomes of an experiment are equally likely, the probability of an event is the "
    "number of favourable outcomes divided by the number of all outcomes. Counting subsets is done with the "
    "binomial coefficients $\\binom{n}{k} = \\frac{n!}{k!(n-k)!}$, which also appear in the binomial theorem.",
    "geometry": "In a right triangle the square of the hypotenuse is the sum of the squares of the legs. "
    "Integer solutions of $a^2 + b^2 = c^2$ are called Pythagorean triples, and every primitive one is "
    "$(m^2 - n^2, 2mn, m^2 + n^2)$ for coprime $m > n$ of opposite parity.",
    "induction": "Mathematical induction proves a statement for every natural number by proving it for the first "
    "one and showing that it passes from each number to the next. Summation formulas such as "
    "$\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$ are the classical first examples.",
}  # fmt: skip

TOPIC_THEMES: dict[str, str] = {
    "quadratic": "algebra", "arithmetic": "series", "geometric": "series", "gcd": "number theory",
    "powmod": "number theory", "integral": "calculus", "determinant": "linear algebra",
    "eigen": "linear algebra", "binomial": "probability", "pythagoras": "geometry",
    "sum_of_squares": "induction", "factorization": "number theory", "linear_system": "linear algebra",
    "limit": "calculus",
}  # fmt: skip

THEME_TOPICS: dict[str, list[str]] = {}
for _topic, _theme in TOPIC_THEMES.items():
    THEME_TOPICS.setdefault(_theme, []).append(_topic)

_FIRST_NAMES = ["Ada", "Emmy", "Srinivasa", "Sofia", "Carl", "Henri", "Julia", "Kurt", "Alan", "Maryam",
                "Pierre", "Olga", "Terence", "Grace", "Leonhard", "Hypatia", "Bernhard", "Marie"]  # fmt: skip
_LAST_NAMES = ["Noether", "Lovelace", "Kovalevskaya", "Hilbert", "Poincare", "Robinson", "Godel", "Turing",
               "Mirzakhani", "Deligne", "Ladyzhenskaya", "Tao", "Hopper", "Euler", "Riemann", "Germain"]  # fmt: skip
_TITLE_WORDS = ["Explicit computations in", "Elementary remarks on", "A note on", "Worked examples in",
                "Effective methods for", "On classical identities in", "Exercises and solutions in"]  # fmt: skip
_CONNECTIVES = ["We now turn to a second example.", "The next computation follows the same pattern.",
                "A similar argument applies in the following case.", "Here is another instance.",
                "We record one more example, which will be used later.", "The method extends directly."]  # fmt: skip


def _author(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"


def _themes(rng: random.Random, count: int) -> list[str]:
    return rng.sample(sorted(BACKGROUND), count)


# ----------------------------------------------------------------------------------------------- arXiv

_PREAMBLE = r"""\documentclass[11pt]{amsart}
\usepackage{amsmath,amssymb,amsthm}
\usepackage[colorlinks]{hyperref}
%\usepackage{todonotes} % switched off for the arXiv version
\newtheorem{theorem}{Theorem}[section]
\newtheorem{proposition}[theorem]{Proposition}
\newtheorem{lemma}[theorem]{Lemma}
\theoremstyle{definition}
\newtheorem{example}[theorem]{Example}
\newtheorem{problem}[theorem]{Problem}
\theoremstyle{remark}
\newtheorem{remark}[theorem]{Remark}
\newcommand{\Z}{\mathbb{Z}}
\newcommand{\Q}{\mathbb{Q}}
\newcommand{\N}{\mathbb{N}}
\def\eps{\varepsilon}
\newcommand{\abs}[1]{\left|#1\right|}
"""


def _latex_problem(problem: Problem, rng: random.Random, label: str) -> str:
    """A problem as a proposition with a proof, in the macros of :data:`_PREAMBLE`."""
    environment = rng.choice(["example", "problem", "example"])
    statement = problem.statement.replace("\\mathbb{Z}", "\\Z")
    proof_lines = []
    for index, step in enumerate(problem.steps):
        if "$$" in step and rng.random() < 0.5:
            # some authors write numbered equations instead of $$ ... $$
            head, formula, tail = step.split("$$", 2)
            step = f"{head}\n\\begin{{equation}}\\label{{eq:{label}-{index}}}\n{formula.strip()}\n\\end{{equation}}\n{tail.strip()}"
        proof_lines.append(step)
        if rng.random() < 0.15:
            proof_lines.append(f"% TODO: shorten step {index + 1}?")
    remark = ""
    if rng.random() < 0.3:
        remark = f"\n\\begin{{remark}}\nThe answer, {problem.answer}, is easily confirmed by a computer algebra system.\n\\end{{remark}}\n"
    return (
        f"\\begin{{{environment}}}\\label{{{label}}}\n{statement}\n\\end{{{environment}}}\n"
        f"\\begin{{proof}}[{rng.choice(['Solution', 'Proof', 'Solution'])}]\n" + "\n".join(proof_lines) + "\n\\end{proof}\n" + remark
    )


def _latex_section(rng: random.Random, theme: str, label: str, count: int) -> str:
    title = theme.capitalize() if rng.random() < 0.5 else f"Examples from {theme}"
    parts = [f"\\section{{{title}}}\\label{{sec:{label}}}", BACKGROUND[theme].replace("\\mathbb{Z}", "\\Z"), ""]
    for index in range(count):
        if index:
            parts.append(rng.choice(_CONNECTIVES))
        parts.append(_latex_problem(make_problem(rng, THEME_TOPICS[theme]), rng, f"{label}-{index}"))
    if rng.random() < 0.5:
        parts.append(f"\\subsection{{Discussion}}\nFor $\\eps > 0$ small, none of the computations above changes; "
                     f"we note that $\\abs{{x}} \\le {rng.randint(2, 99)}$ in every example of this section.")
    return "\n".join(parts) + "\n"


def _bibliography(rng: random.Random, inline: bool) -> str:
    if not inline:
        return "\\bibliographystyle{amsplain}\n\\bibliography{refs}\n"
    items = []
    for index in range(rng.randint(2, 5)):
        year = rng.randint(1901, 2022)
        items.append(f"\\bibitem{{ref{index}}} {_author(rng)}, \\emph{{{rng.choice(_TITLE_WORDS)} "
                     f"{rng.choice(sorted(BACKGROUND))}}}, J. Math. {rng.randint(1, 90)} ({year}), {rng.randint(1, 400)}--{rng.randint(401, 800)}.")
    return "\\begin{thebibliography}{9}\n" + "\n".join(items) + "\n\\end{thebibliography}\n"


def _paper(rng: random.Random, split_sections: bool) -> tuple[str, dict[str, str]]:
    """A paper's main file and, when ``split_sections``, the section files it ``\\input``s."""
    themes = _themes(rng, rng.randint(3, 4))
    title = f"{rng.choice(_TITLE_WORDS)} {' and '.join(themes[:2])}"
    authors = " and ".join(_author(rng) for _ in range(rng.randint(1, 3)))
    sections = {f"sections/{theme.replace(' ', '_')}.tex": _latex_section(rng, theme, f"s{i}", rng.randint(2, 4))
                for i, theme in enumerate(themes)}
    intro = (
        "\\section{Introduction}\n"
        f"This note collects worked examples from {', '.join(themes[:-1])} and {themes[-1]}, with complete "
        "proofs. Every result is elementary; the point is to record the computations in a form that can be "
        "checked line by line over $\\Z$ and $\\Q$.\n"
        "% The referee asked for more motivation here.\n"
    )
    body = [intro]
    for path, text in sections.items():
        if split_sections:
            command = rng.choice(["\\input{", "\\include{"])
            body.append(f"{command}{path[:-4] if rng.random() < 0.5 else path}}}\n")
        else:
            body.append(text)
    if rng.random() < 0.5:
        body.append("\\section*{Acknowledgements}\nWe thank the anonymous referee for careful reading. % and for catching a sign error\n")
    main = (
        _PREAMBLE
        + f"\\title{{{title}}}\n\\author{{{authors}}}\n\\begin{{document}}\n"
        + f"\\begin{{abstract}}\nWe give {rng.randint(5, 20)} explicit computations in {themes[0]}.\n\\end{{abstract}}\n\\maketitle\n\n"
        + "\n".join(body)
        + "\n"
        + _bibliography(rng, inline=rng.random() < 0.6)
        + "\\end{document}\n"
        + ("Notes to self after the end of the document: check the constants in Section 2.\n" if rng.random() < 0.3 else "")
    )
    return main, (sections if split_sections else {})


def _tar_gz(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name in sorted(files):
            data = files[name].encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode, info.uid, info.gid = len(data), 0, 0o644, 0, 0
            archive.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue(), compresslevel=9, mtime=0)


def write_arxiv(root: Path, rng: random.Random, papers: int = 40) -> None:
    """arXiv-like sources under ``root``: paper directories, single files, archives, and inputs to drop."""
    duplicate: dict[str, str] | None = None
    for index in range(papers):
        kind = ("dir", "tex", "dir", "archive", "dir")[index % 5]
        main, sections = _paper(rng, split_sections=kind != "tex")
        if kind == "dir":
            paper = root / "papers" / f"2309.{10001 + index * 37:05d}"
            _write(paper / "main.tex", main)
            for path, text in sections.items():
                _write(paper / path, text)
            _write(paper / "refs.bib", "@article{ref0, author={A. Author}, title={A title}, year={2001}}\n")
            if duplicate is None:
                duplicate = {"main.tex": main, **sections}
        elif kind == "tex":
            _write(root / "single" / f"math{601001 + index:07d}.tex", main)
        else:
            (root / "archives").mkdir(parents=True, exist_ok=True)
            (root / "archives" / f"2310.{20001 + index * 53:05d}.tar.gz").write_bytes(_tar_gz({"paper.tex": main, **sections}))
    assert duplicate is not None
    # the first paper again, as an arXiv archive: the exact-text deduplication drops the second copy
    (root / "archives" / "2311.00001v2.tar.gz").write_bytes(_tar_gz(duplicate))
    # slides with no sectioning command: dropped (no_section)
    frames = "\n".join(f"\\begin{{frame}}{{Example {i}}}\n{make_problem(rng).statement}\n\\end{{frame}}" for i in range(4))
    _write(root / "single" / "2312.00042.tex",
           "\\documentclass{beamer}\n\\begin{document}\n\\begin{frame}\\titlepage\\end{frame}\n" + frames + "\n\\end{document}\n")
    # a paper saved in Latin-1: only UTF-8 is accepted (encoding)
    latin, _ = _paper(rng, split_sections=False)
    latin = latin.replace("We thank", "Nous remerci\u00e9 Andr\u00e9 G\u00f6del; we thank")
    latin = latin.replace("\\section{Introduction}", "\\section{Introduction \u00e0 la Poincar\u00e9}")
    (root / "single").mkdir(parents=True, exist_ok=True)
    (root / "single" / "2312.00077.tex").write_bytes(latin.encode("latin-1"))
    _write(root / "README.txt", "Sample arXiv sources for the Proof-Pile-2 demo (generated by tools/make_sample_raw.py).\n")


# ----------------------------------------------------------------------------------------------- web

_MATHML_FEATURES = (
    # presentation MathML with no TeX annotation: converted by mathml.mathml_to_latex
    '<math display="block"><mi>x</mi><mo>=</mo><mfrac><mrow><mo>&#x2212;</mo><mi>b</mi><mo>&#xb1;</mo>'
    "<msqrt><mrow><msup><mi>b</mi><mn>2</mn></msup><mo>&#x2212;</mo><mn>4</mn><mi>a</mi><mi>c</mi></mrow></msqrt>"
    "</mrow><mrow><mn>2</mn><mi>a</mi></mrow></mfrac></math>",
    '<math display="block"><munderover><mo>&#x2211;</mo><mrow><mi>k</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi>'
    "</munderover><mi>k</mi><mo>=</mo><mfrac><mrow><mi>n</mi><mo>(</mo><mi>n</mi><mo>+</mo><mn>1</mn><mo>)</mo>"
    "</mrow><mn>2</mn></mfrac></math>",
    "<math><msup><mi>a</mi><mn>2</mn></msup><mo>+</mo><msup><mi>b</mi><mn>2</mn></msup><mo>=</mo>"
    "<msup><mi>c</mi><mn>2</mn></msup></math>",
)
MARKUPS: tuple[str, ...] = ("mathjax", "katex", "alttext", "wp-latex", "delimiters", "dollars")
_SITES = ["mathforum.example.org", "calculus-notes.example.com", "proofwiki.example.net", "algebra-help.example.edu",
          "numbertheory.example.io", "stackmath.example.com"]  # fmt: skip
_OPENINGS = ["In this post we work through", "This page collects", "Here are complete solutions to",
             "Our study group discussed", "The following worked examples cover", "Below we solve"]  # fmt: skip


def _markup_formula(latex: str, display: bool, markup: str) -> str:
    """One formula in the given web markup (HTML-escaped where the markup needs it)."""
    escaped = html.escape(latex, quote=True)
    if markup == "mathjax":
        kind = "math/tex; mode=display" if display else "math/tex"
        rendered = '<span class="MathJax_Preview">[math]</span>'
        return f'{rendered}<script type="{kind}">{latex}</script>'
    if markup == "katex":
        block = ' display="block"' if display else ""
        rendered = f'<span class="katex-html" aria-hidden="true">{html.escape(latex[:12])}</span>'
        return (f'<span class="katex"><span class="katex-mathml"><math{block}><semantics><mrow><mi>x</mi></mrow>'
                f'<annotation encoding="application/x-tex">{escaped}</annotation></semantics></math></span>{rendered}</span>')
    if markup == "alttext":
        block = ' display="block"' if display else ""
        return f'<math alttext="{escaped}"{block}><mrow><mi>x</mi></mrow></math>'
    if markup == "wp-latex":
        css = "latex mwe-math-fallback-image-display" if display else "latex"
        return f'<img class="{css}" src="https://s0.wp.com/latex.php?latex={quote(latex)}&amp;bg=ffffff" alt="{escaped}">'
    if markup == "delimiters":
        return f"\\[{escaped}\\]" if display else f"\\({escaped}\\)"
    return f"$${escaped}$$" if display else f"${escaped}$"


def _markup_text(text: str, markup: str) -> str:
    """English-with-``$…$`` text as HTML, every formula in ``markup``."""
    out, position = [], 0
    while True:
        start = text.find("$", position)
        if start < 0:
            out.append(html.escape(text[position:], quote=False))
            return "".join(out)
        display = text.startswith("$$", start)
        delimiter = "$$" if display else "$"
        end = text.find(delimiter, start + len(delimiter))
        if end < 0:
            raise ValueError(f"unbalanced $ in {text!r}")
        out.append(html.escape(text[position:start], quote=False))
        out.append(_markup_formula(text[start + len(delimiter) : end], display, markup))
        position = end + len(delimiter)


def _html_page(rng: random.Random, index: int, markup: str) -> tuple[str, str]:
    """A math article page and its URL."""
    theme = rng.choice(sorted(BACKGROUND))
    site = rng.choice(_SITES)
    slug = f"{theme.replace(' ', '-')}-{index:03d}"
    url = f"https://{site}/articles/{slug}"
    problems = [make_problem(rng, THEME_TOPICS[theme] + rng.sample(list(TOPICS), 2)) for _ in range(rng.randint(3, 6))]
    blocks = [f"<p>{_markup_text(BACKGROUND[theme], markup)}</p>"]
    if rng.random() < 0.3:
        blocks.append(f'<div class="formula-box"><p>Recall:</p>{rng.choice(_MATHML_FEATURES)}</div>')
    for number, problem in enumerate(problems, 1):
        blocks.append(f"<h2>Problem {number}</h2>\n<p>{_markup_text(problem.statement, markup)}</p>")
        blocks.append("<p><strong>Solution.</strong> " + " ".join(_markup_text(s, markup) for s in problem.steps) + "</p>")
        blocks.append(f"<p>Answer: {_markup_text(problem.answer, markup)}</p>")
    if rng.random() < 0.4:
        comments = "".join(f"<li><b>{_author(rng)}</b>: {html.escape(c)}</li>"
                           for c in rng.sample(["Thanks, this helped with my homework.", "Very clear explanation of each step.",
                                                "Is there a faster way to do the second problem?", "Great, I finally understand the method.",
                                                "You could also check the answer with a computer."], 2))
        blocks.append(f'<section class="comments"><h3>Comments</h3><ul>{comments}</ul></section>')
    title = f"{theme.capitalize()}: worked examples ({index})"
    opening = f"<p>{rng.choice(_OPENINGS)} {len(problems)} problems on {theme}.</p>"
    page = _html_document(title, url, opening + "\n" + "\n".join(blocks), site, markup)
    return page, url


def _html_document(title: str, url: str, article: str, site: str, markup: str, lang: str = "en") -> str:
    mathjax = ('<script type="text/x-mathjax-config">MathJax.Hub.Config({tex2jax: {inlineMath: [["$","$"]]}});</script>'
               '<script src="https://cdn.example.org/mathjax/MathJax.js"></script>' if markup in ("mathjax", "dollars", "delimiters") else "")
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<link rel="canonical" href="{url}">{mathjax}
<style>body {{ font-family: serif; }} .sidebar {{ float: right; }}</style>
<script>window.analytics = {{ page: "{url}" }};</script></head>
<body>
<header><a href="/">{site}</a> | <a href="/login">Log in</a></header>
<nav class="main-menu"><ul><li><a href="/algebra">Algebra</a></li><li><a href="/calculus">Calculus</a></li><li><a href="/forum">Forum</a></li></ul></nav>
<div id="breadcrumbs">Home &gt; Articles &gt; {html.escape(title)}</div>
<main><article>
<h1>{html.escape(title)}</h1>
{article}
</article>
<aside class="sidebar"><h3>Related posts</h3><ul><li>Prime numbers for beginners</li><li>Ten tricks for integrals</li></ul></aside>
</main>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<div class="share-buttons">Share on social media</div>
<footer>&copy; {site}. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>
"""


_FRENCH = ("Dans cet article nous étudions les équations du second degré. Le discriminant permet de savoir si "
           "les racines sont réelles. On calcule ensuite la somme et le produit des racines grâce aux formules de "
           "Viète, puis on vérifie le résultat sur plusieurs exemples numériques. ")


def _drop_pages(rng: random.Random) -> dict[str, bytes]:
    """Pages that the OpenWebMath filters drop, by file name."""
    pages: dict[str, bytes] = {}
    pages["tag-index.html"] = _html_document("Tags", "https://mathforum.example.org/tags", "<p>Tags: algebra, calculus.</p>",
                                             "mathforum.example.org", "dollars").encode()
    french = "".join(f"<p>{_FRENCH}Exemple {i}: $x^2 - {i + 5}x + {i * 2 + 4} = 0$.</p>" for i in range(6))
    pages["fr-equations-second-degre.html"] = _html_document(
        "Équations du second degré", "https://maths.example.fr/second-degre", french, "maths.example.fr", "dollars", "fr").encode()
    travel = " ".join(
        f"<p>On day {day} of our trip we walked along the river to the old market, where we had coffee and bought "
        "bread, cheese and fruit for a picnic in the park. The weather was warm and the people were very friendly.</p>"
        for day in range(1, 7))
    pages["blog-travel-diary.html"] = _html_document("Our summer trip", "https://travel.example.com/diary", travel,
                                                     "travel.example.com", "dollars").encode()
    page, _ = _html_page(rng, 900, "dollars")
    # the page says UTF-8 but is stored in Latin-1: rejected rather than guessed (encoding)
    page = page.replace("worked examples", "worked examples \u2014 caf\u00e9 edition").replace("\u2014", "-")
    pages["latin1-mislabelled.html"] = page.encode("latin-1")
    return pages


def _warc_record(record_type: str, uri: str, payload: bytes, index: int) -> bytes:
    headers = (f"WARC/1.0\r\nWARC-Type: {record_type}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{index:012d}>\r\n"
               f"WARC-Date: 2023-06-01T00:00:00Z\r\nWARC-Target-URI: {uri}\r\n")
    if record_type != "warcinfo":
        content_type = "application/http; msgtype=response" if record_type == "response" else "application/http; msgtype=request"
        headers += f"Content-Type: {content_type}\r\n"
    headers += f"Content-Length: {len(payload)}\r\n\r\n"
    return gzip.compress(headers.encode("utf-8") + payload + b"\r\n\r\n", compresslevel=9, mtime=0)


def _http(status: str, content_type: str, body: bytes) -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body


def write_open_web_math(root: Path, rng: random.Random, pages: int = 100, warc_pages: int = 24) -> None:
    """HTML pages under ``root/pages`` and a ``root/crawl.warc.gz``, plus pages and records to drop."""
    first_page = ""
    for index in range(pages):
        page, url = _html_page(rng, index, MARKUPS[index % len(MARKUPS)])
        site = url.split("/")[2]
        _write(root / "pages" / site / f"{url.rsplit('/', 1)[1]}.html", page)
        first_page = first_page or page
    # a mirror of the first page (exact_duplicate) and the first page with a new comment section (near_duplicate)
    _write(root / "pages" / "mirror.example.net" / "copy-of-first-article.html", first_page.replace("https://", "https://mirror."))
    edited = first_page.replace("</article>", "<p>Update: a reader pointed out a typo in the title, now fixed.</p></article>")
    _write(root / "pages" / "mirror.example.net" / "first-article-updated.html", edited)
    for name, data in _drop_pages(rng).items():
        (root / "pages" / "misc").mkdir(parents=True, exist_ok=True)
        (root / "pages" / "misc" / name).write_bytes(data)

    records = [_warc_record("warcinfo", "", b"software: make_sample_raw\r\nformat: WARC File Format 1.0\r\n", 0)]
    for index in range(warc_pages):
        page, url = _html_page(rng, 500 + index, MARKUPS[(index + 3) % len(MARKUPS)])
        records.append(_warc_record("request", url, f"GET {url} HTTP/1.1\r\nHost: {url.split('/')[2]}\r\n\r\n".encode(), 2 * index + 1))
        records.append(_warc_record("response", url, _http("200 OK", "text/html; charset=utf-8", page.encode()), 2 * index + 2))
    records.append(_warc_record("response", "https://mathforum.example.org/missing", _http("404 Not Found", "text/html", b"<p>Not found</p>"), 9000))
    records.append(_warc_record("response", "https://mathforum.example.org/logo.png", _http("200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)), 9001))
    (root / "crawl.warc.gz").write_bytes(b"".join(records))


# ----------------------------------------------------------------------------------------------- code


def _fact_code(fact: Fact, language: str) -> str:
    """The identity of ``fact`` as a boolean expression in ``language``."""
    value = fact.value
    if fact.kind == "eval":
        expr = fact.expr
        if language == "python":
            return f"{expr.replace('^', '**')} == {value}"
        if language == "lean":
            return f"({expr} : ℤ) = {value}"
        if language == "isabelle":
            return f"({expr} :: int) = {value}"
        if language == "coq":
            return f"({expr} = {_paren(value)})%Z"
        if language == "haskell":
            return f"({expr} :: Integer) == {_paren(value)}"
        if language in ("maple", "gap"):
            return f"{expr} = {value}"
        return f"{expr} == {value}"
    if fact.kind == "gcd":
        a, b = fact.args
        return {"python": f"sp.gcd({a}, {b}) == {value}", "lean": f"Nat.gcd {a} {b} = {value}",
                "isabelle": f"gcd ({a}::nat) {b} = {value}", "coq": f"Z.gcd {a} {b} = {value}",
                "haskell": f"gcd {a} {b} == ({value} :: Integer)", "maple": f"igcd({a}, {b}) = {value}",
                "gap": f"Gcd({a}, {b}) = {value}"}.get(language, f"gcd({a}, {b}) == {value}")
    if fact.kind == "powmod":
        a, k, m = fact.args
        return {"python": f"pow({a}, {k}, {m}) == {value}", "lean": f"{a} ^ {k} % {m} = {value}",
                "isabelle": f"({a}::nat) ^ {k} mod {m} = {value}", "coq": f"(Z.pow {a} {k} mod {m} = {value})%Z",
                "haskell": f"({a} :: Integer) ^ {k} `mod` {m} == {value}", "maple": f"{a} &^ {k} mod {m} = {value}",
                "gap": f"PowerModInt({a}, {k}, {m}) = {value}", "julia": f"powermod({a}, {k}, {m}) == {value}",
                }.get(language, f"powermod({a}, {k}, {m}) == {value}")
    if fact.kind == "choose":
        n, k = fact.args
        return {"python": f"sp.binomial({n}, {k}) == {value}", "lean": f"Nat.choose {n} {k} = {value}",
                "isabelle": f"({n}::nat) choose {k} = {value}", "coq": f"binomial {n} {k} = {value}",
                "haskell": f"product [{n - k + 1}..{n}] `div` product [1..{k}] == ({value} :: Integer)",
                "maple": f"binomial({n}, {k}) = {value}", "gap": f"Binomial({n}, {k}) = {value}",
                "r": f"choose({n}, {k}) == {value}", "matlab": f"nchoosek({n}, {k}) == {value}"}.get(language, f"binomial({n}, {k}) == {value}")
    raise ValueError(f"unknown fact kind {fact.kind!r}")


def _comment(text: str, language: str) -> str:
    prefix = {"python": "#", "julia": "#", "r": "#", "lean": "--", "haskell": "--", "matlab": "%", "maple": "#",
              "gap": "#", "c": "//", "cpp": "//"}[language]
    return "\n".join(f"{prefix} {line}" if line else prefix for line in text.split("\n"))


def _plain(text: str) -> str:
    """Problem text for a code comment: LaTeX kept, ``$`` delimiters removed."""
    return text.replace("$$", "").replace("$", "")


def _python_file(rng: random.Random, problems: list[Problem]) -> str:
    header = rng.choice(["import numpy as np\nimport sympy as sp\n", "import sympy as sp\nfrom numpy import linalg\nimport numpy as np\n",
                         "from fractions import Fraction\n\nimport numpy as np\nimport sympy as sp\n"])
    parts = [f'"""Checks of worked {problems[0].topic.replace("_", " ")} examples with SymPy and NumPy."""\n', header]
    for problem in problems:
        name = problem.facts[0].name
        lines = [f"def check_{name}() -> None:", f'    """{_plain(problem.statement)}"""'.replace("\\", "\\\\")]
        if problem.topic == "quadratic":
            r1, r2 = problem.params["roots"]
            lines.append("    x = sp.symbols('x')")
            lines.append(f"    assert sorted(sp.solve(x**2 - ({r1 + r2})*x + ({r1 * r2}), x)) == [{r1}, {r2}]")
        elif problem.topic == "eigen":
            p, q = problem.params["p"], problem.params["q"]
            lines.append(f"    matrix = np.array([[{p}, {q}], [{q}, {p}]], dtype=float)")
            lines.append(f"    assert np.allclose(np.linalg.eigvalsh(matrix), [{min(p - q, p + q)}, {max(p - q, p + q)}])")
        elif problem.topic == "integral":
            polynomial = " + ".join(f"({c})*x**{i}" for i, c in enumerate(problem.params["coefficients"]))
            value = problem.params["value"]
            lines.append("    x = sp.symbols('x')")
            lines.append(f"    assert sp.integrate({polynomial}, (x, 0, {problem.params['upper']})) == "
                         f"sp.Rational({value.numerator}, {value.denominator})")
        for fact in problem.facts:
            lines.append(f"    assert {_fact_code(fact, 'python')}")
        parts.append("\n".join(lines) + "\n")
    names = ", ".join(f"check_{p.facts[0].name}" for p in problems)
    parts.append(f'\nif __name__ == "__main__":\n    for check in ({names},):\n        check()\n    print("all checks passed")\n')
    return "\n\n".join(parts)


def _theorem_file(rng: random.Random, problems: list[Problem], language: str, module: str) -> str:
    """Lean 4, Isabelle or Coq statements of the problems' facts, each with its proof."""
    blocks = []
    for problem in problems:
        for fact in problem.facts:
            statement = _fact_code(fact, language)
            doc = _plain(problem.statement)
            if language == "lean":
                tactic = "decide" if fact.kind in ("gcd", "choose") else "norm_num"
                keyword = rng.choice(["theorem", "lemma"]) if fact is problem.facts[0] else "example"
                name = f" {fact.name}" if keyword != "example" else ""
                blocks.append(f"/-- {doc} -/\n{keyword}{name} : {statement} := by\n  {tactic}")
            elif language == "isabelle":
                method = "by eval" if fact.kind != "eval" else "by simp"
                blocks.append(f"text \\<open>{doc}\\<close>\nlemma {fact.name}: \"{statement}\"\n  {method}")
            else:
                blocks.append(f"(* {doc} *)\nTheorem {fact.name} : {statement}.\nProof. reflexivity. Qed.")
    body = "\n\n".join(blocks)
    if language == "lean":
        return f"import Mathlib\n\nnamespace {module}\n\n{body}\n\nend {module}\n"
    if language == "isabelle":
        return f"theory {module}\n  imports Main \"HOL-Computational_Algebra.Primes\"\nbegin\n\n{body}\n\nend\n"
    return f"Require Import ZArith Arith.\nOpen Scope Z_scope.\n\n{body}\n"


def _script_file(rng: random.Random, problems: list[Problem], language: str) -> str:
    """Julia, R, Haskell, MATLAB, Maple or GAP checks of the problems' facts."""
    lines = [_comment(f"Worked examples: {', '.join(sorted({p.topic for p in problems}))}.", language)]
    if language == "julia":
        lines += ["using LinearAlgebra", "using Test", ""]
    elif language == "haskell":
        lines += [f"module {''.join(w.capitalize() for w in problems[0].topic.split('_'))}Checks where", "",
                  rng.choice(["import Numeric.LinearAlgebra", "import Data.Complex", "import qualified Statistics.Sample as S"]), ""]
    for index, problem in enumerate(problems):
        lines.append(_comment(_plain(problem.statement), language))
        checks = [_fact_code(fact, language) for fact in problem.facts]
        if language == "julia":
            lines.append(f"@testset \"{problem.facts[0].name}\" begin")
            lines += [f"    @test {check}" for check in checks]
            if problem.topic == "eigen":
                p, q = problem.params["p"], problem.params["q"]
                lines.append(f"    @test eigvals(Symmetric([{p} {q}; {q} {p}])) ≈ [{p - q}, {p + q}]")
            elif problem.topic == "determinant":
                a, b, c, d = problem.params["matrix"]
                lines.append(f"    @test det([{a} {b}; {c} {d}]) ≈ {problem.facts[0].value}")
            lines.append("end")
        elif language == "r":
            lines.append(f"{problem.facts[0].name} <- function() {{")
            lines += [f"  stopifnot({check})" for check in checks]
            if problem.topic == "binomial":
                n, k = problem.facts[0].args
                lines.append(f"  stopifnot(isTRUE(all.equal(dbinom({k}, {n}, 0.5), {problem.facts[0].value} / 2^{n})))")
            lines.append("  invisible(TRUE)\n}")
        elif language == "haskell":
            lines.append(f"check{index} :: Bool")
            lines.append(f"check{index} = " + " && ".join(f"({c})" for c in checks))
        elif language == "matlab":
            lines += [f"assert({check});" for check in checks]
        elif language == "maple":
            lines += [f"ASSERT(evalb({check}));" for check in checks]
        else:
            lines += [f"Assert(0, {check});" for check in checks]
        lines.append("")
    if language == "haskell":
        lines.append("allChecks :: Bool")
        lines.append("allChecks = and [" + ", ".join(f"check{i}" for i in range(len(problems))) + "]")
    return "\n".join(lines) + "\n"


def _c_file(rng: random.Random, problems: list[Problem], cpp: bool) -> str:
    """C with GSL (binomial coefficients) or C++ with Eigen (2x2 determinants) checks."""
    if cpp:
        lines = ["#include <Eigen/Dense>", "#include <cassert>", "#include <cmath>", "", "int main() {"]
        for problem in problems:
            a, b, c, d = problem.params["matrix"]
            lines.append(f"  // {_plain(problem.statement)}")
            lines.append(f"  {{\n    Eigen::Matrix2d m;\n    m << {a}, {b}, {c}, {d};\n"
                         f"    assert(std::abs(m.determinant() - ({problem.facts[0].value})) < 1e-9);\n  }}")
        return "\n".join(lines) + "\n  return 0;\n}\n"
    lines = ["#include <assert.h>", "#include <math.h>", "#include <gsl/gsl_sf_gamma.h>", "", "int main(void) {"]
    for problem in problems:
        n, k = problem.facts[0].args
        lines.append(f"  /* {_plain(problem.statement)} */")
        lines.append(f"  assert(fabs(gsl_sf_choose({n}, {k}) - {problem.facts[0].value}.0) < 0.5);")
    return "\n".join(lines) + "\n  return 0;\n}\n"


def _notebook(rng: random.Random, problems: list[Problem], with_math: bool) -> str:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Worked examples\n", "Each cell checks one answer."]}]
    if with_math:
        cells.append({"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
                      "source": ["import sympy as sp\n", "x = sp.symbols('x')"]})
    for index, problem in enumerate(problems, 2):
        source = _plain(problem.statement)
        if with_math:
            source = f"{source}\n\\begin{{equation}}\n{_plain(problem.answer)}\n\\end{{equation}}"
        cells.append({"cell_type": "markdown", "metadata": {}, "source": source})
        code = "\n".join(f"assert {_fact_code(f, 'python')}" for f in problem.facts) if with_math else f"print({index})"
        cells.append({"cell_type": "code", "metadata": {}, "execution_count": index,
                      "outputs": [{"output_type": "stream", "name": "stdout", "text": ["ok\n"]},
                                  {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo="}, "metadata": {}}],
                      "source": code})
    notebook = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "language": "python"},
                                             "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _tex_notes(rng: random.Random) -> str:
    theme = rng.choice(sorted(BACKGROUND))
    section = _latex_section(rng, theme, f"w{rng.randint(1, 99)}", rng.randint(2, 4))
    section = section.replace("\\Z", "\\mathbb{Z}").replace("\\eps", "\\varepsilon").replace("\\abs{x}", "|x|")
    return f"% Lecture notes, week {rng.randint(1, 14)}\n{section}"


_DROP_SOURCES: dict[str, str] = {
    "utils/web_server.py": 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef index():\n    return "hello"\n',
    "utils/io_helpers.c": "#include <stdio.h>\n\nint main(void) {\n  printf(\"hello\\n\");\n  return 0;\n}\n",
    "lean/Defs.lean": "namespace Defs\n\ndef double (n : Nat) : Nat := 2 * n\n\ndef square (n : Nat) : Nat := n * n\n\nend Defs\n",
    "matlab/AppDelegate.m": "#import <Cocoa/Cocoa.h>\n\n@interface AppDelegate : NSObject <NSApplicationDelegate>\n@end\n\n@implementation AppDelegate\n@end\n",
    "web/plot.js": "export function plot(points) {\n  return points.map((p) => [p.x, p.y]);\n}\n",
    "README.md": "# Sample repositories\n\nMath code for the Proof-Pile-2 demo.\n",
}


def write_algebraic_stack(root: Path, rng: random.Random, repos: int = 20) -> None:
    """Small math repositories under ``root`` (one folder each), plus files the filters or dedup drop."""
    theorem_topics = ["quadratic", "gcd", "powmod", "pythagoras", "sum_of_squares", "factorization", "binomial", "linear_system"]
    vendored = ""
    for repo_index in range(repos):
        repo = root / f"repo-{repo_index:02d}-{rng.choice(['mathkit', 'proofs', 'numerics', 'algebra', 'exercises'])}"
        for file_index in range(rng.randint(5, 8)):
            count = rng.randint(6, 12)
            language = ("python", "lean", "isabelle", "coq", "julia", "r", "haskell", "c", "cpp", "matlab", "maple",
                        "gap", "jupyter", "tex")[(repo_index * 3 + file_index) % 14]
            stem = f"{rng.choice(['examples', 'checks', 'basics', 'problems', 'identities'])}_{file_index}"
            if language == "python":
                problems = [make_problem(rng, ["quadratic", "eigen", "integral", "gcd", "powmod", "binomial", "arithmetic"]) for _ in range(count)]
                text = _python_file(rng, problems)
                _write(repo / f"{stem}.py", text)
                vendored = vendored or text
            elif language in ("lean", "isabelle", "coq"):
                topics = [t for t in theorem_topics if language != "coq" or t != "binomial"]  # Coq's stdlib has no binomial
                problems = [make_problem(rng, topics) for _ in range(count)]
                module = f"{stem.capitalize()}{repo_index}"
                suffix = {"lean": ".lean", "isabelle": ".thy", "coq": ".v"}[language]
                _write(repo / f"{module}{suffix}", _theorem_file(rng, problems, language, module))
            elif language in ("julia", "r", "haskell", "matlab", "maple", "gap"):
                topics = ["eigen", "determinant", "geometric", "integral"] if language == "julia" else (
                    ["binomial", "arithmetic", "geometric"] if language == "r" else theorem_topics)
                problems = [make_problem(rng, topics) for _ in range(count)]
                suffix = {"julia": ".jl", "r": ".R", "haskell": ".hs", "matlab": ".m", "maple": ".mpl", "gap": ".g"}[language]
                _write(repo / f"{stem}{suffix}", _script_file(rng, problems, language))
            elif language in ("c", "cpp"):
                problems = [make_problem(rng, ["determinant" if language == "cpp" else "binomial"]) for _ in range(count)]
                _write(repo / f"{stem}.{'cpp' if language == 'cpp' else 'c'}", _c_file(rng, problems, language == "cpp"))
            elif language == "jupyter":
                problems = [make_problem(rng, ["quadratic", "integral", "limit", "binomial"]) for _ in range(count)]
                _write(repo / f"{stem}.ipynb", _notebook(rng, problems, with_math=True))
            else:
                _write(repo / "notes" / f"{stem}.tex", _tex_notes(rng))
    drops = root / "repo-99-misc"
    for path, text in _DROP_SOURCES.items():
        _write(drops / path, text)
    _write(drops / "vendor" / "checks_copy.py", vendored)  # the same file vendored again: chunk_duplicate
    table = ", ".join(str(rng.randint(10**5, 10**6)) for _ in range(400))
    _write(drops / "data" / "table.py", f"import numpy as np\n\nTABLE = np.array([{table}])\n")  # too_many_digits
    matrix = "\n".join(" ".join(f"{rng.choice('-+')}{rng.randint(1, 9)}e-{rng.randint(1, 9)}" for _ in range(8)) for _ in range(20))
    _write(drops / "matlab" / "weights.m", f"[\n{matrix}\n];\n")  # numeric_array
    _write(drops / "julia" / "config.jl", '["alpha", "beta", "gamma"]\n')  # not_source_code
    problems = [make_problem(rng) for _ in range(3)]
    _write(drops / "notebooks" / "scratch.ipynb", _notebook(rng, problems, with_math=False))  # no_math


# ----------------------------------------------------------------------------------------------- driver


_README = """# Raw Proof-Pile-2 samples

Small raw inputs for the three Proof-Pile-2 preprocessors, one folder per subset: arXiv-like LaTeX sources
(`arxiv/`), math web pages and a WARC crawl (`open-web-math/`) and math source code in many languages
(`algebraic-stack/`), each with a few inputs that the filters or the deduplication drop on purpose.
The CPU demo (`math_lm/demo_proof_pile_2.py`) prepares, tokenizes and trains on them at 2 : 4 : 1:

    python tools/prepare_proof_pile_2.py arxiv --input data/sample_raw/arxiv --output-dir OUT/arxiv

Nothing here was downloaded: the files are generated deterministically from templates with random
numbers (every stated result is computed) by

    python tools/make_sample_raw.py --output data/sample_raw --overwrite

(code in `math_lm/data/sample_raw.py`), and `tests/math_lm/test_demo_proof_pile_2.py` checks that the
shipped files are exactly what the generator writes.
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def write_sample_raw(output_dir: Path, seed: int = SEED, overwrite: bool = False) -> dict[str, int]:
    """Write the three raw sample folders under ``output_dir``; returns the number of files per subset.

    Raises ``FileExistsError`` when ``output_dir`` exists and is not empty, unless ``overwrite`` (which
    removes it first).
    """
    output_dir = Path(output_dir)
    if output_dir.exists() and any(output_dir.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{output_dir} is not empty: pass overwrite=True (--overwrite) to replace it")
        shutil.rmtree(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    _write(output_dir / "README.md", _README)
    writers = {"arxiv": write_arxiv, "open-web-math": write_open_web_math, "algebraic-stack": write_algebraic_stack}
    counts = {}
    for offset, subset in enumerate(SUBSETS):
        root = output_dir / subset
        root.mkdir(parents=True, exist_ok=True)
        writers[subset](root, random.Random(seed * 10 + offset))
        counts[subset] = sum(1 for path in root.rglob("*") if path.is_file())
    return counts
