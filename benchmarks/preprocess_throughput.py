"""Tokenization throughput: the raw tokenizer in one process vs tools/preprocess_data.py at 1 and 2 workers.

Generates a synthetic .jsonl.zst corpus, then prints tokens/s for
  raw        SPMTokenizer.tokenize on every document, one process, texts already in memory;
  workers=1  tools/preprocess_data.py --workers 1 (reads, decompresses, parses, tokenizes, writes);
  workers=2  the same with --workers 2;
and the ratios to raw. The tool's rate uses the time it reports for its own run (worker
start-up included, Python interpreter start-up not); the process wall time is printed too,
and so are CPU seconds (all processes, start-up included), which other load on a shared
machine does not inflate the way it inflates wall time. Each measurement is the best of
--repeats runs, interleaved. Targets on a 2-core machine: workers=1 at
>= 0.85x raw, workers=2 at >= 1.6x raw.

    python benchmarks/preprocess_throughput.py [--num-docs 12000] [--repeats 3]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

import zstandard

from tools.fixtures.corpus_synthetic import write_synthetic_corpus
from megatron.tokenizer import build_tokenizer

SUMMARY = re.compile(r"read (\d+) documents \(([\d.]+) MB\) in ([\d.]+) s")
TOKENS = re.compile(r"text: (\d+) documents, (\d+) tokens")


def raw_tokenizer_rate(corpus: Path, model: str) -> tuple[int, float, float]:
    """(tokens, wall seconds, CPU seconds) for tokenizing every document's text in this process."""
    data = zstandard.ZstdDecompressor().stream_reader(corpus.open("rb")).read()
    texts = [json.loads(line)["text"] for line in data.splitlines()]
    tokenizer = build_tokenizer("SPMTokenizer", model)
    started, cpu_started = time.perf_counter(), time.process_time()
    tokens = sum(len(tokenizer.tokenize(text)) for text in texts)
    return tokens, time.perf_counter() - started, time.process_time() - cpu_started


def tool_rate(corpus: Path, model: str, workers: int, prefix: Path) -> tuple[int, float, float, float]:
    """(tokens, seconds the tool reports, process wall seconds, CPU seconds) for one tools/preprocess_data.py run."""
    command = [
        sys.executable, str(REPO_ROOT / "tools" / "preprocess_data.py"), "--input", str(corpus),
        "--output-prefix", str(prefix), "--tokenizer-type", "SPMTokenizer", "--vocab-file", model,
        "--workers", str(workers), "--overwrite", "--log-interval", "0",
    ]
    started, before = time.perf_counter(), os.times()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wall, after = time.perf_counter() - started, os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if result.returncode != 0:
        raise RuntimeError(f"preprocess_data.py --workers {workers} failed:\n{result.stderr}")
    summary, tokens = SUMMARY.search(result.stdout), TOKENS.search(result.stdout)
    if summary is None or tokens is None:
        raise RuntimeError(f"unexpected preprocess_data.py output:\n{result.stdout}")
    return int(tokens.group(2)), float(summary.group(3)), wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--num-docs", type=int, default=12000, help="synthetic documents to generate")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the best is kept")
    parser.add_argument("--vocab-file", default=str(REPO_ROOT / "data" / "tokenizers" / "llama2.model"))
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="preprocess-bench-") as directory:
        corpus = Path(directory) / "corpus.jsonl.zst"
        write_synthetic_corpus(str(corpus), args.num_docs, seed=1, level=3)
        raw_bytes = len(zstandard.ZstdDecompressor().stream_reader(corpus.open("rb")).read())
        print(f"corpus: {args.num_docs} documents, {raw_bytes / 1e6:.1f} MB of JSON lines; "
              f"{os.cpu_count()} CPUs; best of {args.repeats}")

        # Runs are interleaved (raw, 1, 2, raw, 1, 2, ...) so that each sees the same machine load.
        raw_runs, tool_runs = [], {1: [], 2: []}
        for _ in range(args.repeats):
            raw_runs.append(raw_tokenizer_rate(corpus, args.vocab_file))
            for workers in (1, 2):
                tool_runs[workers].append(tool_rate(corpus, args.vocab_file, workers, Path(directory) / f"w{workers}"))
        raw_tokens, raw_seconds, raw_cpu = min(raw_runs, key=lambda run: run[1])
        raw_rate = raw_tokens / raw_seconds
        print(f"{'raw tokenizer':>14}: {raw_rate:>12,.0f} tokens/s  ({raw_tokens:,} tokens in {raw_seconds:.3f} s, "
              f"{raw_cpu:.2f} CPU s)")

        outputs = {}
        for workers in (1, 2):
            prefix = Path(directory) / f"w{workers}"
            tokens, seconds, wall, cpu = min(tool_runs[workers], key=lambda run: run[1])
            if tokens != raw_tokens:
                raise RuntimeError(f"--workers {workers} wrote {tokens} tokens, the raw tokenizer made {raw_tokens}")
            outputs[workers] = (Path(f"{prefix}_text_document.bin").read_bytes(),
                                Path(f"{prefix}_text_document.idx").read_bytes())
            rate = tokens / seconds
            print(f"{f'workers={workers}':>14}: {rate:>12,.0f} tokens/s  ({seconds:.3f} s in the tool, "
                  f"{wall:.2f} s process wall: {tokens / wall:,.0f} tokens/s; {cpu:.2f} CPU s)  "
                  f"ratio to raw {rate / raw_rate:.2f}x (process wall {tokens / wall / raw_rate:.2f}x)")
        print(f"outputs of workers=1 and workers=2 identical: {outputs[1] == outputs[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
