import math

import pytest
import torch

from megatron.learning_rates import LearningRateScheduler
from megatron.neox_arguments import derive_schedule


def make(decay_style="cosine", **kwargs):
    optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=0.0)
    params = dict(lr=1e-4, train_iters=1000, lr_decay_iters=1000, warmup=100, min_lr=None, decay_lr_to=0.033)
    params.update(kwargs)
    return LearningRateScheduler(optimizer, derive_schedule(**params), decay_style), optimizer


def test_warmup_then_cosine_to_floor():
    scheduler, optimizer = make()
    assert scheduler.lr_at(0) == 0.0
    assert scheduler.lr_at(50) == pytest.approx(5e-5)
    assert scheduler.lr_at(100) == pytest.approx(1e-4)
    middle = 3.3e-6 + (1e-4 - 3.3e-6) * 0.5 * (1 + math.cos(math.pi * 0.5))
    assert scheduler.lr_at(550) == pytest.approx(middle)
    assert scheduler.lr_at(1000) == pytest.approx(3.3e-6)
    assert scheduler.lr_at(5000) == pytest.approx(3.3e-6)
    for _ in range(50):
        scheduler.step()
    assert optimizer.param_groups[0]["lr"] == pytest.approx(5e-5)


def test_linear_and_constant():
    linear, _ = make("linear", warmup=0, decay_lr_to=None, min_lr=0.0)
    assert linear.lr_at(500) == pytest.approx(5e-5)
    constant, _ = make("constant", warmup=10)
    assert constant.lr_at(5) == pytest.approx(5e-5) and constant.lr_at(900) == 1e-4


def test_resume_restores_the_same_lr():
    scheduler, _ = make()
    for _ in range(321):
        scheduler.step()
    state = scheduler.state_dict()
    resumed, optimizer = make()
    resumed.load_state_dict(state)
    assert optimizer.param_groups[0]["lr"] == scheduler.current_lr
    scheduler.step(), resumed.step()
    assert resumed.current_lr == scheduler.current_lr
