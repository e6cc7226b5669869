"""tools/ckpts end to end: Meta -> NeoX and HF -> NeoX (TP 2) agree, NeoX -> HF gives the original
weights back with a tokenizer, and errors exit with status 2 and a message instead of a traceback."""
from __future__ import annotations

import os
import subprocess

import pytest
import sys
from pathlib import Path

import torch

from tests.math_lm.convert.conftest import GQA, LLAMA_TOKENIZER, random_hf_llama, tiny_tokenizer, write_meta_checkpoint  # noqa: F401 (fixture)

REPO = Path(__file__).resolve().parents[2]


def run_tool(name: str, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(REPO / "tools/ckpts" / name), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=REPO,
                          env={"HF_HUB_OFFLINE": "1", "DS_ACCELERATOR": "cpu", "PATH": "/usr/bin:/bin",
                               "PYTHONPATH": os.environ.get("PYTHONPATH", "")})


@pytest.mark.slow
def test_convert_tools_round_trip_and_errors(tmp_path, tiny_tokenizer):
    from safetensors.torch import load_file

    hf_model = random_hf_llama(GQA, seed=9)
    hf_model.save_pretrained(tmp_path / "hf")
    write_meta_checkpoint(hf_model, tmp_path / "meta", 2)

    result = run_tool("convert_raw_llama_to_neox.py", "--input-dir", str(tmp_path / "meta"), "--tp", "2",
                      "--output", str(tmp_path / "neox"), "--make-vocab-size-divisible-by", "8")
    assert result.returncode == 0, result.stderr
    assert "written to" in result.stdout and "peak RSS" in result.stdout and "tensor" in result.stderr

    result = run_tool("convert_hf_to_neox.py", "--hf-model", str(tmp_path / "hf"), "--tp", "2",
                      "--output", str(tmp_path / "neox"))
    assert result.returncode == 2 and "already exists; pass --overwrite" in result.stderr
    assert "Traceback" not in result.stderr

    result = run_tool("convert_neox_to_hf.py", "--input", str(tmp_path / "neox"), "--output", str(tmp_path / "back"),
                      "--tokenizer", str(LLAMA_TOKENIZER))
    assert result.returncode == 2 and "32000 pieces, more than the model's 99" in result.stderr
    assert not (tmp_path / "back").exists()

    meta_state = torch.load(tmp_path / "neox/global_step0/mp_rank_01_model_states.pt", weights_only=False)["module"]
    result = run_tool("convert_hf_to_neox.py", "--hf-model", str(tmp_path / "hf"), "--tp", "2", "--output",
                      str(tmp_path / "neox"), "--make-vocab-size-divisible-by", "8", "--overwrite")
    assert result.returncode == 0, result.stderr
    hf_state = torch.load(tmp_path / "neox/global_step0/mp_rank_01_model_states.pt", weights_only=False)["module"]
    assert all(torch.equal(meta_state[name], hf_state[name]) for name in hf_state)

    result = run_tool("convert_neox_to_hf.py", "--input", str(tmp_path / "neox"), "--output", str(tmp_path / "back"),
                      "--tokenizer", str(tiny_tokenizer), "--dtype", "fp32")
    assert result.returncode == 0, result.stderr
    back = load_file(tmp_path / "back/model.safetensors")
    original = hf_model.state_dict()
    assert back.keys() == original.keys() and all(torch.equal(back[name], original[name]) for name in original)
    assert {"config.json", "generation_config.json", "tokenizer.json", "tokenizer.model"} <= {
        path.name for path in (tmp_path / "back").iterdir()}


@pytest.mark.slow
def test_sigterm_stops_a_conversion_and_leaves_no_staging_directory(tmp_path):
    import os
    import signal

    from megatron.fault_injection import FAULT_ENV
    from tests.math_lm.convert.conftest import Shape, write_hf_llama

    shape = Shape(layers=2, hidden=64, heads=4, kv_heads=4, ffn=128, vocab=32000, max_positions=64)
    write_hf_llama(tmp_path / "hf", shape)
    command = [sys.executable, str(REPO / "tools/ckpts/convert_hf_to_neox.py"), "--hf-model", str(tmp_path / "hf"),
               "--tp", "4", "--output", str(tmp_path / "neox")]
    # The conversion SIGTERMs itself once the first of its four model files is staged: a fixed point, not a race.
    environment = {**os.environ, FAULT_ENV: "term@convert_shard_written:0"}
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=environment, timeout=600)
    assert "fault injection: term at convert_shard_written" in completed.stdout + completed.stderr
    assert completed.returncode == 128 + signal.SIGTERM, completed.stderr
    assert "Traceback" not in completed.stderr and "convert_hf_to_neox.py: stopped by SIGTERM" in completed.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["hf"]


@pytest.mark.slow
def test_staging_of_a_killed_conversion_is_removed_by_the_next(tmp_path):
    from math_lm.convert.common import output_directory

    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / f".neox.{dead.pid}.tmp-x1y2" / "global_step0").mkdir(parents=True)
    with output_directory(tmp_path / "neox", overwrite=False) as staging:
        (staging / "done").write_text("")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["neox"]
