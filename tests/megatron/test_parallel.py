import pytest
import torch

from tests.multirank import run_on_ranks


def _check_groups(rank, world_size, tp):
    from megatron import parallel

    parallel.initialize_distributed(tensor_parallel_size=tp)
    mpu = parallel.DeepSpeedMpu()
    assert mpu.get_model_parallel_world_size() == tp
    assert mpu.get_data_parallel_world_size() == world_size // tp
    assert mpu.get_model_parallel_rank() == rank % tp
    value = torch.tensor([float(rank)])
    torch.distributed.all_reduce(value, group=mpu.get_model_parallel_group())
    first = rank - rank % tp
    assert value.item() == sum(range(first, first + tp))
    parallel.destroy_distributed()


@pytest.mark.multirank
def test_tensor_and_data_parallel_groups():
    run_on_ranks(_check_groups, 2, 2)


def test_world_size_must_be_divisible_by_tp(monkeypatch):
    from megatron import parallel

    monkeypatch.setenv("WORLD_SIZE", "3")
    with pytest.raises(ValueError, match="model_parallel_size=2"):
        parallel.initialize_distributed(tensor_parallel_size=2)
