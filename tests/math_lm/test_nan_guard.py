"""The NaN guard and crash-safe training, end to end on the tiny model (CPU, one rank)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from megatron.checkpointing import write_manifest
import yaml

from tests.megatron.training_harness import REPO, final_weights, run_training, tiny_config, write_corpus

GUARDED = {"plugins": ["math_lm.nan_guard"], "log_interval": 1}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def events(save_dir: Path, kind: str) -> list[dict]:
    lines = (save_dir / "metrics.jsonl").read_text().splitlines()
    return [record for record in map(json.loads, lines) if record["kind"] == kind]


def train_cli(tmp_path: Path, name: str, config: dict) -> subprocess.CompletedProcess:
    """`python train.py config.yml`, the real single-process entry point."""
    path = tmp_path / f"{name}.yml"
    path.write_text(yaml.safe_dump(config))
    env = {**os.environ, "DS_ACCELERATOR": "cpu", "MASTER_PORT": str(29500 + os.getpid() % 1000)}
    return subprocess.run([sys.executable, str(REPO / "train.py"), str(path)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


def train_losses(save_dir: Path) -> dict[int, float]:
    return {record["iteration"]: record["loss"] for record in events(save_dir, "train")}


def test_one_nan_step_is_skipped_and_training_continues(tmp_path, corpus):
    save = tmp_path / "ckpt"
    config = tiny_config(corpus, **GUARDED, save=str(save), nan_guard={"inject_nan_loss_at": [3]})
    result = run_training(tmp_path, "one", config)
    assert result["skipped_steps"] == 1
    assert result["losses"]["3"] != result["losses"]["3"]  # NaN
    assert all(result["losses"][str(i)] == result["losses"][str(i)] for i in (1, 2, 4, 5, 6))
    bad = [e for e in events(save, "nan_guard") if e["event"] == "bad_step"]
    assert [e["step"] for e in bad] == [3] and bad[0]["applied"] is False
    assert all(torch.isfinite(t).all() for t in final_weights(save).values())


def test_a_burst_rolls_back_skips_the_data_window_and_finishes(tmp_path, corpus):
    save = tmp_path / "ckpt"
    config = tiny_config(corpus, **GUARDED, train_iters=9, save=str(save), save_interval=3, extra_train_samples=8,
                         nan_guard={"inject_nan_grad_at": [5, 6], "max_bad_steps": 2, "window": 4,
                                    "lr_factor_after_rollback": 0.5, "lr_factor_iterations": 2})
    result = run_training(tmp_path, "burst", config)
    assert sorted(result["losses"], key=int)[-1] == "9"
    rollbacks = events(save, "rollback")
    assert len(rollbacks) == 1
    assert rollbacks[0]["failed_at"] == 6 and rollbacks[0]["iteration"] == 3
    batch = 2  # global batch of the tiny config on one rank
    assert rollbacks[0]["data_position"] == 6 * batch  # the window 4..6 is skipped, not replayed
    assert (save / "latest").read_text() == "global_step9"
    lr_at_4 = [record["lr"] for record in events(save, "train") if record["iteration"] == 4]
    assert len(lr_at_4) == 2 and lr_at_4[1] == pytest.approx(0.5 * lr_at_4[0])  # before / after the roll back
    assert all(torch.isfinite(t).all() for t in final_weights(save).values())


def test_repeated_failures_stop_with_a_report_and_nonzero_exit(tmp_path, corpus):
    save = tmp_path / "ckpt"
    config = tiny_config(corpus, **GUARDED, train_iters=20, save=str(save), save_interval=2, extra_train_samples=40,
                         nan_guard={"inject_nan_loss_at": list(range(3, 21)), "max_bad_steps": 2, "window": 5,
                                    "max_rollbacks": 1})
    process = train_cli(tmp_path, "stop", config)
    assert process.returncode == 3, process.stderr[-2000:]
    assert "the NaN guard gave up" in process.stderr
    assert "tried: roll back from step 4 to 2" in process.stderr
    report = json.loads((save / "nan_guard_report.json").read_text())
    assert len(report["rollbacks"]) == 1 and report["bad_steps"][0]["step"] == 3


def test_kill_mid_save_then_resume_reproduces_the_straight_run(tmp_path, corpus):
    straight = run_training(tmp_path, "straight", tiny_config(corpus, train_iters=8))
    save = tmp_path / "ckpt"
    drill = tiny_config(corpus, **GUARDED, train_iters=8, save=str(save), save_interval=3,
                        nan_guard={"kill_during_save_at": 6})
    first = train_cli(tmp_path, "drill", drill)
    assert first.returncode == -9, first.stderr[-2000:]
    assert (save / "latest").read_text() == "global_step3"
    assert (save / ".staging-global_step6").is_dir() and not (save / "global_step6").exists()

    second = train_cli(tmp_path, "resume", {**drill, "load": str(save)})
    assert second.returncode == 0, second.stderr[-2000:]
    losses = train_losses(save)
    for iteration in range(4, 9):
        assert losses[iteration] == straight["losses"][str(iteration)]
    assert (save / "latest").read_text() == "global_step8"


def test_checkpoint_validation_catches_corrupted_weights(tmp_path, corpus):
    save = tmp_path / "ckpt"
    config = tiny_config(corpus, train_iters=4, save=str(save), checkpoint_validation=True)
    assert train_cli(tmp_path, "first", config).returncode == 0
    resumed = train_cli(tmp_path, "resume", {**tiny_config(corpus, train_iters=6, save=str(save)),
                                             "checkpoint_validation": True, "load": str(save)})
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    model_file = save / "global_step6" / "mp_rank_00_model_states.pt"
    state = torch.load(model_file, map_location="cpu", weights_only=False)
    state["module"]["final_layernorm.weight"].mul_(3.0)
    torch.save(state, model_file)
    write_manifest(model_file.parent)  # wrong weights written consistently: only validation can tell
    broken = train_cli(tmp_path, "broken", {**tiny_config(corpus, train_iters=8), "load": str(save)})
    assert broken.returncode != 0
    assert "fails validation" in broken.stderr
