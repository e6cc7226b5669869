"""Tokenizers: SentencePiece and Hugging Face tokenizer.json behind one interface."""
from megatron.tokenizer.tokenizer import (
    TOKENIZER_TYPES,
    HFTokenizer,
    SPMTokenizer,
    Tokenizer,
    build_tokenizer,
    padded_vocab_size,
)

__all__ = [
    "TOKENIZER_TYPES",
    "HFTokenizer",
    "SPMTokenizer",
    "Tokenizer",
    "build_tokenizer",
    "padded_vocab_size",
]
