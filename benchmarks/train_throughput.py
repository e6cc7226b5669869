"""Training throughput: the project's training step against a Hugging Face peer, same shape and batch.

    python benchmarks/train_throughput.py                      # TinyLlama and the 7B-width slice, on the GPU
    python benchmarks/train_throughput.py --device cpu --shape tiny --steps 2   # smoke check on a CPU

"ours" is exactly what train.py runs per step (megatron/engine.py build_engine +
forward_backward_step): the project's Llama on megatron-core tensor-parallel layers inside
DeepSpeed ZeRO-1, bf16 with fp32 master weights and fp32 gradient accumulation, torch fused
AdamW, gradient clipping. "ours + engine.compile" is the same under engine.compile() (what
`torch_compile: true` does in a run). The peer is HF
LlamaForCausalLM (SDPA attention) with fp32 parameters under bf16 autocast and torch fused
AdamW (DESIGN.md's peer setup). Both see the same random token batches; one process, one device.
MFU = (6N + 12 L d s) x tokens/s / peak, with N the non-embedding parameters (output layer
included), as megatron/model/llama.py's flops_per_token counts.
"""
from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time

import torch

SHAPES = {
    "tinyllama": dict(layers=22, hidden=2048, heads=32, kv_heads=4, ffn=5632, vocab=32000),
    "7b-slice": dict(layers=4, hidden=4096, heads=32, kv_heads=32, ffn=11008, vocab=32000),
    "tiny": dict(layers=2, hidden=64, heads=4, kv_heads=2, ffn=176, vocab=512),
}


def run_args(shape: dict, seq: int, micro_batch: int, bf16: bool):
    """The run configuration the project's engine is built from (a temporary YAML file)."""
    from megatron.neox_arguments import load_neox_args

    text = f"""
num_layers: {shape['layers']}
hidden_size: {shape['hidden']}
num_attention_heads: {shape['heads']}
num_kv_heads: {shape['kv_heads']}
intermediate_size: {shape['ffn']}
seq_length: {seq}
train_micro_batch_size_per_gpu: {micro_batch}
gradient_accumulation_steps: 1
optimizer: {{type: Adam, params: {{lr: 1.0e-4, betas: [0.9, 0.95], eps: 1.0e-8}}}}
weight_decay: 0.1
gradient_clipping: 1.0
train_iters: 1000
warmup: 10
bf16: {{enabled: {str(bf16).lower()}}}
fp32_allreduce: true
zero_optimization: {{stage: 1}}
"""
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as handle:
        handle.write(text)
    try:
        return load_neox_args([handle.name], world_size=1)
    finally:
        os.unlink(handle.name)


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def peak_memory_gib(device: torch.device) -> float:
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated() / 2**30
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def time_steps(step, steps: int, warmup: int, device: torch.device) -> float:
    for _ in range(warmup):
        step()
    synchronize(device)
    start = time.perf_counter()
    for _ in range(steps):
        step()
    synchronize(device)
    return (time.perf_counter() - start) / steps


def batches(shape: dict, seq: int, micro_batch: int, device: torch.device, count: int = 4):
    generator = torch.Generator().manual_seed(0)
    return [
        torch.randint(0, shape["vocab"], (micro_batch, seq + 1), generator=generator).to(device)
        for _ in range(count)
    ]


def measure_ours(shape, seq, micro_batch, steps, warmup, device, compile_engine: bool) -> dict:
    from megatron import parallel
    from megatron.model import build_model, flops_per_token
    from megatron.neox_arguments.model_config import model_config_from_args
    from megatron.engine import build_engine
    from megatron.training import forward_backward_step

    bf16 = device.type == "cuda"
    args = run_args(shape, seq, micro_batch, bf16)
    parallel.seed_everything(1234)
    config = model_config_from_args(args, shape["vocab"])
    engine = build_engine(build_model(config), args)
    if compile_engine:
        engine.compile()
    data = batches(shape, seq, micro_batch, device)
    counter = iter(range(10**9))

    def step():
        forward_backward_step(engine, [{"text": data[next(counter) % len(data)]}])

    seconds = time_steps(step, steps, warmup, device)
    result = {
        "seconds": seconds,
        "flops_per_token": flops_per_token(config, seq),
        "memory": peak_memory_gib(device),
    }
    return result


def measure_hf(shape, seq, micro_batch, steps, warmup, device) -> dict:
    from transformers import LlamaConfig, LlamaForCausalLM

    from megatron.model import ModelConfig, flops_per_token

    torch.manual_seed(1234)
    config = LlamaConfig(
        vocab_size=shape["vocab"], hidden_size=shape["hidden"], intermediate_size=shape["ffn"],
        num_hidden_layers=shape["layers"], num_attention_heads=shape["heads"],
        num_key_value_heads=shape["kv_heads"], max_position_embeddings=seq, rms_norm_eps=1e-5,
        tie_word_embeddings=False, attn_implementation="sdpa",
    )
    model = LlamaForCausalLM(config).to(device)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95), weight_decay=0.1,
                                  fused=device.type == "cuda")
    data = batches(shape, seq, micro_batch, device)
    counter = iter(range(10**9))
    autocast_dtype = torch.bfloat16

    def step():
        tokens = data[next(counter) % len(data)]
        with torch.autocast(device.type, dtype=autocast_dtype):
            loss = model(input_ids=tokens[:, :-1], labels=tokens[:, :-1]).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    seconds = time_steps(step, steps, warmup, device)
    ours_config = ModelConfig(
        num_layers=shape["layers"], hidden_size=shape["hidden"], num_attention_heads=shape["heads"],
        num_kv_heads=shape["kv_heads"], intermediate_size=shape["ffn"], vocab_size=shape["vocab"], seq_length=seq,
    )
    result = {"seconds": seconds, "flops_per_token": flops_per_token(ours_config, seq), "memory": peak_memory_gib(device)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="repeatable; default tinyllama and 7b-slice")
    parser.add_argument("--seq", type=int, default=4096)
    parser.add_argument("--micro-batch", type=int, default=4)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--compile", action="store_true", help="also time ours under engine.compile()")
    parser.add_argument("--peak-tflops", type=float, default=None, help="device peak for MFU (default: from the device name)")
    options = parser.parse_args()

    if options.device == "cpu":
        os.environ.setdefault("DS_ACCELERATOR", "cpu")
        if options.seq == 4096:
            options.seq = 64
    device = torch.device(options.device)
    from megatron import parallel
    from megatron.metrics import device_peak_tflops

    parallel.initialize_distributed(tensor_parallel_size=1)
    peak = device_peak_tflops(options.peak_tflops)
    name = torch.cuda.get_device_name() if device.type == "cuda" else "CPU"
    print(f"device: {name}; peak {peak or '-'} TFLOP/s; seq {options.seq}, micro-batch {options.micro_batch}, "
          f"{options.steps} timed steps after {options.warmup} warm-up", flush=True)

    rows = []
    for shape_name in options.shape or ["tinyllama", "7b-slice"]:
        shape = SHAPES[shape_name]
        tokens = options.seq * options.micro_batch
        precision = "bf16" if device.type == "cuda" else "fp32"
        setups = [(f"ours (DeepSpeed ZeRO-1 {precision})", lambda: measure_ours(shape, options.seq, options.micro_batch, options.steps, options.warmup, device, False))]
        if options.compile:
            setups.append(("ours + engine.compile", lambda: measure_ours(shape, options.seq, options.micro_batch, options.steps, options.warmup, device, True)))
        setups.append(("HF peer (fp32 params, bf16 autocast)", lambda: measure_hf(shape, options.seq, options.micro_batch, options.steps, options.warmup, device)))
        baseline = None
        for label, measure in setups:
            if device.type == "cuda":
                torch.cuda.reset_peak_memory_stats()
            result = measure()
            gc.collect()
            if device.type == "cuda":
                torch.cuda.empty_cache()
            tokens_per_second = tokens / result["seconds"]
            tflops = result["flops_per_token"] * tokens_per_second / 1e12
            row = (shape_name, label, tokens_per_second, tflops, tflops / peak if peak else None, result["memory"])
            rows.append(row)
            if label.startswith("HF"):
                baseline = tokens_per_second
            mfu = f"MFU {100 * row[4]:5.1f}%" if row[4] is not None else "MFU    -"
            print(f"  {shape_name:10s} {label:40s} {tokens_per_second:12,.0f} tokens/s  {tflops:9.3f} TFLOP/s  "
                  f"{mfu}  peak mem {result['memory']:.1f} GiB", flush=True)
        for row in rows:
            if row[0] == shape_name and baseline and not row[1].startswith("HF"):
                print(f"  {shape_name:10s} ratio {row[1]} / HF peer: {row[2] / baseline:.2f}x", flush=True)
    parallel.destroy_distributed()


if __name__ == "__main__":
    main()
