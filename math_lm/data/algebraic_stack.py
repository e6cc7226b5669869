"""The AlgebraicStack subset: mathematical source code, filtered per language as math-lm did.

Inputs: source files; directories (repositories, walked recursively, hidden entries skipped); code-dump
rows in ``.jsonl``/``.jsonl.zst``/``.parquet`` with ``content`` plus ``lang`` or ``path``; and Lean or
Isabelle proof-step records (rows with ``statement`` and either ``state``/``step`` or a ``steps`` list of
``{"state", "step"}``), rendered as ``[STATEMENT] … [PROOF STATE] … [PROOF STEP] …``.

Filters (``language_filter``), after math-lm's ``process_stack.py``/``process_github.py``:

* every language: at most 1,048,575 UTF-8 bytes, at most 50% digits among non-space characters;
* Python: imports one of :data:`PYTHON_MATH_PACKAGES`; not a JSON/notebook dump (first character ``{``);
* C: includes an fftw, gsl, cblas, lapacke, nlopt or petsc header;
* C++: includes adept, alglib, boost, armadillo, blitz, Eigen, deal.II, dlib, NTL or mtl, and at most
  10% digits;
* Haskell: imports Numeric.LinearAlgebra, Numeric.SpecFunctions, Numeric.Vector, Statistics or Data.Complex;
* Julia: not a JSON/data file (first character ``%``, ``{`` or ``[``); files of 100,000 bytes or more are
  kept only when they are test files (``@test`` on at least 10% of lines);
* R: not a macOS resource fork, reference-design file, XML or JSON dump;
* Maple: at most 100,000 bytes and not XML;
* Lean: contains ``theorem``/``lemma``/``example`` and is not a ``_target/deps/`` dependency copy;
* Isabelle: contains ``theorem``/``lemma``;
* Coq (``.v``): a Coq keyword and no Verilog keyword, not "automatically generated";
* MATLAB/Octave (``.m``): no Objective-C or C markers, and some letter other than ``e`` (math-lm found
  many ``.m`` files that are number arrays);
* TeX: has a sectioning command, no non-Latin script (math-lm's English test), no ``gnuplot``, not under
  a ``latex/`` directory (auto-generated documentation);
* Jupyter: raw notebook mentions ``\\begin{equation}``, ``\\begin{align}`` or a sympy import; rendered to
  Markdown with every output removed and images/HTML media stripped;
* GAP, Idris, Agda, Fortran: the common size and digit filters only.

Simplifications relative to math-lm: Jupyter outputs are all removed (math-lm removed only image and
traceback outputs) and the Markdown rendering is done here rather than with nbconvert; repository-level
bans (math-lm banned the miniF2F/ProofNet repositories and AFP mirror copies by repository name) are not
applied because inputs here carry no repository metadata, use the decontamination list instead.

Decontamination (``decontamination_names``): a Lean/Isabelle declaration ``theorem NAME``/``lemma NAME``
whose name is in the list is removed from the source text up to the next blank line (as math-lm did);
a proof-step record whose ``name`` is listed, or whose statement declares a listed name, is dropped.

Deduplication: SHA-256 of 2048-character chunks, first copy wins (:class:`ChunkDeduplicator`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterator, Sequence

from math_lm.data.budget import DocumentBudget
from math_lm.data.dedup import ChunkDeduplicator
from math_lm.data.documents import (
    DecodeError,
    Document,
    JsonlRowError,
    UnitResult,
    decode_text,
    is_jsonl_path,
    iter_jsonl,
    walk_files,
)
from math_lm.data.watchdog import DocumentRunner, InlineRunner
from megatron.user_files import iter_lines

MAX_FILE_BYTES = 1_048_575
MAX_DIGIT_FRACTION = 0.5

PYTHON_MATH_PACKAGES: tuple[str, ...] = (
    "numpy", "scipy", "sympy", "sage", "numba", "numexpr", "theano", "statsmodels", "networkx",
    "mpmath", "pymc3", "astropy", "cupy", "pycuda", "cvxpy", "pyomo", "jax",
)  # fmt: skip

EXTENSION_LANGUAGES: dict[str, str] = {
    ".py": "python", ".c": "c", ".h": "c",
    ".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp", ".c++": "cpp", ".hpp": "cpp", ".hh": "cpp", ".hxx": "cpp",
    ".hs": "haskell", ".lhs": "haskell", ".jl": "julia", ".r": "r",
    ".mpl": "maple", ".maple": "maple",
    ".g": "gap", ".gap": "gap", ".gd": "gap", ".gi": "gap",
    ".lean": "lean", ".thy": "isabelle", ".v": "coq", ".idr": "idris", ".lidr": "idris",
    ".agda": "agda", ".lagda": "agda", ".m": "matlab",
    ".f": "fortran", ".for": "fortran", ".f77": "fortran", ".f90": "fortran", ".f95": "fortran",
    ".f03": "fortran", ".f08": "fortran",
    ".tex": "tex", ".ipynb": "jupyter",
}  # fmt: skip

LANGUAGE_ALIASES: dict[str, str] = {
    "python": "python", "c": "c", "c++": "cpp", "cpp": "cpp", "haskell": "haskell", "julia": "julia",
    "r": "r", "maple": "maple", "gap": "gap", "lean": "lean", "lean4": "lean", "lean 4": "lean",
    "isabelle": "isabelle", "coq": "coq", "idris": "idris", "agda": "agda", "matlab": "matlab",
    "octave": "matlab", "fortran": "fortran", "tex": "tex", "latex": "tex",
    "jupyter": "jupyter", "jupyter notebook": "jupyter", "jupyter-notebook": "jupyter",
}  # fmt: skip

_PYTHON_IMPORT_RE = re.compile(
    r"^[ \t]*(?:from[ \t]+(?:" + "|".join(PYTHON_MATH_PACKAGES) + r")\b"
    r"|import[ \t]+(?:[\w.]+[ \t]*(?:as[ \t]+\w+[ \t]*)?,[ \t]*)*(?:" + "|".join(PYTHON_MATH_PACKAGES) + r")\b)",
    re.MULTILINE,
)
_C_HEADER_RE = re.compile(r'#[ \t]*include[ \t]*[<"](?:r?fftw|gsl|cblas\.h|lapacke|nlopt|petsc)')
_CPP_HEADER_RE = re.compile(
    r'#[ \t]*include[ \t]*[<"](?:adept|alglib|boost|armadillo|blitz|Eigen|deal\.II|dlib|NTL|mtl)'
)
_HASKELL_IMPORT_RE = re.compile(
    r"^[ \t]*import[ \t]+(?:qualified[ \t]+)?"
    r"(?:Numeric\.LinearAlgebra|Numeric\.SpecFunctions|Numeric\.Vector|Statistics|Data\.Complex)\b",
    re.MULTILINE,
)
_LEAN_KEYWORD_RE = re.compile(r"\b(?:theorem|lemma|example)\s")
_ISABELLE_KEYWORD_RE = re.compile(r"\b(?:theorem|lemma)\s")
_COQ_KEYWORD_RE = re.compile(r"\b(?:Theorem|Proof|Qed|Inductive|Definition|Fixpoint)\b")
_VERILOG_KEYWORD_RE = re.compile(r"\b(?:pragma|endmodule|posedge|negedge|wire)\b")
_OBJC_KEYWORD_RE = re.compile(r"#import|@interface|@implementation|@property")
# `main(` and a line that ends in `{`. Anchored at the line start, the first `main(` found is kept (an atomic
# group): unanchored, every `main(` of a long line would rescan it to its end (quadratic).
_C_MARKER_RE = re.compile(r"#include|^(?>[^\n]*?\bmain\()[^\n]*\{[^\S\n]*$", re.MULTILINE)
_MATLAB_LETTER_RE = re.compile(r"[a-df-zA-Z]")
_TEX_SECTION_RE = re.compile(r"\\(?:chapter|section|subsection|subsubsection|paragraph|subparagraph)\*?\{")
_NON_LATIN_SCRIPT_RE = re.compile("[\u0370-\u18aa\u3000-\U0001047f]")
_R_REFERENCE_DESIGN_RE = re.compile(r"Requirement\s+\{\s+Identifier")
# Each scan for a closing delimiter stops at the next opening one, so that a file of openers that never
# close is read once, not once per opener.
_MARKDOWN_IMAGE_RE = re.compile(r"!\[(?:[^\]!]|!(?!\[))*\]\((?:[^)!]|!(?!\[))*\)")
_HTML_IMAGE_RE = re.compile(r"<img[^<>]*>", re.IGNORECASE)
_HTML_MEDIA_OPEN_RE = re.compile(r"<(video|script|iframe)\b", re.IGNORECASE)
_HTML_MEDIA_CLOSE_RES = {tag: re.compile(f"</{tag}>", re.IGNORECASE) for tag in ("video", "script", "iframe")}
_NOTEBOOK_KEYWORDS = ("\\begin{equation}", "\\begin{align}", "import sympy", "from sympy")


def digit_fraction(text: str) -> float:
    """Fraction of digits among the non-whitespace characters (0 for an all-space text)."""
    compact = "".join(text.split())
    if not compact:
        return 0.0
    return sum(char.isdigit() for char in compact) / len(compact)


def _require(pattern: re.Pattern[str], reason: str) -> Callable[[str, str], str | None]:
    return lambda text, path: None if pattern.search(text) else reason


def _python(text: str, path: str) -> str | None:
    if text.lstrip().startswith("{"):
        return "not_source_code"
    return None if _PYTHON_IMPORT_RE.search(text) else "no_math_import"


def _cpp(text: str, path: str) -> str | None:
    if digit_fraction(text) > 0.1:
        return "too_many_digits"
    return None if _CPP_HEADER_RE.search(text) else "no_math_library"


def _julia(text: str, path: str) -> str | None:
    if text.lstrip()[:1] in ("%", "{", "["):
        return "not_source_code"
    if len(text.encode("utf-8")) >= 100_000:
        lines = text.count("\n") + 1
        if text.count("@test") / lines < 0.1:
            return "large_generated"
    return None


def _r(text: str, path: str) -> str | None:
    if "/* Resource fork" in text or _R_REFERENCE_DESIGN_RE.search(text):
        return "not_source_code"
    if text.startswith("<?xml") or text.lstrip().startswith("{"):
        return "not_source_code"
    return None


def _maple(text: str, path: str) -> str | None:
    if len(text.encode("utf-8")) > 100_000:
        return "too_large"
    return "not_source_code" if text.startswith("<?xml") else None


def _lean(text: str, path: str) -> str | None:
    if "_target/deps/" in path:
        return "dependency_file"
    return None if _LEAN_KEYWORD_RE.search(text) else "no_theorem"


def _coq(text: str, path: str) -> str | None:
    if not _COQ_KEYWORD_RE.search(text) or _VERILOG_KEYWORD_RE.search(text):
        return "not_coq"
    return "generated" if "automatically generated" in text.lower() else None


def _matlab(text: str, path: str) -> str | None:
    if _OBJC_KEYWORD_RE.search(text):
        return "objective_c"
    if _C_MARKER_RE.search(text):
        return "c_code"
    return None if _MATLAB_LETTER_RE.search(text) else "numeric_array"


def _tex(text: str, path: str) -> str | None:
    if "latex/" in path:
        return "generated"
    if _NON_LATIN_SCRIPT_RE.search(text):
        return "not_english"
    if "gnuplot" in text:
        return "generated"
    return None if _TEX_SECTION_RE.search(text) else "no_section"


LANGUAGE_FILTERS: dict[str, Callable[[str, str], str | None]] = {
    "python": _python,
    "c": _require(_C_HEADER_RE, "no_math_header"),
    "cpp": _cpp,
    "haskell": _require(_HASKELL_IMPORT_RE, "no_math_import"),
    "julia": _julia,
    "r": _r,
    "maple": _maple,
    "gap": lambda text, path: None,
    "lean": _lean,
    "isabelle": _require(_ISABELLE_KEYWORD_RE, "no_theorem"),
    "coq": _coq,
    "idris": lambda text, path: None,
    "agda": lambda text, path: None,
    "matlab": _matlab,
    "fortran": lambda text, path: None,
    "tex": _tex,
    "jupyter": lambda text, path: None,  # keyword test runs on the raw notebook, before rendering
}


def language_filter(language: str, text: str, path: str) -> str | None:
    """The drop reason for a source file, or ``None`` to keep it (common filters first)."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return "too_large"
    if digit_fraction(text) > MAX_DIGIT_FRACTION:
        return "too_many_digits"
    return LANGUAGE_FILTERS[language](text, path)


class NotebookError(ValueError):
    """A ``.ipynb`` file that is not a readable notebook."""


def render_notebook(raw: str) -> str:
    """A Jupyter notebook (nbformat 3 or 4 JSON) as Markdown: markdown cells as written, code cells fenced,
    every output dropped, Markdown images and HTML images/video/scripts/iframes removed."""
    try:
        notebook = json.loads(raw)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not JSON: {error}") from None
    if not isinstance(notebook, dict):
        raise NotebookError("top-level JSON value is not an object")
    cells = notebook.get("cells")
    if cells is None and isinstance(notebook.get("worksheets"), list):  # nbformat 3
        cells = [cell for sheet in notebook["worksheets"] for cell in sheet.get("cells", [])]
    if not isinstance(cells, list):
        raise NotebookError("no cells")
    metadata = notebook.get("metadata") or {}
    language = (metadata.get("language_info") or {}).get("name") or (metadata.get("kernelspec") or {}).get(
        "language"
    ) or "python"
    blocks = []
    for cell in cells:
        if not isinstance(cell, dict):
            raise NotebookError("a cell is not an object")
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(str(part) for part in source)
        source = str(source).strip("\n")
        if not source.strip():
            continue
        if cell.get("cell_type") == "code":
            blocks.append(f"```{language}\n{source}\n```")
        else:
            blocks.append(source)
    body = "\n\n".join(blocks)
    body = _MARKDOWN_IMAGE_RE.sub("", body)
    body = _HTML_IMAGE_RE.sub("", body)
    body = _remove_html_media(body)
    return body.strip() + "\n"


def _remove_html_media(text: str) -> str:
    """Remove ``<video|script|iframe ...>...</same>`` elements; linear: once a tag is found without a closing
    tag after some point, no later one of that tag can have one."""
    pieces: list[str] = []
    position = 0
    unclosed: set[str] = set()
    for opening in _HTML_MEDIA_OPEN_RE.finditer(text):
        tag = opening.group(1).lower()
        if opening.start() < position or tag in unclosed:
            continue
        closing = _HTML_MEDIA_CLOSE_RES[tag].search(text, opening.end())
        if closing is None:
            unclosed.add(tag)
            continue
        pieces.append(text[position : opening.start()])
        position = closing.end()
    pieces.append(text[position:])
    return "".join(pieces)


def remove_listed_theorems(text: str, names: frozenset[str]) -> tuple[str, int]:
    """Remove ``theorem NAME``/``lemma NAME`` declarations with listed names, up to the next blank line.

    Returns the new text and the number of declarations removed.
    """
    if not names:
        return text, 0
    removed = 0
    pattern = re.compile(r"\b(?:theorem|lemma)\s+([^\s:(\[{]+)")
    position = 0
    pieces = []
    for match in pattern.finditer(text):
        if match.start() < position or match.group(1) not in names:
            continue
        end = text.find("\n\n", match.start())
        end = len(text) if end < 0 else end
        pieces.append(text[position : match.start()])
        position = end
        removed += 1
    pieces.append(text[position:])
    return "".join(pieces), removed


def render_proof_steps(row: dict[str, Any]) -> str:
    """A proof-step record as ``[STATEMENT]\\n… \\n[PROOF STATE]\\n…\\n[PROOF STEP]\\n…`` (one pair per step)."""
    statement = row.get("statement")
    if not isinstance(statement, str) or not statement.strip():
        raise ValueError("missing 'statement'")
    steps = row.get("steps")
    if steps is None:
        steps = [{"state": row.get("state"), "step": row.get("step")}]
    if not isinstance(steps, list) or not steps:
        raise ValueError("'steps' is not a non-empty list")
    parts = [f"[STATEMENT]\n{statement.strip()}"]
    for index, step in enumerate(steps):
        if not isinstance(step, dict) or not isinstance(step.get("state"), str) or not isinstance(step.get("step"), str):
            raise ValueError(f"step {index} needs string 'state' and 'step'")
        parts.append(f"[PROOF STATE]\n{step['state'].strip()}\n[PROOF STEP]\n{step['step'].strip()}")
    return "\n".join(parts) + "\n"


def language_of(path: str, declared: str | None = None) -> str | None:
    """The AlgebraicStack language of a file: a declared name (code-dump ``lang``) first, then the extension."""
    if declared:
        language = LANGUAGE_ALIASES.get(declared.strip().lower())
        if language is not None:
            return language
    suffix = PurePosixPath(path).suffix
    return EXTENSION_LANGUAGES.get(suffix) or EXTENSION_LANGUAGES.get(suffix.lower())


@dataclass(frozen=True)
class AlgebraicStackSubset:
    """The AlgebraicStack preprocessor; ``decontamination_names`` are theorem names to keep out (e.g. miniF2F)."""

    decontamination_names: frozenset[str] = field(default_factory=frozenset)
    name: str = "algebraic-stack"
    budget: DocumentBudget = DocumentBudget()

    def work_units(self, inputs: Sequence[Path]) -> list[tuple[str, str]]:
        """``(file path, path recorded in meta)`` for every file under the inputs, in sorted order."""
        units: list[tuple[str, str]] = []
        for path in inputs:
            path = Path(path)
            if path.is_file():
                units.append((str(path), path.as_posix()))
            else:
                for file in walk_files(path):
                    units.append((str(file), (Path(path.name) / file.relative_to(path)).as_posix()))
        return units

    def process(self, unit: tuple[str, str], runner: DocumentRunner | None = None) -> UnitResult:
        """Process one file: a source file, a code-dump/proof-step ``.jsonl``, or a ``.parquet``.

        A source file (within ``budget.max_input_bytes``) is filtered by ``runner`` (by default in this
        process); rows of ``.jsonl`` and ``.parquet`` files, already text, are filtered here.
        """
        runner = runner or InlineRunner()
        file_name, meta_path = unit
        path = Path(file_name)
        result = UnitResult()
        try:
            if is_jsonl_path(path):
                for source, row in self._jsonl_rows(path):
                    self._add_row(row, source, result)
            elif path.suffix.lower() == ".parquet":
                for source, row in self._parquet_rows(path, result):
                    self._add_row(row, source, result)
            else:
                size = path.stat().st_size
                if size > self.budget.max_input_bytes:
                    result.drop("too_large", size, meta_path)
                    return result
                data = path.read_bytes()
                result.extend(runner.run(self.source_result, data, meta_path, source=meta_path, nbytes=len(data)))
        except OSError as error:
            result.drop("unreadable", 0, f"{file_name}: {error}")
        return result

    @staticmethod
    def _jsonl_rows(path: Path) -> Iterator[tuple[str, dict[str, Any] | JsonlRowError]]:
        for line_number, row in iter_jsonl(path):
            yield f"{path}:{line_number}", row

    @staticmethod
    def _parquet_rows(path: Path, result: UnitResult) -> Iterator[tuple[str, dict[str, Any]]]:
        import pyarrow
        import pyarrow.parquet

        try:
            parquet = pyarrow.parquet.ParquetFile(path)
            row_number = 0
            for batch in parquet.iter_batches(batch_size=1024):
                for row in batch.to_pylist():
                    yield f"{path}:row{row_number}", row
                    row_number += 1
        except (pyarrow.ArrowException, OSError) as error:
            result.drop("bad_parquet", path.stat().st_size, f"{path}: {error}")

    def source_result(self, data: bytes, meta_path: str) -> UnitResult:
        """One source file's document or drop (run in a :mod:`~math_lm.data.watchdog` worker)."""
        result = UnitResult()
        self._add_source(data, meta_path, None, result)
        return result

    def _add_row(self, row: dict[str, Any] | JsonlRowError, source: str, result: UnitResult) -> None:
        if isinstance(row, JsonlRowError):
            result.drop("bad_jsonl_row", 0, str(row))
            return
        if "statement" in row:
            self._add_proof_steps(row, source, result)
            return
        content = row.get("content")
        if not isinstance(content, str):
            result.drop("missing_content", 0, source)
            return
        row_path = row.get("path") or row.get("max_stars_repo_path") or ""
        declared = row.get("lang") or row.get("language")
        meta_path = str(row_path) if row_path else source
        extra = {"repo": row["repo"]} if isinstance(row.get("repo"), str) else {}
        self._add_source(content.encode("utf-8"), meta_path, str(declared) if declared else None, result, extra)

    def _add_proof_steps(self, row: dict[str, Any], source: str, result: UnitResult) -> None:
        declared = str(row.get("lang") or row.get("language") or "").lower()
        language = LANGUAGE_ALIASES.get(declared, declared) or "proof"
        theorem_name = row.get("name") or row.get("full_name") or row.get("theorem")
        statement = str(row.get("statement", ""))
        if (isinstance(theorem_name, str) and theorem_name in self.decontamination_names) or (
            remove_listed_theorems(statement, self.decontamination_names)[1] > 0
        ):
            result.drop("contaminated", len(statement.encode("utf-8")), source)
            return
        try:
            text = render_proof_steps(row)
        except ValueError as error:
            result.drop("bad_proof_steps", 0, f"{source}: {error}")
            return
        meta: dict[str, Any] = {"language": language, "path": str(row.get("path") or row.get("file") or source)}
        if isinstance(theorem_name, str):
            meta["name"] = theorem_name
        result.documents.append(Document(text=text, meta=meta, group=f"{language}_proofsteps"))

    def _add_source(
        self, data: bytes, meta_path: str, declared: str | None, result: UnitResult, extra: dict[str, Any] | None = None
    ) -> None:
        language = language_of(meta_path, declared)
        if language is None:
            result.drop("unsupported_language", len(data), meta_path)
            return
        try:
            text = decode_text(data, meta_path)
        except DecodeError as error:
            result.drop(error.reason, len(data), meta_path)
            return
        if language == "jupyter":
            if not any(keyword in text.lower() for keyword in _NOTEBOOK_KEYWORDS):
                result.drop("no_math", len(data), meta_path)
                return
            try:
                text = render_notebook(text)
            except NotebookError as error:
                result.drop("bad_notebook", len(data), f"{meta_path}: {error}")
                return
        if language in ("lean", "isabelle"):
            text, removed = remove_listed_theorems(text, self.decontamination_names)
            if removed:
                result.count("decontaminated_theorems", removed)
                if not text.strip():
                    result.drop("contaminated", len(data), meta_path)
                    return
        reason = language_filter(language, text, meta_path)
        if reason is not None:
            result.drop(f"{language}:{reason}", len(data), meta_path)
            return
        meta = {"language": language, "path": meta_path, **(extra or {})}
        result.documents.append(Document(text=text, meta=meta, group=language))

    def deduplicators(self) -> list[ChunkDeduplicator]:
        """SHA-256 2048-character chunk deduplication, first copy wins."""
        return [ChunkDeduplicator(2048)]


def load_decontamination_names(path: Path) -> frozenset[str]:
    """Theorem names to keep out of the data: one per line (blank lines and ``#`` comments ignored)."""
    names = set()
    for _, line in iter_lines(path):
        line = line.strip()
        if line and not line.startswith("#"):
            names.add(line)
    return frozenset(names)
