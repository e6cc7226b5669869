"""The arXiv subset: LaTeX sources to clean documents, the way RedPajama cleaned arXiv.

Inputs: single ``.tex`` files; paper directories (a directory that directly holds exactly one ``.tex`` file
with ``\\documentclass`` and no archives, JSON lines or paper-like subdirectories; the whole subtree is that
paper, other directories are walked as collections); arXiv source archives (``.tar``, ``.tar.gz``,
``.tgz``, a single gzipped ``.tex``, and bulk tars whose members are such archives); and RedPajama-arXiv
``.jsonl``/``.jsonl.zst`` files, which are already clean and are only split.

Cleaning (:func:`clean_latex`), after ``\\input``/``\\include`` are resolved relative to the main file:

* comments are dropped (an escaped ``\\%`` stays); a line that is only a comment disappears entirely;
* argument-free macros defined by ``\\newcommand``/``\\renewcommand``/``\\providecommand``/``\\def`` are
  inlined and their definitions removed; macros with arguments are left as written;
* everything before the first sectioning command (``\\chapter`` ... ``\\subparagraph``) is dropped, and so
  is everything after ``\\end{document}``; a paper without a sectioning command is dropped;
* the bibliography (``thebibliography``/``references`` environments, ``\\bibliography``,
  ``\\bibliographystyle``, ``\\printbibliography``) is removed;
* mathematics is kept verbatim; runs of blank lines are collapsed to one.

Differences from RedPajama, on purpose: RedPajama cut everything from the bibliography to the end of the
file (losing appendices after it); here only the bibliography itself is removed. RedPajama concatenated all
``.tex`` files of a paper; here the main file is expanded through its ``\\input``/``\\include`` commands.
Comment removal does not know about ``verbatim`` environments (a ``%`` inside one is treated as a comment).
Text must be UTF-8; papers in other encodings are dropped (reason ``encoding``), not guessed.

Every paper stays within its :class:`~math_lm.data.budget.DocumentBudget`: source files and bulk-tar
members are read only when small enough (``too_large``), gzip is inflated as a stream and only ``.tex``
members are kept (``decompression_bomb``, ``too_large``), ``\\input`` inlining and macro inlining stop at
``max_expanded_chars`` (``expansion_limit``), braces are matched in one pass (:class:`BraceMatcher`), and
each paper is inflated and cleaned in a :mod:`~math_lm.data.watchdog` worker under a deadline.
"""

from __future__ import annotations

import errno
import gzip
import io
import logging
import posixpath
import re
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Sequence

from math_lm.data.dedup import ExactDeduplicator
from math_lm.latex import BraceMatcher
from math_lm.data.watchdog import DocumentRunner, InlineRunner
from math_lm.data.budget import BudgetExceeded, CappedReader, DocumentBudget, read_at_most
from math_lm.data.documents import (
    DecodeError,
    Document,
    JsonlRowError,
    UnitResult,
    decode_text,
    is_jsonl_path,
    iter_jsonl,
)

_DOCUMENTCLASS_RE = re.compile(r"\\documentclass\b")
_BEGIN_DOCUMENT_RE = re.compile(r"\\begin\s*\{document\}")
_END_DOCUMENT_RE = re.compile(r"\\end\s*\{document\}")
_SECTION_RE = re.compile(
    r"\\(?:chapter|section|subsection|subsubsection|paragraph|subparagraph)(?![a-zA-Z@])\*?\s*[\[{]"
)
_INPUT_RE = re.compile(r"\\(?:input|include)(?![a-zA-Z@])\s*(?:\{([^{}]*)\}|([^\s{}\\%]+))")
_BIBLIOGRAPHY_ENV_RE = re.compile(
    r"\\begin\s*\{(thebibliography|references)\}.*?(?:\\end\s*\{\1\}|\Z)", re.DOTALL
)
_BIBLIOGRAPHY_CMD_RE = re.compile(r"\\(?:bibliography|bibliographystyle|nobibliography)\s*\{[^{}]*\}|\\printbibliography(?:\[[^\]]*\])?")
_NEWCOMMAND_RE = re.compile(r"\\(?:re)?newcommand\*?|\\providecommand\*?")
_DEF_RE = re.compile(r"\\def(?![a-zA-Z@])")
_BLANK_LINES_RE = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_ARXIV_NEW_ID_RE = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
_ARXIV_OLD_ID_RE = re.compile(r"^([a-z\-]+(?:\.[A-Z]{2})?)(\d{7})(v\d+)?$")
_ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".gz")
logger = logging.getLogger(__name__)

_MAX_INPUT_DEPTH = 20
_DOCUMENTCLASS_SNIFF_BYTES = 1024 * 1024
_MAX_MACRO_PASSES = 10


class LatexCleaningError(ValueError):
    """A paper that cannot become a document; ``reason`` is the drop reason."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def strip_comments(text: str) -> str:
    """Remove TeX comments: from an unescaped ``%`` to the end of its line.

    ``\\%`` is an escaped percent sign and stays; ``\\\\%`` is a line break followed by a comment.
    A line holding only a comment is removed together with its line break.
    """
    out_lines = []
    for line in text.split("\n"):
        cut = _unescaped_percent(line)
        if cut is None:
            out_lines.append(line)
        elif line[:cut].strip() == "":
            continue
        else:
            out_lines.append(line[:cut])
    return "\n".join(out_lines)


def _unescaped_percent(line: str) -> int | None:
    start = 0
    while True:
        index = line.find("%", start)
        if index < 0:
            return None
        backslashes = 0
        while index - backslashes - 1 >= 0 and line[index - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return index
        start = index + 1


def _read_group(text: str, start: int, braces: BraceMatcher) -> tuple[str, int] | None:
    """The contents of the balanced brace group opening at ``text[start]`` and the index after it."""
    if start >= len(text) or text[start] != "{":
        return None
    close = braces.close(start)
    return None if close is None else (text[start + 1 : close], close + 1)


def _skip_spaces(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n":
        index += 1
    return index


def _read_control_word(text: str, index: int) -> tuple[str, int] | None:
    """A control word ``\\name`` (letters only) at ``index``; returns the name without the backslash."""
    match = re.compile(r"\\([a-zA-Z]+)").match(text, index)
    if match is None:
        return None
    return match.group(1), match.end()


def extract_macros(text: str) -> tuple[str, dict[str, str]]:
    """Find argument-free macro definitions; return the text without them and ``{name: body}``.

    Handles ``\\newcommand{\\name}{body}``, ``\\newcommand\\name{body}`` (also ``renewcommand``,
    ``providecommand`` and starred forms) and ``\\def\\name{body}``. Definitions with arguments
    (``[n]`` or ``#1`` parameter text) are kept in the text and not inlined. A later definition of the
    same name wins. Linear in the text: braces are matched once for the whole text (:class:`BraceMatcher`).
    """
    macros: dict[str, str] = {}
    braces: BraceMatcher | None = None
    pieces: list[str] = []
    position = 0
    pattern = re.compile(f"{_NEWCOMMAND_RE.pattern}|{_DEF_RE.pattern}")
    for match in pattern.finditer(text):
        if match.start() < position:
            continue
        is_def = match.group(0).startswith("\\def")
        index = _skip_spaces(text, match.end())
        if is_def:
            word = _read_control_word(text, index)
            if word is None:
                continue
            name, index = word
            # parameter text such as #1 between the name and the body means the macro takes arguments
            if index >= len(text) or text[index] != "{":
                continue
        else:
            if index < len(text) and text[index] == "{":
                braces = braces or BraceMatcher(text)
                group = _read_group(text, index, braces)
                if group is None:
                    continue
                inner, index = group
                word = _read_control_word(inner.strip(), 0)
                if word is None or word[1] != len(inner.strip()):
                    continue
                name = word[0]
            else:
                word = _read_control_word(text, index)
                if word is None:
                    continue
                name, index = word
            index = _skip_spaces(text, index)
            if index < len(text) and text[index] == "[":
                continue
        braces = braces or BraceMatcher(text)
        body_group = _read_group(text, index, braces)
        if body_group is None:
            continue
        body, end = body_group
        if re.search(rf"\\{name}(?![a-zA-Z@])", body) or "#" in body:
            continue  # self-referential or parameterised: leave it alone
        macros[name] = body
        pieces.append(text[position : match.start()])
        position = end
    pieces.append(text[position:])
    return "".join(pieces), macros


def inline_macros(text: str, macros: dict[str, str], max_chars: int | None = None) -> str:
    """Replace each ``\\name`` (not followed by a letter) by its body, repeating for nested macros.

    Macros that use each other can grow the text exponentially; a text that would pass ``max_chars``
    raises :class:`~math_lm.data.budget.BudgetExceeded` (``expansion_limit``) as soon as a replacement
    takes it there, before the text is built.
    """
    if not macros:
        return text
    names = sorted(macros, key=len, reverse=True)
    pattern = re.compile(r"\\(" + "|".join(re.escape(n) for n in names) + r")(?![a-zA-Z@])")
    for _ in range(_MAX_MACRO_PASSES):
        size = len(text)

        def body(match: re.Match[str]) -> str:
            nonlocal size
            replacement = macros[match.group(1)]
            size += len(replacement) - (match.end() - match.start())
            if max_chars is not None and size > max_chars:
                raise BudgetExceeded("expansion_limit", f"macro expansion passes {max_chars} characters")
            return replacement

        replaced = pattern.sub(body, text)
        if replaced == text:
            break
        text = replaced
    return text


def clean_latex(text: str, max_chars: int | None = None) -> str:
    """Clean one expanded LaTeX paper (see the module docstring); raises :class:`LatexCleaningError`, or
    :class:`~math_lm.data.budget.BudgetExceeded` when macro inlining would pass ``max_chars``."""
    text = strip_comments(text)
    text, macros = extract_macros(text)
    end = _END_DOCUMENT_RE.search(text)
    if end is not None:
        text = text[: end.start()]
    section = _SECTION_RE.search(text)
    if section is None:
        raise LatexCleaningError("no_section")
    text = text[section.start() :]
    text = _BIBLIOGRAPHY_ENV_RE.sub("", text)
    text = _BIBLIOGRAPHY_CMD_RE.sub("", text)
    text = inline_macros(text, macros, max_chars)
    text = _BLANK_LINES_RE.sub("\n\n", text).strip()
    if not text:
        raise LatexCleaningError("empty_after_cleaning")
    return text + "\n"


def _main_file(texts: dict[str, str]) -> str:
    candidates = [name for name, text in texts.items() if _DOCUMENTCLASS_RE.search(strip_comments(text))]
    if not candidates:
        if len(texts) == 1:
            return next(iter(texts))
        raise LatexCleaningError("no_main_file", f"none of {len(texts)} .tex files has \\documentclass")

    def preference(name: str) -> tuple[int, int, int, str]:
        has_body = _BEGIN_DOCUMENT_RE.search(texts[name]) is not None
        return (0 if has_body else 1, name.count("/"), -len(texts[name]), name)

    return min(candidates, key=preference)


def expand_inputs(main: str, texts: dict[str, str], max_chars: int | None = None) -> str:
    """The main file with ``\\input``/``\\include`` replaced by the (comment-free) included files.

    Names are resolved relative to the main file's directory, then to the root of the paper, with and
    without an added ``.tex``. Missing files and include cycles expand to nothing. Every inclusion is
    charged the size of the included file plus that of its command, in total at most ``max_chars``
    (:class:`~math_lm.data.budget.BudgetExceeded` ``expansion_limit`` past that): a file that includes
    another ten times, twelve levels deep, stops there instead of being expanded 10**12 times.
    """
    base = posixpath.dirname(main)
    stripped: dict[str, str] = {}
    charged = 0

    def resolve(name: str) -> str | None:
        name = name.strip().strip('"')
        for directory in (base, ""):
            joined = posixpath.normpath(posixpath.join(directory, name))
            for candidate in (joined, joined + ".tex"):
                if candidate in texts:
                    return candidate
        return None

    def expand(name: str, stack: tuple[str, ...]) -> str:
        if name not in stripped:
            stripped[name] = strip_comments(texts[name])
        body = stripped[name]

        def substitute(match: re.Match[str]) -> str:
            nonlocal charged
            target = resolve(match.group(1) if match.group(1) is not None else match.group(2))
            if target is None or target in stack or len(stack) >= _MAX_INPUT_DEPTH:
                return ""
            charged += len(match.group(0)) + len(texts[target])
            if max_chars is not None and charged > max_chars:
                raise BudgetExceeded("expansion_limit", f"\\input inlining passes {max_chars} characters")
            return expand(target, stack + (target,))

        return _INPUT_RE.sub(substitute, body)

    return expand(main, (main,))


def clean_paper(files: dict[str, bytes], source: str, budget: DocumentBudget = DocumentBudget()) -> str:
    """Clean a paper given as ``{relative path: bytes}``; raises :class:`LatexCleaningError`,
    :class:`DecodeError`, or :class:`~math_lm.data.budget.BudgetExceeded` (``too_large``: its ``.tex``
    files over ``max_source_bytes``; ``expansion_limit``: over ``max_expanded_chars``)."""
    tex_bytes = sum(len(data) for name, data in files.items() if name.lower().endswith(".tex"))
    if tex_bytes > budget.max_source_bytes:
        raise BudgetExceeded("too_large", f"{source}: {tex_bytes} bytes of .tex, over {budget.max_source_bytes}")
    texts: dict[str, str] = {}
    undecodable: DecodeError | None = None
    for name, data in files.items():
        if not name.lower().endswith(".tex"):
            continue
        try:
            texts[posixpath.normpath(name)] = decode_text(data, f"{source}:{name}")
        except DecodeError as error:
            undecodable = undecodable or error
    if not texts:
        if undecodable is not None:
            raise undecodable
        raise LatexCleaningError("no_tex_file")
    main = _main_file(texts)
    return clean_latex(expand_inputs(main, texts, budget.max_expanded_chars), budget.max_expanded_chars)


def arxiv_id_from_name(name: str) -> str | None:
    """The arXiv identifier in a file or directory name (``2301.00001``, ``math0601001`` → ``math/0601001``)."""
    stem = Path(name).name
    for suffix in (".tar.gz", ".tgz", ".tar", ".gz", ".tex"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    new = _ARXIV_NEW_ID_RE.match(stem)
    if new:
        return new.group(1) + (new.group(2) or "")
    old = _ARXIV_OLD_ID_RE.match(stem)
    if old:
        return f"{old.group(1)}/{old.group(2)}" + (old.group(3) or "")
    return None


def _source_stream(data: bytes, name: str, budget: DocumentBudget) -> BinaryIO:
    """The bytes of a source file, inflated as a stream (and stopped at ``max_decompressed_bytes``) when gzipped."""
    if data[:2] != b"\x1f\x8b":
        return io.BytesIO(data)
    inflated = gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb")  # reads in bounded steps
    return io.BufferedReader(CappedReader(inflated, budget.max_decompressed_bytes, what=name))


def paper_files(data: bytes, name: str, budget: DocumentBudget = DocumentBudget()) -> dict[str, bytes]:
    """The ``.tex`` files of one paper's source: a ``.tar``, ``.tar.gz``/``.tgz``, a gzipped ``.tex`` or plain
    LaTeX, read as a stream: other members (figures) are skipped, never held.

    Raises :class:`~math_lm.data.budget.BudgetExceeded` (``decompression_bomb`` past
    ``max_decompressed_bytes`` inflated, ``too_large`` past ``max_source_bytes`` of ``.tex``), and for
    broken archives ``OSError``, ``EOFError``, ``zlib.error`` or ``tarfile.TarError``.
    """
    try:
        archive = tarfile.open(fileobj=_source_stream(data, name, budget), mode="r|")
        if archive.firstmember is None:  # starts with an end-of-archive block: a file of NULs, not a tar
            archive.close()
            raise tarfile.ReadError("no member")
    except tarfile.ReadError:  # not a tar: a (gzipped) single .tex file
        stem = Path(name).name
        for suffix in (".gz", ".tgz"):
            if stem.lower().endswith(suffix):
                stem = stem[: -len(suffix)]
        if not stem.lower().endswith(".tex"):
            stem += ".tex"
        return {stem: read_at_most(_source_stream(data, name, budget), budget.max_source_bytes, name)}
    files: dict[str, bytes] = {}
    kept = 0
    with archive:
        for member in archive:
            if not (member.isfile() and member.name.lower().endswith(".tex")):
                continue
            kept += member.size
            if kept > budget.max_source_bytes:
                raise BudgetExceeded("too_large", f"{name}: .tex members over {budget.max_source_bytes} bytes")
            handle = archive.extractfile(member)
            if handle is not None:
                files[member.name] = handle.read()
    return files


def _bulk_members(path: Path) -> list[tarfile.TarInfo] | None:
    """The nested paper archives of a bulk tar (arXiv's ``arXiv_src_*.tar``: members are ``.gz``/``.tar.gz``
    papers, no ``.tex`` beside them), read from the headers only; ``None`` for any other file."""
    with open(path, "rb") as probe:
        if probe.read(2) == b"\x1f\x8b":
            return None
    try:
        with tarfile.open(path, mode="r:") as archive:
            members = archive.getmembers()
    except tarfile.TarError:
        return None
    nested = [m for m in members if m.isfile() and m.name.lower().endswith(_ARCHIVE_SUFFIXES)]
    if not nested or any(m.isfile() and m.name.lower().endswith(".tex") for m in members):
        return None
    return nested


@dataclass(frozen=True)
class ArxivSubset:
    """The arXiv preprocessor (see the module docstring)."""

    name: str = "arxiv"
    budget: DocumentBudget = DocumentBudget()

    def work_units(self, inputs: Sequence[Path]) -> list[tuple[str, str]]:
        """``(kind, path)`` units: ``tex``, ``paper_dir``, ``archive``, ``redpajama`` or ``unsupported``; and
        ``symlink_loop`` / ``unreadable`` for paths that cannot be walked, which become counted drops."""
        units: list[tuple[str, str]] = []
        for path in inputs:
            self._discover(Path(path), units, frozenset())
        return units

    def _discover(self, path: Path, units: list[tuple[str, str]], ancestors: frozenset[tuple[int, int]]) -> None:
        """Walk ``path``; ``ancestors`` are the (device, inode) of the directories above it, so that a
        symlink back to one of them (a loop) is skipped with a warning instead of followed."""
        try:
            if path.is_symlink():
                path.resolve(strict=True)  # a loop of links raises here (RuntimeError before Python 3.13)
            if path.is_file():
                units.append((_classify_file(path), str(path)))
                return
            status = path.stat()
            identity = (status.st_dev, status.st_ino)
            if identity in ancestors:
                logger.warning("skipping %s: a symlink back to a directory above it (a loop)", path)
                units.append(("symlink_loop", str(path)))
                return
            if _is_paper_dir(path):
                units.append(("paper_dir", str(path)))
                return
            children = sorted(path.iterdir())
        except (OSError, RuntimeError) as error:
            loop = isinstance(error, RuntimeError) or getattr(error, "errno", None) == errno.ELOOP
            logger.warning("skipping %s: %s", path, "a loop of symlinks" if loop else error)
            units.append(("symlink_loop" if loop else "unreadable", str(path)))
            return
        for child in children:
            if not child.name.startswith("."):
                self._discover(child, units, ancestors | {identity})

    def process(self, unit: tuple[str, str], runner: DocumentRunner | None = None) -> UnitResult:
        """Turn one unit into documents; every failure becomes a counted drop.

        Files are read here, within ``max_input_bytes`` / ``max_source_bytes``; each paper is then
        inflated and cleaned by ``runner`` (by default in this process, without a time limit).
        """
        runner = runner or InlineRunner()
        kind, path_name = unit
        path = Path(path_name)
        budget = self.budget
        result = UnitResult()
        try:
            if kind == "redpajama":
                self._process_redpajama(path, result)
            elif kind == "unsupported":
                result.drop("unsupported_file", path.stat().st_size, path_name)
            elif kind in ("symlink_loop", "unreadable"):
                result.drop(kind, 0, path_name)
            elif kind in ("paper_dir", "tex"):
                tex_paths = (
                    [p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() == ".tex"]
                    if kind == "paper_dir" else [path]
                )  # fmt: skip
                size = sum(p.stat().st_size for p in tex_paths)
                if size > budget.max_source_bytes:
                    result.drop("too_large", size, path_name)
                    return result
                files = {
                    (str(p.relative_to(path)).replace("\\", "/") if kind == "paper_dir" else p.name): p.read_bytes()
                    for p in tex_paths
                }  # fmt: skip
                paper = (files, None, path_name, arxiv_id_from_name(path.name), kind, budget)
                result.extend(runner.run(_paper_job, *paper, source=path_name, nbytes=size))
            elif kind == "archive":
                self._process_archive(path, runner, result)
            else:
                raise ValueError(f"unknown arxiv work unit kind {kind!r} for {path_name}")
        except OSError as error:
            result.drop("unreadable", 0, f"{path_name}: {error}")
        return result

    def _process_archive(self, path: Path, runner: DocumentRunner, result: UnitResult) -> None:
        """One source archive, or each paper of a bulk tar, each within ``max_input_bytes`` as stored."""
        budget = self.budget
        bulk = _bulk_members(path)
        if bulk is None:
            size = path.stat().st_size
            if size > budget.max_input_bytes:
                result.drop("too_large", size, str(path))
                return
            paper = (path.read_bytes(), path.name, str(path), arxiv_id_from_name(path.name), "archive", budget)
            result.extend(runner.run(_paper_job, *paper, source=str(path), nbytes=size))
            return
        with tarfile.open(path, mode="r:") as archive:
            for member in bulk:
                source = f"{path}:{member.name}"
                if member.size > budget.max_input_bytes:
                    result.drop("too_large", member.size, source)
                    continue
                handle = archive.extractfile(member)
                data = handle.read() if handle is not None else b""
                paper = (data, member.name, source, arxiv_id_from_name(member.name), "archive", budget)
                result.extend(runner.run(_paper_job, *paper, source=source, nbytes=len(data)))

    @staticmethod
    def _process_redpajama(path: Path, result: UnitResult) -> None:
        for line_number, row in iter_jsonl(path):
            if isinstance(row, JsonlRowError):
                result.drop("bad_jsonl_row", 0, str(row))
                continue
            text = row.get("text")
            if not isinstance(text, str) or not text.strip():
                result.drop("empty", 0, f"{path}:{line_number}")
                continue
            meta = dict(row.get("meta") or {}) if isinstance(row.get("meta"), dict) else {}
            meta.setdefault("source", f"{path}:{line_number}")
            result.documents.append(Document(text=text, meta=meta, group="redpajama"))

    def deduplicators(self) -> list[ExactDeduplicator]:
        """Exact-text deduplication (the same paper given twice, e.g. as a directory and an archive)."""
        return [ExactDeduplicator()]


def _paper_job(
    content: dict[str, bytes] | bytes,
    archive_name: str | None,
    source: str,
    arxiv_id: str | None,
    group: str,
    budget: DocumentBudget,
) -> UnitResult:
    """One paper, given as its ``.tex`` files or (with ``archive_name``) as a source file's bytes, to a
    document or a drop (run in a :mod:`~math_lm.data.watchdog` worker)."""
    result = UnitResult()
    nbytes = len(content) if isinstance(content, bytes) else sum(len(data) for data in content.values())
    try:
        files = paper_files(content, archive_name, budget) if isinstance(content, bytes) else content
        text = clean_paper(files, source, budget)
    except (LatexCleaningError, DecodeError, BudgetExceeded) as error:
        result.drop(error.reason, nbytes, source)
        return result
    except (OSError, EOFError, zlib.error, tarfile.TarError):
        result.drop("bad_archive", nbytes, source)
        return result
    meta: dict[str, str] = {"source": source}
    if arxiv_id is not None:
        meta["arxiv_id"] = arxiv_id
    result.documents.append(Document(text=text, meta=meta, group=group))
    return result


def _classify_file(path: Path) -> str:
    name = path.name.lower()
    if is_jsonl_path(name):
        return "redpajama"
    if name.endswith(".tex"):
        return "tex"
    if name.endswith(_ARCHIVE_SUFFIXES):
        return "archive"
    return "unsupported"


def _has_documentclass(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:  # the head is enough to tell, and bounds a hostile file's cost
            text = handle.read(_DOCUMENTCLASS_SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return False
    return _DOCUMENTCLASS_RE.search(strip_comments(text)) is not None


def _is_paper_dir(path: Path) -> bool:
    """Exactly one direct ``.tex`` file with ``\\documentclass``, no archives or JSON lines beside it, and no
    subdirectory that itself looks like a paper: anything else is a collection to walk."""
    mains = [child for child in sorted(path.glob("*.tex")) if _has_documentclass(child)]
    if len(mains) != 1:
        return False
    for child in path.iterdir():
        if child.is_file() and _classify_file(child) in ("archive", "redpajama"):
            return False
        if child.is_dir() and any(_has_documentclass(tex) for tex in child.glob("*.tex")):
            return False
    return True
