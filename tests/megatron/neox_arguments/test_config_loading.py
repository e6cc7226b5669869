import json
from pathlib import Path

import pytest

from megatron.neox_arguments import ConfigError, NeoXArgs, derive_batch_sizes, derive_schedule, load_neox_args
from megatron.neox_arguments.reference import render_reference

REPO = Path(__file__).resolve().parents[3]

MINIMAL = """\
num_layers: 2
hidden_size: 64
num_attention_heads: 4
train_micro_batch_size_per_gpu: 2
train_iters: 10
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_dashes_and_underscores_are_one_key(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "seq-length: 256\nmodel-parallel-size: 2\n")
    args = load_neox_args([path], world_size=4)
    assert args.model.seq_length == 256
    assert args.parallel.model_parallel_size == 2
    assert args.derived.batch.data_parallel_size == 2


def test_key_twice_in_one_file_names_both_lines(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "seq_length: 256\nseq-length: 512\n")
    with pytest.raises(ConfigError, match=r"'seq_length' is given twice: at .*a.yml:6 and at .*a.yml:7"):
        load_neox_args([path], world_size=1)


def test_key_twice_across_files_names_both_files(tmp_path):
    first = write(tmp_path, "a.yml", MINIMAL)
    second = write(tmp_path, "b.yml", "train-iters: 5\n")
    with pytest.raises(ConfigError, match=r"'train_iters' is given twice: at .*a.yml:5 and at .*b.yml:1"):
        load_neox_args([first, second], world_size=1)


def test_unknown_key_suggests_nearest(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "rotary_emb_bas: 10000\n")
    with pytest.raises(ConfigError, match=r"a.yml:6: unknown key 'rotary_emb_bas'; did you mean 'rotary_emb_base'"):
        load_neox_args([path], world_size=1)


def test_unknown_nested_key_suggests_nearest(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "optimizer:\n  type: Adam\n  params:\n    lr: 1e-4\n    beta: [0.9, 0.95]\n")
    with pytest.raises(ConfigError, match=r"unknown key 'optimizer.params.beta'; did you mean 'betas'"):
        load_neox_args([path], world_size=1)


def test_type_error_names_file_line_and_key(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "bf16:\n  enabled: yes please\n")
    with pytest.raises(ConfigError, match=r"a.yml:7: 'bf16.enabled' must be bool"):
        load_neox_args([path], world_size=1)
    path = write(tmp_path, "b.yml", MINIMAL.replace("num_layers: 2", "num_layers: 2.5"))
    with pytest.raises(ConfigError, match=r"b.yml:1: 'num_layers' must be int"):
        load_neox_args([path], world_size=1)


def test_choice_error(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "pos_emb: learned\n")
    with pytest.raises(ConfigError, match=r"'pos_emb' must be one of \['rotary'\]"):
        load_neox_args([path], world_size=1)


def test_yaml_float_without_dot_is_read_as_number(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "optimizer:\n  params:\n    lr: 3e-4\n")
    assert load_neox_args([path], world_size=1).optimizer.optimizer.params.lr == pytest.approx(3e-4)


def test_value_error_names_key(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "num_kv_heads: 3\n")
    with pytest.raises(ConfigError, match=r"a.yml:6: num_kv_heads=3 does not divide num_attention_heads=4"):
        load_neox_args([path], world_size=1)
    path = write(tmp_path, "b.yml", MINIMAL + "model_parallel_size: 8\n")
    with pytest.raises(ConfigError, match="model_parallel_size=8 does not divide num_attention_heads=4"):
        load_neox_args([path], world_size=8)


def test_weights_must_match_paths(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "train_data_paths: [a, b]\ntrain_data_weights: [1]\n")
    with pytest.raises(ConfigError, match=r"a.yml:7: train_data_weights has 1 entries but train_data_paths has 2.*"
                                          r"'train_data_paths' is at .*a.yml:6"):
        load_neox_args([path], world_size=1)


@pytest.mark.parametrize(
    "given, dp, expected",
    [
        ((None, 4, 2), 128, (1024, 4, 2)),
        ((1024, 4, None), 128, (1024, 4, 2)),
        ((1024, None, 2), 128, (1024, 4, 2)),
        ((None, 3, None), 2, (6, 3, 1)),
        ((8, None, None), 2, (8, 4, 1)),
    ],
)
def test_any_two_batch_values_determine_the_third(given, dp, expected):
    sizes = derive_batch_sizes(*given, data_parallel_size=dp)
    assert (sizes.train_batch_size, sizes.micro_batch_size, sizes.gradient_accumulation_steps) == expected


def test_inconsistent_batch_triple_is_an_error():
    with pytest.raises(ConfigError, match="inconsistent batch sizes: train_batch_size=1000"):
        derive_batch_sizes(1000, 4, 2, data_parallel_size=128)
    with pytest.raises(ConfigError, match="not divisible"):
        derive_batch_sizes(100, 3, None, data_parallel_size=2)


def test_warmup_iterations_or_fraction_and_floor():
    assert derive_schedule(1e-4, 100, None, 10, None, None).warmup_iters == 10
    assert derive_schedule(1e-4, 100, 200, 0.05, None, None).warmup_iters == 10
    assert derive_schedule(1e-4, 100, None, 0, None, 0.033).min_lr == pytest.approx(3.3e-6)
    assert derive_schedule(1e-4, 100, None, 0, 1e-5, None).min_lr == 1e-5
    with pytest.raises(ConfigError, match="not both"):
        derive_schedule(1e-4, 100, None, 0, 1e-5, 0.1)
    with pytest.raises(ConfigError, match="fraction of lr_decay_iters"):
        derive_schedule(1e-4, 100, None, 1.5, None, None)


def test_llemma_configs_state_the_paper():
    seven = load_neox_args([REPO / "configs/llemma_7b.yml", REPO / "configs/data_mixture.yml"], world_size=256)
    assert (seven.model.num_layers, seven.model.hidden_size, seven.model.num_attention_heads) == (32, 4096, 32)
    assert seven.model.intermediate_size == 11008 and seven.model.rotary_emb_base == 10000
    assert seven.parallel.model_parallel_size == 2
    batch = seven.derived.batch
    assert (batch.micro_batch_size, batch.gradient_accumulation_steps, batch.data_parallel_size) == (4, 2, 128)
    assert batch.train_batch_size * seven.model.seq_length == 4_194_304
    schedule = seven.derived.schedule
    assert (schedule.lr, schedule.warmup_iters, schedule.lr_decay_iters) == (1e-4, 500, 48000)
    assert schedule.min_lr == pytest.approx(0.033 * 1e-4)
    params = seven.optimizer.optimizer.params
    assert params.betas == [0.9, 0.95] and params.eps == 1e-8 and seven.optimizer.weight_decay == 0.1
    assert seven.precision.zero_optimization.stage == 1 and seven.precision.bf16.enabled
    assert (seven.checkpoint.save_interval, seven.training.eval_interval, seven.training.eval_iters) == (500, 250, 50)
    weights = seven.data.train_data_weights
    shares = [round(100 * w / sum(weights), 2) for w in weights]
    assert shares == [27.14, 54.29, 13.57, 2.0, 3.0]

    big = load_neox_args([REPO / "configs/llemma_34b.yml", REPO / "configs/data_mixture.yml"], world_size=256)
    assert (big.model.num_layers, big.model.hidden_size, big.model.num_attention_heads, big.model.num_kv_heads) == (48, 8192, 64, 8)
    assert big.model.intermediate_size == 22016 and big.model.rotary_emb_base == 1_000_000
    batch = big.derived.batch
    assert (batch.micro_batch_size, batch.gradient_accumulation_steps, batch.data_parallel_size) == (2, 16, 32)
    assert batch.train_batch_size == 1024
    assert big.derived.schedule.lr == 5e-5 and big.training.train_iters == 12000
    assert big.checkpoint.save_interval == 250


def test_resolved_config_round_trips_through_json(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "train_data_paths: single/prefix\n")
    args = load_neox_args([path], world_size=1)
    assert args.data.train_data_paths == ["single/prefix"]
    again = NeoXArgs.from_dict(json.loads(json.dumps(args.to_dict())))
    assert again == args
    assert again.config_files[str(path)] == path.read_text()


def test_reference_is_current():
    current = (REPO / "configs/neox_arguments.md").read_text()
    assert current == render_reference(), "regenerate: python -m megatron.neox_arguments.reference > configs/neox_arguments.md"


def test_every_neox_llemma_key_is_accepted():
    from megatron.neox_arguments import key_index

    for key in ["train_micro_batch_size_per_gpu", "gradient_accumulation_steps", "model_parallel_size",
                "rotary_emb_base", "train_data_paths", "train_data_weights", "decay_lr_to", "min_lr", "warmup",
                "lr_decay_iters", "checkpoint_activations", "zero_optimization", "bf16", "tokenizer_type",
                "vocab_file", "save", "load", "finetune"]:
        assert key in key_index()


@pytest.mark.parametrize("line", ['train_iters: "60"', "train_iters: '60'", 'seq_length: "128"'])
def test_quoted_strings_never_become_numbers(tmp_path, line):
    key = line.split(":")[0]
    path = write(tmp_path, "a.yml", MINIMAL.replace("train_iters: 10\n", "") + line + "\n")
    with pytest.raises(ConfigError, match=rf"a.yml:5: '{key}' must be int, got '.*'"):
        load_neox_args([path], world_size=1)


def test_unquoted_exponents_are_numbers(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL.replace("train_iters: 10\n", "train_iters: 1e3\n") + "min_lr: 1e-6\n")
    args = load_neox_args([path], world_size=1)
    assert args.training.train_iters == 1000 and args.learning_rate.min_lr == 1e-6


@pytest.mark.parametrize("split", ["1e3,0,0", "a,b", "0,0,0", "1,2,3,4"])
def test_split_follows_the_data_layers_rule(tmp_path, split):
    path = write(tmp_path, "a.yml", MINIMAL + f"data_path: [corpus]\nsplit: '{split}'\n")
    with pytest.raises(ConfigError, match="a.yml:7: split"):
        load_neox_args([path], world_size=1)


@pytest.mark.parametrize("weights", ["[0, 1]", "[1, -1]"])
def test_zero_or_negative_weights_fail_at_load(tmp_path, weights):
    path = write(tmp_path, "a.yml", MINIMAL + f"train_data_paths: [a, b]\ntrain_data_weights: {weights}\n")
    with pytest.raises(ConfigError, match="a.yml:7: train_data_weights must be positive"):
        load_neox_args([path], world_size=1)


def test_batch_size_errors_name_every_key_involved(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "train_batch_size: 10\ngradient_accumulation_steps: 3\n")
    with pytest.raises(ConfigError) as error:
        load_neox_args([path], world_size=2)
    message = str(error.value)
    assert "inconsistent batch sizes" in message and "train_batch_size at" in message and "a.yml:6" in message
    assert "train_micro_batch_size_per_gpu at" in message and "a.yml:4" in message
    assert "gradient_accumulation_steps at" in message and "a.yml:7" in message and "world size 2" in message


def test_plugin_sections_are_checked_at_load(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "plugins: [math_lm.nan_guard]\nnan_guard:\n  max_bad_steps: 2\n  window: 0\n")
    with pytest.raises(ConfigError, match=r"a.yml:9: 'nan_guard.window': must be at least 1, got 0"):
        load_neox_args([path], world_size=1)


def test_sections_are_frozen(tmp_path):
    import dataclasses

    args = load_neox_args([write(tmp_path, "a.yml", MINIMAL + "plugins: [math_lm.nan_guard]\n")], world_size=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        args.model.num_layers = 99
    with pytest.raises(dataclasses.FrozenInstanceError):
        args.plugin_section("nan_guard").window = 3
    assert args.model.num_layers == 2


def test_the_models_shape_rules_apply_at_load(tmp_path):
    # hidden 60 / 4 heads = 15: RoPE needs an even head size; only the model config knew this rule before
    path = write(tmp_path, "a.yml", MINIMAL.replace("hidden_size: 64", "hidden_size: 60"))
    with pytest.raises(ConfigError, match=r"a.yml:3: hidden_size / num_attention_heads = 15 must be even for RoPE"):
        load_neox_args([path], world_size=1)
    path = write(tmp_path, "b.yml", MINIMAL + "intermediate_size: 90\nmodel_parallel_size: 4\n")
    with pytest.raises(ConfigError, match=r"b.yml:6: model_parallel_size=4 does not divide intermediate_size=90"):
        load_neox_args([path], world_size=4)


def test_without_a_world_size_the_config_implies_one(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "train_batch_size: 16\nmodel_parallel_size: 2\n")
    args = load_neox_args([path])
    assert args.derived.world_size == 16 // 2 * 2 and args.derived.batch.data_parallel_size == 8
    path = write(tmp_path, "b.yml", MINIMAL + "num_gpus: 3\nnum_nodes: 2\n")
    assert load_neox_args([path]).derived.world_size == 6


def test_plugin_sections_default_and_belong_to_the_runs_plugins(tmp_path):
    args = load_neox_args([write(tmp_path, "a.yml", MINIMAL + "plugins: [math_lm.nan_guard]\n")], world_size=1)
    assert args.plugin_section("nan_guard").max_bad_steps == 3
    assert NeoXArgs.from_dict(json.loads(json.dumps(args.to_dict()))).plugin_section("nan_guard") == args.plugin_section("nan_guard")
    plain = load_neox_args([write(tmp_path, "b.yml", MINIMAL)], world_size=1)
    with pytest.raises(KeyError, match="nan_guard"):
        plain.plugin_section("nan_guard")
    with pytest.raises(ConfigError, match=r"c.yml:6: unknown key 'nan_guard'"):
        load_neox_args([write(tmp_path, "c.yml", MINIMAL + "nan_guard:\n  window: 3\n")], world_size=1)


def test_a_plugin_module_must_define_a_plugin(tmp_path):
    path = write(tmp_path, "a.yml", MINIMAL + "plugins: [math_lm.jsonl]\n")
    with pytest.raises(ConfigError, match=r"a.yml:6: plugin module 'math_lm.jsonl' defines no PLUGIN"):
        load_neox_args([path], world_size=1)
    path = write(tmp_path, "b.yml", MINIMAL + "plugins: [math_lm.no_such_plugin]\n")
    with pytest.raises(ConfigError, match=r"b.yml:6: plugin 'math_lm.no_such_plugin' cannot be imported"):
        load_neox_args([path], world_size=1)
