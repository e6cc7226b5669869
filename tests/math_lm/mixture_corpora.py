"""Small indexed datasets with distinct kinds of text, for the mixture tests."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
TOKENIZER = REPO / "data/tokenizers/llama2.model"


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
    """An indexed dataset whose documents have exactly the given token counts; returns the prefix."""
    from megatron.data.indexed_dataset import IndexedDatasetWriter

    directory.mkdir(parents=True, exist_ok=True)
    prefix = directory / name
    writer = IndexedDatasetWriter(f"{prefix}.bin", np.uint16)
    for index, length in enumerate(document_lengths):
        writer.add_document(((np.arange(length) + index) % 500 + 3).tolist()[:-1] + [2] if length else [])
    writer.finalize(f"{prefix}.idx")
    return str(prefix)
