"""Every command-line tool answers a damaged input file (bytes that are not UTF-8, a file cut short)
with exactly one error line naming the file (and the line where known), a non-zero exit status,
and no traceback.

The console-script functions run in this process (their `sys.argv` set, stderr captured); one
`tools/` wrapper runs as a real process. The corpus preparation pipelines, which read crawled data,
drop a damaged document and count it instead (the run goes on): that is checked too.
"""
from __future__ import annotations

import gzip
import importlib.util
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from math_lm.convert.cli import run_hf_to_neox, run_neox_to_hf, run_raw_llama_to_neox
from math_lm.data.prepare_cli import run as prepare_proof_pile_2
from math_lm.eval.cli import main as llemma_eval
from math_lm.eval.overlap.cli import run as ngram_overlap
from math_lm.formal.cli import main as llemma_formal
from math_lm.mixture_cli import run_report, run_search
from megatron.data.merge_cli import run as merge_datasets
from megatron.data.preprocess_cli import run as preprocess

REPO = Path(__file__).resolve().parents[2]
SPM_MODEL = REPO / "data" / "tokenizers" / "llama2.model"
TINY_CONFIG = REPO / "configs" / "tiny_cpu.yml"

GOOD_LINES = [json.dumps({"text": f"document {i}", "problem": f"what is {i}", "solution": f"{i}", "correct": True})
              for i in range(3)]


def non_utf8_jsonl(path: Path, bad_line: int = 4) -> Path:
    """A JSONL file whose line `bad_line` holds the byte 0xff."""
    lines = [line.encode() for line in GOOD_LINES[: bad_line - 1]] + [b'{"text": "caf\xff"}']
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def cut_jsonl(path: Path) -> Path:
    """A JSONL file cut in the middle of its last line (line 3)."""
    text = "\n".join(GOOD_LINES) + "\n"
    path.write_text(text[: len(text) - 12])
    return path


def non_utf8_yaml(path: Path) -> Path:
    """A YAML config whose line 3 holds the byte 0xff."""
    path.write_bytes(b"# a config\nseq_length: 64\nmodel_name: \"caf\xff\"\n")
    return path


def cut_yaml(path: Path) -> Path:
    """A YAML config cut inside a quoted string (the end is on line 2)."""
    path.write_text('seq_length: 64\ntokenizer_type: "SPMTok')
    return path


def cut(path: Path, fraction: float = 1 / 3) -> Path:
    os.truncate(path, int(path.stat().st_size * fraction))
    return path


def run_entry(entry, argv: list[str], capsys, monkeypatch) -> tuple[int, str]:
    """Run a console-script function as the shell would: its exit status and its stderr."""
    monkeypatch.setattr(sys, "argv", [getattr(entry, "__name__", "tool"), *map(str, argv)])
    capsys.readouterr()
    try:
        status = entry()
    except SystemExit as exit_request:
        status = exit_request.code
    return status, capsys.readouterr().err


def assert_one_error_line(status: int, stderr: str, path: Path, line: int | None = None, also: str = "") -> str:
    assert status not in (0, None), stderr
    assert "Traceback" not in stderr, stderr
    errors = [text for text in stderr.splitlines() if "error" in text.lower()]
    assert len(errors) == 1, stderr
    expected = f"{path}:{line}:" if line is not None else str(path)
    assert expected in errors[0], (expected, errors[0])
    assert also in errors[0], (also, errors[0])
    return errors[0]


# --- text inputs: JSONL, YAML, JSON -----------------------------------------------------------


def test_preprocess(tmp_path, capsys, monkeypatch):
    tokenizer = ["--tokenizer-type", "SPMTokenizer", "--vocab-file", SPM_MODEL, "--workers", "0"]
    bad = non_utf8_jsonl(tmp_path / "corpus.jsonl")
    status, stderr = run_entry(preprocess, ["--input", bad, "--output-prefix", tmp_path / "a", *tokenizer], capsys, monkeypatch)
    assert_one_error_line(status, stderr, bad, 4)
    import zstandard

    compressed = tmp_path / "corpus.jsonl.zst"
    compressed.write_bytes(zstandard.ZstdCompressor().compress(("\n".join(GOOD_LINES * 50) + "\n").encode()))
    cut(compressed)
    status, stderr = run_entry(preprocess, ["--input", compressed, "--output-prefix", tmp_path / "b", *tokenizer],
                               capsys, monkeypatch)
    assert_one_error_line(status, stderr, compressed)
    gzipped = tmp_path / "corpus.jsonl.gz"
    gzipped.write_bytes(gzip.compress(("\n".join(GOOD_LINES * 50) + "\n").encode()))
    cut(gzipped, 0.5)
    status, stderr = run_entry(preprocess, ["--input", gzipped, "--output-prefix", tmp_path / "c", *tokenizer],
                               capsys, monkeypatch)
    assert_one_error_line(status, stderr, gzipped)
    archive = tmp_path / "corpus.jsonl.zst.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(tmp_path / "corpus.jsonl.gz", arcname="part.jsonl.gz")
        tar.add(compressed, arcname="part.jsonl.zst")
    cut(archive, 0.3)
    status, stderr = run_entry(preprocess, ["--input", archive, "--output-prefix", tmp_path / "e", *tokenizer],
                               capsys, monkeypatch)
    assert_one_error_line(status, stderr, archive)
    model = tmp_path / "cut.model"
    model.write_bytes(SPM_MODEL.read_bytes()[:1000])
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(GOOD_LINES) + "\n")
    status, stderr = run_entry(preprocess, ["--input", good, "--output-prefix", tmp_path / "d", "--tokenizer-type",
                                            "SPMTokenizer", "--vocab-file", model], capsys, monkeypatch)
    assert_one_error_line(status, stderr, model)
    assert not list(tmp_path.glob("[abcde]_*"))  # no half-written output


@pytest.mark.parametrize("damage", [non_utf8_yaml, cut_yaml])
def test_config_readers(tmp_path, capsys, monkeypatch, damage):
    config = damage(tmp_path / "run.yml")
    line = 3 if damage is non_utf8_yaml else 2
    status, stderr = run_entry(run_report, [TINY_CONFIG, config], capsys, monkeypatch)
    assert_one_error_line(status, stderr, config, line)
    held_out = tmp_path / "held_out.jsonl"
    held_out.write_text("\n".join(GOOD_LINES) + "\n")
    status, stderr = run_entry(run_search, ["--config", config, "--mixtures", "2:4:1", "--train-iters", "1",
                                            "--ppl-data", held_out, "--output", tmp_path / "search"],
                               capsys, monkeypatch)
    assert_one_error_line(status, stderr, config, line)
    spec = importlib.util.spec_from_file_location("deepy", REPO / "deepy.py")
    deepy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(deepy)
    status, stderr = run_entry(lambda: deepy.main(["train.py", str(config)]), [], capsys, monkeypatch)
    assert_one_error_line(status, stderr, config, line)
    status, stderr = run_entry(run_neox_to_hf, ["--input", tmp_path, "--output", tmp_path / "hf", "--config_file",
                                                config], capsys, monkeypatch)
    assert_one_error_line(status, stderr, config, line)


def test_mixture_search_held_out_data(tmp_path, capsys, monkeypatch):
    for held_out, line in ((non_utf8_jsonl(tmp_path / "held_out.jsonl"), 4), (cut_jsonl(tmp_path / "cut.jsonl"), 3)):
        status, stderr = run_entry(run_search, ["--config", REPO / "configs" / "tiny_cpu_proof_pile_2.yml", "--mixtures",
                                                "2:4:1", "--train-iters", "1", "--ppl-data", held_out, "--output",
                                                tmp_path / "search"], capsys, monkeypatch)
        assert_one_error_line(status, stderr, held_out, line)


def test_scoring_samples(tmp_path, capsys, monkeypatch):
    samples = tmp_path / "samples"
    samples.mkdir()
    bad = non_utf8_jsonl(samples / "llemma_math_greedy.jsonl")
    status, stderr = run_entry(llemma_eval, ["score", "--samples", samples, "--workers", "1"], capsys, monkeypatch)
    assert_one_error_line(status, stderr, bad, 4, also="not UTF-8")
    bad.unlink()
    truncated = cut_jsonl(samples / "llemma_gsm8k_greedy.jsonl")
    status, stderr = run_entry(llemma_eval, ["score", "--samples", samples, "--workers", "1"], capsys, monkeypatch)
    assert_one_error_line(status, stderr, truncated, 3, also="not valid JSON")


def test_formal_check(tmp_path, capsys, monkeypatch):
    statements = REPO / "data" / "minif2f" / "rocq" / "valid"
    proofs = tmp_path / "proofs.jsonl"
    proofs.write_bytes(b'\xff{"name": "x", "proof": "auto."}\n')
    argv = ["check", "--statements", statements, "--proofs", proofs, "--output", tmp_path / "out"]
    status, stderr = run_entry(llemma_formal, argv, capsys, monkeypatch)
    assert_one_error_line(status, stderr, proofs, 1, also="not UTF-8")
    cut_jsonl(proofs)
    status, stderr = run_entry(llemma_formal, argv, capsys, monkeypatch)
    assert_one_error_line(status, stderr, proofs, 3)
    statement_dir = tmp_path / "statements"
    statement_dir.mkdir()
    statement = statement_dir / "broken.v"
    statement.write_bytes(b"Require Import Arith.\nTheorem broken : \xff True.\nProof.\n")
    proofs.write_text(json.dumps({"name": "broken", "proof": "auto."}) + "\n")
    status, stderr = run_entry(llemma_formal, ["check", "--statements", statement_dir, "--proofs", proofs, "--output",
                                               tmp_path / "out2"], capsys, monkeypatch)
    assert_one_error_line(status, stderr, statement, 2)


def test_ngram_overlap(tmp_path, capsys, monkeypatch):
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(GOOD_LINES) + "\n")
    common = ["--fields", "problem", "--workers", "0", "--n", "2"]
    bad_test = non_utf8_jsonl(tmp_path / "test.jsonl", bad_line=2)
    status, stderr = run_entry(ngram_overlap, ["--test", bad_test, "--corpus", good, "--output", tmp_path / "o1",
                                               *common], capsys, monkeypatch)
    assert_one_error_line(status, stderr, bad_test, 2)
    bad_corpus = non_utf8_jsonl(tmp_path / "corpus.jsonl")
    status, stderr = run_entry(ngram_overlap, ["--test", good, "--corpus", bad_corpus, "--output", tmp_path / "o2",
                                               *common], capsys, monkeypatch)
    assert_one_error_line(status, stderr, bad_corpus, 4)
    bad_results = cut_jsonl(tmp_path / "results.jsonl")
    status, stderr = run_entry(ngram_overlap, ["--test", good, "--corpus", good, "--results", bad_results, "--output",
                                               tmp_path / "o3", *common], capsys, monkeypatch)
    assert_one_error_line(status, stderr, bad_results, 3)


# --- binary inputs: .bin/.idx, safetensors, torch files, tokenizers ------------------------------


@pytest.fixture(scope="module")
def indexed_dataset(tmp_path_factory) -> Path:
    """A small tokenized dataset: returns its prefix."""
    import numpy as np

    from megatron.data.indexed_dataset import IndexedDatasetWriter

    prefix = tmp_path_factory.mktemp("indexed") / "corpus"
    writer = IndexedDatasetWriter(f"{prefix}.bin", np.uint16)
    for document in ([1, 2, 3, 4], [5, 6], [7, 8, 9]):
        writer.add_document(document)
    writer.finalize(f"{prefix}.idx")
    writer.close()
    return prefix


def _damaged_copy(prefix: Path, directory: Path, name: str, suffix: str, damage) -> tuple[Path, Path]:
    copy = directory / name
    for ext in (".bin", ".idx"):
        Path(f"{copy}{ext}").write_bytes(Path(f"{prefix}{ext}").read_bytes())
    damaged = Path(f"{copy}{suffix}")
    damage(damaged)
    return copy, damaged


def _garbage(path: Path) -> None:
    path.write_bytes(b"\xff" * path.stat().st_size)


@pytest.mark.parametrize("suffix,damage", [(".idx", cut), (".bin", cut), (".idx", _garbage)])
def test_indexed_datasets(tmp_path, capsys, monkeypatch, indexed_dataset, suffix, damage):
    copy, damaged = _damaged_copy(indexed_dataset, tmp_path, "damaged", suffix, damage)
    status, stderr = run_entry(merge_datasets, ["--input", indexed_dataset, copy, "--output-prefix", tmp_path / "m"],
                               capsys, monkeypatch)
    assert_one_error_line(status, stderr, damaged)
    test = tmp_path / "test.jsonl"
    test.write_text("\n".join(GOOD_LINES) + "\n")
    status, stderr = run_entry(ngram_overlap, ["--test", test, "--corpus", f"{copy}.idx", "--tokenizer", SPM_MODEL,
                                               "--fields", "problem", "--workers", "0", "--output", tmp_path / "o"],
                               capsys, monkeypatch)
    assert_one_error_line(status, stderr, damaged)


@pytest.fixture(scope="module")
def tiny_hf_model(tmp_path_factory) -> Path:
    from tests.hf_llama import write_tiny_hf_model

    return write_tiny_hf_model(tmp_path_factory.mktemp("hf") / "model")


def _copy_directory(source: Path, target: Path) -> Path:
    target.mkdir()
    for path in source.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


@pytest.mark.slow
def test_hf_to_neox_and_eval_on_a_cut_or_non_utf8_model(tmp_path, capsys, monkeypatch, tiny_hf_model):
    model = _copy_directory(tiny_hf_model, tmp_path / "cut")
    weights = cut(model / "model.safetensors")
    status, stderr = run_entry(run_hf_to_neox, ["--hf-model", model, "--tp", "1", "--output", tmp_path / "n1"],
                               capsys, monkeypatch)
    assert_one_error_line(status, stderr, weights, also="cut short")
    status, stderr = run_entry(llemma_eval, ["--model", model, "--tasks", "gsm8k", "--output", tmp_path / "e1",
                                             "--device", "cpu"], capsys, monkeypatch)
    assert_one_error_line(status, stderr, weights)
    model = _copy_directory(tiny_hf_model, tmp_path / "config")
    config = model / "config.json"
    config.write_bytes(b'{\n  "architectures": ["Llama\xff"]\n}\n')
    status, stderr = run_entry(run_hf_to_neox, ["--hf-model", model, "--tp", "1", "--output", tmp_path / "n2"],
                               capsys, monkeypatch)
    assert_one_error_line(status, stderr, config, 2)
    model = _copy_directory(tiny_hf_model, tmp_path / "tokenizer")
    tokenizer = model / "tokenizer.json"
    cut(tokenizer, 0.001)
    status, stderr = run_entry(llemma_eval, ["--model", model, "--tasks", "gsm8k", "--output", tmp_path / "e2",
                                             "--device", "cpu"], capsys, monkeypatch)
    line = tokenizer.read_text().count("\n") + 1
    assert_one_error_line(status, stderr, tokenizer, line)
    assert not (tmp_path / "n1").exists() and not (tmp_path / "n2").exists()


@pytest.mark.slow
def test_hf_to_neox_with_its_last_shard_cut(tmp_path, capsys, monkeypatch, tiny_hf_model):
    from transformers import LlamaForCausalLM

    sharded = tmp_path / "sharded"
    LlamaForCausalLM.from_pretrained(tiny_hf_model).save_pretrained(sharded, max_shard_size="2MB")
    shards = sorted(sharded.glob("model-*.safetensors"))
    assert len(shards) >= 3
    cut(shards[-1])
    status, stderr = run_entry(run_hf_to_neox, ["--hf-model", sharded, "--tp", "1", "--output", tmp_path / "neox"],
                               capsys, monkeypatch)
    assert_one_error_line(status, stderr, shards[-1], also="cut short")
    index = cut(sharded / "model.safetensors.index.json", 0.5)
    status, stderr = run_entry(run_hf_to_neox, ["--hf-model", sharded, "--tp", "1", "--output", tmp_path / "neox"],
                               capsys, monkeypatch)
    assert_one_error_line(status, stderr, index, index.read_text().count("\n") + 1)
    assert not (tmp_path / "neox").exists()


def test_raw_llama_to_neox(tmp_path, capsys, monkeypatch):
    import torch

    meta = tmp_path / "meta"
    meta.mkdir()
    params = meta / "params.json"
    params.write_bytes(b'{"dim": 8, "n_layers": 1,\n "n_heads": "\xff"}\n')
    argv = ["--input-dir", meta, "--tp", "1", "--output", tmp_path / "neox"]
    status, stderr = run_entry(run_raw_llama_to_neox, argv, capsys, monkeypatch)
    assert_one_error_line(status, stderr, params, 2)
    params.write_text(json.dumps({"dim": 8, "n_layers": 1, "n_heads": 2}))
    shard = meta / "consolidated.00.pth"
    torch.save({"tok_embeddings.weight": torch.zeros(16, 8)}, shard)
    cut(shard)
    status, stderr = run_entry(run_raw_llama_to_neox, argv, capsys, monkeypatch)
    assert_one_error_line(status, stderr, shard)


def test_a_tools_wrapper_as_a_real_process(tmp_path, indexed_dataset):
    copy, damaged = _damaged_copy(indexed_dataset, tmp_path, "damaged", ".idx", cut)
    completed = subprocess.run([sys.executable, str(REPO / "tools" / "merge_datasets.py"), "--input", str(copy),
                                "--output-prefix", str(tmp_path / "merged")],
                               capture_output=True, text=True, timeout=300, cwd=REPO)  # fmt: skip
    assert_one_error_line(completed.returncode, completed.stderr, damaged)


# --- crawled data: damaged documents are dropped and counted, the run goes on --------------------


def test_corpus_preparation_drops_damaged_documents_and_names_a_damaged_option_file(tmp_path, capsys, monkeypatch):
    raw = REPO / "data" / "sample_raw"
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    warc = crawl / "crawl.warc.gz"
    warc.write_bytes((raw / "open-web-math" / "crawl.warc.gz").read_bytes())
    cut(warc)
    status, stderr = run_entry(prepare_proof_pile_2, ["open-web-math", "--input", crawl, "--output-dir",
                                                      tmp_path / "owm"], capsys, monkeypatch)
    assert status in (0, None) and "Traceback" not in stderr, stderr
    assert json.loads((tmp_path / "owm" / "stats.json").read_text())["dropped_documents"] >= 1
    code = tmp_path / "code"
    code.mkdir()
    (code / "solver.py").write_bytes(b"x = '\xff'\n")
    names = tmp_path / "names.txt"
    names.write_bytes(b"thm_one\n\xffthm_two\n")
    status, stderr = run_entry(prepare_proof_pile_2, ["algebraic-stack", "--input", code, "--output-dir",
                                                      tmp_path / "as", "--decontaminate", names], capsys, monkeypatch)
    assert_one_error_line(status, stderr, names, 2)
