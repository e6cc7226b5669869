"""Tokenizers behind one interface: SentencePiece models and Hugging Face `tokenizer.json` files.

Every tokenizer exposes the same attributes (`vocab_size`, `eod`, `bos`, `eos`, `pad`,
`name`, `vocab_file`) and methods (`tokenize`, `tokenize_batch`, `detokenize`). `tokenize`
never adds a BOS token: preprocessing and generation decide where special tokens go.
"""
from __future__ import annotations

import math
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from megatron.user_files import UserFileError

# Special-token spellings looked up, in order, in a tokenizer.json vocabulary.
_HF_EOD_CANDIDATES = ("<|endoftext|>", "</s>", "<|end_of_text|>", "<eos>")
_HF_BOS_CANDIDATES = ("<s>", "<|begin_of_text|>", "<bos>", "<|startoftext|>")
_HF_PAD_CANDIDATES = ("<pad>", "<|padding|>", "[PAD]")


class Tokenizer(ABC):
    """The interface every tokenizer implements.

    Attributes:
        name: the tokenizer type, as given to `build_tokenizer`.
        vocab_file: the model or vocabulary file the tokenizer was loaded from.
        vocab_size: number of ids the tokenizer can produce (unpadded).
        eod: id appended at the end of each document by preprocessing.
        bos: beginning-of-sequence id, or None when the vocabulary has none.
        eos: end-of-sequence id.
        pad: padding id, or None when the vocabulary has none.
    """

    name: str
    vocab_file: str
    vocab_size: int
    eod: int
    bos: int | None
    eos: int
    pad: int | None

    @abstractmethod
    def tokenize(self, text: str) -> list[int]:
        """Token ids of `text`, without BOS or EOS."""

    def tokenize_batch(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text in `texts` (same result as `tokenize` on each)."""
        return [self.tokenize(text) for text in texts]

    def tokenize_to_arrays(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Token ids of each text as an int32 array (the bulk path preprocessing uses; no Python ints)."""
        return [np.asarray(ids, dtype=np.int32) for ids in self.tokenize_batch(texts)]

    @abstractmethod
    def detokenize(self, ids: Sequence[int]) -> str:
        """The text that `ids` encode."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(vocab_file={self.vocab_file!r}, vocab_size={self.vocab_size})"


class SPMTokenizer(Tokenizer):
    """A SentencePiece model (Llama / Code Llama: unk 0, bos 1 `<s>`, eos 2 `</s>`).

    The end-of-document id is the model's EOS (`</s>`), not its UNK.
    `tokenize_batch` encodes on `num_threads` threads (default 1, so that the
    process count alone decides how many cores preprocessing uses).
    """

    def __init__(self, model_file: str, num_threads: int = 1) -> None:
        import sentencepiece

        _require_file(model_file, "SentencePiece model")
        processor = sentencepiece.SentencePieceProcessor()
        try:
            processor.Load(model_file)
        except (OSError, RuntimeError) as error:
            raise UserFileError(model_file, f"not a readable SentencePiece model ({error})") from error
        eos = processor.eos_id()
        if eos < 0:
            raise ValueError(f"{model_file}: SentencePiece model defines no EOS piece, so it has no end-of-document id")
        self._processor = processor
        self._num_threads = num_threads
        self.name = "SPMTokenizer"
        self.vocab_file = model_file
        self.vocab_size = processor.vocab_size()
        self.eos = eos
        self.eod = eos
        self.bos = _optional_id(processor.bos_id())
        self.pad = _optional_id(processor.pad_id())

    def tokenize(self, text: str) -> list[int]:
        return self._processor.EncodeAsIds(text)

    def tokenize_batch(self, texts: Sequence[str]) -> list[list[int]]:
        return self._processor.Encode(list(texts), num_threads=self._num_threads)

    def tokenize_to_arrays(self, texts: Sequence[str]) -> list[np.ndarray]:
        encode_as_numpy = getattr(self._processor, "EncodeAsNumpy", None)  # sentencepiece >= 0.2.1
        if encode_as_numpy is None:
            return super().tokenize_to_arrays(texts)
        return [encode_as_numpy(text) for text in texts]

    def detokenize(self, ids: Sequence[int]) -> str:
        return self._processor.Decode([int(i) for i in ids])


class HFTokenizer(Tokenizer):
    """A Hugging Face `tokenizers` model saved as `tokenizer.json`.

    Special ids are found by their usual spellings: the end of document is the first of
    `<|endoftext|>`, `</s>`, `<|end_of_text|>`, `<eos>` that the vocabulary holds.
    `tokenize` encodes with `add_special_tokens=False`, so no post-processor BOS is added.
    """

    def __init__(self, tokenizer_file: str) -> None:
        import tokenizers

        _require_file(tokenizer_file, "tokenizer.json")
        try:
            backend = tokenizers.Tokenizer.from_file(tokenizer_file)
        except Exception as error:  # the Rust side raises plain Exception subclasses
            raise UserFileError(tokenizer_file, f"not a readable tokenizer.json ({' '.join(str(error).split())})") from error
        eod = _first_known_token(backend, _HF_EOD_CANDIDATES)
        if eod is None:
            raise ValueError(
                f"{tokenizer_file}: no end-of-document token; expected one of {', '.join(_HF_EOD_CANDIDATES)}"
            )
        self._backend = backend
        self.name = "HFTokenizer"
        self.vocab_file = tokenizer_file
        self.vocab_size = backend.get_vocab_size(with_added_tokens=True)
        self.eod = eod
        self.eos = eod
        self.bos = _first_known_token(backend, _HF_BOS_CANDIDATES)
        self.pad = _first_known_token(backend, _HF_PAD_CANDIDATES)

    def tokenize(self, text: str) -> list[int]:
        return self._backend.encode(text, add_special_tokens=False).ids

    def tokenize_batch(self, texts: Sequence[str]) -> list[list[int]]:
        encodings = self._backend.encode_batch(list(texts), add_special_tokens=False)
        return [encoding.ids for encoding in encodings]

    def detokenize(self, ids: Sequence[int]) -> str:
        return self._backend.decode([int(i) for i in ids])


TOKENIZER_TYPES = {"SPMTokenizer": SPMTokenizer, "HFTokenizer": HFTokenizer}


def build_tokenizer(tokenizer_type: str, vocab_file: str | None, merge_file: str | None = None) -> Tokenizer:
    """Load the tokenizer `tokenizer_type` from `vocab_file`.

    Args:
        tokenizer_type: "SPMTokenizer" (a SentencePiece `.model`) or "HFTokenizer" (a `tokenizer.json`).
        vocab_file: the model / tokenizer.json path.
        merge_file: BPE merges; neither supported type uses one, so it must be None.

    Raises:
        ValueError: unknown type, missing vocab_file, a merge_file given, or an unreadable model.
        FileNotFoundError: vocab_file does not exist.
    """
    if tokenizer_type not in TOKENIZER_TYPES:
        raise ValueError(
            f"unknown tokenizer_type {tokenizer_type!r}; supported: {', '.join(sorted(TOKENIZER_TYPES))}"
        )
    if not vocab_file:
        raise ValueError(f"tokenizer_type {tokenizer_type} needs a vocab_file (the model file to load)")
    if merge_file:
        raise ValueError(f"tokenizer_type {tokenizer_type} takes no merge_file (got {merge_file!r})")
    return TOKENIZER_TYPES[tokenizer_type](vocab_file)


def padded_vocab_size(vocab_size: int, make_vocab_size_divisible_by: int, tensor_parallel_size: int) -> int:
    """`vocab_size` rounded up to a multiple of `make_vocab_size_divisible_by * tensor_parallel_size`.

    The embedding and output layers are split across tensor-parallel ranks, so every rank
    gets an equal, aligned slice (e.g. 32016 with 128 x 2 becomes 32256).
    """
    for name, value in (
        ("vocab_size", vocab_size),
        ("make_vocab_size_divisible_by", make_vocab_size_divisible_by),
        ("tensor_parallel_size", tensor_parallel_size),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    multiple = make_vocab_size_divisible_by * tensor_parallel_size
    return math.ceil(vocab_size / multiple) * multiple


def _require_file(path: str, what: str) -> None:
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{what} not found: {path}")


def _optional_id(token_id: int) -> int | None:
    return token_id if token_id >= 0 else None


def _first_known_token(backend, candidates: Sequence[str]) -> int | None:
    for token in candidates:
        token_id = backend.token_to_id(token)
        if token_id is not None:
            return token_id
    return None
