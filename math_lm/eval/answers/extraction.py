"""Pulling the final answer out of a generation, and the reference answer out of a dataset row.

`extract_final_answer` (MATH, OCW: Minerva's "Final Answer: The final answer is X. I hope it is
correct.", else the last `\\boxed{}`), `extract_gsm8k_answer` ("The answer is N"),
`extract_choice` (A-E). math-verify has its own extraction regexes, but they are tuned to its
prompts; these follow the few-shot formats of the LLEMMA tasks, so both grading backends see the
same extracted string.
"""

from __future__ import annotations

import re

from math_lm.latex import matching_brace


_BOX_COMMAND = re.compile(r"\\(?:boxed|fbox)(?![A-Za-z])")
_FINAL_ANSWER = re.compile(
    r"Final Answer:\s*The final answer is\s*(.*?)\s*\.?\s*I hope it is correct", re.DOTALL
)
_FINAL_ANSWER_UNFINISHED = re.compile(r"Final Answer:\s*The final answer is\s*([^\n]+)")
_CORRECTION = re.compile(
    r"\bI apologi[sz]e\b|\b[Ll]et me correct\b|\bI made (?:a|an) (?:mistake|error)\b|\b[Cc]orrection:")
_QUOTED = re.compile(r'(\\?")(.*)\1', re.DOTALL)
_ANSWER_IS = re.compile(r"[Tt]he (?:final )?answer is\s*:?\s*([^\n]*)")
_NUMBER_TEXT = re.compile(r"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")


def extract_boxed(text: str) -> str | None:
    """Content of the last `\\boxed{...}` or `\\fbox{...}` in `text`, nested braces included.

    Also accepts the brace-less form `\\boxed 5` (content up to the next `$` or line end).
    Returns None when there is no box or its braces are unbalanced.
    """
    matches = list(_BOX_COMMAND.finditer(text))
    if not matches:
        return None
    start = matches[-1].end()
    rest = text[start:]
    stripped = rest.lstrip()
    if stripped.startswith("{"):
        open_index = start + (len(rest) - len(stripped))
        close_index = matching_brace(text, open_index)
        if close_index is None:
            return None
        return text[open_index + 1 : close_index].strip()
    if rest[:1].isspace():
        content = re.split(r"[$\n]", stripped, maxsplit=1)[0].strip().rstrip(".").strip()
        return content or None
    return None


_BOXES_SEPARATOR = re.compile(
    r"(?:\s|[$,;]|\\[()\[\]]|\\[,;:! ]|\\q?quad(?![A-Za-z])|\\text\{\s*(?:and|or|,)?\s*\}|\band\b|\bor\b)*"
)
_CONJUNCTION_END = re.compile(r"(?:\band|\bor|,)\s*\}?\s*$")
_MAX_WORDS_BETWEEN_BOXES = 30


def _boxes(text: str) -> list[tuple[int, int]]:
    """(start, end) of every complete `\\boxed{...}` / `\\fbox{...}`, in order."""
    spans = []
    for match in _BOX_COMMAND.finditer(text):
        rest = text[match.end():]
        stripped = rest.lstrip()
        if not stripped.startswith("{"):
            continue
        open_index = match.end() + (len(rest) - len(stripped))
        close_index = matching_brace(text, open_index)
        if close_index is not None:
            spans.append((match.start(), close_index + 1))
    return spans


def _joins_boxes(between: str) -> bool:
    """Whether the text between two boxes makes them one answer: only separators (`, `, `and`,
    `\\quad`, math delimiters), or a few words that end in a conjunction ("papers and")."""
    if _BOXES_SEPARATOR.fullmatch(between):
        return True
    if len(between) > _MAX_WORDS_BETWEEN_BOXES or re.search(r"[0-9=]|[.:;!?]\s", between):
        return False  # another statement in between: "\\boxed{3}. Then y = 4 and \\boxed{5}"
    return bool(_CONJUNCTION_END.search(between))


def extract_boxed_answers(text: str) -> str | None:
    """The last boxed expression, or, when the last boxes are written as one answer
    (`\\boxed{1}, \\boxed{2} and \\boxed{3}`), their contents joined by commas."""
    spans = _boxes(text)
    if len(spans) < 2:
        return extract_boxed(text)
    run = [spans[-1]]
    for previous in reversed(spans[:-1]):
        if previous[1] > run[0][0] or not _joins_boxes(text[previous[1]:run[0][0]]):
            break
        run.insert(0, previous)
    if len(run) == 1:
        return _labelled_boxes(text, spans) or extract_boxed(text)
    return ", ".join(extract_boxed(text[start:end]) or "" for start, end in run)


_BOX_LABEL = re.compile(r"([A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?)\s*=\s*$")


def _labelled_boxes(text: str, spans: list[tuple[int, int]]) -> str | None:
    """`y_1 = \\boxed{A} and y_2 = \\boxed{B}` -> `y_1 = A, y_2 = B`, when every box of the run has
    its label just before it; else None."""
    labelled: list[str] = []
    end = len(text)
    for start, stop in reversed(spans):
        label = _BOX_LABEL.search(text, 0, start)
        if label is None or stop > end:
            break
        if labelled and not _joins_boxes(text[stop:end]):
            break
        labelled.insert(0, f"{label.group(1)} = {extract_boxed(text[start:stop])}")
        end = label.start()
    return ", ".join(labelled) if len(labelled) > 1 else None


def extract_final_answer(text: str) -> str | None:
    """The answer of a Minerva-style generation, or None.

    Looks for the first "Final Answer: The final answer is X. I hope it is correct." (the
    sentence may be cut short by the generation limit; when the generation then corrects
    itself, "I apologize for the mistake ...", the last such sentence; quotes around the answer,
    `"$12$ and $13$"`, are not part of it), else falls back to the last boxed
    expression (several boxes written as one answer are joined, `extract_boxed_answers`). The
    result is unnormalised (it may still hold `$`, `\\boxed`, units). Generations in other forms
    (the answer in prose, no box) are read by math-verify's extraction in the grader's worker
    (`grading.extract_answer`).
    """
    match = _FINAL_ANSWER.search(text) or _FINAL_ANSWER_UNFINISHED.search(text)
    if match:
        correction = _CORRECTION.search(text, match.end())
        if correction:  # "I apologize for the mistake ... Final Answer: ..." : the corrected answer counts
            corrected = list(_FINAL_ANSWER.finditer(text, correction.end())) or list(
                _FINAL_ANSWER_UNFINISHED.finditer(text, correction.end()))
            match = corrected[-1] if corrected else match
        answer = match.group(1).strip().rstrip(".").strip()
        quoted = _QUOTED.fullmatch(answer)  # `"$12$ and $13$"`, quotes escaped or not
        answer = quoted.group(2).strip() if quoted else answer
        if answer:
            return answer
    return extract_boxed_answers(text)


def extract_gsm8k_answer(text: str, *, fallback_to_last_number: bool = True) -> str | None:
    """The number after the first "The answer is" in a GSM8k chain of thought, commas removed.

    With `fallback_to_last_number`, a generation without that sentence is answered by the last
    number it contains (the harness's "flexible" extraction). None when no number is found.
    """
    for match in _ANSWER_IS.finditer(text):
        number = _NUMBER_TEXT.search(match.group(1))
        if number:
            return _plain_number_text(number.group(0))
    if fallback_to_last_number:
        numbers = _NUMBER_TEXT.findall(text)
        if numbers:
            return _plain_number_text(numbers[-1])
    return None


def _plain_number_text(number: str) -> str:
    return number.replace(",", "").rstrip(".")


def extract_choice(text: str, letters: str = "ABCDE") -> str | None:
    """The option letter a multiple-choice generation settles on, e.g. "B", or None.

    Reads the Minerva sentence ("The final answer is (B). I hope it is correct.") or "The
    answer is (B)"; a parenthesised letter wins over a bare one.
    """
    spans = []
    minerva = _FINAL_ANSWER.search(text) or _FINAL_ANSWER_UNFINISHED.search(text)
    if minerva:
        spans.append(minerva.group(1))
    spans.extend(match.group(1) for match in _ANSWER_IS.finditer(text))
    allowed = re.escape(letters)
    for span in spans:
        match = re.search(rf"\(([{allowed}])\)", span) or re.search(
            rf"(?<![A-Za-z])([{allowed}])(?![A-Za-z])", span
        )
        if match:
            return match.group(1)
    return None


def math_reference_answer(solution: str) -> str:
    """The reference answer of a MATH solution: its last boxed expression.

    Raises ValueError when the solution has no `\\boxed{...}`.
    """
    return boxed_reference_answer(solution, "MATH solution")


def gsm8k_reference_answer(answer_field: str) -> str:
    """The number after `####` in a GSM8k `answer` field, thousands separators removed.

    Raises ValueError when the field has no `####` line.
    """
    if "####" not in answer_field:
        raise ValueError(f"GSM8k answer field has no '####' line: {answer_field[-200:]!r}")
    return _plain_number_text(answer_field.rsplit("####", 1)[1].strip())



def boxed_reference_answer(solution: str, where: str = "solution") -> str:
    """The last boxed expression of a worked solution (MATH, OCWCourses), as Minerva reads it.

    Raises ValueError naming `where` when the solution has no `\\boxed{...}`.
    """
    answer = extract_boxed(solution)
    if answer is None:
        raise ValueError(f"{where} has no \\boxed{{...}} answer: {solution[-200:]!r}")
    return answer
