"""Conversion speed and memory: a random Llama HF model -> NeoX (TP 2) -> HF, beside a plain
safetensors load + save of the same file.

Each step (model creation included) runs in its own process so that its peak RSS is its own; "imports" is the peak RSS
right after the step's imports (torch, and for the converters megatron-core and transformers),
so the memory the step itself added is peak - imports.

    python benchmarks/convert_speed.py [--size 1b|350m|tiny] [--dtype bf16|fp32] [--workdir DIR]

1b is TinyLlama's shape (22 layers, hidden 2048, 32 heads, 4 kv heads, ffn 5632, vocab 32000:
1.1B parameters).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TOKENIZER = REPO_ROOT / "data/tokenizers/llama2.model"

SIZES = {
    "1b": dict(num_hidden_layers=22, hidden_size=2048, num_attention_heads=32, num_key_value_heads=4,
               intermediate_size=5632),
    "350m": dict(num_hidden_layers=12, hidden_size=1280, num_attention_heads=20, num_key_value_heads=4,
                 intermediate_size=3456),
    "tiny": dict(num_hidden_layers=2, hidden_size=256, num_attention_heads=4, num_key_value_heads=2,
                 intermediate_size=688),
}


def _peak_rss_mib() -> float:
    from math_lm.convert.common import peak_rss_mib

    return peak_rss_mib()


def make_model(directory: Path, size: str, dtype_name: str) -> int:
    """Write a random HF Llama (config.json + model.safetensors + tokenizer.model); returns parameters."""
    import torch
    from safetensors.torch import save_file
    from transformers import LlamaConfig

    config = LlamaConfig(vocab_size=32000, max_position_embeddings=4096, rms_norm_eps=1e-5,
                         tie_word_embeddings=False, bos_token_id=1, eos_token_id=2, **SIZES[size])
    dtype = torch.bfloat16 if dtype_name == "bf16" else torch.float32
    hidden, ffn, head_dim = config.hidden_size, config.intermediate_size, config.hidden_size // config.num_attention_heads
    kv_rows = config.num_key_value_heads * head_dim
    shapes = {"model.embed_tokens.weight": (32000, hidden), "model.norm.weight": (hidden,), "lm_head.weight": (32000, hidden)}
    for i in range(config.num_hidden_layers):
        prefix = f"model.layers.{i}."
        shapes.update({
            prefix + "input_layernorm.weight": (hidden,), prefix + "post_attention_layernorm.weight": (hidden,),
            prefix + "self_attn.q_proj.weight": (hidden, hidden), prefix + "self_attn.k_proj.weight": (kv_rows, hidden),
            prefix + "self_attn.v_proj.weight": (kv_rows, hidden), prefix + "self_attn.o_proj.weight": (hidden, hidden),
            prefix + "mlp.gate_proj.weight": (ffn, hidden), prefix + "mlp.up_proj.weight": (ffn, hidden),
            prefix + "mlp.down_proj.weight": (hidden, ffn),
        })
    generator = torch.Generator().manual_seed(0)
    tensors = {name: (torch.randn(shape, generator=generator) * 0.02).to(dtype) for name, shape in shapes.items()}
    directory.mkdir(parents=True)
    save_file(tensors, str(directory / "model.safetensors"), metadata={"format": "pt"})
    config.dtype = dtype
    config.save_pretrained(directory)
    (directory / "tokenizer.model").write_bytes(TOKENIZER.read_bytes())
    return sum(t.numel() for t in tensors.values())


def run_step(step: str, workdir: Path) -> dict:
    """One measured step, in this process (the parent calls it through a child process)."""
    if step.startswith("make:"):
        _, size, dtype_name = step.split(":")
        start = time.perf_counter()
        parameters = make_model(workdir / "hf", size, dtype_name)
        return {"seconds": time.perf_counter() - start, "parameters": parameters}
    if step == "plain":
        from safetensors.torch import load_file, save_file

        imports = _peak_rss_mib()
        start = time.perf_counter()
        tensors = load_file(str(workdir / "hf/model.safetensors"))
        save_file(tensors, str(workdir / "plain-copy.safetensors"), metadata={"format": "pt"})
    elif step == "hf_to_neox":
        from math_lm.convert.hf_to_neox import convert_hf_to_neox

        imports = _peak_rss_mib()
        start = time.perf_counter()
        convert_hf_to_neox(workdir / "hf", workdir / "neox", 2)
    elif step == "neox_to_hf":
        from math_lm.convert.neox_to_hf import export

        imports = _peak_rss_mib()
        start = time.perf_counter()
        export(workdir / "neox", workdir / "hf-back")
    else:
        raise ValueError(f"unknown step {step!r}")
    return {"seconds": time.perf_counter() - start, "peak_rss_mib": _peak_rss_mib(), "imports_rss_mib": imports}


def measure(step: str, workdir: Path) -> dict:
    command = [sys.executable, __file__, "--child-step", step, "--workdir", str(workdir)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"step {step} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="1b")
    parser.add_argument("--dtype", choices=["bf16", "fp32"], default="bf16")
    parser.add_argument("--workdir", default=None, help="scratch directory (default: a temporary one, removed)")
    parser.add_argument("--child-step", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_step:
        print(json.dumps(run_step(args.child_step, Path(args.workdir))))
        return
    with tempfile.TemporaryDirectory(dir=args.workdir) as scratch:
        workdir = Path(scratch)
        # In a child too: Linux carries a parent's peak RSS into the children it starts.
        made = measure(f"make:{args.size}:{args.dtype}", workdir)
        size_mib = (workdir / "hf/model.safetensors").stat().st_size / 1024**2
        print(f"model: {args.size}, {made['parameters'] / 1e9:.3f}B parameters, {args.dtype}, {size_mib:,.0f} MiB "
              f"(written in {made['seconds']:.1f} s)")
        print(f"{'step':<28}{'seconds':>9}{'peak RSS MiB':>14}{'after imports':>15}{'added':>9}")
        for step, label in (("plain", "safetensors load + save"), ("hf_to_neox", "HF -> NeoX (TP 2)"),
                            ("neox_to_hf", "NeoX (TP 2) -> HF")):
            numbers = measure(step, workdir)
            added = numbers["peak_rss_mib"] - numbers["imports_rss_mib"]
            print(f"{label:<28}{numbers['seconds']:>9.1f}{numbers['peak_rss_mib']:>14,.0f}"
                  f"{numbers['imports_rss_mib']:>15,.0f}{added:>9,.0f}", flush=True)


if __name__ == "__main__":
    main()
