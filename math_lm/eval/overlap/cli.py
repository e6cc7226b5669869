"""The `ngram_overlap.py` command (console script `llemma-ngram-overlap`): N-gram overlap of a test set with a training corpus (the LLEMMA paper's 30-gram check).

Example:
    python tools/ngram_overlap.py --corpus data/open-web-math/*.jsonl.zst --test MATH_test.jsonl \\
        --fields problem,solution --n 30 --results eval/llemma-7b/math_greedy.jsonl --output overlap/

For every test example and field: does any n-gram of its normalised words occur in a corpus
document, and in which documents. Writes hits.jsonl (per example), summary.json and summary.png
(hit rates overall and per level; with --results, accuracy with vs without a hit per level), and
prints the table and the scan's throughput in MB/s. Corpora: .jsonl, .jsonl.zst (and the other
raw formats of preprocess_data.py), or a preprocessed .bin/.idx prefix with --tokenizer.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from math_lm.eval.overlap.report import format_summary, run_analysis
from math_lm.eval.overlap.scan import DEFAULT_N, CorpusSpec, OverlapError
from megatron.interrupts import run_tool


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", nargs="+", required=True,
                        help="corpus files or directories (.jsonl, .jsonl.zst, ...) and/or .bin/.idx prefixes")
    parser.add_argument("--test", required=True, type=Path, help="test set, one JSON object a line")
    parser.add_argument("--fields", default="problem,solution", help="comma-separated test fields to check")
    parser.add_argument("--n", type=int, default=DEFAULT_N, help=f"n-gram length in words (default {DEFAULT_N})")
    parser.add_argument("--output", required=True, type=Path, help="directory for hits.jsonl, summary.json/png")
    parser.add_argument("--results", type=Path, default=None,
                        help="per-problem JSONL of python -m math_lm.eval, for accuracy with vs without a hit")
    parser.add_argument("--level-field", default="level", help="test field holding the difficulty level")
    parser.add_argument("--text-key", default="text", help="JSON key of a corpus document's text")
    parser.add_argument("--tokenizer", default=None, help="tokenizer model of a .bin/.idx corpus")
    parser.add_argument("--tokenizer-type", default="SPMTokenizer", help="SPMTokenizer or HFTokenizer")
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 1),
                        help="scanning processes (0: in this process)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    fields = [name.strip() for name in options.fields.split(",") if name.strip()]
    if not fields:
        print("ngram_overlap.py: error: --fields is empty", file=sys.stderr)
        return 2
    corpus = CorpusSpec(tuple(options.corpus), options.text_key, options.tokenizer, options.tokenizer_type)
    try:
        summary = run_analysis(options.test, corpus, fields, options.output, n=options.n, workers=options.workers,
                               results_path=options.results, level_field=options.level_field)
    except (OverlapError, FileNotFoundError) as error:
        print(f"ngram_overlap.py: error: {error}", file=sys.stderr)
        return 2
    print(format_summary(summary))
    print(f"scanned {summary['corpus_documents']} documents, {summary['corpus_text_bytes'] / 1e6:.1f} MB of text "
          f"in {summary['seconds']:.1f} s: {summary['megabytes_per_second']:.1f} MB/s")
    print(f"wrote {options.output}/hits.jsonl, summary.json, summary.png")
    return 0


def run() -> None:
    sys.exit(run_tool("ngram_overlap.py", main))
