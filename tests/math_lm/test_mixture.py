"""The LLEMMA mixture as data, mixture specs, the token budget, the sampler through the data layer."""
from __future__ import annotations

import json
import math
import random
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml

from math_lm import mixture
from math_lm.mixture import MixtureSpecError

REPO = Path(__file__).resolve().parents[2]
TOKENIZER = REPO / "data/tokenizers/llama2.model"


# --------------------------------------------------------------------------- corpora (the tool tests use them too)


def _arithmetic(rng: random.Random, index: int) -> str:
    a, b = rng.randint(1, 99), rng.randint(1, 99)
    return f"Problem {index}: compute ${a} + {b}$. We add: ${a} + {b} = {a + b}$. The answer is {a + b}."


def _prose(rng: random.Random, index: int) -> str:
    subject = rng.choice(["The river", "A small town", "The old library", "Every winter", "The garden"])
    verb = rng.choice(["remembers", "welcomes", "hides", "follows", "changes"])
    return f"{subject} {verb} the travellers of day {index}, and the evening light stays long over the hills."


def _code(rng: random.Random, index: int) -> str:
    n = rng.randint(2, 9)
    return f"def f_{index}(x):\n    return x ** {n} + {rng.randint(0, 9)} * x\n\nprint(f_{index}({n}))\n"


KINDS = {"arithmetic": _arithmetic, "prose": _prose, "code": _code}


def write_kind_corpus(directory: Path, kind: str, documents: int, seed: int = 0) -> str:
    """Tokenize `documents` generated texts of `kind` (with end-of-document tokens); returns the prefix."""
    from megatron.data.indexed_dataset import IndexedDatasetWriter
    from megatron.tokenizer import build_tokenizer

    tokenizer = build_tokenizer("SPMTokenizer", str(TOKENIZER))
    directory.mkdir(parents=True, exist_ok=True)
    prefix = directory / f"{kind}_text_document"
    rng = random.Random(seed)
    writer = IndexedDatasetWriter(f"{prefix}.bin", np.uint16)
    for index in range(documents):
        writer.add_document(tokenizer.tokenize(KINDS[kind](rng, index)) + [tokenizer.eod])
    writer.finalize(f"{prefix}.idx")
    return str(prefix)


def write_sized_corpus(directory: Path, name: str, document_lengths: list[int]) -> str:
    """An indexed dataset whose documents have exactly the given (positive) token counts; returns the prefix."""
    from megatron.data.indexed_dataset import IndexedDatasetWriter

    directory.mkdir(parents=True, exist_ok=True)
    prefix = directory / name
    writer = IndexedDatasetWriter(f"{prefix}.bin", np.uint16)
    for index, length in enumerate(document_lengths):
        body = ((np.arange(length - 1) + index) % 500 + 3).tolist()
        writer.add_document(body + [2])  # ends with the end-of-document token
    writer.finalize(f"{prefix}.idx")
    return str(prefix)


# --------------------------------------------------------------------------- the mixture as data


def test_llemma_weights_shares_and_sizes_are_the_papers():
    assert mixture.llemma_weights() == [2.0, 4.0, 1.0, 0.147368, 0.221053]
    shares = mixture.llemma_shares()
    assert list(shares) == ["arxiv", "open-web-math", "algebraic-stack", "pile-without-arxiv", "redpajama-github"]
    assert [round(100 * share, 2) for share in shares.values()] == [27.14, 54.29, 13.57, 2.00, 3.00]
    # 95% Proof-Pile-2 split 2:4:1, 2% Pile, 3% GitHub.
    proof_pile = shares["arxiv"] + shares["open-web-math"] + shares["algebraic-stack"]
    assert proof_pile == pytest.approx(0.95, abs=1e-6)
    assert shares["arxiv"] / proof_pile == pytest.approx(2 / 7)
    assert shares["open-web-math"] / proof_pile == pytest.approx(4 / 7)
    assert mixture.PROOF_PILE_2_RATIO == (2.0, 4.0, 1.0)
    assert [source.reported_tokens for source in mixture.LLEMMA_MIXTURE[:3]] == [29e9, 15e9, 11e9]
    assert min(mixture.PAPER_SEARCH_PERPLEXITY, key=mixture.PAPER_SEARCH_PERPLEXITY.get) == "2:4:1"


def test_data_mixture_config_states_the_llemma_weights_in_source_order():
    config = yaml.safe_load((REPO / "configs/data_mixture.yml").read_text())
    assert config["train_data_weights"] == mixture.llemma_weights()
    for path, source in zip(config["train_data_paths"], mixture.LLEMMA_MIXTURE):
        assert f"/{source.name}/" in path
    assert config["valid_data_weights"] == config["test_data_weights"] == list(mixture.PROOF_PILE_2_RATIO)


def test_normalised_shares_refuses_unusable_weights():
    assert mixture.normalised_shares([1, 3]) == [0.25, 0.75]
    for bad in ([], [0, 0], [1, -1], [1, math.nan]):
        with pytest.raises(ValueError, match="weights"):
            mixture.normalised_shares(bad)


# --------------------------------------------------------------------------- mixture specs


def test_parse_mixture_reads_ratios():
    assert mixture.parse_mixture("2:4:1") == (2.0, 4.0, 1.0)
    assert mixture.parse_mixture(" 2.5 : 4 : 1e0 ") == (2.5, 4.0, 1.0)
    assert mixture.parse_mixture("1:1", num_sources=None) == (1.0, 1.0)
    assert mixture.parse_mixture_list("2:4:1,2:4:2,4:4:2") == [(2.0, 4.0, 1.0), (2.0, 4.0, 2.0), (4.0, 4.0, 2.0)]


@pytest.mark.parametrize("spec, message", [
    ("", "empty mixture"),
    ("2:4", "has 2 part"),
    ("2:4:1:1", "has 4 part"),
    ("2:four:1", "'four' is not a positive number"),
    ("2:-4:1", "'-4' is not a positive number"),
    ("2:0:1", "'0' must be a positive finite number"),
    ("2:1e999:1", "must be a positive finite number"),
    ("2::1", "'' is not a positive number"),
])
def test_parse_mixture_errors_name_the_spec(spec, message):
    with pytest.raises(MixtureSpecError, match=message):
        mixture.parse_mixture(spec)


def test_parse_mixture_list_errors():
    with pytest.raises(MixtureSpecError, match="listed twice"):
        mixture.parse_mixture_list("2:4:1,2.0:4:1")
    with pytest.raises(MixtureSpecError, match="empty entry"):
        mixture.parse_mixture_list("2:4:1,,4:2:1")


def test_labels_and_applying_a_mixture():
    assert mixture.mixture_label((2.0, 4.0, 1.0)) == "2:4:1"
    assert mixture.mixture_label((2.5, 4.0, 1.0)) == "2.5:4:1"
    assert mixture.mixture_dirname((2.5, 4.0, 1.0)) == "2.5-4-1"
    assert mixture.apply_mixture(mixture.llemma_weights(), (4, 4, 2)) == [4.0, 4.0, 2.0, 0.147368, 0.221053]
    with pytest.raises(MixtureSpecError, match="only 2 training sources"):
        mixture.apply_mixture([1.0, 1.0], (2, 4, 1))


# --------------------------------------------------------------------------- the token budget


def write_config(path: Path, **values) -> Path:
    base = {
        "num_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "seq_length": 25,
        "tokenizer_type": "SPMTokenizer", "vocab_file": str(TOKENIZER),
        "train_micro_batch_size_per_gpu": 2, "gradient_accumulation_steps": 1,
        "train_iters": 20, "eval_interval": 10, "eval_iters": 0, "seed": 3,
    }
    base.update(values)
    path.write_text(yaml.safe_dump(base))
    return path


@pytest.fixture
def sized_sources(tmp_path):
    """Three sources of exactly 100, 1000 and 50 tokens."""
    return [
        write_sized_corpus(tmp_path, "a_text_document", [10] * 10),
        write_sized_corpus(tmp_path, "b_text_document", [40] * 25),
        write_sized_corpus(tmp_path, "c_text_document", [20, 30]),
    ]


def test_budget_counts_available_and_drawn_tokens_and_warns_about_repeats(tmp_path, sized_sources):
    config = write_config(tmp_path / "run.yml", train_data_paths=sized_sources, train_data_weights=[1, 2, 1])
    budget = mixture.mixture_budget(mixture.load_run_config([config]))
    # 20 iterations x 2 sequences x 25 tokens = 1000 tokens, shared 1:2:1.
    assert (budget.train_samples, budget.tokens_drawn) == (40, 1000)
    assert [source.key for source in budget.sources] == [f"train_data_paths[{i}]" for i in range(3)]
    assert [source.share for source in budget.sources] == [0.25, 0.5, 0.25]
    assert [source.documents for source in budget.sources] == [10, 25, 2]
    assert [source.tokens_available for source in budget.sources] == [100, 1000, 50]
    assert [source.tokens_drawn for source in budget.sources] == [250, 500, 250]
    assert [source.epochs for source in budget.sources] == [2.5, 0.5, 5.0]
    assert [source.prefix for source in budget.repeated(4)] == [sized_sources[2]]
    (warning,) = budget.warnings(4)
    assert "train_data_paths[2]" in warning and sized_sources[2] in warning and "5.00 times" in warning
    assert budget.warnings(5) == []
    table = budget.table()
    assert "40 samples" in table and "25.00%" in table and "5.000" in table
    assert json.loads(json.dumps(budget.to_dict()))["sources"][2]["epochs"] == 5.0


def test_budget_agrees_with_the_data_layer(tmp_path, sized_sources):
    """Tokens available = what each blended source holds per epoch; tokens drawn = what the blend
    reports consumed per source after the whole run, within one sample."""
    from megatron.data.gpt_data import DataSpec, build_datasets

    weights = [2.0, 4.0, 1.0]
    config = write_config(tmp_path / "run.yml", train_data_paths=sized_sources, train_data_weights=weights, seq_length=8)
    budget = mixture.mixture_budget(mixture.load_run_config([config]))
    spec = DataSpec(seq_length=8, seed=3, train_data_paths=sized_sources, train_data_weights=weights)
    train = build_datasets(spec, (budget.train_samples, 0, 0)).train
    consumed = train.tokens_per_source(budget.train_samples)
    for source, blended in zip(budget.sources, train.sources):
        assert source.tokens_available == blended.tokens_per_epoch
        assert abs(consumed[blended.name] - source.tokens_drawn) <= budget.seq_length


def test_budget_of_a_data_path_config_counts_the_training_split(tmp_path):
    from megatron.data.gpt_data import DataSpec, build_datasets

    prefix = write_sized_corpus(tmp_path, "one_text_document", list(range(1, 41)))
    config = write_config(tmp_path / "run.yml", data_path=[prefix], split="800,150,50", train_iters=5)
    budget = mixture.mixture_budget(mixture.load_run_config([config]))
    (source,) = budget.sources
    assert source.key == "data_path" and source.share == 1.0
    assert (source.documents, source.tokens_available) == (32, sum(range(1, 33)))
    train = build_datasets(DataSpec(seq_length=25, seed=3, data_path=[prefix], split="800,150,50"), (10, 0, 0)).train
    assert train.sequence_range == (0, source.documents) and train.tokens_per_epoch == source.tokens_available


def test_missing_files_name_the_key_and_path_unless_allowed(tmp_path, sized_sources):
    missing = str(tmp_path / "nowhere" / "x_text_document")
    config = write_config(tmp_path / "run.yml", train_data_paths=[sized_sources[0], missing])
    args = mixture.load_run_config([config])
    with pytest.raises(FileNotFoundError, match=r"train_data_paths\[1\] = .*nowhere/x_text_document.*files .*\.idx and .*\.bin do not exist"):
        mixture.mixture_budget(args)
    budget = mixture.mixture_budget(args, allow_missing=True)
    assert budget.sources[0].tokens_available == 100
    assert (budget.sources[1].tokens_available, budget.sources[1].epochs) == (None, None)
    assert any("train_data_paths[1]" in line and "unknown" in line for line in budget.warnings(4))
    assert "unknown" in budget.table()
    with pytest.raises(FileNotFoundError, match="without the extension"):
        mixture.count_tokens("train_data_paths[0]", sized_sources[0] + ".bin")


def test_llemma_7b_budget_and_world_size():
    configs = [REPO / "configs/llemma_7b.yml", REPO / "configs/data_mixture.yml"]
    assert mixture.load_run_config(configs).derived.world_size == 256  # 1024 / (4 x 2) data parallel x TP 2
    assert mixture.load_run_config([REPO / "configs/tiny_cpu.yml"]).derived.world_size == 2
    budget = mixture.mixture_budget(mixture.load_run_config(configs), allow_missing=True)
    assert budget.train_samples == 48_000 * 1024
    assert budget.tokens_drawn == 48_000 * 1024 * 4096
    drawn = [source.tokens_drawn for source in budget.sources]
    assert drawn[:3] == [round(budget.tokens_drawn * w / 7.368421) for w in (2, 4, 1)]


def test_plot_budget_writes_a_png(tmp_path, sized_sources):
    config = write_config(tmp_path / "run.yml", train_data_paths=sized_sources)
    budget = mixture.mixture_budget(mixture.load_run_config([config]))
    mixture.plot_budget(budget, tmp_path / "plots" / "mixture.png", max_epochs=4)
    assert (tmp_path / "plots" / "mixture.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [path.name for path in (tmp_path / "plots").iterdir()] == ["mixture.png"]


# --------------------------------------------------------------------------- sampling, through the data layer


def blended_train_set(tmp_path, seed: int, samples: int = 70):
    from megatron.data.gpt_data import DataSpec, build_datasets

    prefixes = [write_kind_corpus(tmp_path / "data", kind, 40, seed=i) for i, kind in enumerate(("arithmetic", "prose", "code"))]
    spec = DataSpec(seq_length=16, seed=seed, eod_id=2, train_data_paths=prefixes,
                    train_data_weights=list(mixture.PROOF_PILE_2_RATIO))
    return build_datasets(spec, (samples, 0, 0)).train


def test_blend_follows_the_2_4_1_shares_and_is_deterministic_for_a_seed(tmp_path):
    first, again, other_seed = (blended_train_set(tmp_path, seed) for seed in (11, 11, 12))
    shares = mixture.normalised_shares(mixture.PROOF_PILE_2_RATIO)
    for prefix_length in (7, 20, 35, 70):
        counts = first.samples_per_source(prefix_length)
        assert np.all(np.abs(counts - prefix_length * np.array(shares)) <= 1.0)
    assert np.array_equal(first.source_ids(0, 70), again.source_ids(0, 70))
    assert all(np.array_equal(first[i]["text"], again[i]["text"]) for i in range(70))
    assert first.fingerprint == again.fingerprint != other_seed.fingerprint
    # The blend order is the weights' alone; the seed shuffles what each source gives.
    assert np.array_equal(first.source_ids(0, 70), other_seed.source_ids(0, 70))
    assert any(not np.array_equal(first[i]["text"], other_seed[i]["text"]) for i in range(70))


def test_resuming_at_consumed_samples_continues_the_same_sequence(tmp_path):
    from megatron.data.sampler import DataLoaderState, build_data_iterator

    dataset = blended_train_set(tmp_path, seed=5)
    full = list(build_data_iterator(dataset, DataLoaderState(), 2, 0, 1))
    stopped = build_data_iterator(dataset, DataLoaderState(), 2, 0, 1)
    for _ in range(9):
        next(stopped)
    state = stopped.state()
    assert state.consumed_samples == 18
    resumed = list(build_data_iterator(dataset, DataLoaderState.from_dict(state.to_dict()), 2, 0, 1))
    assert len(resumed) == len(full) - 9
    for expected, got in zip(full[9:], resumed):
        assert torch.equal(expected["text"], got["text"]) and torch.equal(expected["source_id"], got["source_id"])
    assert dataset.tokens_per_source(18) == {
        name: int(count) * 16 for name, count in zip(dataset.source_names, np.bincount(dataset.source_ids(0, 18), minlength=3))
    }
