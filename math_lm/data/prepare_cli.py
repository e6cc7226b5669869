"""Prepare one Proof-Pile-2 subset from raw sources into sharded .jsonl.zst files and stats.json.

    python tools/prepare_proof_pile_2.py {arxiv,open-web-math,algebraic-stack} \
        --input PATH [PATH ...] --output-dir DIR [--executor local|slurm|ray] [--tasks N] [--workers N]
        [--budget NAME=VALUE ...]
        [--math-classifier MODEL.bin [--math-classifier-label LABEL]]   (open-web-math)

Writes DIR/{train,validation,test}/*.jsonl.zst (split 99 / 0.5 / 0.5 % by content hash) and DIR/stats.json,
through datatrove pipelines (local processes, Slurm job arrays or a Ray cluster). The output is the same
for any --tasks and --workers. A document over its per-document budget (size, decompressed size, LaTeX
expansion, HTML depth, text length, extraction time, worker memory) is dropped and counted in stats.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from pathlib import Path

from math_lm.data.algebraic_stack import AlgebraicStackSubset, load_decontamination_names
from math_lm.data.arxiv import ArxivSubset
from math_lm.data.budget import DocumentBudget
from math_lm.data.open_web_math import OpenWebMathConfig, OpenWebMathSubset
from math_lm.data.pipeline import EXECUTORS, RayOptions, SlurmOptions, prepare_subset
from megatron.interrupts import run_tool


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("subset", choices=["arxiv", "open-web-math", "algebraic-stack"])
    parser.add_argument("--input", nargs="+", required=True, type=Path, help="files or directories to read")
    parser.add_argument("--output-dir", required=True, type=Path, help="must not already hold prepared output")
    parser.add_argument("--executor", choices=EXECUTORS, default="local", help="where the tasks run (default local)")
    parser.add_argument("--tasks", type=int, default=None,
                        help="extraction tasks, each a contiguous slice of the inputs (default: --workers, at least 1)")
    parser.add_argument("--workers", type=int, default=None,
                        help="tasks run at once (default: 1 for local; all (-1) for slurm and ray)")
    parser.add_argument("--shard-mb", type=float, default=256.0, help="uncompressed MiB per shard (default 256)")
    parser.add_argument(
        "--budget",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change one per-document limit of math_lm.data.budget.DocumentBudget, e.g. max_seconds=30 "
        "(repeatable; the defaults are in the README)",
    )
    parser.add_argument(
        "--decontaminate",
        type=Path,
        help="algebraic-stack only: file of theorem names (one per line, e.g. miniF2F) to keep out",
    )
    parser.add_argument(
        "--math-classifier",
        type=Path,
        help="open-web-math only: fastText-format model (.bin/.ftz) replacing the heuristic math score",
    )
    parser.add_argument(
        "--math-classifier-label",
        help="open-web-math only: the classifier's math label (default __label__positive)",
    )
    slurm = parser.add_argument_group("slurm executor")
    slurm.add_argument("--partition", help="Slurm partition (required with --executor slurm)")
    slurm.add_argument("--time", default="24:00:00", help="time limit per job (default 24:00:00)")
    slurm.add_argument("--cpus-per-task", type=int, default=1, help="CPUs per task (slurm and ray; default 1)")
    slurm.add_argument("--mem-per-cpu-gb", type=float, default=2, help="memory per CPU in GB (slurm and ray; default 2)")
    slurm.add_argument("--env-command", help="shell lines run before each Slurm task (default: activate this venv)")
    ray = parser.add_argument_group("ray executor")
    ray.add_argument("--ray-address", help="Ray cluster address (default: start a local Ray)")
    return parser.parse_args(argv)


def _error(message: str) -> int:
    print(f"prepare_proof_pile_2: error: {message}", file=sys.stderr)
    return 2


def _open_web_math_config(args: argparse.Namespace) -> OpenWebMathConfig:
    config = OpenWebMathConfig()
    if args.math_classifier is not None:
        config = replace(config, math_classifier=str(args.math_classifier))
    if args.math_classifier_label is not None:
        config = replace(config, math_classifier_label=args.math_classifier_label)
    return config


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    for flag, value, subset_name in (
        ("--decontaminate", args.decontaminate, "algebraic-stack"),
        ("--math-classifier", args.math_classifier, "open-web-math"),
        ("--math-classifier-label", args.math_classifier_label, "open-web-math"),
    ):
        if value is not None and args.subset != subset_name:
            return _error(f"{flag} applies to the {subset_name} subset only")
    if args.math_classifier_label is not None and args.math_classifier is None:
        return _error("--math-classifier-label needs --math-classifier")
    if args.executor == "slurm" and not args.partition:
        return _error("--executor slurm needs --partition")
    try:
        if args.subset == "arxiv":
            subset = ArxivSubset()
        elif args.subset == "open-web-math":
            subset = OpenWebMathSubset(_open_web_math_config(args))  # loads and checks the classifier
        else:
            names = load_decontamination_names(args.decontaminate) if args.decontaminate else frozenset()
            subset = AlgebraicStackSubset(decontamination_names=names)
        subset = replace(subset, budget=DocumentBudget().with_overrides(args.budget))
    except (OSError, ValueError) as error:
        return _error(str(error))
    slurm = None
    if args.executor == "slurm":
        slurm = SlurmOptions(args.partition, args.time, args.cpus_per_task, int(args.mem_per_cpu_gb), args.env_command)
    ray = RayOptions(args.ray_address, args.cpus_per_task, args.mem_per_cpu_gb)
    workers = args.workers if args.workers is not None else (1 if args.executor == "local" else -1)
    tasks = args.tasks if args.tasks is not None else max(workers, 1)
    try:
        stats = prepare_subset(
            subset, args.input, args.output_dir, executor=args.executor, tasks=tasks, workers=workers,
            shard_bytes=int(args.shard_mb * 1024 * 1024), slurm=slurm, ray=ray,
        )  # fmt: skip
    except (FileNotFoundError, FileExistsError, ValueError) as error:
        return _error(str(error))
    if stats is None:
        print(json.dumps({"submitted": args.executor, "stats": str(args.output_dir / "stats.json")}))
        return 0
    summary = {split: entry["documents"] for split, entry in stats["splits"].items()}
    print(json.dumps({"kept": summary, "dropped": stats["dropped_documents"], "stats": str(args.output_dir / "stats.json")}))
    return 0


def run() -> None:
    """Console-script entry point (`llemma-prepare-proof-pile-2`): SIGTERM/SIGHUP handled like Ctrl-C."""
    sys.exit(run_tool("prepare_proof_pile_2.py", main))
