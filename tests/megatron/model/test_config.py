import json

import pytest
import torch

from megatron.model import ModelConfig

TINY = dict(num_layers=2, hidden_size=48, num_attention_heads=6, num_kv_heads=2, intermediate_size=88,
            vocab_size=104, seq_length=32)


def test_round_trips_through_json():
    config = ModelConfig(**TINY, params_dtype=torch.bfloat16, rotary_emb_base=1e6, attention_backend="flash")
    values = json.loads(json.dumps(config.to_dict()))
    assert values["params_dtype"] == "bfloat16"
    assert ModelConfig.from_dict(values) == config


def test_derived_sizes():
    config = ModelConfig(**TINY)
    assert (config.head_dim, config.kv_heads, config.queries_per_kv_head) == (8, 2, 3)
    assert ModelConfig(**{**TINY, "num_kv_heads": None}).kv_heads == 6


@pytest.mark.parametrize("change, field", [
    ({"num_attention_heads": 5}, "hidden_size"),
    ({"num_kv_heads": 4}, "num_kv_heads"),
    ({"attention_backend": "xformers"}, "attention_backend"),
    ({"params_dtype": "float64"}, "params_dtype"),
    ({"num_layers": 0}, "num_layers"),
    ({"checkpoint_num_layers": 0}, "checkpoint_num_layers"),
    ({"rotary_emb_base": 0.0}, "rotary_emb_base"),
])
def test_invalid_values_name_the_field(change, field):
    with pytest.raises(ValueError, match=field):
        ModelConfig(**{**TINY, **change})


def test_unknown_keys_are_refused():
    with pytest.raises(ValueError, match="num_head"):
        ModelConfig.from_dict({**TINY, "num_head": 3})


@pytest.mark.parametrize("tp, field", [(4, "num_attention_heads"), (3, "num_kv_heads")])
def test_tensor_parallel_must_divide_heads(tp, field):
    with pytest.raises(ValueError, match=f"model_parallel_size={tp} does not divide {field}"):
        ModelConfig(**TINY).validate_tensor_parallel(tp)


def test_tensor_parallel_must_divide_ffn_and_vocab():
    config = ModelConfig(**{**TINY, "num_attention_heads": 4, "num_kv_heads": None, "intermediate_size": 90})
    with pytest.raises(ValueError, match="intermediate_size=90"):
        config.validate_tensor_parallel(4)
    config = ModelConfig(**{**TINY, "num_attention_heads": 4, "num_kv_heads": None, "vocab_size": 102})
    with pytest.raises(ValueError, match="vocab_size=102"):
        config.validate_tensor_parallel(4)
    config.validate_tensor_parallel(2)
