"""Convert Meta's Llama / Code Llama release (consolidated.NN.pth + params.json) into a NeoX checkpoint.

Example:
    python tools/ckpts/convert_raw_llama_to_neox.py --input-dir CodeLlama-34b --tp 8 --output ckpts/codellama-34b-tp8
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from math_lm.convert.common import ConversionError, parse_dtype  # noqa: E402
from math_lm.convert.hf_to_neox import DEFAULT_VOCAB_MULTIPLE  # noqa: E402
from math_lm.convert.raw_llama_to_neox import convert_raw_llama_to_neox  # noqa: E402
from megatron.interrupts import run_tool  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input-dir", required=True, help="directory with consolidated.NN.pth and params.json")
    parser.add_argument("--tp", type=int, required=True, help="tensor-parallel size of the run that loads it")
    parser.add_argument("--output", required=True, help="NeoX checkpoint directory to create")
    parser.add_argument("--rotary-emb-base", type=float, default=None,
                        help="RoPE base the run trains with (default: params.json's rope_theta, else 10000)")
    parser.add_argument("--dtype", choices=["bf16", "fp32", "fp16"], default=None,
                        help="cast the weights (default: keep the stored dtype)")
    parser.add_argument("--make-vocab-size-divisible-by", type=int, default=DEFAULT_VOCAB_MULTIPLE,
                        help="the run's make_vocab_size_divisible_by; the vocabulary is padded as the run pads it")
    parser.add_argument("--seq-length", type=int, default=4096, help="recorded as the model's seq_length")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        convert_raw_llama_to_neox(args.input_dir, args.output, args.tp, rotary_emb_base=args.rotary_emb_base,
                                  dtype=parse_dtype(args.dtype),
                                  make_vocab_size_divisible_by=args.make_vocab_size_divisible_by,
                                  seq_length=args.seq_length, overwrite=args.overwrite)
    except ConversionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(run_tool("convert_raw_llama_to_neox.py", main))
