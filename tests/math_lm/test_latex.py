from math_lm.latex import BraceMatcher, matching_brace


def test_matching_brace_skips_escaped_braces_and_nests():
    text = r"\frac{a\{b}{c{d}}e"
    assert matching_brace(text, 5) == 10
    assert matching_brace(text, 11) == 16
    assert matching_brace("{never closed", 0) is None


def test_brace_matcher_agrees_with_matching_brace_everywhere():
    import random

    rng = random.Random(0)
    for _ in range(500):
        text = "".join(rng.choice("{}\\ab") for _ in range(rng.randint(0, 40)))
        matcher = BraceMatcher(text)
        index = 0
        while index < len(text):
            if text[index] == "\\":
                index += 2
                continue
            if text[index] == "{":
                assert matcher.close(index) == matching_brace(text, index), (text, index)
            index += 1
    assert BraceMatcher(r"\frac{a\{b}{c{d}}e").close(11) == 16
    assert BraceMatcher("{" * 60_000).close(0) is None
