"""Minerva's normalisation of final answers (Lewkowycz et al. 2022, appendix D.1), as LLEMMA graded.

This is the first half of the paper's metric (the `minerva` backend) and the cleaning that the
project's own exact rules (`exact`) read numbers from. What stays as the paper did it: units,
articles and filler words deleted, `\\text{}` unwrapped, `\\dfrac` -> `\\frac`, braces added to
`\\frac12`, all whitespace and math delimiters dropped, and only what follows the last `=` kept
(`normalize_final_answer`). The comparison code does not use that last step blindly: an equation
is reduced to its right side only when its left side is a bare variable (`exact.split_assignment`),
because "keep the right side" made any two equations ending in `= 0` equal.
"""

from __future__ import annotations

import re

from math_lm.eval.answers.structure import split_top_level
from math_lm.latex import matching_brace


# Words Minerva deletes from final answers (units and nouns that follow numbers). Deleted only
# as whole words here: deleting substrings, as the published code does, breaks `\left` ("ft").
_UNIT_WORDS = (
    "square", "ways", "integers", "dollars", "mph", "inches", "ft", "hours", "km", "units",
    "sue", "points", "feet", "minutes", "digits", "cents", "degrees", "cm", "gm", "pounds",
    "meters", "meals", "edges", "students", "childrentickets", "multiples",
)  # fmt: skip
_UNIT_PATTERN = re.compile(r"(?<![\\A-Za-z])(?:" + "|".join(_UNIT_WORDS) + r")(?![A-Za-z])")

# Expressions Minerva deletes once spaces are gone (the `\text{...}` forms are units left empty).
_DELETED_EXPRESSIONS = (
    "\\text{s}", "\\text{.}", "\\text{}^2", "\\text{}^3", "\\text{}", "\\mathrm{th}",
    "^{\\circ}", "^\\circ", "\\circ", "\\degree", '"', "\\ldots", "\\dots", "{,}", "\\%", "%",
)  # fmt: skip

_THIN_SPACE = re.compile(r"\\[\\!,;: ]|~")  # also matches a row break `\\`, which is kept
_SIZING = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])")
_ARTICLE = re.compile(r"(?<![\\A-Za-z])an?\s+(?=[A-Za-z])")
_AND_SEPARATOR = re.compile(r",?\s*\\text\{\s*and\s*\}\s*")
_CONTROL_WORD_BEFORE_LETTER = re.compile(r"(\\[A-Za-z]+)\s+(?=[A-Za-z])")
_WRAPPERS = re.compile(r"\\(?:text|textbf|textrm|textnormal|mathrm|overline|boxed|fbox)(?![A-Za-z])\s*\{")
_THOUSANDS = re.compile(r"[-+]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")  # not `0,111`: a decimal comma
_SPACED_LIST = re.compile(r"\d,\s+\d")
_FRAC_OR_SQRT = re.compile(r"\\(frac|sqrt)(?![A-Za-z])")
_CONTROL_WORD = re.compile(r"\\(?:[A-Za-z]+|.)")
_SPACE_MARK = "\x00"


def _unwrap_commands(text: str) -> str:
    """Replace `\\text{X}`, `\\textbf{X}`, `\\overline{X}`, `\\boxed{X}`... by X (braces matched)."""
    for _ in range(len(text)):
        match = _WRAPPERS.search(text)
        if match is None:
            break
        close_index = matching_brace(text, match.end() - 1)
        if close_index is None:
            break
        text = text[: match.start()] + text[match.end() : close_index] + text[close_index + 1 :]
    return text


def _read_argument(text: str, index: int) -> tuple[str | None, int]:
    """One TeX macro argument at `index`: a braced group, a control word, or a single char."""
    while index < len(text) and text[index] == " ":
        index += 1
    if index >= len(text) or text[index] in "}^_&":
        return None, index
    if text[index] == "{":
        close_index = matching_brace(text, index)
        if close_index is None:
            return None, index
        return text[index + 1 : close_index], close_index + 1
    if text[index] == "\\":
        word = _CONTROL_WORD.match(text, index)
        assert word is not None
        return word.group(0), word.end()
    return text[index], index + 1


def _brace_fraction_and_root_arguments(text: str) -> str:
    """`\\frac12` -> `\\frac{1}{2}`, `\\sqrt2` -> `\\sqrt{2}`, `\\frac\\pi4` -> `\\frac{\\pi}{4}`."""
    pieces: list[str] = []
    index = 0
    while index < len(text):
        match = _FRAC_OR_SQRT.match(text, index)
        if match is None:
            pieces.append(text[index])
            index += 1
            continue
        name = match.group(1)
        cursor = match.end()
        optional = ""
        if name == "sqrt" and text.startswith("[", cursor) and "]" in text[cursor:]:
            end = text.index("]", cursor)
            optional = text[cursor : end + 1]
            cursor = end + 1
        arguments: list[str] = []
        for _ in range(2 if name == "frac" else 1):
            argument, cursor = _read_argument(text, cursor)
            if argument is None:
                break
            arguments.append(argument)
        if len(arguments) != (2 if name == "frac" else 1):
            pieces.append(match.group(0))
            index = match.end()
            continue
        braced = "".join("{" + _brace_fraction_and_root_arguments(a) + "}" for a in arguments)
        pieces.append(f"\\{name}{optional}{braced}")
        index = cursor
    return "".join(pieces)


_SQRT_PARENTHESES = re.compile(r"\\sqrt\s*\(([^()]*)\)")


def sqrt_parentheses_braced(text: str) -> str:
    """`4\\sqrt(2)` -> `4\\sqrt{2}`: math-verify reads the first as `4`."""
    return _SQRT_PARENTHESES.sub(r"\\sqrt{\1}", text)


def clean_answer(text: str) -> str:
    """Minerva's normalisation without its final step (keeping only the last side of `=`)."""
    text = sqrt_parentheses_braced(text.strip())
    listed = _SPACED_LIST.search(text) is not None  # `32, 349` is two numbers, `32,349` one
    text = _SIZING.sub("", text)
    text = _THIN_SPACE.sub(lambda m: m.group(0) if m.group(0) == "\\\\" else " ", text)
    text = text.replace("\\mbox", "\\text")
    text = _AND_SEPARATOR.sub(",", text)
    text = text.replace("\\$", "")
    text = _ARTICLE.sub("", text)
    text = text.replace("\\text{m}", "\\text{}")
    text = _UNIT_PATTERN.sub("", text)
    # All whitespace goes, except the one that separates a control word from a following
    # letter (`\pi r` must not become `\pir`).
    text = _CONTROL_WORD_BEFORE_LETTER.sub(lambda m: m.group(1) + _SPACE_MARK, text)
    text = re.sub(r"\s+", "", text).replace(_SPACE_MARK, " ")
    for expression in _DELETED_EXPRESSIONS:
        text = text.replace(expression, "")
    math_segment = re.search(r"\$\$(.+?)\$\$|\$(.+?)\$", text)
    if math_segment:
        text = math_segment.group(1) or math_segment.group(2)
    text = text.replace("$", "")
    text = _unwrap_commands(text)
    text = re.sub(r"\\[dt]frac(?![A-Za-z])", r"\\frac", text)
    text = _brace_fraction_and_root_arguments(text).strip().rstrip(".").strip()
    if _THOUSANDS.fullmatch(text) and not listed:
        text = text.replace(",", "")
    return text


def normalize_final_answer(answer: str) -> str:
    """Minerva's normalisation of a final answer (Lewkowycz et al. 2022, appendix D.1).

    Deletes articles, units and filler words, degree signs, `\\text{}` wrappers, dollar signs
    and math delimiters, all whitespace, and trailing periods; maps `\\dfrac`/`\\tfrac` to
    `\\frac`; braces the arguments of `\\frac12` and `\\sqrt2`; removes the commas of a
    thousands-grouped number; keeps only what follows the last `=`.

    Where the published procedure is lossy, this one is narrower: words are deleted only as
    whole words, commas only when they group digits in threes (so "1,2" stays a list), and a
    space that separates a control word from a letter is kept. It also drops `\\left`/`\\right`
    and percent signs, as the MATH checker does.
    """
    cleaned = clean_answer(answer)
    return split_top_level(cleaned, "=")[-1].strip()

