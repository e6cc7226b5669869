"""Llama / Code Llama decoder on megatron-core tensor-parallel layers."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from megatron.core import ModelParallelConfig
from megatron.core.tensor_parallel import (
    ColumnParallelLinear,
    RowParallelLinear,
    VocabParallelEmbedding,
    set_tensor_model_parallel_attributes,
    vocab_parallel_cross_entropy,
)
from torch.distributed import ProcessGroup
from torch.utils.checkpoint import checkpoint

from megatron import parallel
from megatron.model import layout
from megatron.model.attention import Attention, AttentionKernel, select_attention_kernel
from megatron.model.config import ModelConfig
from megatron.model.norm import RMSNorm
from megatron.model.rotary import RotaryCache


def _initialized_by_initialize_parameters(weight: torch.Tensor) -> None:
    """Placeholder init method for megatron-core layers: weights are filled by `initialize_parameters`."""


class SwiGLUMLP(torch.nn.Module):
    """down(silu(gate(x)) * up(x)), with gate and up fused into one column-parallel product."""

    def __init__(self, config: ModelConfig, parallel_config: ModelParallelConfig, tp_group: ProcessGroup):
        super().__init__()
        self.gate_up_proj = ColumnParallelLinear(
            config.hidden_size, 2 * config.intermediate_size, config=parallel_config,
            init_method=_initialized_by_initialize_parameters, bias=False, gather_output=False, stride=2, tp_group=tp_group,
        )
        self.down_proj = RowParallelLinear(
            config.intermediate_size, config.hidden_size, config=parallel_config,
            init_method=_initialized_by_initialize_parameters, bias=False, input_is_parallel=True,
            skip_bias_add=False, tp_group=tp_group,
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate_up, _ = self.gate_up_proj(x)
        gate, up = gate_up.chunk(2, dim=-1)
        out, _ = self.down_proj(F.silu(gate) * up)
        return out


class TransformerBlock(torch.nn.Module):
    """Pre-norm block: x + attention(norm(x)), then + mlp(norm(x))."""

    def __init__(self, config: ModelConfig, parallel_config: ModelParallelConfig, tp_group: ProcessGroup,
                 kernel: AttentionKernel, device: torch.device):
        super().__init__()
        norm_args = dict(eps=config.norm_eps, device=device, dtype=config.params_dtype)
        self.input_layernorm = RMSNorm(config.hidden_size, **norm_args)
        self.attention = Attention(config, parallel_config, tp_group, kernel, _initialized_by_initialize_parameters)
        self.post_attention_layernorm = RMSNorm(config.hidden_size, **norm_args)
        self.mlp = SwiGLUMLP(config, parallel_config, tp_group)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        x = x + self.attention(self.input_layernorm(x), cos, sin)
        return x + self.mlp(self.post_attention_layernorm(x))


class LlamaModel(torch.nn.Module):
    """Token embedding, N pre-norm blocks, final RMSNorm, untied vocab-parallel output layer.

    Parameter names and shard layout are those of `megatron.model.layout`; `state_dict()` holds
    exactly this rank's shards (megatron-core's empty `_extra_state` entries are dropped).
    Build it with `build_model`.
    """

    def __init__(self, config: ModelConfig, parallel_config: ModelParallelConfig, tp_group: ProcessGroup,
                 device: torch.device):
        super().__init__()
        self.config = config
        self.tensor_parallel_size = parallel_config.tensor_model_parallel_size
        kernel = select_attention_kernel(config.attention_backend)
        self.word_embeddings = VocabParallelEmbedding(
            config.vocab_size, config.hidden_size, init_method=_initialized_by_initialize_parameters,
            config=parallel_config, tp_group=tp_group,
        )
        self.layers = torch.nn.ModuleList(
            TransformerBlock(config, parallel_config, tp_group, kernel, device) for _ in range(config.num_layers)
        )
        self.final_layernorm = RMSNorm(config.hidden_size, config.norm_eps, device=device, dtype=config.params_dtype)
        self.embed_out = ColumnParallelLinear(
            config.hidden_size, config.vocab_size, config=parallel_config,
            init_method=_initialized_by_initialize_parameters, bias=False, gather_output=False,
            tp_group=tp_group,
        )
        self.rotary = RotaryCache(config.head_dim, config.seq_length, config.rotary_emb_base, device)
        self.register_buffer("padding_columns", _padding_columns(config, parallel.tensor_parallel_rank(),
                                                                 self.tensor_parallel_size, device), persistent=False)
        self.register_state_dict_post_hook(_drop_extra_state)

    def forward(self, tokens: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        """tokens [b, s] -> this rank's logits [b, s, vocab/tp], or with labels the fp32 per-token loss [b, s].

        Padded vocabulary columns (ids >= `config.real_vocab_size`) are -inf in the logits, so the
        loss, perplexity, sampling and argmax see exactly the real vocabulary.
        """
        hidden = self.word_embeddings(tokens)
        cos, sin = self.rotary.for_length(tokens.shape[1], hidden.dtype, hidden.device)
        hidden = self._run_layers(hidden, cos, sin)
        logits, _ = self.embed_out(self.final_layernorm(hidden))
        if self.padding_columns is not None:
            logits = logits.masked_fill(self.padding_columns, float("-inf"))
        if labels is None:
            return logits
        return vocab_parallel_cross_entropy(logits, labels)

    def _run_layers(self, hidden: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        if not (self.config.checkpoint_activations and torch.is_grad_enabled()):
            for block in self.layers:
                hidden = block(hidden, cos, sin)
            return hidden
        span = self.config.checkpoint_num_layers
        for start in range(0, len(self.layers), span):
            # No dropout anywhere, so recomputation needs no RNG state.
            hidden = checkpoint(self._run_span, hidden, cos, sin, start, start + span,
                                use_reentrant=False, preserve_rng_state=False)
        return hidden

    def _run_span(self, hidden: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, start: int, stop: int) -> torch.Tensor:
        for block in self.layers[start:stop]:
            hidden = block(hidden, cos, sin)
        return hidden

    def num_parameters(self) -> int:
        """Parameter count of the whole model, summed over tensor-parallel shards."""
        total = 0
        for parameter in self.parameters():
            is_split = getattr(parameter, "tensor_model_parallel", False)
            total += parameter.numel() * (self.tensor_parallel_size if is_split else 1)
        return total


def _padding_columns(config: ModelConfig, rank: int, size: int, device: torch.device) -> torch.Tensor | None:
    """A bool mask over this rank's vocabulary shard that is True on padded ids; None when it has none."""
    shard = config.vocab_size // size
    ids = torch.arange(rank * shard, (rank + 1) * shard, device=device)
    mask = ids >= config.real_vocab_size
    return mask if bool(mask.any()) else None


def _drop_extra_state(module: torch.nn.Module, state_dict: dict, prefix: str, local_metadata: dict) -> None:
    for key in [key for key in state_dict if key.endswith("_extra_state")]:
        del state_dict[key]


def count_parameters(config: ModelConfig) -> int:
    """Parameters of the full (unsplit) model, from the config alone."""
    return sum(math.prod(spec.shape) for spec in layout.parameter_layouts(config).values())


def flops_per_token(config: ModelConfig, seq_length: int | None = None) -> float:
    """Training FLOPs per token (forward + backward), the usual MFU convention.

    6 * N, where N counts every parameter except the input embedding (a lookup, not a matrix
    product) and includes the output layer and the norms; plus 12 * L * d * s for the attention
    scores and the weighted sum of values (2 matmuls of 2*s*d FLOPs per token per layer forward,
    times 3 for forward + backward), not halved for the causal mask. `seq_length` defaults to the
    config's.
    """
    seq = config.seq_length if seq_length is None else seq_length
    non_embedding = count_parameters(config) - config.vocab_size * config.hidden_size
    return 6.0 * non_embedding + 12.0 * config.num_layers * config.hidden_size * seq


@torch.no_grad()
def initialize_parameters(model: LlamaModel, seed: int) -> None:
    """Fill every parameter as if the model were unsplit, then keep this rank's shard.

    Each full tensor is drawn from its own generator (seeded from `seed` and the tensor's position
    in the layout) on the parameter's device, so the model is the same for every tensor-parallel
    size and fast to build on a GPU. Weights are normal(0, init_method_std); the two projections
    that write into the residual stream (attention.dense, mlp.down_proj) use
    init_method_std / sqrt(2 * num_layers), as Megatron and GPT-NeoX do; norms start at one.
    """
    config = model.config
    rank, size = parallel.tensor_parallel_rank(), parallel.tensor_parallel_size()
    residual_std = config.init_method_std / math.sqrt(2.0 * config.num_layers)
    parameters = dict(model.named_parameters())
    for index, (name, spec) in enumerate(layout.parameter_layouts(config).items()):
        parameter = parameters[name]
        if spec.split_dim is None:
            parameter.fill_(1.0)
            continue
        # megatron-core marks split weights only when it initialises them itself; DeepSpeed's
        # gradient norm (hence clipping) counts an unmarked weight on tensor-parallel rank 0 only.
        set_tensor_model_parallel_attributes(parameter, is_parallel=True, dim=spec.split_dim, stride=spec.stride)
        std = residual_std if name.endswith((layout.ATTENTION_OUT, layout.DOWN)) else config.init_method_std
        generator = torch.Generator(device=parameter.device)
        generator.manual_seed(seed * 100_003 + index)
        full = torch.empty(spec.shape, dtype=torch.float32, device=parameter.device)
        full.normal_(0.0, std, generator=generator)
        parameter.copy_(layout.shard_tensor(full, spec, rank, size))


def _agreed_seed(device: torch.device) -> int:
    """A seed drawn from torch's global generator, made identical across the tensor-parallel group."""
    from megatron.core import parallel_state

    seed = torch.randint(0, 2**31 - 1, (1,), dtype=torch.int64).to(device)
    if parallel.tensor_parallel_size() > 1:
        group = parallel_state.get_tensor_model_parallel_group()
        source = torch.distributed.get_global_rank(group, 0)
        torch.distributed.broadcast(seed, src=source, group=group)
    return int(seed.item())


def build_model(config: ModelConfig) -> LlamaModel:
    """Build and initialise this rank's shard of the model.

    Call after `megatron.parallel.initialize_distributed(tp)` and `seed_everything(seed)`: the
    initialisation is drawn from torch's global generator (through one seed agreed across the
    tensor-parallel group) and does not depend on tp. Parameters live on the current GPU when
    there is one, else on the CPU.
    """
    tensor_parallel_size = parallel.tensor_parallel_size()
    config.validate_tensor_parallel(tensor_parallel_size)
    on_gpu = parallel.on_gpu()
    device = torch.device("cuda", torch.cuda.current_device()) if on_gpu else torch.device("cpu")
    parallel_config = ModelParallelConfig(
        tensor_model_parallel_size=tensor_parallel_size,
        params_dtype=config.params_dtype,
        bf16=config.params_dtype == torch.bfloat16,
        fp16=config.params_dtype == torch.float16,
        use_cpu_initialization=not on_gpu,
        perform_initialization=False,
        sequence_parallel=False,
        gradient_accumulation_fusion=False,
    )
    from megatron.core import parallel_state

    model = LlamaModel(config, parallel_config, parallel_state.get_tensor_model_parallel_group(), device)
    initialize_parameters(model, _agreed_seed(device))
    return model
