"""Test-only fault points: a process kills, terminates or hangs itself at a named point of training
(or of a checkpoint conversion).

Chaos tests and drills set one fault in the environment of the ranks (it reaches them through
any launcher) and so interrupt a run at a deterministic place, never after a sleep:

    NEOX_TEST_FAULT=<action>@<point>[:<iteration>][/rank<r>]

    action     kill (SIGKILL itself), term (SIGTERM itself), hang (block the calling thread forever)
    point      one of POINTS
    iteration  fire only at this iteration (the one the step completes, as logged); unset: the first time
    rank       fire only on this global rank; unset: on every rank that reaches the point

e.g. `kill@save_renamed:4/rank0`, `hang@train_step:3/rank1`. Unset (normal runs), `fault_point`
is one dictionary look-up.
"""
from __future__ import annotations

import os
import re
import signal
import threading
from dataclasses import dataclass
from typing import Optional

FAULT_ENV = "NEOX_TEST_FAULT"
POINTS = {
    "train_step": "in a training step, after its micro-batches are read and before the forward pass",
    "data": "reading a training micro-batch",
    "eval": "in an evaluation, after its first batch",
    "save_files_written": "in a save, every file written to the staging directory, before its rename",
    "save_renamed": "in a save (rank 0), the tag directory renamed into place, before `latest` is written",
    "preprocess_chunk_written": "in preprocessing, a chunk of documents added to the staged outputs",
    "convert_shard_written": "in a conversion to NeoX, a TP rank's model file written to staging (iteration: the TP rank)",
}
ACTIONS = ("kill", "term", "hang")
_SYNTAX = re.compile(r"(?P<action>\w+)@(?P<point>\w+)(?::(?P<iteration>\d+))?(?:/rank(?P<rank>\d+))?")


@dataclass(frozen=True)
class Fault:
    action: str
    point: str
    iteration: Optional[int]
    rank: Optional[int]


def parse_fault(text: str) -> Fault:
    match = _SYNTAX.fullmatch(text.strip())
    if not match or match["action"] not in ACTIONS or match["point"] not in POINTS:
        raise ValueError(f"{FAULT_ENV}={text!r}: expected <action>@<point>[:<iteration>][/rank<r>] with action in "
                         f"{ACTIONS} and point in {sorted(POINTS)}")
    number = lambda name: int(match[name]) if match[name] is not None else None  # noqa: E731
    return Fault(match["action"], match["point"], number("iteration"), number("rank"))


def _rank() -> int:
    import torch

    if torch.distributed.is_available() and torch.distributed.is_initialized():
        return torch.distributed.get_rank()
    return int(os.environ.get("RANK", "0"))


def fault_point(point: str, iteration: Optional[int] = None) -> None:
    """Fire the configured fault if it names this point (and iteration and rank)."""
    text = os.environ.get(FAULT_ENV)
    if not text:
        return
    fault = parse_fault(text)
    if fault.point != point or (fault.iteration is not None and fault.iteration != iteration):
        return
    if fault.rank is not None and fault.rank != _rank():
        return
    print(f"fault injection: {fault.action} at {point} (iteration {iteration}, rank {_rank()})", flush=True)
    if fault.action == "hang":
        threading.Event().wait()
    os.kill(os.getpid(), signal.SIGKILL if fault.action == "kill" else signal.SIGTERM)
    threading.Event().wait(60)  # SIGTERM may be handled: give the handler the main thread
