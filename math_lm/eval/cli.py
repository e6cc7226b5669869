"""`python -m math_lm.eval`: evaluate an HF model directory on the LLEMMA suite.

    python -m math_lm.eval --model llemma-7b-hf --tasks math,gsm8k --data-dir data/eval \\
        --maj 16 --batch-size 8 --output eval/llemma-7b

Runs greedy decoding and, with `--maj K`, K samples per problem voted by equivalence; writes
per-problem JSONL, results.json and results.png under `--output`, and prints the accuracy table
in the layout of the paper's Table 1 (math-verify and Minerva/SymPy columns side by side).

    python -m math_lm.eval score --samples eval/llemma-7b --workers 8

re-scores saved generations offline, in parallel, resumably (`math_lm.eval.scoring`).
A thin front end over `math_lm.eval.harness` and `math_lm.eval.scoring`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Sequence

from math_lm.eval.harness import TASKS, EvalError, EvalSettings, evaluate, format_table
from math_lm.eval.tasks.loaders import DataError
from megatron.interrupts import run_tool


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


def build_score_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m math_lm.eval score",
                                     description="Re-score saved generations (resumable, parallel).")
    parser.add_argument("--samples", required=True, type=Path,
                        help="directory of <task>_<pass>.jsonl files written by python -m math_lm.eval")
    parser.add_argument("--output", type=Path, default=None, help="where scores go (default: SAMPLES/scored)")
    parser.add_argument("--workers", type=int, default=None, help="scoring processes (default: CPUs, at most 8)")
    return parser


def score_main(argv: Sequence[str]) -> int:
    from math_lm.eval.answers import WorkerUnavailable
    from math_lm.eval.scoring import ScoreError, score_samples

    args = build_score_parser().parse_args(argv)
    if args.workers is not None and args.workers < 1:
        print(f"error: --workers must be at least 1, got {args.workers}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        summary = score_samples(args.samples, args.output, args.workers)
    except (ScoreError, WorkerUnavailable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the problems scored so far are kept; run the same command again to resume",
              file=sys.stderr)
        return 130
    print(format_table(summary))
    print(f"wrote {args.output or args.samples / 'scored'}/scores.json and one .scored.jsonl per samples file")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point (`llemma-eval`): one line, no traceback, for a damaged input file."""
    return run_tool("llemma-eval", lambda: _main(argv))


def _main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["score"]:
        return score_main(argv[1:])
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
