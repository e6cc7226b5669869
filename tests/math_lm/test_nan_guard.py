"""The NaN guard: its decisions from synthetic step reports (milliseconds), then the guard and
crash-safe training end to end on the tiny model (CPU, one rank; marked slow)."""
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import pytest
import torch

from megatron.checkpointing import write_manifest
import yaml

from math_lm.nan_guard import NanGuard, NanGuardConfig
from megatron.neox_arguments.loading import SectionValueError
from megatron.plugins import StepDecision, StepReport
from tests.megatron.training_harness import REPO, final_weights, run_training, tiny_config, write_corpus

# ------------------------------------------------------------------ decisions from synthetic reports

BATCH = 4


class RecordingView:
    """A TrainerView that remembers what the guard did to it (the real trainer needs a DeepSpeed run)."""

    def __init__(self, save_dir: Optional[str] = None, rank: int = 0):
        self.iteration = 0
        self.rank = rank
        self.save_dir = save_dir
        self.events: list[tuple[str, int, dict[str, Any]]] = []
        self.lr_scalings: list[tuple[float, int]] = []

    @property
    def metrics(self):
        return self

    def record(self, kind, iteration, values, console=None):
        self.events.append((kind, iteration, values))

    def scale_learning_rate(self, factor, iterations):
        self.lr_scalings.append((factor, iterations))


def report(iteration: int, loss: float = 2.0, grad_norm: Optional[float] = 1.0, applied: bool = True) -> StepReport:
    return StepReport(iteration=iteration, loss=loss, grad_norm=grad_norm, step_applied=applied, lr=1e-3,
                      consumed_samples=(iteration + 1) * BATCH, global_batch_size=BATCH)


def run_steps(guard: NanGuard, view: RecordingView, reports: list[StepReport]) -> list:
    results = []
    for step_report in reports:
        view.iteration = step_report.iteration
        results.append(guard.on_step(view, step_report))
        view.iteration = step_report.iteration + 1
    return results


def test_finite_steps_continue_and_record_nothing():
    guard, view = NanGuard(NanGuardConfig()), RecordingView()
    results = run_steps(guard, view, [report(i) for i in range(10)])
    assert {r.decision for r in results} == {StepDecision.CONTINUE} and view.events == []


@pytest.mark.parametrize("bad", [dict(loss=math.nan), dict(loss=math.inf), dict(grad_norm=math.inf),
                                 dict(applied=False)])
def test_each_kind_of_bad_step_counts_and_the_kth_in_the_window_rolls_back(bad):
    guard, view = NanGuard(NanGuardConfig(max_bad_steps=2, window=5)), RecordingView()
    first, second = run_steps(guard, view, [report(3, **bad), report(5, **bad)])
    assert first.decision == StepDecision.CONTINUE
    assert second.decision == StepDecision.ROLLBACK and "2 bad steps within 5 iterations" in second.reason
    assert second.resume_data_at == 6 * BATCH  # after the failing batch: the bad window is skipped
    assert [values["step"] for kind, _, values in view.events if kind == "nan_guard"] == [4, 6]


def test_bad_steps_outside_the_window_do_not_add_up():
    guard, view = NanGuard(NanGuardConfig(max_bad_steps=2, window=3)), RecordingView()
    results = run_steps(guard, view, [report(0, loss=math.nan), report(3, loss=math.nan), report(6, loss=math.nan)])
    assert [r.decision for r in results] == [StepDecision.CONTINUE] * 3
    assert [values["bad_in_window"] for _, _, values in view.events] == [1, 1, 1]


def test_after_a_roll_back_the_lr_is_scaled_and_the_attempt_remembered():
    config = NanGuardConfig(max_bad_steps=1, lr_factor_after_rollback=0.5, lr_factor_iterations=7)
    guard, view = NanGuard(config), RecordingView()
    (result,) = run_steps(guard, view, [report(9, loss=math.nan)])
    view.iteration = 6  # the checkpoint rolled back to
    result.after_rollback(view)
    assert view.lr_scalings == [(0.5, 7)]
    assert guard.rollbacks == [{"failed_at": 10, "bad_steps": [10], "resume_data_at": 10 * BATCH, "lr_factor": 0.5,
                                "lr_factor_iterations": 7, "rolled_back_to": 6}]


def test_without_data_skipping_the_data_resumes_where_the_checkpoint_was():
    guard, view = NanGuard(NanGuardConfig(max_bad_steps=1, skip_data_on_rollback=False)), RecordingView()
    (result,) = run_steps(guard, view, [report(2, loss=math.nan)])
    assert result.decision == StepDecision.ROLLBACK and result.resume_data_at is None


def test_one_roll_back_too_many_stops_with_a_report(tmp_path):
    guard, view = NanGuard(NanGuardConfig(max_bad_steps=1, max_rollbacks=1)), RecordingView(str(tmp_path))
    (first,) = run_steps(guard, view, [report(4, loss=math.nan)])
    view.iteration = 2
    first.after_rollback(view)
    (second,) = run_steps(guard, view, [report(4, grad_norm=math.inf)])
    assert second.decision == StepDecision.STOP
    assert "gave up at step 5 after 1 roll back(s)" in second.reason
    assert "tried: roll back from step 5 to 2" in second.reason
    saved = json.loads((tmp_path / "nan_guard_report.json").read_text())
    assert [event["reason"] for event in saved["bad_steps"]] == ["non-finite loss", "non-finite gradient norm"]


def test_only_rank_zero_writes_the_stop_report(tmp_path):
    guard, view = NanGuard(NanGuardConfig(max_bad_steps=1, max_rollbacks=0)), RecordingView(str(tmp_path), rank=1)
    (result,) = run_steps(guard, view, [report(0, loss=math.nan)])
    assert result.decision == StepDecision.STOP and not (tmp_path / "nan_guard_report.json").exists()


def test_a_loss_spike_counts_once_the_running_mean_is_full():
    guard, view = NanGuard(NanGuardConfig(loss_spike_factor=2.0, loss_spike_history=3, max_bad_steps=1)), RecordingView()
    early_spike = run_steps(guard, view, [report(0, loss=1.0), report(1, loss=9.0)])
    assert [r.decision for r in early_spike] == [StepDecision.CONTINUE] * 2  # history not full yet
    results = run_steps(guard, view, [report(2, loss=1.0), report(3, loss=100.0)])
    assert results[-1].decision == StepDecision.ROLLBACK
    assert view.events[-1][2]["reason"].startswith("loss spike (100.0000 > 2.0 x running mean")


def test_state_round_trip_gives_the_same_decisions():
    config = NanGuardConfig(max_bad_steps=3, window=10)
    first, view = NanGuard(config), RecordingView()
    run_steps(first, view, [report(1, loss=math.nan), report(2, loss=math.nan)])
    second = NanGuard(config)
    second.load_state_dict(json.loads(json.dumps(first.state_dict())))
    assert run_steps(second, view, [report(3, loss=math.nan)])[0].decision == StepDecision.ROLLBACK
    assert run_steps(NanGuard(config), view, [report(3, loss=math.nan)])[0].decision == StepDecision.CONTINUE


def test_a_disabled_guard_neither_decides_nor_injects():
    guard, view = NanGuard(NanGuardConfig(enabled=False, max_bad_steps=1, inject_nan_loss_at=[1])), RecordingView()
    assert run_steps(guard, view, [report(0, loss=math.nan)])[0].decision == StepDecision.CONTINUE
    view.iteration = 0
    assert torch.isfinite(guard.on_loss(view, torch.tensor(1.0)))


def test_injected_faults_fire_once_per_step_even_across_micro_batches():
    guard, view = NanGuard(NanGuardConfig(inject_nan_loss_at=[2], inject_nan_grad_at=[3])), RecordingView()
    view.iteration = 1
    assert torch.isnan(guard.on_loss(view, torch.tensor(1.0)))  # step 2, micro-batch 1
    assert torch.isnan(guard.on_loss(view, torch.tensor(1.0)))  # step 2, micro-batch 2: same step
    guard.on_step(view, report(1, loss=math.nan))
    assert torch.isfinite(guard.on_loss(view, torch.tensor(1.0)))  # step 2 again after a roll back: fired already
    view.iteration = 2
    weight = torch.tensor(1.0, requires_grad=True)
    loss = guard.on_loss(view, weight * 2.0)
    assert torch.isfinite(loss)
    loss.backward()
    assert torch.isnan(weight.grad)


@pytest.mark.parametrize(("key", "value", "message"), [("window", 0, "at least 1"), ("max_rollbacks", -1, ">= 0"),
                                                       ("loss_spike_factor", 1.0, "above 1")])
def test_bad_settings_name_the_key(key, value, message):
    with pytest.raises(SectionValueError, match=message) as error:
        NanGuardConfig(**{key: value})
    assert error.value.key == key


# ------------------------------------------------------------------ end to end (training runs)

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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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
