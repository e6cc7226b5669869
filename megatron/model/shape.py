"""The shape rules of a Llama model on N tensor-parallel ranks, in one place (no torch: the run
config checks them before anything heavy is imported)."""
from __future__ import annotations


def llama_intermediate_size(hidden_size: int, multiple_of: int = 256) -> int:
    """Llama's SwiGLU width when the config gives none: 2/3 of 4h, rounded up to `multiple_of`."""
    width = int(2 * 4 * hidden_size / 3)
    return multiple_of * ((width + multiple_of - 1) // multiple_of)


class ShapeError(ValueError):
    """A model shape that cannot be built; `key` is the field (config key) at fault."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def check_shape(
    *,
    num_layers: int,
    hidden_size: int,
    num_attention_heads: int,
    num_kv_heads: int | None,
    intermediate_size: int,
    seq_length: int,
    checkpoint_num_layers: int = 1,
    vocab_size: int | None = None,
    tensor_parallel_size: int = 1,
) -> None:
    """The shape rules of a Llama model on `tensor_parallel_size` ranks, in one place: ModelConfig
    checks them when it is built, the run config (`load_neox_args`) before anything starts.
    `vocab_size` None skips the vocabulary's divisibility (the run config knows it only with its tokenizer)."""
    sizes = {"num_layers": num_layers, "hidden_size": hidden_size, "num_attention_heads": num_attention_heads,
             "intermediate_size": intermediate_size, "seq_length": seq_length,
             "checkpoint_num_layers": checkpoint_num_layers}
    if vocab_size is not None:
        sizes["vocab_size"] = vocab_size
    for name, value in sizes.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ShapeError(name, f"{name} must be a positive integer, got {value!r}")
    if num_kv_heads is not None and (not isinstance(num_kv_heads, int) or num_kv_heads < 1):
        raise ShapeError("num_kv_heads", f"num_kv_heads must be a positive integer or None, got {num_kv_heads!r}")
    if hidden_size % num_attention_heads:
        raise ShapeError("num_attention_heads",
                         f"num_attention_heads={num_attention_heads} does not divide hidden_size={hidden_size}")
    if (hidden_size // num_attention_heads) % 2:
        raise ShapeError("num_attention_heads",
                         f"hidden_size / num_attention_heads = {hidden_size // num_attention_heads} must be even for RoPE")
    kv_heads = num_attention_heads if num_kv_heads is None else num_kv_heads
    if num_attention_heads % kv_heads:
        raise ShapeError("num_kv_heads", f"num_kv_heads={kv_heads} does not divide num_attention_heads={num_attention_heads}")
    if not isinstance(tensor_parallel_size, int) or tensor_parallel_size < 1:
        raise ShapeError("model_parallel_size", f"model_parallel_size must be positive, got {tensor_parallel_size}")
    divided = [("num_attention_heads", num_attention_heads), ("num_kv_heads", kv_heads),
               ("intermediate_size", intermediate_size)]
    if vocab_size is not None:
        divided.append(("vocab_size", vocab_size))
    for name, value in divided:
        if value % tensor_parallel_size:
            raise ShapeError(
                "intermediate_size" if name == "intermediate_size" else "model_parallel_size",
                f"model_parallel_size={tensor_parallel_size} does not divide {name}={value}"
                + ("; pad the vocabulary to a multiple of it" if name == "vocab_size" else ""),
            )
