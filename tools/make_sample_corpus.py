"""Write the deterministic synthetic sample corpus (math-flavoured text, LaTeX, Python) as .jsonl.zst.

The shipped data/sample_corpus/sample.jsonl.zst is this script's default output:
    python tools/make_sample_corpus.py --output data/sample_corpus/sample.jsonl.zst
"""
from __future__ import annotations

import argparse
import sys

from fixtures.corpus_synthetic import write_synthetic_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", default="data/sample_corpus/sample.jsonl.zst", help="a .jsonl.zst path")
    parser.add_argument("--num-docs", type=int, default=4000, help="documents to generate")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same corpus)")
    args = parser.parse_args(argv)
    size = write_synthetic_corpus(args.output, args.num_docs, args.seed)
    print(f"wrote {args.num_docs} documents to {args.output} ({size / 1024:.0f} KiB compressed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
