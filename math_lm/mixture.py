"""The LLEMMA training mixture (2:4:1 Proof-Pile-2) and its bookkeeping.

Two parts, each usable alone (the mixture search lives in `math_lm.mixture_search`):

- **The mixture as data.** `LLEMMA_MIXTURE` names the five sources of the LLEMMA run with
  their GPT-NeoX sampling weights (arXiv 2, OpenWebMath 4, AlgebraicStack 1, the Pile
  without arXiv 0.147368, RedPajama GitHub 0.221053), which normalise to 27.14 / 54.29 /
  13.57 / 2.00 / 3.00 %: 95 % Proof-Pile-2 split 2:4:1, 2 % Pile, 3 % GitHub.
  `parse_mixture("2:4:1")` turns a ratio into weights.
- **Bookkeeping** (`mixture_budget`): for a run's config, per training source its weight,
  share, the tokens its indexed dataset holds (read from the `.idx`), the tokens the run
  will draw (`train_iters x global batch x seq_length x share`) and so how many epochs of
  it the run sees. Sampling itself (the blend order, its determinism for a seed, resuming
  from `consumed_samples`) belongs to `megatron.data`.
"""
from __future__ import annotations

import dataclasses
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from megatron.io import atomic_file

REPO_ROOT = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------- the mixture as data


@dataclass(frozen=True)
class MixtureSource:
    """One source of the LLEMMA training mixture.

    Attributes:
        name: short name, also the directory name the configs use.
        weight: GPT-NeoX sampling weight (`train_data_weights`); shares are weight / sum.
        description: what the source is.
        reported_tokens: its size in tokens as the LLEMMA paper reports it (Proof-Pile-2
            subsets only; None where the paper gives none).
    """

    name: str
    weight: float
    description: str
    reported_tokens: Optional[int] = None


LLEMMA_MIXTURE: tuple[MixtureSource, ...] = (
    MixtureSource("arxiv", 2.0, "Proof-Pile-2 arXiv papers (RedPajama arXiv, cleaned LaTeX)", 29_000_000_000),
    MixtureSource("open-web-math", 4.0, "Proof-Pile-2 OpenWebMath (mathematical web pages)", 15_000_000_000),
    MixtureSource("algebraic-stack", 1.0, "Proof-Pile-2 AlgebraicStack (mathematical code)", 11_000_000_000),
    MixtureSource("pile-without-arxiv", 0.147368, "the Pile without its arXiv subset (general text)"),
    MixtureSource("redpajama-github", 0.221053, "RedPajama GitHub (general code)"),
)
"""The sources in the order `configs/data_mixture.yml` lists them."""

PROOF_PILE_2_RATIO: tuple[float, float, float] = (2.0, 4.0, 1.0)
"""arXiv : OpenWebMath : AlgebraicStack inside Proof-Pile-2."""

PAPER_SEARCH_PERPLEXITY: dict[str, float] = {
    "2:4:1": 1.478, "2:4:2": 1.482, "4:4:2": 1.485, "4:2:1": 1.487, "4:4:1": 1.487, "4:2:2": 1.489,
}
"""Perplexity on the MATH training set of the paper's short mixture-search runs (lower is better)."""


def llemma_weights() -> list[float]:
    """The NeoX `train_data_weights` of the LLEMMA run, in `LLEMMA_MIXTURE` order."""
    return [source.weight for source in LLEMMA_MIXTURE]


def normalised_shares(weights: Sequence[float]) -> list[float]:
    """Each weight divided by their sum (the fraction of samples each source gives)."""
    values = [float(weight) for weight in weights]
    if not values or any(not math.isfinite(value) or value < 0 for value in values) or sum(values) <= 0:
        raise ValueError(f"weights must be non-negative finite numbers with a positive sum, got {list(weights)}")
    total = sum(values)
    return [value / total for value in values]


def llemma_shares() -> dict[str, float]:
    """Source name -> fraction of the LLEMMA training samples (0.2714..., 0.5428..., ...)."""
    return dict(zip((source.name for source in LLEMMA_MIXTURE), normalised_shares(llemma_weights())))


# --------------------------------------------------------------------------- mixture specs


class MixtureSpecError(ValueError):
    """A mixture written as `a:b:c` that cannot be used, with the text and the reason."""


_NUMBER = re.compile(r"^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_mixture(spec: str, num_sources: Optional[int] = 3) -> tuple[float, ...]:
    """Weights from a ratio such as "2:4:1" (arXiv : OpenWebMath : AlgebraicStack by default).

    Parts are positive decimal numbers (the data layer refuses a zero weight: leave a source out
    of the config instead); with `num_sources` set the spec must have exactly that many parts.
    Raises MixtureSpecError naming the spec.
    """
    text = str(spec).strip()
    if not text:
        raise MixtureSpecError("empty mixture: write it as a ratio such as 2:4:1")
    parts = [part.strip() for part in text.split(":")]
    if num_sources is not None and len(parts) != num_sources:
        raise MixtureSpecError(
            f"mixture {text!r} has {len(parts)} part(s), expected {num_sources} "
            f"(arXiv:OpenWebMath:AlgebraicStack, e.g. 2:4:1)"
        )
    weights = []
    for part in parts:
        if not _NUMBER.match(part):
            raise MixtureSpecError(f"mixture {text!r}: {part!r} is not a positive number")
        value = float(part)
        if not math.isfinite(value) or value <= 0:
            raise MixtureSpecError(
                f"mixture {text!r}: {part!r} must be a positive finite number "
                f"(to drop a source, remove it from the config)"
            )
        weights.append(value)
    return tuple(weights)


def parse_mixture_list(specs: str, num_sources: Optional[int] = 3) -> list[tuple[float, ...]]:
    """Comma-separated ratios ("2:4:1,2:4:2"); a ratio given twice (in any spelling) is an error."""
    mixtures: list[tuple[float, ...]] = []
    for spec in str(specs).split(","):
        if not spec.strip():
            raise MixtureSpecError(f"empty entry in mixture list {specs!r}")
        weights = parse_mixture(spec, num_sources)
        if weights in mixtures:
            raise MixtureSpecError(f"mixture {spec.strip()!r} is listed twice in {specs!r}")
        mixtures.append(weights)
    return mixtures


def _format_weight(weight: float) -> str:
    return str(int(weight)) if float(weight).is_integer() else f"{weight:g}"


def mixture_label(weights: Sequence[float]) -> str:
    """"2:4:1" for (2.0, 4.0, 1.0): the spelling tables and reports use."""
    return ":".join(_format_weight(weight) for weight in weights)


def mixture_dirname(weights: Sequence[float]) -> str:
    """"2-4-1" for (2.0, 4.0, 1.0): a directory name for the candidate's run."""
    return "-".join(_format_weight(weight) for weight in weights)


def apply_mixture(weights: Sequence[float], mixture: Sequence[float]) -> list[float]:
    """`weights` with its first `len(mixture)` entries replaced by `mixture`; the rest keep theirs."""
    if len(mixture) > len(weights):
        raise MixtureSpecError(
            f"mixture {mixture_label(mixture)} has {len(mixture)} weights but the config has only "
            f"{len(weights)} training sources"
        )
    return [float(value) for value in mixture] + [float(value) for value in weights[len(mixture):]]


# --------------------------------------------------------------------------- bookkeeping


@dataclass(frozen=True)
class SourceBudget:
    """What one training source holds and what the run takes from it.

    Attributes:
        key: the config entry naming it, e.g. "train_data_paths[1]".
        prefix: the indexed-dataset prefix (`{prefix}.bin` / `{prefix}.idx`).
        weight: its sampling weight as configured.
        share: weight / sum of weights: the fraction of training samples it gives.
        documents: sequences (documents) in the part of the dataset training uses; None when
            the files are missing and the report was asked to carry on.
        tokens_available: tokens in that part (from the `.idx`); None when unknown.
        tokens_drawn: tokens the run will train on from it: train samples x seq_length x share.
    """

    key: str
    prefix: str
    weight: float
    share: float
    documents: Optional[int]
    tokens_available: Optional[int]
    tokens_drawn: int

    @property
    def epochs(self) -> Optional[float]:
        """How many times the run goes through this source (None when its size is unknown)."""
        if self.tokens_available is None:
            return None
        if self.tokens_available == 0:
            return math.inf if self.tokens_drawn else 0.0
        return self.tokens_drawn / self.tokens_available

    @property
    def name(self) -> str:
        """A short label: the prefix's directory and file name ("arxiv/train_text_document")."""
        path = Path(self.prefix)
        return f"{path.parent.name}/{path.name}" if path.parent.name else path.name

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "name": self.name, "epochs": self.epochs}


@dataclass(frozen=True)
class MixtureBudget:
    """The training mixture of one run: every source's budget and the run's size."""

    sources: tuple[SourceBudget, ...]
    train_iters: int
    global_batch_size: int
    seq_length: int

    @property
    def train_samples(self) -> int:
        return self.train_iters * self.global_batch_size

    @property
    def tokens_drawn(self) -> int:
        """Tokens the whole run trains on (train samples x seq_length)."""
        return self.train_samples * self.seq_length

    def repeated(self, max_epochs: float) -> list[SourceBudget]:
        """Sources the run would go through more than `max_epochs` times."""
        return [source for source in self.sources if source.epochs is not None and source.epochs > max_epochs]

    def warnings(self, max_epochs: float) -> list[str]:
        """One line per source that repeats more than `max_epochs` times, or whose size is unknown."""
        lines = [
            f"{source.key} = {source.prefix}: the run would repeat it {source.epochs:.2f} times "
            f"(more than {max_epochs:g} epochs): {format_tokens(source.tokens_drawn)} tokens drawn from "
            f"{format_tokens(source.tokens_available)} available; lower its weight or add data"
            for source in self.repeated(max_epochs)
        ]
        lines += [
            f"{source.key} = {source.prefix}: files missing, tokens available unknown"
            for source in self.sources if source.tokens_available is None
        ]
        return lines

    def table(self) -> str:
        """The per-source table the report prints."""
        header = ("source", "key", "weight", "share", "documents", "tokens available", "tokens drawn", "epochs")
        rows = [header]
        for source in self.sources:
            rows.append((
                source.name, source.key, f"{source.weight:g}", f"{100 * source.share:.2f}%",
                "unknown" if source.documents is None else f"{source.documents:,}",
                format_tokens(source.tokens_available), format_tokens(source.tokens_drawn),
                "unknown" if source.epochs is None else f"{source.epochs:.3f}",
            ))
        total_available = (
            None if any(source.tokens_available is None for source in self.sources)
            else sum(source.tokens_available for source in self.sources)
        )
        rows.append((
            "total", "", f"{sum(source.weight for source in self.sources):g}", "100.00%", "",
            format_tokens(total_available), format_tokens(self.tokens_drawn), "",
        ))
        widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
        lines = []
        for index, row in enumerate(rows):
            cells = [cell.ljust(width) if column < 2 else cell.rjust(width)
                     for column, (cell, width) in enumerate(zip(row, widths))]
            lines.append("  ".join(cells).rstrip())
            if index == 0 or index == len(rows) - 2:
                lines.append("  ".join("-" * width for width in widths))
        summary = (
            f"{self.train_iters:,} iterations x {self.global_batch_size:,} sequences x {self.seq_length:,} tokens "
            f"= {self.train_samples:,} samples, {format_tokens(self.tokens_drawn)} tokens"
        )
        return summary + "\n" + "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "train_iters": self.train_iters, "global_batch_size": self.global_batch_size,
            "seq_length": self.seq_length, "train_samples": self.train_samples, "tokens_drawn": self.tokens_drawn,
            "sources": [source.to_dict() for source in self.sources],
        }


def format_tokens(count: Optional[float]) -> str:
    """29_000_000_000 -> "29.00B"; None -> "unknown"."""
    if count is None:
        return "unknown"
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(count) >= scale:
            return f"{count / scale:.2f}{suffix}"
    return f"{int(count)}"


def _prefix_files_exist(prefix: str) -> bool:
    """True when both files of the indexed dataset `prefix` exist."""
    return all(os.path.isfile(prefix + suffix) for suffix in (".idx", ".bin"))


def _missing_files_error(key: str, prefix: str) -> FileNotFoundError:
    missing = [prefix + suffix for suffix in (".idx", ".bin") if not os.path.isfile(prefix + suffix)]
    hint = ""
    if prefix.endswith((".bin", ".idx")):
        hint = f" (give the prefix without the extension: {prefix[:-4]!r})"
    files = f"file {missing[0]} does not exist" if len(missing) == 1 else f"files {' and '.join(missing)} do not exist"
    return FileNotFoundError(f"{key} = {prefix!r}: the indexed dataset {files}{hint}")


def count_tokens(key: str, prefix: str, fraction: float = 1.0) -> tuple[int, int]:
    """(documents, tokens) in the first `fraction` of the sequences of the indexed dataset `prefix`.

    `fraction` < 1 is the training part of a `data_path` dataset cut by `split` (the data
    layer gives training the first `round(fraction x sequences)` sequences). Raises
    FileNotFoundError / ValueError naming `key` and the file.
    """
    from megatron.data.indexed_dataset import IndexedDatasetError, IndexedDatasetReader

    if not _prefix_files_exist(prefix):
        raise _missing_files_error(key, prefix)
    try:
        reader = IndexedDatasetReader(prefix)
    except IndexedDatasetError as error:
        raise ValueError(f"{key} = {prefix!r}: cannot read the indexed dataset: {error}") from error
    lengths = reader.sequence_lengths
    end = len(lengths) if fraction >= 1.0 else int(round(fraction * len(lengths)))
    return end, int(np.asarray(lengths[:end], dtype=np.int64).sum())


def budget_for_sources(
    sources: Sequence[tuple[str, str, float]],
    train_iters: int,
    global_batch_size: int,
    seq_length: int,
    train_fraction: float = 1.0,
    allow_missing: bool = False,
) -> MixtureBudget:
    """The budget of `sources` = [(config key, prefix, weight), ...] for a run of the given size.

    `train_fraction` is the share of each dataset's sequences that training uses (1.0 for
    `train_data_paths`). With `allow_missing`, sources whose files do not exist are reported
    with unknown size instead of raising.
    """
    if train_iters < 0 or global_batch_size < 1 or seq_length < 1:
        raise ValueError(
            f"train_iters must be >= 0 and global batch size and seq_length positive, got "
            f"{train_iters}, {global_batch_size}, {seq_length}"
        )
    shares = normalised_shares([weight for _, _, weight in sources])
    train_tokens = train_iters * global_batch_size * seq_length
    budgets = []
    for (key, prefix, weight), share in zip(sources, shares):
        if allow_missing and not _prefix_files_exist(prefix):
            documents, tokens = None, None
        else:
            documents, tokens = count_tokens(key, prefix, train_fraction)
        budgets.append(SourceBudget(
            key=key, prefix=prefix, weight=float(weight), share=share, documents=documents,
            tokens_available=tokens, tokens_drawn=int(round(train_tokens * share)),
        ))
    return MixtureBudget(tuple(budgets), train_iters, global_batch_size, seq_length)


def training_sources(args: Any) -> tuple[list[tuple[str, str, float]], float]:
    """The training sources of a run config as [(key, prefix, weight)], and the fraction of each
    dataset training uses (from `split` for `data_path`; 1.0 for `train_data_paths`)."""
    data = args.data
    if data.train_data_paths:
        weights = data.train_data_weights or [1.0] * len(data.train_data_paths)
        keys = [f"train_data_paths[{index}]" for index in range(len(data.train_data_paths))]
        return list(zip(keys, data.train_data_paths, weights)), 1.0
    if data.data_path:
        from megatron.data.gpt_data import parse_split

        weights = data.data_weights if getattr(data, "data_weights", None) else [1.0] * len(data.data_path)
        keys = [f"data_path[{index}]" if len(data.data_path) > 1 else "data_path" for index in range(len(data.data_path))]
        return list(zip(keys, data.data_path, weights)), parse_split(data.split)[0]
    raise ValueError("the config names no training data: set train_data_paths or data_path")


def mixture_budget(args: Any, allow_missing: bool = False) -> MixtureBudget:
    """The training mixture's budget for a loaded run config (`megatron.neox_arguments.NeoXArgs`)."""
    sources, fraction = training_sources(args)
    return budget_for_sources(
        sources, args.training.train_iters, args.derived.batch.train_batch_size, args.model.seq_length,
        train_fraction=fraction, allow_missing=allow_missing,
    )


def load_run_config(config_paths: Sequence[str | os.PathLike], world_size: Optional[int] = None) -> Any:
    """Load a run's YAML files (`NeoXArgs`) for `world_size` ranks (default: the world size they imply)."""
    from megatron.neox_arguments import load_neox_args

    return load_neox_args(list(config_paths), world_size=world_size)


def plot_budget(budget: MixtureBudget, path: str | os.PathLike, max_epochs: float) -> None:
    """Bar charts of each source's share of the samples and its epochs (threshold marked) to a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [source.name for source in budget.sources]
    shares = [100 * source.share for source in budget.sources]
    epochs = [source.epochs if source.epochs is not None else 0.0 for source in budget.sources]
    colors = [
        "#bbbbbb" if source.epochs is None else "#c0392b" if source.epochs > max_epochs else "#2e86c1"
        for source in budget.sources
    ]
    height = 1.2 + 0.45 * len(names)
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, height), sharey=True)
    positions = np.arange(len(names))
    left.barh(positions, shares, color="#5d6d7e")
    for position, share in zip(positions, shares):
        left.text(share, position, f" {share:.2f}%", va="center", fontsize=8)
    left.set_yticks(positions, names)
    left.invert_yaxis()
    left.set_xlabel("share of training samples (%)")
    left.set_xlim(0, max(shares) * 1.25)
    right.barh(positions, epochs, color=colors)
    for position, source in zip(positions, budget.sources):
        label = "unknown" if source.epochs is None else f"{source.epochs:.2f}"
        right.text(epochs[position], position, f" {label}", va="center", fontsize=8)
    right.axvline(max_epochs, color="#c0392b", linestyle="--", linewidth=1, label=f"--max-epochs {max_epochs:g}")
    right.set_xlabel("epochs (tokens drawn / tokens available)")
    right.set_xlim(0, max(max(epochs), max_epochs) * 1.25)
    right.legend(loc="lower right", fontsize=8)
    figure.suptitle(
        f"Training mixture: {budget.train_samples:,} samples, {format_tokens(budget.tokens_drawn)} tokens", fontsize=10
    )
    figure.tight_layout()
    save_figure(figure, path)
    plt.close(figure)


def save_figure(figure: Any, path: str | os.PathLike) -> None:
    """Save a matplotlib figure as PNG, complete or not at all."""
    with atomic_file(path, "wb", fsync=False) as handle:
        figure.savefig(handle, format="png", dpi=120)
