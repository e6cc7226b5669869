"""Answer pairs that the field's graders get wrong, from their public issue trackers.

Each case is `(source, form, prediction, reference, equal)`: `form` is "answer" (two final
answers, compared with `is_equiv`) or "generation" (a whole generation, graded like MATH with
`grade`); `equal` is the right verdict as the report argues it. Pairs were restated from the
reports (math-verify, lm-evaluation-harness minerva_math / leaderboard math, Qwen2.5-Math's
grader, inspect_ai's math scorer); the `project` cases are the classes issue 21 found in the
project's own rules. A case with `equal=False` is a false positive when accepted; `equal=True`
a false negative when refused.
"""

MV = "https://github.com/huggingface/Math-Verify/issues/"
LM_EVAL = "https://github.com/EleutherAI/lm-evaluation-harness/"
INSPECT = "https://github.com/UKGovernmentBEIS/inspect_ai/issues/"
PROJECT = "issue 21 (the project's own rules)"

PUBLIC_CASES = [
    # math-verify: tiny values rounded to zero, misread constants and equations, partial matches
    (MV + "14", "answer", "\\frac{1}{2006!}", "\\frac{1}{2004!}", False),
    (MV + "14", "answer", "\\frac{1}{2^{98}}", "\\frac{1}{2^{99}}", False),
    (MV + "14", "answer", "n=1, 2, 3", "n=2, 3, 4", False),
    (MV + "14", "answer", "D = (0, 1.5)", "D = (0, 1)", False),
    (MV + "14", "answer", "F_n = \\sum_{k=0}^{n-2} F_k F_{n-k-2}", "F_n = \\sum_{k=0}^{n-1} F_k F_{n-k-1}", False),
    (MV + "14", "answer", "21, 36, and 82", "19, 46, \\text{ and } 82", False),
    (MV + "14", "answer", "\\frac{1}{3 \\cdot 2^{2006}}", "\\frac{2^{2005}+1}{3 \\cdot 2^{2006}}", False),
    (MV + "14", "answer", "1 + \\frac{1}{\\mathrm{e}}", "1 - \\frac{1}{\\mathrm{e}}", False),
    (MV + "14", "answer", "2021", "\\pm 2021", False),
    (MV + "14", "answer", "1:00", "12:00", False),
    (MV + "14", "answer", "1, 3, 5, \\ldots, 2n-1", "1, 2, \\ldots, n", False),
    (MV + "14", "answer", "1:4:9:\\ldots", "1:2:3:\\ldots", False),
    (MV + "14", "answer", "1 - \\frac{1}{\\mathrm{e}}", "1 - \\frac{1}{\\mathrm{e}}", True),
    (MV + "14", "answer", "\\{-2021, 2021\\}", "\\pm 2021", True),
    (MV + "41", "answer", "4\\sqrt(2)", "4", False),
    (MV + "60", "answer", "3x + 4y + 14=0", "3x-y+13=0", False),
    (MV + "64", "answer", "\\forall x>0, f(x) = 0", "f(x) = 0", False),
    (MV + "56", "answer", "(3, \\frac{2\\pi}{3})", "\\left( 3, \\frac{\\pi}{2} \\right)", False),
    (MV + "37", "answer", "13", "\\text{13}", True),
    (MV + "26", "answer", "y = -\\frac{1}{2}x + \\frac{3}{4}", "2x+4y-3=0", True),
    (MV + "76", "generation", "So the answer is consistent.\n\nThus, the number of residents who own all four of "
     "the things is **73**.\n\n---\n\nFinal Answer: **73**", "73", True),
    # lm-evaluation-harness: minerva_math / leaderboard math
    (LM_EVAL + "issues/4030", "answer", "(2,4)", "(2,4)", True),
    (LM_EVAL + "issues/4030", "answer", "[2,5)", "[2,5)", True),
    (LM_EVAL + "issues/4030", "answer", "\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}", True),
    (LM_EVAL + "pull/4032", "answer", "\\left(1,2\\right)", "(1,2)", True),
    (LM_EVAL + "pull/4160", "answer", "(2,\\infty)", "(2,\\infty)", True),
    (LM_EVAL + "pull/4160", "answer", "(-\\infty, 0]", "(-\\infty, 0]", True),
    (LM_EVAL + "pull/4160", "answer", "\\left( \\frac{3}{2}, -13 \\right)", "\\left( \\frac{3}{2}, -13 \\right)", True),
    (LM_EVAL + "pull/4160", "answer", "(5,\\infty)", "(-5,\\infty)", False),
    (LM_EVAL + "issues/2212", "answer", "\\dfrac{9}{7}", "\\dfrac{9}{7}", True),
    (LM_EVAL + "pull/3785", "answer", "2,1,3", "1,2,3", True),
    (LM_EVAL + "pull/3785", "answer", "1,2,4", "1,2,3", False),
    # Qwen2.5-Math's grader
    ("https://github.com/QwenLM/Qwen2.5-Math/issues/50", "answer", "1,-3", "1,-2", False),
    ("https://github.com/QwenLM/Qwen2.5-Math/issues/50", "answer", "-2,1", "1,-2", True),
    # inspect_ai's math scorer
    (INSPECT + "5259", "answer", "\\frac{x}{2}", "x/2", True),
    (INSPECT + "5259", "answer", "\\sqrt{x}", "\\sqrt{x}", True),
    (INSPECT + "5259", "answer", "\\frac{n(n+1)}{2}", "\\frac{n^2+n}{2}", True),
    (INSPECT + "5259", "answer", "\\text{yes}", "yes", True),
    (INSPECT + "5259", "answer", "2\\pi r", "2 r \\pi", True),
    ("https://github.com/EuroEval/EuroEval/pull/2167", "answer", "1001", "1,000", False),
    ("https://github.com/EuroEval/EuroEval/pull/2167", "answer", "99999999999", "100000000000", False),
    ("https://github.com/EuroEval/EuroEval/pull/2167", "answer", "0.5", "1/3", False),
    ("https://github.com/EuroEval/EuroEval/pull/2167", "answer", "6.28", "2\\pi", False),
    ("https://github.com/EuroEval/EuroEval/pull/2167", "answer", "3.0", "3", True),
    ("https://github.com/EuroEval/EuroEval/pull/2167", "answer", "2^{10}", "1024", True),
    ("https://github.com/EuroEval/EuroEval/pull/2167", "answer", "\\sqrt{8}", "2\\sqrt{2}", True),
    # the project's own rules (issue 21): more of the same kinds
    (PROJECT, "answer", "x=1, y=3", "x=1, y=2", False),
    (PROJECT, "answer", "x=1", "x=1, y=2", False),
    (PROJECT, "answer", "2", "x=1, y=2", False),
    (PROJECT, "answer", "y=2, x=1", "x=1, y=2", True),
    (PROJECT, "answer", "2\\frac{1}{2}", "\\frac{21}{2}", False),
    (PROJECT, "answer", "2\\frac{1}{2}", "\\frac{5}{2}", True),
    (PROJECT, "answer", "0,111", "111", False),
    (PROJECT, "answer", "3,14", "314", False),
    (PROJECT, "answer", "0,5", "0.5", True),
    (PROJECT, "answer", "10^{100}+1", "10^{100}", False),
    (PROJECT, "answer", "\\frac{1}{10^{50}}", "\\frac{1}{10^{51}}", False),
    (PROJECT, "answer", "2x-3=0", "5x+1=0", False),
    (PROJECT, "answer", "\\exists x, x^2=2", "x^2=2", False),
    (PROJECT, "generation", "The answer is $\\frac{1}{2004!}$.", "\\frac{1}{2006!}", False),
]
