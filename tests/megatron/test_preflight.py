"""deepy.py's checks before any rank starts: every input named by file, line and key."""
import json
import os
import struct
import subprocess
import sys

import pytest

from megatron import checkpointing
from megatron.neox_arguments import ConfigError, load_neox_args
from megatron.preflight import check_before_launch
from tests.megatron.training_harness import REPO, TOKENIZER, write_corpus

BASE = f"""\
num_layers: 2
hidden_size: 64
num_attention_heads: 4
train_micro_batch_size_per_gpu: 2
train_iters: 10
vocab_file: {TOKENIZER}
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"), documents=40)


def check(tmp_path, text, world_size=1):
    path = tmp_path / "run.yml"
    path.write_text(text)
    check_before_launch(load_neox_args([path], world_size=world_size))


def test_a_good_config_passes(tmp_path, corpus):
    check(tmp_path, BASE + f"data_path: [{corpus}]\nsave: {tmp_path / 'ckpt'}\n")
    assert (tmp_path / "ckpt").is_dir()


def test_a_missing_data_prefix_is_named_with_its_line(tmp_path, corpus):
    with pytest.raises(ConfigError, match=r"run.yml:7: 'train_data_paths\[1\]' = '.*nowhere': indexed dataset file "
                                          r"not found: .*nowhere.idx"):
        check(tmp_path, BASE + f"train_data_paths:\n  - {corpus}\n  - {tmp_path}/nowhere\n")


def test_a_prefix_given_with_its_extension_gets_a_hint(tmp_path, corpus):
    with pytest.raises(ConfigError, match="give the prefix without the extension"):
        check(tmp_path, BASE + f"data_path: [{corpus}.bin]\n")


def test_a_damaged_index_header_is_refused(tmp_path, corpus):
    bad = tmp_path / "bad_text_document"
    (tmp_path / "bad_text_document.bin").write_bytes(open(corpus + ".bin", "rb").read())
    (tmp_path / "bad_text_document.idx").write_bytes(b"MMIDIDX\x00\x00" + struct.pack("<QBQQ", 7, 4, 0, 0))
    with pytest.raises(ConfigError, match=r"run.yml:7: 'data_path\[0\]'.*bad_text_document.idx: index version 7"):
        check(tmp_path, BASE + f"data_path: [{bad}]\n")


def test_no_data_at_all_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"the default of 'data_path' \(not set in .*run.yml\): no training data"):
        check(tmp_path, BASE)


def test_a_missing_tokenizer_is_named(tmp_path, corpus):
    text = BASE.replace(str(TOKENIZER), str(tmp_path / "missing.model")) + f"data_path: [{corpus}]\n"
    with pytest.raises(ConfigError, match=r"run.yml:6: 'vocab_file' .*missing.model does not exist"):
        check(tmp_path, text)


def test_a_missing_load_directory_is_named(tmp_path, corpus):
    with pytest.raises(ConfigError, match=r"run.yml:8: 'load' directory .*absent does not exist"):
        check(tmp_path, BASE + f"data_path: [{corpus}]\nload: {tmp_path / 'absent'}\n")


def test_load_equal_to_save_may_not_exist_yet_but_another_missing_load_is_a_typo(tmp_path, corpus):
    save = tmp_path / "run" / "ckpt"
    check(tmp_path, BASE + f"data_path: [{corpus}]\nsave: {save}\nload: {save.parent / '.' / 'ckpt'}\n")
    assert save.is_dir()
    (tmp_path / "empty").mkdir()
    check(tmp_path, BASE + f"data_path: [{corpus}]\nsave: {tmp_path / 'empty'}\nload: {tmp_path / 'empty'}\n")
    with pytest.raises(ConfigError, match=r"run.yml:9: 'load' directory .*ckpt2 does not exist \(and is not the "
                                          r"'save' directory .*ckpt: a typo\?\)"):
        check(tmp_path, BASE + f"data_path: [{corpus}]\nsave: {tmp_path / 'new' / 'ckpt'}\n"
                               f"load: {tmp_path / 'new' / 'ckpt2'}\n")
    with pytest.raises(ConfigError, match=r"'load' directory .*fresh does not exist"):
        check(tmp_path, BASE + f"data_path: [{corpus}]\nsave: {tmp_path / 'fresh'}\nload: {tmp_path / 'fresh'}\n"
                               "finetune: true\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_an_unwritable_save_directory_is_named(tmp_path, corpus):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(ConfigError, match=r"run.yml:8: 'save' directory .*locked/ckpt is not writable"):
        check(tmp_path, BASE + f"data_path: [{corpus}]\nsave: {locked / 'ckpt'}\n")


def test_a_save_path_that_is_a_file_is_named(tmp_path, corpus):
    (tmp_path / "file").write_text("")
    with pytest.raises(ConfigError, match=r"run.yml:8: 'save' directory .*file/ckpt is not writable"):
        check(tmp_path, BASE + f"data_path: [{corpus}]\nsave: {tmp_path / 'file' / 'ckpt'}\n")


def _converted_like(tmp_path, rotary_emb_base):
    """A checkpoint directory whose model config is the BASE run's shape with this RoPE base."""
    tag_dir = tmp_path / "ckpt" / "global_step0"
    tag_dir.mkdir(parents=True)
    config = {"num_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "num_kv_heads": None,
              "intermediate_size": 256, "vocab_size": 32000, "unpadded_vocab_size": 32000, "seq_length": 128,
              "rotary_emb_base": rotary_emb_base, "norm_eps": 1e-5, "tensor_parallel_size": 1}
    (tag_dir / "model_config.json").write_text(json.dumps(config))
    import torch

    torch.save({"module": {}}, tag_dir / "mp_rank_00_model_states.pt")
    checkpointing.write_manifest(tag_dir)
    (tmp_path / "ckpt" / "latest").write_text("global_step0")
    return tmp_path / "ckpt"


def test_a_checkpoint_with_another_rope_base_stops_the_launch_unless_declared(tmp_path, corpus):
    load = _converted_like(tmp_path, 1e6)
    text = BASE + f"data_path: [{corpus}]\nload: {load}\nfinetune: true\n"
    with pytest.raises(ConfigError) as error:
        check(tmp_path, text)
    message = str(error.value)
    assert "rotary_emb_base: checkpoint 1000000.0 (" + str(load / "global_step0" / "model_config.json") in message
    assert "this run 10000.0 (rotary_emb_base at the default of 'rotary_emb_base'" in message
    check(tmp_path, text + "override_checkpoint_model_config: [rotary_emb_base]\n")
    check(tmp_path, text + "rotary_emb_base: 1000000\n")
    with pytest.raises(ConfigError, match=r"run.yml:10: 'override_checkpoint_model_config' may list"):
        check(tmp_path, text + "override_checkpoint_model_config: [hidden_size]\n")


@pytest.mark.slow
def test_deepy_stops_on_missing_data_before_any_rank_starts(tmp_path):
    config = tmp_path / "run.yml"
    config.write_text(BASE + f"data_path: [{tmp_path}/nowhere]\n")
    process = subprocess.run([sys.executable, str(REPO / "deepy.py"), "train.py", str(config)],
                             cwd=REPO, capture_output=True, text=True, timeout=180)
    assert process.returncode == 2
    assert "run.yml:7: 'data_path[0]'" in process.stderr and "nowhere.idx" in process.stderr
    assert "deepspeed.launcher.launch" not in process.stderr + process.stdout


# ----------------------------------------------------------------- values refused before launch (issue 20)

OPTIMIZER = "optimizer:\n  type: Adam\n  params:\n    lr: 1.0e-4\n    betas: [0.9, 0.95]\n    eps: 1.0e-8\n"


@pytest.mark.parametrize("bad, message", [
    ("    betas: [0.9]\n", r"run.yml:11: 'optimizer.params.betas': must be two numbers in \[0, 1\).*got \[0.9\]"),
    ("    betas: [0.9, 1.0]\n", r"run.yml:11: 'optimizer.params.betas': must be two numbers"),
    ("    lr: .nan\n", r"run.yml:10: 'optimizer.params.lr': must be a finite number >= 0, got nan"),
    ("    lr: -1.0e-4\n", r"run.yml:10: 'optimizer.params.lr': must be a finite number >= 0"),
    ("    eps: 0.0\n", r"run.yml:12: 'optimizer.params.eps': must be a finite number > 0"),
])
def test_optimizer_values_are_checked_against_adams_rules(tmp_path, bad, message):
    key = bad.split(":")[0]
    lines = [bad if line.startswith(key + ":") else line for line in OPTIMIZER.splitlines(keepends=True)]
    with pytest.raises(ConfigError, match=message):
        check(tmp_path, BASE + "".join(lines))


@pytest.mark.parametrize("bad, message", [
    ("weight_decay: -0.1\n", r"run.yml:7: 'weight_decay': must be a finite number >= 0, got -0.1"),
    ("gradient_clipping: .inf\n", r"run.yml:7: 'gradient_clipping': must be a finite number >= 0, got inf"),
    ("master_port: 70000\n", r"run.yml:7: 'master_port': must be a TCP port in 1..65535, got 70000"),
    ("num_gpus: 0\n", r"run.yml:7: 'num_gpus': must be at least 1, or unset \(= all\), got 0"),
    ("warmup: 50\n", r"run.yml:7: 'warmup' is 50 iterations, more than 'train_iters' 10 \(at .*run.yml:5\)"),
    ("warmup: 0.5\nlr_decay_iters: 100\n", r"run.yml:7: 'warmup' is 50 iterations \(0.5 of lr_decay_iters 100\)"),
])
def test_bad_launch_values_name_their_key_and_line(tmp_path, bad, message):
    with pytest.raises(ConfigError, match=message):
        check(tmp_path, BASE + bad)


def test_a_master_port_in_use_is_refused_and_an_unset_one_is_chosen_free(tmp_path, capsys):
    import socket

    from megatron.launcher import master_port_for

    with socket.socket() as busy:
        busy.bind(("", 0))
        busy.listen()
        port = busy.getsockname()[1]
        path = tmp_path / "run.yml"
        path.write_text(BASE + f"master_port: {port}\n")
        with pytest.raises(ConfigError, match=rf"run.yml:7: 'master_port' {port} is already in use on this machine"):
            master_port_for(load_neox_args([path], world_size=1))
    path.write_text(BASE)
    chosen = master_port_for(load_neox_args([path], world_size=1))
    assert f"deepy: master_port unset: using free port {chosen}" in capsys.readouterr().err
    with socket.socket() as probe:
        probe.bind(("", chosen))


def test_a_model_that_cannot_fit_is_refused_naming_the_keys_that_size_it(tmp_path, corpus):
    with pytest.raises(ConfigError) as error:
        check(tmp_path, BASE.replace("hidden_size: 64", "hidden_size: 1000000000000") + f"data_path: [{corpus}]\n")
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'run.yml'}:2: the model cannot fit:")
    for part in ("hidden_size 1,000,000,000,000", "num_layers 2 (", "intermediate_size", "padded vocabulary 32,000",
                 "GiB per rank for weights, gradients and optimizer state", "GiB of host memory"):
        assert part in message, part


def test_the_memory_estimate_counts_zero1_sharding_and_bf16(tmp_path):
    from megatron.preflight import check_memory, estimate_memory

    path = tmp_path / "run.yml"
    path.write_text(BASE.replace("train_micro_batch_size_per_gpu: 2\n", "train_micro_batch_size_per_gpu: 2\nnum_gpus: 4\n")
                    + "zero_optimization:\n  stage: 1\nbf16:\n  enabled: true\n")
    args = load_neox_args([path], world_size=4)
    estimate = estimate_memory(args, 32000)
    n = estimate.parameters
    assert estimate.per_rank_parameters == n
    assert (estimate.weights, estimate.gradients, estimate.optimizer) == (2 * n, 2 * n, -(-12 * n // 4))
    assert check_memory(args, 32000, (estimate.total, "exactly enough")) == estimate
    with pytest.raises(ConfigError, match="but a rank has too little"):
        check_memory(args, 32000, (estimate.total - 1, "too little"))
