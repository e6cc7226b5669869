"""The converter commands accept GPT-NeoX's script names and flags and produce what ours produce."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from math_lm.convert.cli import hf_to_neox_main, neox_to_hf_main, raw_llama_to_neox_main
from tests.math_lm.convert.conftest import GQA, random_hf_llama, write_meta_checkpoint

REPO = Path(__file__).resolve().parents[3]


def rank_files(directory: Path) -> dict[str, dict[str, torch.Tensor]]:
    return {path.name: torch.load(path, weights_only=False)["module"]
            for path in sorted(directory.glob("global_step0/mp_rank_*_model_states.pt"))}


def same_weights(a: Path, b: Path) -> bool:
    first, second = rank_files(a), rank_files(b)
    return first.keys() == second.keys() and all(
        first[rank].keys() == second[rank].keys() and all(torch.equal(first[rank][k], second[rank][k]) for k in first[rank])
        for rank in first)


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    hf_model = random_hf_llama(GQA, seed=5)
    hf_model.save_pretrained(root / "hf")
    write_meta_checkpoint(hf_model, root / "meta", 2)
    return root


def test_hf_to_neox_with_neox_flags(models, tmp_path):
    assert hf_to_neox_main(["--hf-model", str(models / "hf"), "--tp", "2", "--output", str(tmp_path / "ours"),
                            "--make-vocab-size-divisible-by", "8"]) == 0
    assert hf_to_neox_main(["--tp", "2", "--model", str(models / "hf"), "--model_path", str(tmp_path / "neox"),
                            "--make-vocab-size-divisible-by", "8"]) == 0
    assert same_weights(tmp_path / "ours", tmp_path / "neox")
    with pytest.raises(SystemExit) as exit_info:
        hf_to_neox_main(["--tp", "2", "--pp", "2", "--model", str(models / "hf"), "--model_path", str(tmp_path / "x")])
    assert exit_info.value.code == 2 and not (tmp_path / "x").exists()


def test_raw_llama_with_neox_flags(models, tmp_path):
    assert raw_llama_to_neox_main(["--input-dir", str(models / "meta"), "--tp", "2", "--output", str(tmp_path / "ours"),
                                   "--make-vocab-size-divisible-by", "8"]) == 0
    assert raw_llama_to_neox_main(["--input_dir", str(models / "meta"), "--model_size", "7B", "--output_dir",
                                   str(tmp_path / "neox"), "--num_output_shards", "2",
                                   "--make-vocab-size-divisible-by", "8"]) == 0
    assert same_weights(tmp_path / "ours", tmp_path / "neox")


def test_neox_to_hf_with_neox_flags(models, tmp_path, tiny_tokenizer):
    from safetensors.torch import load_file

    assert hf_to_neox_main(["--hf-model", str(models / "hf"), "--tp", "2", "--output", str(tmp_path / "ckpt"),
                            "--make-vocab-size-divisible-by", "8"]) == 0
    assert neox_to_hf_main(["--input", str(tmp_path / "ckpt"), "--output", str(tmp_path / "ours"),
                            "--tokenizer", str(tiny_tokenizer), "--dtype", "fp32"]) == 0
    config = tmp_path / "run.yml"
    config.write_text(f"tokenizer_type: SPMTokenizer\nvocab_file: {tiny_tokenizer}\n")
    # NeoX names the tag directory itself and the run's config (whose vocab_file is the tokenizer)
    assert neox_to_hf_main(["--input_dir", str(tmp_path / "ckpt/global_step0"), "--config_file", str(config),
                            "--output_dir", str(tmp_path / "neox"), "--precision", "fp32", "--architecture", "llama"]) == 0
    ours, theirs = load_file(tmp_path / "ours/model.safetensors"), load_file(tmp_path / "neox/model.safetensors")
    assert ours.keys() == theirs.keys() and all(torch.equal(ours[k], theirs[k]) for k in ours)
    assert (tmp_path / "neox/tokenizer.model").read_bytes() == Path(tiny_tokenizer).read_bytes()
    config.write_text("tokenizer_type: SPMTokenizer\nvocab_file: /nowhere/tokenizer.model\n")
    assert neox_to_hf_main(["--input_dir", str(tmp_path / "ckpt"), "--config_file", str(config),
                            "--output_dir", str(tmp_path / "bad")]) == 2


@pytest.mark.parametrize("script", ["convert_hf_llama_to_neox.py", "convert_raw_llama_weights_to_neox.py",
                                    "convert_neox_to_hf.py", "convert_hf_to_neox.py"])
@pytest.mark.slow
def test_neox_named_scripts_print_help_without_megatron_core_warnings(script):
    completed = subprocess.run([sys.executable, str(REPO / "tools/ckpts" / script), "--help"],
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0 and completed.stdout.startswith(f"usage: {script}")
    assert "Transformer Engine" not in completed.stderr and completed.stderr == ""
