"""Training runs that meet damaged checkpoints, a full disk and a checkpoint whose metadata disagrees."""
import json
import os
import subprocess
import uuid

import pytest

from megatron import checkpointing
from tests.megatron.training_harness import run_training, tiny_config, write_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.mark.slow
def test_a_truncated_newest_checkpoint_resumes_from_the_one_before(tmp_path, corpus):
    save = tmp_path / "ckpt"
    first = run_training(tmp_path, "first", tiny_config(corpus, train_iters=6, exit_interval=4, save=str(save),
                                                        save_interval=2))
    assert first["saved_tags"] == ["global_step2", "global_step4"]
    newest = save / "global_step4" / "mp_rank_00_model_states.pt"
    newest.write_bytes(newest.read_bytes()[: newest.stat().st_size // 2])
    (save / "latest").write_bytes(os.urandom(64) + b"\xff")
    resumed = run_training(tmp_path, "resumed", tiny_config(corpus, train_iters=6, load=str(save), save=str(save),
                                                            save_interval=100))
    assert sorted(resumed["losses"], key=int) == ["3", "4", "5", "6"]
    assert resumed["losses"]["3"] == pytest.approx(first["losses"]["3"], abs=1e-6)
    assert (save / "latest").read_text() == "global_step6"


@pytest.fixture
def small_disk(tmp_path):
    """A 96 MiB tmpfs (room for one tiny-model checkpoint of ~50 MiB, not two); skipped where mounting is refused."""
    mount_point = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.mark.slow
def test_a_full_disk_says_so_and_keeps_the_previous_checkpoint(tmp_path, corpus, small_disk):
    save = small_disk / "ckpt"
    config = tiny_config(corpus, train_iters=4, save=str(save), save_interval=2)
    with pytest.raises(AssertionError) as failure:
        run_training(tmp_path, "full", config)
    message = str(failure.value)
    assert "no space left on device" in message and str(save) in message
    assert "basic_ios" not in message.splitlines()[-1]
    left = {path.name for path in save.iterdir()}
    assert {"global_step2", "latest"} <= left and not [name for name in left if name.startswith(".")], left
    assert (save / "latest").read_text() == "global_step2"
    assert checkpointing.verify_tag(save / "global_step2") is None
    # A relaunch that only has room because the stale staging of a killed save is cleared first.
    import shutil

    checkpoint_bytes = sum(path.stat().st_size for path in (save / "global_step2").rglob("*") if path.is_file())
    shutil.rmtree(save / "global_step2")
    (save / "latest").unlink()
    stale = save / ".staging-global_step9"
    (stale / "configs").mkdir(parents=True)
    (stale / "filler").write_bytes(b"\0" * (shutil.disk_usage(save).free - checkpoint_bytes // 2))
    finished = run_training(tmp_path, "again", tiny_config(corpus, train_iters=2, save=str(save), save_interval=2))
    assert finished["saved_tags"] == ["global_step2"] and not stale.exists()
    events = [json.loads(line) for line in (save / "metrics.jsonl").read_text().splitlines()]
    assert {"kind": "checkpoint", "iteration": 0, "removed": str(stale)} in events


@pytest.mark.slow
def test_a_checkpoint_with_another_rope_base_stops_before_the_first_step(tmp_path, corpus):
    from math_lm.convert.hf_to_neox import convert_hf_to_neox
    from tests.math_lm.convert.conftest import Shape, write_hf_llama
    from tests.megatron.training_harness import TOKENIZER

    code_llama = Shape(layers=2, hidden=64, heads=4, kv_heads=2, ffn=96, vocab=32000, theta=1e6, max_positions=32)
    write_hf_llama(tmp_path / "hf", code_llama, tokenizer=TOKENIZER)
    convert_hf_to_neox(tmp_path / "hf", tmp_path / "converted", 1)
    config = tiny_config(corpus, train_iters=2, load=str(tmp_path / "converted"), finetune=True)
    with pytest.raises(AssertionError) as failure:
        run_training(tmp_path, "mismatch", config)
    message = str(failure.value)
    assert "rotary_emb_base: checkpoint 1000000.0" in message and "this run 10000.0" in message
    assert "converted/global_step0/model_config.json" in message and "mismatch.yml" in message
    overridden = run_training(tmp_path, "override", {**config, "override_checkpoint_model_config": ["rotary_emb_base"]})
    assert sorted(overridden["losses"], key=int) == ["1", "2"]
    values = json.loads((tmp_path / "converted/global_step0/model_config.json").read_text())
    assert values["rotary_emb_base"] == 1e6


@pytest.mark.slow
def test_the_first_launch_with_load_equal_to_save_starts_from_scratch_and_says_so(tmp_path, corpus, capfd):
    save = tmp_path / "ckpt"
    config = tiny_config(corpus, train_iters=2, save=str(save), load=str(save), save_interval=2)
    first = run_training(tmp_path, "first", config)
    assert sorted(first["losses"], key=int) == ["1", "2"] and first["saved_tags"] == ["global_step2"]
    said = [line for line in capfd.readouterr().out.splitlines() if "starting from scratch" in line]
    assert said == [f"{save} holds no checkpoint yet: starting from scratch"]
    events = [json.loads(line) for line in (save / "metrics.jsonl").read_text().splitlines()]
    assert {"kind": "checkpoint", "iteration": 0, "fresh_start": str(save)} in events
    again = run_training(tmp_path, "again", {**config, "train_iters": 3})
    assert sorted(again["losses"], key=int) == ["3"]

