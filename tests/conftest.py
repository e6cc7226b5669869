import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# pytest.ini's `pythonpath = .` makes this checkout importable in the test process; the commands the
# tests start (python tools/..., train.py) get it through PYTHONPATH, so that they import this
# checkout even where another one is installed in the environment (`pip install -e .` does the
# same for users).
os.environ["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])

os.environ.setdefault("DS_ACCELERATOR", "cpu")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="module")
def world_of_one():
    """A one-process torch.distributed world with megatron-core's groups at tensor parallel 1."""
    import torch
    from megatron.core import parallel_state

    from megatron import parallel
    from tests.multirank import free_port

    torch.distributed.init_process_group(
        parallel.default_backend(), init_method=f"tcp://127.0.0.1:{free_port()}", rank=0, world_size=1
    )
    parallel_state.initialize_model_parallel(tensor_model_parallel_size=1)
    try:
        yield
    finally:
        parallel_state.destroy_model_parallel()
        torch.distributed.destroy_process_group()
