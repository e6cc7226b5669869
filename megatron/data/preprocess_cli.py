"""The `preprocess_data.py` command (GPT-NeoX's flags): tokenize raw corpora into
`{output_prefix}_{key}_document.bin/.idx` indexed datasets.

Example:
    python tools/preprocess_data.py --input data/sample_corpus/sample.jsonl.zst \\
        --output-prefix data/processed/sample --tokenizer-type SPMTokenizer \\
        --vocab-file data/tokenizers/llama2.model --append-eod --workers 2
"""
from __future__ import annotations

import argparse
import logging
import sys

from megatron.data.corpus_reader import CorpusReadError
from megatron.data.preprocess import BadInputError, preprocess_corpus
from megatron.interrupts import run_tool
from megatron.tokenizer import TOKENIZER_TYPES

NAME = "preprocess_data.py"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_argument_group("input data")
    group.add_argument("--input", required=True,
                       help="comma-separated files or directories: .jsonl, .jsonl.zst, .json.zst, .jsonl.zst.tar, "
                            ".jsonl.gz, .txt, .gz")
    group.add_argument("--jsonl-keys", nargs="+", default=["text"],
                       help="JSON keys to tokenize; each goes to its own {prefix}_{key}_document (default: text)")
    group.add_argument("--num-docs", type=int, default=None,
                       help="expected number of documents, for an accurate progress bar (does not limit the run)")
    group.add_argument("--skip-bad", action="store_true",
                       help="count and skip bad records instead of stopping at the first one")
    group = parser.add_argument_group("tokenizer")
    group.add_argument("--tokenizer-type", required=True, choices=sorted(TOKENIZER_TYPES))
    group.add_argument("--vocab-file", required=True,
                       help="SentencePiece .model (SPMTokenizer) or tokenizer.json (HFTokenizer)")
    group.add_argument("--merge-file", default=None, help="BPE merges (unused by the supported tokenizer types)")
    group.add_argument("--append-eod", action="store_true", help="append the end-of-document token to each document")
    group.add_argument("--ftfy", action="store_true", help="fix text encoding problems with ftfy before tokenizing")
    group = parser.add_argument_group("output data")
    group.add_argument("--output-prefix", required=True, help="outputs are {prefix}_{key}_document.bin/.idx")
    group.add_argument("--overwrite", action="store_true", help="replace existing outputs")
    group.add_argument("--dataset-impl", choices=["mmap"], default="mmap",
                       help="accepted for GPT-NeoX compatibility: mmap (MMIDIDX .bin/.idx) is the only format")
    group = parser.add_argument_group("runtime")
    group.add_argument("--workers", type=int, default=1, help="tokenizing processes (0: tokenize in this process)")
    group.add_argument("--log-interval", type=int, default=1000,
                       help="without a terminal, log progress every this many documents")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    try:
        summary = preprocess_corpus(
            args.input, args.output_prefix,
            tokenizer_type=args.tokenizer_type, vocab_file=args.vocab_file, merge_file=args.merge_file,
            jsonl_keys=args.jsonl_keys, workers=args.workers, append_eod=args.append_eod, ftfy=args.ftfy,
            num_docs=args.num_docs, skip_bad=args.skip_bad, overwrite=args.overwrite, log_interval=args.log_interval,
        )
    except (BadInputError, CorpusReadError, FileExistsError, FileNotFoundError, ValueError) as error:
        print(f"{NAME}: error: {error}", file=sys.stderr)
        return 1
    print(summary.format())
    return 0


def run() -> None:
    """Console-script entry point (`neox-preprocess`): SIGTERM/SIGHUP handled like Ctrl-C."""
    sys.exit(run_tool(NAME, main))
