"""`python -m math_lm.eval`: evaluate an HF model directory on the LLEMMA suite.

    python -m math_lm.eval --model llemma-7b-hf --tasks math,gsm8k --data-dir data/eval \\
        --maj 16 --batch-size 8 --output eval/llemma-7b

Runs greedy decoding and, with `--maj K`, K samples per problem voted by equivalence; writes
per-problem JSONL, results.json and results.png under `--output`, and prints the accuracy table
in the layout of the paper's Table 1. A thin front end over `math_lm.eval.harness`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from math_lm.eval.harness import TASKS, EvalError, EvalSettings, evaluate, format_table
from math_lm.eval.tasks.loaders import DataError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m math_lm.eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="HF model directory (or a model name for --backend vllm)")
    parser.add_argument("--tasks", required=True,
                        help=f"comma-separated: {', '.join(TASKS)}, or all (the llemma_ prefix is optional)")
    parser.add_argument("--output", required=True, type=Path, help="directory for the JSONL, JSON and plot outputs")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="local benchmark files (MATH/, gsm8k/, ocw/, mmlu/, sat/); default: the hub")
    parser.add_argument("--limit", type=int, default=None, help="evaluate only the first N problems of each task")
    parser.add_argument("--maj", type=int, default=1, help="also run maj@K: K samples per problem, majority vote")
    parser.add_argument("--skip-greedy", action="store_true", help="with --maj K, run only the sampling pass")
    parser.add_argument("--batch-size", type=int, default=1, help="generation batch size")
    parser.add_argument("--backend", default="hf", choices=("hf", "vllm"), help="lm-eval model backend")
    parser.add_argument("--device", default=None, help="torch device for the hf backend, e.g. cuda:0 or cpu")
    parser.add_argument("--dtype", default="auto", help="model dtype: auto, bfloat16, float16, float32")
    parser.add_argument("--max-gen-toks", type=int, default=None,
                        help="cap on generated tokens per answer (default: the task's, 256-512)")
    parser.add_argument("--use-cache", default=None, help="sqlite path prefix for lm-eval's response cache")
    parser.add_argument("--seed", type=int, default=1234, help="seed of the sampling pass")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = EvalSettings(
            model=args.model, tasks=tuple(args.tasks.split(",")), output=args.output, data_dir=args.data_dir,
            limit=args.limit, maj=args.maj, batch_size=args.batch_size, backend=args.backend, device=args.device,
            dtype=args.dtype, max_gen_toks=args.max_gen_toks, use_cache=args.use_cache, seed=args.seed,
            skip_greedy=args.skip_greedy,
        )
        summary = evaluate(settings)
    except (EvalError, DataError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(format_table(summary))
    print(f"wrote {settings.output}/results.json, results.png and one JSONL per task and pass")
    return 0
