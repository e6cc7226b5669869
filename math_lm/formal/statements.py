"""miniF2F statements: the formal statement files of one split, and their informal statements/proofs.

A statement directory holds one `<name>.v` per problem (as miniF2F-rocq ships them: imports,
maybe definitions, `Theorem <name> ... .`, `Proof.`, usually `Admitted.`), either directly or
under `valid/` and `test/`. The statement of a problem is its file up to the end of the
`Proof.` that follows `Theorem <name>`; whatever comes after (`Admitted.`) is dropped.

Rocq 9 renamed the standard library's logical root `Coq` to `Stdlib`: `From Stdlib Require`
is read as `From Coq Require` (the same library under its Coq 8.16 name).

The informal statements and proofs (`data/minif2f/informal/<split>/<name>.json`, from the
miniF2F fork LLEMMA used) are read by `informal_problem`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from math_lm.formal.script import ScriptError, sentences
from megatron.user_files import read_json, read_text

REPO_DATA = Path(__file__).resolve().parents[2] / "data" / "minif2f"
DEFAULT_STATEMENTS = REPO_DATA / "rocq"
DEFAULT_INFORMAL = REPO_DATA / "informal"
SPLITS = ("valid", "test")
_THEOREM_KEYWORDS = ("Theorem", "Lemma", "Example", "Corollary", "Proposition", "Fact", "Remark")
_ROCQ9_ROOT = re.compile(r"\bFrom\s+Stdlib\b")


class StatementError(ValueError):
    """A statement file or directory that cannot be read as miniF2F statements."""


@dataclass(frozen=True)
class Statement:
    """One formal problem: `header` is the text Coq reads before the proof (ending in `Proof.`)."""

    name: str
    path: Path
    header: str
    split: str | None = None

    @property
    def theorem(self) -> str:
        """The `Theorem ... .` sentence (for prompts)."""
        for sentence in sentences(self.header):
            if sentence.text.split(None, 1)[0] in _THEOREM_KEYWORDS and _names(sentence.text, self.name):
                return sentence.text + "."
        raise StatementError(f"{self.path}: no Theorem {self.name}")


def _names(sentence: str, name: str) -> bool:
    return re.match(rf"\w+\s+{re.escape(name)}(?![\w'])", sentence) is not None


def parse_statement(path: Path, split: str | None = None) -> Statement:
    """The statement in the file `path` (named by the file's stem); StatementError if there is none."""
    path = Path(path)
    name = path.stem
    text = read_text(path)
    try:
        parts = sentences(text)
    except ScriptError as error:
        raise StatementError(f"{path}: {error}") from error
    lines = text.splitlines(keepends=True)
    for index, sentence in enumerate(parts):
        first = sentence.text.split(None, 1)[0] if sentence.text else ""
        if first in _THEOREM_KEYWORDS and _names(sentence.text, name):
            following = parts[index + 1] if index + 1 < len(parts) else None
            if following is None or following.text != "Proof":
                raise StatementError(f"{path}:{sentence.line}: Theorem {name} is not followed by `Proof.`")
            end_line = lines[following.line - 1]
            offset = sum(len(line) for line in lines[: following.line - 1]) + end_line.index("Proof.") + len("Proof.")
            header = _ROCQ9_ROOT.sub("From Coq", text[:offset]) + "\n"
            return Statement(name, path, header, split)
    raise StatementError(f"{path}: no `Theorem {name}` (the theorem must be named as the file)")


def statement_files(directory: Path, split: str | None = None) -> list[tuple[Path, str | None]]:
    """The `.v` files of `directory` (or of its `split/` subdirectory), sorted by name."""
    directory = Path(directory)
    if not directory.is_dir():
        raise StatementError(f"--statements {directory}: not a directory")
    if split is not None and (directory / split).is_dir():
        directory = directory / split
    elif split is not None and directory.name != split and any((directory / s).is_dir() for s in SPLITS):
        raise StatementError(f"{directory}: no {split}/ subdirectory")
    files = sorted(directory.glob("*.v"))
    if not files:
        raise StatementError(f"{directory}: no .v statement files")
    return [(path, split) for path in files]


def load_statements(directory: Path, split: str | None = None) -> dict[str, Statement]:
    """Every statement of `directory` (or of its `split/`), by name."""
    return {path.stem: parse_statement(path, split) for path, split in statement_files(directory, split)}


@dataclass(frozen=True)
class InformalProblem:
    name: str
    statement: str
    proof: str


def informal_problem(name: str, split: str, directory: Path = DEFAULT_INFORMAL) -> InformalProblem:
    """The informal statement and proof of problem `name`; StatementError naming the file if absent."""
    path = Path(directory) / split / f"{name}.json"
    if not path.exists():
        raise StatementError(f"{path}: no informal statement for {name}")
    record = read_json(path)
    try:
        return InformalProblem(name, record["informal_statement"], record["informal_proof"])
    except (TypeError, KeyError) as error:
        raise StatementError(f"{path}: expected informal_statement and informal_proof ({error})") from error
