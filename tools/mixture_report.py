"""Report a run's training mixture: per source its weight, share, tokens available, tokens drawn, epochs.

Example:
    python tools/mixture_report.py configs/llemma_7b.yml configs/data_mixture.yml --plot mixture.png

Tokens available are read from each source's `.idx`; tokens drawn are train_iters x global
batch x seq_length x the source's share. A source the run would go through more than
--max-epochs times gets a warning. The world size (for the global batch) is inferred from the
config (batch triple, or num_nodes x num_gpus) unless --world-size is given.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from math_lm.mixture import load_run_config, mixture_budget, plot_budget, write_text_atomically  # noqa: E402
from megatron.neox_arguments import ConfigError  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("configs", nargs="+", help="the run's YAML config files, merged in order")
    parser.add_argument("--max-epochs", type=float, default=4.0,
                        help="warn about sources the run would repeat more than this many times (default 4)")
    parser.add_argument("--plot", default=None, help="write a bar chart (PNG) of shares and epochs here")
    parser.add_argument("--json", default=None, help="write the numbers as JSON here")
    parser.add_argument("--world-size", type=int, default=None, help="ranks of the run (default: inferred from the config)")
    parser.add_argument("--allow-missing", action="store_true",
                        help="report sources whose .bin/.idx do not exist as unknown instead of failing")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
