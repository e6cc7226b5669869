"""Safe checkpoint loading: a real DeepSpeed ZeRO-1 checkpoint loads weights-only; a planted pickle
payload runs in no path that reads a checkpoint (conversion, evaluation, launch, resume, roll back)."""
import fractions
import io
import shutil
import zipfile
from pathlib import Path

import pytest
import torch
import yaml

from megatron import checkpoint_reader
from megatron.checkpoint_reader import (
    CheckpointError, UnsafeCheckpointError, check_tag_is_safe, load_merged_state_dict, load_torch_file,
)
from megatron.checkpointing import write_manifest
from megatron.neox_arguments import ConfigError, load_neox_args
from megatron.preflight import check_before_launch
from tests.megatron.training_harness import run_training, tiny_config, write_corpus

MODEL_FILE = "mp_rank_00_model_states.pt"
OPTIMIZER_FILE = "zero_pp_rank_1_mp_rank_00_optim_states.pt"


class Payload:
    """Unpickling this writes `marker`: what an attacker's checkpoint would do, harmlessly."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return exec, (f"open({str(self.marker)!r}, 'w').write('payload ran')",)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def deepspeed_checkpoint(tmp_path_factory, corpus):
    """A checkpoint written by DeepSpeed's own save_checkpoint: 2 data-parallel ranks, ZeRO-1 shards."""
    tmp = tmp_path_factory.mktemp("dp2")
    run_training(tmp, "dp2", tiny_config(corpus, train_iters=2, save=str(tmp / "ckpt"), save_interval=2), world_size=2)
    return tmp / "ckpt"


def copy_checkpoint(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ckpt"
    shutil.copytree(source, target)
    return target


def plant(tag_dir: Path, file_name: str, key: str, value) -> None:
    """Add `value` under `key` to one file of the tag and recompute the manifest, as anyone can."""
    path = tag_dir / file_name
    state = load_torch_file(path, mmap=False)
    state[key] = value
    torch.save(state, path)
    write_manifest(tag_dir)


def config_file(tmp_path: Path, config: dict) -> Path:
    path = tmp_path / "run.yml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.mark.slow
@pytest.mark.multirank
def test_every_file_deepspeed_writes_loads_weights_only(deepspeed_checkpoint):
    tag_dir = deepspeed_checkpoint / "global_step2"
    files = sorted(tag_dir.glob("*.pt"))
    assert [f.name for f in files] == [MODEL_FILE, "zero_pp_rank_0_mp_rank_00_optim_states.pt", OPTIMIZER_FILE]
    check_tag_is_safe(tag_dir)
    model = load_torch_file(files[0])
    assert model["dp_world_size"] == 2 and model["neox"]["iteration"] == 2
    optimizer = load_torch_file(files[2])["optimizer_state_dict"]
    assert optimizer["partition_count"] == [2, 2]
    assert set(optimizer["base_optimizer_state"]["state"][0]) == {"step", "exp_avg", "exp_avg_sq"}


@pytest.mark.slow
@pytest.mark.multirank
def test_a_file_written_under_numpy_1_still_loads(deepspeed_checkpoint, tmp_path):
    """numpy 1.x pickled arrays (the saved numpy random state) as numpy.core.multiarray._reconstruct."""
    path = tmp_path / MODEL_FILE
    with zipfile.ZipFile(deepspeed_checkpoint / "global_step2" / MODEL_FILE) as source, \
            zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("data.pkl"):
                assert b"numpy._core.multiarray\n" in data  # protocol 2 GLOBAL: newline-terminated names
                data = data.replace(b"numpy._core.multiarray\n", b"numpy.core.multiarray\n")
            target.writestr(info, data)
    assert "numpy.core.multiarray._reconstruct" in str(torch.serialization.get_unsafe_globals_in_checkpoint(path))
    assert load_torch_file(path)["neox"]["rng"]["numpy"][0] == "MT19937"


@pytest.mark.slow
@pytest.mark.multirank
@pytest.mark.parametrize("file_name", [MODEL_FILE, OPTIMIZER_FILE])
def test_a_planted_payload_is_refused_by_every_reader_and_never_runs(deepspeed_checkpoint, tmp_path, corpus,
                                                                    file_name, capsys):
    import deepy
    from math_lm.convert.cli import neox_to_hf_main

    marker = tmp_path / "marker"
    save = copy_checkpoint(deepspeed_checkpoint, tmp_path)
    plant(save / "global_step2", file_name, "payload", Payload(marker))
    bad_file = save / "global_step2" / file_name

    with pytest.raises(UnsafeCheckpointError, match=rf"{bad_file} refused: it needs builtins.exec.*"
                                                    r"trust_checkpoint_code: true"):
        check_tag_is_safe(save / "global_step2")
    with pytest.raises(UnsafeCheckpointError, match="builtins.exec"):
        load_torch_file(bad_file)
    if file_name == MODEL_FILE:  # evaluation and conversion read only the model files
        with pytest.raises(UnsafeCheckpointError, match=str(bad_file)):
            load_merged_state_dict(save)
        assert neox_to_hf_main(["--input", str(save), "--output", str(tmp_path / "hf")]) != 0
        assert "builtins.exec" in capsys.readouterr().err and not (tmp_path / "hf").exists()
    for mode in ({}, {"finetune": True}):  # a resume and a finetune, refused by deepy.py before any rank
        config = config_file(tmp_path, tiny_config(corpus, load=str(save), save=str(tmp_path / "next"), **mode))
        with pytest.raises(ConfigError, match=rf"run.yml:\d+: 'load': {bad_file} refused: it needs builtins.exec"):
            check_before_launch(load_neox_args([config], world_size=2))
        assert deepy.main(["train.py", str(config)]) == 2
        assert "builtins.exec" in capsys.readouterr().err
    assert not marker.exists()
    with pytest.warns(UserWarning, match="trust_checkpoint_code"):
        load_torch_file(bad_file, trust_checkpoint_code=True)  # the control: the payload is live
    assert marker.read_text() == "payload ran"


@pytest.mark.slow
@pytest.mark.multirank
def test_a_trusted_unusual_file_loads_with_the_opt_in(deepspeed_checkpoint, tmp_path, corpus):
    save = copy_checkpoint(deepspeed_checkpoint, tmp_path)
    plant(save / "global_step2", MODEL_FILE, "note", fractions.Fraction(1, 3))
    with pytest.raises(UnsafeCheckpointError, match="fractions.Fraction"):
        load_merged_state_dict(save)
    config = tiny_config(corpus, load=str(save), save=str(tmp_path / "next"))
    with pytest.raises(ConfigError, match="fractions.Fraction"):
        check_before_launch(load_neox_args([config_file(tmp_path, config)], world_size=2))
    check_before_launch(load_neox_args([config_file(tmp_path, {**config, "trust_checkpoint_code": True})],
                                       world_size=2))
    with pytest.warns(UserWarning, match="trust_checkpoint_code"):
        _, trusted = load_merged_state_dict(save, trust_checkpoint_code=True)
    _, original = load_merged_state_dict(deepspeed_checkpoint)
    assert all(torch.equal(trusted[name], original[name]) for name in original)


def test_a_damaged_pickle_names_the_file(tmp_path):
    path = tmp_path / "broken.pt"
    buffer = io.BytesIO()
    torch.save({"a": torch.zeros(2)}, buffer)
    path.write_bytes(buffer.getvalue()[:-200])
    with pytest.raises(CheckpointError, match=str(path)):
        load_torch_file(path)


@pytest.mark.slow
def test_a_roll_back_onto_a_planted_optimizer_shard_is_refused_inside_the_rank(tmp_path, corpus):
    """Ranks read through DeepSpeed's loader, which gets our weights-only engine: the NaN guard's roll
    back (the same load as a resume) meets a payload in a ZeRO shard, refuses it and never runs it."""
    marker = tmp_path / "marker"
    save = tmp_path / "ckpt"
    run_training(tmp_path, "first", tiny_config(corpus, train_iters=2, save=str(save), save_interval=2))
    plant(save / "global_step2", "zero_pp_rank_0_mp_rank_00_optim_states.pt", "payload", Payload(marker))
    guarded = tiny_config(corpus, train_iters=4, save=str(save), save_interval=100, plugins=["math_lm.nan_guard"],
                          nan_guard={"inject_nan_grad_at": [1, 2], "max_bad_steps": 2, "window": 4})
    with pytest.raises(AssertionError, match=r"UnsafeCheckpointError: .*zero_pp_rank_0_mp_rank_00_optim_states.pt "
                                             r"refused: it needs builtins.exec"):
        run_training(tmp_path, "guarded", guarded)
    assert not marker.exists()
    assert checkpoint_reader.read_latest_tag(save) == "global_step2"
