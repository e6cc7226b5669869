"""Resuming a checkpoint at another data-parallel or tensor-parallel size, with no conversion step:
every logged loss after the resume matches the uninterrupted run (fp32, CPU, gloo ranks).

The vocabulary is Code Llama's 32016 ids, padded to 32128 at TP 1 and 32256 at TP 2, so a
tensor-parallel change also re-pads the embedding and output layer."""
import shutil

import pytest
import torch
import yaml

from megatron.checkpoint_reader import OPTIMIZER_KEYS, CheckpointReader, ZeroOptimizerState, load_merged_state_dict
from megatron.neox_arguments import ConfigError, load_neox_args
from megatron.preflight import check_before_launch
from tests.megatron.training_harness import run_training, tiny_config, write_code_llama_tokenizer, write_corpus

pytestmark = [pytest.mark.slow, pytest.mark.multirank]

TRAIN_ITERS = 4
SAVED_AT = 2


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("corpus")
    return write_corpus(directory), str(write_code_llama_tokenizer(directory))


def elastic_config(corpus, **overrides) -> dict:
    """The global batch is stated (4 sequences); gradient accumulation follows from the rank count."""
    prefix, tokenizer = corpus
    config = tiny_config(prefix, **{"train_iters": TRAIN_ITERS, "train_batch_size": 4, "eval_interval": SAVED_AT,
                                   "vocab_file": tokenizer, **overrides})
    del config["gradient_accumulation_steps"]
    return config


def straight_run(tmp_path_factory, corpus, world_size: int, tensor_parallel: int) -> tuple[dict, object]:
    """An uninterrupted run that also saves at SAVED_AT (saving does not change the run)."""
    tmp = tmp_path_factory.mktemp(f"straight-w{world_size}-tp{tensor_parallel}")
    save = tmp / "ckpt"
    result = run_training(tmp, "straight", elastic_config(corpus, save=str(save), save_interval=SAVED_AT,
                                                         model_parallel_size=tensor_parallel), world_size)
    return result, save


@pytest.fixture(scope="module")
def dp1(tmp_path_factory, corpus):
    return straight_run(tmp_path_factory, corpus, world_size=1, tensor_parallel=1)


@pytest.fixture(scope="module")
def dp2(tmp_path_factory, corpus):
    return straight_run(tmp_path_factory, corpus, world_size=2, tensor_parallel=1)


@pytest.fixture(scope="module")
def tp2(tmp_path_factory, corpus):
    return straight_run(tmp_path_factory, corpus, world_size=2, tensor_parallel=2)


def resume(tmp_path, corpus, saved, world_size: int, tensor_parallel: int) -> dict:
    """Resume the straight run's SAVED_AT checkpoint with the same config at another topology."""
    load = tmp_path / "ckpt"
    shutil.copytree(saved / f"global_step{SAVED_AT}", load / f"global_step{SAVED_AT}")
    (load / "latest").write_text(f"global_step{SAVED_AT}")
    return run_training(tmp_path, "resumed", elastic_config(corpus, load=str(load), save=str(load),
                                                           model_parallel_size=tensor_parallel), world_size)


def assert_same_losses(resumed: dict, straight: dict, rel: float) -> None:
    assert sorted(resumed["losses"], key=int) == [str(i) for i in range(SAVED_AT + 1, TRAIN_ITERS + 1)]
    for iteration, loss in resumed["losses"].items():
        assert loss == pytest.approx(straight["losses"][iteration], rel=rel), iteration
    for iteration, loss in resumed["valid_losses"].items():
        assert loss == pytest.approx(straight["valid_losses"][iteration], rel=rel), iteration


def test_data_parallel_2_to_1(tmp_path, corpus, dp2):
    straight, saved = dp2
    assert_same_losses(resume(tmp_path, corpus, saved, world_size=1, tensor_parallel=1), straight, rel=1e-5)


def test_data_parallel_1_to_2(tmp_path, corpus, dp1):
    straight, saved = dp1
    assert_same_losses(resume(tmp_path, corpus, saved, world_size=2, tensor_parallel=1), straight, rel=1e-5)


def test_tensor_parallel_1_to_2(tmp_path, corpus, dp1):
    straight, saved = dp1
    assert_same_losses(resume(tmp_path, corpus, saved, world_size=2, tensor_parallel=2), straight, rel=1e-4)


def test_tensor_parallel_2_to_1(tmp_path, corpus, tp2):
    straight, saved = tp2
    assert_same_losses(resume(tmp_path, corpus, saved, world_size=1, tensor_parallel=1), straight, rel=1e-4)


def test_resharding_moves_every_optimizer_value_exactly(tmp_path, corpus, dp1):
    """TP 1 x DP 1 -> TP 2 x DP 1 with no step taken: the re-saved checkpoint holds bitwise the
    same full fp32 master weights, Adam moments and step (the padded vocabulary rows added at TP 2
    are zeros)."""
    _, saved = dp1
    assert_resaved_exactly(tmp_path, corpus, saved)


def test_a_bf16_checkpoint_reshards_exactly(tmp_path_factory, tmp_path, corpus):
    """bf16 with fp32 accumulation (LLEMMA's setting), where ZeRO-1 runs DeepSpeed's BF16 optimizer
    and writes bf16_zero_pp_rank_* shards."""
    bf16 = {"bf16": {"enabled": True}, "fp32_allreduce": True}
    tmp = tmp_path_factory.mktemp("bf16")
    run_training(tmp, "bf16", elastic_config(corpus, train_iters=SAVED_AT, save=str(tmp / "ckpt"), **bf16), 1)
    assert (tmp / "ckpt" / f"global_step{SAVED_AT}" / "bf16_zero_pp_rank_0_mp_rank_00_optim_states.pt").is_file()
    assert_resaved_exactly(tmp_path, corpus, tmp / "ckpt", **bf16)


def assert_resaved_exactly(tmp_path, corpus, saved, **settings) -> None:
    load = tmp_path / "ckpt"
    shutil.copytree(saved / f"global_step{SAVED_AT}", load / f"global_step{SAVED_AT}")
    (load / "latest").write_text(f"global_step{SAVED_AT}")
    (load / f"global_step{SAVED_AT}" / "manifest.json").unlink()  # re-saved under the same tag
    resaved = run_training(tmp_path, "resaved", elastic_config(corpus, train_iters=SAVED_AT, load=str(load),
                                                               save=str(load), model_parallel_size=2, **settings), 2)
    assert resaved["saved_tags"] == [f"global_step{SAVED_AT}"] and not resaved["losses"]
    before = ZeroOptimizerState(CheckpointReader.open(saved, f"global_step{SAVED_AT}"))
    after = ZeroOptimizerState(CheckpointReader.open(load))
    assert (after.reader.tensor_parallel_size, after.data_parallel_size) == (2, 1) and after.step == before.step
    for name in before.layouts:
        for key in OPTIMIZER_KEYS:
            old, new = before.tensor(name, key), after.tensor(name, key)  # vocabulary: 32128 -> 32256 rows
            assert torch.equal(new[: old.shape[0]], old) and not new[old.shape[0]:].any(), (name, key)


def test_finetune_loads_weights_at_another_tensor_parallel_size(tmp_path, corpus, tp2):
    """Weights only (fresh optimizer, iteration 0), from a TP 2 checkpoint into TP 1; lr 0 keeps them."""
    _, saved = tp2
    zero_lr = {"type": "Adam", "params": {"lr": 0.0, "betas": [0.9, 0.95], "eps": 1.0e-8}}
    run_training(tmp_path, "finetuned", elastic_config(corpus, train_iters=1, warmup=1, load=str(saved), finetune=True,
                                                       optimizer=zero_lr, save=str(tmp_path / "out")), 1)
    assert (tmp_path / "out" / "latest").read_text() == "global_step1"
    _, before = load_merged_state_dict(saved)
    _, after = load_merged_state_dict(tmp_path / "out")
    assert all(torch.equal(after[name], before[name][: after[name].shape[0]]) for name in before)
    assert after["embed_out.weight"].shape[0] == 32128 and before["embed_out.weight"].shape[0] == 32256


def test_a_resume_that_would_change_the_global_batch_is_refused_before_launch(tmp_path, corpus, dp2):
    _, saved = dp2
    config = elastic_config(corpus, load=str(saved), save=str(tmp_path / "next"))
    del config["train_batch_size"]
    config["gradient_accumulation_steps"] = 1
    path = tmp_path / "run.yml"
    path.write_text(yaml.safe_dump(config))
    with pytest.raises(ConfigError, match=r"run.yml:\d+: 'load': .*data parallel 2 with a global batch of 4 sequences; "
                                          r"this run .* would use 2 = micro batch 2 x accumulation 1 x data parallel 1.*"
                                          r"set train_batch_size: 4 .*'gradient_accumulation_steps' \(.*run.yml:\d+\)"):
        check_before_launch(load_neox_args([path], world_size=1))
    path.write_text(yaml.safe_dump(elastic_config(corpus, load=str(saved), save=str(tmp_path / "next"))))
    check_before_launch(load_neox_args([path], world_size=1))
    with pytest.raises(ConfigError, match=r"train_batch_size=4 is not divisible by train_micro_batch_size_per_gpu=2 "
                                          r"x data parallel size 3 \(train_batch_size at .*run.yml:\d+"):
        load_neox_args([path], world_size=3)
