"""Convert an HF Llama / Code Llama directory into a NeoX checkpoint for tensor parallel N.

Example (LLEMMA 7B starts from Code Llama 7B at TP 2 with RoPE base 10,000):
    python tools/ckpts/convert_hf_to_neox.py --hf-model CodeLlama-7b-hf --tp 2 \\
        --output ckpts/codellama-7b-tp2 --rotary-emb-base 10000 --dtype bf16

Train from it with `load: ckpts/codellama-7b-tp2` and `finetune: true` (weights only).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from math_lm.convert.common import ConversionError, parse_dtype  # noqa: E402
from math_lm.convert.hf_to_neox import DEFAULT_VOCAB_MULTIPLE, convert_hf_to_neox  # noqa: E402
from megatron.interrupts import run_tool  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hf-model", required=True, help="HF model directory (config.json + safetensors or .bin)")
    parser.add_argument("--tp", type=int, required=True, help="tensor-parallel size of the run that loads it")
    parser.add_argument("--output", required=True, help="NeoX checkpoint directory to create")
    parser.add_argument("--rotary-emb-base", type=float, default=None,
                        help="RoPE base the run trains with (default: the model's; LLEMMA 7B: 10000)")
    parser.add_argument("--dtype", choices=["bf16", "fp32", "fp16"], default=None,
                        help="cast the weights (default: keep the stored dtype)")
    parser.add_argument("--make-vocab-size-divisible-by", type=int, default=DEFAULT_VOCAB_MULTIPLE,
                        help="the run's make_vocab_size_divisible_by; the vocabulary is padded as the run pads it")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        convert_hf_to_neox(args.hf_model, args.output, args.tp, rotary_emb_base=args.rotary_emb_base,
                           dtype=parse_dtype(args.dtype), make_vocab_size_divisible_by=args.make_vocab_size_divisible_by,
                           overwrite=args.overwrite)
    except ConversionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(run_tool("convert_hf_to_neox.py", main))
