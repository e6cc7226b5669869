import json
import warnings

import pytest
import torch

from megatron import checkpointing


def fake_tag(save_dir, iteration, tp=1, complete=True, manifest=True):
    """A tag directory laid out as a save leaves it: model config, torch files, manifest last."""
    tag_dir = save_dir / f"global_step{iteration}"
    tag_dir.mkdir(parents=True)
    (tag_dir / "model_config.json").write_text(json.dumps({"tensor_parallel_size": tp}))
    for rank in range(tp if complete else tp - 1):
        torch.save({"module": {"w": torch.arange(1000.0) + iteration}}, tag_dir / f"mp_rank_{rank:02d}_model_states.pt")
    if manifest:
        checkpointing.write_manifest(tag_dir)
    return tag_dir


def test_latest_naming_an_incomplete_tag_falls_back_with_a_warning(tmp_path):
    fake_tag(tmp_path, 10, tp=2)
    fake_tag(tmp_path, 20, tp=2, complete=False)
    (tmp_path / ".staging-global_step30").mkdir()
    (tmp_path / "latest").write_text("global_step20")
    with pytest.warns(UserWarning, match="global_step20 is incomplete.*loading .*global_step10"):
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
    with pytest.raises(checkpointing.CheckpointError, match=r"hidden_size: checkpoint 64 \(.*global_step1/model_config.json\), this run 128"):
        checkpointing.check_model_config(tag_dir, {"hidden_size": 128, "tensor_parallel_size": 1})


def test_multi_head_written_as_none_or_as_the_head_count_is_the_same_model(tmp_path):
    tag_dir = fake_tag(tmp_path, 1)
    (tag_dir / "model_config.json").write_text(json.dumps(
        {"num_attention_heads": 4, "num_kv_heads": None, "tensor_parallel_size": 1}))
    checkpointing.check_model_config(tag_dir, {"num_attention_heads": 4, "num_kv_heads": 4, "tensor_parallel_size": 1})


def _truncate(path, keep=0.5):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


@pytest.mark.parametrize("manifest", [True, False], ids=["manifest", "no-manifest"])
def test_a_truncated_newest_model_file_is_skipped_with_a_warning_naming_it(tmp_path, manifest):
    fake_tag(tmp_path, 10, tp=2, manifest=manifest)
    newest = fake_tag(tmp_path, 20, tp=2, manifest=manifest)
    (tmp_path / "latest").write_text("global_step20")
    _truncate(newest / "mp_rank_01_model_states.pt")
    with pytest.warns(UserWarning, match=r"global_step20/mp_rank_01_model_states\.pt .*loading .*global_step10"):
        assert checkpointing.resolve_tag(tmp_path) == "global_step10"


def test_a_corrupt_byte_of_the_same_size_fails_the_checksum(tmp_path):
    fake_tag(tmp_path, 10)
    newest = fake_tag(tmp_path, 20)
    path = newest / "mp_rank_00_model_states.pt"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.warns(UserWarning, match="mp_rank_00_model_states.pt fails its CRC-32 check"):
        assert checkpointing.resolve_tag(tmp_path) == "global_step10"
    assert checkpointing.resolve_tag(tmp_path, checksums=False) == "global_step20"


@pytest.mark.parametrize("latest, reason", [
    (bytes(range(128, 256)), "latest cannot be read"), (b"global_step99", "global_step99 does not exist"),
    (b"../elsewhere", "latest does not hold a checkpoint tag"),
], ids=["random-bytes", "missing-tag", "not-a-tag"])
def test_an_unreadable_latest_falls_back_to_the_newest_loadable_tag(tmp_path, latest, reason):
    fake_tag(tmp_path, 10)
    fake_tag(tmp_path, 30)
    (tmp_path / "latest").write_bytes(latest)
    with pytest.warns(UserWarning, match=f"{reason}.*loading .*global_step30"):
        assert checkpointing.resolve_tag(tmp_path) == "global_step30"


def test_a_missing_file_of_the_manifest_is_named(tmp_path):
    fake_tag(tmp_path, 10)
    newest = fake_tag(tmp_path, 20)
    manifest = json.loads((newest / "manifest.json").read_text())
    manifest["files"]["zero_pp_rank_0_mp_rank_00_optim_states.pt"] = {"bytes": 10, "crc32": 0}
    (newest / "manifest.json").write_text(json.dumps(manifest))
    with pytest.warns(UserWarning, match="zero_pp_rank_0_mp_rank_00_optim_states.pt is missing"):
        assert checkpointing.resolve_tag(tmp_path) == "global_step10"


def test_no_loadable_tag_is_an_error_listing_what_was_tried(tmp_path):
    for iteration in (10, 20):
        _truncate(fake_tag(tmp_path, iteration) / "mp_rank_00_model_states.pt")
    (tmp_path / "latest").write_bytes(b"\xff\xfe")
    with pytest.raises(checkpointing.CheckpointError) as error:
        checkpointing.resolve_tag(tmp_path)
    message = str(error.value)
    assert "no loadable checkpoint" in message and f"{tmp_path}/latest cannot be read" in message
    assert "global_step20/mp_rank_00_model_states.pt" in message and "global_step10/mp_rank_00" in message


def test_stale_staging_directories_are_removed(tmp_path):
    fake_tag(tmp_path, 10)
    (tmp_path / ".staging-global_step20" / "configs").mkdir(parents=True)
    (tmp_path / ".replaced-global_step10").mkdir()
    removed = checkpointing.remove_stale_staging(tmp_path)
    assert [path.name for path in removed] == [".replaced-global_step10", ".staging-global_step20"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["global_step10"]


def _function_config(**changes):
    config = {"num_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "num_kv_heads": 2,
              "intermediate_size": 96, "vocab_size": 32256, "unpadded_vocab_size": 32016,
              "rotary_emb_base": 1e6, "norm_eps": 1e-5, "seq_length": 32, "tensor_parallel_size": 2}
    return {**config, **changes}


@pytest.mark.parametrize("field, run_value", [
    ("rotary_emb_base", 10000.0), ("norm_eps", 1e-6), ("num_kv_heads", 4), ("intermediate_size", 128),
    ("unpadded_vocab_size", 32000), ("num_layers", 3),
])
def test_every_field_that_changes_the_function_must_match(tmp_path, field, run_value):
    tag_dir = fake_tag(tmp_path, 1)
    (tag_dir / "model_config.json").write_text(json.dumps(_function_config()))
    sources = {field: "run.yml:7"}
    with pytest.raises(checkpointing.CheckpointError) as error:
        checkpointing.check_model_config(tag_dir, _function_config(**{field: run_value}), run_sources=sources)
    saved = _function_config()[field]
    assert f"{field}: checkpoint {saved!r} ({tag_dir}/model_config.json), this run {run_value!r} (run.yml:7)" in str(error.value)


def test_only_the_padding_of_the_vocabulary_and_the_tensor_parallel_size_may_differ(tmp_path):
    """Loading reshards and re-pads (the padding grows with the TP size); the real vocabulary must agree."""
    tag_dir = fake_tag(tmp_path, 1)
    (tag_dir / "model_config.json").write_text(json.dumps(_function_config()))
    assert checkpointing.check_model_config(tag_dir, _function_config(vocab_size=32128, tensor_parallel_size=1)) == []
    (tag_dir / "model_config.json").write_text(json.dumps(_function_config(unpadded_vocab_size=None)))
    with pytest.raises(checkpointing.CheckpointError, match="vocab_size: checkpoint 32256"):
        checkpointing.check_model_config(tag_dir, _function_config(vocab_size=32128, unpadded_vocab_size=None))


def test_a_declared_override_is_allowed_and_reported(tmp_path):
    tag_dir = fake_tag(tmp_path, 1)
    (tag_dir / "model_config.json").write_text(json.dumps(_function_config()))
    run = _function_config(rotary_emb_base=10000.0)
    with pytest.raises(checkpointing.CheckpointError, match="list the field in override_checkpoint_model_config"):
        checkpointing.check_model_config(tag_dir, run)
    changes = checkpointing.check_model_config(tag_dir, run, overrides=["rotary_emb_base"])
    assert len(changes) == 1 and "rotary_emb_base: checkpoint 1000000.0" in changes[0] and "this run 10000.0" in changes[0]
    assert checkpointing.check_model_config(tag_dir, _function_config(), overrides=["rotary_emb_base"]) == []
    with pytest.raises(checkpointing.CheckpointError, match="num_layers"):
        checkpointing.check_model_config(tag_dir, _function_config(num_layers=3), overrides=["rotary_emb_base"])


def test_a_checkpoint_written_before_the_numerics_were_recorded_holds_the_defaults(tmp_path):
    tag_dir = fake_tag(tmp_path, 1)
    old = {key: value for key, value in _function_config(rotary_emb_base=10000.0, unpadded_vocab_size=None).items()
           if key not in ("rotary_emb_base", "unpadded_vocab_size", "norm_eps")}
    (tag_dir / "model_config.json").write_text(json.dumps(old))
    checkpointing.check_model_config(tag_dir, _function_config(rotary_emb_base=10000.0, unpadded_vocab_size=32256))
