"""The mixture search, the way the paper chose 2:4:1 (`tools/mixture_search.py`).

One short training per candidate ratio, each in its own process (`train.py` or `deepy.py`),
then the token-level perplexity of each trained model on held-out text (`math_lm.perplexity`),
overall and per `type` (the MATH training set has one), as a table, a JSON file and a bar chart, naming the
best. Candidates that already finished with the same config are reused.
"""
from __future__ import annotations

import dataclasses
import json
import math
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import numpy as np

from math_lm.perplexity import HeldOutError, held_out_perplexity, load_trained_model, read_held_out
from megatron.io import write_text_atomically
from math_lm.mixture import (
    REPO_ROOT,
    MixtureSpecError,
    apply_mixture,
    load_run_config,
    mixture_budget,
    mixture_dirname,
    mixture_label,
    save_figure,
)

LAUNCHERS = ("deepy", "single")
"""How a candidate's training starts: `deepy` = `python deepy.py train.py CONFIG` (every rank the
config asks for, through DeepSpeed's launcher); `single` = `python train.py CONFIG` (one process)."""

RESULTS_JSON = "mixture_search.json"
RESULTS_PLOT = "mixture_search.png"
CONFIG_DIR = "configs"
LOG_DIR = "logs"


class MixtureSearchError(RuntimeError):
    """A mixture search that cannot go on: a failed training, bad held-out data, a clashing output."""


def merged_config(config_paths: Sequence[str | os.PathLike]) -> dict[str, Any]:
    """The YAML files merged into one plain mapping (keys canonical; a key in two files is an error)."""
    from megatron.neox_arguments.loading import merge_config_files

    return {key: setting.value for key, setting in merge_config_files(list(config_paths)).items()}


def candidate_config(base: dict[str, Any], mixture: Sequence[float], train_iters: int, save_dir: str) -> dict[str, Any]:
    """The base config with the candidate's weights on the first training sources, sized for a short run.

    `train_data_weights` (or equal weights when unset) get `mixture` on their first entries,
    the others keep theirs; `train_iters` is set, and `lr_decay_iters` too when the base sets
    it; the run saves once, at the end, to `save_dir` (TensorBoard events below it when the
    base writes them). Needs `train_data_paths` with at least `len(mixture)` entries.
    """
    if train_iters < 1:
        raise ValueError(f"--train-iters must be positive, got {train_iters}")
    paths = base.get("train_data_paths")
    if not paths:
        raise MixtureSearchError(
            "the base config has no 'train_data_paths': the mixture search weights the first "
            f"{len(mixture)} of them (arXiv, OpenWebMath, AlgebraicStack)"
        )
    paths = [paths] if isinstance(paths, str) else list(paths)
    weights = base.get("train_data_weights") or [1.0] * len(paths)
    config = dict(base)
    config["train_data_weights"] = apply_mixture(weights, mixture)
    config["train_iters"] = int(train_iters)
    if "lr_decay_iters" in base:
        config["lr_decay_iters"] = int(train_iters)
    config["save"] = str(save_dir)
    config["save_interval"] = int(train_iters)
    if base.get("tensorboard_dir"):
        config["tensorboard_dir"] = str(Path(save_dir) / "tensorboard")
    return config


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def train_candidate(config_path: Path, log_path: Path, launcher: str, label: str, echo: bool = True) -> float:
    """Train one candidate in its own process; its output goes to `log_path` (and, with `echo`,
    to stderr prefixed by the label). Returns the wall seconds; raises MixtureSearchError with
    the end of the log when the training fails."""
    if launcher not in LAUNCHERS:
        raise ValueError(f"launcher must be one of {LAUNCHERS}, got {launcher!r}")
    if launcher == "deepy":
        command = [sys.executable, str(REPO_ROOT / "deepy.py"), str(REPO_ROOT / "train.py"), str(config_path)]
        env = dict(os.environ)
    else:
        command = [sys.executable, str(REPO_ROOT / "train.py"), str(config_path)]
        env = {key: value for key, value in os.environ.items() if key not in ("RANK", "LOCAL_RANK", "WORLD_SIZE")}
        env["MASTER_PORT"] = str(_free_port())
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            if echo:
                sys.stderr.write(f"[{label}] {line}")
        returncode = process.wait()
    if returncode != 0:
        tail = "".join(log_path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)[-25:])
        raise MixtureSearchError(
            f"training mixture {label} failed (exit {returncode}): {' '.join(command)}\n"
            f"last lines of {log_path}:\n{tail}"
        )
    return time.perf_counter() - started


def _last_train_loss(save_dir: Path) -> Optional[float]:
    """The loss of the last `train` record of the run's metrics.jsonl, when there is one."""
    path = save_dir / "metrics.jsonl"
    if not path.is_file():
        return None
    loss = None
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if record.get("kind") == "train" and isinstance(record.get("loss"), (int, float)):
            loss = float(record["loss"])
    return loss


@dataclass
class CandidateResult:
    """One candidate mixture after training and evaluation."""

    label: str
    mixture: list[float]
    train_data_weights: list[float]
    save_dir: str
    train_seconds: Optional[float]
    final_train_loss: Optional[float]
    perplexity: float
    tokens: int
    type_perplexity: dict[str, float]
    type_tokens: dict[str, int]


@dataclass
class SearchResult:
    """Every candidate's perplexity on the held-out text; `best` has the lowest overall."""

    candidates: list[CandidateResult]
    ppl_data: str
    train_iters: int
    budgets: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def types(self) -> list[str]:
        return sorted({kind for candidate in self.candidates for kind in candidate.type_perplexity})

    @property
    def best(self) -> CandidateResult:
        return min(self.candidates, key=lambda candidate: candidate.perplexity)

    def table(self) -> str:
        header = ["mixture", "perplexity"] + self.types + ["final train loss"]
        rows = [header]
        for candidate in self.candidates:
            rows.append(
                [candidate.label + (" *" if candidate is self.best else ""), format_perplexity(candidate.perplexity)]
                + [format_perplexity(candidate.type_perplexity[kind]) if kind in candidate.type_perplexity else "-"
                   for kind in self.types]
                + ["-" if candidate.final_train_loss is None else f"{candidate.final_train_loss:.4f}"]
            )
        widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
        lines = ["  ".join(cell.ljust(width) if column == 0 else cell.rjust(width)
                           for column, (cell, width) in enumerate(zip(row, widths))) for row in rows]
        lines.insert(1, "  ".join("-" * width for width in widths))
        tokens = self.candidates[0].tokens if self.candidates else 0
        lines.append(
            f"* best: {self.best.label} (perplexity {format_perplexity(self.best.perplexity)} over {tokens:,} held-out tokens "
            f"of {self.ppl_data}; {self.train_iters} training iterations per mixture)"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ppl_data": self.ppl_data, "train_iters": self.train_iters, "best": self.best.label,
            "types": self.types, "candidates": [dataclasses.asdict(candidate) for candidate in self.candidates],
            "budgets": self.budgets,
        }


def format_perplexity(value: float) -> str:
    """Four decimals where they matter (the paper's 1.478 vs 1.482), fewer for large values."""
    return f"{value:.4f}" if value < 100 else f"{value:.1f}"


def plot_search(result: SearchResult, path: str | os.PathLike) -> None:
    """Bar chart PNG: overall perplexity per mixture (best highlighted) and, when the held-out
    records have types, perplexity per type grouped by mixture. Axes are zoomed to the values'
    range (they do not start at zero) so small differences show; every bar carries its value."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [candidate.label for candidate in result.candidates]
    overall = [candidate.perplexity for candidate in result.candidates]
    types = result.types
    panels = 2 if types else 1
    figure, axes = plt.subplots(1, panels, figsize=(5 + (7 if types else 0), 4.2), squeeze=False)
    left = axes[0][0]
    colors = ["#27ae60" if candidate is result.best else "#5d6d7e" for candidate in result.candidates]
    positions = np.arange(len(labels))
    left.bar(positions, overall, color=colors)
    for position, value in zip(positions, overall):
        left.text(position, value, format_perplexity(value), ha="center", va="bottom", fontsize=8)
    left.set_xticks(positions, labels)
    left.set_xlabel("arXiv : OpenWebMath : AlgebraicStack")
    left.set_ylabel("perplexity (lower is better)")
    left.set_title(f"overall (best {result.best.label}, green)", fontsize=9)
    _zoom(left, overall)
    if types:
        right = axes[0][1]
        width = 0.8 / len(labels)
        type_positions = np.arange(len(types))
        values_seen = []
        for index, candidate in enumerate(result.candidates):
            values = [candidate.type_perplexity.get(kind, math.nan) for kind in types]
            values_seen += [value for value in values if math.isfinite(value)]
            right.bar(type_positions + (index - (len(labels) - 1) / 2) * width, values, width, label=candidate.label)
        right.set_xticks(type_positions, types, rotation=30, ha="right", fontsize=8)
        right.set_ylabel("perplexity")
        right.set_title("per type of the held-out text", fontsize=9)
        right.legend(fontsize=8, title="mixture", title_fontsize=8)
        _zoom(right, values_seen)
    figure.suptitle(f"Mixture search: {result.train_iters} iterations per mixture, held-out {Path(result.ppl_data).name}",
                    fontsize=10)
    figure.tight_layout()
    save_figure(figure, path)
    plt.close(figure)


def _zoom(axis: Any, values: Sequence[float]) -> None:
    finite = [value for value in values if math.isfinite(value)]
    if not finite:
        return
    low, high = min(finite), max(finite)
    margin = max((high - low) * 0.5, high * 0.002)
    axis.set_ylim(max(0.0, low - margin), high + margin)


def _prepare_candidate_dir(output_dir: Path, name: str, config_text: str, train_iters: int) -> tuple[Path, Path, bool]:
    """Write the candidate's config under output/configs; returns (config path, save dir, already trained).

    A save directory left by an earlier search with the same config and a checkpoint at
    `train_iters` is reused; one from a different config is an error (never overwritten).
    """
    from megatron.checkpoint_reader import read_latest_tag, tag_for

    config_path = output_dir / CONFIG_DIR / f"{name}.yml"
    save_dir = output_dir / name
    if save_dir.exists() and any(save_dir.iterdir()):
        same_config = config_path.is_file() and config_path.read_text(encoding="utf-8") == config_text
        if same_config and read_latest_tag(save_dir) == tag_for(train_iters):
            return config_path, save_dir, True
        raise MixtureSearchError(
            f"{save_dir} already holds a run with a different config or an unfinished checkpoint; "
            f"remove it or choose another --output"
        )
    write_text_atomically(config_path, config_text)
    return config_path, save_dir, False


def run_mixture_search(
    config_paths: Sequence[str | os.PathLike],
    mixtures: Sequence[Sequence[float]],
    train_iters: int,
    ppl_data: str | os.PathLike,
    output_dir: str | os.PathLike,
    launcher: str = "deepy",
    eval_batch_size: int = 8,
    max_epochs: float = 4.0,
    echo: bool = True,
    log: Callable[[str], None] = print,
) -> SearchResult:
    """Train one short run per candidate mixture and score each on held-out text.

    For each mixture (weights of the first training sources): a full config in
    `output_dir/configs/<a-b-c>.yml` (see `candidate_config`), its mixture budget logged (with a
    warning for sources repeated more than `max_epochs` times), then `train.py` on it in its own
    process (`launcher`), saving to `output_dir/<a-b-c>`, log in `output_dir/logs/`. Then, on this
    process, each final checkpoint's merged weights are loaded at tensor-parallel size 1 and
    their token-level perplexity measured on `ppl_data` (overall and per `type`). Results go to
    `output_dir/mixture_search.json` (written at the end through a temporary name).
    """
    import yaml

    from megatron import parallel
    from megatron.tokenizer import build_tokenizer

    if not mixtures:
        raise MixtureSpecError("no mixtures to search")
    if eval_batch_size < 1:
        raise ValueError(f"--eval-batch-size must be positive, got {eval_batch_size}")
    output_dir = Path(output_dir)
    try:
        records = read_held_out(ppl_data)
    except HeldOutError as error:
        raise MixtureSearchError(str(error)) from error
    base = merged_config(config_paths)

    plans = []
    budgets: dict[str, dict[str, Any]] = {}
    for mixture in mixtures:
        label, name = mixture_label(mixture), mixture_dirname(mixture)
        config = candidate_config(base, mixture, train_iters, str((output_dir / name).resolve()))
        text = f"# mixture search candidate {label}: generated from {', '.join(map(str, config_paths))}\n"
        text += yaml.safe_dump(config, sort_keys=False)
        config_path, save_dir, done = _prepare_candidate_dir(output_dir, name, text, train_iters)
        # a bad config fails here, before any training; deepy runs the ranks the config implies
        args = load_run_config([config_path], None if launcher == "deepy" else 1)
        budget = mixture_budget(args)
        budgets[label] = budget.to_dict()
        log(f"mixture {label}: train_data_weights {config['train_data_weights']}\n{budget.table()}")
        for warning in budget.warnings(max_epochs):
            log(f"warning: {warning}")
        plans.append((mixture, label, config, config_path, save_dir, done, args))

    seconds: dict[str, Optional[float]] = {}
    for index, (mixture, label, config, config_path, save_dir, done, _) in enumerate(plans, start=1):
        if done:
            log(f"[{index}/{len(plans)}] mixture {label}: reusing the finished run in {save_dir}")
            seconds[label] = None
            continue
        log(f"[{index}/{len(plans)}] training mixture {label} for {train_iters} iterations -> {save_dir}")
        seconds[label] = train_candidate(config_path, output_dir / LOG_DIR / f"{config_path.stem}.log",
                                         launcher, label, echo)
        log(f"[{index}/{len(plans)}] mixture {label} trained in {seconds[label]:.1f}s")

    tokenizer_args = plans[0][6].tokenizer
    tokenizer = build_tokenizer(tokenizer_args.tokenizer_type, tokenizer_args.vocab_file, tokenizer_args.merge_file)
    os.environ.setdefault("MASTER_PORT", str(_free_port()))
    parallel.initialize_distributed(1)
    candidates = []
    try:
        for mixture, label, config, _, save_dir, _, args in plans:
            try:
                model, model_config = load_trained_model(save_dir)
            except HeldOutError as error:
                raise MixtureSearchError(str(error)) from error
            scores = held_out_perplexity(
                model, tokenizer, records, window=args.model.seq_length, batch_size=eval_batch_size,
                description=f"perplexity {label}", show_progress=echo,
            )
            del model
            candidates.append(CandidateResult(
                label=label, mixture=[float(value) for value in mixture],
                train_data_weights=list(config["train_data_weights"]), save_dir=str(save_dir),
                train_seconds=seconds[label], final_train_loss=_last_train_loss(save_dir),
                perplexity=scores.perplexity, tokens=scores.tokens,
                type_perplexity=scores.type_perplexity(), type_tokens=scores.type_tokens(),
            ))
            log(f"mixture {label}: perplexity {format_perplexity(scores.perplexity)} over {scores.tokens:,} tokens")
    finally:
        parallel.destroy_distributed()
    result = SearchResult(candidates, str(ppl_data), train_iters, budgets)
    write_text_atomically(output_dir / RESULTS_JSON, json.dumps(result.to_dict(), indent=2) + "\n")
    return result
