"""The pieces of the mixture search that run without training (held-out perplexity is in
test_perplexity.py, the search end to end in tests/tools/test_mixture_search.py)."""
from __future__ import annotations

import pytest

from math_lm import mixture_search
from math_lm.mixture import MixtureSpecError
from math_lm.mixture_search import MixtureSearchError


# --------------------------------------------------------------------------- search pieces that need no training


def test_candidate_config_sets_weights_and_a_short_run():
    base = {
        "train_data_paths": ["a", "b", "c", "d"], "train_data_weights": [2, 4, 1, 0.5],
        "train_iters": 48000, "lr_decay_iters": 48000, "save": "/big/run", "save_interval": 500,
        "tensorboard_dir": "/big/tb", "seed": 1,
    }
    config = mixture_search.candidate_config(base, (4.0, 2.0, 2.0), 30, "/out/4-2-2")
    assert config["train_data_weights"] == [4.0, 2.0, 2.0, 0.5]
    assert (config["train_iters"], config["lr_decay_iters"], config["save_interval"]) == (30, 30, 30)
    assert (config["save"], config["tensorboard_dir"]) == ("/out/4-2-2", "/out/4-2-2/tensorboard")
    assert config["seed"] == 1 and base["train_data_weights"] == [2, 4, 1, 0.5]
    unweighted = mixture_search.candidate_config({"train_data_paths": ["a", "b", "c"]}, (2.0, 4.0, 1.0), 5, "/o")
    assert unweighted["train_data_weights"] == [2.0, 4.0, 1.0] and "lr_decay_iters" not in unweighted
    with pytest.raises(MixtureSearchError, match="no 'train_data_paths'"):
        mixture_search.candidate_config({"data_path": ["a"]}, (2.0, 4.0, 1.0), 5, "/o")
    with pytest.raises(MixtureSpecError, match="only 2 training sources"):
        mixture_search.candidate_config({"train_data_paths": ["a", "b"]}, (2.0, 4.0, 1.0), 5, "/o")


def test_candidate_directories_are_reused_only_for_the_same_finished_config(tmp_path):
    config_path, save_dir, done = mixture_search._prepare_candidate_dir(tmp_path, "2-4-1", "seed: 1\n", 10)
    assert (config_path.read_text(), done) == ("seed: 1\n", False)
    save_dir.mkdir()
    (save_dir / "latest").write_text("global_step10")
    assert mixture_search._prepare_candidate_dir(tmp_path, "2-4-1", "seed: 1\n", 10)[2] is True
    with pytest.raises(MixtureSearchError, match="different config or an unfinished checkpoint"):
        mixture_search._prepare_candidate_dir(tmp_path, "2-4-1", "seed: 2\n", 10)
    with pytest.raises(MixtureSearchError, match="different config or an unfinished checkpoint"):
        mixture_search._prepare_candidate_dir(tmp_path, "2-4-1", "seed: 1\n", 20)
