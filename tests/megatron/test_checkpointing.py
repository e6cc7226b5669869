import json
import warnings

import pytest

from megatron import checkpointing


def fake_tag(save_dir, iteration, tp=1, complete=True):
    tag_dir = save_dir / f"global_step{iteration}"
    tag_dir.mkdir(parents=True)
    (tag_dir / "model_config.json").write_text(json.dumps({"tensor_parallel_size": tp}))
    for rank in range(tp if complete else tp - 1):
        (tag_dir / f"mp_rank_{rank:02d}_model_states.pt").write_bytes(b"x")
    return tag_dir


def test_latest_naming_an_incomplete_tag_falls_back_with_a_warning(tmp_path):
    fake_tag(tmp_path, 10, tp=2)
    fake_tag(tmp_path, 20, tp=2, complete=False)
    (tmp_path / ".staging-global_step30").mkdir()
    (tmp_path / "latest").write_text("global_step20")
    with pytest.warns(UserWarning, match="global_step20.*missing or incomplete.*'global_step10'"):
        assert checkpointing.resolve_tag(tmp_path) == "global_step10"
    assert checkpointing.complete_tags(tmp_path) == ["global_step10"]


def test_latest_is_used_when_complete(tmp_path):
    fake_tag(tmp_path, 10)
    fake_tag(tmp_path, 20)
    (tmp_path / "latest").write_text("global_step10")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert checkpointing.resolve_tag(tmp_path) == "global_step10"
    assert checkpointing.resolve_tag(tmp_path / "nothing") is None


def test_pruning_keeps_the_newest_and_never_the_latest(tmp_path):
    for iteration in (5, 10, 15, 20):
        fake_tag(tmp_path, iteration)
    fake_tag(tmp_path, 25, complete=False)
    (tmp_path / "latest").write_text("global_step5")
    removed = checkpointing.prune_checkpoints(tmp_path, keep_last_n=1)
    assert removed == ["global_step10", "global_step15"]
    assert checkpointing.complete_tags(tmp_path) == ["global_step5", "global_step20"]


def test_model_shape_mismatch_names_the_field(tmp_path):
    tag_dir = fake_tag(tmp_path, 1)
    (tag_dir / "model_config.json").write_text(json.dumps({"hidden_size": 64, "tensor_parallel_size": 1}))
    with pytest.raises(checkpointing.CheckpointError, match="hidden_size: checkpoint 64, this run 128"):
        checkpointing.check_model_config(tag_dir, {"hidden_size": 128, "tensor_parallel_size": 1})


def test_multi_head_written_as_none_or_as_the_head_count_is_the_same_model(tmp_path):
    tag_dir = fake_tag(tmp_path, 1)
    (tag_dir / "model_config.json").write_text(json.dumps(
        {"num_attention_heads": 4, "num_kv_heads": None, "tensor_parallel_size": 1}))
    checkpointing.check_model_config(tag_dir, {"num_attention_heads": 4, "num_kv_heads": 4, "tensor_parallel_size": 1})
