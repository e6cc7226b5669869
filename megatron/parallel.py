"""Process groups for data parallel x tensor parallel training.

The groups themselves live in megatron-core's `parallel_state`; this module starts
torch.distributed (through DeepSpeed, so its communication layer is ready too),
builds the tensor-parallel groups, and gives DeepSpeed the `mpu` object it wants.
"""
from __future__ import annotations

import datetime
import importlib
import os
import socket

import torch


def on_gpu() -> bool:
    return torch.cuda.is_available()


def default_backend() -> str:
    return "nccl" if on_gpu() else "gloo"


def prepare_deepspeed_for_cpu() -> None:
    """Select DeepSpeed's CPU accelerator and skip its JIT-compiled shared-memory op (~80 s to build)."""
    if on_gpu():
        return
    os.environ.setdefault("DS_ACCELERATOR", "cpu")
    importlib.import_module("deepspeed.comm.torch").build_shm_op = lambda: None


def initialize_distributed(tensor_parallel_size: int = 1, timeout_minutes: int = 30) -> None:
    """Join the process group described by the launcher's environment and build TP/DP groups.

    Without launcher variables (a plain `python train.py`), runs as a world of one.
    """
    os.environ.setdefault("RANK", "0")
    os.environ.setdefault("LOCAL_RANK", "0")
    os.environ.setdefault("WORLD_SIZE", "1")
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    if "MASTER_PORT" not in os.environ:
        with socket.socket() as probe:  # a world of one needs no agreed port: any free one (not 29500 for all)
            probe.bind(("127.0.0.1", 0))
            os.environ["MASTER_PORT"] = str(probe.getsockname()[1])
    world_size = int(os.environ["WORLD_SIZE"])
    if world_size % tensor_parallel_size:
        raise ValueError(
            f"model_parallel_size={tensor_parallel_size} does not divide the world size {world_size}"
        )
    prepare_deepspeed_for_cpu()
    if on_gpu():
        torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))

    import deepspeed
    from megatron.core import parallel_state

    if not torch.distributed.is_initialized():
        deepspeed.init_distributed(
            dist_backend=default_backend(),
            timeout=datetime.timedelta(minutes=timeout_minutes),
            auto_mpi_discovery=False,
        )
    if not parallel_state.model_parallel_is_initialized():
        parallel_state.initialize_model_parallel(
            tensor_model_parallel_size=tensor_parallel_size,
            create_gloo_process_groups=False,
        )


def seed_everything(seed: int) -> None:
    """Seed torch's generators; on GPU also megatron-core's tensor-parallel RNG tracker."""
    import random

    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if on_gpu():
        from megatron.core.tensor_parallel import model_parallel_cuda_manual_seed

        model_parallel_cuda_manual_seed(seed)


def destroy_distributed() -> None:
    from megatron.core import parallel_state

    if parallel_state.model_parallel_is_initialized():
        parallel_state.destroy_model_parallel()
    if torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


def tensor_parallel_rank() -> int:
    from megatron.core import parallel_state

    return parallel_state.get_tensor_model_parallel_rank()


def tensor_parallel_size() -> int:
    from megatron.core import parallel_state

    return parallel_state.get_tensor_model_parallel_world_size()


def data_parallel_rank() -> int:
    from megatron.core import parallel_state

    return parallel_state.get_data_parallel_rank()


def data_parallel_size() -> int:
    from megatron.core import parallel_state

    return parallel_state.get_data_parallel_world_size()


class DeepSpeedMpu:
    """The `mpu` interface DeepSpeed's engine asks for, answered by megatron-core's parallel_state."""

    def __init__(self):
        from megatron.core import parallel_state

        self._ps = parallel_state

    def get_model_parallel_rank(self) -> int:
        return self._ps.get_tensor_model_parallel_rank()

    def get_model_parallel_world_size(self) -> int:
        return self._ps.get_tensor_model_parallel_world_size()

    def get_model_parallel_group(self):
        return self._ps.get_tensor_model_parallel_group()

    def get_data_parallel_rank(self) -> int:
        return self._ps.get_data_parallel_rank()

    def get_data_parallel_world_size(self) -> int:
        return self._ps.get_data_parallel_world_size()

    def get_data_parallel_group(self):
        return self._ps.get_data_parallel_group()

    # DeepSpeed also probes these names for pipeline/tensor awareness.
    get_tensor_model_parallel_rank = get_model_parallel_rank
    get_tensor_model_parallel_world_size = get_model_parallel_world_size
    get_tensor_model_parallel_group = get_model_parallel_group

    def get_pipeline_model_parallel_rank(self) -> int:
        return 0

    def get_pipeline_model_parallel_world_size(self) -> int:
        return 1
