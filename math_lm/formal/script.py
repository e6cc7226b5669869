"""Coq sentences, and the rule that a proof is a tactic script: no vernacular in it.

A Coq sentence ends at a `.` followed by a blank or the end of the text; comments `(* *)` nest
and may hold strings, strings hold anything. Bullets (`-`, `+`, `*`, repeated) and braces `{`,
`}` are sentences of their own. This splitter cuts at every place where Coq could end a
sentence (it is conservative: a comment counts as a blank), so each sentence Coq sees starts
at one of our cuts, and each is checked.

A proof (`validate_proof`) is tactic sentences, then `Qed.`. A tactic sentence starts, after
bullets, braces and a goal selector (`2:`, `all:`), with a lower-case identifier or `(`, `[`,
`;`, `|`: every Coq command (Admitted, Abort, Definition, Require, Load, Redirect, Set,
Unset, Declare, Axiom, Ltac, Fail, Time, ...) starts with an upper-case letter or `#`. The
tactics `admit` and `give_up` are refused by name, and so is the word `fix` or `cofix` anywhere
in a proof (the tactics and the terms: local fixpoints are refused, see `math_lm.formal.coq`;
this is the early, readable refusal, the kernel term is checked as well). Control characters
other than tab and newline are refused, so that no exotic blank ends a sentence where we did
not cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REFUSED_TACTICS = frozenset({"admit", "give_up"})
REFUSED_FIXPOINTS = frozenset({"fix", "cofix"})
_BULLET_OR_BRACE = re.compile(r"\s*(?:[-+*]+|[{}]|(?:\d+|\[\w+\])\s*:\s*\{)")
_GOAL_SELECTOR = re.compile(r"\s*(?:\d+(?:\s*-\s*\d+)?(?:\s*,\s*\d+(?:\s*-\s*\d+)?)*|all|par|!)\s*:(?!=)")
_TACTIC_START = re.compile(r"[a-z_(\[;|]")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_']*")


class ScriptError(ValueError):
    """A proof or tactic that is not a plain tactic script."""


@dataclass(frozen=True)
class Sentence:
    text: str  # without comments (each replaced by blanks) and without the final `.`
    line: int  # 1-based line of its first character
    end: int = -1  # offset in the original text just after the sentence (after its `.`)


def _strip_comments(text: str) -> str:
    """`text` with every comment replaced by blanks (newlines kept, so offsets and lines stay those
    of `text`); strings are kept. Raises on an open one."""
    out: list[str] = []
    index, depth, length = 0, 0, len(text)
    while index < length:
        if text.startswith("(*", index):
            depth += 1
            index += 2
            out.append("  ")
        elif depth and text.startswith("*)", index):
            depth -= 1
            index += 2
            out.append("  ")
        elif text[index] == '"':
            end = index + 1
            while True:
                end = text.find('"', end)
                if end < 0:
                    raise ScriptError("unterminated string")
                if text.startswith('""', end):  # an escaped quote
                    end += 2
                    continue
                break
            piece = text[index : end + 1]
            out.append(piece if not depth else re.sub(r"[^\n]", " ", piece))
            index = end + 1
        else:
            out.append(text[index] if not depth or text[index] == "\n" else " ")
            index += 1
    if depth:
        raise ScriptError("unterminated comment")
    return "".join(out)


def sentences(text: str) -> list[Sentence]:
    """The sentences of `text` (see the module docstring); a trailing fragment without `.` is kept."""
    code = _strip_comments(text)
    found: list[Sentence] = []
    start, index, in_string = 0, 0, False
    while index < len(code):
        char = code[index]
        if char == '"':
            in_string = not in_string
        elif not in_string and char == "." and (index + 1 == len(code) or code[index + 1].isspace()):
            _add(found, code, start, index, index + 1)
            start = index + 1
        index += 1
    _add(found, code, start, len(code), len(code))
    return found


def _add(found: list[Sentence], code: str, start: int, end: int, after: int) -> None:
    piece = code[start:end]
    while True:  # bullets and braces are sentences of their own
        match = _BULLET_OR_BRACE.match(piece)
        if not match or (set(match.group().strip()) <= set("-+*") and piece[match.end() : match.end() + 1] == ">"):
            break
        found.append(Sentence(match.group().strip(), code.count("\n", 0, start + match.start()) + 1,
                              start + match.end()))
        start += match.end()
        piece = piece[match.end() :]
    if piece.strip():
        offset = len(piece) - len(piece.lstrip())
        found.append(Sentence(piece.strip(), code.count("\n", 0, start + offset) + 1, after))


def _check_characters(text: str) -> None:
    for number, char in enumerate(text):
        if (ord(char) < 32 and char not in "\n\t") or ord(char) == 127 or char in "\u2028\u2029\x85\xa0":
            raise ScriptError(f"control character {char!r} at offset {number}")


def check_tactic_sentence(sentence: Sentence, refuse_fixpoints: bool = True) -> None:
    """Raises ScriptError unless `sentence` is a tactic (or a bullet or brace). `refuse_fixpoints`
    False lets `fix`/`cofix` through (only for testing the kernel-term check behind this one)."""
    body = sentence.text
    if body in ("{", "}") or (body and set(body) <= set("-+*")):
        return
    selector = _GOAL_SELECTOR.match(body)
    if selector:
        body = body[selector.end() :].lstrip()
        if body == "{":
            return
    if not _TACTIC_START.match(body):
        word = _WORD.match(body)
        what = f"command {word.group()!r}" if word else f"{body[:20]!r}"
        raise ScriptError(f"line {sentence.line}: {what} is not a tactic (proofs are tactic scripts only)")
    for word in _WORD.findall(_without_strings(body)):
        if word in REFUSED_TACTICS:
            raise ScriptError(f"line {sentence.line}: the tactic {word!r} is not allowed")
        if word in REFUSED_FIXPOINTS and refuse_fixpoints:
            raise ScriptError(f"line {sentence.line}: {word!r} is not allowed (no local fixpoints in a proof: "
                              "use induction or the library's recursors)")


def _without_strings(text: str) -> str:
    return re.sub(r'"(?:[^"]|"")*"', '""', text)


def validate_proof(proof: str, refuse_fixpoints: bool = True) -> list[str]:
    """The tactic sentences of `proof`, which must end with `Qed.`; raises ScriptError otherwise."""
    _check_characters(proof)
    parts = sentences(proof)
    if not proof.rstrip().endswith(".") or not parts or parts[-1].text != "Qed":
        raise ScriptError("the proof must end with `Qed.`")
    tactics = parts[:-1]
    for sentence in tactics:
        check_tactic_sentence(sentence, refuse_fixpoints)
    return [sentence.text for sentence in tactics]


def validate_tactic(tactic: str) -> str:
    """`tactic` as one tactic sentence ending in `.`; raises ScriptError if it is anything else."""
    _check_characters(tactic)
    text = tactic.strip()
    if not text.endswith("."):
        text += "."
    parts = sentences(text)
    if len(parts) != 1:
        raise ScriptError(f"expected one tactic, got {len(parts)} sentences")
    check_tactic_sentence(parts[0])
    return parts[0].text + "."
