"""A deterministic synthetic corpus: math-flavoured English, LaTeX and small Python snippets.

Used for the shipped sample corpus that the CPU demo trains on and for preprocessing
benchmarks. The documents are built from templates with random numbers, so a tiny model
learns their structure within tens of steps while the arithmetic keeps them varied.
"""
from __future__ import annotations

import json
import math
import os
import random
from collections.abc import Callable, Iterator

import zstandard


def _word_problem(rng: random.Random) -> str:
    a, b = rng.randint(2, 99), rng.randint(2, 99)
    thing, person = rng.choice(["apples", "books", "marbles", "coins", "pencils"]), rng.choice(["Ada", "Emmy", "Kurt", "Sofia"])
    if rng.random() < 0.5:
        return (f"Problem: {person} has {a} {thing} and finds {b} more. How many {thing} does {person} have now?\n"
                f"Solution: {person} has ${a} + {b} = {a + b}$ {thing}. The answer is $\\boxed{{{a + b}}}$.")
    return (f"Problem: {person} buys {a} boxes with {b} {thing} in each box. How many {thing} is that?\n"
            f"Solution: There are ${a} \\times {b} = {a * b}$ {thing}. The answer is $\\boxed{{{a * b}}}$.")


def _linear_equation(rng: random.Random) -> str:
    a, x, b = rng.randint(2, 12), rng.randint(-20, 20), rng.randint(1, 50)
    c = a * x + b
    return (f"Solve ${a}x + {b} = {c}$ for $x$.\n"
            f"Subtracting {b} from both sides gives ${a}x = {c - b}$. Dividing by {a} gives $x = {x}$.")


def _derivative(rng: random.Random) -> str:
    n, k = rng.randint(2, 9), rng.randint(2, 15)
    return (f"We differentiate $f(x) = {k}x^{{{n}}}$. By the power rule, "
            f"$f'(x) = {k * n}x^{{{n - 1}}}$, and $f'(1) = {k * n}$.")


def _sum_theorem(rng: random.Random) -> str:
    n = rng.randint(3, 60)
    return ("\\begin{theorem}\nFor every integer $n \\geq 1$, $\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$.\n\\end{theorem}\n"
            "\\begin{proof}\nBy induction on $n$. The case $n = 1$ holds. If it holds for $n$, then "
            "$\\sum_{k=1}^{n+1} k = \\frac{n(n+1)}{2} + (n+1) = \\frac{(n+1)(n+2)}{2}$.\n\\end{proof}\n"
            f"For example, with $n = {n}$ we get $1 + 2 + \\cdots + {n} = {n * (n + 1) // 2}$.")


def _gcd_fact(rng: random.Random) -> str:
    a, b = rng.randint(10, 400), rng.randint(10, 400)
    return (f"The greatest common divisor of {a} and {b} is $\\gcd({a}, {b}) = {math.gcd(a, b)}$, "
            f"so their least common multiple is $\\operatorname{{lcm}}({a}, {b}) = {a * b // math.gcd(a, b)}$.")


def _prime_fact(rng: random.Random) -> str:
    n = rng.randint(2, 500)
    factors, m, p = [], n, 2
    while m > 1:
        while m % p == 0:
            factors.append(p)
            m //= p
        p += 1
    kind = "prime" if len(factors) == 1 else "composite"
    product = " \\cdot ".join(map(str, factors))
    return f"The number {n} is {kind}: ${n} = {product}$."


def _python_function(rng: random.Random) -> str:
    n = rng.randint(3, 12)
    name, doc, body, value = rng.choice([
        ("factorial", "n!", "    result = 1\n    for k in range(2, n + 1):\n        result *= k\n    return result",
         math.factorial(n)),
        ("fibonacci", "the n-th Fibonacci number", "    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n"
         "    return a", _fibonacci(n)),
        ("triangular", "the n-th triangular number", "    return n * (n + 1) // 2", n * (n + 1) // 2),
        ("square", "n squared", "    return n * n", n * n),
    ])
    return (f"```python\ndef {name}(n: int) -> int:\n    \"\"\"Return {doc}.\"\"\"\n{body}\n\n\n"
            f"assert {name}({n}) == {value}\n```")


def _fibonacci(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


_PIECES: list[tuple[str, Callable[[random.Random], str]]] = [
    ("word_problem", _word_problem), ("linear_equation", _linear_equation), ("derivative", _derivative),
    ("sum_theorem", _sum_theorem), ("gcd", _gcd_fact), ("prime", _prime_fact), ("python", _python_function),
]


def generate_documents(count: int, seed: int = 0) -> Iterator[dict[str, object]]:
    """`count` documents as {"text": ..., "meta": {"id": i, "topics": [...]}}; the same seed gives the same corpus."""
    rng = random.Random(seed)
    for index in range(count):
        chosen = [rng.choice(_PIECES) for _ in range(rng.randint(2, 6))]
        text = "\n\n".join(piece(rng) for _, piece in chosen)
        yield {"text": text, "meta": {"id": index, "topics": [name for name, _ in chosen]}}


def write_synthetic_corpus(path: str, count: int, seed: int = 0, level: int = 19) -> int:
    """Write `count` generated documents to `path` as .jsonl.zst (atomically); return the compressed size."""
    if not path.endswith(".jsonl.zst"):
        raise ValueError(f"{path}: the synthetic corpus is written as .jsonl.zst")
    lines = "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in generate_documents(count, seed))
    compressed = zstandard.ZstdCompressor(level=level, write_checksum=True).compress(lines.encode("utf-8"))
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as handle:
            handle.write(compressed)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return len(compressed)
