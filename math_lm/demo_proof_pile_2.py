"""The Proof-Pile-2 part of the CPU demo: raw sources to a 2:4:1 training blend, as a user would run it.

From the shipped raw samples in ``data/sample_raw/`` (LaTeX papers, math web pages and a WARC crawl, math
source code; written by ``tools/make_sample_raw.py``), each step is the command a user runs on a cluster:

1. ``tools/prepare_proof_pile_2.py`` once per subset (arXiv, OpenWebMath, AlgebraicStack) into
   ``demo_output/proof_pile_2/<subset>/``, then a summary of its ``stats.json`` (kept and dropped, by reason);
2. ``tools/preprocess_data.py`` on each subset's train shards (``<subset>/<subset>_train_text_document``);
3. ``tools/mixture_report.py`` on ``configs/tiny_cpu_proof_pile_2.yml`` (weights 2 : 4 : 1), with a plot;
4. training the tiny Llama on that blend with 2 ranks (``python deepy.py train.py ...``), validating on the
   tokenized sample corpus that the demo's step 1 wrote (``demo_output/data/sample_text_document``);
5. the tokens each source contributed: from the ``tokens_per_source`` records the train loop writes to
   ``metrics.jsonl``, or, where a run has none, recomputed from the blend index that training used
   (:func:`megatron.data.gpt_data.build_datasets` with the run's settings).

``math_lm.demo`` calls :func:`run_proof_pile_2_demo` with its ``run`` and ``banner`` helpers.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any, Callable

import yaml

REPO = Path(__file__).resolve().parents[1]
RAW = Path("data/sample_raw")
OUTPUT = Path("demo_output/proof_pile_2")
CONFIG = Path("configs/tiny_cpu_proof_pile_2.yml")
VALIDATION_PREFIX = Path("demo_output/data/sample_text_document")
MIXTURE_PLOT = Path("demo_output/mixture.png")
SUBSETS: tuple[str, ...] = ("arxiv", "open-web-math", "algebraic-stack")
TOKENIZER = ("--tokenizer-type", "SPMTokenizer", "--vocab-file", "data/tokenizers/llama2.model")

RunStep = Callable[[list[str], str], None]
Banner = Callable[[str], None]


def output_prefix(subset: str) -> Path:
    """Where ``tools/preprocess_data.py`` writes a subset's tokenized train split (``+ "_text_document"``).

    The file name carries the subset so that the train loop's per-source log names tell them apart.
    """
    return OUTPUT / subset / f"{subset}_train"


def summarize_stats(stats: dict[str, Any]) -> list[str]:
    """Short lines describing one subset's ``stats.json``: kept per split and group, dropped by reason."""
    splits = stats["splits"]
    kept = " / ".join(f"{split} {entry['documents']}" for split, entry in splits.items())
    kept_bytes = sum(entry["bytes"] for entry in splits.values())
    groups: dict[str, int] = {}
    for entry in splits.values():
        for group, counts in entry["by_group"].items():
            groups[group] = groups.get(group, 0) + counts["documents"]
    dropped = ", ".join(f"{reason} {entry['documents']}" for reason, entry in stats["dropped"].items()) or "none"
    lines = [
        f"{stats['subset']}: {stats['work_units']} inputs -> kept {stats['kept_documents']} documents "
        f"({kept}; {kept_bytes / 1024:.0f} KiB of text)",
        f"    kept by {'language' if stats['subset'] == 'algebraic-stack' else 'source'}: "
        + ", ".join(f"{group} {count}" for group, count in sorted(groups.items())),
        f"    dropped {stats['dropped_documents']}: {dropped}",
    ]
    if stats.get("counters"):
        lines.append("    counters: " + ", ".join(f"{name} {value}" for name, value in stats["counters"].items()))
    return lines


def _print(lines: list[str]) -> None:
    for line in lines:
        print("  " + line, flush=True)


def _check_validation_data() -> None:
    missing = [path for path in (REPO / f"{VALIDATION_PREFIX}.bin", REPO / f"{VALIDATION_PREFIX}.idx") if not path.exists()]
    if missing:
        raise SystemExit(
            f"{missing[0]} is missing: the Proof-Pile-2 demo validates on the tokenized sample corpus, "
            "which the demo's step 1 writes (math_lm.demo.preprocess)"
        )


def _mixture_table(report: dict[str, Any]) -> list[str]:
    """The per-source rows of ``tools/mixture_report.py --json`` (the demo's log filter hides the tool's own)."""
    width = max(len("source"), *(len(str(source["prefix"])) for source in report["sources"]))
    lines = [f"{'source':<{width}}  {'weight':>6}  {'share':>7}  {'tokens available':>16}  {'tokens drawn':>12}  {'epochs':>6}"]
    for source in report["sources"]:
        epochs = "-" if source.get("epochs") is None else f"{source['epochs']:.3f}"
        available = "-" if source.get("tokens_available") is None else f"{source['tokens_available']:,}"
        lines.append(
            f"{source['prefix']:<{width}}  {source['weight']:>6g}  {100 * source['share']:>6.2f}%  {available:>16}  "
            f"{int(source['tokens_drawn']):>12,}  {epochs:>6}"
        )
    return lines


def tokens_per_source(config_path: Path) -> tuple[dict[str, int], str]:
    """Tokens trained on per training prefix in the finished run, and where the numbers come from.

    Read from the last ``tokens_per_source`` record of ``<save>/metrics.jsonl`` (keys ``"{label}/tokens"``,
    labels from :func:`megatron.source_metrics.source_labels` of ``train_data_paths``). A run without such
    records gets the blend index that training used rebuilt with the run's settings (:func:`megatron.data.gpt_data.build_datasets`) and counted over
    the samples it consumed.
    """
    from math_lm.mixture import load_run_config

    args = load_run_config([REPO / config_path])
    paths = [str(path) for path in args.data.train_data_paths]
    metrics = REPO / args.checkpoint.save / "metrics.jsonl"
    records = [json.loads(line) for line in metrics.read_text().splitlines() if line.strip()]
    train = [record for record in records if record.get("kind") == "train"]
    if not train:
        raise SystemExit(f"{metrics} has no train records: did training run?")
    logged = [record for record in records if record.get("kind") == "tokens_per_source"]
    if logged:
        from megatron.source_metrics import source_labels

        by_label = dict(zip(source_labels(paths), paths))
        counts = {}
        for key, value in logged[-1].items():
            label, _, field = key.rpartition("/")
            if field == "tokens":
                counts[by_label[label]] = int(value)
        return counts, f"logged by the train loop in {metrics.relative_to(REPO)} at iteration {logged[-1]['iteration']}"

    import warnings

    with warnings.catch_warnings():  # megatron.core warns that Transformer Engine and Apex are absent
        warnings.simplefilter("ignore", UserWarning)
        from megatron.data.gpt_data import DataSpec, build_datasets, neox_sample_counts

    batch = args.derived.batch.train_batch_size
    consumed = int(train[-1].get("consumed_samples") or args.training.train_iters * batch)
    samples, _, _ = neox_sample_counts(args.training.train_iters, args.training.eval_interval, args.training.eval_iters, batch)
    data = args.data
    spec = DataSpec(
        seq_length=args.model.seq_length, seed=args.training.seed,
        train_data_paths=[str(REPO / path) for path in paths],
        train_data_weights=data.train_data_weights,
    )
    datasets = build_datasets(spec, (samples + data.extra_train_samples, 0, 0))
    counts = datasets.train.samples_per_source(consumed)
    origin = f"recomputed from the blend index over {consumed} consumed samples (megatron/data/gpt_data.py)"
    return {path: int(count) * args.model.seq_length for path, count in zip(paths, counts)}, origin


def run_proof_pile_2_demo(run: RunStep, banner: Banner) -> None:
    """Prepare, tokenize, report and train on the 2:4:1 Proof-Pile-2 blend (see the module docstring).

    Needs the demo's step 1 output (``demo_output/data/sample_text_document``); removes this demo's own
    earlier output (``demo_output/proof_pile_2`` and the config's ``save`` directory) first.
    """
    _check_validation_data()
    config = yaml.safe_load((REPO / CONFIG).read_text())
    for stale in (REPO / OUTPUT, REPO / config["save"]):
        if stale.exists():
            shutil.rmtree(stale)
    python = sys.executable

    banner("Proof-Pile-2: raw LaTeX, web pages and code to clean shards (tools/prepare_proof_pile_2.py)")
    for subset in SUBSETS:
        run([python, "tools/prepare_proof_pile_2.py", subset, "--input", str(RAW / subset),
             "--output-dir", str(OUTPUT / subset), "--workers", "2"], f"prepare_{subset}.log")
        stats = json.loads((REPO / OUTPUT / subset / "stats.json").read_text())
        _print(summarize_stats(stats))

    banner("Proof-Pile-2: tokenize each subset's train shards (tools/preprocess_data.py)")
    for subset in SUBSETS:
        run([python, "tools/preprocess_data.py", "--input", str(OUTPUT / subset / "train"),
             "--output-prefix", str(output_prefix(subset)), *TOKENIZER, "--append-eod", "--workers", "2",
             "--overwrite"], f"preprocess_{subset}.log")

    banner(f"Proof-Pile-2: the 2:4:1 training mixture (tools/mixture_report.py {CONFIG})")
    report_json = OUTPUT / "mixture.json"
    run([python, "tools/mixture_report.py", str(CONFIG), "--plot", str(MIXTURE_PLOT), "--json", str(report_json)],
        "mixture_report.log")
    _print(["per source:"] + _mixture_table(json.loads((REPO / report_json).read_text())))
    print(f"  plot: {MIXTURE_PLOT}", flush=True)

    banner(f"Proof-Pile-2: train the tiny Llama on the blend with 2 ranks (python deepy.py train.py {CONFIG})")
    run([python, "deepy.py", "train.py", str(CONFIG)], "train_proof_pile_2.log")

    banner("Proof-Pile-2: tokens trained on per source")
    counts, origin = tokens_per_source(CONFIG)
    total = sum(counts.values()) or 1
    weights = config["train_data_weights"]
    targets = {str(path): weight / sum(weights) for path, weight in zip(config["train_data_paths"], weights)}
    print(f"  ({origin})", flush=True)
    width = max(len(name) for name in counts)
    for name, count in counts.items():
        target = f"  (weight share {100 * targets[name]:.2f}%)" if name in targets else ""
        print(f"  {name:<{width}}  {count:>8,} tokens  {100 * count / total:6.2f}%{target}", flush=True)
    metrics = REPO / config["save"] / "metrics.jsonl"
    losses = [r["loss"] for r in map(json.loads, metrics.read_text().splitlines()) if r.get("kind") == "train"]
    print(f"  train loss {losses[0]:.3f} -> {losses[-1]:.3f}", flush=True)
    if not losses[-1] < losses[0]:
        raise SystemExit(f"the loss did not fall on the Proof-Pile-2 blend: {losses[0]:.3f} -> {losses[-1]:.3f}")
