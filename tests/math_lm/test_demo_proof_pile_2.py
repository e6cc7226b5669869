"""The Proof-Pile-2 demo's inputs: the shipped raw samples, what each subset keeps from them, and the config."""
import gzip
from pathlib import Path

import lm_dataformat
import pytest
import yaml

from math_lm.data.algebraic_stack import AlgebraicStackSubset
from math_lm.data.arxiv import ArxivSubset
from math_lm.data.open_web_math import OpenWebMathSubset
from math_lm.data.pipeline import run_subset
from tools.fixtures.sample_raw import SUBSETS, write_sample_raw
from math_lm.demo_proof_pile_2 import CONFIG, REPO, VALIDATION_PREFIX, output_prefix, summarize_stats

RAW = REPO / "data" / "sample_raw"

# Every input the generator writes to be dropped, by subset: the reasons the demo's summary shows.
EXPECTED_DROPS = {
    "arxiv": {"no_section", "encoding", "exact_duplicate", "unsupported_file"},
    "open-web-math": {"too_short", "not_english", "low_math_score", "encoding", "exact_duplicate", "near_duplicate",
                      "http_status", "not_html"},
    "algebraic-stack": {"python:no_math_import", "python:too_many_digits", "c:no_math_header", "lean:no_theorem",
                        "matlab:numeric_array", "matlab:objective_c", "julia:not_source_code", "no_math",
                        "unsupported_language", "chunk_duplicate"},
}
SUBSET_OBJECTS = {"arxiv": ArxivSubset(), "open-web-math": OpenWebMathSubset(), "algebraic-stack": AlgebraicStackSubset()}


def _content(path: Path) -> bytes:
    """File bytes, with gzip streams (.gz, .tar.gz, .warc.gz) decompressed: zlib builds may differ in output."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def test_shipped_samples_are_what_the_generator_writes(tmp_path: Path):
    write_sample_raw(tmp_path / "raw")
    shipped = sorted(p.relative_to(RAW) for p in RAW.rglob("*") if p.is_file())
    generated = sorted(p.relative_to(tmp_path / "raw") for p in (tmp_path / "raw").rglob("*") if p.is_file())
    assert shipped == generated, "data/sample_raw is stale: run python tools/make_sample_raw.py --overwrite"
    for relative in shipped:
        assert _content(RAW / relative) == _content(tmp_path / "raw" / relative), f"{relative} differs from the generator"
    assert sum((RAW / r).stat().st_size for r in shipped) < 1_500_000


def test_generator_refuses_to_overwrite_without_asking(tmp_path: Path):
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(FileExistsError, match="overwrite"):
        write_sample_raw(tmp_path)
    assert (tmp_path / "keep.txt").exists()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict]]:
    root = tmp_path_factory.mktemp("proof_pile_2")
    return {subset: (root / subset, run_subset(SUBSET_OBJECTS[subset], [RAW / subset], root / subset))
            for subset in SUBSETS}


@pytest.mark.parametrize("subset", SUBSETS)
def test_each_subset_keeps_documents_and_drops_what_it_should(prepared, subset: str):
    _, stats = prepared[subset]
    assert stats["splits"]["train"]["documents"] >= 30
    assert stats["splits"]["train"]["bytes"] >= 150_000  # enough text for the tiny run's 2:4:1 draw
    assert set(stats["dropped"]) == EXPECTED_DROPS[subset]
    summary = "\n".join(summarize_stats(stats))
    assert f"kept {stats['kept_documents']} documents" in summary
    assert all(reason in summary for reason in EXPECTED_DROPS[subset])
    if subset == "algebraic-stack":  # every language of the generator survives its filter at least once
        languages = set(stats["splits"]["train"]["by_group"])
        assert {"python", "lean", "isabelle", "coq", "julia", "r", "haskell", "c", "cpp", "matlab", "maple",
                "gap", "jupyter", "tex"} <= languages
    if subset == "open-web-math":
        assert set(stats["splits"]["train"]["by_group"]) == {"html", "warc"}


@pytest.mark.parametrize("subset", SUBSETS)
def test_prepared_shards_read_back(prepared, subset: str):
    output, stats = prepared[subset]
    for split, entry in stats["splits"].items():
        documents = list(lm_dataformat.Reader(str(output / split)).stream_data()) if entry["documents"] else []
        assert len(documents) == entry["documents"], f"{subset}/{split}"
    text = "\n".join(lm_dataformat.Reader(str(output / "train")).stream_data())
    if subset == "arxiv":  # cleaned: macros inlined, no comments, preamble or bibliography left
        assert "\\mathbb{Z}" in text and "\\newcommand" not in text and "\\bibitem" not in text
        assert "% TODO" not in text and "\\documentclass" not in text and "\\begin{abstract}" not in text
    if subset == "open-web-math":  # formulas from every markup as LaTeX, boilerplate gone
        assert "\\frac{-b" in text and "$$" in text and "cookies" not in text and "Related posts" not in text


def test_config_trains_on_the_tokenized_subsets_at_2_4_1():
    config = yaml.safe_load((REPO / CONFIG).read_text())
    assert config["train_data_paths"] == [f"{output_prefix(subset)}_text_document" for subset in SUBSETS]
    assert config["train_data_weights"] == [2, 4, 1]
    assert config["valid_data_paths"] == [str(VALIDATION_PREFIX)]
    assert "exit_interval" not in config and "data_path" not in config
    tiny = yaml.safe_load((REPO / "configs/tiny_cpu.yml").read_text())
    model_keys = ("num_layers", "hidden_size", "num_attention_heads", "num_kv_heads", "intermediate_size", "seq_length")
    assert {key: config[key] for key in model_keys} == {key: tiny[key] for key in model_keys}
