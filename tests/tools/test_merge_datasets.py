"""The multi-machine tokenise, as the README shows it: prepare shards, tokenize each alone, merge."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SPM_MODEL = REPO_ROOT / "data" / "tokenizers" / "llama2.model"


def _tool(name: str, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(REPO_ROOT / "tools" / name), *args],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)  # fmt: skip
    return result


@pytest.mark.slow
def test_shards_tokenized_one_by_one_then_merged_equal_one_tokenize_of_the_split(tmp_path: Path):
    source = tmp_path / "src"
    source.mkdir()
    for i in range(40):
        (source / f"p{i:02d}.py").write_text(f"import sympy\nx{i} = sympy.Symbol('x{i}')\nprint(x{i} ** {i + 2})\n" * 3)
    prepared = _tool("prepare_proof_pile_2.py", "algebraic-stack", "--input", str(source),
                     "--output-dir", str(tmp_path / "prepared"), "--shard-mb", "0.001")  # fmt: skip
    assert prepared.returncode == 0, prepared.stderr
    shards = sorted((tmp_path / "prepared" / "train").glob("*.jsonl.zst"))
    assert len(shards) >= 3

    tokenizer = ["--tokenizer-type", "SPMTokenizer", "--vocab-file", str(SPM_MODEL), "--append-eod"]
    whole = _tool("preprocess_data.py", "--input", str(tmp_path / "prepared" / "train"),
                  "--output-prefix", str(tmp_path / "whole" / "as"), *tokenizer)  # fmt: skip
    assert whole.returncode == 0, whole.stderr
    # one run per shard, as separate machines would do it
    shard_runs = [
        _tool("preprocess_data.py", "--input", str(shard), "--output-prefix",
              str(tmp_path / "parts" / shard.name.removesuffix(".jsonl.zst")), *tokenizer)
        for shard in shards
    ]  # fmt: skip
    assert all(run.returncode == 0 for run in shard_runs), [run.stderr for run in shard_runs]
    merged = _tool("merge_datasets.py", "--input", str(tmp_path / "parts"), "--output-prefix", str(tmp_path / "as_text_document"))
    assert merged.returncode == 0, merged.stderr
    train_documents = json.loads((tmp_path / "prepared" / "stats.json").read_text())["splits"]["train"]["documents"]
    assert f"{train_documents} documents" in merged.stdout
    for suffix in (".bin", ".idx"):
        assert (tmp_path / f"as_text_document{suffix}").read_bytes() == (tmp_path / "whole" / f"as_text_document{suffix}").read_bytes()

    again = _tool("merge_datasets.py", "--input", str(tmp_path / "parts"), "--output-prefix", str(tmp_path / "as_text_document"))
    assert again.returncode == 1 and "output exists" in again.stderr
    missing = _tool("merge_datasets.py", "--input", str(tmp_path / "nope"), "--output-prefix", str(tmp_path / "x"))
    assert missing.returncode == 1 and "nope" in missing.stderr
