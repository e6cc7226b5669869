"""The run configuration as typed dataclasses, one per concern.

Every YAML key belongs to exactly one field of one section below, spelled as
GPT-NeoX spells it. Each field carries its help text in `metadata["help"]`; the
reference `configs/neox_arguments.md` is generated from these definitions.
Nested sections (`optimizer`, `zero_optimization`, `bf16`) are dataclasses too.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional, Union

from .loading import SectionValueError


def arg(default: Any, help: str, **kwargs) -> Any:
    """A dataclass field with its documentation attached."""
    if isinstance(default, (list, dict)):
        value = default
        return field(default_factory=lambda: type(value)(value), metadata={"help": help, **kwargs})
    return field(default=default, metadata={"help": help, **kwargs})


def nested(cls: type, help: str) -> Any:
    return field(default_factory=cls, metadata={"help": help})


@dataclass(frozen=True)
class ModelArgs:
    """Shape of the Llama / Code Llama transformer. Only the Llama architecture is built, so the
    NeoX keys that choose other architectures accept only their Llama value."""

    num_layers: int = arg(2, "Number of transformer blocks.")
    hidden_size: int = arg(64, "Width of the residual stream.")
    num_attention_heads: int = arg(4, "Number of query heads.")
    num_kv_heads: Optional[int] = arg(None, "Number of key/value heads (grouped-query attention); unset = num_attention_heads.")
    intermediate_size: Optional[int] = arg(None, "Hidden size of the SwiGLU MLP (Code Llama 7B: 11008); unset = the Llama rule from hidden_size.")
    seq_length: int = arg(128, "Training sequence length in tokens.")
    max_position_embeddings: Optional[int] = arg(None, "Longest position the RoPE cache covers; unset = seq_length.")
    rotary_emb_base: float = arg(10000.0, "RoPE base theta (Llemma 7B: 10000; Code Llama and Llemma 34B: 1000000).")
    rotary_pct: float = arg(1.0, "Fraction of each head rotated by RoPE; Llama rotates all of it.", choices=[1.0])
    rms_norm_epsilon: float = arg(1e-5, "Epsilon inside RMSNorm's rsqrt (Llama: 1e-5).")
    norm: str = arg("rmsnorm", "Normalisation layer.", choices=["rmsnorm"])
    pos_emb: str = arg("rotary", "Position embedding.", choices=["rotary"])
    activation: str = arg("swiglu", "MLP activation (`silu` with mlp_type llama is NeoX's spelling of SwiGLU).", choices=["swiglu", "silu"])
    mlp_type: str = arg("llama", "MLP layout: gate, up and down projections.", choices=["llama"])
    no_weight_tying: bool = arg(True, "Untied input embedding and output layer, as Llama.", choices=[True])
    use_bias_in_norms: bool = arg(False, "Llama has no biases.", choices=[False])
    use_bias_in_attn_linear: bool = arg(False, "Llama has no biases.", choices=[False])
    make_vocab_size_divisible_by: int = arg(128, "Pad the vocabulary to a multiple of this times model_parallel_size.")
    init_method_std: float = arg(0.02, "Standard deviation of the normal initialisation of weights.")
    attention_backend: str = arg("sdpa", "Attention kernel: `sdpa` (PyTorch scaled_dot_product_attention, flash kernel on Hopper) or `flash` (flash-attn, must be installed).", choices=["sdpa", "flash"])
    checkpoint_activations: bool = arg(False, "Recompute block activations in the backward pass to save memory.")
    checkpoint_num_layers: int = arg(1, "Blocks per activation-checkpointing chunk.")


@dataclass(frozen=True)
class TokenizerArgs:
    """Which tokenizer turns text into ids."""

    tokenizer_type: str = arg("SPMTokenizer", "SPMTokenizer (SentencePiece, Llama / Code Llama) or HFTokenizer (tokenizer.json).", choices=["SPMTokenizer", "HFTokenizer"])
    vocab_file: Optional[str] = arg(None, "SentencePiece model or tokenizer.json.")
    merge_file: Optional[str] = arg(None, "BPE merges file (GPT-2 style tokenizers only).")


@dataclass(frozen=True)
class ParallelArgs:
    """How the ranks split the model."""

    model_parallel_size: int = arg(1, "Tensor-parallel size (1, 2, 4, 8); must divide the world size.")
    pipe_parallel_size: int = arg(0, "Pipeline parallelism is not used by LLEMMA; 0 or 1 only.", choices=[0, 1])
    distributed_backend: Optional[str] = arg(None, "torch.distributed backend; unset = nccl on GPU, gloo on CPU.", choices=[None, "nccl", "gloo"])


@dataclass(frozen=True)
class BatchArgs:
    """Batch sizes; any two of the three determine the third (with the data-parallel size)."""

    train_batch_size: Optional[int] = arg(None, "Global batch in sequences = micro batch x grad accumulation x data parallel.")
    train_micro_batch_size_per_gpu: Optional[int] = arg(None, "Sequences per rank per forward pass.")
    gradient_accumulation_steps: Optional[int] = arg(None, "Micro-batches accumulated per optimizer step.")


@dataclass(frozen=True)
class AdamParams:
    """Adam hyperparameters, under `optimizer.params` as NeoX writes them."""

    lr: float = arg(1e-4, "Peak learning rate.")
    betas: list[float] = arg([0.9, 0.95], "Adam beta1, beta2.")
    eps: float = arg(1e-8, "Adam epsilon.")

    def __post_init__(self) -> None:
        """torch.optim.AdamW's own rules (which it checks only when the optimizer is built, inside every rank)."""
        if not (math.isfinite(self.lr) and self.lr >= 0):
            raise SectionValueError("lr", f"must be a finite number >= 0, got {self.lr}")
        if len(self.betas) != 2 or not all(math.isfinite(b) and 0.0 <= b < 1.0 for b in self.betas):
            raise SectionValueError("betas", f"must be two numbers in [0, 1) (beta1, beta2), got {self.betas}")
        if not (math.isfinite(self.eps) and self.eps > 0):
            raise SectionValueError("eps", f"must be a finite number > 0, got {self.eps}")


@dataclass(frozen=True)
class OptimizerConfig:
    """The optimizer: a torch AdamW (fused on GPU); `Adam` with weight_decay is decoupled AdamW, as in NeoX."""

    type: str = arg("Adam", "Optimizer type.", choices=["Adam", "AdamW"])
    params: AdamParams = nested(AdamParams, "Adam hyperparameters.")


@dataclass(frozen=True)
class OptimizerArgs:
    """Optimizer and regularisation."""

    optimizer: OptimizerConfig = nested(OptimizerConfig, "Optimizer type and hyperparameters.")
    weight_decay: float = arg(0.0, "Decoupled weight decay (LLEMMA: 0.1).")
    gradient_clipping: float = arg(1.0, "Clip the global gradient norm to this value; 0 disables.")

    def __post_init__(self) -> None:
        for key in ("weight_decay", "gradient_clipping"):
            value = getattr(self, key)
            if not (math.isfinite(value) and value >= 0):
                raise SectionValueError(key, f"must be a finite number >= 0, got {value}")


@dataclass(frozen=True)
class LearningRateArgs:
    """Warmup then decay. `warmup` is iterations when written as an integer (500), a fraction of
    lr_decay_iters when written as a float below 1 (0.01)."""

    lr_decay_style: str = arg("cosine", "Decay after warmup.", choices=["cosine", "linear", "constant"])
    lr_decay_iters: Optional[int] = arg(None, "Iterations over which the learning rate decays; unset = train_iters.")
    warmup: Union[int, float] = arg(0.01, "Warmup: integer = iterations, float < 1 = fraction of lr_decay_iters.")
    min_lr: Optional[float] = arg(None, "Floor of the decay, absolute. Give this or decay_lr_to, not both; neither = 0.")
    decay_lr_to: Optional[float] = arg(None, "Floor of the decay as a fraction of the peak lr (LLEMMA: 0.033).")


@dataclass(frozen=True)
class ZeroConfig:
    """DeepSpeed ZeRO settings, passed to the engine as written."""

    stage: int = arg(0, "ZeRO stage: 0 (off) or 1 (optimizer states sharded across data parallel).", choices=[0, 1])
    allgather_partitions: bool = arg(True, "DeepSpeed allgather_partitions.")
    allgather_bucket_size: int = arg(500_000_000, "DeepSpeed allgather bucket size (elements).")
    overlap_comm: bool = arg(False, "Overlap gradient reduction with backward.")
    reduce_scatter: bool = arg(True, "Reduce gradients with reduce-scatter.")
    reduce_bucket_size: int = arg(500_000_000, "DeepSpeed reduce bucket size (elements).")
    contiguous_gradients: bool = arg(True, "Copy gradients into a contiguous buffer.")


@dataclass(frozen=True)
class BF16Config:
    """bfloat16 training with fp32 master weights (DeepSpeed's bf16 optimizer)."""

    enabled: bool = arg(False, "Train in bfloat16.")


@dataclass(frozen=True)
class PrecisionArgs:
    """Numeric formats and ZeRO."""

    bf16: BF16Config = nested(BF16Config, "bfloat16 settings.")
    fp32_allreduce: bool = arg(True, "Accumulate and all-reduce gradients in fp32 under bf16 (LLEMMA does).")
    zero_optimization: ZeroConfig = nested(ZeroConfig, "DeepSpeed ZeRO settings.")


@dataclass(frozen=True)
class TrainingArgs:
    """Length of the run, evaluation cadence and logging."""

    train_iters: int = arg(20, "Optimizer steps to train.")
    seed: int = arg(1234, "Seed for initialisation and data shuffling.")
    eval_interval: int = arg(1000, "Evaluate every this many iterations.")
    eval_iters: int = arg(10, "Validation iterations per evaluation.")
    log_interval: int = arg(10, "Log every this many iterations.")
    exit_interval: Optional[int] = arg(None, "Save (when `save` is set) and exit after an iteration divisible by this; resuming continues the same run.")
    tensorboard_dir: Optional[str] = arg(None, "Write TensorBoard events here.")
    torch_compile: bool = arg(False, "Compile the model with torch.compile through DeepSpeed's engine.compile() (on an H200: TinyLlama 45.5% -> 54.2% MFU, 7B-width slice 50.7% -> 58.5%; the first steps pay the compilation).")
    peak_flops_per_gpu: Optional[float] = arg(None, "Peak dense bf16 TFLOP/s of one device for MFU; unset = looked up from the device name.")
    hang_timeout_factor: float = arg(10.0, "Hang watchdog (every rank): a step, evaluation or save that takes this many times the median of its kind so far (never less than hang_timeout_min_s) dumps every thread's stack and exits the run; 0 disables it.")
    hang_timeout_min_s: float = arg(1800.0, "Floor of the hang watchdog's bound in seconds; alone it bounds the first steps (compilation), the first evaluation and the first save.")
    plugins: list[str] = arg([], "Plugin modules (each defines PLUGIN, a megatron.plugins.Plugin with its own config section), e.g. math_lm.nan_guard.")


@dataclass(frozen=True)
class CheckpointArgs:
    """Saving and loading in the NeoX checkpoint layout."""

    save: Optional[str] = arg(None, "Directory to save checkpoints to.")
    load: Optional[str] = arg(None, "Directory to load a checkpoint from (its `latest` tag).")
    save_interval: Optional[int] = arg(None, "Save every this many iterations (and at the end).")
    finetune: bool = arg(False, "Load weights only and start at iteration 0 with fresh optimizer, scheduler and data position.")
    keep_last_n_checkpoints: Optional[int] = arg(None, "Delete older checkpoints, keeping this many (never the one `latest` names).")
    trust_checkpoint_code: bool = arg(False, "Load checkpoint files that name types beyond tensors, plain data and the few DeepSpeed stores (unpickling them can run code). Off: such a file is refused before the ranks start, naming the file and the type. Only for checkpoints from a source you trust.")
    checkpoint_validation: bool = arg(False, "Store the loss on a fixed batch with each checkpoint and check it again on load.")
    override_checkpoint_model_config: list[str] = arg([], "Model config fields this run changes on purpose when it loads a checkpoint (`rotary_emb_base`, `norm_eps`): the run's value is used and the change is logged. Any other difference from the checkpoint's model_config.json stops the run. LLEMMA 7B: `[rotary_emb_base]` (Code Llama's 1e6 -> 1e4), unless the converter's --rotary-emb-base already recorded 1e4.")


@dataclass(frozen=True)
class DataArgs:
    """Training data: per-split lists of `.bin/.idx` prefixes with blend weights, or one data_path split by `split`."""

    data_path: Optional[list[str]] = arg(None, "Prefix(es) of one corpus split into train/valid/test by `split`.")
    split: str = arg("969,30,1", "Train,valid,test proportions for data_path.")
    train_data_paths: Optional[list[str]] = arg(None, "Prefixes of the training datasets.")
    valid_data_paths: Optional[list[str]] = arg(None, "Prefixes of the validation datasets.")
    test_data_paths: Optional[list[str]] = arg(None, "Prefixes of the test datasets.")
    train_data_weights: Optional[list[float]] = arg(None, "Blend weights of train_data_paths (normalised); unset = equal.")
    valid_data_weights: Optional[list[float]] = arg(None, "Blend weights of valid_data_paths.")
    test_data_weights: Optional[list[float]] = arg(None, "Blend weights of test_data_paths.")
    data_impl: str = arg("mmap", "Indexed dataset implementation.", choices=["mmap"])
    num_workers: int = arg(0, "DataLoader worker processes per rank.")
    extra_train_samples: int = arg(0, "Build this many training samples beyond what train_iters needs, so that data skipped after a roll back (NaN guard) does not run the data out.")


@dataclass(frozen=True)
class LauncherArgs:
    """Where ranks run; read by deepy.py and handed to DeepSpeed's launcher."""

    hostfile: Optional[str] = arg(None, "DeepSpeed hostfile (`host slots=N` lines) for multi-node runs.")
    num_gpus: Optional[int] = arg(None, "Ranks per node; unset = every GPU, or 1 on a CPU machine.")
    num_nodes: Optional[int] = arg(None, "Nodes to use from the hostfile; unset = all.")
    master_addr: Optional[str] = arg(None, "Address of rank 0.")
    master_port: Optional[int] = arg(None, "Port of rank 0 (1-65535); unset = a free port, chosen and logged by deepy.py (a fixed port is shared by every run on the machine).")
    include: Optional[str] = arg(None, "DeepSpeed --include resource filter, e.g. `host1:0,1@host2`.")
    exclude: Optional[str] = arg(None, "DeepSpeed --exclude resource filter.")
    launcher: str = arg("pdsh", "Multi-node launcher for DeepSpeed.", choices=["pdsh", "openmpi", "mvapich", "slurm", "mpich", "impi"])
    launcher_log_level: str = arg("warning", "Log level of DeepSpeed's launcher (`info` also prints each rank's full command line).", choices=["debug", "info", "warning", "error"])

    def __post_init__(self) -> None:
        for key in ("num_gpus", "num_nodes"):
            value = getattr(self, key)
            if value is not None and value < 1:
                raise SectionValueError(key, f"must be at least 1, or unset (= all), got {value}")
        if self.master_port is not None and not 1 <= self.master_port <= 65535:
            raise SectionValueError("master_port", f"must be a TCP port in 1..65535, got {self.master_port}")


SECTIONS: dict[str, type] = {
    "model": ModelArgs,
    "tokenizer": TokenizerArgs,
    "parallel": ParallelArgs,
    "batch": BatchArgs,
    "optimizer": OptimizerArgs,
    "learning_rate": LearningRateArgs,
    "precision": PrecisionArgs,
    "training": TrainingArgs,
    "checkpoint": CheckpointArgs,
    "data": DataArgs,
    "launcher": LauncherArgs,
}
"""Core sections, by attribute name on NeoXArgs. Each plugin of a run adds one top-level nested
section (`megatron.plugins.Plugin.section`)."""
