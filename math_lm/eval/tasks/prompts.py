r"""The few-shot prompts of the LLEMMA evaluation suite, as data.

- `MINERVA_MATH_EXAMPLES`: the 4-shot MATH prompt of Minerva (Lewkowycz et al. 2022, appendix D.2),
  which LLEMMA uses for MATH.
- `GSM8K_COT_EXAMPLES`: the 8-shot chain-of-thought GSM8k prompt of Wei et al. (2022), answers
  ending in "The answer is N."
- `MULTIPLE_CHOICE_EXAMPLES`: Minerva's 4-shot multiple-choice prompt (appendix G), the MATH
  problems above with options; used for MMLU-STEM and SAT.
- `OCW_EXAMPLES`: four OCWCourses-style problems with numeric answers, in Minerva's
  "Final Answer: The final answer is X. I hope it is correct." format.
- `GSM8K_PROGRAM_EXAMPLES` / `MATH_PROGRAM_EXAMPLES`: program-aided (PAL-style) prompts; the
  model writes a fenced Python program that defines `solution()`, whose returned value is the
  answer (see `math_lm.eval.sandbox`). The GSM8k questions are the eight of the CoT prompt; the
  MATH problems are those of the Minerva prompt where a program fits.

The OCW and program exemplars are written for this project in the published formats; the
Minerva and GSM8k exemplars reproduce the public benchmark prompts.
"""

from __future__ import annotations

from typing import NamedTuple


class Example(NamedTuple):
    """One few-shot exemplar: the question as the model sees it and the worked answer."""

    question: str
    answer: str


MINERVA_MATH_EXAMPLES: tuple[Example, ...] = (
    Example(
        r"Find the domain of the expression  $\frac{\sqrt{x-2}}{\sqrt{5-x}}$.",
        r"The expressions inside each square root must be non-negative. Therefore, $x-2 \ge 0$, so "
        r"$x\ge2$, and $5 - x \ge 0$, so $x \le 5$. Also, the denominator cannot be equal to zero, so "
        r"$5-x>0$, which gives $x<5$. Therefore, the domain of the expression is $\boxed{[2,5)}$."
        "\nFinal Answer: The final answer is $[2,5)$. I hope it is correct.",
    ),
    Example(
        r"If $\det \mathbf{A} = 2$ and $\det \mathbf{B} = 12,$ then find $\det (\mathbf{A} \mathbf{B}).$",
        r"We have that $\det (\mathbf{A} \mathbf{B}) = (\det \mathbf{A})(\det \mathbf{B}) = (2)(12) = "
        r"\boxed{24}.$"
        "\nFinal Answer: The final answer is $24$. I hope it is correct.",
    ),
    Example(
        "Terrell usually lifts two 20-pound weights 12 times. If he uses two 15-pound weights instead, "
        "how many times must Terrell lift them in order to lift the same total weight?",
        r"If Terrell lifts two 20-pound weights 12 times, he lifts a total of $2\cdot 12\cdot20=480$ "
        r"pounds of weight.  If he lifts two 15-pound weights instead for $n$ times, he will lift a "
        r"total of $2\cdot15\cdot n=30n$ pounds of weight.  Equating this to 480 pounds, we can solve "
        "for $n$:\n"
        "\\begin{align*}\n30n&=480\\\\\n\\Rightarrow\\qquad n&=480/30=\\boxed{16}\n\\end{align*}"
        "\nFinal Answer: The final answer is $16$. I hope it is correct.",
    ),
    Example(
        "If the system of equations\n\n\\begin{align*}\n6x-4y&=a,\\\\\n6y-9x &=b.\n\\end{align*}has a "
        "solution $(x, y)$ where $x$ and $y$ are both nonzero,\nfind $\\frac{a}{b},$ assuming $b$ is "
        "nonzero.",
        "If we multiply the first equation by $-\\frac{3}{2}$, we obtain\n\n$$6y-9x=-\\frac{3}{2}a.$$"
        "Since we also know that $6y-9x=b$, we have\n\n"
        "$$-\\frac{3}{2}a=b\\Rightarrow\\frac{a}{b}=\\boxed{-\\frac{2}{3}}.$$"
        "\nFinal Answer: The final answer is $-\\frac{2}{3}$. I hope it is correct.",
    ),
)

GSM8K_COT_EXAMPLES: tuple[Example, ...] = (
    Example(
        "There are 15 trees in the grove. Grove workers will plant trees in the grove today. After "
        "they are done, there will be 21 trees. How many trees did the grove workers plant today?",
        "There are 15 trees originally. Then there were 21 trees after some more were planted. So "
        "there must have been 21 - 15 = 6. The answer is 6.",
    ),
    Example(
        "If there are 3 cars in the parking lot and 2 more cars arrive, how many cars are in the "
        "parking lot?",
        "There are originally 3 cars. 2 more cars arrive. 3 + 2 = 5. The answer is 5.",
    ),
    Example(
        "Leah had 32 chocolates and her sister had 42. If they ate 35, how many pieces do they have "
        "left in total?",
        "Originally, Leah had 32 chocolates. Her sister had 42. So in total they had 32 + 42 = 74. "
        "After eating 35, they had 74 - 35 = 39. The answer is 39.",
    ),
    Example(
        "Jason had 20 lollipops. He gave Denny some lollipops. Now Jason has 12 lollipops. How many "
        "lollipops did Jason give to Denny?",
        "Jason started with 20 lollipops. Then he had 12 after giving some to Denny. So he gave "
        "Denny 20 - 12 = 8. The answer is 8.",
    ),
    Example(
        "Shawn has five toys. For Christmas, he got two toys each from his mom and dad. How many "
        "toys does he have now?",
        "Shawn started with 5 toys. If he got 2 toys each from his mom and dad, then that is 4 more "
        "toys. 5 + 4 = 9. The answer is 9.",
    ),
    Example(
        "There were nine computers in the server room. Five more computers were installed each day, "
        "from monday to thursday. How many computers are now in the server room?",
        "There were originally 9 computers. For each of 4 days, 5 more computers were added. So "
        "5 * 4 = 20 computers were added. 9 + 20 is 29. The answer is 29.",
    ),
    Example(
        "Michael had 58 golf balls. On tuesday, he lost 23 golf balls. On wednesday, he lost 2 more. "
        "How many golf balls did he have at the end of wednesday?",
        "Michael started with 58 golf balls. After losing 23 on tuesday, he had 58 - 23 = 35. After "
        "losing 2 more, he had 35 - 2 = 33 golf balls. The answer is 33.",
    ),
    Example(
        "Olivia has $23. She bought five bagels for $3 each. How much money does she have left?",
        "Olivia had 23 dollars. 5 bagels for 3 dollars each will be 5 x 3 = 15 dollars. So she has "
        "23 - 15 dollars left. 23 - 15 is 8. The answer is 8.",
    ),
)

_CHOICE_QUESTION = "What of the following is the right choice? Explain your answer."

MULTIPLE_CHOICE_EXAMPLES: tuple[Example, ...] = (
    Example(
        r"Find the domain of the expression $\frac{\sqrt{x-2}}{\sqrt{5-x}}$."
        f"\n{_CHOICE_QUESTION}\n(A) [-5,-2), (B) [2,5), (C) [-2,-5), (D) [5,2)",
        r"The expressions inside each square root must be non-negative. Therefore, $x-2 \ge 0$, so "
        r"$x\ge2$, and $5 - x \ge 0$, so $x \le 5$. Also, the denominator cannot be equal to zero, so "
        "$5-x>0$, which gives $x<5$.\nTherefore, the domain of the expression is $\\boxed{[2,5)}$."
        "\nFinal Answer: The final answer is (B). I hope it is correct.",
    ),
    Example(
        r"If $\det \mathbf{A} = 2$ and $\det \mathbf{B} = 12,$ then find $\det (\mathbf{A} \mathbf{B}).$"
        f"\n{_CHOICE_QUESTION}\n(A) 14, (B) 4, (C) 2, (D) 24",
        r"We have that $\det (\mathbf{A} \mathbf{B}) = (\det \mathbf{A})(\det \mathbf{B}) = (2)(12) = "
        r"\boxed{24}.$"
        "\nFinal Answer: The final answer is (D). I hope it is correct.",
    ),
    Example(
        "Terrell usually lifts two 20-pound weights 12 times. If he uses two 15-pound weights instead, "
        "how many times must Terrell lift them in order to lift the same total weight?"
        f"\n{_CHOICE_QUESTION}\n(A) 12, (B) 20, (C) 16, (D) 15",
        r"If Terrell lifts two 20-pound weights 12 times, he lifts a total of $2\cdot 12\cdot20=480$ "
        r"pounds of weight. If he lifts two 15-pound weights instead for $n$ times, he will lift a "
        r"total of $2\cdot15\cdot n=30n$ pounds of weight. Equating this to 480 pounds, we can solve "
        "for $n$: \\begin{align*}\n30n&=480\\\\\n\\Rightarrow\\qquad n&=480/30=\\boxed{16}\n\\end{align*}"
        "\nFinal Answer: The final answer is (C). I hope it is correct.",
    ),
    Example(
        "If the system of equations\n\n\\begin{align*}\n6x-4y&=a,\\\\\n6y-9x &=b.\n\\end{align*}has a "
        "solution $(x, y)$ where $x$ and $y$ are both nonzero, find $\\frac{a}{b},$ assuming $b$ is\n"
        f"nonzero.\n{_CHOICE_QUESTION}\n"
        r"(A) $-\frac{2}{3}$, (B) $\frac{2}{3}$, (C) $\frac{1}{3}$, (D) $\frac{4}{9}$",
        "If we multiply the first equation by $-\\frac{3}{2}$, we obtain\n$$6y-9x=-\\frac{3}{2}a.$$"
        "Since we also know that $6y-9x=b$, we have\n\n"
        "$$-\\frac{3}{2}a=b\\Rightarrow\\frac{a}{b}=\\boxed{-\\frac{2}{3}}.$$"
        "\nFinal Answer: The final answer is (A). I hope it is correct.",
    ),
)

OCW_EXAMPLES: tuple[Example, ...] = (
    Example(
        r"Each of the two Magellan telescopes has a diameter of $6.5 \mathrm{~m}$. In one "
        r"configuration the effective focal length is $72 \mathrm{~m}$. Find the diameter of the image "
        r"of a planet (in $\mathrm{cm}$) at this focus if the angular diameter of the planet at the "
        r"time of the observation is $45^{\prime \prime}$.",
        r"An angle of $45^{\prime\prime}$ is $45 / 206265 = 2.18 \times 10^{-4}$ radians. The image "
        r"of an object of angular size $\theta$ at focal length $f$ has size $f\theta = "
        r"72 \mathrm{~m} \times 2.18 \times 10^{-4} = 1.57 \times 10^{-2} \mathrm{~m}$, that is "
        r"$\boxed{1.6} \mathrm{~cm}$."
        "\nFinal Answer: The final answer is $1.6$. I hope it is correct.",
    ),
    Example(
        r"A white dwarf star has an effective temperature $T_{e}=50,000$ degrees Kelvin, and its "
        r"radius is $R_{\mathrm{WD}}=10^{4} \mathrm{~km}$. Compute the luminosity (power output) of "
        r"the white dwarf in erg/s, treating it as a blackbody radiator, to two significant figures.",
        r"The Stefan-Boltzmann law gives $L=4 \pi R^{2} \sigma T_{e}^{4}$. With $R=10^{9} "
        r"\mathrm{~cm}$, $\sigma=5.67 \times 10^{-5}$ in cgs units and $T_e = 5 \times 10^{4}"
        r"\mathrm{~K}$: $L = 4\pi \times 10^{18} \times 5.67 \times 10^{-5} \times 6.25 \times "
        r"10^{18} = \boxed{4.5 \times 10^{33}} \mathrm{~erg/s}$."
        "\nFinal Answer: The final answer is $4.5 \\times 10^{33}$. I hope it is correct.",
    ),
    Example(
        r"A prism is made of glass with index of refraction $n=1.5$. What is the critical angle for "
        r"total internal reflection at a glass-air surface, in degrees, to three significant figures?",
        r"At the critical angle the refracted ray grazes the surface: $n \sin \theta_c = 1$, so "
        r"$\theta_c = \arcsin(1/1.5) = \arcsin(0.667) = \boxed{41.8}^{\circ}$."
        "\nFinal Answer: The final answer is $41.8$. I hope it is correct.",
    ),
    Example(
        r"A particular star has an absolute magnitude $M=-7$. If this star is observed in a galaxy "
        r"that is at a distance of $3 \mathrm{Mpc}$, what will its apparent magnitude be?",
        r"The distance modulus is $m - M = 5 \log_{10}(d / 10 \mathrm{~pc})$. With $d = 3 \times "
        r"10^{6} \mathrm{~pc}$, $m - M = 5 \log_{10}(3 \times 10^{5}) = 27.39$, so $m = -7 + 27.39 = "
        r"\boxed{20.39}$."
        "\nFinal Answer: The final answer is $20.39$. I hope it is correct.",
    ),
)


def _program(body: str) -> str:
    return f"```python\ndef solution():\n{body}\n```"


GSM8K_PROGRAM_EXAMPLES: tuple[Example, ...] = (
    Example(GSM8K_COT_EXAMPLES[0].question, _program(
        "    trees_before = 15\n    trees_after = 21\n    planted = trees_after - trees_before\n"
        "    return planted")),
    Example(GSM8K_COT_EXAMPLES[1].question, _program(
        "    cars_before = 3\n    cars_arriving = 2\n    return cars_before + cars_arriving")),
    Example(GSM8K_COT_EXAMPLES[2].question, _program(
        "    leah = 32\n    sister = 42\n    eaten = 35\n    return leah + sister - eaten")),
    Example(GSM8K_COT_EXAMPLES[3].question, _program(
        "    before = 20\n    after = 12\n    return before - after")),
    Example(GSM8K_COT_EXAMPLES[4].question, _program(
        "    toys = 5\n    parents = 2\n    toys_per_parent = 2\n"
        "    return toys + parents * toys_per_parent")),
    Example(GSM8K_COT_EXAMPLES[5].question, _program(
        "    computers = 9\n    per_day = 5\n    days = 4  # monday to thursday\n"
        "    return computers + per_day * days")),
    Example(GSM8K_COT_EXAMPLES[6].question, _program(
        "    balls = 58\n    lost_tuesday = 23\n    lost_wednesday = 2\n"
        "    return balls - lost_tuesday - lost_wednesday")),
    Example(GSM8K_COT_EXAMPLES[7].question, _program(
        "    money = 23\n    bagels = 5\n    price = 3\n    return money - bagels * price")),
)

MATH_PROGRAM_EXAMPLES: tuple[Example, ...] = (
    Example(MINERVA_MATH_EXAMPLES[0].question, _program(
        "    from sympy import Interval, oo, symbols\n"
        "    # sqrt(x-2) needs x >= 2; sqrt(5-x) in the denominator needs x < 5\n"
        "    return Interval(2, oo).intersect(Interval.open(-oo, 5))")),
    Example(MINERVA_MATH_EXAMPLES[1].question, _program(
        "    det_a = 2\n    det_b = 12\n    # the determinant is multiplicative\n"
        "    return det_a * det_b")),
    Example(MINERVA_MATH_EXAMPLES[2].question, _program(
        "    from sympy import solve, symbols\n    n = symbols('n')\n"
        "    total = 2 * 20 * 12\n    return solve(2 * 15 * n - total, n)[0]")),
    Example(MINERVA_MATH_EXAMPLES[3].question, _program(
        "    from sympy import simplify, symbols\n    x, y = symbols('x y')\n"
        "    a = 6 * x - 4 * y\n    b = 6 * y - 9 * x\n"
        "    return simplify(a / b)")),
)
"""PAL-style programs; `solution()` returns the answer (SymPy objects are rendered as LaTeX)."""
