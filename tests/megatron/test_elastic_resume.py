"""Resuming a checkpoint at another data-parallel or tensor-parallel size, with no conversion step:
every logged loss after the resume matches the uninterrupted run (fp32, CPU, gloo ranks)."""
import shutil

import pytest

from tests.megatron.training_harness import run_training, tiny_config, write_corpus

pytestmark = [pytest.mark.slow, pytest.mark.multirank]

TRAIN_ITERS = 4
SAVED_AT = 2


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def elastic_config(corpus, **overrides) -> dict:
    """The global batch is stated (4 sequences); gradient accumulation follows from the rank count."""
    config = tiny_config(corpus, train_iters=TRAIN_ITERS, train_batch_size=4, eval_interval=SAVED_AT, **overrides)
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
