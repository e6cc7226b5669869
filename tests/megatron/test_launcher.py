import subprocess
import sys

import pytest

from megatron.launcher import active_resources, decode_config, deepspeed_runner_argv, encode_config, load_for_launch, world_size_of
from megatron.neox_arguments import ConfigError
from megatron.neox_arguments.sections import LauncherArgs
from tests.megatron.training_harness import REPO

MINIMAL = "num_layers: 2\nhidden_size: 64\nnum_attention_heads: 4\ntrain_micro_batch_size_per_gpu: 2\n"


def test_hostfile_nodes_and_gpus_give_the_world_size(tmp_path):
    hostfile = tmp_path / "hostfile"
    hostfile.write_text("node-a slots=8\nnode-b slots=8\n# a comment\nnode-c slots=8\n")
    assert world_size_of(active_resources(LauncherArgs(hostfile=str(hostfile)))) == 24
    assert world_size_of(active_resources(LauncherArgs(hostfile=str(hostfile), num_nodes=2))) == 16
    assert world_size_of(active_resources(LauncherArgs(hostfile=str(hostfile), num_nodes=2, num_gpus=4))) == 8
    assert world_size_of(active_resources(LauncherArgs(hostfile=str(hostfile), include="node-a:0,1@node-c"))) == 10
    assert world_size_of(active_resources(LauncherArgs(hostfile=str(hostfile), exclude="node-b"))) == 16


def test_launcher_conflicts_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="cannot be combined"):
        active_resources(LauncherArgs(include="localhost:0", num_gpus=2))
    with pytest.raises(ConfigError, match="does not exist"):
        active_resources(LauncherArgs(hostfile=str(tmp_path / "missing")))
    bad = tmp_path / "bad"
    bad.write_text("node-a eight-slots\n")
    with pytest.raises(ConfigError, match="hostfile"):
        active_resources(LauncherArgs(hostfile=str(bad)))


def test_runner_arguments_carry_the_resolved_config(tmp_path):
    config = tmp_path / "a.yml"
    config.write_text(MINIMAL + "num_gpus: 2\nmodel_parallel_size: 2\nmaster_port: 29601\n")
    args = load_for_launch([config])
    assert args.derived.world_size == 2 and args.derived.batch.data_parallel_size == 1
    argv = deepspeed_runner_argv(args, "train.py")
    assert argv[:2] == ["--num_gpus", "2"] and "29601" in argv
    assert argv[-3:-1] == ["train.py", "--neox-config"]
    assert decode_config(argv[-1]) == args
    assert decode_config(encode_config(args)).config_files[str(config)] == config.read_text()


@pytest.mark.slow
def test_a_bad_config_fails_in_deepy_before_any_rank_starts(tmp_path):
    config = tmp_path / "bad.yml"
    config.write_text(MINIMAL + "num_gpus: 2\nrotary_emb_bas: 10000\n")
    process = subprocess.run([sys.executable, str(REPO / "deepy.py"), "train.py", "-d", str(tmp_path), "bad.yml"],
                             cwd=REPO, capture_output=True, text=True, timeout=120)
    assert process.returncode == 2
    assert "bad.yml:6: unknown key 'rotary_emb_bas'; did you mean 'rotary_emb_base'" in process.stderr
    assert "deepspeed.launcher.launch" not in process.stderr + process.stdout
