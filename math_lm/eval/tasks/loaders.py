"""Benchmark data for the LLEMMA tasks: local files in each dataset's published layout, else the hub.

Every loader returns the test documents as dicts that keep the dataset's own fields and add:

- `question`: the problem as the prompt shows it (for multiple choice, with its options);
- `reference`: the reference answer, the string the grader compares against;
- `answer_style`: how answers are extracted and compared (`math_lm.eval.answers.ANSWER_STYLES`);
- `level` and `subject`: difficulty and topic where the dataset has them ("" otherwise).

Local layouts, under a data directory `ROOT` (`--data-dir` of `python -m math_lm.eval`,
`--metadata '{"data_dir": "ROOT"}'` of `lm_eval`, or the environment variable
`LLEMMA_EVAL_DATA_DIR`). Folder names match in any case (`math/` or `MATH/`) and by the aliases
in `BENCHMARKS`; fields go by the names of the public copies (aliases in each reader). A file in
an unknown layout is an error listing the fields it has and the fields expected.

| dataset | folder | files and fields |
|---|---|---|
| MATH, MATH-500 | `MATH` | `test/<subject>/<n>.json` (the release tarball) or `test.jsonl`; problem, solution (reference: its last `\\boxed{}`), level, type or subject |
| GSM8k | `gsm8k` | `test.jsonl` or `data/test.jsonl`; question, answer ("... #### N") |
| OCWCourses (Minerva) | `ocw` | `test.jsonl` or `ocwcourses.json`; problem and a worked solution (reference: its final `\\boxed{}`, an error if none), or problem and answer |
| MMLU | `mmlu` | `test/<subject>_test.csv` (no header: question, A, B, C, D, answer) or `test.jsonl` (question, choices, answer index or letter, subject; without subject the file is taken as MMLU-STEM) |
| SAT (May 2023) | `sat` | `test.jsonl` or `train.jsonl`: {Question, Possible Answers, Answer} (mcaleste/sat_multiple_choice_math_may_23) or {id, question, options, Answer} |

Without a data directory the loaders read the public copies on the Hugging Face hub
(EleutherAI/hendrycks_math, openai/gsm8k, open-web-math/ocwcourses, cais/mmlu,
mcaleste/sat_multiple_choice_math_may_23); offline, that fails with an error naming the option
and the environment variable to set.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any, Callable, Iterable

from math_lm.eval.answers import boxed_reference_answer, gsm8k_reference_answer, math_reference_answer
from math_lm.jsonl import read_json_objects
from megatron.user_files import iter_lines, read_json

MMLU_STEM_SUBJECTS: tuple[str, ...] = (
    "abstract_algebra", "college_mathematics", "college_physics", "elementary_mathematics",
    "high_school_mathematics", "high_school_physics", "high_school_statistics",
    "astronomy", "college_biology", "college_chemistry", "college_computer_science",
    "computer_security", "conceptual_physics", "electrical_engineering", "high_school_biology",
    "high_school_chemistry", "high_school_computer_science", "machine_learning",
)  # fmt: skip
"""The 18 MMLU subjects of Minerva's MMLU-STEM."""

MATH_SUBJECTS: tuple[str, ...] = (
    "algebra", "counting_and_probability", "geometry", "intermediate_algebra", "number_theory",
    "prealgebra", "precalculus",
)  # fmt: skip
"""Subject directories of the MATH release (and configurations of EleutherAI/hendrycks_math)."""

CHOICE_LETTERS = "ABCD"
CHOICE_QUESTION = "What of the following is the right choice? Explain your answer."

Document = dict[str, Any]


class DataError(ValueError):
    """A benchmark file is missing or does not have its dataset's layout."""


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[Document]:
    """The JSON objects of a .jsonl file, one a line (blank lines skipped)."""
    return [document for _, document in read_json_objects(path, DataError)]


def _read_json_list(path: Path) -> list[Document]:
    value = read_json(path)
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise DataError(f"{path}: expected a JSON object or a list of objects")
    return value


def _first_existing(directory: Path, candidates: Iterable[str]) -> Path | None:
    for name in candidates:
        if (directory / name).exists():
            return directory / name
    return None


def _folder_key(name: str) -> str:
    return "".join(char for char in name.lower() if char.isalnum())


def _dataset_directory(data_dir: str | Path, name: str, aliases: Iterable[str] = ()) -> Path:
    """`data_dir/name`, matched without regard to case or punctuation (`math/`, `MATH/`), or an alias."""
    root = Path(data_dir).expanduser()
    if (root / name).is_dir():
        return root / name
    wanted = {_folder_key(name), *(_folder_key(alias) for alias in aliases)}
    found = sorted(path for path in root.iterdir() if path.is_dir() and _folder_key(path.name) in wanted) \
        if root.is_dir() else []
    if len(found) > 1:
        raise DataError(f"data directory {root} has several folders for {name}: {', '.join(p.name for p in found)}")
    if not found:
        names = ", ".join(f"{n}/" for n in (name, *aliases))
        raise DataError(f"data directory {root} has no {name}/ folder (looked for {names}, any case)")
    return found[0]


def _field(document: Document, role: str, names: tuple[str, ...], where: str) -> Any:
    """The value of the first of `names` that `document` has; else an error listing what it has."""
    for name in names:
        if name in document:
            return document[name]
    raise DataError(f"{where}: no {role} field: expected one of {', '.join(names)}; "
                    f"fields found: {', '.join(document) or 'none'}")


# ---------------------------------------------------------------------------------------------
# Per dataset: local files
# ---------------------------------------------------------------------------------------------


def _math_document(raw: Document, where: str) -> Document:
    problem = _field(raw, "problem", ("problem", "question", "Problem"), where)
    solution = _field(raw, "solution", ("solution", "Solution"), where)
    try:
        reference = math_reference_answer(solution)
    except ValueError as error:
        raise DataError(f"{where}: {error}") from error
    return {
        **raw,
        "problem": problem,
        "question": problem,
        "reference": reference,
        "answer_style": "math",
        "level": str(raw.get("level", "")),
        "subject": str(raw.get("type", raw.get("subject", ""))),
    }


def read_math(directory: Path) -> list[Document]:
    """MATH test problems from `directory` (`test/<subject>/<n>.json` or `test.jsonl`)."""
    jsonl = _first_existing(directory, ("test.jsonl",))
    if jsonl is not None:
        return [_math_document(raw, f"{jsonl}:{i + 1}") for i, raw in enumerate(read_jsonl(jsonl))]
    files = sorted((directory / "test").glob("*/*.json"), key=lambda p: (p.parent.name, _numeric_stem(p)))
    if not files:
        raise DataError(f"{directory}: neither test.jsonl nor test/<subject>/<n>.json files")
    return [_math_document(raw, str(path)) for path in files for raw in _read_json_list(path)]


def _numeric_stem(path: Path) -> tuple[int, str]:
    return (int(path.stem), "") if path.stem.isdigit() else (0, path.stem)


def _gsm8k_document(raw: Document, where: str) -> Document:
    question = _field(raw, "question", ("question", "Question"), where)
    answer = _field(raw, "answer", ("answer", "Answer"), where)
    try:
        reference = gsm8k_reference_answer(answer)
    except ValueError as error:
        raise DataError(f"{where}: {error}") from error
    return {**raw, "question": question, "answer": answer, "reference": reference, "answer_style": "gsm8k",
            "level": "", "subject": ""}


def read_gsm8k(directory: Path) -> list[Document]:
    """GSM8k test problems from `directory` (`test.jsonl` or `data/test.jsonl`)."""
    path = _first_existing(directory, ("test.jsonl", "data/test.jsonl"))
    if path is None:
        raise DataError(f"{directory}: no test.jsonl (or data/test.jsonl)")
    return [_gsm8k_document(raw, f"{path}:{i + 1}") for i, raw in enumerate(read_jsonl(path))]


def _ocw_document(raw: Document, where: str) -> Document:
    """An OCWCourses problem: the reference is the final boxed answer of its worked `solution`
    (as Minerva and LLEMMA grade it), or an explicit `answer` in files without solutions."""
    problem = _field(raw, "problem", ("problem", "question"), where)
    if "solution" in raw:
        try:
            reference = boxed_reference_answer(str(raw["solution"]), "OCWCourses solution")
        except ValueError as error:
            raise DataError(f"{where}: {error}") from error
    else:
        reference = _field(raw, "reference answer", ("solution", "answer"), where)
    if not isinstance(reference, str) or not reference.strip():
        raise DataError(f"{where}: empty reference answer")
    return {**raw, "problem": problem, "question": problem, "reference": reference, "answer_style": "ocw",
            "level": "", "subject": str(raw.get("subject", raw.get("type", "")))}


def read_ocw(directory: Path) -> list[Document]:
    """OCWCourses problems from `directory` (`test.jsonl` or `ocwcourses.json`)."""
    path = _first_existing(directory, ("test.jsonl", "ocwcourses.json", "test.json"))
    if path is None:
        raise DataError(f"{directory}: no test.jsonl or ocwcourses.json")
    raws = read_jsonl(path) if path.suffix == ".jsonl" else _read_json_list(path)
    return [_ocw_document(raw, f"{path}:{i + 1}") for i, raw in enumerate(raws)]


def choice_question(question: str, choices: Iterable[str]) -> str:
    """A multiple-choice question in Minerva's layout: the question, the instruction, the options."""
    options = ", ".join(f"({letter}) {choice}" for letter, choice in zip(CHOICE_LETTERS, choices))
    return f"{question}\n{CHOICE_QUESTION}\n{options}"


def _mmlu_document(question: str, choices: list[str], answer: int | str, subject: str, where: str) -> Document:
    if len(choices) != len(CHOICE_LETTERS):
        raise DataError(f"{where}: expected {len(CHOICE_LETTERS)} choices, got {len(choices)}")
    if isinstance(answer, str) and answer.strip().upper() in CHOICE_LETTERS:
        letter = answer.strip().upper()
    elif isinstance(answer, int) and 0 <= answer < len(CHOICE_LETTERS):
        letter = CHOICE_LETTERS[answer]
    else:
        raise DataError(f"{where}: answer {answer!r} is neither a letter A-D nor an index 0-3")
    return {"question": choice_question(question, choices), "choices": list(choices), "reference": letter,
            "answer_style": "multiple_choice", "level": "", "subject": subject, "problem": question}


def read_mmlu_stem(directory: Path, subjects: Iterable[str] = MMLU_STEM_SUBJECTS) -> list[Document]:
    """MMLU-STEM test questions from `directory` (`test/<subject>_test.csv` or `test.jsonl`)."""
    subjects = tuple(subjects)
    jsonl = _first_existing(directory, ("test.jsonl", "mmlu_stem.jsonl", "stem.jsonl"))
    documents: list[Document] = []
    if jsonl is not None:
        for i, raw in enumerate(read_jsonl(jsonl)):
            where = f"{jsonl}:{i + 1}"
            question = _field(raw, "question", ("question", "Question"), where)
            choices = _field(raw, "choices", ("choices", "options"), where)
            answer = _field(raw, "answer", ("answer", "Answer", "label"), where)
            subject = raw.get("subject")  # without it, the file is taken as MMLU-STEM already
            if subject is None or subject in subjects:
                documents.append(_mmlu_document(question, list(choices), answer, str(subject or ""), where))
        return documents
    found = False
    for subject in subjects:
        path = directory / "test" / f"{subject}_test.csv"
        if not path.is_file():
            continue
        found = True
        for number, row in enumerate(csv.reader(line for _, line in iter_lines(path)), start=1):
            where = f"{path}:{number}"
            if len(row) != 6:
                raise DataError(f"{where}: expected 6 columns (question, A, B, C, D, answer), got {len(row)}")
            documents.append(_mmlu_document(row[0], row[1:5], row[5], subject, where))
    if not found:
        raise DataError(f"{directory}: neither test.jsonl nor test/<subject>_test.csv for the STEM subjects")
    return documents


_OPTION_LETTER = re.compile(r"^\s*\(?([A-Da-d])[).:]\s*")


def _sat_document(raw: Document, where: str) -> Document:
    problem = _field(raw, "question", ("Question", "question", "query"), where)
    options = _field(raw, "options", ("Possible Answers", "options", "choices"), where)
    answer = _field(raw, "answer", ("Answer", "answer", "label", "gold"), where)
    if isinstance(answer, list) and len(answer) == 1:
        answer = answer[0]
    if isinstance(answer, int) and 0 <= answer < len(CHOICE_LETTERS):
        answer = CHOICE_LETTERS[answer]
    letter = str(answer).strip().strip("()").upper()
    if letter not in CHOICE_LETTERS:
        raise DataError(f"{where}: answer {answer!r} is not a letter A-D (nor an index 0-3)")
    if isinstance(options, list):  # ["(A) 3", ...] or ["3", ...]
        options = ", ".join(f"({l}) {_OPTION_LETTER.sub('', str(o))}" for l, o in zip(CHOICE_LETTERS, options))
    question = f"{problem}\n{CHOICE_QUESTION}\n{options}"
    return {**raw, "question": question, "problem": problem, "reference": letter,
            "answer_style": "multiple_choice", "level": "", "subject": ""}


def read_sat(directory: Path) -> list[Document]:
    """SAT questions from `directory` (`test.jsonl` or `train.jsonl`, the hub copy's only split)."""
    path = _first_existing(directory, ("test.jsonl", "train.jsonl"))
    if path is None:
        raise DataError(f"{directory}: no test.jsonl or train.jsonl")
    return [_sat_document(raw, f"{path}:{i + 1}") for i, raw in enumerate(read_jsonl(path))]


# ---------------------------------------------------------------------------------------------
# Hub copies
# ---------------------------------------------------------------------------------------------


def _hub_math() -> list[Document]:
    import datasets

    documents = []
    for subject in MATH_SUBJECTS:
        split = datasets.load_dataset("EleutherAI/hendrycks_math", subject, split="test")
        documents += [_math_document(dict(raw), f"EleutherAI/hendrycks_math/{subject}") for raw in split]
    return documents


def _hub_gsm8k() -> list[Document]:
    import datasets

    split = datasets.load_dataset("openai/gsm8k", "main", split="test")
    return [_gsm8k_document(dict(raw), "openai/gsm8k") for raw in split]


def _hub_mmlu_stem() -> list[Document]:
    import datasets

    documents = []
    for subject in MMLU_STEM_SUBJECTS:
        split = datasets.load_dataset("cais/mmlu", subject, split="test")
        documents += [_mmlu_document(raw["question"], raw["choices"], raw["answer"], subject, f"cais/mmlu/{subject}")
                      for raw in split]
    return documents


def _hub_sat() -> list[Document]:
    import datasets

    split = datasets.load_dataset("mcaleste/sat_multiple_choice_math_may_23", split="train")
    return [_sat_document(dict(raw), "mcaleste/sat_multiple_choice_math_may_23") for raw in split]


def _hub_ocw() -> list[Document]:
    import datasets

    split = datasets.load_dataset("open-web-math/ocwcourses", split="test")  # the copy LLEMMA's harness read
    return [_ocw_document(dict(raw), f"open-web-math/ocwcourses:{i + 1}") for i, raw in enumerate(split)]


DATA_DIR_ENVIRONMENT = "LLEMMA_EVAL_DATA_DIR"
"""Environment variable naming the local data directory when no option gives one."""

OFFLINE_HINT = (
    "to use local files instead, pass --data-dir DIR to python -m math_lm.eval, or "
    "--metadata '{\"data_dir\": \"DIR\"}' to lm_eval, or set " + DATA_DIR_ENVIRONMENT + "=DIR "
    "(layouts: data/eval_samples/README.md)"
)


class Benchmark:
    """One dataset: its folder under the data directory (and aliases), its local and hub readers."""

    def __init__(self, folder: str, read_local: Callable[[Path], list[Document]], read_hub: Callable[[], list[Document]],
                 aliases: tuple[str, ...] = ()):
        self.folder = folder
        self.aliases = aliases
        self.read_local = read_local
        self.read_hub = read_hub

    def documents(self, data_dir: str | Path | None) -> list[Document]:
        """The test documents: from `data_dir/<folder>` when a data directory is given, else the hub."""
        if data_dir:
            documents = self.read_local(_dataset_directory(data_dir, self.folder, self.aliases))
        else:
            try:
                documents = self.read_hub()
            except DataError:
                raise
            except Exception as error:  # offline: ConnectionError, or the hub library's offline-mode errors
                raise DataError(f"{self.folder}: could not read the hub copy ({type(error).__name__}: "
                                f"{str(error)[:200]}); {OFFLINE_HINT}") from error
        if not documents:
            raise DataError(f"{self.folder}: no test documents found")
        return documents


BENCHMARKS: dict[str, Benchmark] = {
    "math": Benchmark("MATH", read_math, _hub_math, aliases=("hendrycks_math", "competition_math", "MATH-500")),
    "gsm8k": Benchmark("gsm8k", read_gsm8k, _hub_gsm8k, aliases=("grade-school-math",)),
    "ocw": Benchmark("ocw", read_ocw, _hub_ocw, aliases=("ocwcourses", "ocw_courses")),
    "mmlu_stem": Benchmark("mmlu", read_mmlu_stem, _hub_mmlu_stem, aliases=("mmlu_stem", "mmlu-stem")),
    "sat": Benchmark("sat", read_sat, _hub_sat, aliases=("sat_math", "sat_multiple_choice_math_may_23")),
}
"""The five datasets of the suite, by name."""


def load_documents(benchmark: str, data_dir: str | Path | None = None) -> list[Document]:
    """Test documents of `benchmark` (a key of `BENCHMARKS`), local when `data_dir` is given."""
    if benchmark not in BENCHMARKS:
        raise KeyError(f"unknown benchmark {benchmark!r}; known: {', '.join(BENCHMARKS)}")
    return BENCHMARKS[benchmark].documents(data_dir)
