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
