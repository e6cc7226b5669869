"""`python -m math_lm.formal`: check formal proofs, or run a formal task with a model.

    python -m math_lm.formal check --prover coq --statements data/minif2f/rocq/valid \\
        --proofs proofs.jsonl --output OUT
    python -m math_lm.formal run --task informal2formal --model HF_DIR --split valid --k 8 --output OUT
    python -m math_lm.formal run --task formal2formal --model HF_DIR --split valid,test \\
        --tactics-per-state 8 --expansion-budget 32 --output OUT
    python -m math_lm.formal baseline --split test --workers 2 --tactic-timeout 5 --output OUT

`check` reads `{"name", "proof"}` lines (the tactic script after `Proof.`, ending in `Qed.`), checks
them on a pool of header-loaded coqtop workers (`--fresh-coqc`: one fresh coqc each, the reference) and
writes OUT/results.jsonl: one line per attempt, in input order, with name, verified, reason and
seconds. `run` generates through the suite's lm-evaluation-harness backends (`--backend hf` or
`vllm`) and writes `math_lm.formal.tasks`' outputs. `baseline` runs the symbolic tactic portfolio
(`math_lm.formal.portfolio`, no model) on every statement of a split and prints its table; with
`--output` it writes OUT/proofs.jsonl (which `check` reads), OUT/baseline.jsonl and OUT/table.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

from tqdm import tqdm

from math_lm.formal.generation import Sampling
from math_lm.formal.backends import get_prover
from math_lm.formal.prover import ProverLimits, ProverUnavailable
from math_lm.formal.statements import (DEFAULT_INFORMAL, DEFAULT_STATEMENTS, SPLITS, Statement, StatementError,
                                            load_statements, statement_files)
from math_lm.eval.sandbox import SandboxUnavailable
from math_lm.jsonl import read_json_objects
from megatron.interrupts import run_tool
from megatron.io import write_text_atomically


class FormalError(ValueError):
    """Bad input to the formal CLI (the message names the file, line or flag)."""


def _limits(args: argparse.Namespace) -> ProverLimits:
    return ProverLimits(check_timeout_s=args.timeout, step_timeout_s=args.step_timeout, memory_mb=args.memory_mb)


def _all_statements(directory: Path) -> dict[str, Statement]:
    """The statements of `directory`: its own .v files, else those of its valid/ and test/."""
    if any(Path(directory).glob("*.v")):
        return load_statements(directory)
    found: dict[str, Statement] = {}
    for split in SPLITS:
        if (Path(directory) / split).is_dir():
            found.update(load_statements(directory, split))
    if not found:
        statement_files(directory)  # raises the error naming what is missing
    return found


def check_command(args: argparse.Namespace) -> int:
    statements = _all_statements(args.statements)
    attempts = []
    for line, record in read_json_objects(args.proofs, FormalError):
        name, proof = record.get("name"), record.get("proof")
        if not isinstance(name, str) or not isinstance(proof, str):
            raise FormalError(f"{args.proofs}:{line}: expected string fields name and proof, got keys {sorted(record)}")
        if name not in statements:
            raise FormalError(f"{args.proofs}:{line}: no statement {name!r} in {args.statements}")
        attempts.append((name, proof))
    options = {"fresh_coqc": True} if args.fresh_coqc else {"pool_size": args.workers}
    prover = get_prover(args.prover, _limits(args), **options)
    try:
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            verdicts = list(tqdm(pool.map(lambda attempt: prover.check(statements[attempt[0]], attempt[1]), attempts),
                                 total=len(attempts), desc="checking proofs", unit="proof"))
    finally:
        getattr(prover, "close", lambda: None)()
    args.output.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"name": v.name, "verified": v.verified, "reason": v.reason, "seconds": round(v.seconds, 3),
                         "statement_ok": v.statement_ok}) for v in verdicts]
    write_text_atomically(args.output / "results.jsonl", "".join(line + "\n" for line in lines))
    verified = sum(v.verified for v in verdicts)
    unscored = sum(not v.statement_ok for v in verdicts)
    print(f"verified {verified} of {len(verdicts)} proofs" + (f" ({unscored} statements do not elaborate)" if unscored else ""))
    return 0


@dataclass(frozen=True)
class _ModelSettings:
    """What `math_lm.eval.harness.build_model` reads."""

    model: str
    backend: str
    dtype: str
    batch_size: int
    device: str | None
    seed: int


def run_command(args: argparse.Namespace) -> int:
    from math_lm.formal.generation import model_tactics
    from math_lm.formal.search import SearchSettings
    from math_lm.formal.tasks import run_formal2formal, run_informal2formal, write_summary
    from math_lm.eval.harness import build_model

    splits = [s.strip() for s in args.split.split(",") if s.strip()]
    for split in splits:
        if split not in SPLITS:
            raise FormalError(f"--split {split}: expected valid, test or valid,test")
    if args.backend == "hf" and not Path(args.model).is_dir():
        raise FormalError(f"--model {args.model}: not a directory (expected an HF model directory)")
    prover = get_prover(args.prover, _limits(args))
    chosen = {split: list(load_statements(args.statements, split).values()) for split in splits}
    if args.names:
        wanted = set(args.names.split(","))
        chosen = {split: [s for s in found if s.name in wanted] for split, found in chosen.items()}
    if args.limit:
        chosen = {split: found[: args.limit] for split, found in chosen.items()}
    finish = None
    if args.task == "formal2formal" and args.finish == "portfolio":
        from math_lm.formal.portfolio import Portfolio, PortfolioSettings

        finish = Portfolio(prover, PortfolioSettings(tactic_timeout_s=args.finish_tactic_timeout)).finish
    lm = build_model(_ModelSettings(args.model, args.backend, args.dtype, args.batch_size, args.device, args.seed))
    args.output.mkdir(parents=True, exist_ok=True)
    results = []
    for split, statements in chosen.items():
        output = args.output / f"{args.task}_{split}.jsonl"
        if args.task == "informal2formal":
            sampling = Sampling(args.temperature, args.top_p, args.max_gen_toks)
            results.append(run_informal2formal(lm, prover, statements, split, args.k, sampling, output, args.informal))
        else:
            sampling = Sampling(args.temperature, args.top_p, args.max_tactic_toks)
            search = SearchSettings(args.tactics_per_state, args.expansion_budget, args.max_depth, args.search_time_limit)
            results.append(run_formal2formal(prover, statements, split, model_tactics(lm, sampling), search, output,
                                             finish))
    settings = {key: str(value) if isinstance(value, Path) else value for key, value in vars(args).items() if key != "func"}
    print(write_summary(args.output, args.model, args.prover, results, settings))
    return 0


def baseline_command(args: argparse.Namespace) -> int:
    from math_lm.formal.baseline import extend, format_table, proofs_lines, read_records, run_baseline
    from math_lm.formal.portfolio import PORTFOLIO, PortfolioSettings

    splits = [s.strip() for s in args.split.split(",") if s.strip()]
    for split in splits:
        if split not in SPLITS:
            raise FormalError(f"--split {split}: expected valid, test or valid,test")
    tactics = PORTFOLIO
    if args.tactics:
        known = {t.name: t for t in PORTFOLIO}
        unknown = [name for name in args.tactics.split(",") if name not in known]
        if unknown:
            raise FormalError(f"--tactics: unknown {', '.join(unknown)} (known: {', '.join(known)})")
        tactics = tuple(known[name] for name in args.tactics.split(","))
    if not args.hammer:
        tactics = tuple(t for t in tactics if t.script != "hammer")
    statements = [s for split in splits for s in load_statements(args.statements, split).values()]
    if args.names:
        wanted = set(args.names.split(","))
        statements = [s for s in statements if s.name in wanted]
    statements = statements[:: args.stride][: args.limit]
    settings = PortfolioSettings(args.tactic_timeout, args.statement_timeout, args.hammer_timeout, args.memory_mb, tactics)
    get_prover(args.prover, _limits(args))  # fails here, with the install line, if the prover is missing
    previous = {}
    if args.extend:
        previous = read_records(args.extend / "baseline.jsonl")
        missing = [s.name for s in statements if s.name not in previous]
        if missing:
            raise FormalError(f"--extend {args.extend}: no record of {', '.join(missing[:5])} in baseline.jsonl")
    if args.output:
        args.output.mkdir(parents=True, exist_ok=True)
        if args.extend and args.output.resolve() == args.extend.resolve():
            raise FormalError("--extend: write the extended run to another --output directory")
    done = [s for s in statements if s.name in previous and (previous[s.name].result.proved
                                                             or not previous[s.name].result.statement_ok)]
    todo = [s for s in statements if s not in done]
    records = run_baseline(todo, args.prover, _limits(args), settings, args.workers,
                           args.output / "baseline.jsonl" if args.output else None)
    records = [extend(previous[r.result.name], r.result) if previous else r for r in records]
    if previous:
        order = {s.name: index for index, s in enumerate(statements)}
        records = sorted(records + [previous[s.name] for s in done], key=lambda r: order[r.result.name])
        if args.output:  # the log of this run, merged with the earlier one
            write_text_atomically(args.output / "baseline.jsonl", "".join(
                json.dumps({"split": r.split, "source": r.source, **asdict(r.result)}) + "\n" for r in records))
    names = list(dict.fromkeys([t.name for t in PORTFOLIO] + [t.name for t in tactics]))
    table = format_table(records, names)
    if args.output:
        write_text_atomically(args.output / "proofs.jsonl", proofs_lines(records))
        write_text_atomically(args.output / "table.md", table)
    print(table)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m math_lm.formal", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--prover", default="coq", help="coq (Lean 4 and Isabelle are not built)")
        sub.add_argument("--output", required=True, type=Path, help="output directory")
        sub.add_argument("--timeout", type=float, default=60.0, help="seconds per proof check")
        sub.add_argument("--step-timeout", type=float, default=20.0, help="seconds per tactic step")
        sub.add_argument("--memory-mb", type=int, default=4096, help="prover address-space limit")

    check = commands.add_parser("check", help="check given proofs")
    common(check)
    check.add_argument("--statements", required=True, type=Path, help="directory of .v statements (or of valid/, test/)")
    check.add_argument("--proofs", required=True, type=Path, help="JSONL of {name, proof}")
    check.add_argument("--workers", type=int, default=1, help="proofs checked in parallel (and coqtop workers kept)")
    check.add_argument("--fresh-coqc", action="store_true",
                       help="check each proof with a fresh coqc (the reference path) instead of the worker pool")
    check.set_defaults(func=check_command)

    run = commands.add_parser("run", help="run informal2formal or formal2formal with a model")
    common(run)
    run.add_argument("--task", required=True, choices=("informal2formal", "formal2formal"))
    run.add_argument("--model", required=True, help="HF model directory (or a model name for --backend vllm)")
    run.add_argument("--split", default="valid", help="valid, test or valid,test")
    run.add_argument("--statements", type=Path, default=DEFAULT_STATEMENTS, help="miniF2F-rocq directory")
    run.add_argument("--informal", type=Path, default=DEFAULT_INFORMAL, help="informal statements/proofs directory")
    run.add_argument("--names", default=None, help="comma-separated problem names to run (default: all)")
    run.add_argument("--limit", type=int, default=None, help="first N problems of each split")
    run.add_argument("--k", type=int, default=8, help="informal2formal: samples per problem (pass@k)")
    run.add_argument("--temperature", type=float, default=0.6)
    run.add_argument("--top-p", type=float, default=0.95)
    run.add_argument("--max-gen-toks", type=int, default=512, help="informal2formal: tokens per proof")
    run.add_argument("--max-tactic-toks", type=int, default=64, help="formal2formal: tokens per tactic")
    run.add_argument("--tactics-per-state", type=int, default=8, help="formal2formal: tactics proposed per state")
    run.add_argument("--expansion-budget", type=int, default=32, help="formal2formal: states expanded per problem")
    run.add_argument("--max-depth", type=int, default=24, help="formal2formal: tactics per proof at most")
    run.add_argument("--search-time-limit", type=float, default=600.0, help="formal2formal: seconds per problem")
    run.add_argument("--finish", default="portfolio", choices=("portfolio", "none"),
                     help="formal2formal: try the symbolic tactic portfolio on every state the search reaches")
    run.add_argument("--finish-tactic-timeout", type=float, default=2.0, help="formal2formal: seconds per finishing tactic")
    run.add_argument("--backend", default="hf", choices=("hf", "vllm"))
    run.add_argument("--batch-size", type=int, default=1)
    run.add_argument("--device", default=None)
    run.add_argument("--dtype", default="auto")
    run.add_argument("--seed", type=int, default=1234)
    run.set_defaults(func=run_command)

    baseline = commands.add_parser("baseline", help="the symbolic tactic portfolio on a split (no model)")
    baseline.add_argument("--prover", default="coq", help="coq (the portfolio is Coq tactics)")
    baseline.add_argument("--split", default="test", help="valid, test or valid,test")
    baseline.add_argument("--statements", type=Path, default=DEFAULT_STATEMENTS, help="miniF2F-rocq directory")
    baseline.add_argument("--output", type=Path, default=None, help="write proofs.jsonl, baseline.jsonl, table.md here")
    baseline.add_argument("--workers", type=int, default=1, help="statements proved in parallel (processes)")
    baseline.add_argument("--tactic-timeout", type=float, default=5.0, help="seconds per tactic")
    baseline.add_argument("--statement-timeout", type=float, default=120.0, help="CPU seconds cap per statement's portfolio run")
    baseline.add_argument("--hammer", action="store_true", help="also run CoqHammer's hammer (E and CVC4), last")
    baseline.add_argument("--hammer-timeout", type=float, default=20.0, help="seconds for hammer")
    baseline.add_argument("--tactics", default=None, help="comma-separated portfolio entries (default: all)")
    baseline.add_argument("--extend", type=Path, default=None,
                          help="an earlier run's output directory: keep its proofs, run --tactics on the rest only")
    baseline.add_argument("--names", default=None, help="comma-separated problem names (default: all)")
    baseline.add_argument("--stride", type=int, default=1, help="every N-th statement only (a sample)")
    baseline.add_argument("--limit", type=int, default=None, help="first N statements (after --stride)")
    baseline.add_argument("--timeout", type=float, default=60.0, help="seconds per proof check")
    baseline.add_argument("--step-timeout", type=float, default=20.0, help=argparse.SUPPRESS)
    baseline.add_argument("--memory-mb", type=int, default=4096, help="prover address-space limit")
    baseline.set_defaults(func=baseline_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point (`llemma-formal`): one line, no traceback, for a damaged input file."""
    return run_tool("llemma-formal", lambda: _main(argv))


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    for name in ("k", "workers", "tactics_per_state", "expansion_budget", "max_depth", "limit", "stride"):
        value = getattr(args, name, None)
        if value is not None and value < 1:
            print(f"error: --{name.replace('_', '-')} must be at least 1, got {value}", file=sys.stderr)
            return 2
    started = time.monotonic()
    try:
        code = args.func(args)
    except (ProverUnavailable, SandboxUnavailable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 3
    except (FormalError, StatementError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"({time.monotonic() - started:.1f} s)", file=sys.stderr)
    return code
