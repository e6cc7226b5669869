"""Training throughput of LlamaModel against HF LlamaForCausalLM on one GPU (not a test; run it by hand).

    PYTHONPATH=. python tests/megatron/model/benchmark_throughput.py [--steps 10] [--compile]

Default shape is TinyLlama (22 layers, hidden 2048, 32 heads, 4 kv heads, ffn 5632, vocab 32000),
seq 4096, micro-batch 4, pure bf16 parameters, torch fused AdamW: the setup of DESIGN.md's peer table.
MFU = flops_per_token * tokens/s / peak.
"""
from __future__ import annotations

import argparse
import os
import time

import torch


def _time_steps(step, steps: int, warmup: int) -> float:
    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    torch.cuda.synchronize()
    return (time.perf_counter() - start) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=22)
    parser.add_argument("--hidden", type=int, default=2048)
    parser.add_argument("--heads", type=int, default=32)
    parser.add_argument("--kv-heads", type=int, default=4)
    parser.add_argument("--ffn", type=int, default=5632)
    parser.add_argument("--vocab", type=int, default=32000)
    parser.add_argument("--seq", type=int, default=4096)
    parser.add_argument("--micro-batch", type=int, default=4)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--peak-tflops", type=float, default=989.0)
    parser.add_argument("--compile", action="store_true")
    parser.add_argument("--checkpoint-activations", action="store_true")
    parser.add_argument("--skip-hf", action="store_true")
    args = parser.parse_args()

    from megatron.core import parallel_state

    from megatron import parallel
    from megatron.model import ModelConfig, build_model, flops_per_token

    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29533")
    torch.distributed.init_process_group("nccl", rank=0, world_size=1)
    parallel_state.initialize_model_parallel(tensor_model_parallel_size=1)
    parallel.seed_everything(0)
    config = ModelConfig(num_layers=args.layers, hidden_size=args.hidden, num_attention_heads=args.heads,
                         num_kv_heads=args.kv_heads, intermediate_size=args.ffn, vocab_size=args.vocab,
                         seq_length=args.seq, params_dtype=torch.bfloat16,
                         checkpoint_activations=args.checkpoint_activations)
    tokens = torch.randint(0, args.vocab, (args.micro_batch, args.seq), device="cuda")
    labels = torch.roll(tokens, -1, dims=1)
    tokens_per_step = args.micro_batch * args.seq
    flops = flops_per_token(config)

    def report(name: str, seconds: float) -> None:
        rate = tokens_per_step / seconds
        mfu = flops * rate / (args.peak_tflops * 1e12)
        memory = torch.cuda.max_memory_allocated() / 2**30
        print(f"{name:>28}: {rate:10,.0f} tokens/s  MFU {100 * mfu:5.1f}%  step {1000 * seconds:7.1f} ms  "
              f"peak memory {memory:5.1f} GiB", flush=True)

    model = build_model(config)
    print(f"parameters {model.num_parameters():,}  flops/token {flops:.4g}", flush=True)
    forward = torch.compile(model) if args.compile else model
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=True)

    def our_step() -> None:
        loss = forward(tokens, labels).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    report("llama-neox" + (" (compiled)" if args.compile else ""), _time_steps(our_step, args.steps, args.warmup))
    del model, forward, optimizer
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()

    if args.skip_hf:
        return
    from transformers import LlamaConfig, LlamaForCausalLM

    hf_config = LlamaConfig(vocab_size=args.vocab, hidden_size=args.hidden, intermediate_size=args.ffn,
                            num_hidden_layers=args.layers, num_attention_heads=args.heads,
                            num_key_value_heads=args.kv_heads, max_position_embeddings=args.seq,
                            tie_word_embeddings=False, attn_implementation="sdpa")
    hf_model = LlamaForCausalLM(hf_config).to(device="cuda", dtype=torch.bfloat16)
    if args.checkpoint_activations:
        hf_model.gradient_checkpointing_enable()
    hf_forward = torch.compile(hf_model) if args.compile else hf_model
    hf_optimizer = torch.optim.AdamW(hf_model.parameters(), lr=1e-4, fused=True)

    def hf_step() -> None:
        hf_forward(input_ids=tokens, labels=tokens).loss.backward()
        hf_optimizer.step()
        hf_optimizer.zero_grad(set_to_none=True)

    report("HF LlamaForCausalLM" + (" (compiled)" if args.compile else ""), _time_steps(hf_step, args.steps, args.warmup))


if __name__ == "__main__":
    main()
