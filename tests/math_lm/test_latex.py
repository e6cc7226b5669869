from math_lm.latex import matching_brace


def test_matching_brace_skips_escaped_braces_and_nests():
    text = r"\frac{a\{b}{c{d}}e"
    assert matching_brace(text, 5) == 10
    assert matching_brace(text, 11) == 16
    assert matching_brace("{never closed", 0) is None
