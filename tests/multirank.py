"""Run a test function on several CPU ranks (gloo), the way the launcher would start them."""
from __future__ import annotations

import os
import socket
import traceback

import torch.multiprocessing as mp


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rank_main(rank, world_size, port, fn, args, errors):
    os.environ.update(
        RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(world_size),
        MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), DS_ACCELERATOR="cpu",
        OMP_NUM_THREADS="1",
    )
    try:
        fn(rank, world_size, *args)
    except BaseException:
        errors.put((rank, traceback.format_exc()))
        raise


def run_on_ranks(fn, world_size: int, *args) -> None:
    """Run `fn(rank, world_size, *args)` in `world_size` fresh processes; re-raise any rank's failure.

    `fn` must be importable (a module-level function in a test module).
    """
    ctx = mp.get_context("spawn")
    errors = ctx.SimpleQueue()
    port = free_port()
    procs = [
        ctx.Process(target=_rank_main, args=(rank, world_size, port, fn, args, errors))
        for rank in range(world_size)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=600)
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    for proc in procs:
        if proc.is_alive():
            proc.kill()
            failures.append((-1, "rank timed out"))
        elif proc.exitcode and not failures:
            failures.append((-1, f"a rank exited with {proc.exitcode}"))
    if failures:
        rank, text = failures[0]
        raise AssertionError(f"rank {rank} failed:\n{text}")
