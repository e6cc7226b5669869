import json
from pathlib import Path

import pytest

from math_lm.data.algebraic_stack import (
    AlgebraicStackSubset,
    language_filter,
    language_of,
    remove_listed_theorems,
    render_notebook,
    render_proof_steps,
)
from math_lm.data.pipeline import run_subset

PROSE = "compute the values of the function carefully\n" * 3

# (language, path, text, expected drop reason or None to keep)
FILTER_CASES = [
    ("python", "a.py", "import numpy as np\nprint(np.pi)\n", None),
    ("python", "a.py", "import os, scipy.linalg\n", None),
    ("python", "a.py", "from sympy import symbols\n", None),
    ("python", "a.py", "import jax.numpy as jnp\n", None),
    ("python", "a.py", "import os\nimport numpyish\n", "no_math_import"),
    ("python", "a.py", '{"cells": [], "import numpy": 1}', "not_source_code"),
    ("c", "a.c", "#include <gsl/gsl_matrix.h>\nint main(void) { return 0; }\n", None),
    ("c", "a.c", "#include <fftw3.h>\n", None),
    ("c", "a.c", "#include <stdio.h>\nint main(void) { return 0; }\n", "no_math_header"),
    ("cpp", "a.cpp", "#include <Eigen/Dense>\nint main() { Eigen::MatrixXd m; }\n", None),
    ("cpp", "a.cpp", "#include <boost/math/constants.hpp>\n", None),
    ("cpp", "a.cpp", "#include <vector>\nint main() {}\n", "no_math_library"),
    ("cpp", "a.cpp", "#include <Eigen/Dense>\nint t[] = {1234, 5678, 9012, 3456};\n", "too_many_digits"),
    ("haskell", "a.hs", "import qualified Numeric.LinearAlgebra as LA\nmain = print 1\n", None),
    ("haskell", "a.hs", "import Data.Complex\n", None),
    ("haskell", "a.hs", "import Data.List\nmain = print 1\n", "no_math_import"),
    ("julia", "a.jl", "using LinearAlgebra\nx = sqrt(2)\n", None),
    ("julia", "a.jl", '{"not": "julia"}\n', "not_source_code"),
    ("julia", "a.jl", "x = zeros(3)\n" + "y = 1\n" * 20000, "large_generated"),
    ("r", "a.R", "x <- rnorm(10)\nmean(x)\n", None),
    ("r", "a.R", "/* Resource fork data */", "not_source_code"),
    ("maple", "a.mpl", "f := x -> x^2;\n", None),
    ("maple", "a.mpl", '<?xml version="1.0"?><Worksheet/>', "not_source_code"),
    ("gap", "a.g", "G := SymmetricGroup(4);; Size(G);\n", None),
    ("lean", "a.lean", "theorem two_eq : 1 + 1 = 2 := rfl\n", None),
    ("lean", "a.lean", "def f (n : Nat) : Nat := n\n", "no_theorem"),
    ("lean", "_target/deps/mathlib/a.lean", "lemma x : True := trivial\n", "dependency_file"),
    ("isabelle", "A.thy", 'theory A imports Main begin\nlemma "x = x" by simp\nend\n', None),
    ("isabelle", "A.thy", "theory A imports Main begin\ndefinition f where \"f = 1\"\nend\n", "no_theorem"),
    ("coq", "a.v", "Theorem t : True.\nProof. exact I. Qed.\n", None),
    ("coq", "a.v", "module m(input wire clk); always @(posedge clk) begin end endmodule\n", "not_coq"),
    ("coq", "a.v", "(* This file was automatically generated *)\nDefinition x := 1.\n", "generated"),
    ("idris", "a.idr", "plus : Nat -> Nat -> Nat\n", None),
    ("agda", "a.agda", "module A where\ndata Nat : Set where\n", None),
    ("matlab", "a.m", "A = magic(4);\nx = A \\ b;\ndisp(x)\n", None),
    ("matlab", "a.m", "#import <Foundation/Foundation.h>\n@interface Foo : NSObject\n@end\n", "objective_c"),
    ("matlab", "a.m", "[1e-3; 2e-3];\n[4e-5; 6e-7];\n", "numeric_array"),
    ("fortran", "a.f90", "program p\n  real :: x\n  x = sqrt(2.0)\nend program p\n", None),
    ("tex", "notes/a.tex", "\\section{Groups}\nA group is a set with an operation.\n", None),
    ("tex", "notes/a.tex", "Just some text without sections.\n", "no_section"),
    ("tex", "notes/a.tex", "\\section{Gruppen}\n群论\n", "not_english"),
    ("tex", "doc/latex/a.tex", "\\section{API}\n", "generated"),
    ("tex", "plots/a.tex", "\\section{Plot}\n% gnuplot output\n", "generated"),
]


@pytest.mark.parametrize("language,path,text,expected", FILTER_CASES)
def test_language_filters(language: str, path: str, text: str, expected: str | None):
    assert language_of(path) == language
    assert language_filter(language, text, path) == expected


def test_common_filters_apply_to_every_language():
    assert language_filter("gap", "x" * 1_048_576, "a.g") == "too_large"
    assert language_filter("gap", "x" * 1_048_575, "a.g") is None
    assert language_filter("lean", "theorem t : 1 = 1 := rfl\n" + "1234567890 " * 20, "a.lean") == "too_many_digits"


def test_declared_language_wins_over_extension():
    assert language_of("script.txt", "Python") == "python"
    assert language_of("a.m", "Octave") == "matlab"
    assert language_of("a.unknown") is None


def _notebook(cells: list[dict]) -> str:
    return json.dumps({"cells": cells, "metadata": {"language_info": {"name": "python"}}, "nbformat": 4})


def test_notebook_rendering_strips_outputs_and_images():
    raw = _notebook(
        [
            {"cell_type": "markdown", "source": ["# Title\n", "$$\\begin{equation}x\\end{equation}$$\n", "![plot](a.png)"]},
            {
                "cell_type": "code",
                "source": "import sympy\nsympy.sqrt(8)",
                "outputs": [{"output_type": "execute_result", "data": {"text/plain": "2*sqrt(2)"}}],
            },
        ]
    )
    text = render_notebook(raw)
    assert "# Title" in text and "```python\nimport sympy\nsympy.sqrt(8)\n```" in text
    assert "2*sqrt(2)" not in text and "a.png" not in text


def test_proof_steps_are_rendered():
    row = {"statement": "theorem t : a = a", "steps": [{"state": "⊢ a = a", "step": "rfl"}, {"state": "done", "step": "qed"}]}
    assert render_proof_steps(row) == (
        "[STATEMENT]\ntheorem t : a = a\n[PROOF STATE]\n⊢ a = a\n[PROOF STEP]\nrfl\n[PROOF STATE]\ndone\n[PROOF STEP]\nqed\n"
    )


def test_listed_theorems_are_removed_up_to_blank_line():
    text = "theorem keep : 1 = 1 := rfl\n\ntheorem mathd_algebra_10 : 2 = 2 := by\n  norm_num\n\nlemma other : 3 = 3 := rfl\n"
    cleaned, removed = remove_listed_theorems(text, frozenset({"mathd_algebra_10"}))
    assert removed == 1
    assert "mathd_algebra_10" not in cleaned and "norm_num" not in cleaned
    assert "theorem keep" in cleaned and "lemma other" in cleaned


def test_subset_end_to_end_with_dumps_dedup_and_decontamination(tmp_path: Path):
    import pyarrow
    import pyarrow.parquet

    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / ".git" / "config.py").write_text("import numpy\n")  # hidden: never read
    (repo / "src" / "solve.py").write_text("import numpy as np\n\n" + PROSE)
    (repo / "src" / "copy_of_solve.py").write_text("import numpy as np\n\n" + PROSE)  # duplicate: dropped
    (repo / "src" / "web.py").write_text("import flask\n")
    (repo / "src" / "Basic.lean").write_text(
        "theorem mine : 1 = 1 := rfl\n\ntheorem mathd_numbertheory_1 : 2 = 2 := rfl\n"
    )
    (repo / "src" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (repo / "src" / "latin.py").write_bytes("import numpy  # caf\xe9\n".encode("latin-1"))
    (repo / "src" / "empty.jl").write_bytes(b"")
    (repo / "README.md").write_text("# readme\n")
    (repo / "analysis.ipynb").write_text(
        _notebook([{"cell_type": "code", "source": "from sympy import *\nx = Symbol('x')", "outputs": []}])
    )
    (repo / "plain.ipynb").write_text(_notebook([{"cell_type": "code", "source": "print(1)", "outputs": []}]))
    (repo / "broken.ipynb").write_text('{"cells": [ "import sympy" ')

    rows = [
        {"content": "#include <Eigen/Dense>\nint main() { return 0; }\n", "lang": "C++", "path": "x/eig.cpp"},
        {"content": "library(stats)\nx <- rnorm(5)\n", "path": "y/stats.R"},
        {"content": "no language here", "path": "z/file.xyz"},
        {"statement": "theorem mathd_algebra_2 : x = x", "steps": [{"state": "s", "step": "rfl"}], "lang": "lean", "name": "mathd_algebra_2"},
        {"statement": "lemma ok: \"a = a\"", "state": "goal", "step": "by simp", "lang": "isabelle", "name": "ok"},
        {"statement": "theorem bad", "steps": []},
    ]
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join(json.dumps(row) for row in rows) + "\n[1, 2]\n")
    table = pyarrow.table({"content": ["G := CyclicGroup(6);;\n", "program p\nend program p\n"], "lang": ["GAP", "Fortran"]})
    pyarrow.parquet.write_table(table, tmp_path / "dump.parquet")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")

    subset = AlgebraicStackSubset(decontamination_names=frozenset({"mathd_numbertheory_1", "mathd_algebra_2"}))
    stats = run_subset(subset, [repo, dump, tmp_path / "dump.parquet", tmp_path / "broken.parquet"], tmp_path / "out")

    kept_groups = {}
    for split in stats["splits"].values():
        for group, entry in split["by_group"].items():
            kept_groups[group] = kept_groups.get(group, 0) + entry["documents"]
    assert kept_groups == {
        "python": 1, "lean": 1, "jupyter": 1, "cpp": 1, "r": 1, "gap": 1, "fortran": 1, "isabelle_proofsteps": 1,
    }  # fmt: skip
    dropped = {reason: entry["documents"] for reason, entry in stats["dropped"].items()}
    assert dropped == {
        "chunk_duplicate": 1, "python:no_math_import": 1, "unsupported_language": 3, "encoding": 1,
        "empty": 1, "no_math": 1, "bad_notebook": 1, "contaminated": 1,
        "bad_proof_steps": 1, "bad_jsonl_row": 1, "bad_parquet": 1,
    }  # fmt: skip
    assert stats["counters"] == {"decontaminated_theorems": 1}
    docs = _read_all(tmp_path / "out")
    lean = next(d for d in docs if d["meta"]["language"] == "lean")
    assert "theorem mine" in lean["text"] and "mathd_numbertheory_1" not in lean["text"]
    python = next(d for d in docs if d["meta"]["language"] == "python")
    assert python["meta"]["path"] == "repo/src/copy_of_solve.py"  # sorted order: copy_of_solve.py comes first
    cpp = next(d for d in docs if d["meta"]["language"] == "cpp")
    assert cpp["meta"]["path"] == "x/eig.cpp"


def _read_all(out: Path) -> list[dict]:
    import zstandard

    docs = []
    for shard in sorted(out.glob("*/*.jsonl.zst")):
        with open(shard, "rb") as handle:
            data = zstandard.ZstdDecompressor().stream_reader(handle).read()
        docs.extend(json.loads(line) for line in data.decode().splitlines())
    return docs


def test_filters_read_a_file_of_unclosed_openers_once():
    # 128 Ki openers in one line, none closed: each scan for its closing delimiter once rescanned the
    # rest of the file (quadratic: hours for a 1 MiB file); now they are read once.
    from math_lm.data.algebraic_stack import _C_MARKER_RE, _remove_html_media

    openers = 128 * 1024
    assert _C_MARKER_RE.search("int main(" * openers) is None
    assert _C_MARKER_RE.search("int main(void) {  \n") and _C_MARKER_RE.search("x\nmain(); main(argc) {\n")
    assert _remove_html_media("<script " * openers) == "<script " * openers
    assert _remove_html_media("a<Script src=x>b</SCRIPT>c<video>d") == "ac<video>d"
    notebook = {"cells": [{"cell_type": "markdown", "source": "![a](" * openers + " <img " * openers}]}
    assert render_notebook(json.dumps(notebook)).startswith("![a](![a](")
