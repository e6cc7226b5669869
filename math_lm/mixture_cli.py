"""The mixture commands: `mixture_report.py` (a run's mixture budget) and `mixture_search.py`
(LLEMMA's short-run search over mixtures); console scripts `llemma-mixture-report`/`-search`."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from math_lm.mixture import MixtureSpecError, load_run_config, mixture_budget, parse_mixture_list, plot_budget
from math_lm.mixture_search import (
    LAUNCHERS,
    RESULTS_JSON,
    RESULTS_PLOT,
    MixtureSearchError,
    plot_search,
    run_mixture_search,
)
from megatron.interrupts import run_tool
from megatron.io import write_text_atomically
from megatron.neox_arguments import ConfigError

REPORT_DOC = """Report a run's training mixture: per source its weight, share, tokens available, tokens drawn, epochs.

Example:
    python tools/mixture_report.py configs/llemma_7b.yml configs/data_mixture.yml --plot mixture.png

Tokens available are read from each source's `.idx`; tokens drawn are train_iters x global
batch x seq_length x the source's share. A source the run would go through more than
--max-epochs times gets a warning. The world size (for the global batch) is inferred from the
config (batch triple, or num_nodes x num_gpus) unless --world-size is given.
"""

SEARCH_DOC = """Choose the Proof-Pile-2 mixture the way LLEMMA did: short runs per candidate, scored by perplexity.

Example:
    python tools/mixture_search.py --config configs/llemma_7b.yml configs/data_mixture.yml \\
        --mixtures 2:4:1,2:4:2,4:4:2,4:2:1,4:4:1,4:2:2 --train-iters 500 \\
        --ppl-data math_train.jsonl --output runs/mixture_search

Each candidate a:b:c replaces the weights of the first three training sources (arXiv,
OpenWebMath, AlgebraicStack); the others keep theirs. Each trains in its own process
(`--launcher deepy`: python deepy.py train.py; `single`: python train.py, one process),
saving to OUTPUT/a-b-c. Each final checkpoint is then loaded (merged, tensor-parallel size 1)
and scored by token-level perplexity on the held-out .jsonl (`text`, optional `type`: the
MATH training set has one), overall and per type. Prints a table, writes OUTPUT/mixture_search.json
and a bar chart (OUTPUT/mixture_search.png unless --plot), and names the best. To start every
candidate from a pretrained model, as the paper did from Code Llama, give the base config
`load` and `finetune: true`. Candidates already trained by an earlier identical search are reused.
"""


def parse_report_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=REPORT_DOC, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("configs", nargs="+", help="the run's YAML config files, merged in order")
    parser.add_argument("--max-epochs", type=float, default=4.0,
                        help="warn about sources the run would repeat more than this many times (default 4)")
    parser.add_argument("--plot", default=None, help="write a bar chart (PNG) of shares and epochs here")
    parser.add_argument("--json", default=None, help="write the numbers as JSON here")
    parser.add_argument("--world-size", type=int, default=None, help="ranks of the run (default: inferred from the config)")
    parser.add_argument("--allow-missing", action="store_true",
                        help="report sources whose .bin/.idx do not exist as unknown instead of failing")
    return parser.parse_args(argv)


def report_main(argv: list[str] | None = None) -> int:
    options = parse_report_args(argv)
    if options.max_epochs <= 0:
        print("mixture_report.py: error: --max-epochs must be positive", file=sys.stderr)
        return 2
    try:
        args = load_run_config(options.configs, options.world_size)
        budget = mixture_budget(args, allow_missing=options.allow_missing)
    except (ConfigError, FileNotFoundError, ValueError) as error:
        print(f"mixture_report.py: error: {error}", file=sys.stderr)
        return 1
    print(budget.table())
    for warning in budget.warnings(options.max_epochs):
        print(f"warning: {warning}", file=sys.stderr)
    if options.json:
        write_text_atomically(options.json, json.dumps(budget.to_dict(), indent=2) + "\n")
    if options.plot:
        plot_budget(budget, options.plot, options.max_epochs)
        print(f"plot: {options.plot}")
    return 0


def parse_search_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=SEARCH_DOC, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", nargs="+", required=True, help="base YAML config files, merged in order")
    parser.add_argument("--mixtures", required=True,
                        help="comma-separated arXiv:OpenWebMath:AlgebraicStack ratios, e.g. 2:4:1,2:4:2")
    parser.add_argument("--train-iters", type=int, required=True, help="training iterations per candidate")
    parser.add_argument("--ppl-data", required=True, help="held-out .jsonl with 'text' (and optional 'type')")
    parser.add_argument("--output", required=True, help="directory for configs, checkpoints, logs and results")
    parser.add_argument("--launcher", choices=LAUNCHERS, default="deepy",
                        help="deepy: every rank the config asks for; single: one process (default deepy)")
    parser.add_argument("--eval-batch-size", type=int, default=8, help="windows per forward pass when scoring")
    parser.add_argument("--max-epochs", type=float, default=4.0, help="warn about sources repeated more than this")
    parser.add_argument("--plot", default=None, help=f"bar chart PNG (default OUTPUT/{RESULTS_PLOT})")
    parser.add_argument("--quiet", action="store_true", help="do not echo the trainings' output or progress bars")
    return parser.parse_args(argv)


def search_main(argv: list[str] | None = None) -> int:
    options = parse_search_args(argv)
    try:
        mixtures = parse_mixture_list(options.mixtures)
        result = run_mixture_search(
            options.config, mixtures, options.train_iters, options.ppl_data, options.output,
            launcher=options.launcher, eval_batch_size=options.eval_batch_size, max_epochs=options.max_epochs,
            echo=not options.quiet, log=lambda line: print(line, file=sys.stderr, flush=True),
        )
    except (ConfigError, MixtureSpecError, MixtureSearchError, FileNotFoundError, ValueError) as error:
        print(f"mixture_search.py: error: {error}", file=sys.stderr)
        return 1
    plot = options.plot or str(Path(options.output) / RESULTS_PLOT)
    plot_search(result, plot)
    print(result.table())
    print(f"results: {Path(options.output) / RESULTS_JSON}")
    print(f"plot: {plot}")
    return 0


def run_report() -> None:
    sys.exit(run_tool("mixture_report.py", report_main))


def run_search() -> None:
    sys.exit(run_tool("mixture_search.py", search_main))
