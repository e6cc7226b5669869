"""Write the deterministic raw Proof-Pile-2 samples (LaTeX papers, math web pages, math source code).

The shipped data/sample_raw/ is this script's default output:
    python tools/make_sample_raw.py --output data/sample_raw --overwrite

Each subfolder is an input of tools/prepare_proof_pile_2.py:
    python tools/prepare_proof_pile_2.py arxiv --input data/sample_raw/arxiv --output-dir OUT/arxiv
(code in tools/fixtures/sample_raw.py).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fixtures.sample_raw import SEED, write_sample_raw


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=Path("data/sample_raw"), help="folder to write (default data/sample_raw)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED}; same seed, same files)")
    parser.add_argument("--overwrite", action="store_true", help="replace the folder if it is not empty")
    args = parser.parse_args(argv)
    try:
        counts = write_sample_raw(args.output, args.seed, args.overwrite)
    except FileExistsError as error:
        print(f"make_sample_raw.py: error: {error}", file=sys.stderr)
        return 2
    for subset, files in counts.items():
        size = sum(path.stat().st_size for path in (args.output / subset).rglob("*") if path.is_file())
        print(f"{subset}: {files} files, {size / 1024:.0f} KiB in {args.output / subset}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
