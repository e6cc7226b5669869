"""Chaos: a run killed at every dangerous moment, and resumed each time, ends with the weights of a
run that was never interrupted, bit for bit (2 gloo ranks, ZeRO-1 over data parallel).

Each interruption is a fault point (`megatron.fault_injection`) at which a rank kills itself:
deterministic, never a sleep. The interruptions follow each other in one save directory, so every
resume also meets what the previous kill left (a staging directory, a renamed tag that `latest`
does not name yet)."""
import pytest
import torch

from megatron.fault_injection import FAULT_ENV
from tests.megatron.training_harness import final_weights, run_training, tiny_config, write_corpus

INTERRUPTIONS = [
    # (fault, what the save directory's `latest` names afterwards)
    ("kill@train_step:3", "global_step2"),           # mid-step: micro-batches read, before forward
    ("kill@save_files_written:4", "global_step2"),   # mid-save: files staged, before the rename
    ("kill@save_renamed:4/rank0", "global_step2"),   # the tag renamed into place, `latest` not yet written
    ("kill@eval:4", "global_step2"),                 # during evaluation
    ("kill@data:5", "global_step4"),                 # reading the next training batch
    ("term@train_step:6", "global_step4"),           # SIGTERM (a scheduler's stop) mid-step
]


@pytest.mark.slow
@pytest.mark.multirank
def test_killed_at_every_moment_and_resumed_ends_bitwise_equal(tmp_path, monkeypatch, capfd):
    corpus = write_corpus(tmp_path, documents=200)
    common = dict(train_iters=6, save_interval=2, eval_interval=2, eval_iters=1, hang_timeout_min_s=60.0)
    run_training(tmp_path, "straight", tiny_config(corpus, save=str(tmp_path / "straight"), **common), world_size=2)
    save = tmp_path / "chaos"
    config = tiny_config(corpus, save=str(save), **common)
    for number, (fault, latest) in enumerate(INTERRUPTIONS):
        monkeypatch.setenv(FAULT_ENV, fault)
        capfd.readouterr()
        with pytest.raises(AssertionError, match="rank"):
            run_training(tmp_path, f"interrupted{number}", config if number == 0 else {**config, "load": str(save)},
                         world_size=2)
        action, point = fault.split("@")[0], fault.split("@")[1].split(":")[0]
        assert f"fault injection: {action} at {point}" in capfd.readouterr().out, fault
        assert (save / "latest").read_text() == latest, fault
    monkeypatch.delenv(FAULT_ENV)
    resumed = run_training(tmp_path, "resumed", {**config, "load": str(save)}, world_size=2)
    assert sorted(resumed["losses"], key=int) == ["5", "6"]
    straight, chaos = final_weights(tmp_path / "straight"), final_weights(save)
    assert straight.keys() == chaos.keys()
    for name, tensor in straight.items():
        assert torch.equal(chaos[name], tensor), name
