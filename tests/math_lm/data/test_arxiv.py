import gzip
import json
from pathlib import Path

import pytest

from math_lm.data.arxiv import (
    ArxivSubset,
    LatexCleaningError,
    arxiv_id_from_name,
    clean_latex,
    clean_paper,
    extract_macros,
    inline_macros,
    paper_files,
    strip_comments,
)
from math_lm.data.budget import MiB, BudgetExceeded, DocumentBudget
from math_lm.data.pipeline import run_subset
from tests.math_lm.data import hostile_inputs

MAIN_TEX = r"""\documentclass{article}
% a preamble comment
\usepackage{amsmath}
\newcommand{\R}{\mathbb{R}}
\newcommand\eps{\varepsilon}
\def\half{\frac{1}{2}}
\newcommand{\norm}[1]{\left\|#1\right\|}
\title{A Paper}
\begin{document}
\maketitle
\begin{abstract}This abstract comes before the first section.\end{abstract}
\section{Introduction} % trailing comment
We keep 50\% of $x \in \R$ with $\eps > \half$, and \Rset stays.
\input{sections/body}
\include{appendix}
\begin{thebibliography}{9}
\bibitem{k} D. Knuth, The TeXbook.
\end{thebibliography}
\bibliographystyle{plain}
\end{document}
Anything after end document is dropped.
"""

BODY_TEX = r"""\subsection{Body}
% a whole-line comment
\begin{equation}
  \norm{v}^2 = \sum_{i} v_i^2 \quad \text{for } v \in \R^n
\end{equation}
"""

APPENDIX_TEX = r"""\section{Appendix}
Line break then \\% dropped text
"""


def _paper_files() -> dict[str, bytes]:
    return {
        "main.tex": MAIN_TEX.encode(),
        "sections/body.tex": BODY_TEX.encode(),
        "appendix.tex": APPENDIX_TEX.encode(),
    }


def test_strip_comments_keeps_escaped_percent():
    text = "a 50\\% b % comment\n% whole line\nc \\\\% after linebreak\nd"
    assert strip_comments(text) == "a 50\\% b \nc \\\\\nd"


def test_macros_without_arguments_are_inlined_and_definitions_removed():
    text, macros = extract_macros(r"\newcommand{\R}{\mathbb{R}}\def\eps{\epsilon}\newcommand{\f}[1]{#1}x")
    assert macros == {"R": r"\mathbb{R}", "eps": r"\epsilon"}
    assert text == r"\newcommand{\f}[1]{#1}x"
    assert inline_macros(r"$\R^n$, $\eps$, \Rx", macros) == r"$\mathbb{R}^n$, $\epsilon$, \Rx"


def test_nested_macros_are_expanded():
    _, macros = extract_macros(r"\newcommand{\A}{\B+1}\newcommand{\B}{b}")
    assert inline_macros(r"\A", macros) == "b+1"


def test_clean_paper_resolves_inputs_and_drops_preamble_and_bibliography():
    text = clean_paper(_paper_files(), "paper")
    assert text.startswith(r"\section{Introduction}")
    assert "abstract comes before" not in text
    assert r"50\% of $x \in \mathbb{R}$ with $\varepsilon > \frac{1}{2}$" in text
    assert r"\Rset stays" in text
    assert r"\subsection{Body}" in text and r"v \in \mathbb{R}^n" in text
    assert r"\norm{v}^2 = \sum_{i} v_i^2" in text  # macro with an argument kept, maths verbatim
    assert r"\section{Appendix}" in text
    for gone in ("comment", "dropped text", "Knuth", "thebibliography", "bibliographystyle", "newcommand", "after end document"):
        assert gone not in text
    assert "\n\n\n" not in text


def test_paper_without_section_is_rejected():
    with pytest.raises(LatexCleaningError) as info:
        clean_latex("\\documentclass{article}\\begin{document}Only text.\\end{document}")
    assert info.value.reason == "no_section"


def test_arxiv_id_from_name():
    assert arxiv_id_from_name("2301.00001v2.tar.gz") == "2301.00001v2"
    assert arxiv_id_from_name("math0601001.gz") == "math/0601001"
    assert arxiv_id_from_name("paper.tex") is None


def test_subset_on_every_input_kind(tmp_path: Path):
    raw = tmp_path / "raw"
    paper_dir = raw / "2301.00001"
    for name, data in _paper_files().items():
        (paper_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (paper_dir / name).write_bytes(data)
    (paper_dir / "figure.png").write_bytes(b"\x89PNG\x00\x00")
    (raw / "2302.00002.tar.gz").write_bytes(hostile_inputs.tar_bytes({"paper/main.tex": hostile_inputs.good_paper("Tarball")}, True))
    (raw / "2303.00003.gz").write_bytes(gzip.compress(hostile_inputs.good_paper("Gzipped")))
    bulk = {
        "2304/2304.00004.gz": gzip.compress(hostile_inputs.good_paper("BulkOne")),
        "2304/2304.00005.tar.gz": hostile_inputs.tar_bytes({"ms.tex": hostile_inputs.good_paper("BulkTwo")}, True),
    }
    (raw / "arXiv_src_2304_001.tar").write_bytes(hostile_inputs.tar_bytes(bulk, False))
    (raw / "standalone.tex").write_bytes(hostile_inputs.good_paper("Standalone"))
    (raw / "duplicate.tex").write_bytes(hostile_inputs.good_paper("Standalone"))
    redpajama = [
        json.dumps({"text": "\\section{RP} already clean", "meta": {"arxiv_id": "2305.00006"}}),
        "{not json",
        json.dumps({"text": ""}),
    ]
    (raw / "redpajama.jsonl").write_text("\n".join(redpajama) + "\n")
    bad = raw / "bad"
    bad.mkdir()
    (bad / "binary.tex").write_bytes(b"\\section{x}\x00\x01\x02")
    (bad / "latin1.tex").write_bytes("\\section{Caf\xe9}".encode("latin-1"))
    (bad / "empty.tex").write_bytes(b"  \n")
    (bad / "nosection.tex").write_bytes(b"\\documentclass{article}\\begin{document}Hi\\end{document}")
    (bad / "broken.tar.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    (bad / "notes.txt").write_text("not latex")

    out = tmp_path / "out"
    stats = run_subset(ArxivSubset(), [raw], out)
    docs = _read_all(out)
    ids = sorted(d["meta"].get("arxiv_id", "") for d in docs)
    assert ids == ["", "2301.00001", "2302.00002", "2303.00003", "2304.00004", "2304.00005", "2305.00006"]
    paper = next(d for d in docs if d["meta"].get("arxiv_id") == "2301.00001")
    assert r"\subsection{Body}" in paper["text"] and "Knuth" not in paper["text"]
    assert stats["kept_documents"] == 7
    dropped = {reason: entry["documents"] for reason, entry in stats["dropped"].items()}
    assert dropped == {
        "binary": 1, "encoding": 1, "empty": 2, "no_section": 1, "bad_archive": 1,
        "unsupported_file": 1, "bad_jsonl_row": 1, "exact_duplicate": 1,
    }  # fmt: skip
    groups = {g for split in stats["splits"].values() for g in split["by_group"]}
    assert groups <= {"paper_dir", "archive", "tex", "redpajama"} and "redpajama" in groups


def test_missing_input_is_a_clear_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="does-not-exist"):
        run_subset(ArxivSubset(), [tmp_path / "does-not-exist"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def _read_all(out: Path) -> list[dict]:
    import zstandard

    docs = []
    for shard in sorted(out.glob("*/*.jsonl.zst")):
        with open(shard, "rb") as handle:
            data = zstandard.ZstdDecompressor().stream_reader(handle).read()
        docs.extend(json.loads(line) for line in data.decode().splitlines())
    return docs


def test_symlink_loops_are_skipped_with_a_warning_and_counted(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    raw = tmp_path / "raw"
    (raw / "papers" / "sub").mkdir(parents=True)
    (raw / "papers" / "one.tex").write_text(MAIN_TEX.replace("Introduction", "First paper"))
    (raw / "papers" / "sub" / "two.tex").write_text(MAIN_TEX.replace("Introduction", "Second paper"))
    (raw / "papers" / "sub" / "up").symlink_to("..")  # followed naively: sub/up/sub/up/... until ELOOP
    (raw / "papers" / "sub" / "root").symlink_to(raw)
    (raw / "a").symlink_to("b")
    (raw / "b").symlink_to("a")
    (raw / "self.tex").symlink_to("self.tex")
    with caplog.at_level("WARNING"):
        stats = run_subset(ArxivSubset(), [raw], tmp_path / "out")
    assert stats["kept_documents"] == 2
    assert stats["dropped"]["symlink_loop"]["documents"] == 5
    for name in ("a", "b", "self.tex", "papers/sub/up", "papers/sub/root"):
        assert f"skipping {raw / name}" in caplog.text


def test_unwalkable_directories_are_dropped_not_raised(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "dangling").symlink_to(tmp_path / "gone")
    with caplog.at_level("WARNING"):
        stats = run_subset(ArxivSubset(), [tmp_path / "raw"], tmp_path / "out")
    assert stats["dropped"] == {"unreadable": {"documents": 1, "bytes": 0}}
    assert f"skipping {tmp_path / 'raw' / 'dangling'}" in caplog.text


# ---- hostile papers (issue 22): each is dropped with its reason, the good papers beside it are kept ----


def _hostile_run(tmp_path: Path, hostile: dict[str, bytes], budget: DocumentBudget = DocumentBudget()) -> dict:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "2301.00001.tex").write_bytes(hostile_inputs.good_paper("Before"))
    for name, data in hostile.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
    (raw / "2309.00009.tar.gz").write_bytes(hostile_inputs.tar_bytes({"ms.tex": hostile_inputs.good_paper("After")}, True))
    stats = run_subset(ArxivSubset(budget=budget), [raw], tmp_path / "out")
    assert {"2301.00001", "2309.00009"} <= {d["meta"]["arxiv_id"] for d in _read_all(tmp_path / "out")}
    return stats


def _dropped(stats: dict) -> dict[str, int]:
    return {reason: entry["documents"] for reason, entry in stats["dropped"].items()}


def test_recursive_macros_stop_at_the_expansion_budget(tmp_path: Path):
    with pytest.raises(BudgetExceeded) as raised:
        clean_paper({"p.tex": hostile_inputs.recursive_def_paper()}, "p", DocumentBudget(max_expanded_chars=100_000))
    assert raised.value.reason == "expansion_limit"
    macros = extract_macros(r"\def\a{\b\b}\def\b{\a\a}")[1]
    assert inline_macros(r"\a", macros, max_chars=2**11) == "\\a" * 2**10  # ten passes, within the budget
    with pytest.raises(BudgetExceeded):
        inline_macros(r"\a", macros, max_chars=2**11 - 1)
    stats = _hostile_run(tmp_path, {"2302.00002.tex": hostile_inputs.recursive_def_paper()})  # the real default
    assert _dropped(stats) == {"expansion_limit": 1}
    assert stats["drop_examples"]["expansion_limit"] == [str(tmp_path / "raw" / "2302.00002.tex")]


def test_input_fan_out_stops_at_total_input_bytes(tmp_path: Path):
    files = hostile_inputs.input_fan_out_paper(fan_out=10, levels=12)
    with pytest.raises(BudgetExceeded) as raised:
        clean_paper(files, "p", DocumentBudget(max_expanded_chars=1_000_000))
    assert raised.value.reason == "expansion_limit"
    shallow = hostile_inputs.input_fan_out_paper(fan_out=3, levels=3)  # 27 leaves, inside the budget
    assert clean_paper(shallow, "p").count("A leaf sentence.") == 27
    paper_dir = {f"2303.00003/{name}": data for name, data in files.items()}
    stats = _hostile_run(tmp_path, paper_dir, DocumentBudget(max_expanded_chars=1_000_000))
    assert _dropped(stats) == {"expansion_limit": 1}


@pytest.mark.slow
def test_input_fan_out_stops_at_the_default_budget():
    with pytest.raises(BudgetExceeded, match="expansion_limit"):  # 10**12 inclusions stop after about 300,000
        clean_paper(hostile_inputs.input_fan_out_paper(fan_out=10, levels=12), "p")


def test_unclosed_newcommands_are_scanned_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import math_lm.data.arxiv as arxiv_module

    paper = hostile_inputs.unclosed_newcommand_paper(60_000)
    matchers = []

    class CountingBraceMatcher(arxiv_module.BraceMatcher):
        def __init__(self, text: str):
            matchers.append(len(text))
            super().__init__(text)

    monkeypatch.setattr(arxiv_module, "BraceMatcher", CountingBraceMatcher)
    text = clean_paper({"p.tex": paper}, "p")
    assert text.startswith(r"\section{Open}Text.") and text.count(r"\newcommand{") == 60_000
    assert len(matchers) == 1  # one linear pass over the text, not one scan to the end per brace
    monkeypatch.undo()
    stats = _hostile_run(tmp_path, {"2304.00004.tex": paper})
    assert stats["kept_documents"] == 3 and _dropped(stats) == {}  # kept: only its scanning was the problem


def test_gzip_bomb_source_is_stopped_while_inflating(tmp_path: Path):
    small = DocumentBudget(max_decompressed_bytes=4 * MiB, max_source_bytes=MiB)
    for bomb in (hostile_inputs.single_gzip_of_zeros(6), hostile_inputs.gzip_of_zeros(6)):
        with pytest.raises(BudgetExceeded) as raised:
            paper_files(bomb, "2305.00005.gz", small)
        assert raised.value.reason == "decompression_bomb"
    figure_bomb = hostile_inputs.tar_bytes({"ms.tex": hostile_inputs.good_paper("F"), "fig.eps": bytes(6 * MiB)}, True)
    with pytest.raises(BudgetExceeded, match="decompression_bomb"):
        paper_files(figure_bomb, "2305.00006.tar.gz", small)
    large_tex = gzip.compress(bytes(2 * MiB))  # over max_source_bytes, under the bomb limit
    with pytest.raises(BudgetExceeded, match="too_large"):
        paper_files(large_tex, "2305.00007.gz", small)
    stats = _hostile_run(tmp_path, {"2305.00005.gz": hostile_inputs.single_gzip_of_zeros(6)}, small)
    assert _dropped(stats) == {"decompression_bomb": 1}


@pytest.mark.slow
def test_three_gib_gzip_bomb_at_the_default_budget(tmp_path: Path):
    bomb = hostile_inputs.gzip_of_zeros(3 * 1024)  # 3 GiB of zeros in 3 MB
    bulk = hostile_inputs.tar_bytes({"2306/2306.00006.gz": bomb, "2306/2306.00007.gz": gzip.compress(hostile_inputs.good_paper("Bulk"))})
    stats = _hostile_run(tmp_path, {"2305.00005.gz": bomb, "arXiv_src_2306_001.tar": bulk})
    assert _dropped(stats) == {"decompression_bomb": 2}
    assert stats["kept_documents"] == 3
