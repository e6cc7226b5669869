"""Random HF Llama reference models for the model and converter tests."""
import torch


def random_hf_llama_from(hf_config, seed: int = 0):
    """An fp32 `LlamaForCausalLM` of `hf_config` in eval mode with random weights, norms near one
    (so that a norm-formula mistake changes the logits)."""
    from transformers import LlamaForCausalLM

    torch.manual_seed(seed)
    model = LlamaForCausalLM(hf_config).to(torch.float32).eval()
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("norm.weight"):
                parameter.copy_(1.0 + 0.2 * torch.randn_like(parameter))
            else:
                parameter.normal_(0.0, 0.05)
    return model


def write_tiny_hf_model(directory, max_positions: int = 2048):
    """A random 2-layer Llama saved with the project's Llama-2 tokenizer export, as
    `convert_neox_to_hf` writes a model: a stand-in for an HF model directory in eval tests."""
    from pathlib import Path

    from transformers import LlamaConfig, LlamaForCausalLM

    from math_lm.convert.hf_tokenizer import save_hf_tokenizer

    directory = Path(directory)
    repo = Path(__file__).resolve().parents[1]
    vocab = save_hf_tokenizer(repo / "data/tokenizers/llama2.model", directory, model_max_length=max_positions)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=vocab, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=max_positions,
                         bos_token_id=1, eos_token_id=2)
    LlamaForCausalLM(config).save_pretrained(directory)
    return directory
