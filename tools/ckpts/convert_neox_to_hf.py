"""Export a NeoX checkpoint of this project (any tensor-parallel size) as an HF Llama model with its tokenizer.

Example:
    python tools/ckpts/convert_neox_to_hf.py --input ckpts/llemma-7b --output llemma-7b-hf

The result loads offline with AutoModelForCausalLM.from_pretrained / AutoTokenizer.from_pretrained.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from math_lm.convert.common import ConversionError, parse_dtype  # noqa: E402
from math_lm.convert.neox_to_hf import DEFAULT_MAX_SHARD_BYTES, export  # noqa: E402
from megatron.interrupts import run_tool  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True, help="NeoX checkpoint directory (the run's save directory)")
    parser.add_argument("--tag", default=None, help="checkpoint tag, e.g. global_step500 (default: `latest`)")
    parser.add_argument("--output", required=True, help="HF model directory to create")
    parser.add_argument("--tokenizer", default=None,
                        help="SentencePiece model to ship (default: the run's vocab_file, else the converter's copy)")
    parser.add_argument("--dtype", choices=["bf16", "fp32", "fp16"], default=None,
                        help="exported dtype (default: the checkpoint's)")
    parser.add_argument("--max-shard-size-gb", type=float, default=DEFAULT_MAX_SHARD_BYTES / 1024**3,
                        help="split safetensors files above this size (GiB)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        export(args.input, args.output, tag=args.tag, tokenizer=args.tokenizer, dtype=parse_dtype(args.dtype),
               max_shard_bytes=int(args.max_shard_size_gb * 1024**3), overwrite=args.overwrite)
    except ConversionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(run_tool("convert_neox_to_hf.py", main))
