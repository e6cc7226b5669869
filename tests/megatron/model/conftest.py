from tests.hf_llama import random_hf_llama_from


def random_hf_llama(config, seed: int = 0):
    """An HF LlamaForCausalLM (fp32, eager attention) with the shape of our ModelConfig and random weights.

    Norm weights are randomised too, so that a model ignoring them would not match.
    """
    from transformers import LlamaConfig

    hf_config = LlamaConfig(
        vocab_size=config.vocab_size,
        hidden_size=config.hidden_size,
        intermediate_size=config.intermediate_size,
        num_hidden_layers=config.num_layers,
        num_attention_heads=config.num_attention_heads,
        num_key_value_heads=config.kv_heads,
        max_position_embeddings=config.seq_length,
        rms_norm_eps=config.norm_eps,
        rope_parameters={"rope_type": "default", "rope_theta": config.rotary_emb_base},
        tie_word_embeddings=False,
        attention_bias=False,
        mlp_bias=False,
        attn_implementation="eager",
        bos_token_id=None,
        eos_token_id=None,
        pad_token_id=None,
    )
    return random_hf_llama_from(hf_config, seed)
