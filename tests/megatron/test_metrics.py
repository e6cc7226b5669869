"""megatron.metrics: GPT-NeoX's TensorBoard tags."""
from megatron.metrics import tensorboard_tag


def test_neox_tags():
    assert tensorboard_tag("train", "loss") == ("train/lm_loss", 1.0)
    assert tensorboard_tag("train", "lr") == ("train/learning_rate", 1.0)
    assert tensorboard_tag("valid", "loss") == ("validation/lm_loss", 1.0)
    assert tensorboard_tag("valid", "perplexity") == ("validation/lm_loss_ppl", 1.0)
    assert tensorboard_tag("train", "tflops_per_gpu") == ("runtime/flops_per_sec_per_gpu", 1e12)
    assert tensorboard_tag("nan_guard", "loss") == ("nan_guard/loss", 1.0)
    assert tensorboard_tag("train", "iteration") is None


def test_per_source_values_go_beside_their_overall_tag():
    assert tensorboard_tag("valid", "loss/arxiv") == ("validation/arxiv/lm_loss", 1.0)
    assert tensorboard_tag("valid", "perplexity/open-web-math") == ("validation/open-web-math/lm_loss_ppl", 1.0)
    assert tensorboard_tag("tokens_per_source", "arxiv/fraction") == ("tokens_per_source/arxiv/fraction", 1.0)
