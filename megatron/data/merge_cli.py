"""Merge many tokenized `.bin`/`.idx` datasets into one, byte-identical to tokenizing their sources together.

    python tools/merge_datasets.py --input tok/ --output-prefix data/owm_text_document
    python tools/merge_datasets.py --input tok/a_text_document tok/b_text_document --output-prefix merged

A directory stands for every `.idx` pair in it, in name order (the order preprocess_data.py reads shards).
"""
from __future__ import annotations

import argparse
import logging
import sys

from megatron.data.indexed_dataset import IndexedDatasetError
from megatron.data.merge import merge_datasets

from megatron.interrupts import run_tool


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", nargs="+", required=True,
                        help="dataset prefixes (or their .bin/.idx files) or directories, merged in this order")
    parser.add_argument("--output-prefix", required=True, help="writes {prefix}.bin and {prefix}.idx")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    try:
        merged = merge_datasets(args.input, args.output_prefix, overwrite=args.overwrite)
    except (FileExistsError, FileNotFoundError, IndexedDatasetError, ValueError) as error:
        print(f"merge_datasets.py: error: {error}", file=sys.stderr)
        return 1
    print(f"{args.output_prefix}.bin/.idx: {merged.document_count} documents, {merged.token_count} tokens")
    return 0


def run() -> None:
    """Console-script entry point (`neox-merge-datasets`): SIGTERM/SIGHUP handled like Ctrl-C."""
    sys.exit(run_tool("merge_datasets.py", main))
