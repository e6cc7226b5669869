"""The train loop end to end on tiny models: parallel layouts agree, resume is exact."""
import math

import pytest
import torch

from tests.megatron.training_harness import final_weights, run_training, tiny_config, write_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.mark.slow
def test_loss_falls_and_checkpoints_are_written(tmp_path, corpus):
    result = run_training(tmp_path, "run", tiny_config(corpus, train_iters=12, save=str(tmp_path / "ckpt"),
                                                       save_interval=6, eval_interval=6, log_interval=4,
                                                       tensorboard_dir=str(tmp_path / "tb")))
    losses = [result["losses"][str(i)] for i in range(1, 13)]
    assert losses[-1] < losses[0] - 1.0
    assert result["saved_tags"] == ["global_step6", "global_step12"]
    assert (tmp_path / "ckpt" / "latest").read_text() == "global_step12"
    assert (tmp_path / "ckpt" / "global_step12" / "configs" / "run.yml").is_file()
    assert set(result["valid_losses"]) == {"6", "12"}
    assert (tmp_path / "ckpt" / "metrics.jsonl").read_text().count('"kind": "train"') == 3
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(tmp_path / "tb"))
    events.Reload()
    assert [e.step for e in events.Scalars("train/lm_loss")] == [4, 8, 12]  # GPT-NeoX's tags
    assert events.Scalars("train/lm_loss")[-1].value == pytest.approx(
        sum(result["losses"][str(i)] for i in range(9, 13)) / 4, rel=1e-5)
    tags = set(events.Tags()["scalars"])
    assert {"train/learning_rate", "train/grad_norm", "runtime/tokens_per_sec", "runtime/flops_per_sec_per_gpu",
            "validation/lm_loss", "validation/lm_loss_ppl"} <= tags
    assert not {"train/loss", "valid/loss", "train/iteration"} & tags
    assert [e.step for e in events.Scalars("validation/lm_loss")] == [6, 12]


@pytest.mark.slow
def test_resume_reproduces_the_uninterrupted_losses(tmp_path, corpus):
    straight = run_training(tmp_path, "straight", tiny_config(corpus, train_iters=8))
    first = run_training(tmp_path, "first", tiny_config(corpus, train_iters=8, save=str(tmp_path / "ckpt"),
                                                        save_interval=4))
    assert first["losses"] == straight["losses"]
    # Resume from global_step4 by pointing `latest` at it, as an interrupted run would have left it.
    (tmp_path / "ckpt" / "latest").write_text("global_step4")
    resumed = run_training(tmp_path, "resumed", tiny_config(corpus, train_iters=8, load=str(tmp_path / "ckpt")))
    assert sorted(resumed["losses"], key=int) == ["5", "6", "7", "8"]
    for iteration in range(5, 9):
        assert resumed["losses"][str(iteration)] == straight["losses"][str(iteration)]


@pytest.mark.multirank
def test_tensor_parallel_2_matches_tensor_parallel_1(tmp_path, corpus):
    one = run_training(tmp_path, "tp1", tiny_config(corpus, save=str(tmp_path / "tp1")))
    two = run_training(tmp_path, "tp2", tiny_config(corpus, model_parallel_size=2, save=str(tmp_path / "tp2")),
                       world_size=2)
    # Same initial weights and data: the first steps agree to float precision; later ones drift only
    # by reduction order, which Adam (lr 2e-3, so each step moves a weight up to ~2e-3) amplifies a little.
    assert two["losses"]["1"] == pytest.approx(one["losses"]["1"], abs=1e-6)
    for iteration in range(2, 7):
        assert two["losses"][str(iteration)] == pytest.approx(one["losses"][str(iteration)], rel=1e-4)
    weights_one, weights_two = final_weights(tmp_path / "tp1"), final_weights(tmp_path / "tp2")
    for name, tensor in weights_one.items():
        torch.testing.assert_close(weights_two[name], tensor, atol=1e-3, rtol=0, msg=name)


@pytest.mark.multirank
def test_data_parallel_2_zero1_matches_doubled_accumulation(tmp_path, corpus):
    accumulate = run_training(tmp_path, "dp1", tiny_config(corpus, gradient_accumulation_steps=2,
                                                           save=str(tmp_path / "dp1")))
    data_parallel = run_training(tmp_path, "dp2", tiny_config(corpus, save=str(tmp_path / "dp2")), world_size=2)
    for iteration in range(1, 7):
        assert data_parallel["losses"][str(iteration)] == pytest.approx(accumulate["losses"][str(iteration)], abs=1e-5)
    weights_one, weights_two = final_weights(tmp_path / "dp1"), final_weights(tmp_path / "dp2")
    for name, tensor in weights_one.items():
        torch.testing.assert_close(weights_two[name], tensor, atol=1e-5, rtol=1e-4, msg=name)


@pytest.mark.slow
def test_blended_runs_log_tokens_and_validation_loss_per_source(tmp_path, corpus):
    import json

    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    second = write_corpus(tmp_path / "second", documents=120) if (tmp_path / "second").mkdir() is None else None
    save = tmp_path / "ckpt"
    config = tiny_config(corpus, data_path=None, train_data_paths=[corpus, second], train_data_weights=[3, 1],
                         valid_data_paths=[corpus, second], train_iters=4, log_interval=2, eval_interval=2,
                         eval_iters=2, save=str(save), tensorboard_dir=str(tmp_path / "tb"))
    result = run_training(tmp_path, "blend", config)
    records = [json.loads(line) for line in (save / "metrics.jsonl").read_text().splitlines()]
    per_source = [r for r in records if r["kind"] == "tokens_per_source"]
    assert [r["iteration"] for r in per_source] == [2, 4]
    last = per_source[-1]
    names = ["corpus#0", "corpus#1"]  # both prefixes end in corpus_text_document
    assert last[f"{names[0]}/tokens"] + last[f"{names[1]}/tokens"] == 4 * 2 * 32
    assert (last[f"{names[0]}/weight"], last[f"{names[1]}/weight"]) == (0.75, 0.25)
    assert last[f"{names[0]}/fraction"] == pytest.approx(0.75, abs=0.13)  # 8 samples: within one sample
    valid = [r for r in records if r["kind"] == "valid"]
    assert [r["iteration"] for r in valid] == [2, 4]
    for record in valid:
        assert record["loss"] == pytest.approx(result["valid_losses"][str(record["iteration"])])
        per_source_losses = [record[f"loss/{name}"] for name in names]
        assert min(per_source_losses) <= record["loss"] <= max(per_source_losses)
        assert record[f"perplexity/{names[1]}"] == pytest.approx(math.exp(record[f"loss/{names[1]}"]))
    events = EventAccumulator(str(tmp_path / "tb"))
    events.Reload()
    assert [e.step for e in events.Scalars(f"validation/{names[0]}/lm_loss")] == [2, 4]
    assert f"validation/{names[1]}/lm_loss_ppl" in events.Tags()["scalars"]


@pytest.mark.slow
def test_torch_compile_trains_like_eager(tmp_path, corpus):
    eager = run_training(tmp_path, "eager", tiny_config(corpus, train_iters=3))
    compiled = run_training(tmp_path, "compiled", tiny_config(corpus, train_iters=3, torch_compile=True))
    for iteration in ("1", "2", "3"):
        assert compiled["losses"][iteration] == pytest.approx(eager["losses"][iteration], rel=1e-5)
